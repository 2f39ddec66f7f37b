package daemon_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/internal/systemd"
	"github.com/todoku/todoku/store"
)

// TestNotifySequence follows the daemon's life as systemd sees it: start,
// a good reload, a rejected reload and a stop, each with the exact
// sd_notify messages.
func TestNotifySequence(t *testing.T) {
	sock := listenNotify(t)
	t.Setenv("WATCHDOG_USEC", "")
	site := newCarrierSite(t)
	a, b, c := trackingNumber(1), trackingNumber(2), trackingNumber(3)
	site.delivered("yamato", a)
	s := setup{Site: site, Parcels: []parcel{{a, "lens", "yamato"}, {b, "ink", "japanpost"}}}
	in := newInstance(t, s)
	in.start(options{systemd: systemd.New(), noWait: true})

	sock.expect("start", `READY=1\nSTATUS=tracking 2 parcels`)
	// By the time READY arrives the API answers and the store is open.
	if err := healthz(in.addr); err != nil {
		t.Fatalf("healthz right after READY: %v, want 200", err)
	}
	h, err := in.health()
	if err != nil || !h.OK || h.Scheduler != "ok" || h.Store != "ok" {
		t.Fatalf("health right after READY = %+v, %v; want ok, scheduler ok, store ok", h, err)
	}
	if st, err := store.Open(in.setup.Database, store.Options{LockTimeout: 50 * time.Millisecond}); !errors.Is(err, store.ErrLocked) {
		if st != nil {
			st.Close()
		}
		t.Fatalf("store.Open while the daemon runs: err = %v, want ErrLocked (the daemon holds the database)", err)
	}

	// A good reload.
	s.Parcels = append(s.Parcels, parcel{c, "book", "sagawa"})
	in.write(s)
	in.reload <- syscall.SIGHUP
	msg := sock.expect("good reload", `RELOADING=1\nMONOTONIC_USEC=[0-9]+`)
	if usec, _ := strconv.ParseInt(strings.TrimPrefix(msg, "RELOADING=1\nMONOTONIC_USEC="), 10, 64); usec <= 0 {
		t.Errorf("MONOTONIC_USEC = %d, want > 0", usec)
	}
	sock.expect("good reload", `READY=1\nSTATUS=tracking 3 parcels \(reloaded [0-9]{2}:[0-9]{2}:[0-9]{2}\)`)

	// A rejected reload: the reason, with file and line, then READY.
	bad := s
	bad.Extra = "bogus_key: 1\n"
	in.write(bad)
	in.reload <- syscall.SIGHUP
	sock.expect("bad reload", `RELOADING=1\nMONOTONIC_USEC=[0-9]+`)
	status := sock.expect("bad reload", `STATUS=config reload failed: .*config\.yaml:[0-9]+:[0-9]+: .*bogus_key.*`)
	sock.expect("bad reload", `READY=1`)
	if !strings.Contains(status, in.cfgPath) {
		t.Errorf("STATUS %q does not name the file %s", status, in.cfgPath)
	}
	// The log line follows the sd_notify messages.
	in.eventually("log says why the reload failed", func() error {
		if logs := in.logs.String(); !strings.Contains(logs, "config reload failed") || !strings.Contains(logs, "bogus_key") {
			return errors.New("no \"config reload failed\" naming bogus_key in the log")
		}
		return nil
	})
	ps, err := in.parcels()
	if err != nil || len(ps) != 3 {
		t.Fatalf("parcels after the rejected reload = %d, %v; want the 3 of the running config", len(ps), err)
	}

	// Stop.
	if err := in.stop(); err != nil {
		t.Fatalf("Run returned %v after cancel, want nil", err)
	}
	sock.expect("stop", `STOPPING=1`)
	sock.quiet("after stop", 300*time.Millisecond)
}

// TestWatchdog checks that WATCHDOG=1 pings arrive at half of
// WATCHDOG_USEC while the scheduler and store are alive, only when the
// watchdog is meant for this process, and never after STOPPING.
func TestWatchdog(t *testing.T) {
	tests := []struct {
		name  string
		pid   int
		pings bool
	}{
		{name: "for this process", pid: os.Getpid(), pings: true},
		{name: "for another process", pid: os.Getpid() + 1, pings: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sock := listenNotify(t)
			t.Setenv("WATCHDOG_USEC", "200000")
			t.Setenv("WATCHDOG_PID", strconv.Itoa(tt.pid))
			site := newCarrierSite(t)
			in := newInstance(t, setup{Site: site, Parcels: []parcel{{trackingNumber(1), "lens", "yamato"}}})
			in.start(options{systemd: systemd.New(), noWait: true})
			sock.expect("start", `READY=1\nSTATUS=tracking 1 parcels`)
			if tt.pings {
				start := time.Now()
				for i := range 3 {
					sock.expect("ping "+strconv.Itoa(i), `WATCHDOG=1`)
				}
				// Three pings at 100 ms; allow a loaded machine plenty.
				if d := time.Since(start); d > 3*time.Second {
					t.Errorf("3 watchdog pings took %v, want about 300ms", d)
				}
			} else {
				sock.quiet("watchdog for another pid", 500*time.Millisecond)
			}
			if err := in.stop(); err != nil {
				t.Fatalf("Run returned %v after cancel, want nil", err)
			}
			for {
				msg, ok := sock.next(wait)
				if !ok {
					t.Fatal("no STOPPING=1 after cancel")
				}
				if msg == "STOPPING=1" {
					break
				}
				if msg != "WATCHDOG=1" || !tt.pings {
					t.Fatalf("before STOPPING: got %q, want only WATCHDOG=1 pings", msg)
				}
			}
			sock.quiet("after STOPPING", 300*time.Millisecond)
		})
	}
}

// TestNotifyReloadDuringStart asks for a reload through the API as soon as
// it listens, before the daemon is up: systemd must still see READY first.
func TestNotifyReloadDuringStart(t *testing.T) {
	sock := listenNotify(t)
	t.Setenv("WATCHDOG_USEC", "")
	site := newCarrierSite(t)
	in := newInstance(t, setup{Site: site, Parcels: []parcel{{trackingNumber(5), "lens", "yamato"}}})
	reloaded := make(chan error, 1)
	in.start(options{systemd: systemd.New(), noWait: true, listening: func(addr string) {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			reloaded <- api.NewClient(addr).Reload(ctx)
		}()
	}})
	sock.expect("start", `READY=1\nSTATUS=tracking 1 parcels`)
	sock.expect("reload", `RELOADING=1\nMONOTONIC_USEC=[0-9]+`)
	sock.expect("reload", `READY=1\nSTATUS=tracking 1 parcels \(reloaded [0-9:]{8}\)`)
	if err := <-reloaded; err != nil {
		t.Fatalf("Reload during start = %v, want nil", err)
	}
}

// TestNotifyWatchAfterSIGHUP changes the file and reloads it with SIGHUP at
// once: the watch then sees a file that is already running, and must not
// report a second reload to systemd.
func TestNotifyWatchAfterSIGHUP(t *testing.T) {
	sock := listenNotify(t)
	t.Setenv("WATCHDOG_USEC", "")
	site := newCarrierSite(t)
	a, b := trackingNumber(6), trackingNumber(7)
	in := newInstance(t, setup{Site: site, Parcels: []parcel{{a, "lens", "yamato"}}})
	in.start(options{systemd: systemd.New(), watch: true, noWait: true})
	sock.expect("start", `READY=1\nSTATUS=tracking 1 parcels`)
	in.write(setup{Parcels: []parcel{{a, "lens", "yamato"}, {b, "ink", ""}}})
	in.reload <- syscall.SIGHUP
	sock.expect("SIGHUP", `RELOADING=1\nMONOTONIC_USEC=[0-9]+`)
	sock.expect("SIGHUP", `READY=1\nSTATUS=tracking 2 parcels \(reloaded [0-9:]{8}\)`)
	// The watch's debounce is 500ms and the start-up re-check runs 1s
	// after READY; neither may reload again.
	sock.quiet("after the watch saw the reloaded file", 1500*time.Millisecond)
}
