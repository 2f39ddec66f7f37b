package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/amazon"
	"github.com/todoku/todoku/carriers/japanpost"
	"github.com/todoku/todoku/carriers/sagawa"
	"github.com/todoku/todoku/carriers/yamato"
	"github.com/todoku/todoku/notify"
)

// whoisContacts is the contact data `todoku whois` searches: every
// carrier's phones and the numbers people are called or messaged from.
func whoisContacts() []carriers.Contacts {
	return []carriers.Contacts{yamato.Contacts(), japanpost.Contacts(), sagawa.Contacts(), amazon.Contacts()}
}

// cmdWhois says who a phone number belongs to when the contact data lists
// it, and "unknown" otherwise; it always reminds the user that caller IDs
// can be spoofed. It exits 0 for a listed number, 1 for an unknown one and
// 2 on a usage error. The number may be split over several arguments.
func cmdWhois(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("whois", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := fs.String("lang", "ja", "language of the answer: ja or en")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	phone := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(phone) == "" || (*lang != "ja" && *lang != "en") {
		fmt.Fprintln(stderr, "usage: todoku whois [--lang ja|en] [--json] PHONE")
		return 2
	}
	r := notify.Whois(whoisContacts(), phone)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(stderr, "todoku whois:", err)
			return 1
		}
	} else {
		fmt.Fprint(stdout, r.Text(*lang))
	}
	if !r.Known {
		return 1
	}
	return 0
}
