// Package fedex tracks FedEx shipments through FedEx's official Track API
// (developer.fedex.com), up to 30 numbers per POST request, with OAuth 2.0
// client credentials (the API key and secret key of a FedEx developer
// project that includes the Track API).
//
// Fetching is separate from parsing: Track gets a token, builds the
// request, refreshes a refused token once and interprets the HTTP status;
// [Parse] is a pure function over the JSON answer.
//
// # Sources
//
//   - FedEx Track API v1 OpenAPI, as vendored in karrioapi/karrio
//     modules/connectors/fedex/vendor/track.json, and karrio's
//     modules/connectors/fedex/SPECS.md: POST /track/v1/trackingnumbers
//     with trackingInfo[] ("Maximum limit is 30"), OAuth token from
//     POST /oauth/token (grant_type=client_credentials, client_id,
//     client_secret in the form), answers in
//     output.completeTrackResults[].trackResults[].
//   - karrioapi/karrio modules/connectors/fedex/tests/fedex/test_tracking.py:
//     real-looking answers (scan events newest first with offsets, two
//     trackResults for one reused number, DE with "Customer not available
//     or business closed", HP "Ready for recipient pickup", and the
//     TRACKING.TRACKINGNUMBER.NOTFOUND error).
//   - FedEx's "Tracking Status Codes" table, vendored in karrio as
//     modules/connectors/fedex/vendor/Tracking-Status-Codes.html.
//   - shared/research/more-carriers.md, "Response fields" and "Limits":
//     the status codes DL, DE, SE, OD, HL/HP, DY/DD, RS, CA, CD; 1,400
//     requests per 10 s per project and 100,000 a day.
//
// # Caveats
//
// FedEx does not say in the sources above when a spent daily quota is
// renewed: a 429 whose body mentions a quota is retried after an hour.
// FedEx's exception codes are only partly public; a delivery exception's
// reason is read from its words (refused, address, closed, not available)
// and is "other" when they say nothing known.
package fedex

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/internal/jsonapi"
)

// Name is the registry name of the adapter.
const Name = "fedex"

// Endpoints.
const (
	DefaultBaseURL = "https://apis.fedex.com"
	SandboxBaseURL = "https://apis-sandbox.fedex.com"
	TrackPath      = "/track/v1/trackingnumbers"
	TokenPath      = "/oauth/token"
)

// MaxNumbers is how many numbers one request may carry.
const MaxNumbers = 30

// quotaRetry is how long to wait after FedEx says the daily quota is
// spent: its renewal time is not documented.
const quotaRetry = time.Hour

// The errors of the fedex package. ErrAuth and ErrQuota come wrapped in a
// *carriers.FetchError.
var (
	// ErrAuth means FedEx refused the client id or secret, or a fresh
	// token.
	ErrAuth = jsonapi.ErrAuth
	// ErrQuota means the daily quota is spent.
	ErrQuota = jsonapi.ErrQuota
	// ErrNoKey means New was given no client id or secret.
	ErrNoKey = errors.New("fedex: no API key and secret configured")
)

// Config is what the FedEx adapter needs besides carriers.Options.
type Config struct {
	// ClientID and ClientSecret are the API key and secret key of a
	// FedEx developer project with the Track API. Both required; never
	// logged.
	ClientID     string
	ClientSecret string
	// Locale is sent as X-locale (event words' language); empty means
	// "en_US".
	Locale string
}

// String hides the secret.
func (c Config) String() string { return "fedex config (client " + c.ClientID + ", secret hidden)" }

// LogValue hides the credentials from log/slog, text and JSON handlers
// alike.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// GoString hides the secret from %#v.
func (c Config) GoString() string { return c.String() }

// Carrier is the FedEx adapter.
type Carrier struct {
	api    *jsonapi.Client
	tokens *jsonapi.Tokens
	base   string
	locale string
}

var _ carriers.Carrier = (*Carrier)(nil)

// New returns a FedEx adapter. It fails with ErrNoKey when the client id
// or secret is empty. opts.BaseURL, when set, replaces DefaultBaseURL for
// both the token and the tracking endpoint (SandboxBaseURL for FedEx's
// test environment).
func New(cfg Config, opts carriers.Options) (*Carrier, error) {
	if strings.TrimSpace(cfg.ClientID) == "" || strings.TrimSpace(cfg.ClientSecret) == "" {
		return nil, ErrNoKey
	}
	if cfg.Locale == "" {
		cfg.Locale = "en_US"
	}
	api := jsonapi.New(Name, opts)
	base := opts.Base(DefaultBaseURL)
	cred := jsonapi.Credentials{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret}
	return &Carrier{api: api, base: base, locale: cfg.Locale,
		tokens: jsonapi.NewTokens(Name, base+TokenPath, cred, false, api)}, nil
}

// Name returns "fedex".
func (c *Carrier) Name() string { return Name }

// BatchSize is MaxNumbers.
func (c *Carrier) BatchSize() int { return MaxNumbers }

// TokenRequests returns how many OAuth tokens the adapter has asked for.
func (c *Carrier) TokenRequests() int { return c.tokens.Fetched() }

type trackRequest struct {
	IncludeDetailedScans bool           `json:"includeDetailedScans"`
	TrackingInfo         []trackingInfo `json:"trackingInfo"`
}

type trackingInfo struct {
	TrackingNumberInfo struct {
		TrackingNumber string `json:"trackingNumber"`
	} `json:"trackingNumberInfo"`
}

// Track asks FedEx about up to MaxNumbers numbers in one request. See
// carriers.Carrier for the errors; besides those, refused credentials are
// a *carriers.FetchError wrapping ErrAuth (after one fresh token), and a
// spent quota one wrapping ErrQuota.
func (c *Carrier) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	if err := carriers.CheckBatch(Name, numbers, c.BatchSize()); err != nil {
		return nil, err
	}
	body := trackRequest{IncludeDetailedScans: true, TrackingInfo: make([]trackingInfo, len(numbers))}
	for i, n := range numbers {
		body.TrackingInfo[i].TrackingNumberInfo.TrackingNumber = n
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("%s: encode request: %w", Name, err)
	}
	resp, err := c.post(ctx, payload)
	if err != nil {
		return nil, err
	}
	return c.answer(resp, numbers)
}

// post sends the tracking request with a token, and once more with a
// fresh token when the first is refused.
func (c *Carrier) post(ctx context.Context, payload []byte) (jsonapi.Response, error) {
	for attempt := 0; ; attempt++ {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return jsonapi.Response{}, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+TrackPath, bytes.NewReader(payload))
		if err != nil {
			return jsonapi.Response{}, fmt.Errorf("%s: build request: %w", Name, err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("X-locale", c.locale)
		resp, err := c.api.Do(req, true)
		if err != nil {
			return jsonapi.Response{}, err
		}
		if resp.Status != http.StatusUnauthorized {
			return resp, nil
		}
		c.tokens.Refused(tok)
		if attempt == 1 {
			return jsonapi.Response{}, jsonapi.Auth(Name, resp.Status)
		}
	}
}

// answer interprets FedEx's answer about numbers.
func (c *Carrier) answer(resp jsonapi.Response, numbers []string) ([]carriers.Result, error) {
	now := c.api.Options().Clock()
	switch {
	case resp.Status == http.StatusOK:
		if jsonapi.LooksLikeHTML(resp.Body) {
			return nil, jsonapi.HTMLAnswer(Name, resp.Body)
		}
		res, err := Parse(bytes.NewReader(resp.Body), now)
		if err != nil {
			return nil, err
		}
		return match(res, numbers)
	case resp.Status == http.StatusForbidden:
		return nil, jsonapi.Auth(Name, resp.Status)
	case resp.Status == http.StatusTooManyRequests:
		if resp.Header.Get("Retry-After") == "" && strings.Contains(strings.ToLower(string(resp.Body)), "quota") {
			return nil, jsonapi.Quota(Name, resp.Status, now, now.Add(quotaRetry))
		}
		return nil, jsonapi.Transient(Name, resp, now)
	case resp.Status == http.StatusNotFound:
		return nil, &carriers.LayoutError{Carrier: Name, Missing: "the endpoint (HTTP 404)"}
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

// match orders the results as the numbers were asked. A number the answer
// does not mention means the answer is not what FedEx documents.
func match(res []carriers.Result, numbers []string) ([]carriers.Result, error) {
	by := make(map[string]carriers.Result, len(res))
	for _, r := range res {
		by[strings.ToUpper(r.Number)] = r
	}
	out := make([]carriers.Result, len(numbers))
	for i, n := range numbers {
		r, ok := by[strings.ToUpper(n)]
		if !ok {
			return nil, &carriers.LayoutError{Carrier: Name, Missing: "a completeTrackResult for " + n}
		}
		r.Number = n
		out[i] = r
	}
	return out, nil
}
