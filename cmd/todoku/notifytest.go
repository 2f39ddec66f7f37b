package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/notify"
)

// sampleNotice is the delivery failure notify-test sends.
func sampleNotice(now time.Time) notify.Notice {
	return notify.Notice{
		Kind:    notify.KindDeliveryFailed,
		Number:  "123456789013",
		Carrier: "yamato",
		Label:   "カメラレンズ（テスト通知）",
		Event: carriers.Event{
			Time: now.Add(-3 * time.Minute).Truncate(time.Minute), Status: carriers.StatusDeliveryFailed,
			Reason: carriers.ReasonAbsent, Raw: "持戻（ご不在）", Location: "川崎中央センター",
		},
	}
}

func cmdNotifyTest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("notify-test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", config.DefaultPath(), "config file")
	dry := fs.Bool("dry-run", false, "print the exact payload instead of sending it")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	// A dry run prints: it needs no Pushover secrets.
	cfg, err := config.LoadFileWith(*cfgPath, config.Options{SkipSecrets: *dry})
	if err != nil {
		fmt.Fprintln(stderr, "todoku notify-test:", err)
		return 1
	}
	opts := daemon.RuntimeOptions{Console: stdout}
	if *dry {
		opts.Notifier = notify.NewConsole(stdout, false)
	}
	rt, err := daemon.Runtime(cfg, opts)
	if err != nil {
		fmt.Fprintln(stderr, "todoku notify-test:", err)
		return 1
	}
	now := time.Now()
	n := sampleNotice(now)
	composer := rt.Composer
	// A test is always sent, whatever the quiet hours say.
	composer.Settings.QuietStart, composer.Settings.QuietEnd = "", ""
	msg := composer.Compose(n, now)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := rt.Notifier.Send(ctx, msg); err != nil {
		fmt.Fprintln(stderr, "todoku notify-test: send failed:", err)
		return 1
	}
	if !*dry && cfg.Notify.Notifier != "console" {
		fmt.Fprintln(stdout, "sent: check your phone for", msg.Title)
	}
	return 0
}
