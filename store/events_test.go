package store

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/todoku/todoku/carriers"
)

func TestCompactEventRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    StoredEvent
	}{
		{"tokyo", StoredEvent{Event: carriers.Event{Time: t0.In(carriers.Tokyo), Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent, Raw: "ご不在のため持戻", Location: "川崎センター"}, Carrier: "yamato", Seq: 7, Seen: t0}},
		{"utc, nanoseconds", StoredEvent{Event: carriers.Event{Time: t0.UTC().Add(123), Status: carriers.StatusInTransit, Raw: "x"}, Seq: 1}},
		{"zero times", StoredEvent{Event: carriers.Event{Raw: "no time"}, Seq: 2}},
		{"long text", StoredEvent{Event: carriers.Event{Time: t0, Raw: strings.Repeat("長", 500), Location: strings.Repeat("l", 300)}, Seq: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := append(evPrefix("123"), eventKey(tc.e.Time, tc.e.Seq)...)
			got, err := decodeCompact(key, encodeCompact([8]byte{1, 2, 3}, tc.e))
			if err != nil {
				t.Fatal(err)
			}
			if !got.Time.Equal(tc.e.Time) || !got.Seen.Equal(tc.e.Seen) {
				t.Errorf("times %v / %v, want %v / %v", got.Time, got.Seen, tc.e.Time, tc.e.Seen)
			}
			if _, o1 := got.Time.Zone(); true {
				if _, o2 := tc.e.Time.Zone(); o1 != o2 {
					t.Errorf("offset %d, want %d", o1, o2)
				}
			}
			got.Time, got.Seen, tc.e.Time, tc.e.Seen = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, tc.e) {
				t.Errorf("got %+v, want %+v", got, tc.e)
			}
		})
	}
	for _, bad := range [][]byte{nil, {1}, {2, 0, 0, 0, 0, 0, 0, 0, 0}, append(encodeCompact([8]byte{}, StoredEvent{Event: carriers.Event{Raw: "abc"}})[:40], 0xff)} {
		if _, err := decodeCompact(make([]byte, 17), bad); err == nil {
			t.Errorf("decodeCompact(%x) accepted a malformed record", bad)
		}
	}
}

// FuzzDecodeCompact: a damaged record is an error, never a panic.
func FuzzDecodeCompact(f *testing.F) {
	f.Add(encodeCompact([8]byte{}, StoredEvent{Event: carriers.Event{Time: t0, Raw: "配達完了"}, Carrier: "yamato"}))
	f.Fuzz(func(t *testing.T, v []byte) {
		_, _ = decodeCompact(make([]byte, 20), v)
	})
}

// TestEventsLayoutIsCompact stores 500 parcels (numbers in random order)
// whose histories grow by one event per poll, interleaved, to 8 events
// each, and checks the histories fill their pages (the nested layout
// before v4 took about two mostly empty pages per parcel).
func TestEventsLayoutIsCompact(t *testing.T) {
	s, _ := openTemp(t)
	rng := rand.New(rand.NewPCG(1, 2))
	order := rng.Perm(500)
	for j := 0; j < 8; j++ {
		err := s.db.Update(func(tx *bolt.Tx) error {
			for _, i := range order {
				n := fmt.Sprintf("%012d", uint64(i)*7919*104729%1000000000000)
				e := carriers.Event{Time: t0.Add(time.Duration(j) * time.Hour), Status: carriers.StatusInTransit, Raw: "輸送中", Location: fmt.Sprintf("羽田クロノゲートベース %d", j)}
				if _, err := addEvents(tx, n, "yamato", t0, []carriers.Event{e}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var st bolt.BucketStats
	if err := s.db.View(func(tx *bolt.Tx) error { st = tx.Bucket([]byte(bucketEv)).Stats(); return nil }); err != nil {
		t.Fatal(err)
	}
	pages := st.LeafPageN + st.LeafOverflowN + st.BranchPageN
	fill := float64(st.LeafInuse) / float64((st.LeafPageN+st.LeafOverflowN)*s.db.Info().PageSize)
	t.Logf("events: %d pages for 500 parcels (%.2f per parcel), leaves %.0f %% full", pages, float64(pages)/500, 100*fill)
	// The same histories in the nested layout of schema v1–v3, for the record.
	old := oldFile(t, func(tx *bolt.Tx) error {
		for j := 0; j < 8; j++ {
			for _, i := range order {
				n := fmt.Sprintf("%012d", uint64(i)*7919*104729%1000000000000)
				e := carriers.Event{Time: t0.Add(time.Duration(j) * time.Hour), Status: carriers.StatusInTransit, Raw: "輸送中", Location: fmt.Sprintf("羽田クロノゲートベース %d", j)}
				if err := putLegacyEvents(tx, n, e); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if db, err := bolt.Open(old, 0o600, nil); err == nil {
		_ = db.View(func(tx *bolt.Tx) error {
			o := tx.Bucket([]byte(bucketEvents)).Stats()
			t.Logf("nested layout: %d pages for 500 parcels, %d bytes of %d-byte pages in use", o.LeafPageN+o.LeafOverflowN+o.BranchPageN, o.LeafInuse+o.InlineBucketInuse, db.Info().PageSize)
			return nil
		})
		db.Close()
	}
	if per := float64(pages) / 500; per > 0.5 {
		t.Errorf("%.2f pages per parcel, want well under one", per)
	}
	if fill < 0.6 {
		t.Errorf("leaf pages %.0f %% full, want at least 60 %%", 100*fill)
	}
}
