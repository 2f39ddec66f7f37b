package daemon_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

var viewNow = time.Date(2026, 11, 23, 15, 0, 0, 0, carriers.Tokyo)

// openStore opens a fresh store in t's temp dir.
func openStore(tb testing.TB) *store.Store {
	tb.Helper()
	st, err := store.Open(filepath.Join(tb.TempDir(), "todoku.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// putParcel stores p with one event at last (none when last is zero).
func putParcel(tb testing.TB, st *store.Store, p store.Parcel, last time.Time) {
	tb.Helper()
	u := store.Update{Parcel: p}
	if !last.IsZero() {
		u.Parcel.LastEvent, u.Parcel.LastPoll = last, last
		u.Events = []carriers.Event{{Time: last, Status: p.Status, Raw: "配達中", Location: "川崎中央センター"}}
	}
	if _, err := st.Apply(u); err != nil {
		tb.Fatal(err)
	}
}

func views(st *store.Store, lang string) daemon.Views {
	s := notify.DefaultSettings()
	s.Lang = lang
	return daemon.Views{
		Store:    st,
		Composer: notify.Composer{Settings: s, Contacts: notify.Directory(all.Contacts()...)},
		Now:      func() time.Time { return viewNow },
	}
}

func TestViewsParcels(t *testing.T) {
	st := openStore(t)
	n := func(i int) string { return trackingNumber(200 + i) }
	putParcel(t, st, store.Parcel{Number: n(0), Label: "old", Carrier: "yamato", Tracked: true, Status: carriers.StatusInTransit}, viewNow.Add(-48*time.Hour))
	putParcel(t, st, store.Parcel{Number: n(1), Label: "new", Carrier: "yamato", Tracked: true, Status: carriers.StatusOutForDelivery, NextDue: viewNow.Add(15 * time.Minute)}, viewNow.Add(-time.Hour))
	putParcel(t, st, store.Parcel{Number: n(2), Label: "removed", Carrier: "sagawa", Status: carriers.StatusInTransit}, viewNow.Add(-time.Minute))
	putParcel(t, st, store.Parcel{Number: n(3), Label: "archived", Carrier: "yamato", Archived: true, Status: carriers.StatusDelivered}, viewNow.Add(-30*time.Minute))
	putParcel(t, st, store.Parcel{Number: n(4), Label: "unpolled", Candidates: []string{"yamato", "sagawa"}, Tracked: true}, time.Time{})

	ps, err := views(st, "en").Parcels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Label)
	}
	// Tracked first, newest activity first; archived parcels left out.
	want := []string{"new", "old", "unpolled", "removed"}
	if !slices.Equal(got, want) {
		t.Fatalf("Parcels order = %q, want %q", got, want)
	}
	first := ps[0]
	if first.StatusText != "out for delivery" || first.CarrierName == "" || first.Call == nil || first.URL == "" ||
		first.LastEvent == nil || first.History != nil || !first.NextPoll.Equal(viewNow.Add(15*time.Minute)) {
		t.Errorf("view of %q = %+v; want status text, carrier name, call, URL, last event, next poll and no history", first.Label, first)
	}
	if ps[3].Tracked || !ps[3].NextPoll.IsZero() {
		t.Errorf("removed parcel = %+v, want tracked false and no next poll", ps[3])
	}
}

func TestViewsParcel(t *testing.T) {
	st := openStore(t)
	num := trackingNumber(300)
	putParcel(t, st, store.Parcel{Number: num, Label: "lens", Carrier: "yamato", Tracked: true, Status: carriers.StatusOutForDelivery}, viewNow.Add(-time.Hour))
	tests := []struct {
		name, input string
		found       bool
	}{
		{name: "normal", input: num, found: true},
		{name: "pasted with dashes", input: num[:4] + "-" + num[4:8] + "-" + num[8:], found: true},
		{name: "full-width", input: toFullWidth(num), found: true},
		{name: "unknown", input: trackingNumber(301), found: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok, err := views(st, "ja").Parcel(context.Background(), tt.input)
			if err != nil || ok != tt.found {
				t.Fatalf("Parcel(%q) = ok %v, err %v; want ok %v", tt.input, ok, err, tt.found)
			}
			if !ok {
				return
			}
			if p.Number != num || len(p.History) != 1 || p.History[0].Raw != "配達中" || p.StatusText != "配達中" {
				t.Errorf("Parcel(%q) = %+v; want %s with its one event", tt.input, p, num)
			}
		})
	}
}

func toFullWidth(s string) string {
	out := []rune{}
	for _, r := range s {
		out = append(out, r-'0'+'０')
	}
	return string(out)
}

// BenchmarkViewsParcels measures GET /api/parcels' work for a household
// with many parcels: 200 parcels of 10 events each.
func BenchmarkViewsParcels(b *testing.B) {
	st := openStore(b)
	for i := range 200 {
		p := store.Parcel{Number: trackingNumber(1000 + i), Label: fmt.Sprintf("parcel %d", i), Carrier: "yamato", Tracked: true, Status: carriers.StatusInTransit}
		u := store.Update{Parcel: p}
		for j := range 10 {
			u.Events = append(u.Events, carriers.Event{Time: viewNow.Add(time.Duration(j-i) * time.Hour), Status: carriers.StatusInTransit, Raw: "輸送中"})
		}
		if _, err := st.Apply(u); err != nil {
			b.Fatal(err)
		}
	}
	v := views(st, "ja")
	ctx := context.Background()
	for b.Loop() {
		ps, err := v.Parcels(ctx)
		if err != nil || len(ps) != 200 {
			b.Fatalf("Parcels = %d, %v", len(ps), err)
		}
	}
}

// FuzzViewsParcel feeds GET /api/parcels/{number} arbitrary input: it
// must never panic, and whatever it finds must be the stored parcel.
func FuzzViewsParcel(f *testing.F) {
	st := openStore(f)
	num := trackingNumber(400)
	putParcel(f, st, store.Parcel{Number: num, Label: "lens", Carrier: "yamato", Tracked: true, Status: carriers.StatusInTransit}, viewNow)
	v := views(st, "en")
	for _, seed := range []string{num, "4000-1234-5675", toFullWidth(num), "", "../../etc/passwd", "250-1234567-1234567", "ＤＡ１２", "\x00\xff"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		p, ok, err := v.Parcel(context.Background(), input)
		if err != nil {
			t.Fatalf("Parcel(%q): %v", input, err)
		}
		if ok && p.Number != num {
			t.Fatalf("Parcel(%q) found %q, want only %q", input, p.Number, num)
		}
	})
}
