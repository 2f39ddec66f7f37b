package store

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

func failedUpdate() Update {
	p := Parcel{Number: "123456789012", Carrier: "yamato", Tracked: true, Status: carriers.StatusDeliveryFailed,
		Reason: carriers.ReasonAbsent, LastPoll: t0.Add(time.Hour), NextDue: t0.Add(2 * time.Hour)}
	failed := ev(50, carriers.StatusDeliveryFailed, "持戻（ご不在）")
	failed.Reason = carriers.ReasonAbsent
	return Update{
		Parcel: p,
		Events: []carriers.Event{
			ev(0, carriers.StatusInTransit, "発送"),
			ev(30, carriers.StatusOutForDelivery, "配達中"),
			failed,
		},
		Outbox: []OutboxEntry{{Key: p.Number + "|failed|50", Kind: "delivery_failed", Number: p.Number, Event: failed}},
	}
}

func TestApplyIsIdempotent(t *testing.T) {
	s, _ := openTemp(t)
	u := failedUpdate()

	first, err := s.Apply(u)
	if err != nil {
		t.Fatalf("first Apply: %v", err)
	}
	if len(first.Events) != 3 || first.Queued != 1 {
		t.Errorf("first Apply = %d events, %d queued; want 3, 1", len(first.Events), first.Queued)
	}
	for i, e := range first.Events {
		if e.Seq != uint64(i+1) || e.Carrier != "yamato" || !e.Seen.Equal(u.Parcel.LastPoll) || e.Event != u.Events[i] {
			t.Errorf("Applied.Events[%d] = %+v; want event %+v with Seq %d", i, e, u.Events[i], i+1)
		}
	}

	second, err := s.Apply(u)
	if err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	if len(second.Events) != 0 || second.Queued != 0 {
		t.Errorf("second Apply = %+v; want nothing added", second)
	}
	if h, _ := s.History(u.Parcel.Number); len(h) != 3 {
		t.Errorf("History has %d events after two Applies, want 3", len(h))
	}
	if ob, _ := s.Outbox(); len(ob) != 1 {
		t.Errorf("Outbox has %d entries after two Applies, want 1", len(ob))
	}
	got, _, _ := s.Parcel(u.Parcel.Number)
	if got.Last == nil || *got.Last != u.Events[len(u.Events)-1] {
		t.Errorf("Parcel.Last = %+v, want the newest event %+v", got.Last, u.Events[len(u.Events)-1])
	}
	got.Last = nil
	if !reflect.DeepEqual(got, u.Parcel) {
		t.Errorf("Parcel = %+v, want %+v", got, u.Parcel)
	}

	// Once sent, the same result never queues the key again.
	if err := s.MarkSent(1, t0.Add(time.Hour)); err != nil {
		t.Fatalf("MarkSent: %v", err)
	}
	third, err := s.Apply(u)
	if err != nil {
		t.Fatalf("third Apply: %v", err)
	}
	if third.Queued != 0 || len(third.Events) != 0 {
		t.Errorf("Apply after MarkSent = %+v; want nothing added", third)
	}
	if ob, _ := s.Outbox(); len(ob) != 0 {
		t.Errorf("Outbox after MarkSent and re-Apply = %v, want empty", keysOf(ob))
	}
}

func TestApplyUpdatesParcelAndAddsOnlyNew(t *testing.T) {
	s, _ := openTemp(t)
	u := failedUpdate()
	if _, err := s.Apply(u); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	delivered := ev(90, carriers.StatusDelivered, "配達完了")
	u2 := u
	u2.Parcel.Status, u2.Parcel.Reason = carriers.StatusDelivered, ""
	u2.Events = append(append([]carriers.Event(nil), u.Events...), delivered)
	u2.Outbox = append(append([]OutboxEntry(nil), u.Outbox...), OutboxEntry{Key: "delivered|90", Kind: "delivered"})
	got, err := s.Apply(u2)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if len(got.Events) != 1 || got.Events[0].Event != delivered || got.Events[0].Seq != 4 || got.Queued != 1 {
		t.Errorf("Apply = %+v; want only 配達完了 (seq 4) and one entry", got)
	}
	p, _, _ := s.Parcel(u.Parcel.Number)
	if p.Status != carriers.StatusDelivered {
		t.Errorf("Parcel.Status = %q, want delivered", p.Status)
	}
}

func TestApplyIsAtomic(t *testing.T) {
	s, _ := openTemp(t)
	u := failedUpdate()
	u.Outbox = append(u.Outbox, OutboxEntry{Kind: "broken"}) // no key: fails the whole Apply
	if _, err := s.Apply(u); err == nil || !strings.Contains(err.Error(), u.Parcel.Number) {
		t.Fatalf("Apply with a keyless entry = %v, want an error naming the parcel", err)
	}
	if _, ok, _ := s.Parcel(u.Parcel.Number); ok {
		t.Error("parcel stored by a failed Apply")
	}
	if h, _ := s.History(u.Parcel.Number); len(h) != 0 {
		t.Errorf("History after a failed Apply = %d events, want 0", len(h))
	}
	if ob, _ := s.Outbox(); len(ob) != 0 {
		t.Errorf("Outbox after a failed Apply = %v, want empty", keysOf(ob))
	}
	if _, err := s.Apply(Update{}); err == nil {
		t.Error("Apply without a parcel number succeeded, want an error")
	}
}

func TestApplySeenDefaultsToNow(t *testing.T) {
	s, _ := openTemp(t)
	before := time.Now()
	got, err := s.Apply(Update{Parcel: Parcel{Number: "1"}, Events: []carriers.Event{ev(0, carriers.StatusInTransit, "x")}})
	if err != nil || len(got.Events) != 1 {
		t.Fatalf("Apply = %+v, %v", got, err)
	}
	if seen := got.Events[0].Seen; seen.Before(before) || seen.After(time.Now()) {
		t.Errorf("Seen = %v, want between %v and now", seen, before)
	}
}

// FuzzApplyIdempotent applies carrier-supplied text (any bytes) twice and
// checks that the second apply adds nothing and history keeps one event
// per distinct event.
func FuzzApplyIdempotent(f *testing.F) {
	s, _ := openTemp(f)
	f.Add("持戻（ご不在）", "川崎中央センター", int64(0), "配達完了", int64(0))
	f.Add("a", "", int64(-1), "a", int64(-1))
	f.Add("\xff\xfe", "\x00", int64(1<<40), "", int64(7))
	var n int
	f.Fuzz(func(t *testing.T, raw1, loc string, d1 int64, raw2 string, d2 int64) {
		n++
		number := fmt.Sprintf("fuzz-%d", n) // one store per fuzz process; a fresh parcel per input
		e1 := carriers.Event{Time: t0.Add(time.Duration(d1)), Status: carriers.StatusInTransit, Raw: raw1, Location: loc}
		e2 := carriers.Event{Time: t0.Add(time.Duration(d2)), Status: carriers.StatusInTransit, Raw: raw2, Location: loc}
		distinct := 2
		if e1.Time.Equal(e2.Time) && raw1 == raw2 {
			distinct = 1
		}
		u := Update{Parcel: Parcel{Number: number, LastPoll: t0}, Events: []carriers.Event{e1, e2, e1},
			Outbox: []OutboxEntry{{Key: number + raw1}, {Key: number + raw2}}}
		first, err := s.Apply(u)
		if err != nil {
			t.Fatalf("Apply: %v", err)
		}
		if len(first.Events) != distinct {
			t.Errorf("first Apply added %d events, want %d", len(first.Events), distinct)
		}
		second, err := s.Apply(u)
		if err != nil {
			t.Fatalf("Apply: %v", err)
		}
		if len(second.Events) != 0 || second.Queued != 0 {
			t.Errorf("second Apply = %+v, want nothing added", second)
		}
		h, err := s.History(number)
		if err != nil || len(h) != distinct {
			t.Errorf("History = %d events, %v; want %d", len(h), err, distinct)
		}
	})
}
