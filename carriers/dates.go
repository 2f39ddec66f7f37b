package carriers

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	// 2026/11/20 14:05, 2026年11月20日 14時05分, 2026-11-20 14:05
	fullDateRE = regexp.MustCompile(`(\d{4})[/年.-](\d{1,2})[/月.-](\d{1,2})日?(?:\s*(\d{1,2})[:時](\d{2}))?`)
	// 11/20 14:05, 11月20日 14:05, 11月20日
	monthDayRE = regexp.MustCompile(`(?:^|[^\d/])(\d{1,2})[/月](\d{1,2})日?(?:\s*(\d{1,2})[:時](\d{2}))?`)
)

// FindDate finds the first date, with its time when one follows, that s
// holds in the forms Japanese carrier pages print (2026/11/20 14:05,
// 2026年11月20日 14時05分, 11/20 14:05, 11月20日), full-width digits
// allowed, in Tokyo time. A missing year is inferred with InferYear.
func FindDate(s string, now time.Time) (time.Time, bool) {
	s = HalfWidth(s)
	atoi := func(v string) int { n, _ := strconv.Atoi(v); return n }
	if m := fullDateRE.FindStringSubmatch(s); m != nil {
		y, mo, d, h, mi := atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5])
		t := time.Date(y, time.Month(mo), d, h, mi, 0, 0, Tokyo)
		if mo < 1 || mo > 12 || t.Day() != d || h > 23 || mi > 59 {
			return time.Time{}, false
		}
		return t, true
	}
	if m := monthDayRE.FindStringSubmatch(s); m != nil {
		mo, d, h, mi := atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4])
		if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 {
			return time.Time{}, false
		}
		t, err := InferYear(now, time.Month(mo), d, h, mi, Tokyo)
		return t, err == nil
	}
	return time.Time{}, false
}

// HalfWidth turns full-width digits, colons, dashes and brackets into
// their ASCII forms, leaving everything else alone.
func HalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '：':
			return ':'
		case r == '－' || r == '‐':
			return '-'
		case r == '（':
			return '('
		case r == '）':
			return ')'
		}
		return r
	}, s)
}
