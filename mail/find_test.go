package mail

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// findFile decodes a testdata message and finds its numbers, with File
// set to the file's base name.
func findFile(t testing.TB, path string) []Found {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := Find(m)
	for i := range out {
		out[i].File = filepath.Base(path)
	}
	return out
}

// TestGolden compares what Find makes of every testdata/*.eml with its
// golden testdata/*.json (rewritten with -update).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.eml")
	if err != nil || len(files) < 10 {
		t.Fatalf("want the corpus of at least 10 messages in testdata, got %d (%v)", len(files), err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got := findFile(t, path)
			if got == nil {
				got = []Found{}
			}
			b, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			b = append(b, '\n')
			golden := strings.TrimSuffix(path, ".eml") + ".json"
			if *update {
				if err := os.WriteFile(golden, b, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./mail -run TestGolden -update)", err)
			}
			if !bytes.Equal(b, want) {
				t.Errorf("%s differs from %s:\ngot:\n%s\nwant:\n%s", path, golden, b, want)
			}
		})
	}
}
