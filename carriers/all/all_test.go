package all

import (
	"bytes"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/fake"
)

// TestParsers checks that every carrier with a public result page (a fake
// site) has its parser listed, that the parser reads that site's page, and
// that every parser belongs to a registered carrier.
func TestParsers(t *testing.T) {
	parsers := Parsers()
	reg := Registry(carriers.Options{}, nil)
	for name := range parsers {
		if _, err := reg.Get(name); err != nil {
			t.Errorf("parser %q is not a registered carrier: %v", name, err)
		}
	}
	if len(parsers) != len(Sites()) {
		t.Errorf("%d parsers for %d sites", len(parsers), len(Sites()))
	}
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, carriers.Tokyo)
	for _, site := range Sites() {
		parse, ok := parsers[site.Carrier()]
		if !ok {
			t.Errorf("no parser for %s", site.Carrier())
			continue
		}
		var page bytes.Buffer
		number := map[string]string{"japanpost": "EE123456785JP", "sagawa": "400000000035", "seino": "1234567890", "fukuyama": "1234567890"}[site.Carrier()]
		if number == "" {
			number = "123456789013"
		}
		if err := site.Render(&page, []fake.Parcel{{Number: number}}); err != nil {
			t.Fatal(err)
		}
		res, err := parse(&page, now)
		if err != nil || len(res) != 1 || res[0].Carrier != site.Carrier() || res[0].Status != carriers.StatusNotFound {
			t.Errorf("%s: parse of its own not-found page = %+v, %v", site.Carrier(), res, err)
		}
	}
}
