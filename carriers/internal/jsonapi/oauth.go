package jsonapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/todoku/todoku/carriers"
)

// Credentials are an OAuth 2.0 client's id and secret. String and
// GoString never show the secret.
type Credentials struct {
	ClientID     string
	ClientSecret string
}

// String returns the client id and a placeholder for the secret.
func (c Credentials) String() string { return "client " + c.ClientID + " (secret hidden)" }

// GoString is String, so that %#v does not print the secret either.
func (c Credentials) GoString() string { return c.String() }

// Tokens fetches OAuth 2.0 client-credentials access tokens and caches
// the current one until shortly before it expires or until the API
// refuses it.
type Tokens struct {
	carrier string
	cfg     clientcredentials.Config
	client  *Client

	mu  sync.Mutex
	tok *oauth2.Token
	// fetched counts token requests (tests).
	fetched int
}

// NewTokens returns a token cache for the token endpoint tokenURL. With
// inHeader the client id and secret go in an HTTP Basic Authorization
// header (UPS); otherwise in the form body (FedEx).
func NewTokens(carrier, tokenURL string, cred Credentials, inHeader bool, client *Client) *Tokens {
	style := oauth2.AuthStyleInParams
	if inHeader {
		style = oauth2.AuthStyleInHeader
	}
	return &Tokens{
		carrier: carrier,
		cfg: clientcredentials.Config{
			ClientID: cred.ClientID, ClientSecret: cred.ClientSecret,
			TokenURL: tokenURL, AuthStyle: style,
		},
		client: client,
	}
}

// Token returns a valid access token, fetching one when none is cached
// or the cached one expires within ten seconds.
func (t *Tokens) Token(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tok.Valid() {
		return t.tok.AccessToken, nil
	}
	tok, err := t.fetch(ctx)
	if err != nil {
		return "", err
	}
	t.tok = tok
	return tok.AccessToken, nil
}

// Refused drops the cached token when it is still access: the API
// answered 401 to it (expired early or revoked).
func (t *Tokens) Refused(access string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tok != nil && t.tok.AccessToken == access {
		t.tok = nil
	}
}

// Fetched returns how many tokens were requested.
func (t *Tokens) Fetched() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.fetched
}

// fetch asks the token endpoint for a new token. The caller holds mu.
func (t *Tokens) fetch(ctx context.Context) (*oauth2.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", t.carrier, err)
	}
	opts := t.client.Options()
	tctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	hc := &http.Client{Transport: capTransport{client: opts.Client, ua: opts.UserAgent, max: opts.MaxBody}}
	tctx = context.WithValue(tctx, oauth2.HTTPClient, hc)
	t.fetched++
	tok, err := t.cfg.Token(tctx)
	if err == nil {
		if tok.AccessToken == "" {
			return nil, &carriers.LayoutError{Carrier: t.carrier, Missing: "access_token in the token answer"}
		}
		return tok, nil
	}
	if perr := ctx.Err(); perr != nil {
		return nil, fmt.Errorf("%s: %w", t.carrier, perr)
	}
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return nil, &carriers.FetchError{Carrier: t.carrier, Err: fmt.Errorf("token request failed: %w", scrub(unwrapAll(err)))}
	}
	status := re.Response.StatusCode
	r := Response{Status: status, Header: re.Response.Header}
	if terr := Transient(t.carrier, r, opts.Clock()); terr != nil {
		return nil, terr
	}
	switch status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
		// invalid_client and its kin: the id or secret is wrong.
		return nil, &carriers.FetchError{Carrier: t.carrier, StatusCode: status,
			Err: fmt.Errorf("token request refused (%s): %w", orNone(re.ErrorCode), ErrAuth)}
	case http.StatusNotFound, http.StatusGone:
		return nil, &carriers.LayoutError{Carrier: t.carrier, Missing: fmt.Sprintf("the token endpoint (HTTP %d)", status)}
	}
	return nil, &carriers.FetchError{Carrier: t.carrier, StatusCode: status, Err: errors.New("token request failed")}
}

func orNone(s string) string {
	if s == "" {
		return "no error code"
	}
	return s
}

// unwrapAll returns the innermost error of err's chain: oauth2 wraps
// transport errors in messages of its own.
func unwrapAll(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		if _, ok := next.(interface{ Timeout() bool }); ok {
			return next
		}
		err = next
	}
}

// capTransport sends token requests through the adapter's HTTP client,
// with its User-Agent, and fails a response whose body is larger than
// max by its Content-Length (oauth2 reads at most 1 MiB of any body).
type capTransport struct {
	client *http.Client
	ua     string
	max    int64
}

func (c capTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > c.max {
		resp.Body.Close()
		return nil, fmt.Errorf("token response larger than %d bytes", c.max)
	}
	return resp, nil
}
