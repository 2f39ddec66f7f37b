package daemon

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// BenchmarkList is `todoku list` (Views.Parcels) over 10,000 parcels with
// a few events each: the last event comes from the parcel record, no
// history is decoded.
func BenchmarkList(b *testing.B) {
	st, err := store.Open(filepath.Join(b.TempDir(), "list.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, carriers.Tokyo)
	numbers := make([]store.SyncItem, 10000)
	for i := range numbers {
		numbers[i] = store.SyncItem{Number: fmt.Sprintf("%012d", 300000000000+i)}
	}
	if _, err := st.SyncParcels(numbers, func(p *store.Parcel, _ bool) bool {
		*p = store.Parcel{Number: p.Number, Carrier: "yamato", Tracked: true, Status: carriers.StatusInTransit, NextDue: at,
			Last: &carriers.Event{Time: at, Status: carriers.StatusInTransit, Raw: "輸送中", Location: "川崎"}}
		return true
	}, nil); err != nil {
		b.Fatal(err)
	}
	v := Views{Store: st, Composer: notify.Composer{Settings: notify.DefaultSettings(), Contacts: notify.Directory(all.Contacts()...)}, Now: func() time.Time { return at }}
	ctx := context.Background()
	for b.Loop() {
		ps, err := v.Parcels(ctx)
		if err != nil || len(ps) != 10000 {
			b.Fatalf("%d parcels, %v", len(ps), err)
		}
	}
}
