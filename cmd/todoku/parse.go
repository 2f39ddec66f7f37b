package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
)

// cmdParse parses saved result pages (`todoku track --record` writes them)
// with a carrier's parser. With several FILEs, every file is parsed; --json
// prints one array holding the results of all of them. It exits 0 when
// every page parsed, 3 when any page's layout is not recognised, 1 on
// other errors and 2 on a usage error.
func cmdParse(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("carrier", "", "the carrier whose pages these are (yamato, japanpost, sagawa, seino, fukuyama), or whose saved API answers (JSON) these are (dhl, fedex, ups)")
	asJSON := fs.Bool("json", false, "print JSON: one array with the results of every file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 || *name == "" {
		fmt.Fprintln(stderr, "usage: todoku parse --carrier NAME [--json] FILE...")
		return 2
	}
	parsers := all.Parsers()
	for n, p := range all.APIParsers() { // saved JSON answers of DHL, FedEx, UPS
		parsers[n] = p
	}
	parse, ok := parsers[*name]
	if !ok {
		known := make([]string, 0, len(parsers))
		for n := range parsers {
			known = append(known, n)
		}
		slices.Sort(known)
		fmt.Fprintf(stderr, "todoku parse: carrier %q has no result page to parse (known: %s)\n", *name, strings.Join(known, ", "))
		return 1
	}
	now := time.Now()
	out := []carriers.Result{}
	code := 0
	for _, file := range fs.Args() {
		res, err := parseFile(parse, file, now)
		if err != nil {
			if perr := (*iofs.PathError)(nil); errors.As(err, &perr) {
				fmt.Fprintln(stderr, "todoku parse:", err) // names the file already
			} else {
				fmt.Fprintf(stderr, "todoku parse: %s: %v\n", file, err)
			}
			switch {
			case errors.Is(err, carriers.ErrLayoutChanged):
				code = 3
			case code == 0:
				code = 1
			}
			continue
		}
		out = append(out, res...)
		if !*asJSON {
			if fs.NArg() > 1 {
				fmt.Fprintf(stdout, "%s:\n", file)
			}
			for _, r := range res {
				printResult(stdout, r)
			}
		}
	}
	if *asJSON {
		if c := writeJSON(stdout, stderr, out); c != 0 {
			return c
		}
	}
	return code
}

// parseFile parses one saved page.
func parseFile(parse func(io.Reader, time.Time) ([]carriers.Result, error), file string, now time.Time) ([]carriers.Result, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parse(f, now)
}
