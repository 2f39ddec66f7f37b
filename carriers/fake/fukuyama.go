package fake

import (
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"
)

// Fukuyama renders Fukuyama Transporting tracking_no_hunt pages in the
// layout reconstructed in carriers/fukuyama/testdata: the state sentence
// in strong.redbold, the number, and a history table headed 状況 / 日時 /
// 担当店.
type Fukuyama struct{}

var _ Site = Fukuyama{}

// Carrier returns "fukuyama".
func (Fukuyama) Carrier() string { return "fukuyama" }

// Path returns the page path before the number.
func (Fukuyama) Path() string { return "/situation/tracking_no_hunt/" }

// Numbers returns the number at the end of a GET request's path.
func (Fukuyama) Numbers(r *http.Request) ([]string, error) {
	if r.Method != http.MethodGet {
		return nil, fmt.Errorf("fake fukuyama: method %s, want GET", r.Method)
	}
	n := strings.TrimPrefix(r.URL.Path, Fukuyama{}.Path())
	if n == "" || strings.Contains(n, "/") {
		return nil, errors.New("fake fukuyama: want one number in the path")
	}
	return []string{n}, nil
}

// Render writes the result page for exactly one parcel.
func (Fukuyama) Render(w io.Writer, parcels []Parcel) error {
	if len(parcels) != 1 {
		return fmt.Errorf("fake fukuyama: render %d parcels: a page shows exactly one", len(parcels))
	}
	p := parcels[0]
	var b strings.Builder
	fukuyamaHead(&b)
	fmt.Fprintf(&b, "<p>お問合せ番号：%s</p>\n", html.EscapeString(p.Number))
	switch {
	case !p.Found:
		b.WriteString("<p><strong class=\"redbold\">該当データはありません。</strong></p>\n")
	case len(p.Rows) > 0:
		last := p.Rows[len(p.Rows)-1]
		state := last.Raw
		if state == "配達完了" {
			state = "配達完了です"
		}
		fmt.Fprintf(&b, "<p><strong class=\"redbold\">%s</strong></p>\n", html.EscapeString(state))
		b.WriteString("<table class=\"history\"><tr><th>状況</th><th>日時</th><th>担当店</th></tr>\n")
		for _, r := range p.Rows {
			when := ""
			if !r.Time.IsZero() {
				when = r.Time.Format("2006/01/02 15:04")
			}
			fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", html.EscapeString(r.Raw), when, html.EscapeString(r.Location))
		}
		b.WriteString("</table>\n")
	}
	b.WriteString("</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Maintenance writes a maintenance notice without the state.
func (Fukuyama) Maintenance(w io.Writer) error {
	var b strings.Builder
	fukuyamaHead(&b)
	b.WriteString("<p>システムメンテナンス中のため、ご利用いただけません。</p>\n</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func fukuyamaHead(b *strings.Builder) {
	b.WriteString(`<!DOCTYPE html>
<!-- Rendered by carriers/fake (fake.Fukuyama) from the reconstructed layout; not a recording. -->
<html lang="ja">
<head><meta charset="utf-8"><title>お問合せ番号検索 | 福山通運</title></head>
<body>
`)
}
