package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/japanpost"
	"github.com/todoku/todoku/carriers/sagawa"
	"github.com/todoku/todoku/carriers/yamato"
)

// parsers are the adapters' pure page parsers.
var parsers = map[string]func(io.Reader, time.Time) ([]carriers.Result, error){
	"yamato":    yamato.Parse,
	"japanpost": japanpost.Parse,
	"sagawa":    sagawa.Parse,
}

// cmdParse exits 0 on success, 3 when the page layout is not recognised
// and 1 on other errors.
func cmdParse(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("carrier", "", "the carrier whose page this is (yamato, japanpost, sagawa)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || *name == "" {
		fmt.Fprintln(stderr, "usage: todoku parse --carrier NAME [--json] FILE")
		return 2
	}
	parse, ok := parsers[*name]
	if !ok {
		fmt.Fprintf(stderr, "todoku parse: carrier %q has no result page to parse (known: yamato, japanpost, sagawa)\n", *name)
		return 1
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "todoku parse:", err)
		return 1
	}
	defer f.Close()
	res, err := parse(f, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "todoku parse: %s: %v\n", fs.Arg(0), err)
		if errors.Is(err, carriers.ErrLayoutChanged) {
			return 3
		}
		return 1
	}
	if *asJSON {
		if res == nil {
			res = []carriers.Result{}
		}
		return writeJSON(stdout, stderr, res)
	}
	for _, r := range res {
		printResult(stdout, r)
	}
	return 0
}
