package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/daemon"
)

func cmdTrack(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("track", flag.ContinueOnError)
	fs.SetOutput(stderr)
	carrierName := fs.String("carrier", "", "ask only this carrier (yamato, japanpost, sagawa, amazon)")
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
		res, err := trackOne(ctx, reg, arg, *carrierName)
		if err != nil {
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
		return all.Registry(carriers.Options{Timeout: timeout, Record: recordFn}, nil), nil
	}
	cfg, err := config.LoadFileWith(cfgPath, config.Options{SkipSecrets: true})
	if err != nil {
		return nil, err
	}
	return daemon.Registry(cfg, &http.Client{}, recordFn)
}

// trackOne asks the pinned carrier, or each candidate in rank order until
// one knows the number.
func trackOne(ctx context.Context, reg *carriers.Registry, arg, pinned string) (carriers.Result, error) {
	id := carriers.Identify(arg)
	if id.Kind != carriers.KindTracking {
		return carriers.Result{}, errors.New(id.Error)
	}
	cands := id.Carriers()
	if pinned != "" {
		cands = []string{pinned}
	}
	var last carriers.Result
	var errs []error
	for _, name := range cands {
		c, err := reg.Get(name)
		if err != nil {
			return carriers.Result{}, err
		}
		res, err := c.Track(ctx, []string{id.Number})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		last = res[0]
		if last.Found {
			return last, nil
		}
	}
	if last.Carrier != "" {
		return last, nil
	}
	return carriers.Result{}, errors.Join(errs...)
}

func printResult(w io.Writer, r carriers.Result) {
	fmt.Fprintf(w, "%s  %s  %s", carriers.Display(r.Carrier, r.Number), r.Carrier, r.Status)
	if r.Reason != "" {
		fmt.Fprintf(w, " (%s)", r.Reason)
	}
	fmt.Fprintln(w)
	for _, e := range r.Events {
		fmt.Fprintf(w, "  %s  %-28s %s\n", e.Time.Format("2006-01-02 15:04"), e.Raw, e.Location)
	}
	if !r.Office.IsZero() {
		fmt.Fprintf(w, "  office: %s %s\n", r.Office.Name, r.Office.Phone)
	}
}

// recorder saves raw responses for `track --record`, with the tracking
// numbers asked, postal codes and phone-like strings outside the
// carrier's office lines replaced, and cookies dropped.
type recorder struct {
	dir    string
	secret []string
	mu     sync.Mutex
	n      int
}

var postal = regexp.MustCompile(`〒?\s?\d{3}-\d{4}`)

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
	meta := map[string]any{"recorded": time.Now().Format(time.RFC3339), "note": "tracking numbers replaced by 0s; postal codes by 000-0000"}
	mb, _ := json.Marshal(meta)
	hb.Write(mb)
	hb.WriteString("\n")
	if err := os.WriteFile(base+".headers.txt", hb.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "todoku track: record:", err)
	}
}

// redact replaces each secret number (plain and 4-4-4 forms) with zeros
// of the same shape, and postal codes with 000-0000. Pages in Shift_JIS
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
	return postal.ReplaceAllString(s, "000-0000")
}
