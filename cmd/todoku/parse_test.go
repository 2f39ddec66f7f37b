package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/todoku/todoku/internal/testutil"
)

func TestParseCommand(t *testing.T) {
	root := testutil.RepoRoot(t)
	page := func(carrier, name string) string {
		return filepath.Join(root, "carriers", carrier, "testdata", name+".reconstructed.html")
	}
	cases := []struct {
		name     string
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"yamato failed", []string{"--carrier", "yamato", "--json", page("yamato", "failed_absent")}, 0, `"status": "delivery_failed"`, ""},
		{"japanpost ten", []string{"--carrier", "japanpost", "--json", page("japanpost", "ten_numbers")}, 0, `"carrier": "japanpost"`, ""},
		{"sagawa human", []string{"--carrier", "sagawa", page("sagawa", "smtrz_in_transit")}, 0, "sagawa", ""},
		{"changed layout read from text", []string{"--carrier", "yamato", page("yamato", "wrong_layout")}, 0, "read from the page text", ""},
		{"changed layout in json", []string{"--carrier", "sagawa", "--json", page("sagawa", "redesign_degraded")}, 0, `"degraded": true`, ""},
		{"unreadable layout exits 3", []string{"--carrier", "yamato", page("yamato", "unreadable_redesign")}, 3, "", "layout"},
		{"maintenance exits 1", []string{"--carrier", "yamato", page("yamato", "maintenance")}, 1, "", "maintenance"},
		{"missing file", []string{"--carrier", "yamato", "/nonexistent/page.html"}, 1, "", "no such file"},
		{"amazon has no page", []string{"--carrier", "amazon", page("yamato", "delivered")}, 1, "", "no result page"},
		{"usage", []string{page("yamato", "delivered")}, 2, "", "usage"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := cmdParse(tc.args, &out, &errb)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), tc.inStdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.inStdout, out.String())
			}
			if !strings.Contains(errb.String(), tc.inStderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.inStderr, errb.String())
			}
		})
	}
}

func TestParseJSONShape(t *testing.T) {
	root := testutil.RepoRoot(t)
	var out, errb bytes.Buffer
	if code := cmdParse([]string{"--carrier", "japanpost", "--json", filepath.Join(root, "carriers/japanpost/testdata/failed_absent.reconstructed.html")}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got []map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d results", len(got))
	}
	for _, f := range []string{"number", "carrier", "found", "status", "reason", "events", "office"} {
		if _, ok := got[0][f]; !ok {
			t.Errorf("result lacks %q", f)
		}
	}
	ev := got[0]["events"].([]any)[0].(map[string]any)
	for _, f := range []string{"time", "status", "reason", "raw", "location"} {
		if _, ok := ev[f]; !ok {
			t.Errorf("event lacks %q", f)
		}
	}
	office := got[0]["office"].(map[string]any)
	if office["phone"] == "" {
		t.Errorf("japanpost office phone missing: %v", office)
	}
}

// The real 2009 pages are an old layout: parse must say so (exit 3).
// Yamato's are not: they carry the swd.writeln print copy that TsuiseKit
// reads on the 2026 site, so they are read (carriers/yamato
// TestOldPagesPrintCopy checks what they give).
func TestParseOldLayoutPages(t *testing.T) {
	for carrier, file := range map[string]string{
		"japanpost": "japanpost/2009-packtrack-list_count01.sjis.html",
		"sagawa":    "sagawa/2009-packtrack-list_count01.html",
	} {
		t.Run(carrier, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := cmdParse([]string{"--carrier", carrier, testutil.Fixture(t, file)}, &out, &errb); code != 3 {
				t.Fatalf("exit %d, want 3\n%s%s", code, out.String(), errb.String())
			}
			if !strings.Contains(errb.String(), "layout") {
				t.Errorf("stderr does not mention the layout: %s", errb.String())
			}
		})
	}
}

// Several FILEs: README's `todoku parse --carrier yamato --json
// ./recorded/yamato-*.html`. JSON is one array with every page's results;
// the exit code is 3 when any page's layout is not recognised, else 1 when
// any page failed otherwise.
func TestParseSeveralFiles(t *testing.T) {
	root := testutil.RepoRoot(t)
	page := func(name string) string {
		return filepath.Join(root, "carriers", "yamato", "testdata", name+".reconstructed.html")
	}
	count := func(file string) int {
		var out, errb bytes.Buffer
		if code := cmdParse([]string{"--carrier", "yamato", "--json", file}, &out, &errb); code != 0 {
			t.Fatalf("%s: exit %d: %s", file, code, errb.String())
		}
		var res []map[string]any
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		return len(res)
	}
	good := []string{page("failed_absent"), page("delivered")}
	want := count(good[0]) + count(good[1])
	cases := []struct {
		name     string
		files    []string
		code     int
		inStderr []string
	}{
		{"all parse", good, 0, nil},
		{"one maintenance", append([]string{page("maintenance")}, good...), 1, []string{"maintenance.reconstructed.html", "maintenance"}},
		{"layout wins over other errors", []string{good[0], page("unreadable_redesign"), page("maintenance"), good[1]}, 3,
			[]string{"unreadable_redesign.reconstructed.html", "layout", "maintenance.reconstructed.html"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := cmdParse(append([]string{"--carrier", "yamato", "--json"}, tc.files...), &out, &errb)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, errb.String())
			}
			var res []map[string]any
			if err := json.Unmarshal(out.Bytes(), &res); err != nil {
				t.Fatalf("stdout is not one JSON array: %v\n%s", err, out.String())
			}
			if len(res) != want {
				t.Errorf("%d results, want %d (both good pages)", len(res), want)
			}
			for _, s := range tc.inStderr {
				if !strings.Contains(errb.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, errb.String())
				}
			}
		})
	}
	var out, errb bytes.Buffer
	if code := cmdParse(append([]string{"--carrier", "yamato"}, good...), &out, &errb); code != 0 {
		t.Fatalf("human: exit %d: %s", code, errb.String())
	}
	for _, f := range good {
		if !strings.Contains(out.String(), f+":\n") {
			t.Errorf("human output does not head the results of %s:\n%s", f, out.String())
		}
	}
}
