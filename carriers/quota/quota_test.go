package quota

import (
	"testing"
	"time"
)

var tokyo = time.FixedZone("JST", 9*60*60)

func TestAllow(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		zone  *time.Location
		calls []time.Time // all but the last are allowed
		next  time.Time   // when the last, refused call may retry
	}{
		{
			name: "limit reached in one UTC day", limit: 3,
			calls: []time.Time{
				time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC),
				time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC),
				time.Date(2026, 12, 2, 23, 59, 0, 0, time.UTC),
				time.Date(2026, 12, 2, 23, 59, 59, 0, time.UTC),
			},
			next: time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC),
		},
		{
			// 08:59 JST is still the previous UTC day: the UTC reset
			// falls at 09:00 in Tokyo.
			name: "UTC day seen from Tokyo", limit: 1,
			calls: []time.Time{
				time.Date(2026, 12, 2, 8, 0, 0, 0, tokyo),
				time.Date(2026, 12, 2, 8, 59, 0, 0, tokyo),
			},
			next: time.Date(2026, 12, 2, 9, 0, 0, 0, tokyo),
		},
		{
			name: "Tokyo day", limit: 1, zone: tokyo,
			calls: []time.Time{
				time.Date(2026, 12, 2, 8, 0, 0, 0, tokyo),
				time.Date(2026, 12, 2, 23, 0, 0, 0, tokyo),
			},
			next: time.Date(2026, 12, 3, 0, 0, 0, 0, tokyo),
		},
		{
			name: "zero limit", limit: 0,
			calls: []time.Time{time.Date(2026, 12, 31, 10, 0, 0, 0, time.UTC)},
			next:  time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := &Daily{Limit: tc.limit, Zone: tc.zone}
			for i, now := range tc.calls {
				ok, next := d.Allow(now)
				last := i == len(tc.calls)-1
				if ok == last {
					t.Fatalf("call %d at %v: ok = %v, want %v", i, now, ok, !last)
				}
				if last && !next.Equal(tc.next) {
					t.Errorf("next = %v, want %v", next, tc.next)
				}
			}
		})
	}
}

func TestNewDayRenews(t *testing.T) {
	d := &Daily{Limit: 2}
	day1 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	for range 2 {
		if ok, _ := d.Allow(day1); !ok {
			t.Fatal("refused within the limit")
		}
	}
	if ok, _ := d.Allow(day1); ok {
		t.Fatal("allowed past the limit")
	}
	day2 := day1.Add(24 * time.Hour)
	if got := d.Remaining(day2); got != 2 {
		t.Errorf("remaining on the next day = %d, want 2", got)
	}
	if ok, _ := d.Allow(day2); !ok {
		t.Error("refused on the next day")
	}
	if got := d.Used(day2); got != 1 {
		t.Errorf("used = %d, want 1", got)
	}
}

func TestExhaust(t *testing.T) {
	d := &Daily{Limit: 250}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	d.Allow(now)
	next := d.Exhaust(now)
	if want := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC); !next.Equal(want) {
		t.Errorf("Exhaust = %v, want %v", next, want)
	}
	if ok, _ := d.Allow(now.Add(time.Hour)); ok {
		t.Error("allowed after Exhaust")
	}
	if d.Remaining(now) != 0 {
		t.Errorf("remaining = %d, want 0", d.Remaining(now))
	}
}

// TestPersist saves a count, loads it into a new Daily (a restart) and
// checks that spent calls stay spent that day and are renewed the next.
func TestPersist(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	d := &Daily{Limit: 250}
	for range 249 {
		d.Allow(now)
	}
	data, err := d.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	r := &Daily{Limit: 250}
	if err := r.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if ok, _ := r.Allow(now); !ok {
		t.Fatal("the 250th call was refused after a restart")
	}
	if ok, _ := r.Allow(now); ok {
		t.Fatal("the 251st call was allowed after a restart")
	}
	tomorrow := &Daily{Limit: 250}
	if err := tomorrow.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	if got := tomorrow.Remaining(now.Add(24 * time.Hour)); got != 250 {
		t.Errorf("remaining the next day = %d, want 250", got)
	}
}

func TestClockSetBack(t *testing.T) {
	d := &Daily{Limit: 1}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	d.Allow(now)
	if ok, _ := d.Allow(now.Add(-48 * time.Hour)); ok {
		t.Error("a clock set back two days renewed the allowance")
	}
}

func TestUnmarshalBad(t *testing.T) {
	for _, in := range []string{`{`, `{"v":2,"day":"2026-12-02","used":1}`, `{"v":1,"day":"2026-13-02","used":1}`, `{"v":1,"day":"2026-12-02","used":-1}`} {
		d := &Daily{Limit: 1}
		if err := d.UnmarshalBinary([]byte(in)); err == nil {
			t.Errorf("UnmarshalBinary(%s) accepted", in)
		}
	}
	d := &Daily{Limit: 1}
	if err := d.UnmarshalBinary(nil); err != nil {
		t.Errorf("empty: %v", err)
	}
}

func TestConcurrent(t *testing.T) {
	d := &Daily{Limit: 100}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	allowed := make(chan bool, 400)
	done := make(chan struct{})
	for range 4 {
		go func() {
			for range 100 {
				ok, _ := d.Allow(now)
				allowed <- ok
			}
			done <- struct{}{}
		}()
	}
	for range 4 {
		<-done
	}
	close(allowed)
	n := 0
	for ok := range allowed {
		if ok {
			n++
		}
	}
	if n != 100 {
		t.Errorf("%d calls allowed, want 100", n)
	}
}

func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte(`{"v":1,"day":"2026-12-02","used":17}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := &Daily{Limit: 10}
		if err := d.UnmarshalBinary(data); err != nil {
			return
		}
		now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
		if r := d.Remaining(now); r < 0 || r > 10 {
			t.Fatalf("remaining %d outside 0..10", r)
		}
		out, err := d.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Daily
		if err := back.UnmarshalBinary(out); err != nil {
			t.Fatalf("round trip: %v", err)
		}
	})
}
