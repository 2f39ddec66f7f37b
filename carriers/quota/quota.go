// Package quota counts calls against a daily allowance, such as the 250
// calls a day of DHL's free Shipment Tracking level, so that an adapter
// never spends calls the vendor would refuse and the count survives a
// restart.
//
// # Basics
//
// A [Daily] counts the calls made since the start of the current day in
// its Zone. [Daily.Allow] spends one call when some are left, and
// otherwise says when the next day begins. The count is saved as a few
// bytes with [Daily.MarshalBinary] and read back with
// [Daily.UnmarshalBinary]; the caller keeps them wherever it keeps state
// (todoku's store). A count saved on an earlier day reads back as zero.
//
// # Caveats
//
// DHL documents that the quota resets at 00:00 GMT, so its Daily uses
// time.UTC (shared/research/more-carriers.md, "Limits", from DHL's
// developer support FAQ). A vendor's own counter may differ from ours
// (calls made by another program with the same key, a clock that is off):
// when the vendor says the quota is spent, call [Daily.Exhaust] so that no
// further call is made that day.
package quota

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// Daily is a per-day call allowance. The zero value with Limit set is
// ready to use; a Daily must not be copied after first use.
type Daily struct {
	// Limit is the number of calls allowed per day. A Limit of 0 or less
	// allows nothing.
	Limit int
	// Zone is where the day starts; nil means UTC.
	Zone *time.Location

	mu   sync.Mutex
	day  string // YYYY-MM-DD in Zone of the count below
	used int
}

// state is the saved form of a Daily's count.
type state struct {
	Version int    `json:"v"`
	Day     string `json:"day"`
	Used    int    `json:"used"`
}

const stateVersion = 1

func (d *Daily) zone() *time.Location {
	if d.Zone == nil {
		return time.UTC
	}
	return d.Zone
}

// dayKey returns the day now falls on in the zone.
func (d *Daily) dayKey(now time.Time) string { return now.In(d.zone()).Format(time.DateOnly) }

// roll resets the count when now is on a later day than the count. A
// count dated after now (the clock was set back) is kept: the vendor's
// counter did not go back with it. The caller holds mu.
func (d *Daily) roll(now time.Time) {
	if k := d.dayKey(now); k > d.day {
		d.day, d.used = k, 0
	}
}

// NextDay returns the start of the day after the one now falls on, in the
// zone: when a spent allowance is renewed.
func (d *Daily) NextDay(now time.Time) time.Time {
	t := now.In(d.zone())
	y, m, day := t.Date()
	return time.Date(y, m, day+1, 0, 0, 0, 0, d.zone())
}

// Allow spends one call of today's allowance. It returns true when a call
// was left; otherwise false and the time the allowance is renewed.
func (d *Daily) Allow(now time.Time) (ok bool, next time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.roll(now)
	if d.used >= d.Limit {
		return false, d.NextDay(now)
	}
	d.used++
	return true, time.Time{}
}

// Remaining returns how many calls are left today.
func (d *Daily) Remaining(now time.Time) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.roll(now)
	return max(d.Limit-d.used, 0)
}

// Used returns how many calls were spent today.
func (d *Daily) Used(now time.Time) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.roll(now)
	return d.used
}

// Exhaust marks today's allowance as spent (the vendor said so) and
// returns when it is renewed.
func (d *Daily) Exhaust(now time.Time) time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.roll(now)
	if d.used < d.Limit {
		d.used = d.Limit
	}
	return d.NextDay(now)
}

// MarshalBinary returns the count to save: a small JSON object with the
// day and the calls spent on it.
func (d *Daily) MarshalBinary() ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return json.Marshal(state{Version: stateVersion, Day: d.day, Used: d.used})
}

// UnmarshalBinary restores a count saved by MarshalBinary. Limit and Zone
// are left as they are. Empty data is a fresh count.
func (d *Daily) UnmarshalBinary(data []byte) error {
	var s state
	if len(data) > 0 {
		if err := json.Unmarshal(data, &s); err != nil {
			return fmt.Errorf("quota: read saved count: %w", err)
		}
		if s.Version != stateVersion {
			return fmt.Errorf("quota: saved count has version %d, want %d", s.Version, stateVersion)
		}
		if s.Used < 0 {
			return fmt.Errorf("quota: saved count %d is negative", s.Used)
		}
		if s.Day != "" {
			if _, err := time.Parse(time.DateOnly, s.Day); err != nil {
				return fmt.Errorf("quota: saved day %q: %w", s.Day, err)
			}
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.day, d.used = s.Day, s.Used
	return nil
}
