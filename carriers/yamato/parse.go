package yamato

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"github.com/todoku/todoku/carriers"
)

// Landmarks of the current (2021–) result page, research §2a.
const (
	selBlock       = "div.parts-tracking-invoice-block"
	selTitle       = "h3.tracking-invoice-block-title"
	selState       = ".tracking-invoice-block-state"
	selStateTitle  = ".tracking-invoice-block-state-title"
	selSummaryRows = ".tracking-invoice-block-summary li"
	selDetail      = ".tracking-invoice-block-detail"
	selDetailRows  = ".tracking-invoice-block-detail ol li"
	selFooter      = "footer"
	classUrgent    = "is-urgent-red"
)

// Compiled landmarks: goquery's Find would compile its selector on every
// call, which dominates the cost of a page.
var (
	matchBlock       = cascadia.MustCompile(selBlock)
	matchTitle       = cascadia.MustCompile(selTitle)
	matchState       = cascadia.MustCompile(selState)
	matchStateTitle  = cascadia.MustCompile(selStateTitle)
	matchSummaryRows = cascadia.MustCompile(selSummaryRows)
	matchDetail      = cascadia.MustCompile(selDetail)
	matchDetailRows  = cascadia.MustCompile(selDetailRows)
	matchFooter      = cascadia.MustCompile(selFooter)
	matchItem        = cascadia.MustCompile(".item")
	matchDate        = cascadia.MustCompile(".date")
	matchName        = cascadia.MustCompile(".name")
	matchData        = cascadia.MustCompile(".data")
)

// maintenanceWords are phrases of a page that stands in for the results
// while the system is down or overloaded. Yamato's exact wording was not
// recorded (research §9.3), so these are the usual Japanese phrasings,
// kept narrow so that a notice banner on a redesigned page ("…メンテナンス
// のお知らせ") is not mistaken for one. A title naming メンテナンス also
// counts.
var maintenanceWords = []string{"メンテナンス中", "アクセスが集中"}

// Parse reads a Yamato result page (UTF-8 or Shift_JIS) and returns one
// Result per result block, in page order. now is used only to infer the
// years the page leaves out.
//
// A page without result blocks is a *carriers.LayoutError, or a
// *carriers.FetchError when it is a maintenance page; a page cut off
// before its end is a *carriers.FetchError ("incomplete page"). A block
// whose state is an error other than "no such number" is ErrSiteMessage.
// Parse never returns results together with an error.
func Parse(r io.Reader, now time.Time) ([]carriers.Result, error) {
	dr, err := carriers.DecodeHTML(r, "")
	if err != nil {
		return nil, fmt.Errorf("yamato: %w", err)
	}
	return parseUTF8(dr, now)
}

// parseUTF8 parses a page already decoded to UTF-8 (Track decodes with the
// response's Content-Type, and must not decode twice).
func parseUTF8(r io.Reader, now time.Time) ([]carriers.Result, error) {
	text, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("yamato: read page: %w", err)
	}
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, &carriers.FetchError{Carrier: Name, Err: errEmptyPage}
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("yamato: parse page: %w", err)
	}
	blocks := doc.FindMatcher(matchBlock)
	if blocks.Length() == 0 {
		if isMaintenance(doc) {
			return nil, &carriers.FetchError{Carrier: Name, Maintenance: true}
		}
		return nil, &carriers.LayoutError{Carrier: Name, Missing: selBlock}
	}
	if !complete(doc, text) {
		return nil, &carriers.FetchError{Carrier: Name, Err: errIncompletePage}
	}
	results := make([]carriers.Result, 0, blocks.Length())
	for i := range blocks.Length() {
		res, err := parseBlock(blocks.Eq(i), now)
		if err != nil {
			return nil, err
		}
		results = append(results, res)
	}
	return results, nil
}

// complete reports whether the page reached its end: the footer is there,
// or the document closes with </html> (trailing comments aside). A
// cut-off response has neither.
func complete(doc *goquery.Document, text []byte) bool {
	return doc.FindMatcher(matchFooter).Length() > 0 || carriers.EndsHTML(text)
}

// isMaintenance reports whether the visible text of the page says the
// system is down or overloaded. Scripts are left out.
func isMaintenance(doc *goquery.Document) bool {
	if strings.Contains(doc.Find("title").Text(), "メンテナンス") {
		return true
	}
	body := doc.Find("body").Clone()
	body.Find("script, style, noscript").Remove()
	text := body.Text()
	for _, w := range maintenanceWords {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// parseBlock reads one div.parts-tracking-invoice-block.
func parseBlock(b *goquery.Selection, now time.Time) (carriers.Result, error) {
	number, err := blockNumber(b)
	if err != nil {
		return carriers.Result{}, err
	}
	state := b.FindMatcher(matchState).First()
	if state.Length() == 0 {
		return carriers.Result{}, &carriers.LayoutError{Carrier: Name, Missing: selState}
	}
	titleSel := state.FindMatcher(matchStateTitle)
	if titleSel.Length() == 0 {
		return carriers.Result{}, &carriers.LayoutError{Carrier: Name, Missing: selStateTitle}
	}
	title := carriers.CleanText(titleSel.First().Text())
	rows := b.FindMatcher(matchDetailRows)

	if isNotFound(title) {
		if rows.Length() > 0 {
			return carriers.Result{}, fmt.Errorf("yamato: %s: %q with a history: %w", number, title, ErrSiteMessage)
		}
		return carriers.NotFound(Name, number), nil
	}
	if state.HasClass(classUrgent) && rows.Length() == 0 {
		return carriers.Result{}, fmt.Errorf("yamato: %s: %q: %w", number, title, ErrSiteMessage)
	}
	if b.FindMatcher(matchDetail).Length() == 0 {
		return carriers.Result{}, &carriers.LayoutError{Carrier: Name, Missing: selDetail}
	}

	events := make([]carriers.Event, 0, rows.Length())
	for i := range rows.Length() {
		ev, ok, err := parseRow(rows.Eq(i), now)
		if err != nil {
			return carriers.Result{}, err
		}
		if ok {
			events = append(events, ev)
		}
	}
	res := carriers.Result{
		Number:  number,
		Carrier: Name,
		Found:   true,
		Events:  events,
		Product: product(b),
	}
	if len(events) > 0 {
		res.Status, res.Reason = carriers.Summarize(events)
	} else {
		// No history yet: the state title is all the page says.
		res.Status, res.Reason = Classify(title)
	}
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Location != "" {
			res.Office = carriers.Office{Name: events[i].Location}
			break
		}
	}
	return res, nil
}

// blockNumber reads the number from the heading "1件目：6230-2386-6161".
func blockNumber(b *goquery.Selection) (string, error) {
	h := b.FindMatcher(matchTitle)
	if h.Length() == 0 {
		return "", &carriers.LayoutError{Carrier: Name, Missing: selTitle}
	}
	text := carriers.CleanText(h.First().Text())
	if i := strings.LastIndexAny(text, "：:"); i >= 0 {
		_, size := firstRune(text[i:])
		text = text[i+size:]
	} else if _, after, ok := strings.Cut(text, "件目"); ok {
		text = after
	}
	var digits strings.Builder
	for _, r := range text {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r >= '０' && r <= '９':
			digits.WriteRune(r - '０' + '0')
		case r == '-' || r == '－' || r == '‐' || r == ' ' || r == '\u3000':
		default:
			return "", &carriers.LayoutError{Carrier: Name, Missing: "tracking number in " + selTitle}
		}
	}
	if digits.Len() == 0 {
		return "", &carriers.LayoutError{Carrier: Name, Missing: "tracking number in " + selTitle}
	}
	return digits.String(), nil
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// parseRow reads one history row. ok is false for a row with no words.
func parseRow(li *goquery.Selection, now time.Time) (ev carriers.Event, ok bool, err error) {
	item := li.FindMatcher(matchItem)
	if item.Length() == 0 {
		return ev, false, &carriers.LayoutError{Carrier: Name, Missing: selDetailRows + " .item"}
	}
	date := li.FindMatcher(matchDate)
	if date.Length() == 0 {
		return ev, false, &carriers.LayoutError{Carrier: Name, Missing: selDetailRows + " .date"}
	}
	ev.Raw = carriers.CleanText(item.First().Text())
	if ev.Raw == "" {
		return ev, false, nil
	}
	ev.Time, err = parseDate(carriers.CleanText(date.First().Text()), now)
	if err != nil {
		return ev, false, err
	}
	ev.Location = carriers.CleanText(li.FindMatcher(matchName).First().Text())
	ev.Status, ev.Reason = Classify(ev.Raw)
	return ev, true, nil
}

// product returns the 商品名 of the block's summary, or "".
func product(b *goquery.Selection) string {
	var name string
	b.FindMatcher(matchSummaryRows).EachWithBreak(func(_ int, li *goquery.Selection) bool {
		if normWord(li.FindMatcher(matchItem).First().Text()) != "商品名" {
			return true
		}
		name = carriers.CleanText(li.FindMatcher(matchData).First().Text())
		return false
	})
	if name == "-" || name == "－" {
		return ""
	}
	return name
}
