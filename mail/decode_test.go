package mail

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func decodeString(t testing.TB, raw string) *Message {
	t.Helper()
	m, err := Decode(strings.NewReader(strings.ReplaceAll(raw, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDecodeCorpus checks the decoded subjects and a line of each body in
// the corpus: every encoding the corpus covers must come out as UTF-8.
func TestDecodeCorpus(t *testing.T) {
	tests := []struct {
		file, subject, text, notText string
	}{
		{"amazon_utf8_qp.eml", "発送済み：「XF35mmF1.4 R 単焦点レンズ」ほか1点", "配送業者: 日本郵便", "プレヘッダー"},
		{"rakuten_iso2022jp.eml", "【楽天市場】商品発送のお知らせ", "■配送会社：ヤマト運輸", ""},
		{"yahoo_sjis_base64.eml", "【ガジェット堂】商品発送のご連絡", "※①配送状況の反映", ""},
		{"mercari_html_only.eml", "商品が発送されました", "追跡番号 6204-5518-9373", "777771234516"},
		{"yodobashi_split.eml", "ヨドバシ・ドット・コム：ご注文商品出荷のお知らせ", "【2個口目】", ""},
		{"overseas_english.eml", "Your Pimoroni order #104233 has shipped", "Item: Raspberry Pi 5", "<b>"},
		{"rakuten_order_only.eml", "【ご注文確認】楽天ブックス", "会員番号：", ""},
		{"forwarded_rfc822.eml", "Fwd: 【ZOZOTOWN】商品発送のお知らせ", "伝票番号：488201933763", ""},
		{"forwarded_inline.eml", "Fwd: 発送済み：「電動歯ブラシ 替えブラシ 8本」", "配送業者：佐川急便", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			m, err := Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", m.Subject, tt.subject)
			}
			if !strings.Contains(m.Text, tt.text) {
				t.Errorf("text lacks %q:\n%s", tt.text, m.Text)
			}
			if tt.notText != "" && strings.Contains(m.Text, tt.notText) {
				t.Errorf("text has %q, which is not visible or not the preferred part:\n%s", tt.notText, m.Text)
			}
		})
	}
}

func TestDecodeForwardedSenders(t *testing.T) {
	for _, tt := range []struct{ file, want string }{
		{"forwarded_rfc822.eml", "ZOZOTOWN <info@zozo.jp>"},
		{"forwarded_inline.eml", "Amazon.co.jp <shipment-tracking@amazon.co.jp>"},
	} {
		f, err := os.Open(filepath.Join("testdata", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		m, err := Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(m.ForwardedFrom) == 0 || m.ForwardedFrom[0] != tt.want {
			t.Errorf("%s: ForwardedFrom = %q, want %q first", tt.file, m.ForwardedFrom, tt.want)
		}
		if len(m.From) != 1 || !strings.Contains(m.From[0], "taro@example.jp") {
			t.Errorf("%s: From = %q, want the forwarder", tt.file, m.From)
		}
	}
}

func TestDecodeCases(t *testing.T) {
	tests := []struct {
		name, raw, subject, text, notText string
	}{
		{
			name: "alternative prefers plain text even after HTML",
			raw: `Subject: a
Content-Type: multipart/alternative; boundary=x

--x
Content-Type: text/html

<p>from html</p>
--x
Content-Type: text/plain

from plain
--x--
`,
			subject: "a", text: "from plain", notText: "from html",
		},
		{
			name: "alternative falls back to HTML text",
			raw: `Subject: a
Content-Type: multipart/alternative; boundary=x

--x
Content-Type: text/plain

--x
Content-Type: text/html

<p>from&nbsp;html</p><script>no</script><style>nope</style>
--x--
`,
			subject: "a", text: "from html", notText: "no",
		},
		{
			name: "HTML table cells stay on one line",
			raw: `Content-Type: text/html; charset=utf-8

<table><tr><td>お問い合わせ番号</td><td>1234</td></tr><tr><td>次</td></tr></table>
`,
			text: "お問い合わせ番号 1234\n次",
		},
		{
			name: "hidden HTML elements are left out",
			raw: `Content-Type: text/html

<div hidden>secret one</div><div style="visibility: hidden">secret two</div><div style="DISPLAY : NONE">three</div>shown
`,
			text: "shown", notText: "secret",
		},
		{
			name:    "raw ISO-2022-JP subject without encoded words",
			raw:     "Subject: \x1b$B%F%9%H\x1b(B\n\nbody\n",
			subject: "テスト", text: "body",
		},
		{
			name:    "undeclared Shift_JIS body",
			raw:     "Subject: x\n\n\x83e\x83X\x83g\n",
			subject: "x", text: "テスト",
		},
		{
			name:    "unknown charset is read as it is",
			raw:     "Subject: =?x-unknown?Q?abc?=\nContent-Type: text/plain; charset=x-unknown\n\nplain ascii\n",
			subject: "=?x-unknown?Q?abc?=", text: "plain ascii",
		},
		{
			name: "text attachments are not read",
			raw: `Content-Type: multipart/mixed; boundary=m

--m
Content-Type: text/plain

body
--m
Content-Type: text/plain
Content-Disposition: attachment; filename=log.txt

attached 1234-5678-9013
--m--
`,
			text: "body", notText: "attached",
		},
		{
			name:    "encoded-word subject in Shift_JIS Q encoding",
			raw:     "Subject: =?Shift_JIS?Q?=83e=83X=83g?=\n\nx\n",
			subject: "テスト", text: "x",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := decodeString(t, tt.raw)
			if m.Subject != tt.subject {
				t.Errorf("subject = %q, want %q", m.Subject, tt.subject)
			}
			if !strings.Contains(m.Text, tt.text) {
				t.Errorf("text = %q, want it to contain %q", m.Text, tt.text)
			}
			if tt.notText != "" && strings.Contains(m.Text, tt.notText) {
				t.Errorf("text = %q, want no %q", m.Text, tt.notText)
			}
		})
	}
}

func TestDecodeHeaderError(t *testing.T) {
	if _, err := Decode(strings.NewReader("no header at all, no colon\r\n")); err == nil {
		t.Error("want an error for a message without a header")
	}
}

// TestDecodeDepth checks that deeply nested forwards stop at maxDepth
// instead of recursing without end.
func TestDecodeDepth(t *testing.T) {
	msg := "Content-Type: text/plain\n\ninnermost"
	for range maxDepth + 5 {
		msg = "Content-Type: message/rfc822\n\n" + msg
	}
	m := decodeString(t, msg)
	if strings.Contains(m.Text, "innermost") {
		t.Errorf("text of a message nested %d deep was read", maxDepth+5)
	}
}
