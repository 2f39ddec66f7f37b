package fedex

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/carriers/internal/apitest"
)

var fixedNow = time.Date(2026, 12, 2, 12, 0, 0, 0, carriers.Tokyo)

const (
	testID     = "l7-test-client-id"
	testSecret = "s3cr3t-value-0123456789"
)

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

func TestAnswers(t *testing.T) {
	type want struct {
		number string
		found  bool
		status carriers.Status
		reason carriers.Reason
		events int
	}
	tests := []struct {
		file string
		want []want
	}{
		{"delivered.json", []want{{"794600000017", true, carriers.StatusDelivered, "", 7}}},
		{"failed_absent.json", []want{{"794600000017", true, carriers.StatusDeliveryFailed, carriers.ReasonAbsent, 3}}},
		{"reused_number.json", []want{{"776094337676", true, carriers.StatusAwaitingPickup, "", 4}}},
		{"batch_not_found.json", []want{
			{"794600000017", true, carriers.StatusException, carriers.ReasonOther, 2},
			{"123456789012", false, carriers.StatusNotFound, "", 0},
		}},
		{"returned_address.json", []want{{"612999000018", true, carriers.StatusReturned, "", 3}}},
		{"label_only.json", []want{{"794600000029", true, carriers.StatusInfoReceived, "", 0}}},
		{"unknown_event.json", []want{{"794600000030", true, carriers.StatusInTransit, "", 2}}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			res, err := parseFile(t, tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != len(tc.want) {
				t.Fatalf("%d results, want %d", len(res), len(tc.want))
			}
			for i, w := range tc.want {
				r := res[i]
				if r.Number != w.number || r.Found != w.found || r.Status != w.status || r.Reason != w.reason || len(r.Events) != w.events {
					t.Errorf("result %d: %s found=%v %s/%s %d events; want %+v", i, r.Number, r.Found, r.Status, r.Reason, len(r.Events), w)
				}
			}
		})
	}
}

func TestEventWords(t *testing.T) {
	res, err := parseFile(t, "reused_number.json")
	if err != nil {
		t.Fatal(err)
	}
	ev := res[0].Events
	if ev[1].Raw != "Delivery exception: Customer not available or business closed" || ev[1].Status != carriers.StatusDeliveryFailed || ev[1].Reason != carriers.ReasonAbsent {
		t.Errorf("attempt = %+v", ev[1])
	}
	if ev[2].Reason != carriers.ReasonOther || !strings.Contains(ev[2].Raw, "redirected") {
		t.Errorf("redirect = %+v", ev[2])
	}
	if ev[0].Location != "KAWASAKI-SHI, JP" || res[0].Product != "FedEx International Economy" {
		t.Errorf("location %q product %q", ev[0].Location, res[0].Product)
	}
	ret, err := parseFile(t, "returned_address.json")
	if err != nil {
		t.Fatal(err)
	}
	if e := ret[0].Events[1]; e.Status != carriers.StatusException || e.Reason != carriers.ReasonAddressUnknown {
		t.Errorf("incorrect address = %+v", e)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		event, derived, exception, words string
		status                           carriers.Status
		reason                           carriers.Reason
	}{
		{"OC", "IN", "", "Shipment information sent to FedEx", carriers.StatusInfoReceived, ""},
		{"PU", "PU", "", "Picked up", carriers.StatusInTransit, ""},
		{"OD", "OD", "", "On FedEx vehicle for delivery", carriers.StatusOutForDelivery, ""},
		{"DL", "DL", "", "Delivered", carriers.StatusDelivered, ""},
		{"DE", "DE", "08", "Delivery exception", carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{"DE", "DE", "07", "Delivery exception Refused by recipient", carriers.StatusDeliveryFailed, carriers.ReasonRefused},
		{"DE", "DE", "", "Delivery exception", carriers.StatusDeliveryFailed, carriers.ReasonOther},
		{"SE", "SE", "", "Shipment exception", carriers.StatusException, carriers.ReasonOther},
		{"HL", "", "", "Hold at location", carriers.StatusAwaitingPickup, ""},
		{"HP", "", "", "Ready for recipient pickup", carriers.StatusAwaitingPickup, ""},
		{"RS", "", "", "Return to shipper", carriers.StatusReturned, ""},
		{"DY", "", "", "Delay", carriers.StatusInTransit, ""},
		{"CD", "", "", "Clearance delay", carriers.StatusException, carriers.ReasonOther},
		{"XX", "DL", "", "Delivered somewhere", carriers.StatusDelivered, ""},
		{"XX", "YY", "", "Something new", carriers.StatusUnknown, ""},
	}
	for _, tc := range tests {
		st, rs := classify(tc.event, tc.derived, tc.exception, tc.words)
		if st != tc.status || rs != tc.reason {
			t.Errorf("classify(%q, %q, %q, %q) = %s/%s, want %s/%s", tc.event, tc.derived, tc.exception, tc.words, st, rs, tc.status, tc.reason)
		}
	}
}

func TestContacts(t *testing.T) {
	c := Contacts()
	if c.Carrier != Name || !c.Trackable || c.Source == "" || len(c.Domains) == 0 {
		t.Errorf("contacts = %+v", c)
	}
	for _, p := range c.Phones {
		if err := p.Hours.Validate(); err != nil {
			t.Errorf("%s: %v", p.Number, err)
		}
		if p.Source == "" || p.Confirmed {
			t.Errorf("%s: want a source and unconfirmed", p.Number)
		}
	}
	if u := c.Tracking("794600000017"); u != "https://www.fedex.com/fedextrack/?trknbr=794600000017" {
		t.Errorf("tracking URL %q", u)
	}
}

func TestNewNeedsKeys(t *testing.T) {
	for _, cfg := range []Config{{}, {ClientID: testID}, {ClientSecret: testSecret}} {
		if _, err := New(cfg, carriers.Options{}); !errors.Is(err, ErrNoKey) {
			t.Errorf("New(%v): %v", cfg, err)
		}
	}
	cfg := Config{ClientID: testID, ClientSecret: testSecret}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "cfg", cfg)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "cfg", cfg)
	if strings.Contains(logged.String(), testSecret) {
		t.Errorf("slog shows the secret: %s", logged.String())
	}
	if s := fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg); strings.Contains(s, testSecret) {
		t.Errorf("config prints its secret: %s", s)
	}
}

type harness struct {
	now  time.Time
	srv  *fake.Server
	api  *fake.API
	http *httptest.Server
	c    *Carrier
}

func newHarness(t *testing.T, secret string) *harness {
	t.Helper()
	h := &harness{now: time.Date(2026, 11, 28, 12, 0, 0, 0, carriers.Tokyo)}
	clock := func() time.Time { return h.now }
	h.srv = fake.NewServer(clock, fake.FedEx{})
	h.api = fake.NewFedExAPI(h.srv, clock, testID, testSecret)
	h.http = httptest.NewServer(h.api)
	t.Cleanup(h.http.Close)
	c, err := New(Config{ClientID: testID, ClientSecret: secret}, carriers.Options{BaseURL: h.http.URL, Now: clock, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	h.c = c
	start := time.Date(2026, 11, 26, 10, 0, 0, 0, carriers.Tokyo)
	h.srv.Add(fake.APITimeline(Name, "794600000017", fake.FailedDelivered, start))
	h.srv.Add(fake.APITimeline(Name, "794600000029", fake.Held, start))
	h.srv.Add(fake.APITimeline(Name, "794600000030", fake.Returned, start))
	return h
}

func TestTrackFake(t *testing.T) {
	h := newHarness(t, testSecret)
	h.api.SetTokenTTL(30 * 24 * time.Hour) // the fake clock jumps days
	ctx := context.Background()
	nums := []string{"794600000017", "794600000029", "123456789012", "794600000030"}
	check := func(at time.Time, want ...carriers.Status) {
		t.Helper()
		h.now = at
		res, err := h.c.Track(ctx, nums)
		if err != nil {
			t.Fatalf("at %v: %v", at, err)
		}
		apitest.Check(t, Name, res)
		for i, r := range res {
			if r.Number != nums[i] || r.Status != want[i] {
				t.Errorf("at %v: %s = %s, want %s", at, r.Number, r.Status, want[i])
			}
		}
	}
	check(time.Date(2026, 11, 27, 15, 0, 0, 0, carriers.Tokyo),
		carriers.StatusDeliveryFailed, carriers.StatusDeliveryFailed, carriers.StatusNotFound, carriers.StatusDeliveryFailed)
	check(time.Date(2026, 11, 28, 12, 0, 0, 0, carriers.Tokyo),
		carriers.StatusDelivered, carriers.StatusAwaitingPickup, carriers.StatusNotFound, carriers.StatusOutForDelivery)
	check(time.Date(2026, 12, 6, 12, 0, 0, 0, carriers.Tokyo),
		carriers.StatusDelivered, carriers.StatusAwaitingPickup, carriers.StatusNotFound, carriers.StatusReturned)
	if got := h.api.TokenRequests(); got != 1 {
		t.Errorf("%d token requests for 3 calls within the token's lifetime, want 1", got)
	}
	if got := h.srv.Requests(Name); got != 3 {
		t.Errorf("%d tracking requests, want 3 (one per batch)", got)
	}
}

// TestRefreshOn401 checks that a token the API refuses (revoked, or
// expired by the API's clock) is replaced once, and that the call then
// succeeds.
func TestRefreshOn401(t *testing.T) {
	h := newHarness(t, testSecret)
	ctx := context.Background()
	if _, err := h.c.Track(ctx, []string{"794600000017"}); err != nil {
		t.Fatal(err)
	}
	h.api.RevokeTokens()
	if _, err := h.c.Track(ctx, []string{"794600000017"}); err != nil {
		t.Fatalf("after revocation: %v", err)
	}
	if h.api.Refused() != 1 || h.api.TokenRequests() != 2 {
		t.Errorf("refused %d, tokens %d; want 1 and 2", h.api.Refused(), h.api.TokenRequests())
	}
	// The API's clock passes the token's expiry while ours still trusts it.
	h.api.SetTokenTTL(time.Minute)
	h.api.RevokeTokens()
	if _, err := h.c.Track(ctx, []string{"794600000017"}); err != nil {
		t.Fatal(err)
	}
	h.now = h.now.Add(2 * time.Minute)
	if _, err := h.c.Track(ctx, []string{"794600000017"}); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if h.api.TokenRequests() != 4 {
		t.Errorf("tokens %d, want 4", h.api.TokenRequests())
	}
}

// alwaysRefuse answers every tracking request 401 but issues tokens.
type alwaysRefuse struct{ api *fake.API }

func (a alwaysRefuse) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == TokenPath {
		a.api.ServeHTTP(w, r)
		return
	}
	w.WriteHeader(http.StatusUnauthorized)
	io.WriteString(w, `{"errors":[{"code":"NOT.AUTHORIZED.ERROR","message":"Access token expired."}]}`)
}

func TestRefreshOnlyOnce(t *testing.T) {
	h := newHarness(t, testSecret)
	srv := httptest.NewServer(alwaysRefuse{h.api})
	defer srv.Close()
	c, _ := New(Config{ClientID: testID, ClientSecret: testSecret}, carriers.Options{BaseURL: srv.URL})
	_, err := c.Track(context.Background(), []string{"794600000017"})
	if !errors.Is(err, ErrAuth) {
		t.Fatalf("err = %v, want ErrAuth", err)
	}
	if c.TokenRequests() != 2 {
		t.Errorf("%d token requests, want 2 (the first and one refresh)", c.TokenRequests())
	}
}

func TestWrongSecret(t *testing.T) {
	h := newHarness(t, "wrong-"+testSecret)
	_, err := h.c.Track(context.Background(), []string{"794600000017"})
	var fe *carriers.FetchError
	if !errors.Is(err, ErrAuth) || !errors.As(err, &fe) || fe.StatusCode != http.StatusUnauthorized {
		t.Fatalf("err = %v, want a 401 FetchError wrapping ErrAuth", err)
	}
	if strings.Contains(err.Error(), testSecret) || strings.Contains(err.Error(), testID) {
		t.Errorf("error shows a credential: %v", err)
	}
	if h.srv.Requests(Name) != 0 {
		t.Error("a tracking request went out without a token")
	}
}

func TestRateLimitAndQuota(t *testing.T) {
	h := newHarness(t, testSecret)
	ctx := context.Background()
	h.api.RateLimit(1, 10*time.Second)
	_, err := h.c.Track(ctx, []string{"794600000017"})
	if d, ok := carriers.RetryAfter(err); !ok || d != 10*time.Second || errors.Is(err, ErrQuota) {
		t.Fatalf("rate limit: %v (%v)", err, d)
	}
	h.api.SetQuota(1)
	if _, err := h.c.Track(ctx, []string{"794600000017"}); err != nil {
		t.Fatal(err)
	}
	_, err = h.c.Track(ctx, []string{"794600000017"})
	if d, ok := carriers.RetryAfter(err); !errors.Is(err, ErrQuota) || !ok || d != quotaRetry {
		t.Fatalf("quota: %v (%v), want ErrQuota retried after %v", err, d, quotaRetry)
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
		h := newHarness(t, testSecret)
		h.srv.SetFault(Name, tc.fault)
		if _, err := h.c.Track(context.Background(), []string{"794600000017"}); !errors.Is(err, tc.want) {
			t.Errorf("fault %d: err = %v, want %v", tc.fault.Kind, err, tc.want)
		}
	}
}

func TestTokenEndpointFailures(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   error
	}{
		{503, `{"error":"temporarily_unavailable"}`, carriers.ErrTransient},
		{404, `not found`, carriers.ErrLayoutChanged},
		{401, `{"error":"invalid_client","error_description":"` + testSecret + `"}`, ErrAuth},
	}
	for _, tc := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tc.status)
			io.WriteString(w, tc.body)
		}))
		c, _ := New(Config{ClientID: testID, ClientSecret: testSecret}, carriers.Options{BaseURL: srv.URL})
		_, err := c.Track(context.Background(), []string{"794600000017"})
		if !errors.Is(err, tc.want) {
			t.Errorf("token status %d: %v, want %v", tc.status, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), testSecret) {
			t.Errorf("token status %d: error repeats the body with the secret: %v", tc.status, err)
		}
		srv.Close()
	}
}

func TestRequestShape(t *testing.T) {
	h := newHarness(t, testSecret)
	var seen *http.Request
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == TrackPath {
			seen = r.Clone(context.Background())
			body, _ = io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		h.api.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, _ := New(Config{ClientID: testID, ClientSecret: testSecret}, carriers.Options{BaseURL: srv.URL, Now: func() time.Time { return h.now }})
	if _, err := c.Track(context.Background(), []string{"794600000017", "794600000029"}); err != nil {
		t.Fatal(err)
	}
	if seen.Method != http.MethodPost || !strings.HasPrefix(seen.Header.Get("Authorization"), "Bearer ") ||
		seen.Header.Get("Content-Type") != "application/json" || seen.Header.Get("X-locale") != "en_US" {
		t.Errorf("request %s %v", seen.Method, seen.Header)
	}
	if !bytes.Contains(body, []byte(`"includeDetailedScans":true`)) || bytes.Count(body, []byte("trackingNumberInfo")) != 2 {
		t.Errorf("body %s", body)
	}
}

func TestBatch(t *testing.T) {
	h := newHarness(t, testSecret)
	nums := make([]string, MaxNumbers)
	for i := range nums {
		nums[i] = fmt.Sprintf("7946%08d", i)
	}
	nums[7] = "794600000017"
	res, err := h.c.Track(context.Background(), nums)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Number != nums[i] {
			t.Fatalf("result %d is %s, want %s", i, r.Number, nums[i])
		}
	}
	if !res[7].Found || res[0].Found {
		t.Errorf("found flags: %v %v", res[7].Found, res[0].Found)
	}
	if _, err := h.c.Track(context.Background(), append(nums, "794600000029")); !errors.Is(err, carriers.ErrBatchTooLarge) {
		t.Errorf("31 numbers: %v", err)
	}
}

func TestMissingNumberIsLayout(t *testing.T) {
	if _, err := match([]carriers.Result{carriers.NotFound(Name, "1")}, []string{"1", "2"}); !errors.Is(err, carriers.ErrLayoutChanged) {
		t.Errorf("err = %v", err)
	}
}

func TestContext(t *testing.T) {
	h := newHarness(t, testSecret)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.c.Track(ctx, []string{"794600000017"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if h.api.TokenRequests() != 0 || h.srv.Requests(Name) != 0 {
		t.Error("a cancelled call reached FedEx")
	}
	h.srv.SetFault(Name, fake.Fault{Kind: fake.FaultSlow, Delay: time.Minute})
	ctx, cancel = context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := h.c.Track(ctx, []string{"794600000017"}); !errors.Is(err, context.DeadlineExceeded) {
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
				t.Fatal("results with an error")
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
	data, err := os.ReadFile(filepath.Join("testdata", "delivered.json"))
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
