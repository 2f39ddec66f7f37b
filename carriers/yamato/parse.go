package yamato

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"

	"github.com/todoku/todoku/carriers"
)

// Landmarks of the current (2021–) result page, research §2a and
// carriers-2026.md. Classes are matched as classes, so extra classes and
// wrappers do not matter.
const (
	selBlock      = "div.parts-tracking-invoice-block"
	selTitle      = ".tracking-invoice-block-title"
	selState      = ".tracking-invoice-block-state"
	selStateTitle = ".tracking-invoice-block-state-title"
	selSummary    = ".tracking-invoice-block-summary"
	selDetail     = ".tracking-invoice-block-detail"
	classUrgent   = "is-urgent-red"
)

// Compiled landmarks: goquery's Find would compile its selector on every
// call, which dominates the cost of a page.
var (
	matchBlock      = cascadia.MustCompile(".parts-tracking-invoice-block")
	matchTitle      = cascadia.MustCompile(selTitle)
	matchHeading    = cascadia.MustCompile("h1, h2, h3, h4, h5, h6")
	matchState      = cascadia.MustCompile(selState)
	matchStateTitle = cascadia.MustCompile(selStateTitle)
	matchSummaryLi  = cascadia.MustCompile(selSummary + " li")
	matchDetailLi   = cascadia.MustCompile(selDetail + " li")
	matchItem       = cascadia.MustCompile(".item")
	matchDate       = cascadia.MustCompile(".date")
	matchName       = cascadia.MustCompile(".name")
	matchData       = cascadia.MustCompile(".data")
	// matchOverviewLink finds the overview list's links to the blocks.
	matchOverviewLink = cascadia.MustCompile("a.js-tracking-detail")
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
// years the page leaves out. The numbers the page is about are taken from
// the page itself (see ParseText for the text reader's use of them).
//
// The visible result blocks are read first; without them, the print copy
// (swd.writeln) is read; without either, the layout-free text reader,
// whose results are marked Degraded. A page none of them can read is a
// *carriers.LayoutError, or a *carriers.FetchError when it is a
// maintenance page. A block whose state is an error other than "no such
// number" is ErrSiteMessage. Parse never returns results together with an
// error.
func Parse(r io.Reader, now time.Time) ([]carriers.Result, error) {
	dr, err := carriers.DecodeHTML(r, "")
	if err != nil {
		return nil, fmt.Errorf("yamato: %w", err)
	}
	return parseUTF8(dr, nil, now)
}

// parseUTF8 parses a page already decoded to UTF-8 (Track decodes with the
// response's Content-Type, and must not decode twice). asked are the
// numbers asked for, or nil when unknown (then the page's own are used).
func parseUTF8(r io.Reader, asked []string, now time.Time) ([]carriers.Result, error) {
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
	results, err := readBlocks(doc, text, asked, now)
	if err == nil {
		return results, nil
	}
	var layout *carriers.LayoutError
	if !errors.As(err, &layout) {
		return nil, err
	}
	if doc.FindMatcher(matchBlock).Length() == 0 && isMaintenance(doc) {
		return nil, &carriers.FetchError{Carrier: Name, Maintenance: true}
	}
	if res, ok, perr := readPrintCopy(text, asked, now); perr == nil && ok {
		return res, nil
	}
	if res, ok := readText(text, asked, now); ok {
		return res, nil
	}
	return nil, layout
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

// readBlocks reads every visible result block. A page without blocks is a
// layout error. A block with a state but no history row takes the
// history of the print copy for its number when the copy has one, else
// its state's status.
func readBlocks(doc *goquery.Document, page []byte, asked []string, now time.Time) ([]carriers.Result, error) {
	blocks := doc.FindMatcher(matchBlock)
	if blocks.Length() == 0 {
		return nil, &carriers.LayoutError{Carrier: Name, Missing: selBlock}
	}
	results := make([]carriers.Result, 0, blocks.Length())
	var bare []int // found results without a history
	for i := range blocks.Length() {
		b := blocks.Eq(i)
		if b.ParentsMatcher(matchBlock).Length() > 0 {
			continue // a block inside a block: its wrapper is read
		}
		res, err := parseBlock(b, now)
		if err != nil {
			return nil, err
		}
		if res.Found && len(res.Events) == 0 {
			bare = append(bare, len(results))
		}
		results = append(results, res)
	}
	if listed := listedBlocks(doc); listed > len(results) {
		// The overview list above the blocks links to every block
		// (#AA000, code id 22211727520 line 254): fewer blocks than links
		// is a page cut off in transit, never a shorter answer.
		return nil, &carriers.FetchError{Carrier: Name, Err: fmt.Errorf("%w: %d result blocks for %d in the overview", errIncompletePage, len(results), listed)}
	}
	if len(bare) > 0 {
		fillFromPrintCopy(results, bare, page, asked, now)
	}
	return results, nil
}

// listedBlocks counts the distinct anchors (#AA000, #AA001 …) the overview
// list links to; 0 when the page has no such list (it is optional).
func listedBlocks(doc *goquery.Document) int {
	seen := map[string]bool{}
	doc.FindMatcher(matchOverviewLink).Each(func(_ int, a *goquery.Selection) {
		if h, _ := a.Attr("href"); strings.HasPrefix(h, "#AA") {
			seen[h] = true
		}
	})
	return len(seen)
}

// fillFromPrintCopy gives the results at idx, found without a history,
// the history the print copy has for their number. A copy that cannot be
// read or matched to its numbers changes nothing.
func fillFromPrintCopy(results []carriers.Result, idx []int, page []byte, asked []string, now time.Time) {
	if len(asked) == 0 {
		for _, r := range results {
			asked = append(asked, r.Number)
		}
	}
	pr, ok, err := readPrintCopy(page, asked, now)
	if err != nil || !ok {
		return
	}
	byNumber := make(map[string]carriers.Result, len(pr))
	for _, r := range pr {
		byNumber[r.Number] = r
	}
	for _, i := range idx {
		p, ok := byNumber[results[i].Number]
		if !ok {
			continue
		}
		results[i].Events = p.Events
		results[i].Status, results[i].Reason = p.Status, p.Reason
		results[i].Office = p.Office
		if results[i].Product == "" {
			results[i].Product = p.Product
		}
	}
}

// parseBlock reads one result block.
func parseBlock(b *goquery.Selection, now time.Time) (carriers.Result, error) {
	number, err := blockNumber(b)
	if err != nil {
		return carriers.Result{}, err
	}
	state := b.FindMatcher(matchState).First()
	titleSel := b.FindMatcher(matchStateTitle).First()
	title := carriers.CleanText(titleSel.Text())
	events, err := history(b, now)
	if err != nil {
		return carriers.Result{}, err
	}

	if isNotFound(title) {
		if len(events) > 0 {
			return carriers.Result{}, fmt.Errorf("yamato: %s: %q with a history: %w", number, title, ErrSiteMessage)
		}
		return carriers.NotFound(Name, number), nil
	}
	if state.HasClass(classUrgent) && len(events) == 0 {
		return carriers.Result{}, fmt.Errorf("yamato: %s: %q: %w", number, title, ErrSiteMessage)
	}
	if title == "" && len(events) == 0 {
		return carriers.Result{}, &carriers.LayoutError{Carrier: Name, Missing: selStateTitle + " or " + selDetail + " li .item"}
	}
	res := carriers.Result{
		Number:  number,
		Carrier: Name,
		Found:   true,
		Events:  events,
		Product: product(b),
		Office:  lastOffice(events),
	}
	res.Status, res.Reason = summarize(events)
	if res.Status == carriers.StatusUnknown && title != "" && !isRequest(title) {
		// No history, or only words todoku does not know: the state
		// title is what the page says.
		if st, reason := Classify(title); st != carriers.StatusUnknown {
			res.Status, res.Reason = st, reason
		}
	}
	return res, nil
}

// history reads a block's history rows: the li elements of its detail
// list that hold an .item, oldest first. A row without words (a spacer)
// is skipped; a row without a .date has no time; a date in an unknown
// format is a layout error.
func history(b *goquery.Selection, now time.Time) ([]carriers.Event, error) {
	rows := b.FindMatcher(matchDetailLi)
	events := make([]carriers.Event, 0, rows.Length())
	for i := range rows.Length() {
		li := rows.Eq(i)
		item := li.FindMatcher(matchItem)
		if item.Length() == 0 || li.Find("li").Length() > 0 {
			continue
		}
		ev := carriers.Event{Raw: carriers.CleanText(item.First().Text())}
		if ev.Raw == "" {
			continue
		}
		var err error
		if ev.Time, err = parseDate(foldDigits(li.FindMatcher(matchDate).First().Text()), now); err != nil {
			return nil, err
		}
		ev.Location = carriers.CleanText(li.FindMatcher(matchName).First().Text())
		ev.Status, ev.Reason = Classify(ev.Raw)
		events = append(events, ev)
	}
	return events, nil
}

// lastOffice is the last centre named in the history: Yamato prints no
// phone (research §2a).
func lastOffice(events []carriers.Event) carriers.Office {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Location != "" {
			return carriers.Office{Name: events[i].Location}
		}
	}
	return carriers.Office{}
}

// blockNumber reads the number from the block's heading,
// 「1件目：6230-2386-6161」 (h3.tracking-invoice-block-title; sm-trz reads
// the same 「N件目：」 text). Without that class, the block's first
// heading that names a number is used.
func blockNumber(b *goquery.Selection) (string, error) {
	for _, sel := range []*goquery.Selection{b.FindMatcher(matchTitle), b.FindMatcher(matchHeading)} {
		for i := range sel.Length() {
			if n, ok := headingNumber(carriers.CleanText(sel.Eq(i).Text())); ok {
				return n, nil
			}
		}
	}
	return "", &carriers.LayoutError{Carrier: Name, Missing: "tracking number in " + selTitle}
}

// headingNumber reads 「N件目：1234-5678-9012」 (colon full- or half-width,
// spaces anywhere, digits full- or half-width) or a bare number.
func headingNumber(text string) (string, bool) {
	if _, after, ok := strings.Cut(text, "件目"); ok {
		text = after
	}
	text = strings.TrimLeft(text, " ：:")
	var digits strings.Builder
	for _, r := range text {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r >= '０' && r <= '９':
			digits.WriteRune(r - '０' + '0')
		case r == '-' || r == '－' || r == '‐' || r == '−' || r == ' ' || r == '\u3000':
		default:
			return "", false
		}
	}
	if n := digits.Len(); n < 8 || n > 14 {
		return "", false
	}
	return digits.String(), true
}

// product returns the 商品名 of the block's summary (the label is
// 「商品名：」 with a colon on the 2026 page, sm-trz test.js), or "".
func product(b *goquery.Selection) string {
	var name string
	b.FindMatcher(matchSummaryLi).EachWithBreak(func(_ int, li *goquery.Selection) bool {
		if normLabel(li.FindMatcher(matchItem).First().Text()) != "商品名" {
			return true
		}
		name = cleanProduct(li.FindMatcher(matchData).First().Text())
		return false
	})
	return name
}

// cleanProduct returns a product name, "" for the page's "-".
func cleanProduct(s string) string {
	s = carriers.CleanText(s)
	if s == "-" || s == "－" {
		return ""
	}
	return s
}

// normLabel is a label without spaces and without its trailing colon.
func normLabel(s string) string {
	s = strings.Join(strings.Fields(carriers.CleanText(s)), "")
	return strings.TrimRight(s, "：:")
}
