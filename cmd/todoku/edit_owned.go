package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/store"
)

// removeOwned removes a parcel the store owns (added from a mail or on
// the status page): through the running daemon, or in the database when
// no daemon runs. done is false when number is not such a parcel, so the
// caller reports the config's "not found".
func removeOwned(cfgPath, number string, stdout, stderr io.Writer) (code int, done bool) {
	cfg, err := config.LoadFileWith(cfgPath, config.Options{SkipSecrets: true})
	if err != nil {
		fmt.Fprintf(stderr, "todoku remove: %v\n", err)
		return 1, true
	}
	ctx, cancel := context.WithTimeout(context.Background(), reloadTimeout)
	defer cancel()
	res, err := api.NewClient(cfg.API.Listen).RemoveParcel(ctx, number)
	switch {
	case err == nil:
		printRemoved(stdout, res, "the running daemon")
		return 0, true
	case errors.Is(err, api.ErrNotFound), errors.Is(err, api.ErrConfigParcel):
		return 0, false
	case !errors.Is(err, api.ErrUnreachable):
		// An older daemon, or one that failed: the config's answer stands.
		fmt.Fprintf(stderr, "todoku remove: the running daemon did not remove it either: %v\n", err)
		return 0, false
	}
	// No daemon: the database, if it exists.
	if _, err := os.Stat(cfg.Database); errors.Is(err, os.ErrNotExist) {
		return 0, false
	}
	st, err := store.Open(cfg.Database, store.Options{LockTimeout: time.Second})
	if err != nil {
		fmt.Fprintf(stderr, "todoku remove: no daemon answers on %s and the database cannot be opened: %v\n", cfg.API.Listen, err)
		return 1, true
	}
	defer st.Close()
	n, _ := carriers.Normalize(number)
	o, ok, err := st.OwnedParcel(n)
	if err != nil {
		fmt.Fprintf(stderr, "todoku remove: %v\n", err)
		return 1, true
	}
	if !ok {
		return 0, false
	}
	removed, err := st.RemoveOwned(n, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "todoku remove: %v\n", err)
		return 1, true
	}
	// Untracked now, as the daemon's sync would (it leaves removed
	// parcels out when it next starts anyway).
	if err := st.UpdateParcel(n, func(p *store.Parcel, exists bool) error {
		if !exists || !p.Tracked {
			return store.ErrSkip
		}
		p.Tracked = false
		return nil
	}); err != nil {
		fmt.Fprintf(stderr, "todoku remove: %v\n", err)
		return 1, true
	}
	printRemoved(stdout, api.RemoveResult{Number: n, Origin: o.Origin, Removed: removed}, cfg.Database)
	return 0, true
}

func printRemoved(w io.Writer, r api.RemoveResult, where string) {
	from := map[string]string{api.OriginMail: "added from a mail", api.OriginPage: "added on the status page"}[r.Origin]
	if !r.Removed {
		fmt.Fprintf(w, "%s (%s) was removed already\n", r.Number, from)
		return
	}
	fmt.Fprintf(w, "removed %s (%s) through %s; its history stays in the database\n", r.Number, from, where)
}
