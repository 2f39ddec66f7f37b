package japanpost

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/todoku/todoku/carriers"
)

// table is an HTML table reduced to what the parser reads: its summary
// and classes, and its own rows (rows of tables nested in it belong to
// those tables, not to it).
type table struct {
	summary string
	classes []string
	rows    []row
}

// row is a table row: its th and td cells in order.
type row struct {
	cells []cell
}

// cell is one th or td with its visible text, cleaned by
// carriers.CleanText (scripts, styles, comments and nested tables left
// out), and the first column it occupies, counting colspans.
type cell struct {
	text    string
	key     string // matchKey(text), for comparing with labels
	th      bool
	col     int
	colspan int
}

// hasClass reports whether t has class c.
func (t *table) hasClass(c string) bool {
	for _, x := range t.classes {
		if x == c {
			return true
		}
	}
	return false
}

// empty reports whether every cell of r is blank (a spacer row).
func (r row) empty() bool {
	for _, c := range r.cells {
		if c.text != "" {
			return false
		}
	}
	return true
}

// headerOnly reports whether r has cells and all of them are th.
func (r row) headerOnly() bool {
	for _, c := range r.cells {
		if !c.th {
			return false
		}
	}
	return len(r.cells) > 0
}

// width is the number of columns r spans.
func (r row) width() int {
	if len(r.cells) == 0 {
		return 0
	}
	last := r.cells[len(r.cells)-1]
	return last.col + last.colspan
}

// at returns the cell that starts at column col, if any.
func (r row) at(col int) (cell, bool) {
	for _, c := range r.cells {
		if c.col == col {
			return c, true
		}
		if c.col > col {
			break
		}
	}
	return cell{}, false
}

// text returns the text of the cell starting at col, or "".
func (r row) text(col int) string {
	c, _ := r.at(col)
	return c.text
}

// tables returns every table of the document in document order. The walk
// visits each node once and each text node is counted in one cell only,
// so the work is linear in the size of the page whatever its nesting.
func tables(doc *html.Node) []*table {
	var out []*table
	var walk func(n *html.Node, cur *table, tr *row)
	walk = func(n *html.Node, cur *table, tr *row) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Table:
				t := &table{}
				for _, a := range c.Attr {
					switch a.Key {
					case "summary":
						t.summary = carriers.CleanText(a.Val)
					case "class":
						t.classes = strings.Fields(a.Val)
					}
				}
				out = append(out, t)
				walk(c, t, nil)
			case atom.Tr:
				if cur == nil {
					walk(c, nil, nil)
					continue
				}
				cur.rows = append(cur.rows, row{})
				r := &cur.rows[len(cur.rows)-1]
				walk(c, cur, r)
			case atom.Td, atom.Th:
				if tr == nil {
					walk(c, cur, nil)
					continue
				}
				col := tr.width()
				span := 1
				if v, err := strconv.Atoi(strings.TrimSpace(attr(c, "colspan"))); err == nil && v > 1 && v <= 100 {
					span = v
				}
				var b strings.Builder
				cellText(c, &b)
				text := carriers.CleanText(b.String())
				tr.cells = append(tr.cells, cell{
					text: text, key: matchKey(text), th: c.DataAtom == atom.Th,
					col: col, colspan: span,
				})
				// Tables nested in the cell are tables of their own.
				walk(c, cur, nil)
			default:
				walk(c, cur, tr)
			}
		}
	}
	walk(doc, nil, nil)
	return out
}

// cellText writes the visible text under n, leaving out scripts, styles,
// templates and nested tables. A <br> counts as a space.
func cellText(n *html.Node, b *strings.Builder) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			b.WriteString(c.Data)
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Table:
				continue
			case atom.Br:
				b.WriteByte(' ')
				continue
			}
			cellText(c, b)
		}
	}
}

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// visibleText returns the text of the elements under n named by atoms
// (title, headings), for telling maintenance pages apart.
func visibleText(n *html.Node, want func(atom.Atom) bool) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if want(c.DataAtom) {
				cellText(c, &b)
				b.WriteByte(' ')
				continue
			}
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
