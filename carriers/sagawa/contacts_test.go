package sagawa

import (
	"net/url"
	"strings"
	"testing"
)

func TestContacts(t *testing.T) {
	c := Contacts()
	if c.Carrier != Name || !c.Trackable || c.HoldDays != 7 || c.Source == "" {
		t.Errorf("contacts = %+v", c)
	}
	if len(c.Phones) < 2 {
		t.Fatalf("phones = %+v, want the two consumer-article numbers", c.Phones)
	}
	for _, p := range c.Phones {
		if err := p.Hours.Validate(); err != nil {
			t.Errorf("%s: hours: %v", p.Number, err)
		}
		if p.Source == "" || p.Confirmed {
			t.Errorf("%s: source %q confirmed %v; want a source and unconfirmed", p.Number, p.Source, p.Confirmed)
		}
	}
	for _, u := range []string{c.Tracking("360518273043"), c.RedeliveryURL} {
		if u == "" {
			continue
		}
		pu, err := url.Parse(u)
		if err != nil || pu.Scheme != "https" || !official(pu.Hostname(), c.Domains) {
			t.Errorf("url %q is not https on an official domain %v", u, c.Domains)
		}
	}
	if got := c.Tracking("360518273043"); !strings.Contains(got, "okurijoNo=360518273043") {
		t.Errorf("Tracking = %q", got)
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
