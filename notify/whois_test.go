package notify

import (
	"strings"
	"testing"

	"github.com/todoku/todoku/carriers"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0120-070-585", "0120070585"},
		{"０１２０－０７０－５８５", "0120070585"},
		{"0120 070 585", "0120070585"},
		{"(011) 330-3000", "0113303000"},
		{"+81-50-3032-2207", "05030322207"},
		{"+81 (0)50 3032 2207", "05030322207"},
		{"＋８１５０３０３２２２０７", "05030322207"},
		{"010-852-6451-5445", "01085264515445"},
		{"+852 6451 5445", "+85264515445"},
		{"0120‐070‐585", "0120070585"},
		{"0120ー070ー585", "0120070585"},
		{"call me", ""},
		{"", ""},
		{"+", ""},
		{"12+34", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := NormalizePhone(tt.in); got != tt.want {
				t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"0120-070-585", "+81-50-3032-2207", "０１２０", "+", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizePhone(s)
		if again := NormalizePhone(n); again != n {
			t.Errorf("not idempotent: %q -> %q -> %q", s, n, again)
		}
		for i, r := range n {
			if !(r >= '0' && r <= '9') && !(r == '+' && i == 0) {
				t.Errorf("NormalizePhone(%q) = %q has %q", s, n, r)
			}
		}
		Whois(handContacts(), s) // must not panic
	})
}

func TestWhois(t *testing.T) {
	tests := []struct {
		name     string
		phone    string
		known    bool
		who      string
		callBack string
		sms      bool
	}{
		{"driver line", "0120-070-585", true, "Amazon 配達員", carriers.CallBackUnknown, false},
		{"callback number", "０１１－３３０－３０００", true, "Amazon カスタマーサービス（折り返し）", carriers.CallBackNo, false},
		{"sms sender", "+81 90 9009 7540", true, "Amazon 配送SMS", carriers.CallBackUnknown, true},
		{"central number", "0120-01-9625", true, "ヤマト運輸", carriers.CallBackYes, false},
		{"unknown", "03-1234-5678", false, "", "", false},
		{"garbage", "hello", false, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Whois(handContacts(), tt.phone)
			if r.Known != tt.known {
				t.Fatalf("Known = %v, want %v (%+v)", r.Known, tt.known, r)
			}
			text := r.Text("en")
			if !strings.Contains(text, "spoofed") {
				t.Errorf("text lacks the verification reminder:\n%s", text)
			}
			if !tt.known {
				if len(r.Matches) != 0 || !strings.Contains(text, "unknown") || !strings.Contains(r.Text("ja"), "unknown") {
					t.Errorf("unknown number: matches %+v, text:\n%s", r.Matches, text)
				}
				return
			}
			m := r.Matches[0]
			if m.Who != tt.who || m.CallBack != tt.callBack || m.SMS != tt.sms {
				t.Errorf("match = %+v, want who %q callback %q sms %v", m, tt.who, tt.callBack, tt.sms)
			}
			if strings.Contains(text, "unknown") {
				t.Errorf("known number described as unknown:\n%s", text)
			}
			if want := tt.callBack == carriers.CallBackNo; strings.Contains(text, "does not reach") != want {
				t.Errorf("text has the no-callback warning: %v, want %v:\n%s", !want, want, text)
			}
		})
	}
}
