package carriers

import (
	"io"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// VisibleLines returns the visible text of an HTML page (already UTF-8)
// as lines: one per table row, list item, paragraph, heading, definition
// term/description, line break or other block, with the cells of a row
// joined by a space. Scripts, styles, templates, comments and anything
// after them are skipped; each line passes through CleanText and empty
// lines are dropped. It never fails on malformed HTML.
func VisibleLines(r io.Reader) ([]string, error) {
	z := html.NewTokenizer(r)
	var (
		lines []string
		cur   strings.Builder
		skip  int // depth inside script/style/…
	)
	flush := func() {
		if l := CleanText(cur.String()); l != "" {
			lines = append(lines, l)
		}
		cur.Reset()
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			flush()
			if err := z.Err(); err != nil && err != io.EOF {
				return lines, err
			}
			return lines, nil
		case html.TextToken:
			if skip == 0 {
				cur.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Head, atom.Title:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			case atom.Td, atom.Th:
				cur.WriteByte(' ')
			case atom.Br, atom.Tr, atom.Li, atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4,
				atom.H5, atom.H6, atom.Dt, atom.Dd, atom.Table, atom.Tbody, atom.Thead, atom.Ul,
				atom.Ol, atom.Dl, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Form,
				atom.Caption, atom.Hr, atom.Body, atom.Html:
				flush()
			}
		}
	}
}

// TextVocab is what the layout-free reader knows of one carrier: its
// known words and its date formats.
type TextVocab struct {
	// Carrier is the registry name put in results.
	Carrier string
	// Word finds a known carrier word in line and returns it with its
	// meaning; ok is false when the line holds none.
	Word func(line string) (raw string, st Status, reason Reason, ok bool)
	// Date finds a date (and time) in line in the carrier's formats; ok is
	// false when the line holds none. now helps infer a missing year.
	Date func(line string, now time.Time) (t time.Time, ok bool)
}

// ReadText is the layout-free second reader: used when an adapter's
// structured reader reports a layout change. For each number asked it
// finds the line that names it (digits compared without dashes or
// spaces), then, up to the line naming another number asked, the dated
// lines holding a known word — the word on the dated line itself, or on
// the line just before or after it (a word and its date in neighbouring
// cells or blocks). ok is true only when every number was found with at
// least one dated known word; each result is Found, Degraded, its events
// oldest first (sorted by time) and its status Summarize's.
func ReadText(lines []string, numbers []string, v TextVocab, now time.Time) ([]Result, bool) {
	// A line names a number when it holds it with dashes removed
	// (「1 1234567890」 is the number 1234567890 in a cell after a cell
	// 「1」), or with dashes and spaces removed (「1234 5678 9012」).
	dashless := make([]string, len(lines))
	compact := make([]string, len(lines))
	for i, l := range lines {
		dashless[i] = numberText(l, false)
		compact[i] = numberText(l, true)
	}
	starts := make([]int, len(numbers))
	for i, n := range numbers {
		starts[i] = -1
		for j, c := range compact {
			if containsNumber(dashless[j], n) || containsNumber(c, n) {
				starts[i] = j
				break
			}
		}
		if starts[i] < 0 {
			return nil, false
		}
	}
	out := make([]Result, 0, len(numbers))
	for i, n := range numbers {
		end := len(lines)
		for k, s := range starts {
			if k != i && s > starts[i] && s < end {
				end = s
			}
		}
		events := textEvents(lines[starts[i]:end], v, now)
		if len(events) == 0 {
			return nil, false
		}
		res := Result{Number: n, Carrier: v.Carrier, Found: true, Events: events, Degraded: true}
		res.Status, res.Reason = Summarize(events)
		out = append(out, res)
	}
	return out, true
}

// textEvents reads the dated known words of one number's lines.
func textEvents(lines []string, v TextVocab, now time.Time) []Event {
	type word struct {
		raw    string
		st     Status
		reason Reason
		ok     bool
	}
	words := make([]word, len(lines))
	for i, l := range lines {
		var w word
		w.raw, w.st, w.reason, w.ok = v.Word(l)
		words[i] = w
	}
	used := make([]bool, len(lines))
	var events []Event
	for i, l := range lines {
		t, ok := v.Date(l, now)
		if !ok {
			continue
		}
		j := -1
		switch {
		case words[i].ok && !used[i]:
			j = i
		case i > 0 && words[i-1].ok && !used[i-1]:
			if _, dated := v.Date(lines[i-1], now); !dated {
				j = i - 1
			}
		case i+1 < len(lines) && words[i+1].ok && !used[i+1]:
			if _, dated := v.Date(lines[i+1], now); !dated {
				j = i + 1
			}
		}
		if j < 0 {
			continue
		}
		used[j] = true
		w := words[j]
		events = append(events, Event{Time: t, Status: w.st, Reason: w.reason, Raw: w.raw})
	}
	// Pages list history oldest first or newest first: order by time,
	// keeping the page's order among equal times.
	for i := 1; i < len(events); i++ {
		for k := i; k > 0 && events[k].Time.Before(events[k-1].Time); k-- {
			events[k], events[k-1] = events[k-1], events[k]
		}
	}
	return events
}

// numberText returns s with full-width digits and letters made ASCII and
// dashes removed, and with spaceless, spaces removed too, so that a number
// printed 1234-5678-9012 or 1234 5678 9012 matches.
func numberText(s string, spaceless bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r >= 'Ａ' && r <= 'Ｚ':
			b.WriteRune('A' + (r - 'Ａ'))
		case isDash(r), spaceless && isSpace(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// containsNumber reports whether s holds n not flanked by other digits.
func containsNumber(s, n string) bool {
	for from := 0; ; {
		i := strings.Index(s[from:], n)
		if i < 0 {
			return false
		}
		i += from
		before := i == 0 || s[i-1] < '0' || s[i-1] > '9'
		after := i+len(n) == len(s) || s[i+len(n)] < '0' || s[i+len(n)] > '9'
		if before && after {
			return true
		}
		from = i + 1
	}
}
