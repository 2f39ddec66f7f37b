package carriers

import (
	"testing"
	"time"
)

func TestInferYear(t *testing.T) {
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, Tokyo) }
	tests := []struct {
		name          string
		now           time.Time
		month         time.Month
		day, hour, mi int
		want          time.Time // zero: an error
	}{
		{"this_year", at(2026, 11, 29, 12, 0), 11, 20, 9, 0, at(2026, 11, 20, 9, 0)},
		// Up to two days ahead is a clock difference (this year); more is last year.
		{"later_today_is_this_year", at(2026, 11, 29, 12, 0), 11, 29, 18, 0, at(2026, 11, 29, 18, 0)},
		{"three_days_ahead_is_last_year", at(2026, 11, 29, 12, 0), 12, 2, 18, 0, at(2025, 12, 2, 18, 0)},
		{"within_skew", at(2026, 11, 29, 12, 0), 11, 29, 12, 5, at(2026, 11, 29, 12, 5)},
		{"december_seen_in_january", at(2027, 1, 2, 10, 0), 12, 31, 23, 10, at(2026, 12, 31, 23, 10)},
		{"feb29_after_non_leap_feb", at(2026, 3, 1, 12, 0), 2, 29, 10, 0, at(2024, 2, 29, 10, 0)},
		{"feb29_in_leap_year", at(2028, 3, 1, 12, 0), 2, 29, 10, 0, at(2028, 2, 29, 10, 0)},
		{"feb29_before_leap_day", at(2028, 2, 25, 12, 0), 2, 29, 10, 0, at(2024, 2, 29, 10, 0)},
		{"feb29_on_jan_1", at(2025, 1, 1, 0, 0), 2, 29, 0, 0, at(2024, 2, 29, 0, 0)},
		{"hour_24", at(2026, 11, 29, 12, 0), 2, 28, 24, 0, at(2026, 3, 1, 0, 0)},
		{"april_31", at(2026, 11, 29, 12, 0), 4, 31, 10, 0, time.Time{}},
		{"feb30", at(2026, 11, 29, 12, 0), 2, 30, 10, 0, time.Time{}},
		{"month_13", at(2026, 11, 29, 12, 0), 13, 1, 10, 0, time.Time{}},
		{"minute_60", at(2026, 11, 29, 12, 0), 1, 1, 10, 60, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := InferYear(tt.now, tt.month, tt.day, tt.hour, tt.mi, Tokyo)
			if tt.want.IsZero() {
				if err == nil {
					t.Errorf("InferYear = %v, want an error", got)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("InferYear = %v, %v; want %v", got, err, tt.want)
			}
			if got.After(tt.now.Add(48 * time.Hour)) {
				t.Errorf("InferYear = %v, in the future of %v", got, tt.now)
			}
		})
	}
}
