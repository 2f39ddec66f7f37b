package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/tracker"
)

func cmdTrack(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("track", flag.ContinueOnError)
	fs.SetOutput(stderr)
	carrierName := fs.String("carrier", "", "ask only this carrier ("+strings.Join(config.CarrierNames(), ", ")+"; dhl, fedex and ups need an API key in --config)")
	asJSON := fs.Bool("json", false, "print JSON")
	record := fs.String("record", "", "save every raw response (body and headers, personal data removed) into this directory")
	cfgPath := fs.String("config", "", "use this config's carrier endpoints and timeouts (advanced)")
	timeout := fs.Duration("timeout", 30*time.Second, "per-request timeout")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: todoku track [--carrier NAME] [--json] [--record DIR] NUMBER...")
		return 2
	}
	var rec *recorder
	if *record != "" {
		if err := os.MkdirAll(*record, 0o755); err != nil {
			fmt.Fprintln(stderr, "todoku track:", err)
			return 1
		}
		rec = &recorder{dir: *record}
	}
	reg, err := trackRegistry(*cfgPath, *timeout, rec)
	if err != nil {
		fmt.Fprintln(stderr, "todoku track:", err)
		return 1
	}
	if rec != nil {
		for _, a := range fs.Args() {
			id := carriers.Identify(a)
			if id.Number != "" {
				rec.secret = append(rec.secret, id.Number)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out []carriers.Result
	code := 0
	for _, arg := range fs.Args() {
		res, answered, err := trackOne(ctx, reg, arg, *carrierName)
		if err != nil {
			// The carriers that answered (not_found) stay in the JSON;
			// stderr names every carrier's outcome.
			out = append(out, answered...)
			fmt.Fprintf(stderr, "todoku track: %s: %v\n", arg, err)
			code = 1
			continue
		}
		out = append(out, res)
		if !*asJSON {
			printResult(stdout, res)
		}
	}
	if *asJSON {
		if out == nil {
			out = []carriers.Result{}
		}
		if c := writeJSON(stdout, stderr, out); c != 0 {
			return c
		}
	}
	if rec != nil {
		fmt.Fprintf(stderr, "saved %d responses in %s\n", rec.count(), *record)
	}
	return code
}

func trackRegistry(cfgPath string, timeout time.Duration, rec *recorder) (*carriers.Registry, error) {
	var recordFn func(carriers.Recording)
	if rec != nil {
		recordFn = rec.save
	}
	if cfgPath == "" {
		// Without a config the API carriers are not registered: their
		// numbers get "DHL: add an API key in the config".
		return all.Registry(carriers.Options{Timeout: timeout, Record: recordFn}, nil), nil
	}
	cfg, err := config.LoadFileWith(cfgPath, config.Options{SkipSecrets: true})
	if err != nil {
		return nil, err
	}
	return daemon.Registry(cfg, carriers.NewHTTPClient(), recordFn)
}

// trackOne asks the pinned carrier, or each candidate in rank order until
// one knows the number, and returns that carrier's result. When none
// knows it, the result is a carrier's not_found only if every candidate
// answered: if any could not be asked (a fetch failure, a changed
// layout), not_found would hide that, so trackOne returns an error naming
// each carrier's outcome, with the not_found results of the carriers that
// did answer.
func trackOne(ctx context.Context, reg *carriers.Registry, arg, pinned string) (carriers.Result, []carriers.Result, error) {
	id := carriers.Identify(arg)
	if id.Kind != carriers.KindTracking {
		return carriers.Result{}, nil, errors.New(id.Error)
	}
	cands := id.Carriers()
	if pinned != "" {
		cands = []string{pinned}
	}
	var (
		answered  []carriers.Result
		outcomes  []string
		failed    []error
		untracked error // a carrier with no public tracking (Amazon): an answer, not a failure
	)
	var unregistered []string // API carriers without a key
	for _, name := range cands {
		c, err := reg.Get(name)
		if err != nil {
			if !slices.Contains(config.CarrierNames(), name) {
				return carriers.Result{}, nil, err // --carrier with a wrong name
			}
			unregistered = append(unregistered, name)
			outcomes = append(outcomes, tracker.MissingKey(name))
			continue
		}
		res, err := c.Track(ctx, []string{id.Number})
		switch {
		case errors.Is(err, carriers.ErrNotTrackable):
			untracked = err
			outcomes = append(outcomes, fmt.Sprintf("%s: no public tracking", name))
			continue
		case err != nil:
			failed = append(failed, err)
			outcomes = append(outcomes, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		if res[0].Found {
			return res[0], nil, nil
		}
		answered = append(answered, res[0])
		outcomes = append(outcomes, fmt.Sprintf("%s: %s", name, res[0].Status))
	}
	switch {
	case len(unregistered) == len(cands):
		// Never "not found": nobody who could know it was asked.
		return carriers.Result{}, nil, errors.New(tracker.MissingKey(unregistered...))
	case len(failed) == 0 && len(answered) > 0 && len(unregistered) > 0:
		// Not found by the carriers asked: not "not found", since the
		// ones without a key were not asked.
		return carriers.Result{}, answered, &trackError{outcomes: outcomes}
	case len(failed) == 0 && len(answered) > 0:
		return answered[len(answered)-1], nil, nil
	case len(failed) == 0 && untracked != nil && len(unregistered) == 0:
		return carriers.Result{}, nil, untracked
	case len(cands) == 1 && len(failed) == 1:
		return carriers.Result{}, nil, failed[0]
	}
	return carriers.Result{}, answered, &trackError{outcomes: outcomes, errs: failed}
}

// trackError says that no candidate found a number and that some could
// not be asked: each carrier's outcome, one per line.
type trackError struct {
	outcomes []string
	errs     []error
}

func (e *trackError) Error() string {
	return "no carrier found it, but not every carrier could be asked:\n  " + strings.Join(e.outcomes, "\n  ")
}

// Unwrap lets errors.Is see the carriers' errors (transient, layout).
func (e *trackError) Unwrap() []error { return e.errs }

func printResult(w io.Writer, r carriers.Result) {
	fmt.Fprintf(w, "%s  %s  %s", carriers.Display(r.Carrier, r.Number), r.Carrier, r.Status)
	if r.Reason != "" {
		fmt.Fprintf(w, " (%s)", r.Reason)
	}
	fmt.Fprintln(w)
	if r.Degraded {
		fmt.Fprintln(w, "  (the page layout changed: this was read from the page text, without the layout)")
	}
	for _, e := range r.Events {
		fmt.Fprintf(w, "  %-16s  %-28s %s\n", eventTime(e.Time), e.Raw, e.Location)
	}
	if !r.Office.IsZero() {
		fmt.Fprintf(w, "  office: %s %s\n", r.Office.Name, r.Office.Phone)
	}
}

// eventTime shows an event's time for people, or "(no date)" when the
// page gave none (JSON keeps the zero time: it is valid RFC 3339).
func eventTime(t time.Time) string {
	if t.IsZero() {
		return "(no date)"
	}
	return t.Format("2006-01-02 15:04")
}

// recorder saves raw responses for `track --record`, with the tracking
// numbers asked and postal codes replaced by zeros, and cookies dropped.
// Telephone numbers are kept (a result page shows the handling office's,
// which the parsers read); look a recording over before sharing it.
type recorder struct {
	dir    string
	secret []string
	mu     sync.Mutex
	n      int
}

// postal matches a postal code, 123-4567, optionally after 〒; redactPostal
// decides from its neighbours whether a match is one.
var postal = regexp.MustCompile(`(〒\s?)?\d{3}-\d{4}`)

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

func (r *recorder) save(rc carriers.Recording) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.n++
	base := filepath.Join(r.dir, fmt.Sprintf("%s-%s-%02d", rc.Carrier, time.Now().Format("20060102-150405"), r.n))
	body := redact(rc.Body, r.secret)
	if err := os.WriteFile(base+".html", body, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "todoku track: record:", err)
		return
	}
	var hb bytes.Buffer
	fmt.Fprintf(&hb, "%s %s\nstatus: %d\n", rc.Method, redactString(rc.URL, r.secret), rc.Status)
	keys := make([]string, 0, len(rc.Header))
	for k := range rc.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.EqualFold(k, "Set-Cookie") || strings.EqualFold(k, "Cookie") {
			continue
		}
		fmt.Fprintf(&hb, "%s: %s\n", k, strings.Join(rc.Header[k], ", "))
	}
	meta := map[string]any{"recorded": time.Now().Format(time.RFC3339), "note": "tracking numbers replaced by 0s; postal codes by 000-0000; phone numbers kept"}
	mb, _ := json.Marshal(meta)
	hb.Write(mb)
	hb.WriteString("\n")
	if err := os.WriteFile(base+".headers.txt", hb.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "todoku track: record:", err)
	}
}

// redact replaces each secret number (plain and 4-4-4 forms) with zeros
// of the same shape, and postal codes with 000-0000 (see redactPostal). Pages in Shift_JIS
// keep their bytes: numbers and postal codes are ASCII in every encoding.
func redact(body []byte, secrets []string) []byte {
	s := redactString(string(body), secrets)
	return []byte(s)
}

func redactString(s string, secrets []string) string {
	for _, n := range secrets {
		zero := strings.Repeat("0", len(n))
		s = strings.ReplaceAll(s, n, zero)
		if len(n) == 12 {
			s = strings.ReplaceAll(s, n[:4]+"-"+n[4:8]+"-"+n[8:], "0000-0000-0000")
		}
	}
	return redactPostal(s)
}

// redactPostal replaces postal codes with 000-0000: a 123-4567 after 〒,
// or one standing alone, with neither a digit nor a hyphen on either
// side. Part of a longer digit-hyphen run (TEL:03-3799-8666,
// 0120-123-4567, 1234-5678-9012) is not a postal code and is kept.
func redactPostal(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range postal.FindAllStringSubmatchIndex(s, -1) {
		start, end := m[0], m[1]
		digits := start
		if m[2] >= 0 {
			digits = m[3] // after 〒 and its space
		} else if start > 0 && digitOrHyphen(s[start-1]) || end < len(s) && digitOrHyphen(s[end]) {
			continue
		}
		if m[2] >= 0 && end < len(s) && digitOrHyphen(s[end]) {
			continue // 〒123-45678: not a postal code either
		}
		b.WriteString(s[last:digits])
		b.WriteString("000-0000")
		last = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// digitOrHyphen reports whether c is an ASCII digit or hyphen.
func digitOrHyphen(c byte) bool { return c == '-' || c >= '0' && c <= '9' }
