package systemd

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
	"golang.org/x/sys/unix"
)

// Notifier sends sd_notify state messages to systemd. The zero value and a
// Notifier made outside systemd do nothing. It is safe for concurrent use.
type Notifier struct {
	socket   string
	watchdog time.Duration
	logger   *slog.Logger
}

// Option configures a Notifier.
type Option func(*Notifier)

// WithLogger sets the logger used for send failures. The default discards.
func WithLogger(logger *slog.Logger) Option {
	return func(n *Notifier) {
		if logger != nil {
			n.logger = logger
		}
	}
}

// New returns a Notifier for the socket named by NOTIFY_SOCKET and the
// watchdog named by WATCHDOG_USEC and WATCHDOG_PID. It never changes the
// environment.
func New(opts ...Option) *Notifier {
	n := &Notifier{
		socket: os.Getenv("NOTIFY_SOCKET"),
		logger: slog.New(slog.DiscardHandler),
	}
	for _, opt := range opts {
		opt(n)
	}
	if n.socket != "" {
		d, err := daemon.SdWatchdogEnabled(false)
		if err != nil {
			n.logger.Warn("watchdog settings ignored", "error", err)
		}
		n.watchdog = d
	}
	return n
}

// Enabled reports whether the process runs under systemd with a
// notification socket.
func (n *Notifier) Enabled() bool { return n != nil && n.socket != "" }

// Ready tells systemd that start-up or a reload has finished. A non-empty
// status is sent as STATUS= in the same message.
func (n *Notifier) Ready(status string) {
	n.send("ready", daemon.SdNotifyReady+statusLine(status))
}

// Reloading tells systemd that a configuration reload has begun. The message
// carries MONOTONIC_USEC, which systemd ≥ 253 needs to match the reload. Call
// Ready (or ReloadFailed) when the reload is over, even if it failed.
func (n *Notifier) Reloading() {
	if !n.Enabled() {
		return
	}
	msg := daemon.SdNotifyReloading
	if usec, ok := monotonicUsec(); ok {
		msg += "\nMONOTONIC_USEC=" + strconv.FormatInt(usec, 10)
	}
	n.send("reloading", msg)
}

// ReloadFailed reports a rejected reload: STATUS= with the reason, then
// READY=1, because the daemon keeps running with its old configuration.
func (n *Notifier) ReloadFailed(err error) {
	reason := "unknown error"
	if err != nil {
		reason = err.Error()
	}
	n.Status("config reload failed: " + reason)
	n.Ready("")
}

// Status sets the free-form status line shown by systemctl status.
func (n *Notifier) Status(s string) {
	n.send("status", strings.TrimPrefix(statusLine(s), "\n"))
}

// Stopping tells systemd that the daemon is shutting down.
func (n *Notifier) Stopping() {
	n.send("stopping", daemon.SdNotifyStopping)
}

// WatchdogInterval returns how often Watchdog should be called: half of
// WATCHDOG_USEC, or 0 when the watchdog is off or not meant for this process.
func (n *Notifier) WatchdogInterval() time.Duration {
	if !n.Enabled() {
		return 0
	}
	return n.watchdog / 2
}

// Watchdog sends one WATCHDOG=1 ping. Call it only after proving the daemon
// is healthy; see Heartbeat.
func (n *Notifier) Watchdog() {
	if n.WatchdogInterval() == 0 {
		return
	}
	n.send("watchdog", daemon.SdNotifyWatchdog)
}

// Heartbeat pings the watchdog every WatchdogInterval while check returns
// nil, until ctx is done. check should prove that the scheduler ticked
// recently and that the store answers a read; a failing check skips the ping
// (and logs why) so systemd restarts a wedged daemon. Heartbeat returns at
// once when the watchdog is off.
func (n *Notifier) Heartbeat(ctx context.Context, check func(ctx context.Context) error) {
	interval := n.WatchdogInterval()
	if interval == 0 {
		return
	}
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		cctx, cancel := context.WithTimeout(ctx, interval)
		err := check(cctx)
		cancel()
		if err != nil {
			n.logger.Warn("watchdog ping skipped", "error", err)
			continue
		}
		n.Watchdog()
	}
}

// send writes one datagram. Failures are logged, never returned: systemd
// being unreachable must not stop the daemon.
func (n *Notifier) send(op, msg string) {
	if !n.Enabled() || msg == "" {
		return
	}
	// daemon.SdNotify reads NOTIFY_SOCKET itself; pass false so it never
	// unsets it and later pings keep working.
	if _, err := daemon.SdNotify(false, msg); err != nil {
		n.logger.Warn("sd_notify failed", "op", op, "error", err)
	}
}

// statusLine returns "\nSTATUS=s" with s on one line, or "" for an empty s.
func statusLine(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r", " "), "\n", " "))
	if s == "" {
		return ""
	}
	return "\nSTATUS=" + s
}

// monotonicUsec reads CLOCK_MONOTONIC in microseconds.
func monotonicUsec() (int64, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0, false
	}
	return ts.Nano() / 1000, true
}
