// Package testutil holds helpers shared by todoku's tests.
package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// RepoRoot returns the directory holding go.mod, walking up from the
// test's working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// SharedDir returns ../shared beside the repository, or skips the test
// (saying why) when it is absent. The real pages and numbers there come
// from a project without a licence, so they are read in place and never
// copied into this repository.
func SharedDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(filepath.Dir(RepoRoot(t)), "shared")
	if _, err := os.Stat(filepath.Join(dir, "fixtures", "carriers")); err != nil {
		t.Skipf("../shared/fixtures/carriers not found beside the repository (%v): the real 2009 pages and numbers are read in place, never copied", err)
	}
	return dir
}

// Fixture returns the path of a file under ../shared/fixtures/carriers,
// skipping the test when ../shared is absent.
func Fixture(t testing.TB, rel string) string {
	t.Helper()
	return filepath.Join(SharedDir(t), "fixtures", "carriers", rel)
}
