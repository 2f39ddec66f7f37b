package daemon_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/carriers/quota"
	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/store"
)

// clearAPIEnv keeps the test machine's own keys out of the configs.
func clearAPIEnv(t *testing.T) {
	for _, k := range []string{"TODOKU_DHL_API_KEY", "TODOKU_FEDEX_CLIENT_ID", "TODOKU_FEDEX_CLIENT_SECRET",
		"TODOKU_UPS_CLIENT_ID", "TODOKU_UPS_CLIENT_SECRET", "CREDENTIALS_DIRECTORY"} {
		t.Setenv(k, "")
	}
}

// The API carriers are registered only with their credentials; contact
// overrides apply to registered carriers and are harmless for the others.
func TestRegistryAPIKeys(t *testing.T) {
	clearAPIEnv(t)
	override := "    contacts:\n      tracking_url: https://www.dhl.com/jp-ja/home/tracking.html?tracking-id={number}\n"
	tests := []struct {
		name string
		text string
		want map[string]bool
	}{
		{"no keys", "carriers:\n  dhl:\n" + override, map[string]bool{"dhl": false, "fedex": false, "ups": false, "yamato": true}},
		{"dhl", "carriers:\n  dhl:\n    api_key: k\n" + override, map[string]bool{"dhl": true, "fedex": false, "ups": false}},
		{"fedex and ups", "carriers:\n  fedex:\n    client_id: i\n    client_secret: s\n  ups:\n    client_id: i\n    client_secret: s\n",
			map[string]bool{"dhl": false, "fedex": true, "ups": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := loadConfig(t, consoleConfig+tt.text)
			reg, err := daemon.Registry(cfg, &http.Client{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tt.want {
				if _, err := reg.Get(name); (err == nil) != want {
					t.Errorf("%s registered: %v, want %v", name, err == nil, want)
				}
			}
			if ct, ok := reg.Contacts("dhl"); ok && ct.TrackingURL != "https://www.dhl.com/jp-ja/home/tracking.html?tracking-id={number}" {
				t.Errorf("dhl tracking URL %q, want the override", ct.TrackingURL)
			}
		})
	}
	// Every API carrier's contacts are known (whois, messages) with or
	// without a key.
	names := map[string]bool{}
	for _, ct := range daemon.Contacts(loadConfig(t, consoleConfig)) {
		names[ct.Carrier] = true
	}
	for _, n := range []string{"dhl", "fedex", "ups"} {
		if !names[n] {
			t.Errorf("daemon.Contacts lacks %s", n)
		}
	}
}

// The DHL adapter built from the config asks base_url with the key and
// spends the quota it was given.
func TestRegistryDHLBaseURLAndQuota(t *testing.T) {
	clearAPIEnv(t)
	now := time.Now
	srv := fake.NewServer(now, fake.DHL{})
	api := fake.NewDHLAPI(srv, now, "the-key")
	number := "3318810025" // DHL Express check digit (mod 7)
	srv.Add(fake.APITimeline("dhl", number, fake.Delivered, now().Add(-48*time.Hour)))
	ts := httptest.NewServer(fake.Mux(srv, api))
	defer ts.Close()
	cfg := loadConfig(t, consoleConfig+"carriers:\n  dhl:\n    api_key: the-key\n    base_url: "+ts.URL+"\n")
	q := &quota.Daily{Limit: 5, Zone: time.UTC}
	reg, err := daemon.RegistryWithQuotas(cfg, ts.Client(), nil, map[string]*quota.Daily{"dhl": q})
	if err != nil {
		t.Fatal(err)
	}
	c, err := reg.Get("dhl")
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Track(context.Background(), []string{number})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || !res[0].Found {
		t.Fatalf("results %+v, want the parcel found", res)
	}
	if api.Refused() != 0 || srv.Asked("dhl") != 1 {
		t.Errorf("refused %d, asked %d: want the key accepted once", api.Refused(), srv.Asked("dhl"))
	}
	if used := q.Used(time.Now()); used != 1 {
		t.Errorf("quota used %d, want 1", used)
	}
}

// A parcel waiting for an API key says so in lists and on the status page.
func TestViewsWaitingForKey(t *testing.T) {
	st := openStore(t)
	ups := "1Z12345E0205271686"
	putParcel(t, st, store.Parcel{Number: ups, Label: "shoes", Candidates: []string{"ups"}, Tracked: true,
		LastError: "UPS: add an API key in the config"}, time.Time{})
	for _, lang := range []string{"ja", "en"} {
		pv, ok, err := views(st, lang).Parcel(context.Background(), ups)
		if err != nil || !ok {
			t.Fatalf("parcel: %v %v", ok, err)
		}
		if pv.PollNote != "UPS: add an API key in the config" {
			t.Errorf("%s: poll note %q, want the missing key", lang, pv.PollNote)
		}
	}
}
