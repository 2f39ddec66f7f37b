package sagawa

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/todoku/todoku/carriers"
)

// The texts the structured reader looks for, compared after labelKey.
// Sources: see the package documentation.
const (
	stateNotFound   = "該当なし"
	maintenanceText = "メンテナンス中"
	labelNumber     = "お問い合せ送り状No."
	labelShipDate   = "出荷日"
	labelDelivery   = "配達に関するお問い合せ"
	labelOffice     = "配達営業所"
	labelService    = "サービス"
	historyStatus   = "荷物状況"
	historyDate     = "日時"
	historyOffice   = "担当営業所"
	officePickup    = "営業所止め"
)

// notFoundMessages are the explicit "no such number" messages shown under
// a 該当なし state, current first (shlee322/delivery-tracker jp.sagawa;
// code id 53791083873), then older ones (research §3a, takuhai_status).
var notFoundMessages = []string{
	"お荷物データが登録されておりません",
	"お問い合せ送り状NOをお確かめください",
	"お問い合わせNo.をお確かめ下さい",
}

var (
	shipDateRE  = regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
	slashDateRE = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$`)
	kanjiDateRE = regexp.MustCompile(`^(\d{1,2})月\s*(\d{1,2})日(?:\s*(\d{1,2})[:時]\s*(\d{2})分?)?$`)
	detailNRE   = regexp.MustCompile(`^詳細\d+$`)
	telRE       = regexp.MustCompile(`TEL[:：]?\s*([0-9０-９][0-9０-９\-－‐()（）]*[0-9０-９])`)
)

// Parse reads a saved Sagawa result page (okurijosearch.do) whose number
// is not known: it is the number the page prints. See ParseFor.
func Parse(r io.Reader, now time.Time) ([]carriers.Result, error) {
	return ParseFor(r, "", now)
}

// ParseFor reads a Sagawa result page and returns the one result it
// shows. number is the number asked for, or "" when it is not known (a
// saved page): a 該当なし page need not print the number, so the one asked
// is used; a page printing another number is ErrWrongNumber. ParseFor is
// pure: now is used only to infer a year when the page has no 出荷日.
//
// A maintenance page is a *carriers.FetchError. A page without the
// landmarks listed in the package documentation is read once more by the
// layout-free text reader (see ParseText); when that finds the number and
// a dated known word, its results are returned, marked Degraded, and
// otherwise the *carriers.LayoutError of the structured reader. The text
// reader is not tried on a page that says 該当なし (its text holds no
// history) nor on one printing two different numbers. Without a number
// asked, it looks for the number the structured reader found, else the
// first number in the text that carriers.Identify gives to Sagawa. A
// 該当なし page with a message todoku does not know is ErrRejected.
func ParseFor(r io.Reader, number string, now time.Time) ([]carriers.Result, error) {
	ur, err := carriers.DecodeHTML(r, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	return parseUTF8(ur, number, now)
}

// parseUTF8 is ParseFor for a page already decoded to UTF-8 (Track decodes
// with the response's Content-Type; decoding twice would garble a page
// that declares Windows-31J in a <meta> tag).
func parseUTF8(ur io.Reader, asked string, now time.Time) ([]carriers.Result, error) {
	data, err := io.ReadAll(ur)
	if err != nil {
		return nil, fmt.Errorf("%s: read page: %w", Name, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: parse html: %w", Name, err)
	}
	p := scan(doc)
	res, err := p.result(asked, now)
	if err == nil {
		return []carriers.Result{res}, nil
	}
	var le *carriers.LayoutError
	if !errors.As(err, &le) {
		return nil, err
	}
	if p.listNumber != "" && p.number() != p.listNumber {
		return nil, err // two numbers on one page: no number to read text for
	}
	if p.saysNotFound() {
		return nil, err // the page says 該当なし: its text is no history
	}
	// The second, layout-free reader.
	lines, _ := carriers.VisibleLines(bytes.NewReader(data))
	number := asked
	if number == "" {
		number = p.number()
	}
	if number == "" {
		number = firstNumber(lines)
	}
	if number != "" {
		if out, ok := readText(lines, []string{number}, now); ok {
			if p.officeOK {
				out[0].Office = p.office // the number to call, when it is still readable
			}
			return out, nil
		}
	}
	return nil, err
}

// layout returns the error for a page that lacks the landmark missing.
func layout(missing string) error {
	return &carriers.LayoutError{Carrier: Name, Missing: missing}
}

// page is what the structured reader found on a page, by meaning.
type page struct {
	// state is the latest status: span.state, or the list row's status
	// cell; hasState tells an empty state from a missing one; stateN is
	// span.state.
	state    string
	hasState bool
	stateN   *html.Node
	// listNumber is the number in the list row (詳細N | number | state).
	listNumber string
	// list is the table holding the list row listTR (nil when there is
	// none); its other rows hold the message under the state.
	list, listTR *html.Node
	// listText is the text of the list, or of the whole page when there
	// is no list; listMessage the text of the list's other rows. Both are
	// filled for a 該当なし state only.
	listText, listMessage string
	// labels are the values of labelled rows (th or td label, value in
	// the next cell) and dt/dd pairs, by labelKey, in page order.
	labels map[string][]string
	// office is the 配達に関するお問い合せ office.
	office   carriers.Office
	officeOK bool
	// history is the table headed 荷物状況 … 担当営業所, its header row
	// and the column of each field.
	history                      *html.Node
	header                       *html.Node
	colStatus, colDate, colPlace int
	// maintenance is true when the visible text announces maintenance.
	maintenance bool
}

// saysNotFound reports whether the latest status reads 該当なし (alone or
// followed by its message in the same cell).
func (p *page) saysNotFound() bool {
	return p.hasState && strings.HasPrefix(matchKey(p.state), stateNotFound)
}

// number returns the number the page prints: the detail summary's
// お問い合せ送り状No., else the list row's.
func (p *page) number() string {
	for _, v := range p.labels[labelNumber] {
		if n, ok := trackingNumber(v); ok {
			return n
		}
	}
	return p.listNumber
}

// scan walks the document once and collects the landmarks by meaning.
func scan(doc *goquery.Document) *page {
	p := &page{labels: map[string][]string{}, colStatus: -1}
	if s := doc.Find("span.state").First(); s.Length() > 0 {
		p.stateN = s.Nodes[0]
		p.state, p.hasState = text(p.stateN), true
	}
	doc.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		p.row(tr.Nodes[0])
	})
	doc.Find("dt").Each(func(_ int, dt *goquery.Selection) {
		if dd := dt.NextFiltered("dd"); dd.Length() > 0 {
			p.label(text(dt.Nodes[0]), dd.Nodes[0])
		}
	})
	if !p.officeOK {
		p.officeInText(doc)
	}
	if !p.hasState && p.list == nil && p.history == nil {
		p.maintenance = strings.Contains(text(doc.Nodes[0]), maintenanceText)
	}
	if p.saysNotFound() {
		p.notFoundTexts(doc)
	}
	return p
}

// row reads one table row: a list row, a history header, or a labelled
// summary row.
func (p *page) row(tr *html.Node) {
	cells := cellsOf(tr)
	if len(cells) == 0 {
		return
	}
	keys := make([]string, len(cells))
	for i, c := range cells {
		keys[i] = labelKey(text(c))
	}
	if p.list == nil && p.listRow(tr, cells, keys) {
		return
	}
	if p.history == nil && p.historyHeader(tr, keys) {
		return
	}
	for i, k := range keys {
		if i+1 < len(cells) && isLabel(k) {
			p.label(k, cells[i+1])
		} else if strings.HasPrefix(k, labelDelivery) && !p.officeOK {
			// The label and its value in one cell (older pages).
			p.office, p.officeOK = parseOffice(labelCut(text(cells[i]), labelDelivery))
		}
	}
}

// listRow recognises the list row: a 詳細N cell, the number, the latest
// status (Shakshi3104/TsuiseKit: table.ttl02 whose th cells are [詳細N,
// number, status]; sm-trz: 詳細1, the number, the status), or the row that
// holds span.state (shlee322).
func (p *page) listRow(tr *html.Node, cells []*html.Node, keys []string) bool {
	start := -1
	for i, k := range keys {
		if detailNRE.MatchString(k) {
			start = i
			break
		}
	}
	if start < 0 && !(p.stateN != nil && closest(p.stateN, atom.Tr) == tr) {
		return false // a layout table's row around the list is not the list
	}
	if start < 0 {
		start = 0
	}
	stateCell := -1
	for i := start; i < len(cells); i++ {
		if i == start && detailNRE.MatchString(keys[i]) {
			continue
		}
		t := text(cells[i])
		if n, ok := trackingNumber(t); ok && p.listNumber == "" {
			p.listNumber = n
			continue
		}
		if t != "" && stateCell < 0 {
			stateCell = i
		}
	}
	if !p.hasState && stateCell >= 0 {
		p.state, p.hasState = text(cells[stateCell]), true
	}
	if !p.hasState && p.listNumber == "" {
		return false
	}
	p.list, p.listTR = closest(tr, atom.Table), tr
	if p.list == nil {
		p.list = tr
	}
	return true
}

// notFoundTexts fills listText and listMessage.
func (p *page) notFoundTexts(doc *goquery.Document) {
	if p.list == nil {
		p.listText = text(doc.Nodes[0])
		return
	}
	p.listText = text(p.list)
	var msg []string
	for _, tr := range rowsOf(p.list) {
		if tr == p.listTR || tr == p.header {
			continue
		}
		if isHeader(tr) {
			continue // 詳細 | お問い合せ送り状No. | 最新荷物状況
		}
		t := text(tr)
		if t != "" {
			msg = append(msg, t)
		}
	}
	p.listMessage = strings.Join(msg, " ")
}

// historyHeader recognises the history table's header row: cells reading
// 荷物状況 and 担当営業所 (TsuiseKit), usually with 日時 between them.
func (p *page) historyHeader(tr *html.Node, keys []string) bool {
	st, dt, pl := -1, -1, -1
	for i, k := range keys {
		switch k {
		case historyStatus:
			st = i
		case historyDate:
			dt = i
		case historyOffice:
			pl = i
		}
	}
	if st < 0 || pl < 0 {
		return false
	}
	if dt < 0 {
		dt = st + 1
	}
	p.history, p.header = closest(tr, atom.Table), tr
	if p.history == nil {
		p.history = tr.Parent
	}
	p.colStatus, p.colDate, p.colPlace = st, dt, pl
	return true
}

// label records the value of a labelled row or dt/dd pair.
func (p *page) label(rawKey string, value *html.Node) {
	k := labelKey(rawKey)
	if !isLabel(k) {
		return
	}
	v := text(value)
	p.labels[k] = append(p.labels[k], v)
	if k == labelDelivery && !p.officeOK {
		p.office, p.officeOK = parseOffice(v)
	}
}

// officeInText looks for 「配達に関するお問い合せ　○○営業所  TEL:…」 in one
// element's text when no labelled row holds it.
func (p *page) officeInText(doc *goquery.Document) {
	doc.Find("body *").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		n := s.Nodes[0]
		if skipped(n) || !strings.Contains(labelKey(ownText(n)), labelDelivery) {
			return true
		}
		rest := labelCut(text(n), labelDelivery)
		if rest == "" {
			if next := nextElement(n); next != nil {
				rest = text(next)
			}
		}
		p.office, p.officeOK = parseOffice(rest)
		return !p.officeOK
	})
}

// result turns what scan found into the page's one result.
func (p *page) result(asked string, now time.Time) (carriers.Result, error) {
	if p.maintenance {
		return carriers.Result{}, &carriers.FetchError{Carrier: Name, Maintenance: true}
	}
	number := p.number()
	if asked != "" && number != "" && number != digits(asked) {
		return carriers.Result{}, fmt.Errorf("%s: asked %s, page shows %s: %w", Name, asked, number, ErrWrongNumber)
	}
	if p.listNumber != "" && number != "" && p.listNumber != number {
		return carriers.Result{}, layout("one お問い合せ送り状No. (list " + p.listNumber + ", summary " + number + ")")
	}
	if p.saysNotFound() {
		return p.notFound(number, asked)
	}
	if number == "" {
		return carriers.Result{}, layout("お問い合せ送り状No. (detail summary or list)")
	}
	if asked != "" {
		number = asked
	}
	res := carriers.Result{Number: number, Carrier: Name, Found: true, Events: []carriers.Event{}}
	res.Product = p.first(labelService)
	if p.officeOK {
		res.Office = p.office
	} else {
		res.Office = carriers.Office{Name: p.first(labelOffice)}
	}
	state := lookup(p.state)
	if p.history == nil {
		// sm-trz saw returned parcels shown as 調査中 with the history
		// table removed: the state alone gives the status.
		if p.hasState && state.status == carriers.StatusException {
			res.Status, res.Reason = state.status, state.reason
			return res, nil
		}
		return carriers.Result{}, layout("history table headed " + historyStatus + " … " + historyOffice)
	}
	ship, shipOK := parseShipDate(p.first(labelShipDate))
	events, err := p.events(ship, shipOK, now)
	if err != nil {
		return carriers.Result{}, err
	}
	res.Events = events
	applyRules(res.Events, strings.Contains(res.Product, officePickup))
	res.Status, res.Reason = carriers.Summarize(res.Events)
	// The state wins when it says 調査中 (a Sagawa return shows as 調査中)
	// or when the history table has no rows.
	if p.hasState && (len(events) == 0 || (state.status == carriers.StatusException && res.Status != carriers.StatusReturned)) {
		res.Status, res.Reason = state.status, state.reason
		if state.hold {
			res.Status, res.Reason = holdStatus(false, strings.Contains(res.Product, officePickup))
		}
	}
	if len(events) == 0 && !p.hasState {
		return carriers.Result{}, layout("history rows or the latest status")
	}
	return res, nil
}

// notFound reads a 該当なし page: not found when a known message appears
// anywhere in the list, whether or not the number is printed.
func (p *page) notFound(number, asked string) (carriers.Result, error) {
	if asked != "" {
		number = asked
	}
	scope := matchKey(p.listText)
	for _, m := range notFoundMessages {
		if strings.Contains(scope, matchKey(m)) {
			return carriers.NotFound(Name, number), nil
		}
	}
	if p.listMessage == "" {
		return carriers.Result{}, layout("the message under " + stateNotFound)
	}
	return carriers.Result{}, fmt.Errorf("%s: %s: %q: %w", Name, stateNotFound, p.listMessage, ErrRejected)
}

// isHeader reports whether tr is the list's header row: a cell reading
// お問い合せ送り状No. alone.
func isHeader(tr *html.Node) bool {
	for _, c := range cellsOf(tr) {
		if labelKey(text(c)) == labelNumber {
			return true
		}
	}
	return false
}

// first returns the first value labelled k, or "".
func (p *page) first(k string) string {
	if v := p.labels[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// events reads the history rows after the header: rows with fewer than
// three cells, header rows and rows without a status are skipped
// (TsuiseKit skips rows with fewer than 3 td).
func (p *page) events(ship time.Time, shipOK bool, now time.Time) ([]carriers.Event, error) {
	events := []carriers.Event{}
	after := false
	for _, tr := range rowsOf(p.history) {
		if tr == p.header {
			after = true
			continue
		}
		if !after {
			continue
		}
		cells := cellsOf(tr)
		if len(cells) < 3 || len(cells) <= max(p.colStatus, p.colDate, p.colPlace) {
			continue
		}
		raw := stripMarker(text(cells[p.colStatus]))
		if raw == "" || labelKey(raw) == historyStatus {
			continue
		}
		t, err := eventTime(text(cells[p.colDate]), ship, shipOK, now)
		if err != nil {
			return nil, err
		}
		events = append(events, carriers.Event{Time: t, Raw: raw, Location: text(cells[p.colPlace])})
	}
	return events, nil
}

// eventTime reads a history time, MM/dd HH:mm (or MM/dd; MM月dd日 HH:mm
// is accepted too), in Tokyo. The year is the 出荷日's, plus one when the
// date lies well before the 出荷日 (a parcel shipped in December and
// delivered in January). Without a 出荷日 the year is inferred from now.
// An empty cell or a dash gives a zero time.
func eventTime(s string, ship time.Time, shipOK bool, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(foldWidth(s))
	if s == "" || s == "-" || s == "ー" || s == "―" {
		return time.Time{}, nil
	}
	m := slashDateRE.FindStringSubmatch(s)
	if m == nil {
		m = kanjiDateRE.FindStringSubmatch(s)
	}
	if m == nil {
		return time.Time{}, layout("history " + historyDate + " MM/dd HH:mm")
	}
	t, ok := dateOf(m[1:], ship, shipOK, now)
	if !ok {
		return time.Time{}, layout("history " + historyDate + " MM/dd HH:mm")
	}
	return t, nil
}

// dateOf builds the time of month, day and the optional hour and minute.
func dateOf(m []string, ship time.Time, shipOK bool, now time.Time) (time.Time, bool) {
	mon, _ := strconv.Atoi(m[0])
	day, _ := strconv.Atoi(m[1])
	hour, minute := 0, 0
	if m[2] != "" {
		hour, _ = strconv.Atoi(m[2])
		minute, _ = strconv.Atoi(m[3])
	}
	if mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 {
		return time.Time{}, false
	}
	if !shipOK {
		t, err := carriers.InferYear(now, time.Month(mon), day, hour, minute, carriers.Tokyo)
		return t, err == nil
	}
	t := time.Date(ship.Year(), time.Month(mon), day, hour, minute, 0, 0, carriers.Tokyo)
	if t.Day() != day {
		// 02/29 outside a leap year, 04/31: take the following year's.
		t = time.Date(ship.Year()+1, time.Month(mon), day, hour, minute, 0, 0, carriers.Tokyo)
		if t.Day() != day {
			return time.Time{}, false
		}
	}
	if t.Before(ship.AddDate(0, 0, -30)) {
		t = t.AddDate(1, 0, 0)
	}
	return t, true
}

// parseShipDate reads a 出荷日 such as 2026年11月20日.
func parseShipDate(s string) (time.Time, bool) {
	m := shipDateRE.FindStringSubmatch(foldWidth(s))
	if m == nil {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mon, _ := strconv.Atoi(m[2])
	day, _ := strconv.Atoi(m[3])
	if mon < 1 || mon > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mon), day, 0, 0, 0, 0, carriers.Tokyo)
	if t.Day() != day {
		return time.Time{}, false
	}
	return t, true
}

// parseOffice reads a value cell such as 「松江営業所　TEL:0570-01-0264
// FAX:0852-28-2676」 (sm-trz): the name is the text before TEL, the phone
// the TEL number. A value without TEL gives the name only.
func parseOffice(v string) (carriers.Office, bool) {
	v = carriers.CleanText(v)
	if v == "" {
		return carriers.Office{}, false
	}
	name := v
	var o carriers.Office
	if i := strings.Index(v, "TEL"); i >= 0 {
		name = v[:i]
		if m := telRE.FindStringSubmatch(v[i:]); m != nil {
			o.Phone = halfWidthPhone(m[1])
		}
	} else if i := strings.Index(v, "FAX"); i >= 0 {
		name = v[:i]
	}
	o.Name = carriers.CleanText(strings.Trim(strings.TrimSpace(name), "　:："))
	return o, !o.IsZero()
}

// labelKey is the form in which labels are compared: matchKey's, with
// full-width letters, digits and colons folded to ASCII, the trailing
// colon dropped and お問い合わせ/お問合せ spelt お問い合せ.
func labelKey(s string) string {
	k := foldWidth(matchKey(s))
	k = strings.TrimRight(k, ":")
	if strings.Contains(k, "合") {
		k = askSpelling.Replace(k)
	}
	if strings.Contains(k, "送り状") && k != labelNumber {
		switch strings.ToUpper(strings.TrimSuffix(k[strings.Index(k, "送り状")+len("送り状"):], ".")) {
		case "NO", "番号":
			return labelNumber
		}
	}
	return k
}

// askSpelling spells お問い合わせ and お問合せ as the page's お問い合せ.
var askSpelling = strings.NewReplacer("問い合わせ", "問い合せ", "問合わせ", "問い合せ", "問合せ", "問い合せ")

// isLabel reports whether k is a label the reader uses.
func isLabel(k string) bool {
	switch k {
	case labelNumber, labelShipDate, labelDelivery, labelOffice, labelService:
		return true
	}
	return false
}

// labelCut returns the text of s after label (compared as labelKey does
// not: the label must appear verbatim, full-width spaces aside), or "".
func labelCut(s, label string) string {
	s = carriers.CleanText(s)
	for _, l := range []string{label, strings.Replace(label, "問い合せ", "問い合わせ", 1)} {
		if i := strings.Index(s, l); i >= 0 {
			return strings.Trim(strings.TrimSpace(s[i+len(l):]), ":：")
		}
	}
	return ""
}

// trackingNumber returns the digits of s when s is a number (digits,
// dashes and spaces only) of 10 to 12 digits, Sagawa's lengths.
func trackingNumber(s string) (string, bool) {
	d := digits(s)
	return d, len(d) >= 10 && len(d) <= 12
}

// firstNumber returns the first Sagawa-shaped number in lines that
// carriers.Identify accepts as a Sagawa candidate, or "".
func firstNumber(lines []string) string {
	for _, l := range lines {
		for _, m := range numberRE.FindAllString(l, -1) {
			id := carriers.Identify(m)
			if id.Kind != carriers.KindTracking {
				continue
			}
			for _, c := range id.Candidates {
				if c.Carrier == Name {
					return id.Number
				}
			}
		}
	}
	return ""
}

var numberRE = regexp.MustCompile(`[0-9０-９]+(?:[-－‐ ][0-9０-９]+)*`)

// text is the cleaned text of n and its descendants, without scripts,
// styles, templates, noscript blocks and comments.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipped(n) {
				return
			}
			if n.DataAtom == atom.Br {
				b.WriteByte(' ')
			}
		case html.CommentNode:
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Td || n.DataAtom == atom.Th || n.DataAtom == atom.P || n.DataAtom == atom.Div) {
			b.WriteByte(' ')
		}
	}
	walk(n)
	return carriers.CleanText(b.String())
}

// skipped reports whether n is an element whose content is not page text.
func skipped(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Head, atom.Title:
		return true
	}
	return false
}

// ownText is the cleaned text of n's direct text children.
func ownText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return carriers.CleanText(b.String())
}

// cellsOf returns the th and td children of a row.
func cellsOf(tr *html.Node) []*html.Node {
	var cells []*html.Node
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
			cells = append(cells, c)
		}
	}
	return cells
}

// rowsOf returns the rows of table in order, not those of nested tables.
func rowsOf(table *html.Node) []*html.Node {
	var rows []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				rows = append(rows, c)
			case atom.Table:
			default:
				walk(c)
			}
		}
	}
	walk(table)
	return rows
}

// closest returns the nearest ancestor of n that is an element a, or nil.
func closest(n *html.Node, a atom.Atom) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == a {
			return p
		}
	}
	return nil
}

// nextElement returns n's next sibling element, or nil.
func nextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
	}
	return nil
}

// foldWidth turns full-width ASCII forms (Ａ, １, ：) into ASCII.
func foldWidth(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= '！' && r <= '～' }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '！' && r <= '～' {
			return r - '！' + '!'
		}
		return r
	}, s)
}

// halfWidthPhone turns full-width digits, dashes and brackets into ASCII.
func halfWidthPhone(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
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

// stripMarker removes the leading ↓ (done) or ⇒ (current) step marker:
// it is page furniture, not the carrier's words.
func stripMarker(s string) string {
	return strings.TrimSpace(strings.TrimLeft(s, "↓⇒↑→ \u3000"))
}

// digits returns the ASCII digits of s (full-width digits converted), or
// "" when s has anything but digits, dashes and spaces.
func digits(s string) string {
	var b strings.Builder
	for _, r := range halfWidthPhone(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == ' ' || r == '\u3000' || r == '\n' || r == '\t' || r == '\r' || r == '\u00a0':
		default:
			return ""
		}
	}
	return b.String()
}
