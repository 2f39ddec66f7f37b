package store

import (
	"reflect"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

func TestArchive(t *testing.T) {
	now := t0.Add(30 * 24 * time.Hour)
	after := 14 * 24 * time.Hour
	old := now.Add(-after - time.Hour)
	recent := now.Add(-after + time.Hour)
	seed := []Parcel{
		{Number: "delivered-old", Tracked: true, Status: carriers.StatusDelivered, LastChange: old},
		{Number: "returned-old", Tracked: true, Status: carriers.StatusReturned, LastChange: old},
		{Number: "delivered-recent", Tracked: true, Status: carriers.StatusDelivered, LastChange: recent},
		{Number: "failed-old", Tracked: true, Status: carriers.StatusDeliveryFailed, LastChange: old},
		{Number: "delivered-no-change-time", Tracked: true, Status: carriers.StatusDelivered, LastEvent: old},
	}
	wantArchived := map[string]bool{"delivered-old": true, "returned-old": true, "delivered-no-change-time": true}

	for _, tc := range []struct {
		name  string
		prune bool
	}{
		{"keep history", false},
		{"prune history", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openTemp(t)
			for _, p := range seed {
				if _, err := s.Apply(Update{Parcel: p, Events: []carriers.Event{ev(0, p.Status, string(p.Status))}}); err != nil {
					t.Fatalf("Apply: %v", err)
				}
			}
			n, err := s.Archive(now, after, tc.prune)
			if err != nil || n != len(wantArchived) {
				t.Fatalf("Archive = %d, %v; want %d, nil", n, err, len(wantArchived))
			}
			for _, p := range seed {
				got, _, _ := s.Parcel(p.Number)
				h, _ := s.History(p.Number)
				if got.Last == nil || got.Last.Raw != string(p.Status) {
					t.Errorf("%s: Last = %+v, want its one event", p.Number, got.Last)
				}
				got.Last = nil // kept even when the history is pruned
				if wantArchived[p.Number] {
					want := p
					want.Archived, want.Done, want.ArchivedAt = true, true, now
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s:\n got %+v\nwant %+v", p.Number, got, want)
					}
					if wantLen := map[bool]int{false: 1, true: 0}[tc.prune]; len(h) != wantLen {
						t.Errorf("%s: history has %d events, want %d", p.Number, len(h), wantLen)
					}
				} else {
					if !reflect.DeepEqual(got, p) {
						t.Errorf("%s changed: got %+v, want %+v", p.Number, got, p)
					}
					if len(h) != 1 {
						t.Errorf("%s: history has %d events, want 1", p.Number, len(h))
					}
				}
			}
			all, _ := s.Parcels()
			active := 0
			for _, p := range all {
				if !p.Archived {
					active++
				}
			}
			if active != 2 {
				t.Errorf("after Archive %d parcels are not archived, want 2", active)
			}
			// A second run archives nothing new and keeps ArchivedAt.
			if n, err := s.Archive(now.Add(time.Hour), after, tc.prune); n != 0 || err != nil {
				t.Errorf("second Archive = %d, %v; want 0, nil", n, err)
			}
			if got, _, _ := s.Parcel("delivered-old"); !got.ArchivedAt.Equal(now) {
				t.Errorf("ArchivedAt after a second run = %v, want %v", got.ArchivedAt, now)
			}
		})
	}
}

func TestArchivePruneLaterRemovesEarlierHistory(t *testing.T) {
	s, _ := openTemp(t)
	p := Parcel{Number: "1", Status: carriers.StatusDelivered, LastChange: t0}
	if _, err := s.Apply(Update{Parcel: p, Events: []carriers.Event{ev(0, carriers.StatusDelivered, "配達完了")}}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if n, err := s.Archive(t0.Add(48*time.Hour), 24*time.Hour, false); n != 1 || err != nil {
		t.Fatalf("Archive keep = %d, %v; want 1, nil", n, err)
	}
	if n, err := s.Archive(t0.Add(72*time.Hour), 24*time.Hour, true); n != 0 || err != nil {
		t.Fatalf("Archive prune = %d, %v; want 0, nil", n, err)
	}
	if h, _ := s.History("1"); len(h) != 0 {
		t.Errorf("history of a parcel archived earlier has %d events after prune, want 0", len(h))
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check after prune: %v", err)
	}
}
