package all

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/dhl"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/carriers/fedex"
	"github.com/todoku/todoku/carriers/ups"
)

// TestAPICarriersNeedKeys checks that an API carrier is registered only
// with its credentials.
func TestAPICarriersNeedKeys(t *testing.T) {
	tests := []struct {
		name string
		keys APIKeys
		want []string
	}{
		{"none", APIKeys{}, nil},
		{"dhl", APIKeys{DHL: dhl.Config{APIKey: "k"}}, []string{"dhl"}},
		{"fedex without secret", APIKeys{FedEx: fedex.Config{ClientID: "id"}}, nil},
		{"all", APIKeys{
			DHL:   dhl.Config{APIKey: "k"},
			FedEx: fedex.Config{ClientID: "id", ClientSecret: "s"},
			UPS:   ups.Config{ClientID: "id", ClientSecret: "s"},
		}, []string{"dhl", "fedex", "ups"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := RegistryWithAPIs(carriers.Options{}, nil, tc.keys)
			for _, n := range []string{"dhl", "fedex", "ups"} {
				_, err := r.Get(n)
				want := false
				for _, w := range tc.want {
					want = want || w == n
				}
				if (err == nil) != want {
					t.Errorf("%s registered = %v, want %v", n, err == nil, want)
				}
				if _, ok := r.Contacts(n); ok != want {
					t.Errorf("%s contacts registered = %v, want %v", n, ok, want)
				}
			}
			if _, err := r.Get("yamato"); err != nil {
				t.Errorf("page carriers missing: %v", err)
			}
		})
	}
	if r := Registry(carriers.Options{}, nil); len(r.Names()) != len(Contacts()) {
		t.Errorf("Registry has %v; the API carriers must not be in it", r.Names())
	}
}

// TestAPIParsers checks that `todoku parse` can read each API carrier's
// saved answer, from its testdata and from its fake.
func TestAPIParsers(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, carriers.Tokyo)
	files := map[string]string{
		"dhl":   "../dhl/testdata/delivered_express.json",
		"fedex": "../fedex/testdata/delivered.json",
		"ups":   "../ups/testdata/delivered.json",
	}
	parsers := APIParsers()
	if len(parsers) != len(files) || len(APIContacts()) != len(files) {
		t.Fatalf("%d parsers, %d contacts for %d API carriers", len(parsers), len(APIContacts()), len(files))
	}
	for name, file := range files {
		data, err := os.ReadFile(filepath.FromSlash(file))
		if err != nil {
			t.Fatal(err)
		}
		res, err := parsers[name](bytes.NewReader(data), now)
		if err != nil || len(res) != 1 || res[0].Carrier != name || res[0].Status != carriers.StatusDelivered {
			t.Errorf("%s: %+v, %v", name, res, err)
		}
	}
	for _, site := range []fake.Site{fake.DHL{}, fake.FedEx{}, fake.UPS{}} {
		var page bytes.Buffer
		if err := site.Render(&page, []fake.Parcel{{Number: "1Z999AA10123456784"}}); err != nil {
			t.Fatal(err)
		}
		res, err := parsers[site.Carrier()](&page, now)
		if err != nil || len(res) != 1 || res[0].Status != carriers.StatusNotFound {
			t.Errorf("%s: parse of its fake's not-found answer = %+v, %v", site.Carrier(), res, err)
		}
	}
}
