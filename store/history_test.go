package store

import (
	"bytes"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

func TestHistoryOrderWithEqualTimes(t *testing.T) {
	s, _ := openTemp(t)
	p := Parcel{Number: "123", Carrier: "sagawa", LastPoll: t0.Add(time.Hour)}
	// Given out of order; three share one time and must keep the order
	// they were stored in.
	first := []carriers.Event{
		ev(30, carriers.StatusOutForDelivery, "配達中"),
		ev(10, carriers.StatusInTransit, "輸送中 A"),
		ev(10, carriers.StatusInTransit, "輸送中 B"),
		ev(0, carriers.StatusInfoReceived, "集荷"),
	}
	if _, err := s.Apply(Update{Parcel: p, Events: first}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	// A later poll adds a third event at the same minute and one later.
	second := append(first, ev(10, carriers.StatusInTransit, "輸送中 C"), ev(40, carriers.StatusAwaitingPickup, "保管中"))
	applied, err := s.Apply(Update{Parcel: p, Events: second})
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if got := rawOf(applied.Events); !reflect.DeepEqual(got, []string{"輸送中 C", "保管中"}) {
		t.Errorf("second Apply added %v, want [輸送中 C 保管中]", got)
	}

	h, err := s.History("123")
	if err != nil {
		t.Fatalf("History: %v", err)
	}
	want := []string{"集荷", "輸送中 A", "輸送中 B", "輸送中 C", "配達中", "保管中"}
	if got := rawOf(h); !reflect.DeepEqual(got, want) {
		t.Errorf("History raw = %v, want %v", got, want)
	}
	for i := 1; i < len(h); i++ {
		a, b := h[i-1], h[i]
		if b.Time.Before(a.Time) || (b.Time.Equal(a.Time) && b.Seq <= a.Seq) {
			t.Errorf("History[%d] (%v seq %d) sorts before History[%d] (%v seq %d)", i, b.Time, b.Seq, i-1, a.Time, a.Seq)
		}
	}
	for _, e := range h {
		if e.Carrier != "sagawa" || !e.Seen.Equal(p.LastPoll) {
			t.Errorf("event %q: Carrier %q Seen %v, want sagawa and %v", e.Raw, e.Carrier, e.Seen, p.LastPoll)
		}
	}
}

func TestHistoryUnknownParcel(t *testing.T) {
	s, _ := openTemp(t)
	h, err := s.History("nope")
	if err != nil || len(h) != 0 {
		t.Errorf("History(unknown) = %v, %v; want empty, nil", h, err)
	}
}

func TestEventFingerprintFields(t *testing.T) {
	base := carriers.Event{Time: t0, Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent, Raw: "持戻（ご不在）", Location: "川崎"}
	tokyo := base
	tokyo.Time = t0.In(carriers.Tokyo)
	if !bytes.Equal(fingerprint(base), fingerprint(tokyo)) {
		t.Error("the same instant in another zone has a different fingerprint, want equal")
	}
	for _, tc := range []struct {
		name   string
		change func(*carriers.Event)
	}{
		{"time", func(e *carriers.Event) { e.Time = e.Time.Add(time.Nanosecond) }},
		{"status", func(e *carriers.Event) { e.Status = carriers.StatusException }},
		{"reason", func(e *carriers.Event) { e.Reason = carriers.ReasonNoAccess }},
		{"raw", func(e *carriers.Event) { e.Raw += " " }},
		{"location", func(e *carriers.Event) { e.Location = "" }},
		{"raw/location boundary", func(e *carriers.Event) { e.Raw, e.Location = "持戻（ご不在）川", "崎" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := base
			tc.change(&e)
			if bytes.Equal(fingerprint(base), fingerprint(e)) {
				t.Errorf("changing %s kept the fingerprint", tc.name)
			}
		})
	}
}

func TestEventKeyClamps(t *testing.T) {
	for _, tc := range []struct {
		name string
		t    time.Time
		want uint64
	}{
		{"zero time", time.Time{}, 0},
		{"before 1970", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{"epoch", time.Unix(0, 0), 0},
		{"ordinary", t0, uint64(t0.UnixNano())},
		{"after 2262", time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), math.MaxInt64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := timeKey(tc.t); got != tc.want {
				t.Errorf("timeKey(%v) = %d, want %d", tc.t, got, tc.want)
			}
		})
	}
}

// FuzzEventKeyOrder checks that byte order of history keys is time order,
// with seq breaking ties.
func FuzzEventKeyOrder(f *testing.F) {
	f.Add(int64(1_700_000_000_000_000_000), uint64(1), int64(1_700_000_000_000_000_000), uint64(2))
	f.Add(int64(1), uint64(9), int64(256), uint64(1))
	f.Add(int64(-5), uint64(1), int64(0), uint64(1))
	f.Fuzz(func(t *testing.T, n1 int64, s1 uint64, n2 int64, s2 uint64) {
		if n1 < 0 || n2 < 0 { // clamped region: order by seq only, checked in TestEventKeyClamps
			return
		}
		t1, t2 := time.Unix(0, n1), time.Unix(0, n2)
		k1, k2 := eventKey(t1, s1), eventKey(t2, s2)
		want := 0
		switch {
		case t1.Before(t2), t1.Equal(t2) && s1 < s2:
			want = -1
		case t1.After(t2), t1.Equal(t2) && s1 > s2:
			want = 1
		}
		if got := bytes.Compare(k1, k2); got != want {
			t.Errorf("compare(key(%v,%d), key(%v,%d)) = %d, want %d", t1, s1, t2, s2, got, want)
		}
	})
}

func rawOf(events []StoredEvent) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Raw)
	}
	return out
}
