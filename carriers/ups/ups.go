// Package ups tracks UPS packages through UPS's official Track API
// (developer.ups.com), one inquiry number per GET request, with OAuth 2.0
// client credentials. UPS links API apps to a UPS shipper account, so
// many individuals cannot get a key: the adapter is optional and is only
// registered when credentials are configured.
//
// Fetching is separate from parsing: Track gets a token, builds the
// request with the transId and transactionSrc headers UPS requires,
// refreshes a refused token once and interprets the HTTP status; [Parse]
// is a pure function over the JSON answer.
//
// # Sources
//
//   - UPS Track API OpenAPI, as vendored in karrioapi/karrio
//     modules/connectors/ups/vendors/Tracking.yaml: GET
//     /api/track/v1/details/{inquiryNumber}, headers transId and
//     transactionSrc, answers in trackResponse.shipment[].package[] with
//     activity[] (date YYYYMMDD, time HHMMSS, gmtDate, gmtTime, gmtOffset,
//     status{type, code, statusCode, description}).
//   - karrio's Tracking-status-description-codes.html (the statusCode
//     table: 022 first attempt, 060/145 delivery attempted, 064 refused,
//     050 address information required, 017/040 held for pickup, 034
//     returned to sender …) and Tracking-package-exceptions.html (the
//     exception codes of type X activities: 48 receiver not available, 49
//     final attempt, 55 business closed, 95 security access, 1A UPS
//     working to resolve the issue …).
//   - karrio's tests/ups/test_tracking.py: an answer with a type X
//     activity, the TW0001 "Tracking Information Not Found" warning and the
//     TV1002 "Invalid inquiry number" error.
//   - shared/research/more-carriers.md: OAuth token from
//     POST /security/v1/oauth/token with HTTP Basic client credentials;
//     proninyaroslav/libretrack issue #41 (a key needs a shipper account).
//
// # Caveats
//
// UPS publishes no rate limits and sends no rate-limit headers with a 429
// (UPS-API/api-documentation issue #8): a 429 honours Retry-After when
// there is one and is otherwise left to the tracker's backoff; a 429
// whose body mentions a quota is retried after an hour. Activity times are
// read from gmtDate/gmtTime when present, else from the local date and
// time in Tokyo for an activity in Japan and in UTC otherwise.
package ups

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/internal/jsonapi"
)

// Name is the registry name of the adapter.
const Name = "ups"

// Endpoints.
const (
	DefaultBaseURL = "https://onlinetools.ups.com"
	TestBaseURL    = "https://wwwcie.ups.com"
	TrackPath      = "/api/track/v1/details/"
	TokenPath      = "/security/v1/oauth/token"
)

const quotaRetry = time.Hour

// The errors of the ups package. ErrAuth and ErrQuota come wrapped in a
// *carriers.FetchError.
var (
	// ErrAuth means UPS refused the client id or secret, or a fresh token.
	ErrAuth = jsonapi.ErrAuth
	// ErrQuota means UPS said a quota is spent.
	ErrQuota = jsonapi.ErrQuota
	// ErrNoKey means New was given no client id or secret.
	ErrNoKey = errors.New("ups: no client id and secret configured")
)

// Config is what the UPS adapter needs besides carriers.Options.
type Config struct {
	// ClientID and ClientSecret are the credentials of a UPS developer
	// app with the Tracking API. Both required; never logged.
	ClientID     string
	ClientSecret string
	// TransactionSrc names the calling application in the transactionSrc
	// header; empty means "todoku".
	TransactionSrc string
	// Locale is the event words' language; empty means "en_US".
	Locale string
}

// String hides the secret.
func (c Config) String() string { return "ups config (client " + c.ClientID + ", secret hidden)" }

// LogValue hides the credentials from log/slog, text and JSON handlers
// alike.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// GoString hides the secret from %#v.
func (c Config) GoString() string { return c.String() }

// Carrier is the UPS adapter.
type Carrier struct {
	api    *jsonapi.Client
	tokens *jsonapi.Tokens
	base   string
	cfg    Config
}

var _ carriers.Carrier = (*Carrier)(nil)

// New returns a UPS adapter. It fails with ErrNoKey when the client id or
// secret is empty. opts.BaseURL, when set, replaces DefaultBaseURL for the
// token and the tracking endpoint (TestBaseURL for UPS's test
// environment).
func New(cfg Config, opts carriers.Options) (*Carrier, error) {
	if strings.TrimSpace(cfg.ClientID) == "" || strings.TrimSpace(cfg.ClientSecret) == "" {
		return nil, ErrNoKey
	}
	if cfg.TransactionSrc == "" {
		cfg.TransactionSrc = "todoku"
	}
	if cfg.Locale == "" {
		cfg.Locale = "en_US"
	}
	api := jsonapi.New(Name, opts)
	base := opts.Base(DefaultBaseURL)
	cred := jsonapi.Credentials{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret}
	return &Carrier{api: api, base: base, cfg: cfg,
		tokens: jsonapi.NewTokens(Name, base+TokenPath, cred, true, api)}, nil
}

// Name returns "ups".
func (c *Carrier) Name() string { return Name }

// BatchSize is 1: the details endpoint takes one inquiry number.
func (c *Carrier) BatchSize() int { return 1 }

// TokenRequests returns how many OAuth tokens the adapter has asked for.
func (c *Carrier) TokenRequests() int { return c.tokens.Fetched() }

// Track asks UPS about one number. See carriers.Carrier for the errors;
// besides those, refused credentials are a *carriers.FetchError wrapping
// ErrAuth (after one fresh token).
func (c *Carrier) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	if err := carriers.CheckBatch(Name, numbers, c.BatchSize()); err != nil {
		return nil, err
	}
	number := numbers[0]
	resp, err := c.get(ctx, number)
	if err != nil {
		return nil, err
	}
	return c.answer(resp, number)
}

// get sends the request with a token, and once more with a fresh token
// when the first is refused.
func (c *Carrier) get(ctx context.Context, number string) (jsonapi.Response, error) {
	u := c.base + TrackPath + url.PathEscape(number) + "?" + url.Values{"locale": {c.cfg.Locale}, "returnSignature": {"false"}}.Encode()
	for attempt := 0; ; attempt++ {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return jsonapi.Response{}, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return jsonapi.Response{}, fmt.Errorf("%s: build request: %w", Name, err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("transId", transID())
		req.Header.Set("transactionSrc", c.cfg.TransactionSrc)
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

// transID returns a request id unique to one request (32 hex digits: UPS
// allows up to 32 characters).
func transID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// answer interprets UPS's answer about number.
func (c *Carrier) answer(resp jsonapi.Response, number string) ([]carriers.Result, error) {
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
		return pick(res, number)
	case resp.Status == http.StatusNotFound || resp.Status == http.StatusBadRequest:
		if codes := errorCodes(resp.Body); notFoundCode(codes) {
			return []carriers.Result{carriers.NotFound(Name, number)}, nil
		}
		if resp.Status == http.StatusNotFound {
			return nil, &carriers.LayoutError{Carrier: Name, Missing: "the endpoint (HTTP 404 without TW0001)"}
		}
	case resp.Status == http.StatusForbidden:
		return nil, jsonapi.Auth(Name, resp.Status)
	case resp.Status == http.StatusTooManyRequests:
		if resp.Header.Get("Retry-After") == "" && strings.Contains(strings.ToLower(string(resp.Body)), "quota") {
			return nil, jsonapi.Quota(Name, resp.Status, now, now.Add(quotaRetry))
		}
		return nil, jsonapi.Transient(Name, resp, now)
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

// pick keeps the result about number.
func pick(res []carriers.Result, number string) ([]carriers.Result, error) {
	for _, r := range res {
		if r.Number == "" || strings.EqualFold(r.Number, number) {
			r.Number = number
			return []carriers.Result{r}, nil
		}
	}
	if len(res) == 0 {
		return nil, &carriers.LayoutError{Carrier: Name, Missing: "a shipment in trackResponse"}
	}
	return nil, &carriers.LayoutError{Carrier: Name, Missing: "a shipment for " + number}
}
