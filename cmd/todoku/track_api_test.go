package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/carriers/fake"
)

// A number only an API carrier without a key could know: track says what
// is missing and never "not found".
func TestTrackSaysWhichKeyIsMissing(t *testing.T) {
	for _, k := range []string{"TODOKU_DHL_API_KEY", "TODOKU_UPS_CLIENT_ID", "TODOKU_UPS_CLIENT_SECRET"} {
		t.Setenv(k, "")
	}
	srv, cfg := pageStandIn(t)
	tests := []struct {
		name, number, want string
		code               int
	}{
		{"ups", "1Z12345E0205271686", "UPS: add an API key in the config", 1},
		{"dhl after sagawa and seino", "3318810025", "DHL: add an API key in the config", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := cmdTrack([]string{"--config", cfg, tt.number}, &out, &errb)
			if code != tt.code || !strings.Contains(errb.String(), tt.want) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, errb.String(), tt.code, tt.want)
			}
			if strings.Contains(out.String(), string(carriers.StatusNotFound)) {
				t.Errorf("stdout says not found: %q", out.String())
			}
		})
	}
	if srv.Asked("sagawa") == 0 || srv.Asked("seino") == 0 {
		t.Errorf("the registered candidates of an ambiguous number were not asked")
	}
}

// pageStandIn is standIn for every page carrier: no request leaves the
// machine.
func pageStandIn(t *testing.T) (*fake.Server, string) {
	t.Helper()
	srv := fake.NewServer(time.Now, all.Sites()...)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	dir := t.TempDir()
	text := fmt.Sprintf("database: %s\nnotify:\n  notifier: console\ncarriers:\n", filepath.Join(dir, "todoku.db"))
	for _, name := range []string{"yamato", "japanpost", "sagawa", "seino", "fukuyama"} {
		text += fmt.Sprintf("  %s: {base_url: %q}\n", name, hs.URL)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, path
}

// With a key in the config, track asks the API carrier at its base_url.
func TestTrackDHLWithKey(t *testing.T) {
	t.Setenv("TODOKU_DHL_API_KEY", "")
	srv := fake.NewServer(time.Now, append(all.Sites(), fake.DHL{})...)
	api := fake.NewDHLAPI(srv, time.Now, "secret-key")
	hs := httptest.NewServer(fake.Mux(srv, api))
	t.Cleanup(hs.Close)
	const n = "3318810025"
	srv.Add(fake.APITimeline("dhl", n, fake.Delivered, time.Now().Add(-48*time.Hour)))
	dir := t.TempDir()
	text := fmt.Sprintf("database: %s\nnotify:\n  notifier: console\ncarriers:\n  dhl: {api_key: secret-key, base_url: %q}\n",
		filepath.Join(dir, "todoku.db"), hs.URL)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := cmdTrack([]string{"--config", path, "--carrier", "dhl", "--json", n}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res []carriers.Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Carrier != "dhl" || res[0].Status != carriers.StatusDelivered {
		t.Fatalf("got %+v, want a delivered dhl result", res)
	}
	if strings.Contains(out.String()+errb.String(), "secret-key") {
		t.Error("the key was printed")
	}
}
