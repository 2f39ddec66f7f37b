package daemon_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/internal/systemd"
)

// BenchmarkStartup measures a restart: from daemon.Run to a listening
// API, with n configured parcels already in the database (nothing
// changed, so the config sync writes nothing). It reports the median as
// ms/listen. The carriers point at a closed port: no request leaves the
// machine.
func BenchmarkStartup(b *testing.B) {
	for _, n := range []int{100, 10000} {
		b.Run(fmt.Sprintf("parcels=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			cfg := filepath.Join(dir, "config.yaml")
			var y strings.Builder
			fmt.Fprintf(&y, "database: %s\ntime_zone: Asia/Tokyo\nnight: ~\ncarriers:\n", filepath.Join(dir, "todoku.db"))
			for _, c := range []string{"yamato", "sagawa", "japanpost"} {
				fmt.Fprintf(&y, "  %s:\n    base_url: http://127.0.0.1:1\n", c)
			}
			y.WriteString("notify:\n  notifier: console\n  quiet_hours: ~\napi:\n  listen: 127.0.0.1:0\nparcels:\n")
			for i := 0; i < n; i++ {
				fmt.Fprintf(&y, "  - number: %q\n    label: \"parcel %d\"\n    carrier: yamato\n", trackingNumber(i), i)
			}
			if err := os.WriteFile(cfg, []byte(y.String()), 0o600); err != nil {
				b.Fatal(err)
			}
			out, err := os.Create(filepath.Join(dir, "console.txt"))
			if err != nil {
				b.Fatal(err)
			}
			defer out.Close()
			run := func() time.Duration {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				listening := make(chan time.Duration, 1)
				began := time.Now()
				done := make(chan error, 1)
				go func() {
					done <- daemon.Run(ctx, daemon.Options{
						ConfigPath: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "bench",
						Systemd: systemd.New(), Reload: make(chan os.Signal), Stdout: out, ShutdownTimeout: time.Second,
						Listening: func(string) { listening <- time.Since(began) },
					})
				}()
				var d time.Duration
				select {
				case d = <-listening:
				case err := <-done:
					b.Fatalf("daemon.Run: %v", err)
				}
				cancel()
				if err := <-done; err != nil {
					b.Fatalf("daemon.Run: %v", err)
				}
				return d
			}
			run() // the first start stores the parcels
			var ds []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ds = append(ds, run())
			}
			slices.Sort(ds)
			b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "ms/listen")
		})
	}
}
