package yamato

import (
	"time"

	"github.com/todoku/todoku/carriers"
)

// parseDate reads a history date: "11月28日 14:02", "11月28日", or either
// with a leading "2026年". An empty date or "-" gives the zero time. A
// missing year is inferred with carriers.InferYear so that the time is not
// in the future relative to now; a missing time of day is midnight.
func parseDate(s string, now time.Time) (time.Time, error) {
	if s == "" || s == "-" || s == "－" {
		return time.Time{}, nil
	}
	bad := func() (time.Time, error) {
		return time.Time{}, &carriers.LayoutError{Carrier: Name, Missing: ".date as MM月dd日 HH:mm (got " + quoteShort(s) + ")"}
	}
	p := dateScanner{s: []rune(s)}
	first, ok := p.number()
	if !ok {
		return bad()
	}
	year := 0
	if p.take('年') {
		year = first
		if first, ok = p.number(); !ok {
			return bad()
		}
	}
	month := first
	if !p.take('月') {
		return bad()
	}
	day, ok := p.number()
	if !ok || !p.take('日') {
		return bad()
	}
	hour, minute := 0, 0
	p.spaces()
	if !p.done() {
		if hour, ok = p.number(); !ok || !p.take(':', '：') {
			return bad()
		}
		if minute, ok = p.number(); !ok {
			return bad()
		}
		p.spaces()
		if !p.done() {
			return bad()
		}
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(month) || hour > 23 || minute > 59 {
		return bad()
	}
	if year != 0 {
		t := time.Date(year, time.Month(month), day, hour, minute, 0, 0, carriers.Tokyo)
		if year < 2000 || year > 2999 || t.Day() != day {
			return bad()
		}
		return t, nil
	}
	t, err := carriers.InferYear(now, time.Month(month), day, hour, minute, carriers.Tokyo)
	if err != nil {
		return bad()
	}
	return t, nil
}

// daysIn is the most days month can have in any year (29 for February,
// hence the leap year 2024). It only rejects dates no year has: a date
// with a printed year is checked against that year, and a 02/29 without
// one goes to carriers.InferYear, which picks the last leap year.
func daysIn(month int) int {
	return time.Date(2024, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func quoteShort(s string) string {
	r := []rune(s)
	if len(r) > 24 {
		r = append(r[:24], '…')
	}
	return "\"" + string(r) + "\""
}

// dateScanner walks a date string rune by rune.
type dateScanner struct {
	s []rune
	i int
}

func (p *dateScanner) done() bool { return p.i >= len(p.s) }

// number reads 1 to 4 ASCII or full-width digits.
func (p *dateScanner) number() (int, bool) {
	n, start := 0, p.i
	for p.i < len(p.s) && p.i-start < 4 {
		r := p.s[p.i]
		switch {
		case r >= '0' && r <= '9':
			n = n*10 + int(r-'0')
		case r >= '０' && r <= '９':
			n = n*10 + int(r-'０')
		default:
			return n, p.i > start
		}
		p.i++
	}
	return n, p.i > start
}

// take consumes one of rs when it comes next.
func (p *dateScanner) take(rs ...rune) bool {
	if p.done() {
		return false
	}
	for _, r := range rs {
		if p.s[p.i] == r {
			p.i++
			return true
		}
	}
	return false
}

func (p *dateScanner) spaces() {
	for !p.done() && (p.s[p.i] == ' ' || p.s[p.i] == '\u3000') {
		p.i++
	}
}
