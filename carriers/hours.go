package carriers

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Hours are a phone line's opening hours in Asia/Tokyo. Each field is
// "HH:MM-HH:MM", "24h" or "closed". Saturday, Sunday and Holiday default
// to Weekday when empty (for "open now"), but String claims a line is open
// every day only when they are all given. A national holiday uses Holiday.
type Hours struct {
	Weekday  string `yaml:"weekday" json:"weekday"`
	Saturday string `yaml:"saturday,omitempty" json:"saturday,omitempty"`
	Sunday   string `yaml:"sunday,omitempty" json:"sunday,omitempty"`
	Holiday  string `yaml:"holiday,omitempty" json:"holiday,omitempty"`
}

// openSpan is an opening period in minutes after midnight; closed when open == close == -1.
type openSpan struct{ open, close int }

var closedSpan = openSpan{-1, -1}

func parseSpan(s string) (openSpan, error) {
	switch strings.TrimSpace(s) {
	case "closed":
		return closedSpan, nil
	case "24h":
		return openSpan{0, 24 * 60}, nil
	}
	a, b, ok := strings.Cut(strings.ReplaceAll(s, "–", "-"), "-")
	if !ok {
		return openSpan{}, fmt.Errorf("carriers: hours %q: want HH:MM-HH:MM, 24h or closed", s)
	}
	o, err := parseClock(a)
	if err != nil {
		return openSpan{}, fmt.Errorf("carriers: hours %q: %w", s, err)
	}
	c, err := parseClock(b)
	if err != nil {
		return openSpan{}, fmt.Errorf("carriers: hours %q: %w", s, err)
	}
	if c <= o {
		return openSpan{}, fmt.Errorf("carriers: hours %q: closing time must follow opening time", s)
	}
	return openSpan{o, c}, nil
}

func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return 0, fmt.Errorf("bad time %q", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return hh*60 + mm, nil
}

// Validate checks every field.
func (h Hours) Validate() error {
	if h.Weekday == "" {
		return fmt.Errorf("carriers: hours: weekday is required")
	}
	for _, s := range []string{h.Weekday, h.Saturday, h.Sunday, h.Holiday} {
		if s == "" {
			continue
		}
		if _, err := parseSpan(s); err != nil {
			return err
		}
	}
	return nil
}

// IsZero reports whether no hours are known.
func (h Hours) IsZero() bool { return h.Weekday == "" }

// forDay returns the hours text that applies on the date of t (in Tokyo).
func (h Hours) forDay(t time.Time) string {
	pick := func(s string) string {
		if s == "" {
			return h.Weekday
		}
		return s
	}
	switch {
	case IsHoliday(t):
		return pick(h.Holiday)
	case t.Weekday() == time.Saturday:
		return pick(h.Saturday)
	case t.Weekday() == time.Sunday:
		return pick(h.Sunday)
	}
	return h.Weekday
}

// OpenAt reports whether the line is open at t and, when it is closed, when
// it opens next (zero if never within two weeks or the hours are unknown).
func (h Hours) OpenAt(t time.Time) (open bool, next time.Time) {
	if h.IsZero() {
		return false, time.Time{}
	}
	t = t.In(Tokyo)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Tokyo)
	min := t.Hour()*60 + t.Minute()
	for i := 0; i < 15; i++ {
		d := day.AddDate(0, 0, i)
		sp, err := parseSpan(h.forDay(d))
		if err != nil || sp == closedSpan {
			continue
		}
		if i == 0 {
			if min >= sp.open && min < sp.close {
				return true, time.Time{}
			}
			if min >= sp.close {
				continue
			}
		}
		return false, d.Add(time.Duration(sp.open) * time.Minute)
	}
	return false, time.Time{}
}

// String formats the hours compactly, e.g. "8:00–21:00" or
// "weekdays 8:00–21:00, Sat 9:00–21:00 …" in the given language.
func (h Hours) String(lang string) string {
	if h.IsZero() {
		return ""
	}
	f := func(s string) string {
		if s == "" {
			s = h.Weekday
		}
		switch s {
		case "closed":
			if lang == "en" {
				return "closed"
			}
			return "休み"
		case "24h":
			if lang == "en" {
				return "24h"
			}
			return "24時間"
		}
		sp, err := parseSpan(s)
		if err != nil {
			return s
		}
		return fmt.Sprintf("%d:%02d–%d:%02d", sp.open/60, sp.open%60, sp.close/60, sp.close%60)
	}
	wd, sa, su, ho := f(h.Weekday), f(h.Saturday), f(h.Sunday), f(h.Holiday)
	if h.Saturday == "" && h.Sunday == "" && h.Holiday == "" {
		// Only the weekday hours are known: say no more than that.
		return wd
	}
	if wd == sa && sa == su && su == ho {
		if lang == "en" {
			return wd + " daily"
		}
		return wd + "（年中無休）"
	}
	if sa == su && su == ho {
		if lang == "en" {
			return "weekdays " + wd + ", weekends/holidays " + sa
		}
		return "平日" + wd + "、土日祝" + sa
	}
	if lang == "en" {
		return fmt.Sprintf("weekdays %s, Sat %s, Sun %s, holidays %s", wd, sa, su, ho)
	}
	return fmt.Sprintf("平日%s、土%s、日%s、祝%s", wd, sa, su, ho)
}
