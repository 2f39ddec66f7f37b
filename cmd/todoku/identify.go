package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/todoku/todoku/carriers"
)

// identifyFinding is one finding of `todoku identify --json`.
type identifyFinding struct {
	Input       string   `json:"input"`
	Number      string   `json:"number"`
	Display     string   `json:"display"`
	Kind        string   `json:"kind"`
	Carriers    []string `json:"carriers"`
	Corrections []string `json:"corrections"`
	Error       string   `json:"error"`
}

// cmdIdentify implements `todoku identify [--json] TEXT...`. Each TEXT
// is a tracking number or free text holding numbers (a pasted shipping
// e-mail); every number found is identified, in input order, with its
// candidates ranked by the carriers and shops the TEXT names near it
// (carriers.ExtractContext: "DHL Express / Tracking number: 3318810025"
// puts dhl first). The human output says which words ranked it; the JSON
// output keeps its seven fields, the ranking showing in "carriers". A TEXT in
// which nothing is found yields one finding: a single token is identified
// as a whole (usually invalid, with the reason), anything longer is
// invalid because no tracking number was found in it. It exits 0 when at least one
// finding is a tracking number, 1 when none is, and 2 on a usage error.
func cmdIdentify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("identify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON array with one object per finding")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: todoku identify [--json] TEXT...")
		fmt.Fprintln(fs.Output(), "Each TEXT is a tracking number or text containing numbers, such as a pasted shipping e-mail.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}

	var found []carriers.Found
	for _, text := range fs.Args() {
		found = append(found, identifyText(text)...)
	}

	if *asJSON {
		if err := writeIdentifyJSON(stdout, found); err != nil {
			fmt.Fprintf(stderr, "todoku identify: write json: %v\n", err)
			return 1
		}
	} else {
		for _, id := range found {
			fmt.Fprintln(stdout, identifyLine(id))
		}
	}
	for _, id := range found {
		if id.Kind == carriers.KindTracking {
			return 0
		}
	}
	return 1
}

// errNoneInText is the reason given for a TEXT of several words in which
// Extract finds nothing.
const errNoneInText = "no tracking number was found in the text"

// identifyText returns the findings in one TEXT argument: what
// ExtractContext finds, or else, for a TEXT that is a single token, that
// token identified as one number (with Identify's reason when it is not
// one). A TEXT of several words in which ExtractContext finds nothing is
// one invalid finding: Identify would strip its words and labels, and a
// number ExtractContext rules out on purpose (注文番号 123456789013) would
// come back as tracking.
func identifyText(text string) []carriers.Found {
	if found := carriers.ExtractContext(text); len(found) > 0 {
		return found
	}
	if t := strings.TrimSpace(text); t == "" || strings.IndexFunc(t, unicode.IsSpace) < 0 {
		return []carriers.Found{{Identification: carriers.Identify(text), End: len(text)}}
	}
	return []carriers.Found{{Identification: carriers.Identification{Input: text, Kind: carriers.KindInvalid, Error: errNoneInText}, End: len(text)}}
}

// writeIdentifyJSON prints the findings as one JSON array, with empty
// lists as [] rather than null.
func writeIdentifyJSON(w io.Writer, found []carriers.Found) error {
	out := make([]identifyFinding, 0, len(found))
	for _, id := range found {
		f := identifyFinding{
			Input:       id.Input,
			Number:      id.Number,
			Display:     id.Display(),
			Kind:        string(id.Kind),
			Carriers:    id.Carriers(),
			Corrections: id.Corrections,
			Error:       id.Error,
		}
		if f.Corrections == nil {
			f.Corrections = []string{}
		}
		out = append(out, f)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// identifyLine renders one finding for people: the number as the carrier
// prints it (or the input, when rejected), then the ranked candidates or
// the reason for the rejection, the carrier and shop names that ranked
// them, then any
// corrections.
func identifyLine(id carriers.Found) string {
	var b strings.Builder
	switch id.Kind {
	case carriers.KindTracking:
		b.WriteString(id.Display())
		b.WriteString("  ")
		b.WriteString(strings.Join(id.Carriers(), " > "))
		if len(id.Candidates) > 0 && !id.Candidates[0].Trackable {
			b.WriteString(" (no public tracking: follow it in the Amazon app or order history)")
		}
		if id.Suggestion != "" {
			fmt.Fprintf(&b, " (its check digit does not fit Yamato, Sagawa or Japan Post; for them it would be %s)", carriers.Display("", id.Suggestion))
		}
		if len(id.Evidence) > 0 {
			fmt.Fprintf(&b, "  (context: %s)", evidenceText(id.Evidence))
		}
	default:
		fmt.Fprintf(&b, "%s  %s: %s", oneLine(id.Input), id.Kind, id.Error)
		if id.Suggestion != "" {
			fmt.Fprintf(&b, " (if only the check digit is wrong, it would be %s)", carriers.Display("", id.Suggestion))
		}
	}
	if len(id.Corrections) > 0 {
		fmt.Fprintf(&b, "  [corrected: %s]", strings.Join(id.Corrections, "; "))
	}
	return b.String()
}

// evidenceText lists the words that ranked a finding: 「DHL」 nearby,
// 「楽天」 (shop) elsewhere in the text.
func evidenceText(ev []carriers.Evidence) string {
	parts := make([]string, 0, len(ev))
	for _, e := range ev {
		var p strings.Builder
		fmt.Fprintf(&p, "「%s」", oneLine(e.Word))
		if e.Shop != "" {
			p.WriteString(" (shop)")
		}
		if e.Near {
			p.WriteString(" nearby")
		} else {
			p.WriteString(" elsewhere in the text")
		}
		parts = append(parts, p.String())
	}
	return strings.Join(parts, ", ")
}

// oneLine shows an input on one line: white space collapsed, long text
// shortened, empty text as "".
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return `""`
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:57]) + "…"
	}
	return s
}
