package daily

import (
	"testing"
	"time"
)

func TestParseClock(t *testing.T) {
	for s, want := range map[string]int{"00:00": 0, "7:05": 425, "23:59": 1439, " 22:00 ": 1320} {
		if got, err := ParseClock(s); err != nil || got != want {
			t.Errorf("ParseClock(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "24:00", "7", "07:5", "ab:cd", "-1:00", "12:60", "123:00"} {
		if _, err := ParseClock(s); err == nil {
			t.Errorf("ParseClock(%q) accepted", s)
		}
	}
}

func TestWindowUntil(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	day := func(h, m int) time.Time { return time.Date(2026, 12, 1, h, m, 0, 0, tokyo) }
	next := func(h, m int) time.Time { return time.Date(2026, 12, 2, h, m, 0, 0, tokyo) }
	night := Window{"22:00", "07:00"}
	early := Window{"01:00", "05:00"}
	cases := []struct {
		name string
		w    Window
		at   time.Time
		in   bool
		end  time.Time
	}{
		{"before a wrapping window", night, day(21, 59), false, time.Time{}},
		{"start is inside", night, day(22, 0), true, next(7, 0)},
		{"after midnight", night, day(3, 0), true, day(7, 0)},
		{"end is outside", night, day(7, 0), false, time.Time{}},
		{"inside a plain window", early, day(4, 59), true, day(5, 0)},
		{"after a plain window", early, day(5, 0), false, time.Time{}},
		{"empty", Window{}, day(3, 0), false, time.Time{}},
		{"start equals end", Window{"07:00", "07:00"}, day(7, 0), false, time.Time{}},
		{"other zone", night, time.Date(2026, 12, 1, 13, 30, 0, 0, time.UTC), true, next(7, 0)}, // 22:30 in Tokyo
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			end, in := tc.w.Until(tc.at, tokyo)
			if in != tc.in || !end.Equal(tc.end) {
				t.Errorf("Until(%v) = %v, %v; want %v, %v", tc.at, end, in, tc.end, tc.in)
			}
		})
	}
}

func TestWindowValidate(t *testing.T) {
	for w, ok := range map[Window]bool{{}: true, {"22:00", "07:00"}: true, {"22:00", ""}: false, {"25:00", "07:00"}: false} {
		if err := w.Validate(); (err == nil) != ok {
			t.Errorf("%+v.Validate() = %v", w, err)
		}
	}
}
