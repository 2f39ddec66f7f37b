package systemd

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// listenNotify binds a unixgram socket in a temp dir, points NOTIFY_SOCKET
// at it and returns the connection to read datagrams from.
func listenNotify(t *testing.T) *net.UnixConn {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatalf("listen unixgram: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	t.Setenv("WATCHDOG_USEC", "")
	t.Setenv("WATCHDOG_PID", "")
	return conn
}

// readAll returns every datagram waiting on conn.
func readAll(t *testing.T, conn *net.UnixConn) []string {
	t.Helper()
	var got []string
	buf := make([]byte, 4096)
	for {
		if err := conn.SetReadDeadline(time.Now().Add(100 * time.Millisecond)); err != nil {
			t.Fatalf("set deadline: %v", err)
		}
		n, err := conn.Read(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return got
			}
			t.Fatalf("read datagram: %v", err)
		}
		got = append(got, string(buf[:n]))
	}
}

var monotonicRE = regexp.MustCompile(`^RELOADING=1\nMONOTONIC_USEC=([0-9]+)$`)

// normalise replaces the MONOTONIC_USEC value, after checking it, so the
// sequences can be compared exactly.
func normalise(t *testing.T, msgs []string, before, after int64) []string {
	t.Helper()
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m
		sub := monotonicRE.FindStringSubmatch(m)
		if sub == nil {
			continue
		}
		usec, err := strconv.ParseInt(sub[1], 10, 64)
		if err != nil {
			t.Fatalf("MONOTONIC_USEC %q: %v", sub[1], err)
		}
		if usec < before || usec > after {
			t.Errorf("MONOTONIC_USEC = %d, want within [%d, %d]", usec, before, after)
		}
		out[i] = "RELOADING=1\nMONOTONIC_USEC=<now>"
	}
	return out
}

func TestNotifierSequences(t *testing.T) {
	tests := []struct {
		name string
		run  func(n *Notifier)
		want []string
	}{
		{
			name: "start",
			run:  func(n *Notifier) { n.Ready("") },
			want: []string{"READY=1"},
		},
		{
			name: "start with status",
			run:  func(n *Notifier) { n.Ready("watching 3 parcels") },
			want: []string{"READY=1\nSTATUS=watching 3 parcels"},
		},
		{
			name: "reload",
			run: func(n *Notifier) {
				n.Reloading()
				n.Ready("")
			},
			want: []string{"RELOADING=1\nMONOTONIC_USEC=<now>", "READY=1"},
		},
		{
			name: "failed reload",
			run: func(n *Notifier) {
				n.Reloading()
				n.ReloadFailed(errors.New("config.yaml:3:5: unknown field \"parcel\""))
			},
			want: []string{
				"RELOADING=1\nMONOTONIC_USEC=<now>",
				"STATUS=config reload failed: config.yaml:3:5: unknown field \"parcel\"",
				"READY=1",
			},
		},
		{
			name: "multi-line status is one line",
			run:  func(n *Notifier) { n.Status("line one\nREADY=1\r\n") },
			want: []string{"STATUS=line one READY=1"},
		},
		{
			name: "stop",
			run:  func(n *Notifier) { n.Stopping() },
			want: []string{"STOPPING=1"},
		},
		{
			name: "whole life",
			run: func(n *Notifier) {
				n.Ready("")
				n.Reloading()
				n.Ready("")
				n.Reloading()
				n.ReloadFailed(errors.New("bad cron"))
				n.Stopping()
			},
			want: []string{
				"READY=1",
				"RELOADING=1\nMONOTONIC_USEC=<now>", "READY=1",
				"RELOADING=1\nMONOTONIC_USEC=<now>", "STATUS=config reload failed: bad cron", "READY=1",
				"STOPPING=1",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := listenNotify(t)
			n := New()
			if !n.Enabled() {
				t.Fatalf("Enabled() = false with NOTIFY_SOCKET set")
			}
			before, _ := monotonicUsec()
			tt.run(n)
			after, _ := monotonicUsec()
			got := normalise(t, readAll(t, conn), before, after)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("datagrams:\n got  %q\n want %q", got, tt.want)
			}
			if os.Getenv("NOTIFY_SOCKET") == "" {
				t.Errorf("NOTIFY_SOCKET was unset")
			}
		})
	}
}

func TestNotifierOutsideSystemd(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	t.Setenv("WATCHDOG_USEC", "30000000")
	n := New()
	if n.Enabled() {
		t.Errorf("Enabled() = true without NOTIFY_SOCKET")
	}
	// None of these may panic or block.
	n.Ready("x")
	n.Reloading()
	n.ReloadFailed(nil)
	n.Status("x")
	n.Watchdog()
	n.Stopping()
	if got := n.WatchdogInterval(); got != 0 {
		t.Errorf("WatchdogInterval() = %v, want 0", got)
	}
	var zero *Notifier
	zero.Ready("")
	zero.Stopping()
}

func TestNotifierSendFailureIsNotFatal(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", filepath.Join(t.TempDir(), "missing.sock"))
	var logged strings.Builder
	n := New(WithLogger(slogTo(&logged)))
	n.Ready("")
	if !strings.Contains(logged.String(), "sd_notify failed") || !strings.Contains(logged.String(), "op=ready") {
		t.Errorf("log = %q, want an sd_notify failed warning for op=ready", logged.String())
	}
}

func TestWatchdogInterval(t *testing.T) {
	self := strconv.Itoa(os.Getpid())
	tests := []struct {
		name       string
		usec, pid  string
		wantPeriod time.Duration
	}{
		{"off", "", "", 0},
		{"half of WATCHDOG_USEC", "60000000", "", 30 * time.Second},
		{"this pid", "10000000", self, 5 * time.Second},
		{"another pid", "10000000", "1", 0},
		{"garbage", "soon", "", 0},
		{"negative", "-5", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			listenNotify(t)
			t.Setenv("WATCHDOG_USEC", tt.usec)
			t.Setenv("WATCHDOG_PID", tt.pid)
			if got := New().WatchdogInterval(); got != tt.wantPeriod {
				t.Errorf("WatchdogInterval() = %v, want %v", got, tt.wantPeriod)
			}
			if os.Getenv("WATCHDOG_USEC") != tt.usec {
				t.Errorf("WATCHDOG_USEC was changed")
			}
		})
	}
}

func TestHeartbeatPingsOnlyWhenHealthy(t *testing.T) {
	conn := listenNotify(t)
	t.Setenv("WATCHDOG_USEC", "2000000") // ping every 1 s
	n := New()
	// Health per tick: ok, failing, ok, ok → three pings.
	health := []error{nil, errors.New("scheduler stalled"), nil, nil}
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		calls := 0
		done := make(chan struct{})
		go func() {
			defer close(done)
			n.Heartbeat(ctx, func(ctx context.Context) error {
				if _, ok := ctx.Deadline(); !ok {
					t.Errorf("check ctx has no deadline")
				}
				err := health[calls]
				calls++
				return err
			})
		}()
		time.Sleep(4*time.Second + 500*time.Millisecond)
		cancel()
		<-done
		if calls != len(health) {
			t.Errorf("checks = %d, want %d", calls, len(health))
		}
	})
	got := readAll(t, conn)
	want := []string{"WATCHDOG=1", "WATCHDOG=1", "WATCHDOG=1"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("datagrams: got %q, want %q", got, want)
	}
}

func TestHeartbeatOffReturnsAtOnce(t *testing.T) {
	listenNotify(t)
	n := New()
	synctest.Test(t, func(t *testing.T) {
		n.Heartbeat(t.Context(), func(context.Context) error {
			t.Errorf("check called with the watchdog off")
			return nil
		})
	})
}
