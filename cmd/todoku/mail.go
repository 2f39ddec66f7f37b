package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/mail"
)

// cmdMail shows what shipping e-mails would add, without adding anything:
// from message files (RFC 5322, as saved by a mail client: .eml; "-" is
// standard input), or with --imap --dry-run from the configured mailbox,
// read once over the look-back window without remembering anything. Exit
// status: 0 when at least one parcel is found, 1 when none, 2 when a file
// or the mailbox cannot be read (or on a usage error).
func cmdMail(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print a JSON array of {file, number, carriers, label, shop, subject, message_id}")
	useIMAP := fs.Bool("imap", false, "read the mailbox of the config's mail: section instead of files (needs --dry-run)")
	dry := fs.Bool("dry-run", false, "with --imap: only show what would be added (todoku mail never adds anything)")
	cfgPath := fs.String("config", "", "config file, with --imap (default "+config.DefaultPath()+")")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: todoku mail [--json] FILE.eml...")
		fmt.Fprintln(stderr, "       todoku mail --imap --dry-run [--json] [--config FILE]")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	var found []mail.Found
	code := 0
	switch {
	case *useIMAP && !*dry:
		fmt.Fprintln(stderr, "todoku mail: --imap needs --dry-run: mail-added parcels come from the daemon, this command only shows them")
		return 2
	case *useIMAP && len(files) > 0:
		fmt.Fprintln(stderr, "todoku mail: give either --imap or files, not both")
		return 2
	case *useIMAP:
		path := *cfgPath
		if path == "" {
			path = config.DefaultPath()
		}
		found, err = mailFromIMAP(path, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "todoku mail:", err)
			return 2
		}
	case len(files) == 0:
		fs.Usage()
		return 2
	default:
		for _, file := range files {
			f, err := mailFromFile(file)
			if err != nil {
				fmt.Fprintln(stderr, "todoku mail:", err)
				code = 2
				continue
			}
			found = append(found, f...)
		}
	}
	if found == nil {
		found = []mail.Found{}
	}
	if *asJSON {
		if c := writeJSON(stdout, stderr, found); c != 0 {
			return 2
		}
	} else {
		printFound(stdout, found)
	}
	switch {
	case code != 0:
		return code
	case len(found) == 0:
		return 1
	}
	return 0
}

// mailFromFile decodes one message file ("-": standard input).
func mailFromFile(file string) ([]mail.Found, error) {
	r := io.Reader(os.Stdin)
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	m, err := mail.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	found := mail.Find(m)
	for i := range found {
		found[i].File = file
	}
	return found, nil
}

// mailFromIMAP reads the configured mailbox once, remembering nothing.
func mailFromIMAP(path string, stderr io.Writer) ([]mail.Found, error) {
	// The Pushover secrets are not needed here (and may exist only inside
	// the service); the mail password is.
	cfg, err := config.LoadFileWith(path, config.Options{SkipSecrets: true})
	if err != nil {
		return nil, err
	}
	if cfg.Mail == nil {
		return nil, fmt.Errorf("%s has no mail: section", path)
	}
	if err := config.ResolveMailPassword(cfg); err != nil {
		return nil, err
	}
	var found []mail.Found
	collect := func(_ context.Context, f mail.Found) error {
		found = append(found, f)
		return nil
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	acct := mail.FromConfig(cfg.Mail)
	acct.Timeout = 5 * time.Minute // a dry run reads the whole window in one pass
	p, err := mail.NewPoller(acct, &mail.MemState{}, collect, logger)
	if err != nil {
		return nil, err
	}
	if err := p.Once(context.Background()); err != nil {
		return nil, err
	}
	return found, nil
}

// printFound prints one line a number: file, number, carriers, label.
func printFound(w io.Writer, found []mail.Found) {
	if len(found) == 0 {
		fmt.Fprintln(w, "no tracking numbers found")
		return
	}
	for _, f := range found {
		fmt.Fprintf(w, "%s: %s (%s) %s\n", f.File, f.Number, strings.Join(f.Carriers, ", "), oneLine(f.Label))
	}
}
