package japanpost

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/todoku/todoku/carriers"
)

// Landmarks of the current result page (research §4a).
const (
	selDetails  = `table[summary="配達状況詳細"]`
	selHistory  = `table[summary="履歴情報"]`
	selContacts = `table.tableType03`
	selNotFound = `table[summary="照会結果"]`
	selFooter   = `#footer`
)

// Words the page prints outside the vocabulary.
const (
	msgNotFound     = "お問い合わせ番号が見つかりません"
	msgNotFoundEN   = "your item was not found"
	msgLengthError  = "入力桁数に誤り"
	msgMaintenance  = "メンテナンス"
	msgMaintenanceE = "maintenance"
)

// errIncomplete is the cause of a FetchError for a page cut off in
// transit: it has neither the footer nor a closing </html>.
var errIncomplete = errors.New("incomplete page")

// Parse reads a Japan Post result page (UTF-8 or Shift_JIS, sniffed from
// <meta charset> or a BOM) and returns one result per number block, in
// page order. now is used only to infer the year of a date printed
// without one (the current page prints the year) and to reject a printed
// year beyond next year.
//
// The page holds one section per number: a table.tableType01
// [summary="配達状況詳細"] (number, 商品種別), then a [summary="履歴情報"]
// history with two header rows and one pair of rows per event, then an
// optional table.tableType03 お問い合わせ先 (type | office | phone). A
// number Japan Post does not know is a [summary="照会結果"] table with
// 「お問い合わせ番号が見つかりません。…」.
//
// Event times are in Asia/Tokyo, except for events whose 県名等 names a
// country abroad: those are in that country's zone from a small table
// (see countries; a country the table lacks stays in Asia/Tokyo).
//
// Errors: a page without the landmarks is a *carriers.LayoutError; a
// maintenance page, an empty page or one cut off (neither the footer nor
// a closing </html>) is a *carriers.FetchError; a page rejecting a
// number's length wraps ErrNumberRejected.
func Parse(r io.Reader, now time.Time) ([]carriers.Result, error) {
	u, err := carriers.DecodeHTML(r, "")
	if err != nil {
		return nil, fmt.Errorf("%s: parse: %w", Name, err)
	}
	return parse(u, now)
}

// parse is Parse for a page already decoded to UTF-8.
func parse(r io.Reader, now time.Time) ([]carriers.Result, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &carriers.FetchError{Carrier: Name, Err: fmt.Errorf("read page: %w", err)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &carriers.FetchError{Carrier: Name, Err: errors.New("empty page")}
	}
	node, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, &carriers.LayoutError{Carrier: Name, Missing: "html document"}
	}
	doc := goquery.NewDocumentFromNode(node)

	blocks, seen := landmarks(doc)
	if !seen {
		return nil, pageError(doc)
	}
	if doc.Find(selFooter).Length() == 0 && !carriers.EndsHTML(data) {
		// Neither the footer nor a closing </html>: cut off in transit.
		// A complete page with another footer still parses.
		return nil, &carriers.FetchError{Carrier: Name, Err: errIncomplete}
	}
	p := parser{now: now}
	return p.walk(blocks)
}

// walk turns the landmark tables into results: a 配達状況詳細 table opens
// a number's section, the 履歴情報 and お問い合わせ先 tables after it belong
// to it, and a 照会結果 table is a number of its own.
func (p *parser) walk(blocks []block) ([]carriers.Result, error) {
	var (
		out []carriers.Result
		cur *section
	)
	flush := func() error {
		if cur == nil {
			return nil
		}
		res, err := p.result(cur)
		if err != nil {
			return err
		}
		out = append(out, res)
		cur = nil
		return nil
	}
	for _, b := range blocks {
		switch b.kind {
		case kindDetails:
			if err := flush(); err != nil {
				return nil, err
			}
			cur = &section{details: b.sel}
		case kindNotFound:
			if err := flush(); err != nil {
				return nil, err
			}
			res, err := notFound(b.sel)
			if err != nil {
				return nil, err
			}
			out = append(out, res)
		case kindHistory:
			if cur == nil || cur.history != nil {
				return nil, &carriers.LayoutError{Carrier: Name, Missing: selDetails + " before " + selHistory}
			}
			cur.history = b.sel
		case kindContacts:
			if cur != nil && cur.contacts == nil {
				cur.contacts = b.sel
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, nil
}

// blockKind says which landmark table a block is.
type blockKind int

const (
	kindDetails blockKind = iota + 1
	kindHistory
	kindContacts
	kindNotFound
)

// block is a landmark table.
type block struct {
	kind blockKind
	sel  *goquery.Selection
}

// landmarks returns the landmark tables (selBlocks) in document order,
// and whether a result landmark (配達状況詳細 or 照会結果) is among them.
// It reads attributes rather than matching selectors per table: this is
// the hot path of a parse.
func landmarks(doc *goquery.Document) (blocks []block, seen bool) {
	for _, t := range doc.Find("table").EachIter() {
		var k blockKind
		switch summary, _ := t.Attr("summary"); {
		case summary == "配達状況詳細":
			k, seen = kindDetails, true
		case summary == "照会結果":
			k, seen = kindNotFound, true
		case summary == "履歴情報":
			k = kindHistory
		case t.HasClass("tableType03"):
			k = kindContacts
		default:
			continue
		}
		blocks = append(blocks, block{k, t})
	}
	return blocks, seen
}

// pageError explains a page without any result block: a rejected number,
// maintenance, or a layout the adapter does not know. Maintenance is read
// only from the title and headings, so that a redesigned page with a
// maintenance notice in its news column is still a layout change.
func pageError(doc *goquery.Document) error {
	heads := strings.ToLower(doc.Find("title, h1, h2, h3").Text())
	switch {
	case strings.Contains(doc.Find("body").Text(), msgLengthError):
		return fmt.Errorf("%s: parse: %w", Name, ErrNumberRejected)
	case strings.Contains(heads, msgMaintenance) || strings.Contains(heads, msgMaintenanceE):
		return &carriers.FetchError{Carrier: Name, Maintenance: true}
	}
	return &carriers.LayoutError{Carrier: Name, Missing: selDetails}
}

// section is one number's block on the page.
type section struct {
	details, history, contacts *goquery.Selection
}

// parser holds what one parse needs across sections.
type parser struct {
	now time.Time
}

// result turns one section into a Result.
func (p *parser) result(s *section) (carriers.Result, error) {
	number, product, err := details(s.details)
	if err != nil {
		return carriers.Result{}, err
	}
	if s.history == nil {
		return carriers.Result{}, &carriers.LayoutError{Carrier: Name, Missing: selHistory + " for " + number}
	}
	events, err := p.history(s.history)
	if err != nil {
		return carriers.Result{}, err
	}
	res := carriers.Result{
		Number: number, Carrier: Name, Found: true,
		Events: events, Product: product,
	}
	res.Status, res.Reason = carriers.Summarize(events)
	if s.contacts != nil {
		res.Office = office(s.contacts)
	}
	return res, nil
}

// details reads the number and 商品種別 from the 配達状況詳細 table: a
// header row, then a row お問い合わせ番号 | 商品種別 | 付加サービス.
func details(t *goquery.Selection) (number, product string, err error) {
	for _, tr := range t.Find("tr").EachIter() {
		cells := tds(tr)
		if cells.Length() == 0 {
			continue
		}
		number = pageNumber(cellText(cells.Eq(0)))
		if !plausibleNumber(number) {
			return "", "", &carriers.LayoutError{Carrier: Name, Missing: selDetails + " お問い合わせ番号"}
		}
		if cells.Length() > 1 {
			product = cellText(cells.Eq(1))
		}
		return number, product, nil
	}
	return "", "", &carriers.LayoutError{Carrier: Name, Missing: selDetails + " data row"}
}

// history reads the 履歴情報 table: two header rows (the first with
// 状態発生日), then per event a row A (状態発生日, 配送履歴, 詳細, 取扱局,
// 県名等) and a row B (郵便番号).
func (p *parser) history(t *goquery.Selection) ([]carriers.Event, error) {
	rows := t.Find("tr")
	if !strings.Contains(rows.First().Text(), "状態発生日") {
		return nil, &carriers.LayoutError{Carrier: Name, Missing: selHistory + " header 状態発生日"}
	}
	events := []carriers.Event{}
	pendingB := false
	for _, tr := range rows.EachIter() {
		cells := tds(tr)
		switch n := cells.Length(); {
		case n == 0: // a header row
			continue
		case n >= 5:
			ev, err := p.event(cells)
			if err != nil {
				return nil, err
			}
			events = append(events, ev)
			pendingB = true
		case n <= 2 && pendingB: // row B: 郵便番号
			pendingB = false
		default:
			return nil, &carriers.LayoutError{Carrier: Name, Missing: selHistory + " event row pair"}
		}
	}
	return events, nil
}

// event reads row A of an event pair.
func (p *parser) event(cells *goquery.Selection) (carriers.Event, error) {
	raw := cellText(cells.Eq(1))
	if raw == "" {
		return carriers.Event{}, &carriers.LayoutError{Carrier: Name, Missing: selHistory + " 配送履歴"}
	}
	office, place := cellText(cells.Eq(3)), cellText(cells.Eq(4))
	loc, abroad := zoneFor(place)
	when, err := parseTime(cellText(cells.Eq(0)), p.now, loc)
	if err != nil {
		return carriers.Event{}, &carriers.LayoutError{Carrier: Name, Missing: selHistory + " 状態発生日 YYYY/MM/DD HH:MM"}
	}
	status, reason := Classify(raw)
	return carriers.Event{
		Time: when, Status: status, Reason: reason, Raw: raw,
		Location: location(office, place, abroad),
	}, nil
}

// location names where an event happened: the 取扱局, followed by the
// country when it is abroad ("NEW YORK NY ISC (UNITED STATES OF
// AMERICA)"); the prefecture is left out for events in Japan.
func location(office, place string, abroad bool) string {
	switch {
	case !abroad || place == "":
		if office == "" {
			return place
		}
		return office
	case office == "":
		return place
	}
	return office + " (" + place + ")"
}

// parseTime reads a 状態発生日: "2026/11/20 09:12" (ja), "11/20/2026 09:12"
// (en), either without the time, or "11/20 09:12" without a year (the year
// is then inferred from now). A printed year before 1990 or after next
// year is not a date this page would show: an error.
func parseTime(s string, now time.Time, loc *time.Location) (time.Time, error) {
	date, clock, _ := strings.Cut(strings.Join(strings.Fields(s), " "), " ")
	hour, minute := 0, 0
	if clock != "" {
		h, m, ok := strings.Cut(clock, ":")
		var err1, err2 error
		hour, err1 = strconv.Atoi(h)
		minute, err2 = strconv.Atoi(m)
		if !ok || err1 != nil || err2 != nil || hour < 0 || hour > 23 || minute < 0 || minute > 59 {
			return time.Time{}, fmt.Errorf("bad time %q", s)
		}
	}
	parts := strings.Split(date, "/")
	nums := make([]int, len(parts))
	for i, part := range parts {
		v, err := strconv.Atoi(part)
		if err != nil || v < 0 {
			return time.Time{}, fmt.Errorf("bad date %q", s)
		}
		nums[i] = v
	}
	var year, month, day int
	switch {
	case len(nums) == 3 && len(parts[0]) == 4:
		year, month, day = nums[0], nums[1], nums[2]
	case len(nums) == 3 && len(parts[2]) == 4:
		month, day, year = nums[0], nums[1], nums[2]
	case len(nums) == 2:
		return carriers.InferYear(now, time.Month(nums[0]), nums[1], hour, minute, loc)
	default:
		return time.Time{}, fmt.Errorf("bad date %q", s)
	}
	t := time.Date(year, time.Month(month), day, hour, minute, 0, 0, loc)
	if month < 1 || month > 12 || t.Day() != day || year < 1990 || year > now.Year()+1 {
		return time.Time{}, fmt.Errorf("bad date %q", s)
	}
	return t, nil
}

// notFound reads a 照会結果 table: the number (when printed) and Japan
// Post's message.
func notFound(t *goquery.Selection) (carriers.Result, error) {
	text := strings.ToLower(t.Text())
	switch {
	case strings.Contains(text, msgLengthError):
		return carriers.Result{}, fmt.Errorf("%s: parse: %w", Name, ErrNumberRejected)
	case !strings.Contains(text, msgNotFound) && !strings.Contains(text, msgNotFoundEN):
		return carriers.Result{}, &carriers.LayoutError{Carrier: Name, Missing: selNotFound + " message"}
	}
	number := ""
	for _, td := range t.Find("td").EachIter() {
		if n := pageNumber(cellText(td)); plausibleNumber(n) {
			number = n
			break
		}
	}
	return carriers.NotFound(Name, number), nil
}

// office picks the office from the お問い合わせ先 table (type | office |
// phone): the 配達局 or お届け先 row, else the last office listed.
func office(t *goquery.Selection) carriers.Office {
	var best, last carriers.Office
	for _, tr := range t.Find("tr").EachIter() {
		cells := tds(tr)
		if cells.Length() < 3 {
			continue
		}
		o := carriers.Office{Name: cellText(cells.Eq(1)), Phone: cellText(cells.Eq(2))}
		if o.Name == "" {
			continue
		}
		last = o
		kind := cellText(cells.Eq(0))
		if best.IsZero() && (strings.Contains(kind, "配達局") || strings.Contains(kind, "お届け先")) {
			best = o
		}
	}
	if !best.IsZero() {
		return best
	}
	return last
}

// tds returns the td children of a row without compiling a selector.
func tds(tr *goquery.Selection) *goquery.Selection {
	return tr.Children().FilterFunction(func(_ int, c *goquery.Selection) bool {
		return goquery.NodeName(c) == "td"
	})
}

// cellText is the text of a cell with runs of white space (full-width and
// &nbsp; included) collapsed and trimmed.
func cellText(s *goquery.Selection) string {
	return carriers.CleanText(s.Text())
}

// pageNumber reduces a number as printed (1234-5678-9012, ee 123456785 jp)
// to its letters and digits, upper case.
func pageNumber(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - ('a' - 'A'))
		case r == '-' || r == ' ' || r == '\u3000' || r == '\u2010' || r == '\u2212':
		default:
			return ""
		}
	}
	return b.String()
}

// plausibleNumber reports whether s looks like a Japan Post number:
// 10 to 13 digits, or a UPU S10 number (2 letters, 9 digits, 2 letters).
func plausibleNumber(s string) bool {
	if len(s) >= 10 && len(s) <= 13 && strings.Trim(s, "0123456789") == "" {
		return true
	}
	if len(s) != 13 {
		return false
	}
	letters := func(x string) bool { return strings.Trim(x, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" }
	return letters(s[:2]) && letters(s[11:]) && strings.Trim(s[2:11], "0123456789") == ""
}
