package fake

import (
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"

	"github.com/todoku/todoku/carriers"
)

// Sagawa renders Sagawa Express okurijosearch.do pages in the 2026 layout
// reconstructed in carriers/sagawa/testdata (see the sagawa package
// documentation for the sources): a 詳細 / お問い合せ送り状No. / 最新荷物状況
// header, the list table.ttl02 whose th cells are [詳細1, number,
// span.state] with the message row under it, and dd#detail1 with the
// summary (お問い合せ送り状No., 出荷日, サービス, 配達に関するお問い合せ with
// the office and TEL in its value cell) and the history table headed
// 荷物状況 | 日時 | 担当営業所. No footer. A found parcel without rows
// renders the 調査中 page Sagawa shows for returned parcels.
type Sagawa struct{}

var _ Site = Sagawa{}

// Carrier returns "sagawa".
func (Sagawa) Carrier() string { return "sagawa" }

// Path returns the result page path.
func (Sagawa) Path() string { return "/p/web/okurijosearch.do" }

// Numbers returns the one number of a GET ?okurijoNo=N request.
func (Sagawa) Numbers(r *http.Request) ([]string, error) {
	if r.Method != http.MethodGet {
		return nil, fmt.Errorf("fake sagawa: method %s, want GET", r.Method)
	}
	v := r.URL.Query()["okurijoNo"]
	if len(v) != 1 || v[0] == "" {
		return nil, errors.New("fake sagawa: want exactly one okurijoNo")
	}
	return []string{v[0]}, nil
}

// Render writes the result page for exactly one parcel: Sagawa's GET
// endpoint shows one number per page.
func (Sagawa) Render(w io.Writer, parcels []Parcel) error {
	if len(parcels) != 1 {
		return fmt.Errorf("fake sagawa: render %d parcels: a page shows exactly one", len(parcels))
	}
	p := parcels[0]
	var b strings.Builder
	sagawaHead(&b)
	switch {
	case !p.Found:
		sagawaList(&b, p.Number, "該当なし", "お荷物データが登録されておりません。")
	case len(p.Rows) == 0:
		sagawaList(&b, p.Number, "調査中", "恐れ入りますが、営業所へお問い合わせください。")
		sagawaDetail(&b, p)
	default:
		last := p.Rows[len(p.Rows)-1].Raw
		sagawaList(&b, p.Number, last, "")
		sagawaDetail(&b, p)
	}
	sagawaFoot(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

// Maintenance writes Sagawa's maintenance page.
func (Sagawa) Maintenance(w io.Writer) error {
	var b strings.Builder
	sagawaHead(&b)
	b.WriteString("<div class=\"maintenance\"><p>只今、当サービスはメンテナンス中の為、ご利用頂くことはできません。</p></div>\n")
	sagawaFoot(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

func sagawaHead(b *strings.Builder) {
	b.WriteString(`<!DOCTYPE html>
<!-- Rendered by carriers/fake (fake.Sagawa) from the reconstructed 2026 layout; not a recording. -->
<html lang="ja">
<head>
<meta charset="UTF-8">
<title>お荷物問い合わせサービス｜佐川急便株式会社</title>
</head>
<body>
<div id="header"><a href="https://www.sagawa-exp.co.jp/">佐川急便</a></div>
<div id="main">
<h1>お荷物問い合わせサービス</h1>
`)
}

func sagawaFoot(b *strings.Builder) {
	b.WriteString("</div>\n</body>\n</html>\n")
}

func sagawaList(b *strings.Builder, number, state, message string) {
	e := html.EscapeString
	fmt.Fprintf(b, `<div class="table_okurijo_index">
<table class="table_basic ttl01"><tr><th>詳細</th><th>お問い合せ送り状No.</th><th>最新荷物状況</th></tr></table>
<table id="list1" class="table_basic ttl02">
<tr><th><a href="#detail1">詳細1</a><br></th><th>	%s	</th><th><div class="state_box"><span class="state">%s</span></div></th></tr>
<tr><td colspan="3"><p>%s</p></td></tr>
</table>
</div>
`, e(number), e(state), e(message))
}

func sagawaDetail(b *strings.Builder, p Parcel) {
	e := html.EscapeString
	ship := ""
	for _, r := range p.Rows {
		if !r.Time.IsZero() {
			ship = r.Time.In(carriers.Tokyo).Format("2006年01月02日")
			break
		}
	}
	b.WriteString("<dl class=\"okurijo_detail\">\n<dt>詳細1</dt>\n<dd id=\"detail1\">\n")
	b.WriteString("<table class=\"table_basic table_okurijo_detail2\">\n")
	fmt.Fprintf(b, "<tr><th>お問い合せ送り状No.</th><td>%s</td></tr>\n", e(p.Number))
	if ship != "" {
		fmt.Fprintf(b, "<tr><th>出荷日</th><td>%s</td></tr>\n", ship)
	}
	if p.Product != "" {
		fmt.Fprintf(b, "<tr><th>サービス</th><td>%s</td></tr>\n", e(p.Product))
	}
	switch {
	case p.Office.Phone != "":
		fmt.Fprintf(b, "<tr><th>配達に関するお問い合せ</th><td>%s&nbsp;&nbsp;TEL:%s</td></tr>\n", e(p.Office.Name), e(p.Office.Phone))
	case p.Office.Name != "":
		fmt.Fprintf(b, "<tr><th>配達営業所</th><td>%s</td></tr>\n", e(p.Office.Name))
	}
	b.WriteString("<tr><th>お荷物個数</th><td>1個</td></tr>\n</table>\n")
	if len(p.Rows) > 0 {
		b.WriteString("<table class=\"table_basic table_okurijo_detail2\">\n<tr><th>荷物状況</th><th>日時</th><th>担当営業所</th></tr>\n")
		for i, r := range p.Rows {
			mark := "↓"
			if i == len(p.Rows)-1 {
				mark = "⇒"
			}
			when := ""
			if !r.Time.IsZero() {
				when = r.Time.In(carriers.Tokyo).Format("01/02 15:04")
			}
			fmt.Fprintf(b, "<tr><td>%s%s</td><td>%s</td><td>%s</td></tr>\n", mark, e(r.Raw), when, e(r.Location))
		}
		b.WriteString("</table>\n")
	} else {
		b.WriteString("<table class=\"table_basic table_okurijo_detail2\">\n<tr><th>詳細表示</th><td>恐れ入りますが、営業所へお問い合わせください。</td></tr>\n</table>\n")
	}
	b.WriteString("</dd>\n</dl>\n")
}
