package notify

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/todoku/todoku/carriers"
)

func TestTruncate(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"日本語テキスト", 4, "日本語…"},
		{"日本語", 3, "日本語"},
		{"ab  cd", 4, "ab…"},
		{"abc", 0, ""},
		{"abc", 1, "…"},
		{"", 5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			if got := truncate(tt.s, tt.n); got != tt.want {
				t.Errorf("truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
			}
		})
	}
}

func TestFit(t *testing.T) {
	m := Fit(Message{
		Title: strings.Repeat("題", 300), Body: strings.Repeat("本", 2000),
		URL: "https://example.jp/" + strings.Repeat("a", 600), URLTitle: "x",
	})
	if n := utf8.RuneCountInString(m.Title); n != MaxTitle {
		t.Errorf("title = %d runes, want %d", n, MaxTitle)
	}
	if n := utf8.RuneCountInString(m.Body); n != MaxBody {
		t.Errorf("body = %d runes, want %d", n, MaxBody)
	}
	if m.URL != "" || m.URLTitle != "" {
		t.Errorf("over-long url kept: %q %q", m.URL, m.URLTitle)
	}
	if got := Fit(Message{}).Body; got != "(no details)" {
		t.Errorf("empty body = %q", got)
	}
}

func FuzzFit(f *testing.F) {
	f.Add("title", "body", "https://toi.kuronekoyamato.co.jp/x", "track")
	f.Add(strings.Repeat("あ", 251), strings.Repeat("\xff", 1100), strings.Repeat("u", 513), strings.Repeat("t", 101))
	f.Fuzz(func(t *testing.T, title, body, u, ut string) {
		m := Fit(Message{Title: title, Body: body, URL: u, URLTitle: ut})
		for name, c := range map[string]struct {
			s   string
			max int
		}{"title": {m.Title, MaxTitle}, "body": {m.Body, MaxBody}, "url": {m.URL, MaxURL}, "url_title": {m.URLTitle, MaxURLTitle}} {
			if n := utf8.RuneCountInString(c.s); n > c.max {
				t.Errorf("%s = %d runes, over %d", name, n, c.max)
			}
		}
		if m.Body == "" {
			t.Errorf("empty body")
		}
		if m.URL == "" && m.URLTitle != "" {
			t.Errorf("url_title without url")
		}
	})
}

func TestOfficial(t *testing.T) {
	c := carriers.Contacts{Domains: []string{"kuronekoyamato.co.jp", "post.japanpost.jp"}}
	tests := []struct {
		url  string
		want bool
	}{
		{"https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?no01=1", true},
		{"https://kuronekoyamato.co.jp/", true},
		{"http://trackings.post.japanpost.jp/services/srv/search/", true},
		{"https://kuronekoyamato.co.jp.evil.example/", false},
		{"https://evilkuronekoyamato.co.jp/", false},
		{"https://user@toi.kuronekoyamato.co.jp/", false},
		{"https://toi.kuronekoyamato.co.jp:8443/", false},
		{"javascript:alert(1)", false},
		{"ftp://kuronekoyamato.co.jp/", false},
		{"//kuronekoyamato.co.jp/", false},
		{"https://japanpost.jp/", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			if got := Official(c, tt.url); got != tt.want {
				t.Errorf("Official(%q) = %v, want %v", tt.url, got, tt.want)
			}
		})
	}
}
