// Package apitest is the JSON variant of the carriertest conformance
// suite for the adapters that read a carrier's API (DHL, FedEx, UPS): it
// runs the parser over every testdata/*.json answer against its
// *.golden.json (rewritten with go test -update, the flag carriertest
// defines), checks the canonical model's invariants, and feeds the parser
// bad and cut-off input, which must never panic.
package apitest

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/carriertest"
)

// Suite describes one API adapter's parser.
type Suite struct {
	// Carrier is the registry name.
	Carrier string
	// Parse is the adapter's pure parser with a fixed clock.
	Parse func(r io.Reader) ([]carriers.Result, error)
	// Testdata is the folder of *.json answers and their *.golden.json.
	Testdata string
}

// Run runs the suite.
func (s Suite) Run(t *testing.T) {
	t.Run("golden", s.testGolden)
	t.Run("bad_input", s.testBadInput)
}

// updating reports whether -update was given (carriertest registers it).
func updating() bool {
	f := flag.Lookup("update")
	if f == nil {
		return false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	b, _ := g.Get().(bool)
	return b
}

// Answers lists the answer files of a testdata folder.
func Answers(t *testing.T, dir string) []string {
	t.Helper()
	all, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range all {
		if !strings.HasSuffix(p, ".golden.json") {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no *.json answers in %s", dir)
	}
	return out
}

func (s Suite) testGolden(t *testing.T) {
	for _, path := range Answers(t, s.Testdata) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res, perr := s.Parse(bytes.NewReader(data))
			got := carriertest.Golden{Error: carriertest.ErrorKind(perr)}
			if perr == nil {
				got.Results = res
				Check(t, s.Carrier, res)
			}
			gotJSON, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			gotJSON = append(gotJSON, '\n')
			golden := strings.TrimSuffix(path, ".json") + ".golden.json"
			if updating() {
				if err := os.WriteFile(golden, gotJSON, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden (run go test -update to create it): %v", err)
			}
			if !bytes.Equal(gotJSON, want) {
				t.Errorf("%s: parse output differs from %s (err=%v)\n got: %s\nwant: %s", name, filepath.Base(golden), perr, gotJSON, want)
			}
		})
	}
}

// Check asserts the invariants of the canonical model on results.
func Check(t *testing.T, carrier string, res []carriers.Result) {
	t.Helper()
	for _, r := range res {
		if r.Carrier != carrier {
			t.Errorf("%s: carrier %q, want %q", r.Number, r.Carrier, carrier)
		}
		if !r.Status.Valid() || !r.Reason.Valid() {
			t.Errorf("%s: invalid status/reason %q/%q", r.Number, r.Status, r.Reason)
		}
		if r.Found == (r.Status == carriers.StatusNotFound) {
			t.Errorf("%s: found=%v with status %q", r.Number, r.Found, r.Status)
		}
		for i, e := range r.Events {
			if !e.Status.Valid() || !e.Reason.Valid() {
				t.Errorf("%s: event %d: invalid status/reason %q/%q", r.Number, i, e.Status, e.Reason)
			}
			if e.Raw == "" {
				t.Errorf("%s: event %d has no raw words", r.Number, i)
			}
			if e.Time.IsZero() {
				t.Errorf("%s: event %d has no time", r.Number, i)
			}
			if i > 0 && e.Time.Before(r.Events[i-1].Time) {
				t.Errorf("%s: events not oldest first at %d", r.Number, i)
			}
		}
	}
}

func (s Suite) testBadInput(t *testing.T) {
	cases := map[string]string{
		"empty":        "",
		"garbage":      "\x00\xff\xfe<<<>>>not json at all \x1b[31m",
		"html":         "<html><body>Service Unavailable</body></html>",
		"array":        "[]",
		"null":         "null",
		"string":       `"delivered"`,
		"other_object": `{"status":"delivered"}`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			res, err := parseSafely(t, s.Parse, []byte(in))
			if err == nil {
				t.Fatalf("parse returned no error, results %+v", res)
			}
			if res != nil {
				t.Errorf("parse returned results with an error: %+v", res)
			}
		})
	}
	for _, path := range Answers(t, s.Testdata) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("truncated_"+filepath.Base(path), func(t *testing.T) {
			for _, cut := range []int{1, len(data) / 3, len(data) / 2, len(data) - 2} {
				if cut <= 0 || cut >= len(data) {
					continue
				}
				res, err := parseSafely(t, s.Parse, data[:cut])
				if err == nil {
					t.Errorf("cut at %d: cut-off JSON parsed: %+v", cut, res)
				}
			}
		})
	}
}

func parseSafely(t *testing.T, parse func(io.Reader) ([]carriers.Result, error), data []byte) (res []carriers.Result, err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("parse panicked: %v", p)
		}
	}()
	return parse(bytes.NewReader(data))
}
