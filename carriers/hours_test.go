package carriers

import (
	"testing"
	"time"
)

func hoursJST(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, Tokyo)
}

func TestIsHoliday(t *testing.T) {
	// The 2026 and 2025 holiday calendars (内閣府「国民の祝日」).
	holidays := []time.Time{
		hoursJST(2026, 1, 1, 12, 0), hoursJST(2026, 1, 12, 12, 0), hoursJST(2026, 2, 11, 12, 0), hoursJST(2026, 2, 23, 12, 0),
		hoursJST(2026, 3, 20, 12, 0), hoursJST(2026, 4, 29, 12, 0), hoursJST(2026, 5, 3, 12, 0), hoursJST(2026, 5, 4, 12, 0),
		hoursJST(2026, 5, 5, 12, 0),
		hoursJST(2026, 5, 6, 12, 0), // 振替休日: 5/3 is a Sunday
		hoursJST(2026, 7, 20, 12, 0), hoursJST(2026, 8, 11, 12, 0), hoursJST(2026, 9, 21, 12, 0),
		hoursJST(2026, 9, 22, 12, 0), // 国民の休日 between 敬老の日 and 秋分の日
		hoursJST(2026, 9, 23, 12, 0), hoursJST(2026, 10, 12, 12, 0), hoursJST(2026, 11, 3, 12, 0), hoursJST(2026, 11, 23, 12, 0),
		hoursJST(2025, 11, 24, 12, 0), // 振替休日: 2025-11-23 is a Sunday
		hoursJST(2025, 2, 24, 12, 0),  // 振替休日: 2025-02-23 is a Sunday
		hoursJST(2025, 9, 23, 12, 0), hoursJST(2025, 3, 20, 12, 0),
	}
	for _, d := range holidays {
		if !IsHoliday(d) {
			t.Errorf("IsHoliday(%s) = false, want true", d.Format("2006-01-02 Mon"))
		}
	}
	workdays := []time.Time{
		hoursJST(2026, 1, 2, 12, 0), hoursJST(2026, 5, 7, 12, 0), hoursJST(2026, 9, 24, 12, 0), hoursJST(2026, 11, 24, 12, 0),
		hoursJST(2026, 12, 23, 12, 0), hoursJST(2026, 3, 19, 12, 0), hoursJST(2025, 9, 22, 12, 0),
	}
	for _, d := range workdays {
		if IsHoliday(d) {
			t.Errorf("IsHoliday(%s) = true, want false", d.Format("2006-01-02 Mon"))
		}
	}
	// The date is taken in Tokyo: 2026-11-22 15:00 UTC is 11-23 00:00 JST.
	if !IsHoliday(time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("a UTC time on a Tokyo holiday is not a holiday")
	}
}

func TestHoursOpenAt(t *testing.T) {
	everyDay := Hours{Weekday: "08:00-21:00"}
	jp := Hours{Weekday: "08:00-21:00", Saturday: "09:00-21:00", Sunday: "09:00-21:00", Holiday: "09:00-21:00"}
	weekdays := Hours{Weekday: "09:00-17:00", Saturday: "closed", Sunday: "closed", Holiday: "closed"}
	tests := []struct {
		name     string
		h        Hours
		at       time.Time
		open     bool
		nextOpen time.Time
	}{
		{"open", everyDay, hoursJST(2026, 11, 24, 8, 0), true, time.Time{}},
		{"closing minute", everyDay, hoursJST(2026, 11, 24, 21, 0), false, hoursJST(2026, 11, 25, 8, 0)},
		{"before opening", everyDay, hoursJST(2026, 11, 24, 7, 59), false, hoursJST(2026, 11, 24, 8, 0)},
		{"holiday hours", jp, hoursJST(2026, 11, 23, 8, 30), false, hoursJST(2026, 11, 23, 9, 0)},
		{"weekday hours", jp, hoursJST(2026, 11, 24, 8, 30), true, time.Time{}},
		{"friday night to monday", weekdays, hoursJST(2026, 11, 20, 18, 0), false, hoursJST(2026, 11, 24, 9, 0)}, // Mon 11/23 is a holiday
		{"24h", Hours{Weekday: "24h"}, hoursJST(2026, 11, 24, 3, 0), true, time.Time{}},
		{"never", Hours{Weekday: "closed"}, hoursJST(2026, 11, 24, 3, 0), false, time.Time{}},
		{"unknown", Hours{}, hoursJST(2026, 11, 24, 12, 0), false, time.Time{}},
		{"utc input", everyDay, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), true, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			open, next := tt.h.OpenAt(tt.at)
			if open != tt.open || !next.Equal(tt.nextOpen) {
				t.Errorf("OpenAt(%s) = %v, %v; want %v, %v", tt.at, open, next, tt.open, tt.nextOpen)
			}
		})
	}
}

func TestHoursString(t *testing.T) {
	tests := []struct {
		h      Hours
		ja, en string
	}{
		{Hours{Weekday: "08:00-21:00", Saturday: "08:00-21:00", Sunday: "08:00-21:00", Holiday: "08:00-21:00"}, "8:00–21:00（年中無休）", "8:00–21:00 daily"},
		// Only weekday hours known: no claim about weekends.
		{Hours{Weekday: "08:00-21:00"}, "8:00–21:00", "8:00–21:00"},
		{Hours{Weekday: "08:00-21:00", Saturday: "09:00-21:00", Sunday: "09:00-21:00", Holiday: "09:00-21:00"},
			"平日8:00–21:00、土日祝9:00–21:00", "weekdays 8:00–21:00, weekends/holidays 9:00–21:00"},
		{Hours{Weekday: "24h"}, "24時間", "24h"},
		{Hours{Weekday: "24h", Saturday: "24h", Sunday: "24h", Holiday: "24h"}, "24時間（年中無休）", "24h daily"},
		{Hours{}, "", ""},
	}
	for _, tt := range tests {
		if got := tt.h.String("ja"); got != tt.ja {
			t.Errorf("String(ja) = %q, want %q", got, tt.ja)
		}
		if got := tt.h.String("en"); got != tt.en {
			t.Errorf("String(en) = %q, want %q", got, tt.en)
		}
	}
}
