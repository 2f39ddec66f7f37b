package config

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testDebounce = 150 * time.Millisecond

// watcher runs watch on a config file in a temp dir and records the content
// seen by each onChange call.
type watcher struct {
	t     *testing.T
	path  string
	mu    sync.Mutex
	calls []string
}

func startWatch(t *testing.T, initial string, poll time.Duration, path string) *watcher {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "config.yaml")
		if err := os.WriteFile(path, []byte(initial), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w := &watcher{t: t, path: path}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- watch(ctx, path, watchOptions{debounce: testDebounce, poll: poll, ready: func() { close(ready) }}, func() {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("onChange: read: %v", err)
			}
			w.mu.Lock()
			w.calls = append(w.calls, string(b))
			w.mu.Unlock()
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("watch returned %v, want nil after cancel", err)
		}
	})
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("watch ended early: %v", err)
	}
	return w
}

// expect waits for the calls to settle and checks the contents seen.
func (w *watcher) expect(want ...string) {
	w.t.Helper()
	w.waitCalls(len(want))
	time.Sleep(4 * testDebounce) // any extra call would arrive by now
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.calls) != len(want) {
		w.t.Fatalf("onChange called %d times with %q, want %d times with %q", len(w.calls), w.calls, len(want), want)
	}
	for i := range want {
		if w.calls[i] != want[i] {
			w.t.Errorf("call %d saw %q, want %q", i, w.calls[i], want[i])
		}
	}
}

// waitCalls waits (up to 10 s) until onChange has been called n times.
func (w *watcher) waitCalls(n int) {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		w.mu.Lock()
		got := len(w.calls)
		w.mu.Unlock()
		if got >= n {
			return
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWatch(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, w *watcher, path string)
		want []string
	}{
		{"rename into place", func(t *testing.T, w *watcher, path string) {
			tmp := filepath.Join(filepath.Dir(path), ".config.yaml.swp")
			writeFile(t, tmp, "v2\n")
			if err := os.Rename(tmp, path); err != nil {
				t.Fatal(err)
			}
		}, []string{"v2\n"}},
		{"truncate and write in pieces", func(t *testing.T, w *watcher, path string) {
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, part := range []string{"sched", "ule: '@every 5m'\n", "night: ~\n"} {
				time.Sleep(testDebounce / 4) // a slow writer: the half-written file must not be reported
				if _, err := f.WriteString(part); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
		}, []string{"schedule: '@every 5m'\nnight: ~\n"}},
		{"same content rewritten", func(t *testing.T, w *watcher, path string) {
			writeFile(t, path, "v1\n")
			tmp := path + ".new"
			writeFile(t, tmp, "v1\n")
			if err := os.Rename(tmp, path); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"other files in the directory", func(t *testing.T, w *watcher, path string) {
			writeFile(t, filepath.Join(filepath.Dir(path), "other.yaml"), "x")
			writeFile(t, path+"~", "backup")
		}, nil},
		{"chmod only", func(t *testing.T, w *watcher, path string) {
			if err := os.Chmod(path, 0o600); err != nil {
				t.Fatal(err)
			}
		}, nil},
		{"removed, then written back changed", func(t *testing.T, w *watcher, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			time.Sleep(2 * testDebounce)
			writeFile(t, path, "v3\n")
		}, []string{"v3\n"}},
		{"two edits far apart", func(t *testing.T, w *watcher, path string) {
			writeFile(t, path, "v2\n")
			w.waitCalls(1)
			writeFile(t, path, "v3\n")
		}, []string{"v2\n", "v3\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := startWatch(t, "v1\n", time.Hour, "")
			tt.edit(t, w, w.path)
			w.expect(tt.want...)
		})
	}
}

// TestWatchPollFallback changes a file that fsnotify cannot see change (the
// config is a symlink into another directory, as with Kubernetes
// ConfigMaps); the periodic hash must notice.
func TestWatchPollFallback(t *testing.T) {
	target := filepath.Join(t.TempDir(), "real.yaml")
	writeFile(t, target, "v1\n")
	link := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	w := startWatch(t, "", 200*time.Millisecond, link)
	writeFile(t, target, "v2\n")
	w.expect("v2\n")
}

func TestWatchBadDirectory(t *testing.T) {
	err := Watch(context.Background(), filepath.Join(t.TempDir(), "missing", "config.yaml"), time.Millisecond, func() {})
	if err == nil {
		t.Fatal("Watch on a missing directory: want an error")
	}
}

// TestWatchReloadPipeline runs the reload the daemon does on a change —
// load, validate, swap only on success — over editor-style writes: a bad
// edit keeps the running config, the fix replaces it.
func TestWatchReloadPipeline(t *testing.T) {
	clearEnv(t)
	path := filepath.Join(t.TempDir(), "config.yaml")
	good1 := console + "schedule: '@every 5m'\n"
	writeFile(t, path, good1)
	first, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var running atomic.Pointer[Config]
	running.Store(first)
	var mu sync.Mutex
	var failures []string
	var swaps int
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- watch(ctx, path, watchOptions{debounce: testDebounce, poll: time.Hour, ready: func() { close(ready) }}, func() {
			c, err := LoadFile(path)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failures = append(failures, Short(err))
				return
			}
			if c.Hash() != running.Load().Hash() {
				running.Store(c)
				swaps++
			}
		})
	}()
	<-ready
	state := func() (int, []string) {
		mu.Lock()
		defer mu.Unlock()
		return swaps, append([]string(nil), failures...)
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				s, f := state()
				t.Fatalf("timed out waiting for %s: swaps %d, failures %q", what, s, f)
			}
		}
	}

	// A bad edit, renamed into place: the running config stays.
	tmp := path + ".tmp"
	writeFile(t, tmp, console+"schedule: '@every 5m'\nparcels:\n  - number: 250-1234567-1234567\n")
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	waitFor("the bad edit to be rejected", func() bool { _, f := state(); return len(f) == 1 })
	if running.Load() != first {
		t.Fatalf("a bad edit replaced the running config")
	}
	if _, f := state(); !strings.Contains(f[0], `parcels[0].number "250-1234567-1234567"`) {
		t.Errorf("failure %q: want it to name the parcel", f[0])
	}

	// The fix, written in place: swapped in.
	writeFile(t, path, console+"schedule: '@every 10m'\n")
	waitFor("the fix to be swapped in", func() bool { s, _ := state(); return s == 1 })
	if got := running.Load().Schedule; got != "@every 10m" {
		t.Errorf("running schedule %q, want @every 10m", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("watch: %v", err)
	}
	if s, f := state(); s != 1 || len(f) != 1 {
		t.Errorf("swaps %d, failures %q: want 1 and 1", s, f)
	}
}
