// Package carriertest is the conformance suite every carrier adapter runs.
//
// An adapter's test calls [Suite.Run]. The suite checks that every page in
// the adapter's testdata parses to its golden output, that empty and
// garbage input give an error and never a panic (and half a page at most
// less than the whole), that real pages in an old layout give a layout
// error, that perturbed copies of every page (see [Perturbations]) give the
// same results or a layout error and never another answer, that the
// layout-free text reader agrees with the structured one on every page,
// and — against an httptest server that
// renders pages with the adapter's [fake.Site] — that fetching honours
// batching, cancelled contexts, 429 with Retry-After, 503, timeouts,
// oversized bodies and maintenance pages.
package carriertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the golden files of carrier testdata")

// Suite describes one adapter to the conformance tests.
type Suite struct {
	// Carrier is the registry name.
	Carrier string
	// New builds the adapter with opts; opts.BaseURL points at the test server.
	New func(opts carriers.Options) carriers.Carrier
	// Parse is the adapter's pure parser, with a fixed clock.
	Parse func(r io.Reader) ([]carriers.Result, error)
	// Testdata is the folder holding *.html pages and their *.golden.json.
	Testdata string
	// Site renders pages for the test server; nil skips the fetch tests.
	Site fake.Site
	// Numbers are valid numbers for the carrier, at least BatchSize of them.
	Numbers []string
	// Old lists real pages in an old layout, which must give a layout
	// error, as paths under ../shared/fixtures/carriers (read in place;
	// only this part of the suite skips when ../shared is absent).
	Old []string
	// TextParse is the adapter's layout-free text reader alone (its
	// ParseText with the numbers the page is about). On every test page
	// whose structured reading has a history, it must give the same
	// status for every number. Nil skips that check.
	TextParse func(r io.Reader) ([]carriers.Result, error)
	// MinSame is the share of perturbed pages that must give exactly the
	// structured reading's results; 0 means 0.95.
	MinSame float64
	// Rows are the history the fetch tests' pages show, in the carrier's
	// own words, ending in a step that means in_transit; nil uses a
	// Yamato/Sagawa-style 荷物受付 → 輸送中.
	Rows []fake.Row
}

// Golden is the content of a *.golden.json file.
type Golden struct {
	// Error is "", "layout", "transient" or "error".
	Error   string            `json:"error,omitempty"`
	Results []carriers.Result `json:"results,omitempty"`
}

// ErrorKind classifies err for golden files.
func ErrorKind(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, carriers.ErrLayoutChanged):
		return "layout"
	case errors.Is(err, carriers.ErrTransient):
		return "transient"
	}
	return "error"
}

// Run runs the whole suite.
func (s Suite) Run(t *testing.T) {
	t.Run("golden", s.testGolden)
	t.Run("bad_input", s.testBadInput)
	t.Run("old_layout", s.testOldLayout)
	t.Run("perturbed", s.testPerturbed)
	if s.TextParse != nil {
		t.Run("text_reader", s.testTextReader)
	}
	if s.Site != nil {
		t.Run("render_roundtrip", s.testRoundTrip)
		t.Run("fetch", s.testFetch)
	}
}

func (s Suite) pages(t *testing.T) []string {
	t.Helper()
	pages, err := filepath.Glob(filepath.Join(s.Testdata, "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatalf("no *.html pages in %s", s.Testdata)
	}
	return pages
}

func (s Suite) parseFile(t *testing.T, path string) ([]carriers.Result, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return s.Parse(bytes.NewReader(data))
}

func (s Suite) testGolden(t *testing.T) {
	for _, page := range s.pages(t) {
		name := filepath.Base(page)
		t.Run(name, func(t *testing.T) {
			res, err := s.parseFile(t, page)
			got := Golden{Error: ErrorKind(err)}
			if err == nil {
				got.Results = res
				checkResults(t, s.Carrier, res)
			}
			gotJSON, jerr := json.MarshalIndent(got, "", "  ")
			if jerr != nil {
				t.Fatal(jerr)
			}
			gotJSON = append(gotJSON, '\n')
			golden := strings.TrimSuffix(page, ".html") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, gotJSON, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, rerr := os.ReadFile(golden)
			if rerr != nil {
				t.Fatalf("read golden (run go test -update to create it): %v", rerr)
			}
			if !bytes.Equal(gotJSON, want) {
				t.Errorf("%s: parse output differs from %s (err=%v)\n got: %s\nwant: %s", name, filepath.Base(golden), err, gotJSON, want)
			}
		})
	}
}

// checkResults asserts the invariants of the canonical model.
func checkResults(t *testing.T, carrier string, res []carriers.Result) {
	t.Helper()
	for _, r := range res {
		if r.Carrier != carrier {
			t.Errorf("%s: carrier %q, want %q", r.Number, r.Carrier, carrier)
		}
		if !r.Status.Valid() || !r.Reason.Valid() {
			t.Errorf("%s: invalid status/reason %q/%q", r.Number, r.Status, r.Reason)
		}
		if !r.Found && r.Status != carriers.StatusNotFound {
			t.Errorf("%s: not found but status %q", r.Number, r.Status)
		}
		if r.Found && r.Status == carriers.StatusNotFound {
			t.Errorf("%s: found but status not_found", r.Number)
		}
		for i, e := range r.Events {
			if !e.Status.Valid() || !e.Reason.Valid() {
				t.Errorf("%s: event %d: invalid status/reason %q/%q", r.Number, i, e.Status, e.Reason)
			}
			if e.Raw == "" {
				t.Errorf("%s: event %d has no raw text", r.Number, i)
			}
			if i > 0 && !e.Time.IsZero() && !r.Events[i-1].Time.IsZero() && e.Time.Before(r.Events[i-1].Time) {
				t.Errorf("%s: events not oldest first at %d", r.Number, i)
			}
		}
	}
}

func (s Suite) testBadInput(t *testing.T) {
	cases := map[string][]byte{
		"empty":   nil,
		"garbage": []byte("\x00\xff\xfe<<<>>>not html at all \x1b[31m"),
		"json":    []byte(`{"status":"delivered"}`),
		"blank":   []byte("<html><head><title>x</title></head><body></body></html>"),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("parse panicked: %v", p)
				}
			}()
			res, err := s.Parse(bytes.NewReader(data))
			if err == nil {
				t.Fatalf("parse returned no error, results %+v", res)
			}
			if res != nil {
				t.Errorf("parse returned results with an error: %+v", res)
			}
		})
	}
	// A page cut in half never panics. It may still parse — a cut-off
	// body is the transport's to detect (unexpected EOF, a short
	// Content-Length), not the parser's — but then it may only say less
	// than the whole page: the same numbers, each history a prefix of the
	// whole page's.
	for _, page := range s.pages(t) {
		data, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		full, ferr := s.Parse(bytes.NewReader(data))
		if ferr != nil {
			continue // error pages (maintenance, wrong layout) are already errors
		}
		t.Run("truncated_"+filepath.Base(page), func(t *testing.T) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("parse panicked: %v", p)
				}
			}()
			res, err := s.Parse(bytes.NewReader(data[:len(data)/2]))
			if err != nil {
				if res != nil {
					t.Errorf("parse returned results with an error: %+v", res)
				}
				return
			}
			// A page for several numbers cut in half may lose the
			// numbers after the cut: fewer results, the first ones.
			if len(res) > len(full) {
				t.Fatalf("half a page gave %d results, the whole page %d", len(res), len(full))
			}
			for i := range res {
				if res[i].Number != full[i].Number {
					t.Errorf("result %d: number %s, whole page %s", i, res[i].Number, full[i].Number)
				}
				if len(res[i].Events) > len(full[i].Events) {
					t.Errorf("%s: half a page has %d events, the whole page %d", res[i].Number, len(res[i].Events), len(full[i].Events))
					continue
				}
				for k, e := range res[i].Events {
					if e.Raw != full[i].Events[k].Raw || !e.Time.Equal(full[i].Events[k].Time) {
						t.Errorf("%s: event %d of half a page %+v is not the whole page's %+v", res[i].Number, k, e, full[i].Events[k])
					}
				}
			}
		})
	}
}

func (s Suite) testOldLayout(t *testing.T) {
	for _, rel := range s.Old {
		t.Run(filepath.Base(rel), func(t *testing.T) {
			data, err := os.ReadFile(testutil.Fixture(t, rel))
			if err != nil {
				t.Fatalf("old page: %v", err)
			}
			res, err := s.Parse(bytes.NewReader(data))
			if !errors.Is(err, carriers.ErrLayoutChanged) {
				t.Fatalf("old-layout page: got results %+v, err %v; want a layout error", res, err)
			}
		})
	}
}

// testRoundTrip renders every golden result with the fake site and parses
// it back: the fake pages must mean the same to the adapter.
func (s Suite) testRoundTrip(t *testing.T) {
	for _, page := range s.pages(t) {
		res, err := s.parseFile(t, page)
		if err != nil || len(res) == 0 {
			continue
		}
		t.Run(filepath.Base(page), func(t *testing.T) {
			var buf bytes.Buffer
			if err := s.Site.Render(&buf, ToParcels(res)); err != nil {
				t.Fatalf("render: %v", err)
			}
			back, err := s.Parse(&buf)
			if err != nil {
				t.Fatalf("parse rendered page: %v", err)
			}
			if len(back) != len(res) {
				t.Fatalf("rendered page gave %d results, want %d", len(back), len(res))
			}
			for i := range res {
				if w, g := summary(res[i]), summary(back[i]); !reflect.DeepEqual(w, g) {
					t.Errorf("result %d after render+parse:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

type resultSummary struct {
	Number string
	Found  bool
	Status carriers.Status
	Reason carriers.Reason
	Events []carriers.Event
}

func summary(r carriers.Result) resultSummary {
	ev := make([]carriers.Event, len(r.Events))
	for i, e := range r.Events {
		e.Time = e.Time.UTC()
		ev[i] = e
	}
	return resultSummary{r.Number, r.Found, r.Status, r.Reason, ev}
}

// ToParcels turns parse results back into what a fake page shows.
func ToParcels(res []carriers.Result) []fake.Parcel {
	out := make([]fake.Parcel, len(res))
	for i, r := range res {
		p := fake.Parcel{Number: r.Number, Found: r.Found, Office: r.Office, Product: r.Product}
		for _, e := range r.Events {
			p.Rows = append(p.Rows, fake.Row{Time: e.Time, Raw: e.Raw, Location: e.Location})
		}
		out[i] = p
	}
	return out
}

// server is an httptest server standing in for the carrier.
type server struct {
	*httptest.Server
	mu       sync.Mutex
	requests int
	asked    [][]string
	mode     string
}

func (s Suite) newServer(t *testing.T) *server {
	t.Helper()
	srv := &server{}
	srv.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.mu.Lock()
		srv.requests++
		mode := srv.mode
		srv.mu.Unlock()
		if r.Header.Get("User-Agent") == "" || !strings.Contains(strings.ToLower(r.Header.Get("User-Agent")), "todoku") {
			http.Error(w, "no user agent", http.StatusForbidden)
			return
		}
		if p := s.Site.Path(); r.URL.Path != p && !(strings.HasSuffix(p, "/") && strings.HasPrefix(r.URL.Path, p)) {
			http.NotFound(w, r)
			return
		}
		nums, err := s.Site.Numbers(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		srv.mu.Lock()
		srv.asked = append(srv.asked, nums)
		srv.mu.Unlock()
		switch mode {
		case "429":
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		case "503":
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		case "slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		case "huge":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			chunk := bytes.Repeat([]byte("<p>padding</p>"), 1024)
			for i := 0; i < 64; i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
			return
		case "maintenance":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_ = s.Site.Maintenance(w)
			return
		case "wronglayout":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<html><body><div class=\"new-design\"><p>お荷物の状況</p></div></body></html>")
			return
		case "swapped":
			// Another number of the same shape.
			nums = append([]string{strings.Repeat("0", len(nums[0]))}, nums[1:]...)
		}
		rows := s.Rows
		if rows == nil {
			rows = sampleRows()
		}
		parcels := make([]fake.Parcel, len(nums))
		for i, n := range nums {
			parcels[i] = fake.Parcel{Number: n, Found: mode != "notfound", Rows: rows}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := s.Site.Render(w, parcels); err != nil {
			t.Errorf("render: %v", err)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func sampleRows() []fake.Row {
	base := time.Date(2026, 11, 20, 9, 0, 0, 0, carriers.Tokyo)
	return []fake.Row{
		{Time: base, Raw: "荷物受付", Location: "川崎営業所"},
		{Time: base.Add(3 * time.Hour), Raw: "輸送中", Location: "羽田クロノゲート"},
	}
}

func (srv *server) set(mode string) {
	srv.mu.Lock()
	srv.mode, srv.requests, srv.asked = mode, 0, nil
	srv.mu.Unlock()
}

func (s Suite) testFetch(t *testing.T) {
	srv := s.newServer(t)
	now := func() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, carriers.Tokyo) }
	newCarrier := func(timeout time.Duration, maxBody int64) carriers.Carrier {
		return s.New(carriers.Options{BaseURL: srv.URL, Client: srv.Client(), Timeout: timeout, MaxBody: maxBody, Now: now})
	}
	c := newCarrier(2*time.Second, 0)
	if c.Name() != s.Carrier {
		t.Fatalf("Name() = %q, want %q", c.Name(), s.Carrier)
	}
	batch := c.BatchSize()
	if batch < 1 || len(s.Numbers) < batch {
		t.Fatalf("BatchSize %d with %d sample numbers", batch, len(s.Numbers))
	}
	nums := s.Numbers[:batch]
	ctx := context.Background()

	t.Run("batch", func(t *testing.T) {
		srv.set("")
		res, err := c.Track(ctx, nums)
		if err != nil {
			t.Fatalf("Track: %v", err)
		}
		if srv.requests != 1 {
			t.Errorf("%d requests for one batch, want 1", srv.requests)
		}
		if len(srv.asked) != 1 || !reflect.DeepEqual(srv.asked[0], nums) {
			t.Errorf("server was asked %v, want %v", srv.asked, nums)
		}
		if len(res) != len(nums) {
			t.Fatalf("%d results for %d numbers", len(res), len(nums))
		}
		for i, r := range res {
			if r.Number != nums[i] || !r.Found || r.Status != carriers.StatusInTransit {
				t.Errorf("result %d = %s found=%v status=%s, want %s found in_transit", i, r.Number, r.Found, r.Status, nums[i])
			}
			want := s.Rows
			if want == nil {
				want = sampleRows()
			}
			if len(r.Events) != len(want) || r.Events[0].Raw != want[0].Raw {
				t.Errorf("result %d events = %+v, want the rows %+v", i, r.Events, want)
			}
		}
	})
	t.Run("too_many", func(t *testing.T) {
		srv.set("")
		if _, err := c.Track(ctx, append(append([]string{}, s.Numbers[:batch]...), s.Numbers[0])); err == nil {
			t.Error("Track accepted more than BatchSize numbers")
		}
	})
	t.Run("not_found", func(t *testing.T) {
		srv.set("notfound")
		res, err := c.Track(ctx, nums[:1])
		if err != nil {
			t.Fatalf("Track: %v", err)
		}
		if len(res) != 1 || res[0].Found || res[0].Status != carriers.StatusNotFound || res[0].Number != nums[0] {
			t.Errorf("got %+v, want one not_found result", res)
		}
	})
	t.Run("mismatched_number", func(t *testing.T) {
		srv.set("swapped")
		res, err := c.Track(ctx, nums[:1])
		if err == nil || res != nil {
			t.Fatalf("a page about another number was accepted: %+v, %v", res, err)
		}
	})
	errCases := []struct {
		mode string
		want error
		c    carriers.Carrier
	}{
		{"429", carriers.ErrTransient, c},
		{"503", carriers.ErrTransient, c},
		{"slow", carriers.ErrTransient, newCarrier(100*time.Millisecond, 0)},
		{"huge", carriers.ErrTransient, newCarrier(2*time.Second, 16<<10)},
		{"maintenance", carriers.ErrTransient, c},
		{"wronglayout", carriers.ErrLayoutChanged, c},
	}
	for _, tc := range errCases {
		t.Run(tc.mode, func(t *testing.T) {
			srv.set(tc.mode)
			res, err := tc.c.Track(ctx, nums[:1])
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %+v, %v; want error %v", res, err, tc.want)
			}
			if res != nil {
				t.Errorf("results returned with an error: %+v", res)
			}
			if errors.Is(err, carriers.ErrLayoutChanged) && errors.Is(err, carriers.ErrTransient) {
				t.Errorf("error is both transient and layout: %v", err)
			}
			var fe *carriers.FetchError
			switch tc.mode {
			case "429":
				if d, ok := carriers.RetryAfter(err); !ok || d != 120*time.Second {
					t.Errorf("RetryAfter = %v, %v; want 120s", d, ok)
				}
			case "maintenance":
				if !errors.As(err, &fe) || !fe.Maintenance {
					t.Errorf("maintenance page not flagged: %v", err)
				}
			}
		})
	}
	t.Run("cancelled", func(t *testing.T) {
		srv.set("slow")
		cctx, cancel := context.WithCancel(ctx)
		go func() { time.Sleep(50 * time.Millisecond); cancel() }()
		start := time.Now()
		res, err := c.Track(cctx, nums[:1])
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %+v, %v; want context.Canceled", res, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Track took %v after cancel", d)
		}
		srv.set("")
		dead, cancel2 := context.WithCancel(ctx)
		cancel2()
		if _, err := c.Track(dead, nums[:1]); !errors.Is(err, context.Canceled) {
			t.Errorf("already-cancelled ctx: err %v, want context.Canceled", err)
		}
	})
}
