package mail

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlText returns the text a reader sees in an HTML mail body: no
// scripts, styles, head or template content, no elements hidden with
// display:none or the hidden attribute (preheaders, tracking blocks), a
// line break after each block element and a space between table cells,
// so that "お問い合わせ番号</td><td>1234-5678-9012" stays on one line.
func htmlText(b []byte) string {
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return ""
	}
	var w strings.Builder
	walkHTML(&w, doc)
	return tidyLines(w.String())
}

// walkHTML writes the visible text under n.
func walkHTML(w *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.WriteString(strings.Join(strings.Fields(n.Data), " "))
		if strings.HasSuffix(n.Data, " ") || strings.HasSuffix(n.Data, "\n") {
			w.WriteByte(' ')
		}
		return
	case html.ElementNode:
		if invisible(n) {
			return
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walkHTML(w, c)
	}
	if n.Type != html.ElementNode {
		return
	}
	switch n.DataAtom {
	case atom.Br, atom.P, atom.Div, atom.Tr, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4,
		atom.H5, atom.H6, atom.Table, atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd, atom.Blockquote,
		atom.Pre, atom.Hr, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Center:
		w.WriteByte('\n')
	case atom.Td, atom.Th:
		w.WriteByte(' ')
	}
}

// invisible reports whether an element's content is never shown.
func invisible(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Head, atom.Template, atom.Noscript, atom.Title, atom.Object, atom.Iframe:
		return true
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "style":
			s := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

// tidyLines trims each line and collapses runs of blank lines to one.
func tidyLines(s string) string {
	var b strings.Builder
	blank := 0
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			if blank > 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		blank = 0
		b.WriteString(line)
	}
	return b.String()
}
