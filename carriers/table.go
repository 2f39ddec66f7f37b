package carriers

import (
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// FindTable returns the first table of doc whose summary attribute holds
// summary (when summary is not empty), or else the first whose header —
// its th cells, or its first row's cells when it has no th — holds a word
// of every group: tables found by what they say, not where they stand.
// The selection is empty when no table matches.
func FindTable(doc *goquery.Document, summary string, groups ...[]string) *goquery.Selection {
	if summary != "" {
		if t := doc.Find(`table[summary*="` + summary + `"]`).First(); t.Length() > 0 {
			return t
		}
	}
	var found *goquery.Selection
	doc.Find("table").EachWithBreak(func(_ int, t *goquery.Selection) bool {
		head := t.Find("th")
		if head.Length() == 0 {
			head = t.Find("tr").First().Find("td")
		}
		h := strings.ReplaceAll(CleanText(head.Text()), " ", "")
		for _, g := range groups {
			ok := false
			for _, w := range g {
				ok = ok || strings.Contains(h, w)
			}
			if !ok {
				return true
			}
		}
		found = t
		return false
	})
	if found == nil {
		return doc.Find("table#todoku-no-such-table")
	}
	return found
}

// HistoryRows reads a history table whose rows hold a carrier word, a
// date and a place in any order: in each row of at least two td cells,
// the first cell date finds a date in is the event's time, the first
// other non-empty cell its word and the next its place. Header rows (th
// only), spacer rows and rows without a word are skipped. A row without a
// date gives an event without a time. lookup maps the word.
func HistoryRows(table *goquery.Selection, date func(cell string) (time.Time, bool), lookup func(raw string) (Status, Reason)) []Event {
	var events []Event
	table.Find("tr").Each(func(_ int, tr *goquery.Selection) {
		cells := tr.Find("td")
		if cells.Length() < 2 {
			return
		}
		var e Event
		dated := false
		cells.Each(func(_ int, td *goquery.Selection) {
			text := CleanText(td.Text())
			if text == "" {
				return
			}
			if !dated {
				if t, ok := date(text); ok {
					if st, _ := lookup(text); st == StatusUnknown {
						e.Time, dated = t, true
						return
					}
				}
			}
			switch {
			case e.Raw == "":
				e.Raw = text
			case e.Location == "":
				e.Location = text
			}
		})
		if e.Raw == "" {
			return
		}
		e.Status, e.Reason = lookup(e.Raw)
		events = append(events, e)
	})
	return events
}
