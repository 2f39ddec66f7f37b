// Package systemd connects the todoku daemon to systemd: sd_notify state
// messages (READY, RELOADING, STATUS, STOPPING, WATCHDOG) and a log/slog
// handler that speaks journald's priority prefixes.
//
// # Basics
//
// [New] reads NOTIFY_SOCKET once. Under systemd (Type=notify) every method of
// [Notifier] sends one datagram to that socket; outside systemd every method
// is a no-op, so the daemon runs unchanged from a terminal. Send failures are
// logged and never fatal: a daemon that cannot reach systemd keeps working.
//
// A start sends READY=1 once config, store and scheduler are up. A reload
// sends RELOADING=1 with MONOTONIC_USEC (required by systemd ≥ 253 for
// reload tracking, harmless on 252), then READY=1 whether or not the new
// config was accepted; a rejected config also sets STATUS= with the reason.
// SIGTERM sends STOPPING=1.
//
// [Notifier.Heartbeat] pings WATCHDOG=1 at half of WATCHDOG_USEC, but only
// while a caller-supplied check proves the scheduler and store are alive.
//
// [NewLogHandler] writes "<N>" priority prefixes and no timestamps when its
// writer is the journal stream named by JOURNAL_STREAM, and a plain
// timestamped text format otherwise.
//
// # Caveats
//
// Type=notify-reload and ReloadSignal= need systemd 253; Debian 12 ships 252,
// so the unit uses Type=notify with ExecReload= and the daemon reports the
// reload itself. NOTIFY_SOCKET is never unset: later watchdog and reload
// messages need it.
package systemd
