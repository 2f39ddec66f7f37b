package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/daemon"
)

// doctorNumbers are valid-looking numbers (right length, right check
// digit) that are very unlikely to be in use: a carrier should answer
// "not found" for them, which proves todoku can reach it, talk TLS with
// it and recognise its not-found page.
var doctorNumbers = map[string]string{
	"yamato":    "100000000004",
	"sagawa":    "100000000004",
	"japanpost": "100000000004",
}

// connLog remembers the last response's TLS state and HTTP status for
// one carrier, as seen by the carrier's client.
type connLog struct {
	base http.RoundTripper
	mu   sync.Mutex
	tls  *tls.ConnectionState
	code int
}

func (c *connLog) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(req)
	if err == nil {
		c.mu.Lock()
		c.tls, c.code = resp.TLS, resp.StatusCode
		c.mu.Unlock()
	}
	return resp, err
}

func (c *connLog) last() (*tls.ConnectionState, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tls, c.code
}

func (c *connLog) reset() {
	c.mu.Lock()
	c.tls, c.code = nil, 0
	c.mu.Unlock()
}

func cmdDoctor(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	only := fs.String("carrier", "", "check only this carrier")
	record := fs.String("record", "", "save each carrier's response (personal data removed) into this directory")
	cfgPath := fs.String("config", "", "use this config's carrier endpoints and timeouts")
	timeout := fs.Duration("timeout", 30*time.Second, "per-request timeout")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: todoku doctor [--carrier NAME] [--record DIR] [--config FILE]")
		return 2
	}
	var rec *recorder
	if *record != "" {
		if err := os.MkdirAll(*record, 0o755); err != nil {
			fmt.Fprintln(stderr, "todoku doctor:", err)
			return 1
		}
		rec = &recorder{dir: *record}
	}
	client := carriers.NewHTTPClient()
	defer client.CloseIdleConnections()
	cl := &connLog{base: client.Transport}
	client.Transport = cl
	var recordFn func(carriers.Recording)
	if rec != nil {
		recordFn = rec.save
	}
	var reg *carriers.Registry
	if *cfgPath != "" {
		cfg, err := config.LoadFileWith(*cfgPath, config.Options{SkipSecrets: true})
		if err != nil {
			fmt.Fprintln(stderr, "todoku doctor:", err)
			return 1
		}
		if reg, err = daemon.Registry(cfg, client, recordFn); err != nil {
			fmt.Fprintln(stderr, "todoku doctor:", err)
			return 1
		}
	} else {
		reg = all.Registry(carriers.Options{Client: client, Timeout: *timeout, Record: recordFn}, nil)
	}
	names := reg.Names()
	if *only != "" {
		if _, err := reg.Get(*only); err != nil {
			fmt.Fprintf(stderr, "todoku doctor: %v\n", err)
			return 2
		}
		names = []string{*only}
	}
	failed := 0
	for _, name := range names {
		number, ok := doctorNumbers[name]
		if !ok {
			continue // no public page to check (Amazon) or no test number known
		}
		if rec != nil {
			rec.secret = []string{number}
		}
		c, _ := reg.Get(name)
		cl.reset()
		ctx, cancel := context.WithTimeout(context.Background(), *timeout+5*time.Second)
		res, err := c.Track(ctx, []string{number})
		cancel()
		state, code := cl.last()
		verdict, ok := doctorVerdict(res, err)
		if !ok {
			failed++
		}
		fmt.Fprintf(stdout, "%-10s %s\n", name, verdict)
		fmt.Fprintf(stdout, "           tls:  %s\n", tlsLine(state, code))
		if code != 0 {
			fmt.Fprintf(stdout, "           http: %d %s\n", code, http.StatusText(code))
		}
	}
	if rec != nil {
		fmt.Fprintf(stderr, "saved %d responses in %s: please attach them to a bug report\n", rec.count(), *record)
	}
	if failed > 0 {
		fmt.Fprintf(stdout, "%d carrier(s) failed: run with --record DIR and send the recording with a bug report\n", failed)
		return 1
	}
	return 0
}

// doctorVerdict says what one check found, and whether it passed.
func doctorVerdict(res []carriers.Result, err error) (string, bool) {
	var le *carriers.LayoutError
	switch {
	case errors.Is(err, carriers.ErrTLSHandshake):
		return fmt.Sprintf("FAIL  TLS handshake failed: %v", err), false
	case errors.As(err, &le):
		return fmt.Sprintf("FAIL  page layout not recognised: %s missing", le.Missing), false
	case err != nil:
		return fmt.Sprintf("FAIL  %v", err), false
	case len(res) != 1:
		return fmt.Sprintf("FAIL  %d results for one number", len(res)), false
	case res[0].Degraded:
		return "FAIL  page layout changed: read only by the text reader (status " + string(res[0].Status) + ")", false
	case !res[0].Found:
		return "ok    not found recognised", true
	}
	return fmt.Sprintf("ok    the test number is in use (%s): the page was read", res[0].Status), true
}

// tlsLine describes the connection of the last response.
func tlsLine(st *tls.ConnectionState, code int) string {
	switch {
	case st != nil:
		return fmt.Sprintf("%s, %s", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite))
	case code != 0:
		return "none (plain http)"
	}
	return "no response"
}
