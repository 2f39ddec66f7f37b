package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// cmdRepair copies every readable bucket and key of a damaged database
// into a new file: todoku repair SRC DST.
func cmdRepair(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("repair", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 2 {
		fmt.Fprintln(stderr, "usage: todoku repair DAMAGED.db NEW.db   (stop the daemon first; DAMAGED.db is only read)")
		return 2
	}
	src, dst := pos[0], pos[1]
	rep, err := store.Repair(src, dst)
	if err != nil {
		fmt.Fprintln(stderr, "todoku repair:", err)
		return 1
	}
	lost := false
	for _, b := range rep.Buckets {
		fmt.Fprintln(stdout, "  "+notify.TerminalSafe(b.String(), false))
		lost = lost || b.Lost()
	}
	if rep.Short > 0 {
		fmt.Fprintf(stdout, "the file is truncated: %d bytes are missing, with whatever they held\n", rep.Short)
	}
	if rep.Older {
		fmt.Fprintln(stdout, "some of it came from the transaction before the last one: the very last change may be missing")
	}
	switch {
	case lost:
		fmt.Fprintf(stdout, "wrote %s with everything that could be read; the parts listed as unreadable are lost.\n", dst)
	default:
		fmt.Fprintf(stdout, "wrote %s: everything could be read.\n", dst)
	}
	fmt.Fprintf(stdout, "To use it: stop todoku, keep %s aside, move %s into its place, start todoku.\n", src, dst)
	return 0
}

// checkBackupDest refuses a backup destination that exists and is not a
// regular file (a device such as /dev/full, a directory, a symbolic
// link): the backup is renamed into place and would replace it.
func checkBackupDest(dst string) error {
	fi, err := os.Lstat(dst)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s exists and is not a regular file (%s): name a new file or an old backup", dst, kindOf(fi.Mode()))
	}
	return nil
}

func kindOf(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeSymlink != 0:
		return "a symbolic link"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}

// safeRow makes table cells from carrier pages inert on a terminal.
func safeRow(cells ...string) []string {
	for i, c := range cells {
		cells[i] = notify.TerminalSafe(c, false)
	}
	return cells
}

// safeView makes the text fields `todoku show` prints inert on a
// terminal: the carrier's words, places and office come from its pages.
func safeView(p api.ParcelView) api.ParcelView {
	s := func(v *string) { *v = notify.TerminalSafe(*v, false) }
	for _, f := range []*string{&p.Display, &p.CarrierName, &p.Label, &p.StatusText, &p.URL, &p.LastError, &p.Office, &p.PollNote, &p.Origin, &p.Source} {
		s(f)
	}
	if p.Call != nil {
		c := *p.Call
		for _, f := range []*string{&c.Number, &c.Who, &c.Hours, &c.OpenText} {
			s(f)
		}
		p.Call = &c
	}
	h := make([]api.EventView, len(p.History))
	for i, e := range p.History {
		s(&e.Raw)
		s(&e.Location)
		h[i] = e
	}
	p.History = h
	return p
}
