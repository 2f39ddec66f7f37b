package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/fake"
)

func TestDoctorNumbersAreValid(t *testing.T) {
	for name, n := range doctorNumbers {
		id := carriers.Identify(n)
		found := false
		for _, c := range id.Carriers() {
			found = found || c == name
		}
		if id.Kind != carriers.KindTracking || !found {
			t.Errorf("%s: %s identifies as %v %v, want a %s tracking number", name, n, id.Kind, id.Carriers(), name)
		}
	}
}

func TestDoctor(t *testing.T) {
	srv, cfg := standIn(t)
	var out, errb bytes.Buffer
	if code := cmdDoctor([]string{"--config", cfg}, &out, &errb); code != 0 {
		t.Fatalf("exit %d against healthy stand-ins:\n%s%s", code, out.String(), errb.String())
	}
	for _, name := range []string{"yamato", "sagawa", "japanpost"} {
		if !strings.Contains(out.String(), name) {
			t.Errorf("output does not mention %s:\n%s", name, out.String())
		}
	}
	if got := strings.Count(out.String(), "not found recognised"); got != 3 {
		t.Errorf("%d carriers recognised as not found, want 3:\n%s", got, out.String())
	}
	if !strings.Contains(out.String(), "tls:  none (plain http)") || !strings.Contains(out.String(), "http: 200 OK") {
		t.Errorf("output does not describe the connection:\n%s", out.String())
	}

	srv.SetFault("sagawa", fake.Fault{Kind: fake.FaultLayout})
	out.Reset()
	dir := filepath.Join(t.TempDir(), "rec")
	code := cmdDoctor([]string{"--config", cfg, "--record", dir}, &out, &errb)
	if code != 1 {
		t.Fatalf("exit %d with a changed Sagawa layout, want 1:\n%s", code, out.String())
	}
	if !strings.Contains(out.String(), "sagawa     FAIL") {
		t.Errorf("the failing carrier is not named:\n%s", out.String())
	}
	files, _ := os.ReadDir(dir)
	if len(files) < 6 { // page + headers for each of three carriers
		t.Errorf("%d files recorded, want a page and headers per carrier", len(files))
	}
	for _, f := range files {
		b, _ := os.ReadFile(filepath.Join(dir, f.Name()))
		if bytes.Contains(b, []byte(doctorNumbers["sagawa"])) {
			t.Errorf("%s keeps the test number unredacted", f.Name())
		}
	}
}
