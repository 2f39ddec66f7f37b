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

// Yamato renders Yamato's current (2021–) tneko result page, structured
// like carriers/yamato/testdata/*.reconstructed.html: one
// div.parts-tracking-invoice-block per number, the 「お届け完了通知を依頼」
// button, the swd.writeln print copy and the footer. Its zero value is
// ready to use.
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
	for i, p := range parcels {
		yamatoBlock(bw, i, p)
	}
	bw.WriteString("</div>\n</main>\n")
	yamatoPrintCopy(bw, parcels)
	bw.WriteString(yamatoFoot)
	return bw.Flush()
}

// Maintenance writes the page shown while the system is down.
func (Yamato) Maintenance(w io.Writer) error {
	_, err := io.WriteString(w, yamatoMaintenance)
	return err
}

// yamatoNumber formats a number as Yamato's headings print it.
func yamatoNumber(n string) string { return carriers.Display("yamato", n) }

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
	title := "-"
	if len(p.Rows) > 0 {
		title = p.Rows[len(p.Rows)-1].Raw
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
  <div class="tracking-invoice-block-summary">
    <ul>
      <li><div class="item">商品名</div><div class="data">%s</div></li>
      <li><div class="item">お届け予定日時</div><div class="data">-</div></li>
    </ul>
  </div>
  <div class="tracking-invoice-block-detail">
    <ol>
`, esc(title), esc(product))
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
  <div class="tracking-invoice-block-function">
    <ul>
      <li><button type="button" class="parts-button is-small" data-modal="notice">お届け完了通知を依頼</button></li>
      <li><a class="parts-button is-small" href="#">詳細確認／日時・場所変更</a></li>
    </ul>
  </div>
</div>
`)
}

// yamatoPrintCopy writes the print pop-up script, which repeats every
// status as JavaScript strings (research §2a: never to be parsed).
func yamatoPrintCopy(w *bufio.Writer, parcels []Parcel) {
	js := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "<", `\x3c`, "\n", " ")
	w.WriteString("<script>\nfunction PRINT_ALL(){\n swd = window.open('', '', 'width=750,height=520').document;\n swd.open();\n")
	w.WriteString(" swd.writeln('<html><head><title>お問い合わせ結果一覧</title></head><body>');\n")
	for i, p := range parcels {
		status := "伝票番号誤り"
		if p.Found && len(p.Rows) > 0 {
			status = p.Rows[len(p.Rows)-1].Raw
		}
		fmt.Fprintf(w, " swd.writeln('<tr><td>%d件目</td><td>%s</td><td>%s</td></tr>');\n",
			i+1, js.Replace(yamatoNumber(p.Number)), js.Replace(status))
	}
	w.WriteString(" swd.writeln('</body></html>');\n swd.close();\n}\n</script>\n")
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

const yamatoFoot = `<footer class="l-footer">
  <ul class="l-footer-link"><li><a href="https://www.kuronekoyamato.co.jp/ytc/customer/">お問い合わせ</a></li></ul>
  <p class="l-footer-copyright">&copy; YAMATO TRANSPORT CO.,LTD. All Rights Reserved.</p>
</footer>
</body>
</html>
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
