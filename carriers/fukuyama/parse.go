package fukuyama

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/todoku/todoku/carriers"
)

// The texts and selectors Parse recognises; see the package doc for their
// sources.
const (
	stateSelector = "strong.redbold"
	notFoundText  = "該当データはありません"
)

// dateLabels are the labels of a line whose date is the state's.
var dateLabels = []string{"配達完了日", "配達日", "完了日時", "お届け日", "日時"}

var digitRunRE = regexp.MustCompile(`\d{8,14}`)

// Parse reads a saved Fukuyama result page (any encoding) about one
// number, taking the number from the page (its first run of 8 to 14
// digits). A page that prints no number can only be read with ParseFor.
func Parse(r io.Reader, now time.Time) ([]carriers.Result, error) {
	return ParseFor(r, "", now)
}

// ParseFor reads a saved Fukuyama result page (any encoding) about
// number.
func ParseFor(r io.Reader, number string, now time.Time) ([]carriers.Result, error) {
	ur, err := carriers.DecodeHTML(r, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	return parseFor(ur, number, now)
}

// ParseText is the layout-free reader alone, for the numbers given (or
// the page's first number when none are).
func ParseText(r io.Reader, numbers []string, now time.Time) ([]carriers.Result, error) {
	ur, err := carriers.DecodeHTML(r, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	data, err := io.ReadAll(ur)
	if err != nil {
		return nil, fmt.Errorf("%s: read page: %w", Name, err)
	}
	lines, _ := carriers.VisibleLines(bytes.NewReader(data))
	return readText(lines, numbers, now, &carriers.LayoutError{Carrier: Name, Missing: "a dated state in the page text"})
}

// parseFor reads a UTF-8 result page about number ("" when unknown).
func parseFor(ur io.Reader, number string, now time.Time) ([]carriers.Result, error) {
	data, err := io.ReadAll(ur)
	if err != nil {
		return nil, fmt.Errorf("%s: read page: %w", Name, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: parse html: %w", Name, err)
	}
	lines, _ := carriers.VisibleLines(bytes.NewReader(data))
	printed := pageNumber(lines, len(number))
	switch {
	case number == "":
		number = printed
	case printed != "" && printed != number:
		return nil, fmt.Errorf("%s: page is about %s, not %s: %w", Name, printed, number, ErrWrongNumber)
	}
	stateSel := doc.Find(stateSelector).First()
	state := carriers.CleanText(stateSel.Text())
	switch {
	case stateSel.Length() == 0 && strings.Contains(doc.Find("body").Text(), "メンテナンス"):
		return nil, &carriers.FetchError{Carrier: Name, Maintenance: true}
	case state == "" || number == "":
		var numbers []string
		if number != "" {
			numbers = []string{number}
		}
		return readText(lines, numbers, now, &carriers.LayoutError{Carrier: Name, Missing: stateSelector})
	case strings.Contains(state, notFoundText):
		return []carriers.Result{carriers.NotFound(Name, number)}, nil
	}
	table := carriers.FindTable(doc, "", []string{"状況", "状態", "内容"}, []string{"日時", "日付"})
	res := carriers.Result{Number: number, Carrier: Name, Found: true,
		Events: carriers.HistoryRows(table, func(s string) (time.Time, bool) { return carriers.FindDate(s, now) }, lookup)}
	// The state sentence (配達完了です) repeats the last row (配達完了).
	if n := len(res.Events); n == 0 || !strings.HasPrefix(compact(state), compact(res.Events[n-1].Raw)) {
		st, rs := lookup(state)
		res.Events = append(res.Events, carriers.Event{Time: stateDate(lines, now), Status: st, Reason: rs, Raw: state})
	}
	if res.Events == nil {
		res.Events = []carriers.Event{}
	}
	res.Status, res.Reason = carriers.Summarize(res.Events)
	return []carriers.Result{res}, nil
}

// stateDate is the date on the first line labelled as the state's date,
// or on the line after the label (a dt and its dd).
func stateDate(lines []string, now time.Time) time.Time {
	for i, l := range lines {
		c := compact(l)
		for _, label := range dateLabels {
			if !strings.Contains(c, label) {
				continue
			}
			if t, ok := carriers.FindDate(l, now); ok {
				return t
			}
			if i+1 < len(lines) {
				if t, ok := carriers.FindDate(lines[i+1], now); ok {
					return t
				}
			}
		}
	}
	return time.Time{}
}

// pageNumber returns the first run of digits of length n on the page (8
// to 14 digits when n is 0), or "".
func pageNumber(lines []string, n int) string {
	for _, l := range lines {
		for _, m := range digitRunRE.FindAllString(carriers.HalfWidth(l), -1) {
			if n == 0 || len(m) == n {
				return m
			}
		}
	}
	return ""
}

// readText runs the layout-free reader, or returns fail.
func readText(lines []string, numbers []string, now time.Time, fail error) ([]carriers.Result, error) {
	if len(numbers) == 0 {
		if n := pageNumber(lines, 0); n != "" {
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
	// Word finds a known word anywhere in the line, spaces removed (a
	// redesign may put the word in a span beside a label and a date).
	Word: func(line string) (string, carriers.Status, carriers.Reason, bool) {
		c := compact(line)
		for _, w := range words {
			if i := strings.Index(c, w.raw); i >= 0 {
				st, rs := lookup(c[i:])
				return w.raw, st, rs, true
			}
		}
		return "", "", "", false
	},
	Date: carriers.FindDate,
}

// compact removes every space.
func compact(s string) string { return strings.ReplaceAll(carriers.CleanText(s), " ", "") }
