package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/notify"
)

// localContacts adds what this installation knows: the config's contact
// overrides and the handling offices (with the phone their result page
// gave) of the parcels being tracked, from the daemon or the database.
// Without a readable config it returns nil: whois then works from the
// built-in data alone.
func localContacts(cfgPath string) []carriers.Contacts {
	cfg, err := config.LoadFileWith(cfgPath, config.Options{SkipSecrets: true})
	if err != nil {
		return nil
	}
	out := daemon.Contacts(cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v, err := openViewer(ctx, cfgPath, io.Discard)
	if err != nil {
		return out
	}
	defer v.close()
	ps, err := v.parcels(ctx)
	if err != nil {
		return out
	}
	for _, p := range ps {
		if p.Call == nil || p.Call.Hours != "" || p.Carrier == "" {
			continue // no office phone (a central number has hours)
		}
		out = append(out, carriers.Contacts{
			Carrier: p.Carrier, NameJA: p.CarrierName, NameEN: p.CarrierName,
			Phones: []carriers.Phone{{Number: p.Call.Number, Kind: carriers.PhoneAny, Label: p.Office,
				Source: "the carrier's result page for " + p.Display}},
		})
	}
	return out
}

// cmdWhois says who a phone number belongs to when the contact data lists
// it, and "unknown" otherwise; it always reminds the user that caller IDs
// can be spoofed. It exits 0 for a listed number, 1 for an unknown one and
// 2 on a usage error. The number may be split over several arguments.
func cmdWhois(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("whois", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := fs.String("lang", "ja", "language of the answer: ja or en")
	cfgPath := fs.String("config", config.DefaultPath(), "also search this installation's contact overrides and the offices handling its parcels")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	phone := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(phone) == "" || (*lang != "ja" && *lang != "en") {
		fmt.Fprintln(stderr, "usage: todoku whois [--lang ja|en] [--json] PHONE")
		return 2
	}
	contacts := localContacts(*cfgPath)
	if contacts == nil {
		contacts = append(all.Contacts(), all.APIContacts()...)
	}
	r := notify.Whois(contacts, phone)
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
