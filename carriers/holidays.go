package carriers

import "time"

// IsHoliday reports whether the date of t (in Asia/Tokyo) is a Japanese
// national holiday under the rules in force since 2019: fixed days, the
// Happy Monday days, the equinoxes, substitute holidays (振替休日) and
// days between two holidays (国民の休日). The one-off changes of 2020 and
// 2021 (Olympics) are included.
func IsHoliday(t time.Time) bool {
	t = t.In(Tokyo)
	y, m, d := t.Date()
	if baseHoliday(y, m, d) {
		return true
	}
	wd := t.Weekday()
	// 振替休日: the first non-holiday day after a holiday on a Sunday.
	if wd != time.Sunday {
		for back := 1; back <= 6; back++ {
			p := time.Date(y, m, d-back, 12, 0, 0, 0, Tokyo)
			if !baseHoliday(p.Date()) {
				break
			}
			if p.Weekday() == time.Sunday {
				return true
			}
		}
	}
	// 国民の休日: a weekday sandwiched between two holidays.
	if wd != time.Sunday {
		prev := time.Date(y, m, d-1, 12, 0, 0, 0, Tokyo)
		next := time.Date(y, m, d+1, 12, 0, 0, 0, Tokyo)
		if baseHoliday(prev.Date()) && baseHoliday(next.Date()) {
			return true
		}
	}
	return false
}

func nthMonday(y int, m time.Month, n int) int {
	first := time.Date(y, m, 1, 12, 0, 0, 0, Tokyo).Weekday()
	offset := (int(time.Monday) - int(first) + 7) % 7
	return 1 + offset + 7*(n-1)
}

func equinox(y int, base float64) int {
	// Valid for 1980–2099 (National Astronomical Observatory approximation).
	return int(base + 0.242194*float64(y-1980) - float64((y-1980)/4))
}

// baseHoliday is the list of named holidays, without substitutes.
func baseHoliday(y int, m time.Month, d int) bool {
	switch m {
	case time.January:
		return d == 1 || d == nthMonday(y, m, 2)
	case time.February:
		return d == 11 || (y >= 2020 && d == 23)
	case time.March:
		return d == equinox(y, 20.8431)
	case time.April:
		return d == 29
	case time.May:
		return d == 3 || d == 4 || d == 5
	case time.July:
		switch y {
		case 2020:
			return d == 23 || d == 24
		case 2021:
			return d == 22 || d == 23
		}
		return d == nthMonday(y, m, 3)
	case time.August:
		switch y {
		case 2020:
			return d == 10
		case 2021:
			return d == 8
		}
		return d == 11
	case time.September:
		return d == nthMonday(y, m, 3) || d == equinox(y, 23.2488)
	case time.October:
		if y == 2020 || y == 2021 {
			return false
		}
		return d == nthMonday(y, m, 2)
	case time.November:
		return d == 3 || d == 23
	}
	return false
}
