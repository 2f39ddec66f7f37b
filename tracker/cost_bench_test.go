package tracker

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/store"
)

// seedArchived stores n archived parcels, each with a short history, in
// one transaction per 1,000.
func seedArchived(tb testing.TB, st *store.Store, n int, at time.Time) {
	tb.Helper()
	for i := 0; i < n; i++ {
		p := store.Parcel{Number: fmt.Sprintf("A%011d", i), Carrier: "yamato", Status: carriers.StatusDelivered,
			Archived: true, Done: true, Tracked: false, LastPoll: at}
		evs := []carriers.Event{
			{Time: at.Add(-48 * time.Hour), Status: carriers.StatusInTransit, Raw: "荷物受付", Location: "川崎"},
			{Time: at.Add(-24 * time.Hour), Status: carriers.StatusDelivered, Raw: "配達完了", Location: "川崎"},
		}
		if _, err := st.Apply(store.Update{Parcel: p, Events: evs}); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkIdleTick is one tick with 30 active parcels, none due, beside
// 0 or 10,000 archived ones: the cost follows the active parcels.
func BenchmarkIdleTick(b *testing.B) {
	for _, archived := range []int{0, 10000} {
		b.Run(fmt.Sprintf("active=30/archived=%d", archived), func(b *testing.B) {
			w := newWorld(b)
			seedArchived(b, w.store, archived, start)
			var specs []Spec
			for i := 0; i < 30; i++ {
				n := num(int64(19000000000 + i))
				w.srv.Add(fake.Timeline("yamato", n, fake.Delivered, start.Add(48*time.Hour)))
				specs = append(specs, Spec{Number: n, Carrier: "yamato"})
			}
			w.sync(specs...)
			w.run(0) // everything polled once; nothing is due for a while
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				if err := w.eng.Tick(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// livedWeeks runs weeks of virtual time in which 30 new parcels a week
// arrive (each delivered within days, archived a week after, history
// pruned), ticking once a virtual day; then 30 more arrive, on their way
// for days, and are polled once. It returns the world: 30 active parcels
// beside everything stored before.
func livedWeeks(tb testing.TB, weeks int) *world {
	w := newWorld(tb)
	w.rt.ArchiveAfter = 7 * 24 * time.Hour
	for week := 0; week <= weeks; week++ {
		var specs []Spec
		for i := 0; i < 30; i++ {
			n := num(int64(20000000000 + week*100 + i))
			delivered := w.clock.Now().Add(-72 * time.Hour)
			if week == weeks {
				delivered = w.clock.Now().Add(72 * time.Hour)
			}
			w.srv.Add(fake.Timeline("yamato", n, fake.Delivered, delivered))
			specs = append(specs, Spec{Number: n, Carrier: "yamato"})
		}
		// The config lists only this week's parcels; older ones leave it.
		w.sync(specs...)
		if week == weeks {
			w.run(0)
			break
		}
		for d := 0; d < 7; d++ {
			w.run(0)
			w.clock.Advance(24 * time.Hour)
			if _, err := w.store.Archive(w.clock.Now(), w.rt.ArchiveAfter, true); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return w
}

// TestYearOfParcelsKeepsTicksFlat runs a virtual year of 30 new parcels a
// week and checks that a tick at the end reads no more parcels than one
// after two weeks: its cost follows the active parcels, not the 1,560
// stored. BenchmarkTickAfterAYear measures the same in time.
func TestYearOfParcelsKeepsTicksFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("a virtual year")
	}
	active := func(w *world) int {
		ps, err := w.store.ActiveParcels()
		if err != nil {
			t.Fatal(err)
		}
		return len(ps)
	}
	first := active(livedWeeks(t, 2))
	w := livedWeeks(t, 52)
	last := active(w)
	all, _ := w.store.Parcels()
	if len(all) < 52*30 {
		t.Fatalf("%d parcels stored, want the year's %d", len(all), 52*30)
	}
	if last != first || last != 30 {
		t.Errorf("a tick reads %d parcels after a year, %d after two weeks, want the 30 active ones both times", last, first)
	}
}

// BenchmarkTickAfterAYear is one tick (30 active parcels, none due) after
// 2 and after 52 virtual weeks of 30 new parcels a week: the two should
// cost the same.
func BenchmarkTickAfterAYear(b *testing.B) {
	for _, weeks := range []int{2, 52} {
		b.Run(fmt.Sprintf("weeks=%d", weeks), func(b *testing.B) {
			w := livedWeeks(b, weeks)
			ctx := context.Background()
			for b.Loop() {
				if err := w.eng.Tick(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
