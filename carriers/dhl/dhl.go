// Package dhl tracks DHL shipments (DHL Express and DHL's other business
// units) through DHL's official Shipment Tracking – Unified API, one
// number per GET request, with an API key from developer.dhl.com.
//
// Fetching is separate from parsing: Track builds the request, spends the
// daily quota and interprets the HTTP status; [Parse] is a pure function
// over the JSON answer.
//
// # Sources
//
//   - DHL Shipment Tracking – Unified API, OpenAPI 1.3.1
//     (developer.dhl.com/sites/default/files/2022-04/dpdhl_tracking-unified-api_1.3.1.yaml,
//     cited by netzoio/netzo plugins/services/service-openapi-dhl-shipment-tracking/README.md):
//     GET /track/shipments?trackingNumber=N, header DHL-API-Key,
//     statusCode ∈ pre-transit, transit, delivered, failure, unknown;
//     errors as RFC 7807 problem documents.
//   - karrioapi/karrio modules/connectors/dhl_universal/SPECS.md and
//     tests/dhl_universal/test_tracking.py: a full example answer (events
//     without a time-zone offset, a numeric id) and the 404 "No result
//     found" problem document.
//   - shared/research/more-carriers.md, "Official tracking APIs": the free
//     level allows 250 calls a day and 1 call a second, answers 429
//     beyond, and renews the quota at 00:00 GMT.
//
// # Caveats
//
// DHL answers a spent daily quota and a too-fast call alike (a 429 problem
// document, "Too many requests within defined time period"; see
// quotaSpent): a 429 without Retry-After that names a quota, or that
// comes two seconds or more after the previous call, is taken as the
// daily quota (retry after the next 00:00 UTC); any other 429 is the
// per-second limit. Event timestamps without an offset are read in
// Asia/Tokyo for an event in Japan, in the zone of a single-zone country
// elsewhere, and otherwise in UTC as a guess, keeping DHL's order.
package dhl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/internal/jsonapi"
	"github.com/todoku/todoku/carriers/quota"
)

// Name is the registry name of the adapter.
const Name = "dhl"

// DefaultBaseURL is the scheme and host of DHL's API.
const DefaultBaseURL = "https://api-eu.dhl.com"

// TrackPath is the tracking endpoint; the number goes in trackingNumber.
const TrackPath = "/track/shipments"

// Limits of DHL's free API level: the tracker should poll DHL no faster
// than MinInterval, and a quota.Daily of DailyLimit (UTC days) should be
// given in Config.Quota.
const (
	DailyLimit  = 250
	MinInterval = time.Second
)

// The errors of the dhl package. ErrAuth and ErrQuota come wrapped in a
// *carriers.FetchError.
var (
	// ErrAuth means DHL refused the API key.
	ErrAuth = jsonapi.ErrAuth
	// ErrQuota means the daily quota is spent.
	ErrQuota = jsonapi.ErrQuota
	// ErrNoKey means New was given no API key.
	ErrNoKey = errors.New("dhl: no API key configured")
	// ErrWrongNumber means the answer is about numbers other than the one
	// asked for.
	ErrWrongNumber = errors.New("answer is about another number")
)

// Config is what the DHL adapter needs besides carriers.Options.
type Config struct {
	// APIKey is the key of an app on developer.dhl.com subscribed to
	// "Shipment Tracking - Unified". Required. It is sent only in the
	// DHL-API-Key header and never logged.
	APIKey string
	// Service restricts the search to one DHL business unit (express,
	// parcel-de, ecommerce …). Empty asks all of them; DHL may then
	// answer with several shipments and Track keeps the one asked for.
	Service string
	// Language is the language of the event descriptions; empty means
	// "en".
	Language string
	// Quota, when set, is spent before every call and marked exhausted
	// when DHL says the quota is spent. The caller persists it (see
	// NewQuota). Nil means no local accounting.
	Quota *quota.Daily
}

// String hides the key.
func (c Config) String() string { return "dhl config (key hidden)" }

// LogValue hides the credentials from log/slog, text and JSON handlers
// alike.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// GoString hides the key from %#v.
func (c Config) GoString() string { return c.String() }

// NewQuota returns the daily quota of DHL's free level: DailyLimit calls
// per UTC day.
func NewQuota() *quota.Daily { return &quota.Daily{Limit: DailyLimit, Zone: time.UTC} }

// Carrier is the DHL adapter.
type Carrier struct {
	api  *jsonapi.Client
	base string
	cfg  Config

	mu   sync.Mutex
	last time.Time // when the previous request was sent (clock of Options.Now)
}

var _ carriers.Carrier = (*Carrier)(nil)

// New returns a DHL adapter. It fails with ErrNoKey when cfg.APIKey is
// empty: DHL must not be asked without a key. opts.BaseURL, when set,
// replaces DefaultBaseURL.
func New(cfg Config, opts carriers.Options) (*Carrier, error) {
	if strings.TrimSpace(cfg.APIKey) == "" {
		return nil, ErrNoKey
	}
	if cfg.Language == "" {
		cfg.Language = "en"
	}
	return &Carrier{api: jsonapi.New(Name, opts), base: opts.Base(DefaultBaseURL), cfg: cfg}, nil
}

// Name returns "dhl".
func (c *Carrier) Name() string { return Name }

// BatchSize is 1: the API takes one trackingNumber per call.
func (c *Carrier) BatchSize() int { return 1 }

// Track asks DHL about one number. See carriers.Carrier for the errors;
// besides those, a refused key is a *carriers.FetchError wrapping ErrAuth
// and a spent quota one wrapping ErrQuota, with RetryAfter reaching the
// next 00:00 UTC.
func (c *Carrier) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	if err := carriers.CheckBatch(Name, numbers, c.BatchSize()); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	number := numbers[0]
	now := c.api.Options().Clock()
	if c.cfg.Quota != nil {
		if ok, next := c.cfg.Quota.Allow(now); !ok {
			return nil, jsonapi.Quota(Name, 0, now, next)
		}
	}
	q := url.Values{"trackingNumber": {number}, "language": {c.cfg.Language}}
	if c.cfg.Service != "" {
		q.Set("service", c.cfg.Service)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+TrackPath+"?"+q.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: build request: %w", Name, err)
	}
	req.Header.Set("DHL-API-Key", c.cfg.APIKey)
	c.mu.Lock()
	prev := c.last
	c.last = now
	c.mu.Unlock()
	resp, err := c.api.Do(req, true)
	if err != nil {
		return nil, err
	}
	return c.answer(resp, number, now, prev)
}

// answer interprets DHL's answer about number; prev is when the request
// before it was sent (zero for the first).
func (c *Carrier) answer(resp jsonapi.Response, number string, now, prev time.Time) ([]carriers.Result, error) {
	switch {
	case resp.Status == http.StatusOK:
		if jsonapi.LooksLikeHTML(resp.Body) {
			return nil, jsonapi.HTMLAnswer(Name, resp.Body)
		}
		res, err := Parse(bytes.NewReader(resp.Body), now)
		if err != nil {
			return nil, err
		}
		return pick(res, number)
	case resp.Status == http.StatusNotFound:
		if p, ok := problemOf(resp.Body); ok && p.notFound() {
			return []carriers.Result{carriers.NotFound(Name, number)}, nil
		}
		return nil, &carriers.LayoutError{Carrier: Name, Missing: "the endpoint (HTTP 404 without a problem document)"}
	case resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden:
		return nil, jsonapi.Auth(Name, resp.Status)
	case resp.Status == http.StatusTooManyRequests:
		if resp.Header.Get("Retry-After") == "" && quotaSpent(resp.Body, now, prev) {
			next := NewQuota().NextDay(now)
			if c.cfg.Quota != nil {
				next = c.cfg.Quota.Exhaust(now)
			}
			return nil, jsonapi.Quota(Name, resp.Status, now, next)
		}
		err := jsonapi.Transient(Name, resp, now)
		var fe *carriers.FetchError
		if errors.As(err, &fe) && fe.RetryAfter < MinInterval {
			fe.RetryAfter = MinInterval
		}
		return nil, err
	case resp.Status >= 500:
		if jsonapi.LooksLikeHTML(resp.Body) {
			if err := jsonapi.HTMLAnswer(Name, resp.Body); errors.Is(err, carriers.ErrTransient) {
				return nil, err
			}
		}
		return nil, jsonapi.Transient(Name, resp, now)
	}
	return nil, jsonapi.Unexpected(Name, resp)
}

// quotaSpent reports whether a 429 without Retry-After means the daily
// quota rather than the one-call-a-second rate. DHL answers both with the
// same problem document ("Too many requests within defined time period,
// please try again later.", itsvic-dev/deliveries issue #68), so the body
// decides only when it names a quota; otherwise a 429 that follows the
// previous request by two seconds or more (or follows none) cannot be the
// per-second limit and is taken as the daily quota.
func quotaSpent(body []byte, now, prev time.Time) bool {
	if strings.Contains(strings.ToLower(string(body)), "quota") {
		return true
	}
	return prev.IsZero() || now.Sub(prev) >= 2*MinInterval
}

// pick keeps the shipment asked for: DHL may answer with shipments of
// several business units that share a number. With several matches the
// one with the latest event wins.
func pick(res []carriers.Result, number string) ([]carriers.Result, error) {
	if len(res) == 0 {
		return []carriers.Result{carriers.NotFound(Name, number)}, nil
	}
	best := -1
	for i, r := range res {
		if !sameNumber(r.Number, number) {
			continue
		}
		if best < 0 || latest(r).After(latest(res[best])) {
			best = i
		}
	}
	if best < 0 {
		return nil, fmt.Errorf("%s: asked %s, answer is about %s: %w", Name, number, res[0].Number, ErrWrongNumber)
	}
	r := res[best]
	r.Number = number
	return []carriers.Result{r}, nil
}

func sameNumber(a, b string) bool {
	clean := func(s string) string { return strings.ToUpper(strings.ReplaceAll(s, " ", "")) }
	return clean(a) == clean(b)
}

func latest(r carriers.Result) time.Time {
	if len(r.Events) == 0 {
		return time.Time{}
	}
	return r.Events[len(r.Events)-1].Time
}

// problem is an RFC 7807 problem document, DHL's error answer.
type problem struct {
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
}

// notFound reports whether the problem says the number is unknown.
func (p problem) notFound() bool {
	t := strings.ToLower(p.Title + " " + p.Detail)
	return p.Status == http.StatusNotFound && (strings.Contains(t, "no result") || strings.Contains(t, "no shipment"))
}

func problemOf(body []byte) (problem, bool) {
	var p problem
	if err := json.Unmarshal(body, &p); err != nil || p.Status == 0 {
		return problem{}, false
	}
	return p, true
}
