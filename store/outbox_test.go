package store

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

func keysOf(entries []OutboxEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Key)
	}
	return out
}

func TestEnqueueDedup(t *testing.T) {
	s, _ := openTemp(t)
	for _, tc := range []struct {
		name    string
		entries []OutboxEntry
		want    int
	}{
		{"two new", []OutboxEntry{{Key: "a"}, {Key: "b"}}, 2},
		{"same again", []OutboxEntry{{Key: "a"}, {Key: "b"}}, 0},
		{"repeat within one call", []OutboxEntry{{Key: "c"}, {Key: "c"}}, 1},
		{"nothing", nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := s.Enqueue(tc.entries...)
			if err != nil || n != tc.want {
				t.Errorf("Enqueue = %d, %v; want %d, nil", n, err, tc.want)
			}
		})
	}
	ob, err := s.Outbox()
	if err != nil {
		t.Fatalf("Outbox: %v", err)
	}
	if got, want := keysOf(ob), []string{"a", "b", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Outbox keys = %v, want %v", got, want)
	}
	for i, e := range ob {
		if e.ID != uint64(i+1) {
			t.Errorf("Outbox[%d].ID = %d, want %d", i, e.ID, i+1)
		}
	}

	// An empty key fails the whole call: nothing of it is added.
	if n, err := s.Enqueue(OutboxEntry{Key: "d"}, OutboxEntry{}); err == nil || n != 0 {
		t.Errorf("Enqueue with an empty key = %d, %v; want 0 and an error", n, err)
	}
	if ob, _ := s.Outbox(); len(ob) != 3 {
		t.Errorf("after a failed Enqueue the outbox has %v, want a, b, c only", keysOf(ob))
	}
}

func TestEnqueueRoundTrip(t *testing.T) {
	s, _ := openTemp(t)
	in := OutboxEntry{
		ID: 999, Key: "123|delivery_failed|x", Kind: "delivery_failed", Number: "123", Carrier: "yamato", Label: "lens",
		Event:    carriers.Event{Time: t0, Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent, Raw: "持戻", Location: "川崎"},
		Office:   carriers.Office{Name: "川崎", Phone: "044"},
		Deadline: t0.Add(7 * 24 * time.Hour), Text: "text", Created: t0, NotBefore: t0.Add(time.Minute),
		Attempts: 2, LastError: "503",
	}
	if _, err := s.Enqueue(in); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	ob, err := s.Outbox()
	if err != nil || len(ob) != 1 {
		t.Fatalf("Outbox = %v, %v; want one entry", ob, err)
	}
	want := in
	want.ID = 1 // assigned by the store, the caller's ID ignored
	if !reflect.DeepEqual(ob[0], want) {
		t.Errorf("Outbox[0]\n got %+v\nwant %+v", ob[0], want)
	}
}

func TestPendingAndNextPending(t *testing.T) {
	s, _ := openTemp(t)
	if next, ok, err := s.NextPending(); ok || err != nil || !next.IsZero() {
		t.Errorf("NextPending on an empty outbox = %v, %v, %v; want zero, false, nil", next, ok, err)
	}
	if _, err := s.Enqueue(
		OutboxEntry{Key: "later", NotBefore: t0.Add(time.Hour)},
		OutboxEntry{Key: "ready-1", NotBefore: t0.Add(-time.Minute)},
		OutboxEntry{Key: "ready-now", NotBefore: t0},
		OutboxEntry{Key: "ready-zero"},
		OutboxEntry{Key: "soon", NotBefore: t0.Add(time.Minute)},
	); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	for _, tc := range []struct {
		name  string
		now   time.Time
		limit int
		want  []string
	}{
		{"all ready, no limit", t0, 0, []string{"ready-1", "ready-now", "ready-zero"}},
		{"limit 2", t0, 2, []string{"ready-1", "ready-now"}},
		{"limit above count", t0, 10, []string{"ready-1", "ready-now", "ready-zero"}},
		{"later on", t0.Add(2 * time.Hour), -1, []string{"later", "ready-1", "ready-now", "ready-zero", "soon"}},
		{"long before", t0.Add(-time.Hour), 0, []string{"ready-zero"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Pending(tc.now, tc.limit)
			if err != nil || !reflect.DeepEqual(keysOf(got), tc.want) {
				t.Errorf("Pending = %v, %v; want %v", keysOf(got), err, tc.want)
			}
		})
	}
	next, ok, err := s.NextPending()
	if err != nil || !ok || !next.IsZero() {
		t.Errorf("NextPending = %v, %v, %v; want zero time (ready-zero), true", next, ok, err)
	}
	// Without the zero entry the earliest is ready-1.
	ob, _ := s.Outbox()
	if err := s.MarkSent(ob[3].ID, t0); err != nil {
		t.Fatalf("MarkSent: %v", err)
	}
	next, ok, err = s.NextPending()
	if want := t0.Add(-time.Minute); err != nil || !ok || !next.Equal(want) {
		t.Errorf("NextPending = %v, %v, %v; want %v, true", next, ok, err, want)
	}
}

func TestMarkSentMovesKeyToLedger(t *testing.T) {
	s, _ := openTemp(t)
	if _, err := s.Enqueue(OutboxEntry{Key: "k"}, OutboxEntry{Key: "other"}); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	if err := s.MarkSent(1, t0); err != nil {
		t.Fatalf("MarkSent: %v", err)
	}
	le, ok, err := s.Sent("k")
	if want := (LedgerEntry{Key: "k", At: t0}); err != nil || !ok || !reflect.DeepEqual(le, want) {
		t.Errorf("Sent(k) = %+v, %v, %v; want %+v", le, ok, err, want)
	}
	if ob, _ := s.Outbox(); !reflect.DeepEqual(keysOf(ob), []string{"other"}) {
		t.Errorf("Outbox after MarkSent = %v, want [other]", keysOf(ob))
	}
	if n, err := s.Enqueue(OutboxEntry{Key: "k"}); n != 0 || err != nil {
		t.Errorf("re-Enqueue of a sent key = %d, %v; want 0, nil", n, err)
	}
	if err := s.MarkSent(1, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("second MarkSent = %v, want ErrNotFound", err)
	}
	if _, ok, err := s.Sent("never"); ok || err != nil {
		t.Errorf("Sent(never) = _, %v, %v; want false, nil", ok, err)
	}
}

func TestMarkFailedIsFinal(t *testing.T) {
	s, _ := openTemp(t)
	if _, err := s.Enqueue(OutboxEntry{Key: "k"}); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	if err := s.MarkFailed(1, t0, "400 invalid user"); err != nil {
		t.Fatalf("MarkFailed: %v", err)
	}
	le, ok, err := s.Sent("k")
	if want := (LedgerEntry{Key: "k", At: t0, Failed: true, Reason: "400 invalid user"}); err != nil || !ok || !reflect.DeepEqual(le, want) {
		t.Errorf("Sent(k) = %+v, %v, %v; want %+v", le, ok, err, want)
	}
	if ob, _ := s.Outbox(); len(ob) != 0 {
		t.Errorf("Outbox after MarkFailed = %v, want empty", keysOf(ob))
	}
	if n, _ := s.Enqueue(OutboxEntry{Key: "k"}); n != 0 {
		t.Errorf("re-Enqueue of a failed key added %d, want 0", n)
	}
	if err := s.MarkFailed(7, t0, "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("MarkFailed(unknown) = %v, want ErrNotFound", err)
	}
}

func TestReschedule(t *testing.T) {
	s, _ := openTemp(t)
	if _, err := s.Enqueue(OutboxEntry{Key: "k", NotBefore: t0}); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	for i, next := range []time.Time{t0.Add(5 * time.Second), t0.Add(15 * time.Second)} {
		if err := s.Reschedule(1, next, "503"); err != nil {
			t.Fatalf("Reschedule: %v", err)
		}
		ob, _ := s.Outbox()
		if len(ob) != 1 || ob[0].Attempts != i+1 || !ob[0].NotBefore.Equal(next) || ob[0].LastError != "503" {
			t.Errorf("after Reschedule %d: %+v; want Attempts %d, NotBefore %v, LastError 503", i+1, ob, i+1, next)
		}
	}
	if got, _ := s.Pending(t0.Add(10*time.Second), 0); len(got) != 0 {
		t.Errorf("Pending before the new NotBefore = %v, want none", keysOf(got))
	}
	if n, _ := s.Enqueue(OutboxEntry{Key: "k"}); n != 0 {
		t.Errorf("Enqueue of a rescheduled key added %d, want 0", n)
	}
	if err := s.Reschedule(42, t0, ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("Reschedule(unknown) = %v, want ErrNotFound", err)
	}
}
