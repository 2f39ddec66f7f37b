package api

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// allowedElements are the only elements the templates produce.
var allowedElements = []string{
	"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "a", "p",
	"time", "main", "article", "span", "footer", "ol", "li", "br", "code",
}

// checkSafeHTML parses page and fails on any element, attribute or link
// the templates never produce, which is what an injection would look like.
func checkSafeHTML(t testing.TB, page string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if !slices.Contains(allowedElements, n.Data) {
				t.Errorf("unexpected <%s> element in page", n.Data)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") || a.Key == "style" || a.Key == "src" {
					t.Errorf("unexpected attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
				}
				if a.Key == "href" && !safeHref(a.Val) {
					t.Errorf("unsafe href %q", a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return doc
}

// safeHref accepts the links the templates make: the index, parcel pages,
// digits-only tel: links and absolute https/http URLs.
func safeHref(v string) bool {
	switch {
	case v == "/", strings.HasPrefix(v, "/parcel/") && !strings.HasPrefix(v, "//"):
		return true
	case strings.HasPrefix(v, "tel:"):
		return strings.Trim(strings.TrimPrefix(v[4:], "+"), "0123456789") == ""
	case strings.HasPrefix(v, "https://"), strings.HasPrefix(v, "http://"):
		return !strings.ContainsAny(v, "\"'<> ")
	}
	return false
}

// textContent returns the text of every node under n.
func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode && (n.Parent == nil || n.Parent.Data != "style") {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// hostile returns a parcel whose every carrier-supplied string is an attack.
func hostile(s string, link string) ParcelView {
	ev := EventView{Time: attempted, Status: "delivery_failed", Raw: s, Location: s}
	return ParcelView{
		Number: "123456789012", Display: s, Label: s, Carrier: "yamato", CarrierName: s,
		Status: "delivery_failed\" onclick=\"x", Reason: s, StatusText: s,
		LastEvent: &ev,
		Call:      &CallView{Number: "0120-01-9625\"><script>alert(1)</script>", Who: s, Hours: s, Open: true, OpenText: s},
		URL:       link, Office: s, LastError: s, Tracked: true,
	}
}

func TestPageEscapesHostileCarrierText(t *testing.T) {
	payloads := []string{
		`<script>alert("x")</script>`,
		`"><img src=x onerror=alert(1)>`,
		`' onmouseover='alert(1)`,
		`</title><script>alert(1)</script>`,
		`<style>*{display:none}</style>`,
		"<a href=\"javascript:alert(1)\">再配達はこちら</a>",
		"<!-- x --><iframe src=//evil.example>",
	}
	links := []string{"javascript:alert(1)", "https://toi.kuronekoyamato.co.jp/?a=\"><script>", "data:text/html,<script>alert(1)</script>", "//evil.example/x", " javascript:alert(1)"}
	for _, p := range payloads {
		for _, link := range links {
			t.Run(p+"|"+link, func(t *testing.T) {
				f := newFake()
				hv := hostile(p, link)
				f.parcels = []ParcelView{hv}
				f.history = map[string][]EventView{hv.Number: {*hv.LastEvent, {Time: attempted.Add(time.Hour), Raw: p, Location: p}}}
				f.health = HealthView{OK: false, Scheduler: p, Store: "ok", Carriers: []CarrierHealthView{{Carrier: p, Name: p, State: "broken", LastError: p}}}
				for _, target := range []string{"/", "/parcel/123456789012"} {
					rec := serve(t, f, "GET", target, nil)
					if rec.Code != 200 {
						t.Fatalf("GET %s = %d, want 200", target, rec.Code)
					}
					page := rec.Body.String()
					doc := checkSafeHTML(t, page)
					if !strings.Contains(textContent(doc), p) {
						t.Errorf("GET %s: text lacks the carrier's words %q verbatim (escaped, not stripped)", target, p)
					}
					if strings.Contains(page, "javascript:") && !strings.Contains(p, "javascript:") {
						t.Errorf("GET %s: page contains a javascript: URL", target)
					}
				}
			})
		}
	}
}

func TestPageHostileNumberInPath(t *testing.T) {
	rec := serve(t, newFake(), "GET", "/parcel/%3Cscript%3Ealert(1)%3C%2Fscript%3E", nil)
	if rec.Code != 404 {
		t.Fatalf("status = %d, want 404", rec.Code)
	}
	doc := checkSafeHTML(t, rec.Body.String())
	if !strings.Contains(textContent(doc), "<script>alert(1)</script>") {
		t.Errorf("404 page does not show the number as text")
	}
}

func TestPageOrderAndMobile(t *testing.T) {
	rec := serve(t, newFake(), "GET", "/", nil)
	page := rec.Body.String()
	if !strings.Contains(page, `<meta name="viewport" content="width=device-width, initial-scale=1">`) {
		t.Errorf("page lacks the mobile viewport")
	}
	if strings.Contains(strings.ToLower(page), "<script") {
		t.Errorf("page contains a script element")
	}
	// The failed delivery comes first, the delivered parcel last, though the
	// Source lists them transit, delivered, failed.
	iFailed, iTransit, iDone := strings.Index(page, "カメラレンズ"), strings.Index(page, "EJ 123 456 785 JP"), strings.Index(page, "4000-0000-0003")
	if !(iFailed < iTransit && iTransit < iDone) || iFailed < 0 {
		t.Errorf("order: failed@%d transit@%d delivered@%d, want failed < transit < delivered", iFailed, iTransit, iDone)
	}
}

func TestHistoryNewestFirst(t *testing.T) {
	rec := serve(t, newFake(), "GET", "/parcel/123456789012", nil)
	page := rec.Body.String()
	i := strings.Index(page, `<ol class="history">`)
	if i < 0 {
		t.Fatalf("no history list in page")
	}
	hist := page[i:]
	a, b, c := strings.Index(hist, "持戻（ご不在）"), strings.Index(hist, "配達中"), strings.Index(hist, "荷物受付")
	if !(a < b && b < c) || a < 0 {
		t.Errorf("history order: 持戻@%d 配達中@%d 荷物受付@%d, want newest first", a, b, c)
	}
}

func TestTelURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0120-01-9625", "tel:0120019625"},
		{"+81-50-3032-2207", "tel:+815030322207"},
		{"０１２０−０１−９６２５", "tel:0120019625"},
		{"0570\"><script>200-000", "tel:0570200000"},
		{"javascript:alert(1)", "tel:1"},
		{"", ""},
		{"+", ""},
		{"1+2", "tel:12"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := string(telURL(tt.in)); got != tt.want {
				t.Errorf("telURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestOfficialURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://toi.kuronekoyamato.co.jp/cgi-bin/tneko", "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko"},
		{"http://k2k.sagawa-exp.co.jp/p/sagawa/web/okurijoinput.jsp", "http://k2k.sagawa-exp.co.jp/p/sagawa/web/okurijoinput.jsp"},
		{"javascript:alert(1)", ""},
		{"JAVASCRIPT:alert(1)", ""},
		{"data:text/html,hi", ""},
		{"//evil.example", ""},
		{"/relative", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := officialURL(tt.in); got != tt.want {
				t.Errorf("officialURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzStatusPage(f *testing.F) {
	f.Add("<script>alert(1)</script>", "javascript:alert(1)", "0120-01-9625")
	f.Add(`"><img src=x onerror=alert(1)>`, "https://toi.kuronekoyamato.co.jp/", "+81-50")
	f.Add("持戻（ご不在）", "http://a/b?c=\"d", "０１２０")
	f.Add("</style></title><!--", "  https://x", "")
	f.Fuzz(func(t *testing.T, text, link, phone string) {
		p := hostile(text, link)
		p.Call.Number = phone
		src := &fakeSource{parcels: []ParcelView{p}, history: map[string][]EventView{p.Number: {*p.LastEvent}}, backupFailAt: -1,
			health: HealthView{OK: false, Scheduler: text, Carriers: []CarrierHealthView{{Name: text, State: text, LastError: text}}}}
		h := NewServer(src, slog.New(slog.DiscardHandler), text)
		for _, target := range []string{"/", "/parcel/123456789012"} {
			req := httptest.NewRequest("GET", target, nil)
			req.Host = "127.0.0.1"
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 {
				t.Fatalf("GET %s = %d", target, rec.Code)
			}
			checkSafeHTML(t, rec.Body.String())
		}
	})
}

func BenchmarkStatusPage(b *testing.B) {
	f := newFake()
	for i := range 50 {
		p := f.parcels[i%3]
		p.Number = p.Number + string(rune('a'+i%26))
		f.parcels = append(f.parcels, p)
	}
	h := NewServer(f, slog.New(slog.DiscardHandler), "bench")
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = "127.0.0.1"
	var buf bytes.Buffer
	for b.Loop() {
		rec := httptest.NewRecorder()
		rec.Body = &buf
		buf.Reset()
		h.ServeHTTP(rec, req)
	}
}

// A parcel whose carrier is paused says so and when it is checked next,
// never a poll time in the past; the page speaks the configured language
// throughout.
func TestPagePausedParcel(t *testing.T) {
	past := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang, note string
		want, not  []string
	}{
		{"ja", "停止中: ページの形式が変わりました・次の確認 14:30", []string{`lang="ja"`, "停止中: ページの形式が変わりました・次の確認 14:30", "履歴を見る"}, []string{"next check", "次の確認 <time>", ">history<"}},
		{"en", "paused: page layout changed, next check 14:30", []string{`lang="en"`, "paused: page layout changed, next check 14:30", ">history<"}, []string{"次の確認", "履歴", "稼働中", "問題あり"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			f := &fakeSource{backupFailAt: -1, health: HealthView{OK: true, Status: HealthOK, Scheduler: "ok", Store: "ok", Lang: tc.lang}}
			f.parcels = []ParcelView{{Number: "123456789012", Display: "1234-5678-9012", Carrier: "yamato", CarrierName: "Yamato",
				Status: "in_transit", StatusText: "in transit", Tracked: true, NextPoll: past, Paused: true, PollNote: tc.note}}
			h := NewServer(f, slog.New(slog.DiscardHandler), "test")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/", nil))
			page := rec.Body.String()
			checkSafeHTML(t, page)
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(page, n) {
					t.Errorf("page has %q", n)
				}
			}
		})
	}
}
