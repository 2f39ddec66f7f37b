package notify_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/dhl"
	"github.com/todoku/todoku/carriers/fedex"
	"github.com/todoku/todoku/carriers/ups"
	"github.com/todoku/todoku/notify"
)

// Messages about DHL, FedEx and UPS parcels link only to the carrier's
// official domains, in both languages, and name the carrier.
func TestComposeAPICarriers(t *testing.T) {
	now := time.Date(2026, 11, 24, 14, 10, 0, 0, carriers.Tokyo)
	for _, tt := range []struct {
		ct     carriers.Contacts
		number string
	}{
		{dhl.Contacts(), "3318810025"},
		{fedex.Contacts(), "123456789012"},
		{ups.Contacts(), "1Z12345E0205271686"},
	} {
		for _, lang := range []string{"ja", "en"} {
			t.Run(tt.ct.Carrier+"/"+lang, func(t *testing.T) {
				s := notify.DefaultSettings()
				s.Lang = lang
				c := notify.Composer{Settings: s, Contacts: notify.Directory(tt.ct)}
				for _, kind := range []notify.Kind{notify.KindOutForDelivery, notify.KindDeliveryFailed, notify.KindDelivered} {
					n := notify.Notice{Kind: kind, Number: tt.number, Carrier: tt.ct.Carrier, Label: "lens",
						Event: carriers.Event{Time: now.Add(-time.Hour), Status: carriers.StatusInTransit, Raw: "With delivery courier"}}
					m := c.Compose(n, now)
					if m.URL == "" || !notify.Official(tt.ct, m.URL) {
						t.Fatalf("%s: url %q, want one on %v", kind, m.URL, tt.ct.Domains)
					}
					u, _ := url.Parse(m.URL)
					if u.Scheme != "https" || !strings.Contains(m.URL, tt.number) {
						t.Errorf("%s: url %q, want https and the number", kind, m.URL)
					}
					if !strings.Contains(m.Title, tt.ct.Name(lang)) {
						t.Errorf("%s: title %q lacks %q", kind, m.Title, tt.ct.Name(lang))
					}
				}
				// A tracking link moved off the official domains is dropped.
				bad := tt.ct
				bad.TrackingURL = "https://" + tt.ct.Carrier + "-tracking.example/?n={number}"
				bad.RedeliveryURL = ""
				m := notify.Composer{Settings: s, Contacts: notify.Directory(bad)}.Compose(
					notify.Notice{Kind: notify.KindDelivered, Number: tt.number, Carrier: tt.ct.Carrier, Event: carriers.Event{Time: now}}, now)
				if m.URL != "" {
					t.Errorf("unofficial link %q used", m.URL)
				}
			})
		}
	}
}
