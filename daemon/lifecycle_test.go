package daemon_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/store"
)

// goroutineSlack allows for runtime and test-framework goroutines that come
// and go on their own.
const goroutineSlack = 2

// settleGoroutines waits until at most max goroutines run and returns the
// count; on timeout it returns the count and every stack.
func settleGoroutines(max int) (int, string) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= max {
			return n, ""
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			return n, string(buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestShutdown cancels the daemon at several moments and checks that Run
// returns promptly, releases the database and leaves no goroutine behind.
// It is not parallel: it counts the process's goroutines.
func TestShutdown(t *testing.T) {
	tests := []struct {
		name string
		// before runs between start and cancel.
		before func(t *testing.T, in *instance)
		// early cancels before the daemon is up.
		early bool
	}{
		{name: "while starting", early: true},
		{name: "idle after start", before: func(t *testing.T, in *instance) {}},
		{name: "after API calls and a reload", before: func(t *testing.T, in *instance) {
			if _, err := in.parcels(); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			if err := in.client.Reload(ctx); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := newCarrierSite(t)
			a, b := trackingNumber(20), trackingNumber(21)
			site.delivered("yamato", a)
			site.delivered("sagawa", b)
			in := newInstance(t, setup{Site: site, Parcels: []parcel{{a, "lens", "yamato"}, {b, "book", "sagawa"}}})
			runtime.GC()
			base := runtime.NumGoroutine()

			var start time.Time
			if tt.early {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				start = time.Now()
				err := daemon.Run(ctx, daemon.Options{ConfigPath: in.cfgPath, Config: fastTicks, Logger: discard(), Watch: true, Stdout: devNull(t)})
				if err != nil && !errors.Is(err, context.Canceled) {
					t.Fatalf("Run with a cancelled context = %v, want nil or context.Canceled", err)
				}
			} else {
				in.start(options{watch: true})
				tt.before(t, in)
				start = time.Now()
				if err := in.stop(); err != nil {
					t.Fatalf("Run = %v after cancel, want nil", err)
				}
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Run took %v to return after cancel, want a few seconds at most", d)
			}

			st, err := store.Open(in.setup.Database, store.Options{LockTimeout: 200 * time.Millisecond})
			if err != nil {
				t.Fatalf("database not released after Run returned: %v", err)
			}
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			if n, stacks := settleGoroutines(base + goroutineSlack); stacks != "" {
				t.Errorf("%d goroutines after Run returned, want at most %d (%d before it started):\n%s", n, base+goroutineSlack, base, stacks)
			}
		})
	}
}

// TestSecondDaemon starts a second daemon on the database of a running one:
// it must fail fast with a clear error, not hang.
func TestSecondDaemon(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	first := newInstance(t, setup{Site: site, Parcels: []parcel{{trackingNumber(30), "lens", "yamato"}}}).start(options{})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		done <- daemon.Run(ctx, daemon.Options{ConfigPath: first.cfgPath, Config: fastTicks, Logger: discard(), Stdout: devNull(t)})
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(wait):
		cancel()
		t.Fatalf("second daemon on the same database still running after %v, want a lock error", wait)
	}
	if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), first.setup.Database) {
		t.Fatalf("second daemon: err = %v, want ErrLocked naming %s", err, first.setup.Database)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second daemon took %v to fail, want the lock timeout (2s)", d)
	}
	if err := healthz(first.addr); err != nil {
		t.Errorf("first daemon after the second failed: %v", err)
	}
}

// TestStartErrors checks that Run fails at once, with the reason, when the
// config, the store or the API listener cannot be set up.
func TestStartErrors(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	busy := newInstance(t, setup{Site: site}).start(options{})

	tests := []struct {
		name string
		// edit turns a good config file into the case's.
		edit func(t *testing.T, text, dir string) string
		want []string
	}{
		{
			name: "unknown key",
			edit: func(t *testing.T, text, dir string) string { return text + "colour: blue\n" },
			want: []string{"config.yaml:", "colour"},
		},
		{
			name: "order number as a parcel",
			edit: func(t *testing.T, text, dir string) string {
				return text + "  - number: 250-1234567-1234567\n"
			},
			want: []string{"config.yaml:", "250-1234567-1234567"},
		},
		{
			name: "cadence the tracker refuses",
			edit: func(t *testing.T, text, dir string) string { return text + "cadence:\n  in_transit: 30s\n" },
			want: []string{"config.yaml", "in_transit"},
		},
		{
			// A missing directory is created; one that cannot be is an error.
			name: "database directory cannot be made",
			edit: func(t *testing.T, text, dir string) string {
				blocker := filepath.Join(dir, "file")
				if err := os.WriteFile(blocker, nil, 0o600); err != nil {
					t.Fatal(err)
				}
				return strings.Replace(text, filepath.Join(dir, "state"), filepath.Join(blocker, "deeper"), 1)
			},
			want: []string{"database directory", "file"},
		},
		{
			name: "api address in use",
			edit: func(t *testing.T, text, dir string) string {
				return strings.Replace(text, "127.0.0.1:0", busy.addr, 1)
			},
			want: []string{"listen", busy.addr},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := newInstance(t, setup{Site: site, Parcels: []parcel{{trackingNumber(40), "lens", "yamato"}}})
			text, err := os.ReadFile(in.cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			edited := tt.edit(t, string(text), in.dir)
			if edited == string(text) {
				t.Fatal("edit changed nothing")
			}
			if err := os.WriteFile(in.cfgPath, []byte(edited), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			start := time.Now()
			err = daemon.Run(ctx, daemon.Options{ConfigPath: in.cfgPath, Config: fastTicks, Logger: discard(), Stdout: devNull(t)})
			if err == nil || ctx.Err() != nil {
				t.Fatalf("Run = %v, want an error at start", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Run error %q does not mention %q", err, w)
				}
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Run took %v to fail, want at once", d)
			}
			if st, err := store.Open(in.setup.Database, store.Options{LockTimeout: 100 * time.Millisecond}); err == nil {
				st.Close()
			} else if !errors.Is(err, os.ErrNotExist) && !strings.Contains(err.Error(), "no such file") {
				t.Errorf("database still held after a failed start: %v", err)
			}
		})
	}
}

// TestListening checks the address Options.Listening reports: the port
// chosen for port 0, or the unix socket, and that the API answers there.
func TestListening(t *testing.T) {
	t.Parallel()
	sockDir, err := os.MkdirTemp("", "api") // socket paths must be short
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(sockDir) })
	sock := filepath.Join(sockDir, "api.sock")
	tests := []struct {
		name, listen string
		want         func(addr string) bool
	}{
		{name: "tcp port 0", listen: "127.0.0.1:0", want: func(addr string) bool {
			host, port, err := net.SplitHostPort(addr)
			return err == nil && host == "127.0.0.1" && port != "0"
		}},
		{name: "unix socket", listen: "unix:" + sock, want: func(addr string) bool { return addr == "unix:"+sock }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			site := newCarrierSite(t)
			in := newInstance(t, setup{Site: site, Listen: tt.listen, Parcels: []parcel{{trackingNumber(80), "lens", "yamato"}}})
			in.start(options{})
			if !tt.want(in.addr) {
				t.Fatalf("Listening got %q for api.listen %q", in.addr, tt.listen)
			}
			h, err := in.health()
			if err != nil || !h.OK || h.Version != "test" {
				t.Fatalf("health at %s = %+v, %v; want ok, version test", in.addr, h, err)
			}
		})
	}
}
