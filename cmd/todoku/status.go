package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/text/width"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// viewer answers list/show: from the running daemon through its API, or
// straight from the database when no daemon holds it.
type viewer struct {
	client *api.Client
	views  *daemon.Views
	close  func()
	loc    *time.Location // the config's time zone, for printing times
}

func openViewer(ctx context.Context, cfgPath string, stderr io.Writer) (*viewer, error) {
	cfg, err := config.LoadFileWith(cfgPath, config.Options{SkipSecrets: true})
	if err != nil {
		return nil, err
	}
	c := api.NewClient(cfg.API.Listen)
	hctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	_, herr := c.Health(hctx)
	cancel()
	if herr == nil {
		return &viewer{client: c, close: func() {}, loc: cfg.Location}, nil
	}
	if !errors.Is(herr, api.ErrUnreachable) {
		return nil, herr
	}
	st, err := store.Open(cfg.Database, store.Options{ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("no daemon answers on %s and the database cannot be read: %w", cfg.API.Listen, err)
	}
	rt, err := daemon.Runtime(cfg, daemon.RuntimeOptions{Notifier: notify.NewConsole(io.Discard, false)})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &viewer{views: &daemon.Views{Store: st, Composer: rt.Composer, Now: time.Now}, close: func() { st.Close() }, loc: cfg.Location}, nil
}

func (v *viewer) parcels(ctx context.Context) ([]api.ParcelView, error) {
	if v.client != nil {
		return v.client.Parcels(ctx)
	}
	return v.views.Parcels(ctx)
}

func (v *viewer) parcel(ctx context.Context, number string) (api.ParcelView, error) {
	if v.client != nil {
		return v.client.Parcel(ctx, number)
	}
	p, ok, err := v.views.Parcel(ctx, number)
	if err == nil && !ok {
		err = fmt.Errorf("no parcel %s in the database", number)
	}
	return p, err
}

func cmdList(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", config.DefaultPath(), "config file")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx := context.Background()
	v, err := openViewer(ctx, *cfgPath, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "todoku list:", err)
		return 1
	}
	defer v.close()
	ps, err := v.parcels(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "todoku list:", err)
		return 1
	}
	if *asJSON {
		return writeJSON(stdout, stderr, ps)
	}
	if len(ps) == 0 {
		fmt.Fprintln(stdout, "no parcels yet: add one with `todoku add NUMBER --label TEXT`")
		return 0
	}
	rows := [][]string{{"NUMBER", "CARRIER", "LABEL", "FROM", "STATE", "LAST EVENT", "CALL"}}
	for _, p := range ps {
		last := "-"
		if p.LastEvent != nil {
			last = p.LastEvent.Time.In(v.loc).Format("01-02 15:04") + " " + p.LastEvent.Raw
		}
		call := "-"
		if p.Call != nil {
			call = p.Call.Number + " " + p.Call.OpenText
		}
		state := p.StatusText
		if !p.Tracked {
			state += " (not in config)"
		}
		if p.PollNote != "" {
			state += " — " + p.PollNote
		}
		from := p.Origin // config, mail or page
		if from == "" {
			from = "-"
		}
		rows = append(rows, safeRow(p.Display, p.CarrierName, p.Label, from, state, last, call))
	}
	writeTable(stdout, rows)
	return 0
}

// writeTable prints rows in columns padded by display width: Japanese
// (wide) characters take two cells on a terminal, which text/tabwriter
// does not know.
func writeTable(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

// displayWidth is how many terminal cells s takes.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

func cmdShow(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", config.DefaultPath(), "config file")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: todoku show [--json] NUMBER")
		return 2
	}
	ctx := context.Background()
	v, err := openViewer(ctx, *cfgPath, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "todoku show:", err)
		return 1
	}
	defer v.close()
	p, err := v.parcel(ctx, pos[0])
	if err != nil {
		fmt.Fprintln(stderr, "todoku show:", err)
		return 1
	}
	if *asJSON {
		return writeJSON(stdout, stderr, p)
	}
	p = safeView(p)
	fmt.Fprintf(stdout, "%s  %s  %s\n", p.Display, p.CarrierName, p.Label)
	fmt.Fprintf(stdout, "state:     %s\n", p.StatusText)
	if p.Call != nil {
		fmt.Fprintf(stdout, "call:      %s (%s) %s %s\n", p.Call.Number, p.Call.Who, p.Call.Hours, p.Call.OpenText)
	}
	if p.URL != "" {
		fmt.Fprintf(stdout, "link:      %s\n", p.URL)
	}
	switch {
	case p.PollNote != "":
		// A paused carrier: not a poll time in the past, but why and when.
		fmt.Fprintf(stdout, "next poll: %s\n", p.PollNote)
	case !p.NextPoll.IsZero():
		fmt.Fprintf(stdout, "next poll: %s\n", p.NextPoll.In(v.loc).Format("2006-01-02 15:04 MST"))
	}
	if p.LastError != "" {
		fmt.Fprintf(stdout, "error:     %s\n", p.LastError)
	}
	fmt.Fprintln(stdout, "history:")
	if len(p.History) == 0 {
		fmt.Fprintln(stdout, "  (none yet)")
	}
	for _, e := range p.History {
		fmt.Fprintf(stdout, "  %s  %-28s %s\n", e.Time.In(v.loc).Format("2006-01-02 15:04 MST"), e.Raw, e.Location)
	}
	return 0
}

func cmdBackup(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", config.DefaultPath(), "config file")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: todoku backup FILE")
		return 2
	}
	dst := pos[0]
	if err := checkBackupDest(dst); err != nil {
		fmt.Fprintln(stderr, "todoku backup:", err)
		return 1
	}
	cfg, err := config.LoadFileWith(*cfgPath, config.Options{SkipSecrets: true})
	if err != nil {
		fmt.Fprintln(stderr, "todoku backup:", err)
		return 1
	}
	ctx := context.Background()
	c := api.NewClient(cfg.API.Listen)
	if _, err := c.Health(ctx); err == nil {
		n, err := backupVia(ctx, c, dst)
		if err != nil {
			fmt.Fprintln(stderr, "todoku backup:", err)
			return 1
		}
		fmt.Fprintf(stdout, "wrote %d bytes to %s (hot backup through the running daemon)\n", n, dst)
		return 0
	}
	st, err := store.Open(cfg.Database, store.Options{ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		fmt.Fprintln(stderr, "todoku backup:", err)
		return 1
	}
	defer st.Close()
	if err := st.BackupFile(dst); err != nil {
		fmt.Fprintln(stderr, "todoku backup:", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s (no daemon running: copied the database directly)\n", dst)
	return 0
}

// backupVia streams the daemon's backup into a temporary file beside dst,
// then renames it into place.
func backupVia(ctx context.Context, c *api.Client, dst string) (int64, error) {
	tmp, err := os.CreateTemp(dirOf(dst), ".todoku-backup-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	n, err := c.Backup(ctx, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return 0, err
	}
	return n, os.Rename(tmp.Name(), dst)
}

func dirOf(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[:i+1]
	}
	return "."
}

func writeJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintln(stderr, "todoku:", err)
		return 1
	}
	return 0
}
