package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/todoku/todoku/internal/testutil"
)

// BenchmarkLoadExample measures a reload's load-and-validate step on the
// shipped example.
func BenchmarkLoadExample(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(testutil.RepoRoot(b), "config.example.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(data); err != nil {
			b.Fatal(err)
		}
	}
}
