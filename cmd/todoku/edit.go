package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/config"
)

// reloadTimeout bounds the reload request add and remove send.
const reloadTimeout = 10 * time.Second

// cmdAdd adds a parcel to the config file, keeping its comments and
// layout, then asks a running daemon to reload. Exit status: 0 added, 1
// refused or failed, 2 usage.
func cmdAdd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", config.DefaultPath(), "config file")
	label := fs.String("label", "", "your name for the parcel, shown in notifications")
	carrier := fs.String("carrier", "", "pin the carrier: "+strings.Join(config.CarrierNames(), ", "))
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: todoku add NUMBER [--label TEXT] [--carrier NAME] [--config FILE]")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	// Numbers pasted with spaces arrive as several arguments.
	number := strings.Join(pos, " ")
	if strings.TrimSpace(number) == "" {
		fs.Usage()
		return 2
	}
	p, err := config.AddParcel(*cfgPath, number, *label, *carrier)
	if err != nil {
		fmt.Fprintf(stderr, "todoku add: %s\n", strings.TrimPrefix(err.Error(), "config: add: "))
		return 1
	}
	id := carriers.Identify(number)
	shown := carriers.Display(p.Carrier, p.Number)
	if p.Label != "" {
		shown += " (" + p.Label + ")"
	}
	fmt.Fprintf(stdout, "added %s to %s\n", shown, *cfgPath)
	for _, c := range id.Corrections {
		fmt.Fprintf(stdout, "  corrected: %s\n", c)
	}
	if !trackable(id) {
		fmt.Fprintln(stdout, "  note: Amazon delivery IDs have no public tracking page; follow this parcel in the Amazon app (注文履歴 → 配送状況を確認)")
	}
	if len(p.Candidates) > 1 {
		fmt.Fprintf(stdout, "  carriers: %s (todoku asks each and keeps the one that knows it; pin one with --carrier)\n", strings.Join(p.Candidates, ", "))
	} else {
		fmt.Fprintf(stdout, "  carrier: %s\n", strings.Join(p.Candidates, ", "))
	}
	return askReload(*cfgPath, stdout, stderr)
}

// cmdRemove removes a parcel from the config file, keeping the rest of it,
// then asks a running daemon to reload. Exit status: 0 removed, 1 not found
// or failed, 2 usage.
func cmdRemove(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("remove", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", config.DefaultPath(), "config file")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: todoku remove NUMBER [--config FILE]")
		fmt.Fprintln(stderr, "A config parcel is removed from the file; one added from a mail or the status page is removed from the database (its history stays).")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	number := strings.Join(pos, " ")
	if strings.TrimSpace(number) == "" {
		fs.Usage()
		return 2
	}
	if err := config.RemoveParcel(*cfgPath, number); err != nil {
		if errors.Is(err, config.ErrParcelNotFound) {
			// Not the config's: perhaps added from a mail or the page
			// (edit_owned.go).
			if code, done := removeOwned(*cfgPath, number, stdout, stderr); done {
				return code
			}
		}
		fmt.Fprintf(stderr, "todoku remove: %s\n", strings.TrimPrefix(err.Error(), "config: remove: "))
		return 1
	}
	fmt.Fprintf(stdout, "removed %s from %s\n", number, *cfgPath)
	return askReload(*cfgPath, stdout, stderr)
}

// askReload asks the daemon listening at the config's API address to
// reload. No daemon is not a failure: the edit applies at the next start.
func askReload(path string, stdout, stderr io.Writer) int {
	cfg, err := config.LoadFileWith(path, config.Options{SkipSecrets: true})
	if err != nil {
		fmt.Fprintf(stderr, "todoku: reload: %v\n", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), reloadTimeout)
	defer cancel()
	err = api.NewClient(cfg.API.Listen).Reload(ctx)
	switch {
	case err == nil:
		fmt.Fprintln(stdout, "the running daemon reloaded its config")
		return 0
	case errors.Is(err, api.ErrUnreachable):
		fmt.Fprintf(stdout, "no daemon is listening at %s: the change applies when todoku next starts, or on `systemctl reload todoku`\n", cfg.API.Listen)
		return 0
	case errors.Is(err, api.ErrReloadRejected):
		fmt.Fprintf(stderr, "todoku: the file is saved, but the running daemon refused it and keeps its old config: %v\n", err)
		return 1
	}
	fmt.Fprintf(stderr, "todoku: the file is saved, but asking the daemon to reload failed: %v\n(run `systemctl reload todoku`)\n", err)
	return 1
}

// trackable reports whether any candidate carrier has public tracking.
func trackable(id carriers.Identification) bool {
	for _, c := range id.Candidates {
		if c.Trackable {
			return true
		}
	}
	return false
}
