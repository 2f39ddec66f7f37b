package dhl

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/carriers/internal/apitest"
	"github.com/todoku/todoku/carriers/quota"
)

var fixedNow = time.Date(2026, 12, 2, 12, 0, 0, 0, carriers.Tokyo)

const testKey = "test-key-0123456789abcdef"

func TestConformance(t *testing.T) {
	apitest.Suite{
		Carrier:  Name,
		Parse:    func(r io.Reader) ([]carriers.Result, error) { return Parse(r, fixedNow) },
		Testdata: "testdata",
	}.Run(t)
}

func parseFile(t *testing.T, name string) ([]carriers.Result, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return Parse(bytes.NewReader(data), fixedNow)
}

// TestAnswers checks the meaning of each test answer independently of the
// golden files.
func TestAnswers(t *testing.T) {
	tests := []struct {
		file    string
		results int
		number  string
		found   bool
		status  carriers.Status
		reason  carriers.Reason
		events  int
	}{
		{"delivered_express.json", 1, "3318810025", true, carriers.StatusDelivered, "", 7},
		{"failed_not_home.json", 1, "3318810025", true, carriers.StatusDeliveryFailed, carriers.ReasonAbsent, 3},
		{"customs_hold.json", 1, "1234567890", true, carriers.StatusException, carriers.ReasonOther, 2},
		{"numeric_id_no_offset.json", 1, "7777777770", true, carriers.StatusInfoReceived, "", 1},
		{"unknown_code.json", 1, "5550001112", true, carriers.StatusInTransit, "", 2},
		{"returned.json", 1, "9876543210", true, carriers.StatusReturned, "", 3},
		{"not_found.problem.json", 1, "8264715546", false, carriers.StatusNotFound, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			res, err := parseFile(t, tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != tc.results {
				t.Fatalf("%d results, want %d", len(res), tc.results)
			}
			r := res[0]
			if r.Number != tc.number || r.Found != tc.found || r.Status != tc.status || r.Reason != tc.reason || len(r.Events) != tc.events {
				t.Errorf("got %s found=%v %s/%s %d events; want %s found=%v %s/%s %d events",
					r.Number, r.Found, r.Status, r.Reason, len(r.Events), tc.number, tc.found, tc.status, tc.reason, tc.events)
			}
		})
	}
}

func TestEventDetails(t *testing.T) {
	res, err := parseFile(t, "delivered_express.json")
	if err != nil {
		t.Fatal(err)
	}
	ev := res[0].Events
	if first := ev[0]; first.Status != carriers.StatusInfoReceived || first.Raw != "Shipment information received" {
		t.Errorf("first event = %+v", first)
	}
	if out := ev[len(ev)-2]; out.Status != carriers.StatusOutForDelivery || out.Location != "KAWASAKI - JAPAN, JP" {
		t.Errorf("courier event = %+v", out)
	}
	want := time.Date(2026, 11, 25, 9, 2, 0, 0, time.UTC) // 10:02 +01:00
	if !ev[1].Time.Equal(want) {
		t.Errorf("pickup time %v, want %v", ev[1].Time, want)
	}
	if res[0].Product != "DHL EXPRESS WORLDWIDE" {
		t.Errorf("product %q", res[0].Product)
	}
	// A timestamp without an offset is Tokyo time for an event in Japan.
	hold, err := parseFile(t, "customs_hold.json")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hold[0].Events[1].Time, time.Date(2026, 11, 26, 17, 5, 0, 0, carriers.Tokyo); !got.Equal(want) {
		t.Errorf("offset-less Japan time %v, want %v", got, want)
	}
}

// TestOrderWithoutOffsets checks that events whose times abroad lack an
// offset keep DHL's order (reversed), even where reading them as UTC would
// put the Leipzig departure after the Tokyo arrival.
func TestOrderWithoutOffsets(t *testing.T) {
	res, err := parseFile(t, "mixed_zones_no_offset.json")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range res[0].Events {
		got = append(got, e.Raw)
	}
	want := []string{"Shipment picked up", "Departed Facility in LEIPZIG - GERMANY", "Arrived at DHL Sort Facility TOKYO - JAPAN"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("order %q, want %q", got, want)
	}
}

// TestOrderGuessedZones checks that, when some times are guesses, DHL's
// newest-first order is reversed rather than sorted by the guessed times.
func TestOrderGuessedZones(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 25, h, 0, 0, 0, time.UTC) }
	newestFirst := []carriers.Event{{Raw: "c", Time: at(23)}, {Raw: "b", Time: at(23) /* guessed */}, {Raw: "a", Time: at(1)}}
	newestFirst[1].Time = at(23).Add(time.Hour) // a guess that lands after the newest
	ev := slices.Clone(newestFirst)
	order(ev, false)
	if got := ev[0].Raw + ev[1].Raw + ev[2].Raw; got != "abc" {
		t.Errorf("guessed zones: order %s, want abc", got)
	}
	ev = slices.Clone(newestFirst)
	order(ev, true)
	if got := ev[0].Raw + ev[1].Raw + ev[2].Raw; got != "acb" {
		t.Errorf("known zones: order %s, want acb (by time)", got)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		code, status, words string
		want                carriers.Status
		reason              carriers.Reason
	}{
		{"pre-transit", "", "Shipment information received", carriers.StatusInfoReceived, ""},
		{"transit", "", "Processed at LEIPZIG - GERMANY", carriers.StatusInTransit, ""},
		{"transit", "WITH DELIVERY COURIER", "", carriers.StatusOutForDelivery, ""},
		{"transit", "", "The shipment is available for pickup at the service point", carriers.StatusAwaitingPickup, ""},
		{"transit", "", "Shipment is being returned to shipper", carriers.StatusReturned, ""},
		{"delivered", "", "Delivered", carriers.StatusDelivered, ""},
		{"delivered", "", "Returned to shipper", carriers.StatusReturned, ""},
		{"failure", "", "Delivery attempted; recipient not home", carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{"failure", "", "Delivery refused by recipient", carriers.StatusDeliveryFailed, carriers.ReasonRefused},
		{"failure", "", "Incorrect address; unable to deliver", carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown},
		{"failure", "", "Business closed on arrival", carriers.StatusDeliveryFailed, carriers.ReasonNoAccess},
		{"failure", "", "Delivery attempted", carriers.StatusDeliveryFailed, carriers.ReasonOther},
		{"failure", "", "Shipment on hold; trace initiated", carriers.StatusException, carriers.ReasonInvestigating},
		{"failure", "", "Clearance delay", carriers.StatusException, carriers.ReasonOther},
		{"unknown", "", "Delivered", carriers.StatusUnknown, ""},
		{"in-orbit", "", "Delivered", carriers.StatusUnknown, ""},
	}
	for _, tc := range tests {
		st, rs := classify(tc.code, tc.status, tc.words)
		if st != tc.want || rs != tc.reason {
			t.Errorf("classify(%q, %q, %q) = %s/%s, want %s/%s", tc.code, tc.status, tc.words, st, rs, tc.want, tc.reason)
		}
	}
}

func TestContacts(t *testing.T) {
	c := Contacts()
	if c.Carrier != Name || !c.Trackable || c.Source == "" || len(c.Domains) == 0 {
		t.Errorf("contacts = %+v", c)
	}
	for _, p := range c.Phones {
		if p.Source == "" || p.Confirmed {
			t.Errorf("%s: source %q confirmed %v; want a source and unconfirmed", p.Number, p.Source, p.Confirmed)
		}
	}
	u := c.Tracking("3318810025")
	if !strings.HasPrefix(u, "https://www.dhl.com/") || !strings.Contains(u, "tracking-id=3318810025") {
		t.Errorf("tracking URL %q", u)
	}
}

func TestNewNeedsKey(t *testing.T) {
	if _, err := New(Config{APIKey: "  "}, carriers.Options{}); !errors.Is(err, ErrNoKey) {
		t.Errorf("New without key: %v", err)
	}
	c, err := New(Config{APIKey: testKey}, carriers.Options{})
	if err != nil || c.Name() != Name || c.BatchSize() != 1 {
		t.Errorf("New = %v, %v", c, err)
	}
}

func TestSecretsHidden(t *testing.T) {
	cfg := Config{APIKey: testKey}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "cfg", cfg)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "cfg", cfg)
	if strings.Contains(logged.String(), testKey) {
		t.Errorf("slog shows the key: %s", logged.String())
	}
	for _, s := range []string{cfg.String(), cfg.GoString()} {
		if strings.Contains(s, testKey) {
			t.Errorf("config prints its key: %s", s)
		}
	}
}

// harness is a fake DHL API and an adapter pointed at it.
type harness struct {
	now   time.Time
	srv   *fake.Server
	api   *fake.API
	http  *httptest.Server
	quota *quota.Daily
	c     *Carrier
}

func newHarness(t *testing.T, key string) *harness {
	t.Helper()
	h := &harness{now: time.Date(2026, 11, 28, 12, 0, 0, 0, carriers.Tokyo)}
	clock := func() time.Time { return h.now }
	h.srv = fake.NewServer(clock, fake.DHL{})
	h.api = fake.NewDHLAPI(h.srv, clock, testKey)
	h.http = httptest.NewServer(h.api)
	t.Cleanup(h.http.Close)
	h.quota = NewQuota()
	c, err := New(Config{APIKey: key, Quota: h.quota}, carriers.Options{BaseURL: h.http.URL, Now: clock, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	h.c = c
	start := time.Date(2026, 11, 26, 10, 0, 0, 0, carriers.Tokyo)
	h.srv.Add(fake.APITimeline(Name, "3318810025", fake.FailedDelivered, start))
	h.srv.Add(fake.APITimeline(Name, "1234567890", fake.Held, start))
	return h
}

func TestTrackFake(t *testing.T) {
	h := newHarness(t, testKey)
	ctx := context.Background()
	tests := []struct {
		at     time.Time
		number string
		status carriers.Status
		reason carriers.Reason
	}{
		{time.Date(2026, 11, 27, 9, 0, 0, 0, carriers.Tokyo), "3318810025", carriers.StatusOutForDelivery, ""},
		{time.Date(2026, 11, 27, 15, 0, 0, 0, carriers.Tokyo), "3318810025", carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{time.Date(2026, 11, 28, 12, 0, 0, 0, carriers.Tokyo), "3318810025", carriers.StatusDelivered, ""},
		{time.Date(2026, 11, 28, 12, 0, 0, 0, carriers.Tokyo), "1234567890", carriers.StatusAwaitingPickup, ""},
		{time.Date(2026, 11, 28, 12, 0, 0, 0, carriers.Tokyo), "9999999999", carriers.StatusNotFound, ""},
	}
	for _, tc := range tests {
		h.now = tc.at
		res, err := h.c.Track(ctx, []string{tc.number})
		if err != nil {
			t.Fatalf("%s at %v: %v", tc.number, tc.at, err)
		}
		apitest.Check(t, Name, res)
		if len(res) != 1 || res[0].Number != tc.number || res[0].Status != tc.status || res[0].Reason != tc.reason {
			t.Errorf("%s at %v: %+v, want %s/%s", tc.number, tc.at, res, tc.status, tc.reason)
		}
	}
	if got := h.srv.Requests(Name); got != len(tests) {
		t.Errorf("%d requests, want %d", got, len(tests))
	}
	// The last three calls fall on the UTC day of 2026-11-28.
	if got := h.quota.Used(h.now); got != 3 {
		t.Errorf("quota used %d today, want 3", got)
	}
}

func TestWrongKey(t *testing.T) {
	h := newHarness(t, "not-the-key-"+strings.Repeat("x", 8))
	_, err := h.c.Track(context.Background(), []string{"3318810025"})
	var fe *carriers.FetchError
	if !errors.Is(err, ErrAuth) || !errors.As(err, &fe) || fe.StatusCode != http.StatusUnauthorized {
		t.Fatalf("err = %v, want a 401 FetchError wrapping ErrAuth", err)
	}
	if strings.Contains(err.Error(), "not-the-key") || strings.Contains(err.Error(), testKey) {
		t.Errorf("error shows the key: %v", err)
	}
}

func TestRateLimited(t *testing.T) {
	h := newHarness(t, testKey)
	h.api.RateLimit(1, 7*time.Second)
	_, err := h.c.Track(context.Background(), []string{"3318810025"})
	if d, ok := carriers.RetryAfter(err); !ok || d != 7*time.Second || errors.Is(err, ErrQuota) {
		t.Fatalf("err = %v (retry after %v), want a 7 s rate limit", err, d)
	}
	if _, err := h.c.Track(context.Background(), []string{"3318810025"}); err != nil {
		t.Fatalf("after the rate limit: %v", err)
	}
}

// TestQuotaFromServer checks that DHL's own "quota spent" answer pauses
// the adapter until 00:00 UTC and marks the local quota spent, so that no
// further call is made that day.
func TestQuotaFromServer(t *testing.T) {
	h := newHarness(t, testKey)
	h.api.SetQuota(2)
	ctx := context.Background()
	for range 2 {
		if _, err := h.c.Track(ctx, []string{"3318810025"}); err != nil {
			t.Fatal(err)
		}
		h.now = h.now.Add(10 * time.Second) // polite: well under one call a second
	}
	_, err := h.c.Track(ctx, []string{"3318810025"})
	midnight := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC) // 09:00 in Tokyo, the next day
	d, ok := carriers.RetryAfter(err)
	if !errors.Is(err, ErrQuota) || !carriers.IsTransient(err) || !ok || d != midnight.Sub(h.now) {
		t.Fatalf("err = %v, retry after %v; want ErrQuota until %v (%v)", err, d, midnight, midnight.Sub(h.now))
	}
	before := h.srv.Requests(Name)
	if _, err := h.c.Track(ctx, []string{"3318810025"}); !errors.Is(err, ErrQuota) {
		t.Fatalf("second call after the quota: %v", err)
	}
	if h.srv.Requests(Name) != before || h.api.QuotaDenied() != 1 {
		t.Errorf("a call went out after the quota was spent (%d requests, %d denied)", h.srv.Requests(Name)-before, h.api.QuotaDenied())
	}
	h.now = midnight.Add(time.Minute)
	if _, err := h.c.Track(ctx, []string{"3318810025"}); !errors.Is(err, ErrQuota) {
		// The fake's quota is still 2 a day and renewed too: this call
		// must go out and succeed.
		if err != nil {
			t.Fatalf("after midnight UTC: %v", err)
		}
	}
}

// TestRateOrQuota checks how a 429 without Retry-After is read: DHL sends
// the same body for its per-second limit and its daily quota, so a 429
// right after another call is the rate, and one after a quiet spell the
// quota.
func TestRateOrQuota(t *testing.T) {
	h := newHarness(t, testKey)
	ctx := context.Background()
	h.api.SetQuota(1) // every call after the first is refused without Retry-After
	if _, err := h.c.Track(ctx, []string{"3318810025"}); err != nil {
		t.Fatal(err)
	}
	h.now = h.now.Add(500 * time.Millisecond)
	_, err := h.c.Track(ctx, []string{"3318810025"})
	if d, ok := carriers.RetryAfter(err); errors.Is(err, ErrQuota) || !ok || d != MinInterval {
		t.Fatalf("429 half a second after a call: %v (retry after %v), want the per-second limit", err, d)
	}
	h.now = h.now.Add(5 * time.Second)
	if _, err := h.c.Track(ctx, []string{"3318810025"}); !errors.Is(err, ErrQuota) {
		t.Fatalf("429 five seconds after a call: %v, want ErrQuota", err)
	}
}

// TestLocalQuota checks that the local daily quota is honoured without
// asking DHL, across a restart (save and load of its count).
func TestLocalQuota(t *testing.T) {
	h := newHarness(t, testKey)
	ctx := context.Background()
	for range DailyLimit - 1 {
		h.quota.Allow(h.now)
	}
	saved, err := h.quota.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	restarted := NewQuota()
	if err := restarted.UnmarshalBinary(saved); err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{APIKey: testKey, Quota: restarted}, carriers.Options{BaseURL: h.http.URL, Now: func() time.Time { return h.now }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Track(ctx, []string{"3318810025"}); err != nil {
		t.Fatalf("the 250th call: %v", err)
	}
	_, err = c.Track(ctx, []string{"3318810025"})
	if !errors.Is(err, ErrQuota) {
		t.Fatalf("the 251st call: %v, want ErrQuota", err)
	}
	if got := h.srv.Requests(Name); got != 1 {
		t.Errorf("%d requests reached DHL, want 1", got)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		fault fake.Fault
		want  error
	}{
		{fake.Fault{Kind: fake.FaultUnavailable}, carriers.ErrTransient},
		{fake.Fault{Kind: fake.FaultTooMany, RetryAfter: 30 * time.Second}, carriers.ErrTransient},
		{fake.Fault{Kind: fake.FaultMaintenance}, carriers.ErrTransient},
		{fake.Fault{Kind: fake.FaultLayout}, carriers.ErrLayoutChanged},
	}
	for _, tc := range tests {
		h := newHarness(t, testKey)
		h.srv.SetFault(Name, tc.fault)
		_, err := h.c.Track(context.Background(), []string{"3318810025"})
		if !errors.Is(err, tc.want) {
			t.Errorf("fault %d: err = %v, want %v", tc.fault.Kind, err, tc.want)
		}
	}
}

func TestAnswerStatuses(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   error
		found  bool
	}{
		{"404 problem", 404, nil, `{"title":"No result found","status":404,"detail":"No shipment with given tracking number found."}`, nil, false},
		{"404 gateway", 404, nil, `<html>Not Found</html>`, carriers.ErrLayoutChanged, false},
		{"403", 403, nil, `{"status":403,"title":"Forbidden"}`, ErrAuth, false},
		{"429 quota", 429, nil, `{"status":429,"title":"Too Many Requests","detail":"Rate limit quota violation. Quota limit exceeded."}`, ErrQuota, false},
		{"429 rate", 429, http.Header{"Retry-After": {"2"}}, `{"status":429,"title":"Too Many Requests","detail":"Rate limit quota violation"}`, carriers.ErrTransient, false},
		{"429 first call", 429, nil, `{"status":429,"title":"Too Many Requests","detail":"Too many requests within defined time period, please try again later."}`, ErrQuota, false},
		{"502", 502, nil, `bad gateway`, carriers.ErrTransient, false},
		{"400", 400, nil, `{"status":400,"title":"Bad Request"}`, carriers.ErrTransient, false},
		{"200 garbage", 200, nil, `{"shipments": 7}`, carriers.ErrLayoutChanged, false},
		{"200 empty", 200, nil, `{"shipments": []}`, nil, false},
		{"200 other number", 200, nil, `{"shipments":[{"id":"1111111111","events":[]}]}`, ErrWrongNumber, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header()[k] = v
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			c, err := New(Config{APIKey: testKey}, carriers.Options{BaseURL: srv.URL, Now: func() time.Time { return fixedNow }})
			if err != nil {
				t.Fatal(err)
			}
			res, err := c.Track(context.Background(), []string{"3318810025"})
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("err = %v, want %v", err, tc.want)
				}
				return
			}
			if err != nil || len(res) != 1 || res[0].Found != tc.found || res[0].Number != "3318810025" {
				t.Fatalf("got %+v, %v", res, err)
			}
		})
	}
}

func TestRequest(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		w.WriteHeader(404)
		io.WriteString(w, `{"title":"No result found","status":404}`)
	}))
	defer srv.Close()
	var recorded []carriers.Recording
	c, err := New(Config{APIKey: testKey, Service: "express"}, carriers.Options{BaseURL: srv.URL, Record: func(r carriers.Recording) { recorded = append(recorded, r) }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Track(context.Background(), []string{"3318810025"}); err != nil {
		t.Fatal(err)
	}
	q := got.URL.Query()
	if got.Method != http.MethodGet || got.URL.Path != TrackPath || q.Get("trackingNumber") != "3318810025" || q.Get("service") != "express" || q.Get("language") != "en" {
		t.Errorf("request %s %s", got.Method, got.URL)
	}
	if got.Header.Get("DHL-API-Key") != testKey || got.Header.Get("Accept") != "application/json" || !strings.HasPrefix(got.Header.Get("User-Agent"), "todoku/") {
		t.Errorf("headers %v", got.Header)
	}
	if len(recorded) != 1 || strings.Contains(recorded[0].URL, testKey) {
		t.Errorf("recordings %+v", recorded)
	}
}

func TestBodyCap(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"shipments":[`+strings.Repeat(" ", 2048)+`]}`)
	}))
	defer srv.Close()
	c, _ := New(Config{APIKey: testKey}, carriers.Options{BaseURL: srv.URL, MaxBody: 1024})
	if _, err := c.Track(context.Background(), []string{"3318810025"}); !carriers.IsTransient(err) {
		t.Fatalf("oversized body: %v, want a transient error", err)
	}
}

func TestContextAndBatch(t *testing.T) {
	h := newHarness(t, testKey)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.c.Track(ctx, []string{"3318810025"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled ctx: %v", err)
	}
	if h.srv.Requests(Name) != 0 || h.quota.Used(h.now) != 0 {
		t.Errorf("a cancelled call reached DHL or spent quota")
	}
	if _, err := h.c.Track(context.Background(), nil); !errors.Is(err, carriers.ErrNoNumbers) {
		t.Errorf("no numbers: %v", err)
	}
	if _, err := h.c.Track(context.Background(), []string{"1", "2"}); !errors.Is(err, carriers.ErrBatchTooLarge) {
		t.Errorf("two numbers: %v", err)
	}
	h.srv.SetFault(Name, fake.Fault{Kind: fake.FaultSlow, Delay: time.Minute})
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := h.c.Track(ctx, []string{"3318810025"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(bytes.NewReader(data), fixedNow)
		if err != nil {
			if res != nil {
				t.Fatalf("results with an error")
			}
			return
		}
		for _, r := range res {
			if !r.Status.Valid() || !r.Reason.Valid() {
				t.Fatalf("invalid status %q/%q", r.Status, r.Reason)
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "delivered_express.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), fixedNow); err != nil {
			b.Fatal(err)
		}
	}
}
