package store

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

// realisticUpdate is poll number i of one of 50 parcels: the full
// history so far (as a carrier page shows it), of which the last 3 events
// are new, and one outbox entry.
func realisticUpdate(i int) Update {
	number := fmt.Sprintf("4%011d", i%50)
	round := i / 50
	events := make([]carriers.Event, 0, 3*(round+1))
	for j := range 3 * (round + 1) {
		events = append(events, carriers.Event{
			Time:     t0.Add(time.Duration(j) * time.Minute),
			Status:   carriers.StatusInTransit,
			Raw:      "輸送中",
			Location: fmt.Sprintf("羽田クロノゲートベース %d", j),
		})
	}
	return Update{
		Parcel: Parcel{
			Number: number, Label: "カメラレンズ", Carrier: "yamato", Tracked: true,
			Status: carriers.StatusInTransit, LastEvent: events[len(events)-1].Time,
			LastPoll: t0.Add(time.Duration(i) * time.Second), NextDue: t0.Add(time.Hour),
		},
		Events: events,
		Outbox: []OutboxEntry{{
			Key: fmt.Sprintf("%s|%d", number, round), Kind: "out_for_delivery", Number: number,
			Carrier: "yamato", Label: "カメラレンズ", Event: events[len(events)-1], Created: t0,
		}},
	}
}

// BenchmarkApply measures Apply with fsync on (the store never disables
// it). Each op is one transaction adding 3 new events and 1 outbox entry;
// histories grow as a real parcel's do, so later ops also skip the events
// already stored.
func BenchmarkApply(b *testing.B) {
	for _, tc := range []struct {
		name   string
		repeat bool
	}{
		{"new", false},      // 3 new events + 1 entry per op
		{"unchanged", true}, // a re-poll with nothing new
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, _ := openTemp(b)
			if tc.repeat {
				if _, err := s.Apply(realisticUpdate(0)); err != nil {
					b.Fatal(err)
				}
			}
			i, added := 0, 0
			for b.Loop() {
				u := realisticUpdate(i)
				if tc.repeat {
					u = realisticUpdate(0)
				}
				got, err := s.Apply(u)
				if err != nil {
					b.Fatal(err)
				}
				if !tc.repeat && (len(got.Events) != 3 || got.Queued != 1) {
					b.Fatalf("op %d added %d events, %d entries; want 3, 1", i, len(got.Events), got.Queued)
				}
				added += len(got.Events)
				i++
			}
			b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "applies/s")
			if !tc.repeat {
				b.ReportMetric(float64(added)/b.Elapsed().Seconds(), "events/s")
			}
		})
	}
}

// BenchmarkEncodeUpdate is the JSON cost inside one Apply (parcel, 3
// events, 1 entry), to compare against the fsync-bound Apply.
func BenchmarkEncodeUpdate(b *testing.B) {
	u := realisticUpdate(0)
	for b.Loop() {
		if _, err := json.Marshal(u.Parcel); err != nil {
			b.Fatal(err)
		}
		for _, e := range u.Events {
			if _, err := json.Marshal(StoredEvent{Event: e, Carrier: "yamato", Seq: 1, Seen: t0}); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := json.Marshal(u.Outbox[0]); err != nil {
			b.Fatal(err)
		}
	}
}
