package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/todoku/todoku/config"
)

// cmdCheck validates a config file with the same code the daemon uses to
// load and reload it, printing file:line:col errors. It never opens the
// database. Exit status: 0 valid, 1 invalid, 2 usage.
func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgFlag := fs.String("config", "", "config file (default "+config.DefaultPath()+")")
	noSecrets := fs.Bool("no-secrets", false, "skip the Pushover secrets (when they are systemd credentials, which exist only inside the service)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: todoku check [--no-secrets] [--config FILE | FILE]")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	path := *cfgFlag
	switch {
	case len(pos) > 1:
		fmt.Fprintf(stderr, "todoku check: one config file at a time, got %s\n", joinArgs(pos))
		return 2
	case len(pos) == 1 && path != "" && pos[0] != path:
		fmt.Fprintf(stderr, "todoku check: two config files given: --config %s and %s\n", path, pos[0])
		return 2
	case len(pos) == 1:
		path = pos[0]
	case path == "":
		path = config.DefaultPath()
	}
	cfg, err := config.LoadFileWith(path, config.Options{SkipSecrets: *noSecrets})
	if err != nil {
		var list config.ErrorList
		if !errors.As(err, &list) {
			fmt.Fprintf(stderr, "todoku check: %v\n", err)
			return 1
		}
		fmt.Fprintln(stderr, list.Error())
		noun := "problems"
		if len(list) == 1 {
			noun = "problem"
		}
		fmt.Fprintf(stderr, "todoku check: %d %s in %s\n", len(list), noun, path)
		if errors.Is(err, config.ErrMissingSecret) && os.Getenv("CREDENTIALS_DIRECTORY") == "" {
			fmt.Fprintln(stderr, "todoku check: secrets given as systemd credentials (LoadCredential=) are visible only inside the service; check the rest with --no-secrets")
		}
		return 1
	}
	printSummary(stdout, cfg, *noSecrets)
	return 0
}

// printSummary says what a valid config will do.
func printSummary(w io.Writer, c *config.Config, noSecrets bool) {
	fmt.Fprintf(w, "%s: ok\n", c.Path)
	night := "polls all night"
	if !c.Night.IsZero() {
		night = "no polls " + c.Night.Start + "–" + c.Night.End
	}
	fmt.Fprintf(w, "  schedule  %s (%s, %s)\n", c.Schedule, c.TimeZone, night)
	notifier := c.Notify.Notifier
	if notifier == "pushover" && noSecrets {
		notifier += " (secrets not checked)"
	}
	fmt.Fprintf(w, "  notifier  %s, %s\n", notifier, c.Notify.Lang)
	fmt.Fprintf(w, "  database  %s\n", c.Database)
	fmt.Fprintf(w, "  api       %s\n", c.API.Listen)
	fmt.Fprintf(w, "  parcels   %d\n", len(c.Parcels))
	for _, p := range c.Parcels {
		label := p.Label
		if label == "" {
			label = "-"
		}
		fmt.Fprintf(w, "    %-16s %s (%s)\n", p.Number, label, strings.Join(p.Candidates, ", "))
	}
}

// parseInterspersed parses flags that may come before, between or after
// positional arguments (`todoku add 1234 --label lens`) and returns the
// positional ones. Everything after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
