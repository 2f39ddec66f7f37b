package fake

import (
	"bufio"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"

	"github.com/todoku/todoku/carriers"
)

// Yamato renders Yamato's tneko result page in its 2026 layout, structured
// like carriers/yamato/testdata/*.reconstructed.html (see their header
// comments for the public sources): the overview list, one
// div.parts-tracking-invoice-block per number with 「商品名：」 and the
// 「お届け完了通知を依頼」 button, and the swd.writeln print copy with its
// HTML escaped (\<, \>, \/) and its 荷物状況/日付/時刻/担当店名 history
// tables. No footer: nothing reads one. Its zero value is ready to use.
type Yamato struct{}

var _ Site = Yamato{}

// Carrier returns "yamato".
func (Yamato) Carrier() string { return "yamato" }

// Path returns the form's endpoint, /cgi-bin/tneko.
func (Yamato) Path() string { return "/cgi-bin/tneko" }

// Numbers reads a POSTed tneko form: number00=1 and number01 … number10,
// filled from number01 on without gaps.
func (Yamato) Numbers(r *http.Request) ([]string, error) {
	if r.Method != http.MethodPost {
		return nil, fmt.Errorf("yamato: method %s, want POST", r.Method)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return nil, fmt.Errorf("yamato: content type %q, want a form", ct)
	}
	if err := r.ParseForm(); err != nil {
		return nil, fmt.Errorf("yamato: parse form: %w", err)
	}
	if r.PostForm.Get("number00") != "1" {
		return nil, errors.New("yamato: number00 must be 1")
	}
	var nums []string
	gap := false
	for i := 1; i <= 10; i++ {
		v := strings.TrimSpace(r.PostForm.Get(fmt.Sprintf("number%02d", i)))
		switch {
		case v == "":
			gap = true
		case gap:
			return nil, fmt.Errorf("yamato: number%02d follows an empty field", i)
		default:
			nums = append(nums, v)
		}
	}
	for k := range r.PostForm {
		if strings.HasPrefix(k, "number") && k > "number10" {
			return nil, fmt.Errorf("yamato: unexpected field %s", k)
		}
	}
	if len(nums) == 0 {
		return nil, errors.New("yamato: no number in the form")
	}
	return nums, nil
}

// Render writes the result page for parcels, in order. A parcel with
// Found false gets the 伝票番号誤り block. Yamato prints no office or
// phone apart from each row's centre, so Parcel.Office is not shown.
func (y Yamato) Render(w io.Writer, parcels []Parcel) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(yamatoHead)
	yamatoOverview(bw, parcels)
	bw.WriteString("<div class=\"tracking-result\">\n")
	for i, p := range parcels {
		yamatoBlock(bw, i, p)
	}
	bw.WriteString("</div>\n</main>\n")
	yamatoPrintCopy(bw, parcels)
	bw.WriteString("</body>\n</html>\n")
	return bw.Flush()
}

// Maintenance writes the page shown while the system is down.
func (Yamato) Maintenance(w io.Writer) error {
	_, err := io.WriteString(w, yamatoMaintenance)
	return err
}

// yamatoNumber formats a number as Yamato's headings print it.
func yamatoNumber(n string) string { return carriers.Display("yamato", n) }

// yamatoState is the state title of a parcel: its last row's words.
func yamatoState(p Parcel) string {
	switch {
	case !p.Found:
		return "伝票番号誤り"
	case len(p.Rows) > 0:
		return p.Rows[len(p.Rows)-1].Raw
	}
	return "-"
}

// yamatoLastDate is the MM/DD of a parcel's last row, or "-".
func yamatoLastDate(p Parcel) string {
	if !p.Found || len(p.Rows) == 0 || p.Rows[len(p.Rows)-1].Time.IsZero() {
		return "-"
	}
	return p.Rows[len(p.Rows)-1].Time.In(carriers.Tokyo).Format("01/02")
}

// yamatoOverview writes the list of all numbers above the blocks (日付,
// 配送状況), as sm-trz's 2026 page text shows it.
func yamatoOverview(w *bufio.Writer, parcels []Parcel) {
	esc := html.EscapeString
	w.WriteString("<div class=\"tracking-invoice-list\">\n  <div class=\"tracking-invoice-list-head\"><div class=\"item date\">日付</div><div class=\"item state\">配送状況</div></div>\n  <ul class=\"tracking-invoice-list-body\">\n")
	for i, p := range parcels {
		d := yamatoLastDate(p)
		fmt.Fprintf(w, "    <li><div class=\"data date pc-only\">%s</div><div class=\"data state\"><a href=\"#AA%03d\" class=\"js-tracking-detail\"><div class=\"data arrow sp-only\">▶</div> <div class=\"sp-only\">%s\u3000</div>%s</a></div></li>\n",
			d, i, d, esc(yamatoState(p)))
	}
	fmt.Fprintf(w, "  </ul>\n  <div class=\"tracking-invoice-list-function\"><a href=\"javascript:PRINT_ALL();\" class=\"parts-button\">一覧印刷</a> <span>T%d</span> <a href=\"javascript:window.close();\" class=\"parts-button\">画面を閉じる</a></div>\n</div>\n", len(parcels))
}

func yamatoBlock(w *bufio.Writer, i int, p Parcel) {
	esc := html.EscapeString
	fmt.Fprintf(w, "<div class=\"tracking-anchor\" id=\"AA%03d\"></div>\n", i)
	w.WriteString("<div class=\"parts-tracking-invoice-block\">\n")
	fmt.Fprintf(w, "  <h3 class=\"tracking-invoice-block-title\">%d件目：%s</h3>\n", i+1, esc(yamatoNumber(p.Number)))
	w.WriteString("  <div class=\"tracking-invoice-block-message\"></div>\n")
	if !p.Found {
		w.WriteString(`  <div class="tracking-invoice-block-state is-urgent-red">
    <h4 class="tracking-invoice-block-state-title">伝票番号誤り</h4>
    <div class="tracking-invoice-block-state-summary">伝票番号に誤りがあります。</div>
    <div class="tracking-invoice-block-state-note">お手数ですが、伝票番号をお確かめの上、再度入力してください。</div>
  </div>
</div>
`)
		return
	}
	product := p.Product
	if product == "" {
		product = "-"
	}
	fmt.Fprintf(w, `  <div class="tracking-invoice-block-state is-safe-blue">
    <h4 class="tracking-invoice-block-state-title">%s</h4>
    <div class="tracking-invoice-block-state-summary">お荷物の状況は下記のとおりです。</div>
    <div class="tracking-invoice-block-state-note">お問い合わせはサービスセンターまでお願いいたします。</div>
  </div>
  <div class="tracking-invoice-block-function">
    <ul>
      <li><a class="parts-button is-small" href="#">詳細確認／日時・場所変更</a></li>
      <li><button type="button" class="parts-button is-small" data-modal="notice">お届け完了通知を依頼</button></li>
    </ul>
  </div>
  <div class="tracking-invoice-block-summary">
    <ul>
      <li><div class="item">商品名：</div><div class="data">%s</div></li>
      <li><div class="item">お届け予定日時：</div><div class="data">-</div></li>
    </ul>
  </div>
  <div class="tracking-invoice-block-detail">
    <ol>
`, esc(yamatoState(p)), esc(product))
	for _, r := range p.Rows {
		date := "-"
		if !r.Time.IsZero() {
			date = r.Time.In(carriers.Tokyo).Format("01月02日 15:04")
		}
		fmt.Fprintf(w, "      <li><div class=\"item\">%s</div><div class=\"date\">%s</div><div class=\"name\">%s</div></li>\n",
			esc(r.Raw), date, esc(r.Location))
	}
	w.WriteString(`    </ol>
  </div>
</div>
`)
}

// yamatoPrintCopy writes the print pop-up script, which repeats every
// result as escaped HTML in JavaScript strings: a list table (伝票番号,
// 日付, 配達状況), then for each parcel found a summary table (商品名,
// お届け予定日時, お届け希望日時) and a history table (荷物状況, 日付,
// 時刻, 担当店名), as TsuiseKit reads it.
func yamatoPrintCopy(w *bufio.Writer, parcels []Parcel) {
	js := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "<", `\<`, ">", `\>`, "/", `\/`, "\n", " ")
	line := func(s string) { w.WriteString(" swd.writeln('" + js.Replace(s) + "');\n") }
	esc := html.EscapeString
	w.WriteString("<script type=\"text/javascript\">\nfunction PRINT_ALL(){\n swd = window.open('', 'print', 'width=750,height=520').document;\n swd.open();\n")
	line(`<html lang="ja"><head><meta charset="UTF-8"><title>お問い合わせ結果一覧</title></head><body>`)
	line(`</body></html>`)
	line(`<table border="1"><tr><th>伝票番号</th><th>日付</th><th>配達状況</th></tr>`)
	for _, p := range parcels {
		line(fmt.Sprintf(`<tr><td>%s</td><td>%s</td><td>%s<br></td></tr>`, esc(yamatoNumber(p.Number)), yamatoLastDate(p), esc(yamatoState(p))))
	}
	line(`</table>`)
	for _, p := range parcels {
		if !p.Found {
			continue
		}
		product := p.Product
		if product == "" {
			product = "-"
		}
		line(fmt.Sprintf(`<table border="1"><tr><th>商品名</th><th>お届け予定日時</th><th>お届け希望日時</th></tr><tr><td>%s</td><td>-</td><td>-</td></tr></table>`, esc(product)))
		line(`<table border="1"><tr><th>荷物状況</th><th>日付</th><th>時刻</th><th>担当店名</th></tr>`)
		for _, r := range p.Rows {
			date, clock := "-", ""
			if !r.Time.IsZero() {
				t := r.Time.In(carriers.Tokyo)
				date, clock = t.Format("01/02"), t.Format("15:04")
			}
			line(fmt.Sprintf(`<tr><td>%s<br></td><td>%s</td><td>%s</td><td>%s</td></tr>`, esc(r.Raw), date, clock, esc(r.Location)))
		}
		line(`</table>`)
	}
	w.WriteString(" swd.close();\n}\n</script>\n")
}

const yamatoHead = `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="UTF-8">
<title>荷物お問い合わせシステム｜ヤマト運輸</title>
</head>
<body>
<header class="l-header">
  <div class="l-header-logo"><a href="https://www.kuronekoyamato.co.jp/">ヤマト運輸</a></div>
</header>
<main class="l-contents">
<div class="tracking-result">
<h2 class="parts-heading-title">お問い合わせ結果</h2>
`

const yamatoMaintenance = `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="UTF-8">
<title>システムメンテナンスのお知らせ｜ヤマト運輸</title>
</head>
<body>
<header class="l-header">
  <div class="l-header-logo"><a href="https://www.kuronekoyamato.co.jp/">ヤマト運輸</a></div>
</header>
<main class="l-contents">
  <h2 class="parts-heading-title">システムメンテナンスのお知らせ</h2>
  <p>ただいまシステムメンテナンス中のため、荷物お問い合わせシステムはご利用いただけません。</p>
  <p>ご迷惑をおかけいたしますが、しばらくたってから再度お試しください。</p>
</main>
<footer class="l-footer">
  <p class="l-footer-copyright">&copy; YAMATO TRANSPORT CO.,LTD. All Rights Reserved.</p>
</footer>
</body>
</html>
`
