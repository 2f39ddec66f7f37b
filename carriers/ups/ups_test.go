package ups

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
	testID     = "ups-test-client-id"
	testSecret = "ups-s3cr3t-0123456789"
	number     = "1Z999AA10123456784"
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
	tests := []struct {
		file   string
		number string
		found  bool
		status carriers.Status
		reason carriers.Reason
		events int
	}{
		{"delivered.json", number, true, carriers.StatusDelivered, "", 7},
		{"attempt_absent.json", number, true, carriers.StatusDeliveryFailed, carriers.ReasonAbsent, 2},
		{"refused_returned.json", "1Z12345E0205271688", true, carriers.StatusReturned, "", 3},
		{"held_for_pickup_local_time.json", number, true, carriers.StatusAwaitingPickup, "", 2},
		{"investigating.json", number, true, carriers.StatusException, carriers.ReasonInvestigating, 2},
		{"not_found_warning.json", "1Z999AA10123456795", false, carriers.StatusNotFound, "", 0},
		{"not_found_error.json", "", false, carriers.StatusNotFound, "", 0},
		{"unknown_status.json", number, true, carriers.StatusInTransit, "", 2},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			res, err := parseFile(t, tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 1 {
				t.Fatalf("%d results", len(res))
			}
			r := res[0]
			if r.Number != tc.number || r.Found != tc.found || r.Status != tc.status || r.Reason != tc.reason || len(r.Events) != tc.events {
				t.Errorf("got %s found=%v %s/%s %d events; want %s found=%v %s/%s %d",
					r.Number, r.Found, r.Status, r.Reason, len(r.Events), tc.number, tc.found, tc.status, tc.reason, tc.events)
			}
		})
	}
}

func TestTimes(t *testing.T) {
	res, err := parseFile(t, "delivered.json")
	if err != nil {
		t.Fatal(err)
	}
	ev := res[0].Events
	if want := time.Date(2026, 11, 27, 11, 20, 0, 0, carriers.Tokyo); !ev[len(ev)-1].Time.Equal(want) {
		t.Errorf("delivery at %v, want %v", ev[len(ev)-1].Time, want)
	}
	if ev[1].Location != "Louisville, KY, US" || res[0].Product != "UPS Worldwide Saver" {
		t.Errorf("location %q product %q", ev[1].Location, res[0].Product)
	}
	held, err := parseFile(t, "held_for_pickup_local_time.json")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 28, 14, 2, 0, 0, carriers.Tokyo); !held[0].Events[0].Time.Equal(want) {
		t.Errorf("local time %v, want %v", held[0].Events[0].Time, want)
	}
	if e := held[0].Events[0]; e.Status != carriers.StatusDeliveryFailed || e.Reason != carriers.ReasonNoAccess {
		t.Errorf("business closed = %+v", e)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		typ, code, statusCode, words string
		status                       carriers.Status
		reason                       carriers.Reason
	}{
		{"M", "MP", "003", "Shipper created a label", carriers.StatusInfoReceived, ""},
		{"P", "PU", "038", "Pickup Scan", carriers.StatusInTransit, ""},
		{"I", "OT", "021", "Out For Delivery Today", carriers.StatusOutForDelivery, ""},
		{"I", "XX", "", "Out for delivery", carriers.StatusOutForDelivery, ""},
		{"D", "FS", "011", "DELIVERED", carriers.StatusDelivered, ""},
		{"X", "48", "022", "The receiver was not available", carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{"X", "49", "", "final attempt", carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{"X", "55", "", "business closed", carriers.StatusDeliveryFailed, carriers.ReasonNoAccess},
		{"X", "", "060", "Delivery Attempted", carriers.StatusDeliveryFailed, carriers.ReasonOther},
		{"X", "", "145", "Delivery Attempted", carriers.StatusDeliveryFailed, carriers.ReasonOther},
		{"X", "RD", "064", "refused", carriers.StatusDeliveryFailed, carriers.ReasonRefused},
		{"X", "", "050", "Address Information Required", carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown},
		{"X", "", "069", "Unable to Deliver", carriers.StatusDeliveryFailed, carriers.ReasonOther},
		{"X", "", "017", "Held for Customer Pickup", carriers.StatusAwaitingPickup, ""},
		{"I", "RS", "034", "Returned to Sender", carriers.StatusReturned, ""},
		{"X", "1A", "013", "UPS is working to resolve the issue.", carriers.StatusException, carriers.ReasonInvestigating},
		{"X", "", "", "Something happened", carriers.StatusException, carriers.ReasonOther},
		{"Z", "ZZ", "999", "Drone", carriers.StatusUnknown, ""},
		{"NA", "", "", "Not Available", carriers.StatusUnknown, ""},
		{"MV", "", "", "Billing Information Voided", carriers.StatusException, carriers.ReasonOther},
	}
	for _, tc := range tests {
		st, rs := classify(tc.typ, tc.code, tc.statusCode, tc.words)
		if st != tc.status || rs != tc.reason {
			t.Errorf("classify(%q, %q, %q, %q) = %s/%s, want %s/%s", tc.typ, tc.code, tc.statusCode, tc.words, st, rs, tc.status, tc.reason)
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
			t.Errorf("%s: want a source and unconfirmed", p.Number)
		}
	}
	if u := c.Tracking(number); !strings.HasPrefix(u, "https://www.ups.com/") || !strings.Contains(u, "tracknum="+number) {
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
	h.srv = fake.NewServer(clock, fake.UPS{})
	h.api = fake.NewUPSAPI(h.srv, clock, testID, testSecret)
	h.http = httptest.NewServer(h.api)
	t.Cleanup(h.http.Close)
	c, err := New(Config{ClientID: testID, ClientSecret: secret}, carriers.Options{BaseURL: h.http.URL, Now: clock, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	h.c = c
	start := time.Date(2026, 11, 26, 10, 0, 0, 0, carriers.Tokyo)
	h.srv.Add(fake.APITimeline(Name, number, fake.FailedDelivered, start))
	h.srv.Add(fake.APITimeline(Name, "1Z12345E0205271688", fake.Held, start))
	h.srv.Add(fake.APITimeline(Name, "1Z12345E6605272234", fake.Investigating, start))
	return h
}

func TestTrackFake(t *testing.T) {
	h := newHarness(t, testSecret)
	h.api.SetTokenTTL(30 * 24 * time.Hour)
	ctx := context.Background()
	tests := []struct {
		at     time.Time
		number string
		status carriers.Status
		reason carriers.Reason
	}{
		{time.Date(2026, 11, 27, 9, 0, 0, 0, carriers.Tokyo), number, carriers.StatusOutForDelivery, ""},
		{time.Date(2026, 11, 27, 15, 0, 0, 0, carriers.Tokyo), number, carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{time.Date(2026, 11, 28, 12, 0, 0, 0, carriers.Tokyo), number, carriers.StatusDelivered, ""},
		{time.Date(2026, 11, 28, 12, 0, 0, 0, carriers.Tokyo), "1Z12345E0205271688", carriers.StatusAwaitingPickup, ""},
		{time.Date(2026, 11, 29, 12, 0, 0, 0, carriers.Tokyo), "1Z12345E6605272234", carriers.StatusException, carriers.ReasonInvestigating},
		{time.Date(2026, 11, 29, 12, 0, 0, 0, carriers.Tokyo), "1Z999AA10123456795", carriers.StatusNotFound, ""},
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
	if h.api.TokenRequests() != 1 || h.srv.Requests(Name) != len(tests) {
		t.Errorf("%d tokens, %d requests; want 1 and %d", h.api.TokenRequests(), h.srv.Requests(Name), len(tests))
	}
}

func TestRefreshOn401(t *testing.T) {
	h := newHarness(t, testSecret)
	ctx := context.Background()
	h.api.SetTokenTTL(time.Minute)
	if _, err := h.c.Track(ctx, []string{number}); err != nil {
		t.Fatal(err)
	}
	h.now = h.now.Add(2 * time.Minute) // expired by the API's clock
	if _, err := h.c.Track(ctx, []string{number}); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	h.api.RevokeTokens()
	if _, err := h.c.Track(ctx, []string{number}); err != nil {
		t.Fatalf("after revocation: %v", err)
	}
	if h.api.Refused() != 2 || h.api.TokenRequests() != 3 {
		t.Errorf("refused %d, tokens %d; want 2 and 3", h.api.Refused(), h.api.TokenRequests())
	}
}

func TestRefreshOnlyOnce(t *testing.T) {
	h := newHarness(t, testSecret)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == TokenPath {
			h.api.ServeHTTP(w, r)
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"response":{"errors":[{"code":"250002","message":"Invalid Authentication Information."}]}}`)
	}))
	defer srv.Close()
	c, _ := New(Config{ClientID: testID, ClientSecret: testSecret}, carriers.Options{BaseURL: srv.URL})
	if _, err := c.Track(context.Background(), []string{number}); !errors.Is(err, ErrAuth) {
		t.Fatalf("err = %v, want ErrAuth", err)
	}
	if c.TokenRequests() != 2 {
		t.Errorf("%d token requests, want 2", c.TokenRequests())
	}
}

func TestWrongSecret(t *testing.T) {
	h := newHarness(t, "wrong-"+testSecret)
	_, err := h.c.Track(context.Background(), []string{number})
	if !errors.Is(err, ErrAuth) || !carriers.IsTransient(err) {
		t.Fatalf("err = %v, want ErrAuth", err)
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Errorf("error shows the secret: %v", err)
	}
}

func TestRateLimitAndQuota(t *testing.T) {
	h := newHarness(t, testSecret)
	ctx := context.Background()
	h.api.RateLimit(1, 5*time.Second)
	if d, ok := carriers.RetryAfter(func() error { _, err := h.c.Track(ctx, []string{number}); return err }()); !ok || d != 5*time.Second {
		t.Fatalf("rate limit retry after %v", d)
	}
	h.api.SetQuota(1)
	if _, err := h.c.Track(ctx, []string{number}); err != nil {
		t.Fatal(err)
	}
	_, err := h.c.Track(ctx, []string{number})
	if d, ok := carriers.RetryAfter(err); !errors.Is(err, ErrQuota) || !ok || d != quotaRetry {
		t.Fatalf("quota: %v (%v)", err, d)
	}
}

func TestHeadersRequired(t *testing.T) {
	h := newHarness(t, testSecret)
	var ids []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, TrackPath) {
			ids = append(ids, r.Header.Get("transId"))
			if r.Header.Get("transactionSrc") != "todoku" || r.URL.Query().Get("locale") != "en_US" {
				t.Errorf("headers %v query %v", r.Header, r.URL.Query())
			}
		}
		h.api.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, _ := New(Config{ClientID: testID, ClientSecret: testSecret}, carriers.Options{BaseURL: srv.URL, Now: func() time.Time { return h.now }})
	for range 2 {
		if _, err := c.Track(context.Background(), []string{number}); err != nil {
			t.Fatal(err)
		}
	}
	if len(ids) != 2 || ids[0] == ids[1] || len(ids[0]) != 32 {
		t.Errorf("transIds %q: want two different 32-character ids", ids)
	}
}

func TestAnswerStatuses(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   error
	}{
		{"404 TW0001", 404, `{"response":{"errors":[{"code":"TW0001","message":"Tracking Information Not Found"}]}}`, nil},
		{"400 TV1002", 400, `{"response":{"errors":[{"code":"TV1002","message":"Invalid inquiry number"}]}}`, nil},
		{"404 other", 404, `<html>gone</html>`, carriers.ErrLayoutChanged},
		{"400 other", 400, `{"response":{"errors":[{"code":"VSS000","message":"bad"}]}}`, carriers.ErrTransient},
		{"403", 403, `{}`, ErrAuth},
		{"500", 500, `{}`, carriers.ErrTransient},
		{"200 shape", 200, `{"trackResponse":{"shipment":[]}}`, carriers.ErrLayoutChanged},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, testSecret)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == TokenPath {
					h.api.ServeHTTP(w, r)
					return
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}))
			defer srv.Close()
			c, _ := New(Config{ClientID: testID, ClientSecret: testSecret}, carriers.Options{BaseURL: srv.URL})
			res, err := c.Track(context.Background(), []string{number})
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("err = %v, want %v", err, tc.want)
				}
				return
			}
			if err != nil || len(res) != 1 || res[0].Found || res[0].Number != number {
				t.Fatalf("got %+v, %v; want not found", res, err)
			}
		})
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		fault fake.Fault
		want  error
	}{
		{fake.Fault{Kind: fake.FaultUnavailable}, carriers.ErrTransient},
		{fake.Fault{Kind: fake.FaultMaintenance}, carriers.ErrTransient},
		{fake.Fault{Kind: fake.FaultLayout}, carriers.ErrLayoutChanged},
	}
	for _, tc := range tests {
		h := newHarness(t, testSecret)
		h.srv.SetFault(Name, tc.fault)
		if _, err := h.c.Track(context.Background(), []string{number}); !errors.Is(err, tc.want) {
			t.Errorf("fault %d: %v, want %v", tc.fault.Kind, err, tc.want)
		}
	}
}

func TestContextAndBatch(t *testing.T) {
	h := newHarness(t, testSecret)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.c.Track(ctx, []string{number}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := h.c.Track(context.Background(), []string{number, number}); !errors.Is(err, carriers.ErrBatchTooLarge) {
		t.Errorf("two numbers: %v", err)
	}
	h.srv.SetFault(Name, fake.Fault{Kind: fake.FaultSlow, Delay: time.Minute})
	ctx, cancel = context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := h.c.Track(ctx, []string{number}); !errors.Is(err, context.DeadlineExceeded) {
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
