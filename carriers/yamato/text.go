package yamato

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/todoku/todoku/carriers"
)

// textVocab is what the layout-free reader (carriers.ReadText) knows of
// Yamato: its status words (Classify, request rows left out) and its
// history dates (textDate).
var textVocab = carriers.TextVocab{Carrier: Name, Word: textWord, Date: textDate}

// maxWordRunes bounds the length of a status word on a text line: the
// longest known one, 持戻（宅配BOX不可）120以上, has 16 runes; sentences
// are longer (sm-trz keeps labels of at most 16 characters).
const maxWordRunes = 24

// textWord finds a known Yamato status word in a line of visible text:
// the whole line, or one of its space-separated fields. Request rows
// (依頼受付…) and unknown words are not status words here: the text
// reader then agrees with the structured one, which never lets them
// decide the status.
func textWord(line string) (string, carriers.Status, carriers.Reason, bool) {
	try := func(w string) (carriers.Status, carriers.Reason, bool) {
		if w == "" || len([]rune(w)) > maxWordRunes || isRequest(w) {
			return "", "", false
		}
		st, reason := Classify(w)
		return st, reason, st != carriers.StatusUnknown
	}
	if _, exact := exactWords[normWord(line)]; exact {
		st, reason, _ := try(line)
		return line, st, reason, true
	}
	// Inline cells run together without a space: 「配達完了11月28日 11:42…」.
	if i := strings.IndexFunc(line, isDigit); i > 0 {
		head := strings.TrimSpace(line[:i])
		if st, reason, ok := try(head); ok {
			return head, st, reason, true
		}
	}
	if st, reason, ok := try(line); ok {
		return line, st, reason, true
	}
	for _, f := range strings.Fields(line) {
		if st, reason, ok := try(f); ok {
			return f, st, reason, true
		}
	}
	return "", "", "", false
}

// ParseText is the layout-free reader alone: it reads the page's visible
// text lines (carriers.VisibleLines) for numbers and for dated lines
// holding Yamato's status words (carriers.ReadText), and returns one
// Degraded result per number, in the order given. numbers nil means the
// numbers the page names. When the visible text holds no history, the
// print copy's text is read the same way (its dates are MM/DD HH:MM). A
// number whose part of the text says 伝票番号誤り (or another "no such
// number" title) and holds no dated word is not found, but only when
// another number on the page was read. A page it cannot read is a
// *carriers.LayoutError. Parse and Track use it when the structured
// readers find no landmarks; it is exported so that tests can check that
// both readers agree on every test page.
func ParseText(r io.Reader, numbers []string, now time.Time) ([]carriers.Result, error) {
	dr, err := carriers.DecodeHTML(r, "")
	if err != nil {
		return nil, fmt.Errorf("yamato: %w", err)
	}
	page, err := io.ReadAll(dr)
	if err != nil {
		return nil, fmt.Errorf("yamato: read page: %w", err)
	}
	if res, ok := readText(page, numbers, now); ok {
		return res, nil
	}
	return nil, errNoText
}

var errNoText = &carriers.LayoutError{Carrier: Name, Missing: "a tracking number with dated status words in the page text"}

// printVocab is textVocab for the print copy's text, whose history dates
// are MM/DD HH:MM.
var printVocab = carriers.TextVocab{Carrier: Name, Word: textWord, Date: printTextDate}

// readText is ParseText on a page already decoded.
func readText(page []byte, numbers []string, now time.Time) ([]carriers.Result, bool) {
	lines, _ := carriers.VisibleLines(bytes.NewReader(page))
	nums := numbers
	if len(nums) == 0 {
		nums = lineNumbers(lines)
	}
	if len(nums) > 0 {
		if res, ok := readTextLines(lines, nums, textVocab, now); ok {
			return res, true
		}
	}
	c := printCopy(page)
	if c == "" {
		return nil, false
	}
	plines, _ := carriers.VisibleLines(strings.NewReader(c))
	plines = numberLines(plines)
	if len(nums) == 0 {
		nums = pageNumbers(plines)
	}
	if len(nums) == 0 {
		return nil, false
	}
	return readTextLines(plines, nums, printVocab, now)
}

// numberLines puts every Yamato number of lines on a line of its own
// before the line naming it: the print copy's list row runs the number
// and its date together (「3902-6433-0120 06/13 …」), where a number
// followed by more digits is not taken for the number.
func numberLines(lines []string) []string {
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, pageNumbers([]string{l})...)
		out = append(out, l)
	}
	return out
}

// readTextLines runs carriers.ReadText on the numbers whose part of the
// text is not a "no such number" message, and gives the others a
// not-found result.
func readTextLines(lines, numbers []string, v carriers.TextVocab, now time.Time) ([]carriers.Result, bool) {
	starts := make([]int, len(numbers))
	for i, n := range numbers {
		starts[i] = -1
		for j, l := range lines {
			if lineHasNumber(l, n) {
				starts[i] = j
				break
			}
		}
		if starts[i] < 0 {
			return nil, false
		}
	}
	missing := map[string]bool{}
	var rest []string
	for i, n := range numbers {
		end := len(lines)
		for k, s := range starts {
			if k != i && s > starts[i] && s < end {
				end = s
			}
		}
		if sectionNotFound(lines[starts[i]:end], v, now) {
			missing[n] = true
		} else {
			rest = append(rest, n)
		}
	}
	if len(rest) == 0 {
		return nil, false
	}
	found, ok := carriers.ReadText(lines, rest, v, now)
	if !ok {
		return nil, false
	}
	out := make([]carriers.Result, 0, len(numbers))
	for _, n := range numbers {
		if missing[n] {
			r := carriers.NotFound(Name, n)
			r.Degraded = true
			out = append(out, r)
			continue
		}
		out = append(out, found[0])
		found = found[1:]
	}
	return out, true
}

// sectionNotFound reports whether a number's lines say "no such number"
// (a line that is one of notFoundWords) and hold no dated line.
func sectionNotFound(lines []string, v carriers.TextVocab, now time.Time) bool {
	said := false
	for _, l := range lines {
		if _, dated := v.Date(l, now); dated {
			return false
		}
		if isNotFound(l) {
			said = true
		}
		for _, f := range strings.Fields(l) {
			if isNotFound(f) {
				said = true
			}
		}
	}
	return said
}

// lineHasNumber reports whether line names n, digits compared without
// dashes and spaces and not as part of a longer run of digits.
func lineHasNumber(line, n string) bool {
	var b strings.Builder
	for _, r := range foldDigits(line) {
		if r != '-' && r != ' ' && r != '－' && r != '‐' {
			b.WriteRune(r)
		}
	}
	s := b.String()
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

// printTextDate finds a print-copy history date, 「06/11 15:57」 (date and
// time cells of one row), in a line of the print copy's text. A date
// without a time is the list table's, not an event.
func printTextDate(line string, now time.Time) (time.Time, bool) {
	f := strings.Fields(foldDigits(line))
	for i := 0; i+1 < len(f); i++ {
		if !strings.Contains(f[i], "/") || !strings.Contains(f[i+1], ":") {
			continue
		}
		if t, err := parsePrintDate(f[i], f[i+1], now); err == nil && !t.IsZero() {
			return t, true
		}
	}
	return time.Time{}, false
}

// lineNumbers returns the numbers a page's text is about: those of its
// 「N件目：」 headings, in order, or else the first Yamato number found
// anywhere in the text.
func lineNumbers(lines []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lines {
		if !strings.Contains(l, "件目") {
			continue
		}
		_, after, _ := strings.Cut(l, "件目")
		if n, ok := leadingNumber(after); ok && !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	if len(out) > 0 {
		return out
	}
	if ns := pageNumbers(lines); len(ns) > 0 {
		return ns[:1]
	}
	return nil
}

// leadingNumber reads the number that follows a 「件目」: a colon, then
// digits with dashes or spaces, up to the next other character.
func leadingNumber(s string) (string, bool) {
	s = strings.TrimLeft(s, " ：:")
	end := len(s)
	for i, r := range s {
		if !(r >= '0' && r <= '9') && !(r >= '０' && r <= '９') && r != '-' && r != '－' && r != '‐' && r != ' ' {
			end = i
			break
		}
	}
	return headingNumber(strings.TrimSpace(s[:end]))
}

// pageNumbers returns every Yamato tracking number (carriers.Identify
// names yamato among its candidates) written in lines, in order, each
// once. Digits may be grouped with dashes, as Yamato prints them.
func pageNumbers(lines []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lines {
		for _, run := range digitRuns(l) {
			if seen[run] {
				continue
			}
			id := carriers.Identify(run)
			for _, c := range id.Candidates {
				if c.Carrier == Name && validNumber(id.Number) {
					seen[run] = true
					out = append(out, id.Number)
					break
				}
			}
		}
	}
	return out
}

// digitRuns returns the runs of ASCII digits and dashes in s that hold 11
// or 12 digits, dashes removed.
func digitRuns(s string) []string {
	var out []string
	var cur strings.Builder
	n := 0
	flush := func() {
		if n == 11 || n == 12 {
			out = append(out, cur.String())
		}
		cur.Reset()
		n = 0
	}
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			cur.WriteRune(r)
			n++
		case r == '-' && n > 0:
		default:
			flush()
		}
	}
	flush()
	return out
}

func isDigit(r rune) bool { return (r >= '0' && r <= '9') || (r >= '０' && r <= '９') }
