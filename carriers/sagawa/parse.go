package sagawa

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/todoku/todoku/carriers"
)

// The texts Parse recognises. Sources: shared/research/carriers.md §3a.
const (
	stateNotFound    = "該当なし"
	maintenanceText  = "メンテナンス中の為"
	deliveryContact  = "配達に関するお問い合せ"
	historyHeader    = "荷物状況"
	summaryNumber    = "お問い合せ送り状No."
	summaryShipDate  = "出荷日"
	summaryOffice    = "配達営業所"
	summaryService   = "サービス"
	officePickupWord = "営業所止め"
	// footerSelector is the reconstructed page's closing landmark: a page
	// with neither it nor a closing </html> was cut off in transit.
	footerSelector = "#footer .copyright"
)

// notFoundMessages are the explicit "no such number" messages shown under
// a 該当なし state, current first, then older ones.
var notFoundMessages = []string{
	"お荷物データが登録されておりません",
	"お問い合せ送り状NOをお確かめください",
	"お問い合わせNo.をお確かめ下さい",
}

var (
	shipDateRE = regexp.MustCompile(`(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日`)
	eventRE    = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$`)
	contactRE  = regexp.MustCompile(`配達に関するお問い合せ[\s\x{3000}]*(\S*?)[\s\x{3000}]*TEL[:：]\s*([0-9０-９\-－‐]+)`)
)

// Parse reads a Sagawa result page (okurijosearch.do) and returns the one
// result it shows. It is pure: now is used only to infer a year when the
// page has no 出荷日.
//
// A maintenance page and a cut-off page are a *carriers.FetchError; a page
// without the landmarks of the current layout is a *carriers.LayoutError.
func Parse(r io.Reader, now time.Time) ([]carriers.Result, error) {
	ur, err := carriers.DecodeHTML(r, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	return parseUTF8(ur, now)
}

// parseUTF8 is Parse for a page already decoded to UTF-8 (Track decodes
// with the response's Content-Type; decoding twice would garble a page
// that declares Shift_JIS in a <meta> tag).
func parseUTF8(ur io.Reader, now time.Time) ([]carriers.Result, error) {
	data, err := io.ReadAll(ur)
	if err != nil {
		return nil, fmt.Errorf("%s: read page: %w", Name, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: parse html: %w", Name, err)
	}
	// A missing footer alone is not a layout change: a complete page may
	// close with another footer, and only a cut-off one lacks both.
	complete := doc.Find(footerSelector).Length() > 0 || carriers.EndsHTML(data)
	state := doc.Find("span.state").First()
	switch {
	case state.Length() == 0 && strings.Contains(doc.Find("body").Text(), maintenanceText):
		return nil, &carriers.FetchError{Carrier: Name, Maintenance: true}
	case !complete:
		return nil, &carriers.FetchError{Carrier: Name, Err: errIncomplete}
	case state.Length() == 0:
		return nil, layout("span.state")
	}
	res, err := parseResult(doc, carriers.CleanText(state.Text()), now)
	if err != nil {
		return nil, err
	}
	return []carriers.Result{res}, nil
}

// layout returns the error for a page that lacks the landmark missing.
func layout(missing string) error {
	return &carriers.LayoutError{Carrier: Name, Missing: missing}
}

// parseResult reads the one parcel on a page whose landmarks are present.
func parseResult(doc *goquery.Document, state string, now time.Time) (carriers.Result, error) {
	rows := doc.Find("table#list1 tbody tr")
	number := digits(rows.First().Find("td").Eq(1).Text())
	if number == "" {
		return carriers.Result{}, layout("table#list1 お問い合せ送り状No.")
	}
	if matchKey(state) == stateNotFound {
		msg := matchKey(rows.Eq(1).Text())
		for _, m := range notFoundMessages {
			if strings.Contains(msg, m) {
				return carriers.NotFound(Name, number), nil
			}
		}
		return carriers.Result{}, layout("table#list1 not-found message")
	}

	detail := doc.Find("dd#detail1").First()
	if detail.Length() == 0 {
		// sm-trz saw returned parcels shown as 調査中 with the history
		// removed; accept such a page even without its detail block.
		if st := lookup(state); st.status == carriers.StatusException {
			res := carriers.Result{Number: number, Carrier: Name, Found: true, Status: st.status, Reason: st.reason, Events: []carriers.Event{}}
			res.Office, _ = deliveryOffice(doc)
			return res, nil
		}
		return carriers.Result{}, layout("dd#detail1")
	}
	tables := detail.Find("table.table_okurijo_detail2")
	if tables.Length() == 0 {
		return carriers.Result{}, layout("dd#detail1 table.table_okurijo_detail2")
	}
	summary := pairs(tables.Eq(0))
	if digits(summary[summaryNumber]) != number {
		return carriers.Result{}, layout("dd#detail1 " + summaryNumber + " " + number)
	}
	ship, shipOK := parseShipDate(summary[summaryShipDate])
	if !shipOK {
		ship, shipOK = parseShipDate(infoDate(doc))
	}
	res := carriers.Result{
		Number:  number,
		Carrier: Name,
		Found:   true,
		Events:  []carriers.Event{},
		Product: summary[summaryService],
		Office:  carriers.Office{Name: summary[summaryOffice]},
	}
	if o, ok := deliveryOffice(doc); ok {
		res.Office = o
	}
	if tables.Length() > 1 {
		events, err := parseHistory(tables.Eq(1), ship, shipOK, now)
		if err != nil {
			return carriers.Result{}, err
		}
		res.Events = events
	}
	applyRules(res.Events, strings.Contains(res.Product, officePickupWord))
	res.Status, res.Reason = carriers.Summarize(res.Events)
	// The state heading wins when it says 調査中 (a Sagawa return shows as
	// 調査中 with the history removed) or when there is no history at all.
	if st := lookup(state); len(res.Events) == 0 || (st.status == carriers.StatusException && res.Status != carriers.StatusReturned) {
		res.Status, res.Reason = st.status, st.reason
	}
	return res, nil
}

// parseHistory reads the history table: a 荷物状況 | 日時 | 担当営業所
// header row, then one row per step, oldest first.
func parseHistory(table *goquery.Selection, ship time.Time, shipOK bool, now time.Time) ([]carriers.Event, error) {
	trs := table.Find("tr")
	if !strings.Contains(matchKey(trs.First().Text()), historyHeader) {
		return nil, layout("history header " + historyHeader)
	}
	events := []carriers.Event{}
	var err error
	trs.Slice(1, trs.Length()).EachWithBreak(func(_ int, tr *goquery.Selection) bool {
		tds := tr.Find("td")
		if tds.Length() < 3 {
			err = layout("history row with 3 cells")
			return false
		}
		raw := stripMarker(carriers.CleanText(tds.Eq(0).Text()))
		if raw == "" {
			err = layout("history row 荷物状況")
			return false
		}
		var t time.Time
		t, err = eventTime(carriers.CleanText(tds.Eq(1).Text()), ship, shipOK, now)
		if err != nil {
			return false
		}
		events = append(events, carriers.Event{Time: t, Raw: raw, Location: carriers.CleanText(tds.Eq(2).Text())})
		return true
	})
	if err != nil {
		return nil, err
	}
	return events, nil
}

// eventTime reads a history time, MM/dd HH:mm (or MM/dd), in Tokyo. The
// year is the 出荷日's, plus one when the date lies well before the 出荷日
// (a parcel shipped in December and delivered in January). Without a 出荷日
// the year is inferred from now. An empty cell or a dash gives a zero time.
func eventTime(s string, ship time.Time, shipOK bool, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "-" || s == "－" || s == "ー" {
		return time.Time{}, nil
	}
	m := eventRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, layout("history 日時 MM/dd HH:mm")
	}
	mon, _ := strconv.Atoi(m[1])
	day, _ := strconv.Atoi(m[2])
	hour, minute := 0, 0
	if m[3] != "" {
		hour, _ = strconv.Atoi(m[3])
		minute, _ = strconv.Atoi(m[4])
	}
	if mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 {
		return time.Time{}, layout("history 日時 MM/dd HH:mm")
	}
	if !shipOK {
		t, err := carriers.InferYear(now, time.Month(mon), day, hour, minute, carriers.Tokyo)
		if err != nil {
			return time.Time{}, layout("history 日時 MM/dd HH:mm")
		}
		return t, nil
	}
	t := time.Date(ship.Year(), time.Month(mon), day, hour, minute, 0, 0, carriers.Tokyo)
	if t.Before(ship.AddDate(0, 0, -30)) {
		t = t.AddDate(1, 0, 0)
	}
	return t, nil
}

// parseShipDate reads a 出荷日 such as 2026年11月20日.
func parseShipDate(s string) (time.Time, bool) {
	m := shipDateRE.FindStringSubmatch(s)
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

// infoDate returns the 出荷日 of the dl.okurijo_info dt/dd pairs.
func infoDate(doc *goquery.Document) string {
	var out string
	doc.Find("dl.okurijo_info dt").EachWithBreak(func(_ int, dt *goquery.Selection) bool {
		if matchKey(dt.Text()) == summaryShipDate {
			out = carriers.CleanText(dt.NextFiltered("dd").Text())
			return false
		}
		return true
	})
	return out
}

// pairs reads a th/td summary table into a map, keyed by the th text.
func pairs(table *goquery.Selection) map[string]string {
	out := map[string]string{}
	table.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		k := matchKey(tr.Find("th").First().Text())
		if k != "" {
			out[k] = carriers.CleanText(tr.Find("td").First().Text())
		}
	})
	return out
}

// deliveryOffice reads 「配達に関するお問い合せ　荒川営業所  TEL:0570-01-0659」.
func deliveryOffice(doc *goquery.Document) (carriers.Office, bool) {
	if o, ok := officeIn(doc.Find("dd#detail1 *")); ok {
		return o, true
	}
	return officeIn(doc.Find("body *"))
}

// officeIn looks for the 配達に関するお問い合せ line among sel.
func officeIn(sel *goquery.Selection) (carriers.Office, bool) {
	var o carriers.Office
	found := false
	sel.EachWithBreak(func(_ int, s *goquery.Selection) bool {
		text := ownText(s)
		if !strings.Contains(text, deliveryContact) {
			return true
		}
		if m := contactRE.FindStringSubmatch(carriers.CleanText(s.Text())); m != nil {
			o = carriers.Office{Name: m[1], Phone: halfWidthPhone(m[2])}
			found = true
			return false
		}
		return true
	})
	return o, found
}

// ownText is the text of s's direct text children.
func ownText(s *goquery.Selection) string {
	var b strings.Builder
	for _, n := range s.Nodes {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			}
		}
	}
	return b.String()
}

// halfWidthPhone turns full-width digits and dashes into ASCII.
func halfWidthPhone(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '－' || r == '‐':
			return '-'
		}
		return r
	}, s)
}

// stripMarker removes the leading ↓ (done) or ⇒ (current) step marker:
// it is page furniture, not the carrier's words.
func stripMarker(s string) string {
	return strings.TrimSpace(strings.TrimLeft(s, "↓⇒↑ "))
}

// digits returns the ASCII digits of s (full-width digits converted), or
// "" when s has anything but digits, dashes and spaces.
func digits(s string) string {
	var b strings.Builder
	for _, r := range halfWidthPhone(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '-' || r == ' ' || r == '\u3000' || r == '\n' || r == '\t' || r == '\r':
		default:
			return ""
		}
	}
	return b.String()
}
