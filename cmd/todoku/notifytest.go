package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/notify"
)

// cmdNotifyTest sends a sample delivery-failed notification. When a
// daemon answers on the API address it sends through the daemon, which
// holds the Pushover credentials (under systemd they exist only inside the
// service); otherwise it builds the notifier from the config itself.
// --dry-run prints the exact payload instead.
func cmdNotifyTest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("notify-test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", config.DefaultPath(), "config file")
	dry := fs.Bool("dry-run", false, "print the exact payload instead of sending it")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := config.LoadFileWith(*cfgPath, config.Options{SkipSecrets: true})
	if err != nil {
		fmt.Fprintln(stderr, "todoku notify-test:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if !*dry {
		title, err := api.NewClient(cfg.API.Listen).NotifyTest(ctx)
		switch {
		case err == nil:
			fmt.Fprintln(stdout, "sent through the running daemon:", title)
			return 0
		case !errors.Is(err, api.ErrUnreachable):
			fmt.Fprintln(stderr, "todoku notify-test:", err)
			return 1
		}
		// No daemon: the secrets must be readable here.
		if cfg, err = config.LoadFile(*cfgPath); err != nil {
			fmt.Fprintln(stderr, "todoku notify-test: no daemon answers and", err)
			return 1
		}
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
	title, err := daemon.SendTest(ctx, rt, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "todoku notify-test: send failed:", err)
		return 1
	}
	if !*dry && cfg.Notify.Notifier != "console" {
		fmt.Fprintln(stdout, "sent: check your phone for", title)
	}
	return 0
}
