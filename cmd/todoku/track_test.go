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

// standIn serves every carrier's fake site and writes a config that
// points todoku at it.
func standIn(t *testing.T) (*fake.Server, string) {
	t.Helper()
	srv := fake.NewServer(time.Now, all.Sites()...)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	dir := t.TempDir()
	cfg := fmt.Sprintf(`database: %s
notify:
  notifier: console
carriers:
  yamato: {base_url: %q}
  japanpost: {base_url: %q}
  sagawa: {base_url: %q}
`, filepath.Join(dir, "todoku.db"), hs.URL, hs.URL, hs.URL)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return srv, path
}

func TestTrackFindsTheCarrierAmongCandidates(t *testing.T) {
	srv, cfg := standIn(t)
	const n = "400000000035"
	srv.Add(fake.Timeline("sagawa", n, fake.FailedDelivered, time.Now().Add(-30*time.Hour)))
	var out, errb bytes.Buffer
	if code := cmdTrack([]string{"--config", cfg, "--json", "4000-0000-0035"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res []carriers.Result
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Carrier != "sagawa" || !res[0].Found {
		t.Fatalf("got %+v, want a sagawa result", res)
	}
	if srv.Asked("sagawa") != 1 {
		t.Errorf("sagawa asked %d times", srv.Asked("sagawa"))
	}
}

func TestTrackRejectsOrderNumbers(t *testing.T) {
	_, cfg := standIn(t)
	var out, errb bytes.Buffer
	if code := cmdTrack([]string{"--config", cfg, "250-1234567-1234567"}, &out, &errb); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(errb.String(), "250-1234567-1234567") {
		t.Errorf("stderr does not name the input: %s", errb.String())
	}
}

func TestTrackRecordRedactsNumbers(t *testing.T) {
	srv, cfg := standIn(t)
	const n = "123456789013"
	srv.Add(fake.Timeline("yamato", n, fake.Delivered, time.Now().Add(-50*time.Hour)))
	dir := filepath.Join(t.TempDir(), "rec")
	var out, errb bytes.Buffer
	if code := cmdTrack([]string{"--config", cfg, "--carrier", "yamato", "--record", dir, n}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	files, _ := filepath.Glob(filepath.Join(dir, "yamato-*"))
	if len(files) != 2 {
		t.Fatalf("recorded files %v, want a body and its headers", files)
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if bytes.Contains(data, []byte(n)) || bytes.Contains(data, []byte("1234-5678-9013")) {
			t.Errorf("%s still contains the tracking number", f)
		}
		if strings.HasSuffix(f, ".html") && !bytes.Contains(data, []byte("0000-0000-0000")) {
			t.Errorf("%s: number not replaced by zeros", f)
		}
	}
	// The recording still parses: it can replace a reconstructed page.
	var body string
	for _, f := range files {
		if strings.HasSuffix(f, ".html") {
			body = f
		}
	}
	var pout, perr bytes.Buffer
	if code := cmdParse([]string{"--carrier", "yamato", body}, &pout, &perr); code != 0 {
		t.Errorf("recorded page does not parse: exit %d %s", code, perr.String())
	}
}
