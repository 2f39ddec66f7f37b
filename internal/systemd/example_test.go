package systemd_test

import (
	"context"
	"errors"
	"log/slog"
	"os"

	"github.com/todoku/todoku/internal/systemd"
)

// The daemon's life as systemd sees it. Outside systemd every call is a
// no-op, so the same code runs from a terminal.
func Example() {
	logger := slog.New(systemd.NewLogHandler(os.Stderr, slog.LevelInfo))
	n := systemd.New(systemd.WithLogger(logger))

	// Start: load config, open the store, start the scheduler, then:
	n.Ready("watching 3 parcels")

	// Watchdog: ping only while the scheduler ticks and the store answers.
	ctx, cancel := context.WithCancel(context.Background())
	go n.Heartbeat(ctx, func(ctx context.Context) error {
		return nil // e.g. tracker.LastTick() recent && store.Ping(ctx) == nil
	})

	// SIGHUP: validate the whole new config, then swap.
	reload := func() error { return errors.New("config.yaml:3:5: unknown field") }
	n.Reloading()
	if err := reload(); err != nil {
		n.ReloadFailed(err) // keeps the old config; systemctl status shows why
	} else {
		n.Ready("config reloaded")
	}

	// SIGTERM:
	n.Stopping()
	cancel()
	// Output:
}
