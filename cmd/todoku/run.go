package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/internal/systemd"
)

func cmdRun(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", config.DefaultPath(), "config file")
	debug := fs.Bool("debug", false, "log debug messages")
	noWatch := fs.Bool("no-watch", false, "do not reload when the config file changes (SIGHUP still reloads)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	log := slog.New(systemd.NewLogHandler(os.Stderr, level))
	slog.SetDefault(log)

	// gregdel/pushover sends through http.DefaultClient, which has no
	// timeout: bound it so a server that never answers cannot hold a send
	// slot forever (each send is also bounded by its own context).
	http.DefaultClient.Timeout = 2 * time.Minute

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	out, _ := stdout.(*os.File)
	err := daemon.Run(ctx, daemon.Options{
		ConfigPath: *cfgPath,
		Logger:     log,
		Version:    version,
		Reload:     hup,
		Watch:      !*noWatch,
		Stdout:     out,
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		log.Error("todoku stopped", "err", err)
		return 1
	}
	return 0
}
