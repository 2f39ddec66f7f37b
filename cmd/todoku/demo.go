package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/demo"
)

func cmdDemo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per notification per line")
	cfgPath := fs.String("config", "", "take notification settings and cadence from this config (e.g. config.example.yaml)")
	days := fs.Int("days", 10, "virtual days to run")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var cfg *config.Config
	if *cfgPath != "" {
		var err error
		if cfg, err = config.LoadFileWith(*cfgPath, config.Options{SkipSecrets: true}); err != nil {
			fmt.Fprintln(stderr, "todoku demo:", err)
			return 1
		}
	}
	if !*asJSON {
		fmt.Fprintln(stdout, "todoku demo: the real engine, store and message composer against built-in fake carriers (DHL through a fake of its API),")
		fmt.Fprintf(stdout, "with a virtual clock running %d days from %s. Notifications as they would be pushed:\n\n", *days, demo.Start.Format("2006-01-02 15:04 MST"))
	}
	stats, err := demo.Run(context.Background(), demo.Options{Out: stdout, JSON: *asJSON, Config: cfg, Days: *days})
	if err != nil {
		fmt.Fprintln(stderr, "todoku demo:", err)
		return 1
	}
	if !*asJSON {
		var reqs []string
		for name, n := range stats.Requests {
			reqs = append(reqs, fmt.Sprintf("%s %d", name, n))
		}
		sort.Strings(reqs)
		fmt.Fprintf(stdout, "\n%d notifications, %d carrier events stored, requests: %s\n", stats.Notifications, stats.Events, strings.Join(reqs, ", "))
	}
	return 0
}
