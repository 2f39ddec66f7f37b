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

// A candidate that could not be asked must not be hidden by a later
// candidate's not_found: exit 1, stderr names every carrier's outcome,
// and the JSON keeps the not_found results of the carriers that answered.
func TestTrackFailureNotHiddenByNotFound(t *testing.T) {
	for _, failing := range []string{"yamato", "japanpost", "sagawa"} {
		t.Run(failing, func(t *testing.T) {
			srv, cfg := standIn(t)
			srv.SetFault(failing, fake.Fault{Kind: fake.FaultUnavailable})
			const n = "123456789013" // scripted nowhere: not_found where asked
			var out, errb bytes.Buffer
			if code := cmdTrack([]string{"--config", cfg, "--json", n}, &out, &errb); code != 1 {
				t.Fatalf("exit %d, want 1\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
			}
			var res []carriers.Result
			if err := json.Unmarshal(out.Bytes(), &res); err != nil {
				t.Fatalf("stdout is not a JSON array: %v\n%s", err, out.String())
			}
			if len(res) != 2 {
				t.Fatalf("got %d results, want the 2 carriers that answered: %+v", len(res), res)
			}
			for _, r := range res {
				if r.Carrier == failing || r.Found || r.Status != carriers.StatusNotFound {
					t.Errorf("result %+v: want not_found from a carrier that answered", r)
				}
			}
			stderr := errb.String()
			for _, c := range []string{"yamato", "japanpost", "sagawa"} {
				want := c + ": not_found"
				if c == failing {
					want = c + ": " + c + ": http status 503"
				}
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}

			// Without --json: nothing claims not_found on stdout.
			out.Reset()
			errb.Reset()
			if code := cmdTrack([]string{"--config", cfg, n}, &out, &errb); code != 1 {
				t.Fatalf("exit %d, want 1", code)
			}
			if strings.Contains(out.String(), "not_found") {
				t.Errorf("stdout claims not_found although %s failed: %s", failing, out.String())
			}
			if !strings.Contains(errb.String(), failing+": "+failing+": http status 503") {
				t.Errorf("stderr does not name the failure: %s", errb.String())
			}
		})
	}
}

// Every candidate answering not_found is still a plain not_found, exit 0.
func TestTrackNotFoundEverywhere(t *testing.T) {
	_, cfg := standIn(t)
	var out, errb bytes.Buffer
	if code := cmdTrack([]string{"--config", cfg, "123456789013"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "not_found") || errb.Len() != 0 {
		t.Errorf("stdout %q, stderr %q; want one not_found and no error", out.String(), errb.String())
	}
}

func TestRedactPostal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"〒123-4567 東京都", "〒000-0000 東京都"},
		{"〒 123-4567", "〒 000-0000"},
		{"郵便番号：123-4567。", "郵便番号：000-0000。"},
		{"<td>123-4567</td>", "<td>000-0000</td>"},
		{"123-4567", "000-0000"},
		{"TEL:03-3799-8666", "TEL:03-3799-8666"},
		{"TEL 0570-01-0659 / 0120-123-4567", "TEL 0570-01-0659 / 0120-123-4567"},
		{"1234-5678-9012", "1234-5678-9012"},
		{"123-4567-8", "123-4567-8"},
		{"9123-4567", "9123-4567"},
		{"〒123-45678", "〒123-45678"},
		{"a 123-4567 b 〒765-4321", "a 000-0000 b 〒000-0000"},
	}
	for _, tt := range tests {
		if got := redactString(tt.in, nil); got != tt.want {
			t.Errorf("redactString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := redactString("伝票 1234-5678-9013 〒100-0001 TEL:03-3799-8666", []string{"123456789013"}); got != "伝票 0000-0000-0000 〒000-0000 TEL:03-3799-8666" {
		t.Errorf("redactString with a secret = %q", got)
	}
}

// Events without a date print "(no date)", not year 1.
func TestPrintResultNoDate(t *testing.T) {
	var b bytes.Buffer
	printResult(&b, carriers.Result{Number: "123456789013", Carrier: "sagawa", Status: carriers.StatusInTransit,
		Events: []carriers.Event{
			{Raw: "集荷", Location: "荒川営業所"},
			{Time: time.Date(2026, 11, 20, 9, 5, 0, 0, carriers.Tokyo), Raw: "輸送中", Location: "東京"},
		}})
	out := b.String()
	if strings.Contains(out, "0001-01-01") || !strings.Contains(out, "  (no date)"+strings.Repeat(" ", 16-len("(no date)")+2)+"集荷") || !strings.Contains(out, "  2026-11-20 09:05  輸送中") {
		t.Errorf("output:\n%s", out)
	}
}
