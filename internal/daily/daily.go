// Package daily handles times of day ("07:00") and daily windows
// ("22:00"–"07:00", which may wrap midnight) in a time zone: the night
// without polls, and the quiet hours without pushes.
package daily

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseClock returns the minutes after midnight of "H:MM" or "HH:MM"
// (00:00 to 23:59).
func ParseClock(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(m) != 2 || len(h) < 1 || len(h) > 2 {
		return 0, fmt.Errorf("time of day %q: want HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, fmt.Errorf("time of day %q: want HH:MM", s)
	}
	return hh*60 + mm, nil
}

// Window is a daily period from Start (inclusive) to End (exclusive),
// both "HH:MM". It wraps midnight when End is before Start. A window with
// both times empty, or with Start equal to End, is empty.
type Window struct {
	Start, End string
}

// Validate checks both times; an empty window is valid.
func (w Window) Validate() error {
	if w.Start == "" && w.End == "" {
		return nil
	}
	if w.Start == "" || w.End == "" {
		return fmt.Errorf("window %q–%q: set both start and end, or neither", w.Start, w.End)
	}
	if _, err := ParseClock(w.Start); err != nil {
		return err
	}
	_, err := ParseClock(w.End)
	return err
}

// Until reports whether t falls in the window, read on the wall clock of
// loc, and if so when the window ends. The end is built with time.Date,
// so a daylight-saving change in loc does not shift it. An invalid or
// empty window contains nothing.
func (w Window) Until(t time.Time, loc *time.Location) (time.Time, bool) {
	start, err1 := ParseClock(w.Start)
	end, err2 := ParseClock(w.End)
	if err1 != nil || err2 != nil || start == end {
		return time.Time{}, false
	}
	t = t.In(loc)
	m := t.Hour()*60 + t.Minute()
	at := func(days int) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day()+days, end/60, end%60, 0, 0, loc)
	}
	if start < end { // e.g. 01:00–06:00
		if m >= start && m < end {
			return at(0), true
		}
		return time.Time{}, false
	}
	switch { // wraps midnight, e.g. 22:00–07:00
	case m >= start:
		return at(1), true
	case m < end:
		return at(0), true
	}
	return time.Time{}, false
}
