package japanpost

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/todoku/todoku/carriers"
)

// ParseText is the layout-free reader alone: it reads the visible text
// lines of a result page (UTF-8 or Shift_JIS) for each of numbers and the
// dated lines holding a known 配送履歴 word after it (see
// [carriers.ReadText]). numbers nil takes the first Japan Post number the
// text names. Results are marked Degraded. A page where it cannot find
// every number with at least one dated known word is a
// *carriers.LayoutError.
//
// [Parse] falls back to it when the structured reader reports a layout
// change; it is exported so that tests can check that both readers agree
// on every test page.
func ParseText(r io.Reader, numbers []string, now time.Time) ([]carriers.Result, error) {
	u, err := carriers.DecodeHTML(r, "")
	if err != nil {
		return nil, &carriers.LayoutError{Carrier: Name, Missing: "decodable page"}
	}
	data, err := io.ReadAll(u)
	if err != nil {
		return nil, &carriers.FetchError{Carrier: Name, Err: err}
	}
	if res, ok := readText(data, numbers, now); ok {
		return res, nil
	}
	return nil, &carriers.LayoutError{Carrier: Name, Missing: "a dated 配送履歴 word after the number (text reader)"}
}

// readText runs carriers.ReadText over the page's visible lines.
func readText(data []byte, numbers []string, now time.Time) ([]carriers.Result, bool) {
	lines, _ := carriers.VisibleLines(bytes.NewReader(data))
	if len(lines) == 0 {
		return nil, false
	}
	if len(numbers) == 0 {
		found := numbersInText(lines)
		if len(found) == 0 {
			return nil, false
		}
		numbers = found[:1]
	}
	asked := make([]string, len(numbers))
	for i, n := range numbers {
		asked[i] = pageNumber(n)
		if asked[i] == "" {
			return nil, false
		}
	}
	res, ok := carriers.ReadText(lines, asked, textVocab(), now)
	if !ok {
		return nil, false
	}
	for i := range res {
		res[i].Number = numbers[i]
	}
	return res, true
}

// textVocab is what the text reader knows of Japan Post: the vocabulary
// and the 状態発生日 formats.
func textVocab() carriers.TextVocab {
	return carriers.TextVocab{Carrier: Name, Word: textWord, Date: textDate}
}

// textDateRE finds a date as Japan Post prints it: 2026/11/20 09:12
// (ja), 11/20/2026 09:12 (en), either without the time, or 11/20 09:12.
var textDateRE = regexp.MustCompile(`(\d{4}/\d{1,2}/\d{1,2}|\d{1,2}/\d{1,2}/\d{4})(?: (\d{1,2}:\d{2}))?|(\d{1,2}/\d{1,2}) (\d{1,2}:\d{2})`)

// textDate finds the first date in line (see textDateRE), in Japan time.
func textDate(line string, now time.Time) (time.Time, bool) {
	for _, m := range textDateRE.FindAllString(line, 4) {
		if t, err := parseTime(m, now, carriers.Tokyo); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// maxWordTokens is how many space-separated tokens a 配送履歴 word may
// span ("お届け先 休日のため保管", "Item out for physical delivery").
const maxWordTokens = 6

// textWord finds the 配送履歴 word of a line: the words right after the
// line's first date (or at its start when it has none), as the history
// and the 照会結果 list print them. A single token is classified as the
// structured reader classifies a cell (exact word, then the contains
// rules); several tokens only as an exact word, so that a word is never
// made up from the 詳細 or 取扱局 cells after it.
func textWord(line string) (raw string, st carriers.Status, reason carriers.Reason, ok bool) {
	rest := line
	if loc := textDateRE.FindStringIndex(line); loc != nil {
		rest = line[loc[1]:]
	}
	tokens := strings.Fields(rest)
	if len(tokens) == 0 {
		return "", "", "", false
	}
	if st, reason := Classify(tokens[0]); st != carriers.StatusUnknown {
		return tokens[0], st, reason, true
	}
	for k := 2; k <= maxWordTokens && k <= len(tokens); k++ {
		w := strings.Join(tokens[:k], " ")
		if m, found := exactWords()[matchKey(w)]; found {
			return w, m.status, m.reason, true
		}
	}
	return "", "", "", false
}

// numbersInText returns the Japan Post numbers the lines name, in order,
// once each: tokens that reduce to a plausible number which
// carriers.Identify gives to japanpost.
func numbersInText(lines []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lines {
		for _, tok := range strings.FieldsFunc(l, func(r rune) bool {
			return r == ' ' || r == '：' || r == ':' || r == '（' || r == '）' || r == '(' || r == ')'
		}) {
			n := pageNumber(tok)
			if !plausibleNumber(n) || seen[n] {
				continue
			}
			if id := carriers.Identify(n); id.Kind == carriers.KindTracking && hasCarrier(id, Name) {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// hasCarrier reports whether id lists carrier among its candidates.
func hasCarrier(id carriers.Identification, carrier string) bool {
	for _, c := range id.Candidates {
		if c.Carrier == carrier {
			return true
		}
	}
	return false
}
