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
	numberRE    = regexp.MustCompile(`(?:^|[^0-9])([0-9]{10})(?:$|[^0-9])`)
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
// お届物詳細, or whose header names a state (状況/状態) and a date (日時/日付);
// see carriers.HistoryRows.
func history(doc *goquery.Document, now time.Time) []carriers.Event {
	table := carriers.FindTable(doc, historySummary, []string{"状況", "状態"}, []string{"日時", "日付"})
	return carriers.HistoryRows(table, func(s string) (time.Time, bool) { return parseDate(s, now) }, lookup)
}

// office reads a handling branch and its phone, when the page shows one.
func office(doc *goquery.Document) carriers.Office {
	var o carriers.Office
	doc.Find("tr, dl, p, div").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if m := officeTelRE.FindStringSubmatch(carriers.CleanText(s.Text())); m != nil {
			o = carriers.Office{Name: m[1], Phone: carriers.HalfWidth(m[2])}
		}
		return true // the innermost match is the last one visited
	})
	return o
}

// parseDate finds a date in s (carriers.FindDate), or a day with a time
// as the 2016 history cells print it (「21日 15:40」), in the most recent
// month in which it is not in the future.
func parseDate(s string, now time.Time) (time.Time, bool) {
	if t, ok := carriers.FindDate(s, now); ok {
		return t, true
	}
	m := dayOnlyRE.FindStringSubmatch(carriers.HalfWidth(s))
	if m == nil {
		return time.Time{}, false
	}
	d, _ := strconv.Atoi(m[1])
	h, _ := strconv.Atoi(m[2])
	mi, _ := strconv.Atoi(m[3])
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
