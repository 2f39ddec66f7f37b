package yamato

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

func TestContacts(t *testing.T) {
	c := Contacts()
	if c.Carrier != Name || !c.Trackable || c.HoldDays <= 0 || c.Source == "" {
		t.Errorf("contacts %+v: want carrier %q, trackable, hold days and a source", c, Name)
	}
	if len(c.Phones) == 0 {
		t.Fatal("no phones")
	}
	for _, p := range c.Phones {
		if err := p.Hours.Validate(); err != nil {
			t.Errorf("%s: hours: %v", p.Number, err)
		}
		if p.Source == "" || p.Number == "" {
			t.Errorf("%+v: want a number and its source", p)
		}
	}
	if p, ok := c.Phone(carriers.PhoneLandline); !ok || p.Number != "0120-01-9625" {
		t.Errorf("landline %+v, want 0120-01-9625", p)
	}
	if p, ok := c.Phone(carriers.PhoneMobile); !ok || p.Number != "0570-200-000" {
		t.Errorf("mobile %+v, want 0570-200-000", p)
	}
	for _, p := range c.Phones {
		if p.Number == "0120-17-9625" {
			t.Errorf("the wrong number 0120-17-9625 is listed")
		}
	}
	for name, raw := range map[string]string{
		"tracking":   c.Tracking("401234567893"),
		"redelivery": c.RedeliveryURL,
	} {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "https" || !official(u.Hostname(), c.Domains) {
			t.Errorf("%s URL %q: want https on %v", name, raw, c.Domains)
		}
	}
	// No source confirms a link that opens one parcel (an e-mail link
	// needs a per-mail id; a bare GET shows nothing): the link is the
	// official search form, and the push puts the number first.
	if got := c.Tracking("401234567893"); got != "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko" {
		t.Errorf("tracking link %q, want the official search form", got)
	}
}

func TestContactsHours(t *testing.T) {
	c := Contacts()
	p, _ := c.Phone(carriers.PhoneLandline)
	cases := []struct {
		at   string
		open bool
	}{
		{"2026-11-29T07:59:00+09:00", false}, // Sunday, before opening
		{"2026-11-29T08:00:00+09:00", true},
		{"2026-11-29T20:59:00+09:00", true},
		{"2026-11-29T21:00:00+09:00", false},
		{"2026-11-23T12:00:00+09:00", true}, // 勤労感謝の日, a holiday
	}
	for _, tc := range cases {
		at, err := timeParse(tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if open, _ := p.Hours.OpenAt(at); open != tc.open {
			t.Errorf("OpenAt(%s) = %v, want %v", tc.at, open, tc.open)
		}
	}
}

func official(host string, domains []string) bool {
	for _, d := range domains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

func timeParse(s string) (time.Time, error) { return time.Parse(time.RFC3339, s) }
