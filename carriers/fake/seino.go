package fake

import (
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"
)

// Seino renders Seino Transportation gnpquery.pgm pages in the layout
// reconstructed in carriers/seino/testdata: the state in
// input#haitatsuJokyo0, its date in input#haitatsuTenshoDate0, and the
// history in a table summarised お届物詳細 (dates printed in full).
type Seino struct{}

var _ Site = Seino{}

// Carrier returns "seino".
func (Seino) Carrier() string { return "seino" }

// Path returns the query page path.
func (Seino) Path() string { return "/cgi-bin/gnpquery.pgm" }

// Numbers returns the one number of a GET ?GNPNO1=N request.
func (Seino) Numbers(r *http.Request) ([]string, error) {
	if r.Method != http.MethodGet {
		return nil, fmt.Errorf("fake seino: method %s, want GET", r.Method)
	}
	v := r.URL.Query()["GNPNO1"]
	if len(v) != 1 || v[0] == "" {
		return nil, errors.New("fake seino: want exactly one GNPNO1")
	}
	return v, nil
}

// Render writes the result page for exactly one parcel.
func (Seino) Render(w io.Writer, parcels []Parcel) error {
	if len(parcels) != 1 {
		return fmt.Errorf("fake seino: render %d parcels: a page shows exactly one", len(parcels))
	}
	p := parcels[0]
	var b strings.Builder
	seinoHead(&b)
	fmt.Fprintf(&b, "<table summary=\"お届け状況確認 検索\"><tr><th>お問合せ番号</th></tr><tr><td class=\"col3\">%s</td></tr></table>\n", html.EscapeString(p.Number))
	switch {
	case !p.Found:
		b.WriteString("<p class=\"err\">入力されたお問合せ番号が見当りません。</p>\n")
		b.WriteString("<form><input type=\"hidden\" id=\"haitatsuJokyo0\" value=\"お問合せ番号未登録\"></form>\n")
	case len(p.Rows) > 0:
		last := p.Rows[len(p.Rows)-1]
		fmt.Fprintf(&b, "<form><input type=\"hidden\" id=\"haitatsuJokyo0\" value=\"%s\">", html.EscapeString(last.Raw))
		if !last.Time.IsZero() {
			fmt.Fprintf(&b, "<input type=\"hidden\" id=\"haitatsuTenshoDate0\" value=\"%s\">", last.Time.Format("2006/01/02 15:04"))
		}
		b.WriteString("</form>\n<table summary=\"お届物詳細\">\n<tr><th>状況</th><th>担当店</th><th>日時</th></tr>\n")
		for _, r := range p.Rows {
			when := ""
			if !r.Time.IsZero() {
				when = r.Time.Format("2006/01/02 15:04")
			}
			fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", html.EscapeString(r.Raw), html.EscapeString(r.Location), when)
		}
		b.WriteString("</table>\n")
	}
	b.WriteString("</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Maintenance writes a page without the state: no source shows Seino's
// maintenance page, so the adapter reads it as a layout change.
func (Seino) Maintenance(w io.Writer) error {
	var b strings.Builder
	seinoHead(&b)
	b.WriteString("<p>ただいまメンテナンス中です。</p>\n</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func seinoHead(b *strings.Builder) {
	b.WriteString(`<!DOCTYPE html>
<!-- Rendered by carriers/fake (fake.Seino) from the reconstructed layout; not a recording. -->
<html lang="ja">
<head><meta charset="utf-8"><title>お問合せ番号検索結果 | 西濃運輸</title></head>
<body>
`)
}
