package seino

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/todoku/todoku/carriers"
)

// The texts and selectors Parse recognises; see the package doc for their
// sources.
const (
	stateSelector   = "input#haitatsuJokyo0"
	dateSelector    = "input#haitatsuTenshoDate0"
	historySummary  = "お届物詳細"
	notFoundMessage = "お問合せ番号が見当りません"
)

// Parse reads a saved Seino result page (any encoding) about one number,
// taking the number from the page (its first 10-digit number). A page
// that prints no number can only be read with ParseFor.
func Parse(r io.Reader, now time.Time) ([]carriers.Result, error) {
	return ParseFor(r, "", now)
}

// ParseFor reads a saved Seino result page (any encoding) about number.
func ParseFor(r io.Reader, number string, now time.Time) ([]carriers.Result, error) {
	ur, err := carriers.DecodeHTML(r, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	return parseFor(ur, number, now)
}

// ParseText is the layout-free reader alone, for the numbers given (or
// the first 10-digit number on the page when none are).
func ParseText(r io.Reader, numbers []string, now time.Time) ([]carriers.Result, error) {
	ur, err := carriers.DecodeHTML(r, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	data, err := io.ReadAll(ur)
	if err != nil {
		return nil, fmt.Errorf("%s: read page: %w", Name, err)
	}
	return readText(data, numbers, now, &carriers.LayoutError{Carrier: Name, Missing: "a dated state in the page text"})
}

// parseFor reads a UTF-8 result page about number ("" when unknown: the
// page's first 10-digit number is used). A page without the state input
// is read by the text reader, and is a *carriers.LayoutError when that
// finds nothing either.
func parseFor(ur io.Reader, number string, now time.Time) ([]carriers.Result, error) {
	data, err := io.ReadAll(ur)
	if err != nil {
		return nil, fmt.Errorf("%s: read page: %w", Name, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: parse html: %w", Name, err)
	}
	if printed := pageNumber(data); number == "" {
		number = printed
	} else if printed != "" && printed != number {
		return nil, fmt.Errorf("%s: page is about %s, not %s: %w", Name, printed, number, ErrWrongNumber)
	}
	input := doc.Find(stateSelector).First()
	state, hasState := input.Attr("value")
	state = carriers.CleanText(state)
	switch {
	case hasState && number != "" && (strings.Contains(state, "未登録") || strings.Contains(state, "誤り")):
		return []carriers.Result{carriers.NotFound(Name, number)}, nil
	case !hasState && strings.Contains(doc.Find("body").Text(), "メンテナンス"):
		return nil, &carriers.FetchError{Carrier: Name, Maintenance: true}
	case !hasState && number != "" && strings.Contains(compact(doc.Find("body").Text()), notFoundMessage):
		return []carriers.Result{carriers.NotFound(Name, number)}, nil
	case !hasState || state == "" || number == "":
		var numbers []string
		if number != "" {
			numbers = []string{number}
		}
		return readText(data, numbers, now, &carriers.LayoutError{Carrier: Name, Missing: stateSelector})
	}
	res := carriers.Result{Number: number, Carrier: Name, Found: true, Events: history(doc, now)}
	stateAt, _ := dateAttr(doc, now)
	if n := len(res.Events); n == 0 || compact(res.Events[n-1].Raw) != compact(state) {
		st, rs := lookup(state)
		res.Events = append(res.Events, carriers.Event{Time: stateAt, Status: st, Reason: rs, Raw: state})
	}
	res.Office = office(doc)
	res.Status, res.Reason = carriers.Summarize(res.Events)
	return []carriers.Result{res}, nil
}

// readText runs the layout-free reader, or returns fail.
func readText(data []byte, numbers []string, now time.Time, fail error) ([]carriers.Result, error) {
	lines, _ := carriers.VisibleLines(bytes.NewReader(data))
	if len(numbers) == 0 {
		if n := pageNumber(data); n != "" {
			numbers = []string{n}
		}
	}
	if len(numbers) == 0 {
		return nil, fail
	}
	if res, ok := carriers.ReadText(lines, numbers, vocab, now); ok {
		return res, nil
	}
	return nil, fail
}

var vocab = carriers.TextVocab{
	Carrier: Name,
	// Word looks at each space-separated field of a line, and at each
	// pair of neighbouring fields joined (Seino spaces its words out:
	// 「受 付」), for a field that is a known word.
	Word: func(line string) (string, carriers.Status, carriers.Reason, bool) {
		f := strings.Fields(line)
		for i := range f {
			for _, tok := range []string{f[i], strings.Join(f[i:min(i+2, len(f))], "")} {
				if st, rs := lookup(tok); st != carriers.StatusUnknown {
					return tok, st, rs, true
				}
			}
		}
		return "", "", "", false
	},
	Date: func(line string, now time.Time) (time.Time, bool) { return parseDate(line, now) },
}

var (
	numberRE = regexp.MustCompile(`(?:^|[^0-9])([0-9]{10})(?:$|[^0-9])`)
	// Dates as the page may print them: 2025/08/03 14:05, 08/03 14:05,
	// 8月3日 14:05, 3日 14:05 (the 2016 history cells).
	fullDateRE  = regexp.MustCompile(`(\d{4})[/年.-](\d{1,2})[/月.-](\d{1,2})日?(?:\s*(\d{1,2})[:：時](\d{2}))?`)
	monthDayRE  = regexp.MustCompile(`(?:^|[^\d/])(\d{1,2})[/月](\d{1,2})日?(?:\s*(\d{1,2})[:：時](\d{2}))?`)
	dayOnlyRE   = regexp.MustCompile(`(?:^|[^\d/月])(\d{1,2})日\s*(\d{1,2})[:：時](\d{2})`)
	officeTelRE = regexp.MustCompile(`(\S*(?:支店|営業所|担当店|取扱店)\S*)\s*(?:TEL|ＴＥＬ|電話)[:：]?\s*([0-9０-９\-－‐()（）]{10,16})`)
)

// pageNumber returns the first 10-digit number in the page's visible
// text, or "".
func pageNumber(data []byte) string {
	lines, _ := carriers.VisibleLines(bytes.NewReader(data))
	for _, l := range lines {
		if m := numberRE.FindStringSubmatch(l); m != nil {
			return m[1]
		}
	}
	return ""
}

// dateAttr reads the optional date input.
func dateAttr(doc *goquery.Document, now time.Time) (time.Time, bool) {
	v, ok := doc.Find(dateSelector).First().Attr("value")
	if !ok {
		return time.Time{}, false
	}
	return parseDate(carriers.CleanText(v), now)
}

// history reads the optional history table: the table whose summary is
// お届物詳細, or whose header row names a state (状況/状態) and a date
// (日時/日付). Each row of two or more cells with a word (known or not) is
// one event, dated when a cell holds a date; header, spacer and short rows
// are skipped.
func history(doc *goquery.Document, now time.Time) []carriers.Event {
	table := doc.Find(`table[summary*="` + historySummary + `"]`).First()
	if table.Length() == 0 {
		doc.Find("table").EachWithBreak(func(_ int, t *goquery.Selection) bool {
			h := compact(t.Find("th").Text())
			if (strings.Contains(h, "状況") || strings.Contains(h, "状態")) && (strings.Contains(h, "日時") || strings.Contains(h, "日付")) {
				table = t
				return false
			}
			return true
		})
	}
	var events []carriers.Event
	table.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		cells := tr.Find("td")
		if cells.Length() < 2 {
			return
		}
		var raw, place string
		var at time.Time
		dated := false
		cells.Each(func(_ int, td *goquery.Selection) {
			text := carriers.CleanText(td.Text())
			switch {
			case text == "":
			case !dated && isDate(text, now):
				at, dated = parseDate(text, now)
			case raw == "":
				raw = text
			case place == "":
				place = text
			}
		})
		if raw == "" {
			return
		}
		st, rs := lookup(raw)
		events = append(events, carriers.Event{Time: at, Status: st, Reason: rs, Raw: raw, Location: place})
	})
	return events
}

// isDate reports whether a cell holds a date and little else.
func isDate(s string, now time.Time) bool {
	if _, ok := parseDate(s, now); !ok {
		return false
	}
	for _, w := range words {
		if strings.Contains(compact(s), w.raw) {
			return false
		}
	}
	return true
}

// office reads a handling branch and its phone, when the page shows one.
func office(doc *goquery.Document) carriers.Office {
	var o carriers.Office
	doc.Find("tr, dl, p, div").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if m := officeTelRE.FindStringSubmatch(carriers.CleanText(s.Text())); m != nil {
			o = carriers.Office{Name: m[1], Phone: halfWidth(m[2])}
		}
		return true // the innermost match is the last one visited
	})
	return o
}

// parseDate finds a date in s, in Tokyo time; a missing year (or month)
// is inferred so that the date is not in the future.
func parseDate(s string, now time.Time) (time.Time, bool) {
	s = halfWidth(s)
	atoi := func(v string) int { n, _ := strconv.Atoi(v); return n }
	if m := fullDateRE.FindStringSubmatch(s); m != nil {
		y, mo, d := atoi(m[1]), atoi(m[2]), atoi(m[3])
		h, mi := atoi(m[4]), atoi(m[5])
		t := time.Date(y, time.Month(mo), d, h, mi, 0, 0, carriers.Tokyo)
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
		t, err := carriers.InferYear(now, time.Month(mo), d, h, mi, carriers.Tokyo)
		return t, err == nil
	}
	if m := dayOnlyRE.FindStringSubmatch(s); m != nil {
		d, h, mi := atoi(m[1]), atoi(m[2]), atoi(m[3])
		if d < 1 || d > 31 || h > 23 || mi > 59 {
			return time.Time{}, false
		}
		n := now.In(carriers.Tokyo)
		for back := 0; back < 3; back++ {
			first := time.Date(n.Year(), n.Month()-time.Month(back), 1, h, mi, 0, 0, carriers.Tokyo)
			t := first.AddDate(0, 0, d-1)
			if t.Month() == first.Month() && !t.After(n.Add(48*time.Hour)) {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// compact removes every space: Seino spaces its words out (「受 付」).
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u3000' || r == '\u00a0' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
}

// halfWidth turns full-width digits, colons and dashes into ASCII.
func halfWidth(s string) string {
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
