package yamato

import (
	"strings"
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

// parsePrintDate reads a date of the print copy's history table: the date
// cell "06/11" and the time cell "15:57" (TsuiseKit YamatoTracker.swift,
// tested on a real page), the time possibly empty. An empty date or "-"
// gives the zero time; anything else is a layout error.
func parsePrintDate(date, clock string, now time.Time) (time.Time, error) {
	date, clock = foldDigits(date), foldDigits(clock)
	if date == "" || date == "-" {
		return time.Time{}, nil
	}
	bad := func() (time.Time, error) {
		return time.Time{}, &carriers.LayoutError{Carrier: Name, Missing: "print copy date as MM/DD and HH:MM (got " + quoteShort(date+" "+clock) + ")"}
	}
	p := dateScanner{s: []rune(date)}
	month, ok := p.number()
	if !ok || !p.take('/') {
		return bad()
	}
	day, ok := p.number()
	if !ok || !p.done() {
		return bad()
	}
	hour, minute := 0, 0
	if clock != "" && clock != "-" {
		q := dateScanner{s: []rune(clock)}
		if hour, ok = q.number(); !ok || !q.take(':', '：') {
			return bad()
		}
		if minute, ok = q.number(); !ok || !q.done() {
			return bad()
		}
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(month) || hour > 23 || minute > 59 {
		return bad()
	}
	t, err := carriers.InferYear(now, time.Month(month), day, hour, minute, carriers.Tokyo)
	if err != nil {
		return bad()
	}
	return t, nil
}

// foldDigits writes full-width digits, colon and slash as ASCII and drops
// spaces at both ends.
func foldDigits(s string) string {
	var b []rune
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = r - '０' + '0'
		case r == '：':
			r = ':'
		case r == '／':
			r = '/'
		}
		b = append(b, r)
	}
	return carriers.CleanText(string(b))
}

// textDate finds a history date in a line of visible text, for the
// layout-free reader: 「11月28日 14:02」 or 「11月28日」, with an optional
// 「2026年」, anywhere in the line. A date followed by a range mark
// (「14:00-16:00」, 「～」) or on a line naming a plan (予定, 希望) is a
// delivery window, not an event, and is not a date here; so is a date
// without a time followed by more words (「11月29日 午前中」).
func textDate(line string, now time.Time) (time.Time, bool) {
	if strings.Contains(line, "予定") || strings.Contains(line, "希望") {
		return time.Time{}, false
	}
	rs := []rune(foldDigits(line))
	for i := 0; i < len(rs); i++ {
		if rs[i] < '0' || rs[i] > '9' || (i > 0 && rs[i-1] >= '0' && rs[i-1] <= '9') {
			continue
		}
		end, ok := dateEnd(rs, i)
		if !ok {
			continue
		}
		rest := strings.TrimSpace(string(rs[end:]))
		if rest != "" && !strings.ContainsRune(string(rs[i:end]), ':') {
			// 「11月29日 午前中」: a day without a time followed by
			// more words is a delivery window, not a history date.
			return time.Time{}, false
		}
		if strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, "～") || strings.HasPrefix(rest, "〜") || strings.HasPrefix(rest, "~") || strings.HasPrefix(rest, "－") {
			return time.Time{}, false
		}
		t, err := parseDate(string(rs[i:end]), now)
		if err != nil || t.IsZero() {
			continue
		}
		return t, true
	}
	return time.Time{}, false
}

// dateEnd returns where a date starting at rs[i] ends: digits, 年 (then
// digits), 月, digits, 日, then optionally spaces, digits, a colon and two
// digits.
func dateEnd(rs []rune, i int) (int, bool) {
	digits := func(j int) int {
		for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
			j++
		}
		return j
	}
	j := digits(i)
	if j < len(rs) && rs[j] == '年' {
		j = digits(j + 1)
	}
	if j >= len(rs) || rs[j] != '月' {
		return 0, false
	}
	k := digits(j + 1)
	if k == j+1 || k >= len(rs) || rs[k] != '日' {
		return 0, false
	}
	end := k + 1
	s := end
	for s < len(rs) && rs[s] == ' ' {
		s++
	}
	if h := digits(s); h > s && h < len(rs) && rs[h] == ':' {
		if m := digits(h + 1); m == h+3 {
			end = m
		}
	}
	return end, true
}
