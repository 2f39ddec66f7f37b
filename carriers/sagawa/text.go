package sagawa

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/todoku/todoku/carriers"
)

// textDateRE finds a history date, MM/dd HH:mm, anywhere in a line.
var textDateRE = regexp.MustCompile(`(?:^|[^0-9/])(\d{1,2})/(\d{1,2})\s+(\d{1,2}):(\d{2})(?:$|[^0-9])`)

// ParseText is the layout-free reader alone: it reads the visible text
// lines of a Sagawa page for each number and the dated lines holding a
// known word, as carriers.ReadText does, with Sagawa's vocabulary, its
// MM/dd HH:mm dates (the year from the page's 出荷日 when it has one) and
// its 保管中 rule. Its results are marked Degraded. A page where it finds
// no number or no dated known word is a *carriers.LayoutError.
//
// Parse and ParseFor call it when the structured reader fails; it is
// exported so that tests can check both readers agree.
func ParseText(r io.Reader, numbers []string, now time.Time) ([]carriers.Result, error) {
	ur, err := carriers.DecodeHTML(r, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	lines, err := carriers.VisibleLines(ur)
	if err != nil {
		return nil, fmt.Errorf("%s: read page text: %w", Name, err)
	}
	if res, ok := readText(lines, numbers, now); ok {
		return res, nil
	}
	return nil, layout("the number and a dated status word in the page text")
}

// readText runs carriers.ReadText over lines with Sagawa's vocabulary,
// then applies the 保管中 rule to each result's history.
func readText(lines []string, numbers []string, now time.Time) ([]carriers.Result, bool) {
	ship, shipOK := textShipDate(lines)
	v := carriers.TextVocab{
		Carrier: Name,
		Word:    textWord,
		Date: func(line string, now time.Time) (time.Time, bool) {
			m := textDateRE.FindStringSubmatch(foldWidth(line))
			if m == nil {
				return time.Time{}, false
			}
			return dateOf(m[1:], ship, shipOK, now)
		},
	}
	res, ok := carriers.ReadText(lines, numbers, v, now)
	if !ok {
		return nil, false
	}
	pickup := false
	for _, l := range lines {
		if strings.Contains(l, officePickup) {
			pickup = true
		}
	}
	for i := range res {
		applyRules(res[i].Events, pickup)
		res[i].Status, res[i].Reason = carriers.Summarize(res[i].Events)
	}
	return res, true
}

// textWord finds a known Sagawa word at the start of a line of page
// text (after a ↓ or ⇒ step marker): a word of the vocabulary followed by
// the end of the line, a space or a digit (a history row, ↓集荷 08/20 17:13
// 西埼玉営業所, whose cells may run together). A word followed by anything
// else is not one: the page's 「集荷に関するお問い合せ」 label must never
// read as 集荷 (sm-trz/sagawa-monitor carriers/sagawa.js warns of exactly
// that), nor 「配達完了日：」 as 配達完了. Only a marked row may hold a
// word of the looser contains rules in its first field.
func textWord(line string) (string, carriers.Status, carriers.Reason, bool) {
	line = carriers.CleanText(line)
	marked := strings.HasPrefix(line, "↓") || strings.HasPrefix(line, "⇒")
	rest := stripMarker(line)
	best := ""
	for w := range exact {
		if len(w) > len(best) && strings.HasPrefix(rest, w) && wordEnds(rest[len(w):]) {
			best = w
		}
	}
	if best != "" {
		m := exact[best]
		return best, m.status, m.reason, true
	}
	if marked {
		field := rest
		if i := strings.IndexAny(field, " \t"); i >= 0 {
			field = field[:i]
		}
		if m := lookup(field); m.status != carriers.StatusUnknown {
			return field, m.status, m.reason, true
		}
	}
	return "", "", "", false
}

// wordEnds reports whether rest, the text after a word, ends it: nothing,
// a space or a digit.
func wordEnds(rest string) bool {
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return r == ' ' || r == '\t' || (r >= '0' && r <= '9') || (r >= '０' && r <= '９')
}

// textShipDate finds the 出荷日 in the page text: on the labelled line or
// the line after it.
func textShipDate(lines []string) (time.Time, bool) {
	for i, l := range lines {
		if !strings.Contains(l, labelShipDate) {
			continue
		}
		if t, ok := parseShipDate(l); ok {
			return t, true
		}
		if i+1 < len(lines) {
			if t, ok := parseShipDate(lines[i+1]); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}
