package fake

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/todoku/todoku/carriers"
)

// JapanPost renders Japan Post's current-layout result pages as the 2026
// evidence describes them (research carriers-2026.md; the pages of
// carriers/japanpost/testdata cite their sources): per number a
// table.tableType01[summary=配達状況詳細] (お問い合わせ番号 | 商品種別 |
// 付加サービス), a [summary=履歴情報] history with two header rows and per
// event a row of five cells (rowspan 2 but the 取扱局) and a 郵便番号 row,
// and a table.tableType03 お問い合わせ先 typed 配達局; a number Japan Post
// does not know is a [summary=照会結果] table whose data row has the number
// and 「＊＊ お問い合わせ番号が見つかりません。…」 in a cell spanning five
// columns. The adapter asks one number a request; for several parcels the
// fake prints one such section after another (the real site's answer to
// several numbers, a 照会結果 summary list, would lose the histories).
type JapanPost struct{}

var _ Site = JapanPost{}

// Carrier returns "japanpost".
func (JapanPost) Carrier() string { return "japanpost" }

// Path returns the direct search path.
func (JapanPost) Path() string { return "/services/srv/search/direct" }

// Numbers reads reqCodeNo1..reqCodeNo10 from a GET with searchKind and
// locale, as the adapter sends them.
func (JapanPost) Numbers(r *http.Request) ([]string, error) {
	if r.Method != http.MethodGet {
		return nil, fmt.Errorf("japanpost: method %s, want GET", r.Method)
	}
	q := r.URL.Query()
	if q.Get("searchKind") == "" {
		return nil, fmt.Errorf("japanpost: searchKind missing")
	}
	if l := q.Get("locale"); l != "ja" && l != "en" {
		return nil, fmt.Errorf("japanpost: locale %q, want ja or en", l)
	}
	var nums []string
	for i := 1; i <= 10; i++ {
		n := q.Get("reqCodeNo" + strconv.Itoa(i))
		if n == "" {
			break
		}
		nums = append(nums, n)
	}
	if len(nums) == 0 {
		return nil, fmt.Errorf("japanpost: reqCodeNo1 missing")
	}
	for i := len(nums) + 1; i <= 11; i++ {
		if q.Get("reqCodeNo"+strconv.Itoa(i)) != "" {
			return nil, fmt.Errorf("japanpost: reqCodeNo fields not contiguous or more than 10")
		}
	}
	return nums, nil
}

// Render writes the result page for parcels.
func (JapanPost) Render(w io.Writer, parcels []Parcel) error {
	var b strings.Builder
	b.WriteString(jpHead)
	for _, p := range parcels {
		b.WriteString("<div class=\"indent\">\n")
		if p.Found {
			jpSection(&b, p)
		} else {
			fmt.Fprintf(&b, jpNotFound, jpDisplay(p.Number))
		}
		b.WriteString("</div>\n")
	}
	b.WriteString(jpFoot)
	_, err := io.WriteString(w, b.String())
	return err
}

// Maintenance writes the maintenance page.
func (JapanPost) Maintenance(w io.Writer) error {
	_, err := io.WriteString(w, jpMaintenance)
	return err
}

func jpSection(b *strings.Builder, p Parcel) {
	e := html.EscapeString
	fmt.Fprintf(b, `<table class="tableType01 txt_c m_b5" summary="配達状況詳細">
<tbody>
<tr><th scope="col" class="w_180">お問い合わせ番号</th><th scope="col" class="w_380">商品種別</th><th scope="col">付加サービス</th></tr>
<tr><td class="w_180">%s</td><td class="w_380">%s</td><td>&nbsp;</td></tr>
</tbody>
</table>
<table class="tableType01 txt_c m_b5" summary="履歴情報">
<tbody>
<tr><th rowspan="2" scope="row" class="w_120">状態発生日</th><th rowspan="2" class="w_150">配送履歴</th><th rowspan="2" class="w_180">詳細</th><th class="w_105">取扱局</th><th rowspan="2" class="w_105">県名等</th></tr>
<tr><th class="w_105">郵便番号</th></tr>
`, e(jpDisplay(p.Number)), e(p.Product))
	for _, r := range p.Rows {
		office, place := jpSplitLocation(r)
		t := r.Time
		if t.Location() == time.UTC || t.Location() == time.Local {
			t = t.In(carriers.Tokyo)
		}
		fmt.Fprintf(b, `<tr><td rowspan="2" class="w_120">%s</td><td rowspan="2" class="w_150">%s</td><td rowspan="2" class="w_180">&nbsp;</td><td class="w_105">%s</td><td rowspan="2" class="w_105">%s</td></tr>
<tr><td class="w_105">%s</td></tr>
`, t.Format("2006/01/02 15:04"), e(r.Raw), e(office), e(place), jpPostcode(office))
	}
	b.WriteString("</tbody>\n</table>\n")
	if !p.Office.IsZero() {
		fmt.Fprintf(b, `<table class="tableType03 m_b5" summary="お問い合わせ先">
<tbody>
<tr><th scope="col">お問い合わせ先</th><th scope="col">取扱局</th><th scope="col">電話番号</th></tr>
<tr><td>配達局</td><td>%s</td><td>%s</td></tr>
</tbody>
</table>
`, e(p.Office.Name), e(p.Office.Phone))
	}
}

// jpPostcode is the 郵便番号 printed under an office: invented, and blank
// when the row names no office.
func jpPostcode(office string) string {
	if office == "" {
		return "&nbsp;"
	}
	return "100-8799"
}

// jpSplitLocation undoes the adapter's Location: "OFFICE (COUNTRY)" is an
// office abroad; a bare name with a time outside Japan is the country.
func jpSplitLocation(r Row) (office, place string) {
	if strings.HasSuffix(r.Location, ")") {
		if i := strings.LastIndex(r.Location, " ("); i > 0 {
			return r.Location[:i], r.Location[i+2 : len(r.Location)-1]
		}
	}
	if loc := r.Time.Location(); loc != carriers.Tokyo && loc != time.UTC && loc != time.Local && loc.String() != "Asia/Tokyo" {
		return "", r.Location
	}
	return r.Location, ""
}

// jpDisplay prints 12-digit numbers as 1234-5678-9012, like the site.
func jpDisplay(n string) string {
	if len(n) == 12 && strings.Trim(n, "0123456789") == "" {
		return n[:4] + "-" + n[4:8] + "-" + n[8:]
	}
	return n
}

const jpHead = `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="UTF-8">
<title>個別番号検索結果｜日本郵便株式会社</title>
</head>
<body>
<div id="wrap">
<div id="header"><p id="logo"><a href="https://www.post.japanpost.jp/">日本郵便</a></p></div>
<div id="contents">
<h1 class="ttl01">個別番号検索結果</h1>
`

const jpNotFound = `<table class="tableType01 txt_c m_b5" summary="照会結果">
<tbody>
<tr><th scope="col" class="w_180">お問い合わせ番号</th><th scope="col">商品種別</th><th scope="col">最新年月日</th><th scope="col">最新状態</th><th scope="col">最新取扱局</th><th scope="col" rowspan="2">県名等</th></tr>
<tr><th scope="col" colspan="5">郵便番号</th></tr>
<tr><td class="w_180">%s</td><td colspan="5" class="txt_l"><font color="#ff0000">＊＊ お問い合わせ番号が見つかりません。お問い合わせ番号をご確認の上、お近くの取扱店にお問い合わせください。</font></td></tr>
</tbody>
</table>
`

const jpFoot = `</div>
<div id="footer"><p class="copyright">Copyright (C) JAPAN POST Co., Ltd. All Rights Reserved.</p></div>
</div>
</body>
</html>
`

const jpMaintenance = `<!DOCTYPE html>
<html lang="ja">
<head><meta charset="UTF-8"><title>システムメンテナンス中｜日本郵便株式会社</title></head>
<body>
<div id="wrap">
<div id="contents">
<h1 class="ttl01">ただいまシステムメンテナンス中です</h1>
<p>現在、システムメンテナンスのため郵便追跡サービスを停止しております。ご迷惑をおかけしますが、しばらくしてから再度アクセスしてください。</p>
</div>
<div id="footer"><p class="copyright">Copyright (C) JAPAN POST Co., Ltd. All Rights Reserved.</p></div>
</div>
</body>
</html>
`
