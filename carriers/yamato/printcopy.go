package yamato

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/todoku/todoku/carriers"
)

// The print copy: the result page carries, in a script, the same results
// again as JavaScript strings written into a print pop-up with
// swd.writeln('…'). Its HTML is escaped (\<, \>, \/) so that the page's
// own parser does not see it, and it ends with content after </html>.
// TsuiseKit (YamatoTracker.swift, tested on a real 2026 page) reads only
// this copy: a history table whose header cells hold 荷物状況, 日付, 時刻
// and 担当店名 (cells: status, date MM/DD, time HH:MM, branch) and a
// summary table 商品名 | お届け予定日時 | お届け希望日時; the raw curl
// page of public code id 22211727520 shows the same copy (a 配達状況
// column, lines 89–176).

// printWrite is the call that writes one line of the print copy.
var printWrite = []byte("swd.writeln(")

// printCopy extracts and unescapes the print copy's HTML from a page, or
// returns "" when the page has none.
func printCopy(page []byte) string {
	var b strings.Builder
	for rest := page; ; {
		i := bytes.Index(rest, printWrite)
		if i < 0 {
			break
		}
		rest = rest[i+len(printWrite):]
		j := 0
		for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t') {
			j++
		}
		if j >= len(rest) || (rest[j] != '\'' && rest[j] != '"') {
			continue
		}
		s, n, ok := jsString(rest[j:])
		if !ok {
			break
		}
		b.WriteString(s)
		b.WriteByte('\n')
		rest = rest[j+n:]
	}
	return b.String()
}

// jsString reads the JavaScript string literal at the start of src (quoted
// with ' or "), undoing its escapes, and returns it with the number of
// bytes read. ok is false for a literal that does not end.
func jsString(src []byte) (s string, n int, ok bool) {
	quote := src[0]
	var b strings.Builder
	for i := 1; i < len(src); {
		c := src[i]
		switch {
		case c == quote:
			return b.String(), i + 1, true
		case c == '\n' || c == '\r':
			// Not valid JavaScript, but a page padded by hand or by a
			// proxy may break a line inside a string: read it as a space.
			b.WriteByte(' ')
			i++
		case c == '\\' && i+1 < len(src):
			e := src[i+1]
			i += 2
			switch e {
			case 'n', 'r', 't':
				b.WriteByte(' ')
			case 'x':
				if r, ok := hexRune(src, i, 2); ok {
					b.WriteRune(r)
					i += 2
				}
			case 'u':
				if r, ok := hexRune(src, i, 4); ok {
					b.WriteRune(r)
					i += 4
				}
			default:
				// \<, \>, \/, \', \", \\ and any other escaped
				// character stand for the character itself.
				r, size := utf8.DecodeRune(src[i-1:])
				b.WriteRune(r)
				i += size - 1
			}
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", 0, false
}

func hexRune(src []byte, i, n int) (rune, bool) {
	if i+n > len(src) {
		return 0, false
	}
	var r rune
	for _, c := range src[i : i+n] {
		switch {
		case c >= '0' && c <= '9':
			r = r*16 + rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r*16 + rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r*16 + rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// printTable is one history table of the print copy.
type printTable struct {
	events []carriers.Event
	// before is the last Yamato number written before the table: on the
	// real 2009 page each number's detail part starts with its number
	// (PRINT_0 … PRINT_9), so it names the table's number there.
	before string
}

// printTables reads the print copy's history tables, in page order, and
// the products of its summary tables. numbers are the Yamato numbers the
// copy names, in order, each once. An unreadable date is a layout error.
func printTables(copyHTML string, now time.Time) (tables []printTable, products, numbers []string, err error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(copyHTML))
	if err != nil {
		return nil, nil, nil, err
	}
	before := numbersBefore(doc)
	var firstErr error
	doc.Find("table").Each(func(_ int, t *goquery.Selection) {
		if t.Find("table").Length() > 0 {
			return // a layout table around the real ones
		}
		rows := tableRows(t)
		if cols, at := headerColumns(rows, "荷物状況", "日付", "時刻", "担当店名"); at >= 0 && cols[1] >= 0 {
			events, err := printHistory(rows[at+1:], cols, now)
			if err != nil && firstErr == nil {
				firstErr = err
			}
			tables = append(tables, printTable{events: events, before: before[t.Get(0)]})
			return
		}
		if cols, at := headerColumns(rows, "商品名", "お届け予定日時"); at >= 0 {
			product := ""
			for _, r := range rows[at+1:] {
				if cols[0] < len(r) {
					if product = cleanProduct(r[cols[0]]); product != "" {
						break
					}
				}
			}
			products = append(products, product)
		}
	})
	if firstErr != nil {
		return nil, nil, nil, firstErr
	}
	numbers = pageNumbers(visibleText(doc.Selection))
	return tables, products, numbers, nil
}

// numbersBefore maps every table of doc to the last Yamato number written
// in the text before it.
func numbersBefore(doc *goquery.Document) map[*html.Node]string {
	out := map[*html.Node]string{}
	last := ""
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.ElementNode && n.Data == "table":
			out[n] = last
		case n.Type == html.TextNode:
			if ns := pageNumbers([]string{carriers.CleanText(n.Data)}); len(ns) > 0 {
				last = ns[len(ns)-1]
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range doc.Nodes {
		walk(n)
	}
	return out
}

// tableRows returns the text of each cell (th or td) of each row of t,
// through CleanText, leaving out nested tables' rows.
func tableRows(t *goquery.Selection) [][]string {
	var rows [][]string
	t.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		if tr.ParentsFiltered("table").First().Get(0) != t.Get(0) {
			return
		}
		var cells []string
		tr.Children().Each(func(_ int, c *goquery.Selection) {
			if n := goquery.NodeName(c); n == "td" || n == "th" {
				cells = append(cells, carriers.CleanText(c.Text()))
			}
		})
		rows = append(rows, cells)
	})
	return rows
}

// headerColumns finds the first row holding every one of labels' first
// label and returns, for each label, the index of the cell that holds it
// (-1 when absent), with the row's index; at is -1 when no row holds the
// first label.
func headerColumns(rows [][]string, labels ...string) (cols []int, at int) {
	for i, r := range rows {
		cols = make([]int, len(labels))
		for k, l := range labels {
			cols[k] = -1
			for j, c := range r {
				if strings.Contains(normLabel(c), l) {
					cols[k] = j
					break
				}
			}
		}
		if cols[0] >= 0 {
			return cols, i
		}
	}
	return nil, -1
}

// printHistory reads the rows under a history table's header. Rows too
// short to hold a status are skipped (spacers), as are rows without one.
func printHistory(rows [][]string, cols []int, now time.Time) ([]carriers.Event, error) {
	cell := func(r []string, k int) string {
		if cols[k] < 0 || cols[k] >= len(r) {
			return ""
		}
		return r[cols[k]]
	}
	events := []carriers.Event{}
	for _, r := range rows {
		raw := cell(r, 0)
		if raw == "" || cols[1] >= len(r) {
			continue
		}
		t, err := parsePrintDate(cell(r, 1), cell(r, 2), now)
		if err != nil {
			return nil, err
		}
		st, reason := Classify(raw)
		events = append(events, carriers.Event{Time: t, Status: st, Reason: reason, Raw: raw, Location: cell(r, 3)})
	}
	return events, nil
}

// readPrintCopy turns the print copy into one result per history table.
// A table is matched to its number only when that is certain: each table
// preceded by a different number (its own heading, as on the real 2009
// page), or else as many tables as numbers named in the copy (or, when it
// names none, asked), in the same order. ok is false when the page has no
// usable copy; a copy whose tables cannot be matched is not used.
func readPrintCopy(page []byte, asked []string, now time.Time) (res []carriers.Result, ok bool, err error) {
	c := printCopy(page)
	if c == "" {
		return nil, false, nil
	}
	tables, products, named, err := printTables(c, now)
	if err != nil {
		return nil, false, err
	}
	if len(tables) == 0 {
		return nil, false, nil
	}
	numbers := ownNumbers(tables)
	if numbers == nil {
		numbers = named
		if len(numbers) == 0 {
			numbers = asked
		}
	}
	if len(numbers) != len(tables) {
		return nil, false, nil
	}
	if len(asked) > 0 && !sameSet(numbers, asked) {
		return nil, false, nil
	}
	for i, t := range tables {
		if len(t.events) == 0 {
			return nil, false, nil
		}
		r := carriers.Result{Number: numbers[i], Carrier: Name, Found: true, Events: t.events}
		r.Status, r.Reason = summarize(t.events)
		if len(products) == len(tables) {
			r.Product = products[i]
		}
		r.Office = lastOffice(t.events)
		res = append(res, r)
	}
	return res, true, nil
}

// ownNumbers returns the number written before each table when every
// table has one and no two share it, else nil.
func ownNumbers(tables []printTable) []string {
	seen := map[string]bool{}
	out := make([]string, len(tables))
	for i, t := range tables {
		if t.before == "" || seen[t.before] {
			return nil
		}
		seen[t.before] = true
		out[i] = t.before
	}
	return out
}

func sameSet(a, b []string) bool {
	in := make(map[string]bool, len(b))
	for _, n := range b {
		in[n] = true
	}
	for _, n := range a {
		if !in[n] {
			return false
		}
	}
	return true
}

// visibleText returns the text of s as lines, scripts left out.
func visibleText(s *goquery.Selection) []string {
	var lines []string
	for _, n := range s.Nodes {
		var buf bytes.Buffer
		if err := html.Render(&buf, n); err != nil {
			continue
		}
		l, _ := carriers.VisibleLines(&buf)
		lines = append(lines, l...)
	}
	return lines
}
