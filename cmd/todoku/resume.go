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
)

// cmdResume asks the running daemon to check a carrier again at once: a
// carrier paused because its page layout changed is re-checked now (and
// resumes if the page reads), a backoff or open circuit breaker is lifted.
func cmdResume(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("resume", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", config.DefaultPath(), "config file")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: todoku resume CARRIER")
		return 2
	}
	cfg, err := config.LoadFileWith(*cfgPath, config.Options{SkipSecrets: true})
	if err != nil {
		fmt.Fprintln(stderr, "todoku resume:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	held, err := api.NewClient(cfg.API.Listen).Resume(ctx, pos[0])
	switch {
	case errors.Is(err, api.ErrUnreachable):
		fmt.Fprintf(stderr, "todoku resume: no daemon answers on %s (a starting daemon checks paused carriers at once)\n", cfg.API.Listen)
		return 1
	case err != nil:
		fmt.Fprintln(stderr, "todoku resume:", err)
		return 1
	case held:
		fmt.Fprintf(stdout, "%s: checking now; `todoku list` shows the result in a moment\n", pos[0])
	default:
		fmt.Fprintf(stdout, "%s was not paused; its due parcels are asked now\n", pos[0])
	}
	return 0
}
