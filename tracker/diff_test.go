package tracker

import (
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

func TestDiff(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, carriers.Tokyo)
	accepted := carriers.Event{Time: now.Add(-30 * time.Hour), Status: carriers.StatusInTransit, Raw: "集荷", Location: "西埼玉営業所"}
	out := carriers.Event{Time: now.Add(-2 * time.Hour), Status: carriers.StatusOutForDelivery, Raw: "配達中", Location: "川崎営業所"}
	failed := carriers.Event{Time: now.Add(-time.Hour), Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent, Raw: "保管中", Location: "川崎営業所"}
	stored := func(evs ...carriers.Event) []store.StoredEvent {
		var h []store.StoredEvent
		for i, e := range evs {
			h = append(h, store.StoredEvent{Event: e, Seq: uint64(i)})
		}
		return h
	}
	inTransit := store.Parcel{Number: "400000000035", Carrier: "sagawa", Status: carriers.StatusInTransit, Product: "飛脚宅配便"}
	cases := []struct {
		name      string
		parcel    store.Parcel
		history   []store.StoredEvent
		res       carriers.Result
		status    carriers.Status
		events    int
		kinds     []notify.Kind
		keepKinds bool
	}{
		{
			name: "failure after out for delivery", parcel: inTransit, history: stored(accepted),
			res:    carriers.Result{Found: true, Carrier: "sagawa", Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent, Events: []carriers.Event{accepted, out, failed}},
			status: carriers.StatusDeliveryFailed, events: 2, kinds: []notify.Kind{notify.KindDeliveryFailed},
		},
		{
			name: "same page again adds nothing", parcel: store.Parcel{Number: "400000000035", Carrier: "sagawa", Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent},
			history: stored(accepted, out, failed),
			res:     carriers.Result{Found: true, Carrier: "sagawa", Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent, Events: []carriers.Event{accepted, out, failed}},
			status:  carriers.StatusDeliveryFailed, events: 0, kinds: nil,
		},
		{
			// Sagawa hides a return behind 調査中 with the history removed.
			name: "status without an event is still news", parcel: inTransit, history: stored(accepted),
			res:    carriers.Result{Found: true, Carrier: "sagawa", Status: carriers.StatusException, Reason: carriers.ReasonInvestigating, Events: []carriers.Event{}},
			status: carriers.StatusException, events: 0, kinds: []notify.Kind{notify.KindException},
		},
		{
			name: "delivered never goes back", parcel: store.Parcel{Number: "400000000035", Carrier: "sagawa", Status: carriers.StatusDelivered},
			history: stored(accepted),
			res:     carriers.Result{Found: false, Carrier: "sagawa", Status: carriers.StatusNotFound, Events: []carriers.Event{}},
			status:  carriers.StatusDelivered, events: 0, kinds: nil,
		},
		{
			name: "a return after delivery is accepted", parcel: store.Parcel{Number: "400000000035", Carrier: "yamato", Status: carriers.StatusDelivered},
			history: stored(accepted),
			res: carriers.Result{Found: true, Carrier: "yamato", Status: carriers.StatusReturned, Events: []carriers.Event{accepted,
				{Time: now.Add(-time.Hour), Status: carriers.StatusReturned, Raw: "返品", Location: "川崎"}}},
			status: carriers.StatusReturned, events: 1, kinds: []notify.Kind{notify.KindReturned},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := diff(tc.parcel, tc.res, diffInput{now: now, history: tc.history, staleAfter: 72 * time.Hour, notFoundTooLong: 72 * time.Hour})
			if u.Parcel.Status != tc.status {
				t.Errorf("status %s, want %s", u.Parcel.Status, tc.status)
			}
			if len(u.Events) != tc.events {
				t.Errorf("%d new events, want %d: %+v", len(u.Events), tc.events, u.Events)
			}
			var kinds []notify.Kind
			for _, e := range u.Outbox {
				kinds = append(kinds, notify.Kind(e.Kind))
				if e.Key == "" || e.Number != tc.parcel.Number {
					t.Errorf("outbox entry without key or number: %+v", e)
				}
				if e.Product != tc.parcel.Product {
					t.Errorf("product %q not carried to the notice", e.Product)
				}
			}
			if len(kinds) != len(tc.kinds) {
				t.Fatalf("notices %v, want %v", kinds, tc.kinds)
			}
			for i := range kinds {
				if kinds[i] != tc.kinds[i] {
					t.Errorf("notices %v, want %v", kinds, tc.kinds)
				}
			}
		})
	}
}

// A status first seen without its row, then the row: one notice.
func TestDiffStatusThenItsRowNotifiesOnce(t *testing.T) {
	now := time.Date(2026, 12, 1, 15, 0, 0, 0, carriers.Tokyo)
	failed := carriers.Event{Time: now.Add(-20 * time.Minute), Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent, Raw: "持戻（ご不在）", Location: "川崎"}
	p := store.Parcel{Number: "123456789013", Carrier: "yamato", Status: carriers.StatusOutForDelivery}
	u1 := diff(p, carriers.Result{Found: true, Carrier: "yamato", Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent, Events: []carriers.Event{}},
		diffInput{now: now})
	if len(u1.Outbox) != 1 {
		t.Fatalf("status without a row: %d notices, want 1", len(u1.Outbox))
	}
	u2 := diff(u1.Parcel, carriers.Result{Found: true, Carrier: "yamato", Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent, Events: []carriers.Event{failed}},
		diffInput{now: now.Add(10 * time.Minute)})
	if len(u2.Outbox) != 0 {
		t.Errorf("the row catching up gave %d more notices", len(u2.Outbox))
	}
	// A second failed attempt after that is news again.
	again := failed
	again.Time = now.Add(3 * time.Hour)
	u3 := diff(u2.Parcel, carriers.Result{Found: true, Carrier: "yamato", Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent, Events: []carriers.Event{failed, again}},
		diffInput{now: now.Add(4 * time.Hour), history: []store.StoredEvent{{Event: failed}}})
	if len(u3.Outbox) != 1 {
		t.Errorf("a second failed attempt: %d notices, want 1", len(u3.Outbox))
	}
}

func TestDueParcels(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, carriers.Tokyo)
	all := []store.Parcel{
		{Number: "a-late", Tracked: true, NextDue: now.Add(-time.Minute)},
		{Number: "b-earliest", Tracked: true, NextDue: now.Add(-time.Hour)},
		{Number: "c-never-polled", Tracked: true}, // zero NextDue: due at once, first
		{Number: "d-within-a-minute", Tracked: true, NextDue: now.Add(40 * time.Second)},
		{Number: "e-future", Tracked: true, NextDue: now.Add(2 * time.Minute)},
		{Number: "f-untracked", NextDue: now.Add(-time.Hour)},
		{Number: "g-done", Tracked: true, Done: true, NextDue: now.Add(-time.Hour)},
		{Number: "h-archived", Tracked: true, Archived: true, NextDue: now.Add(-time.Hour)},
		{Number: "i-a-year-ahead", Tracked: true, NextDue: now.AddDate(1, 0, 0)}, // set under a wrong clock
	}
	var got []string
	for _, p := range dueParcels(all, now) {
		got = append(got, p.Number)
	}
	want := []string{"c-never-polled", "b-earliest", "a-late", "d-within-a-minute", "i-a-year-ahead"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("due %v, want %v", got, want)
	}
}
