// Package jsonapi is the HTTP plumbing shared by the adapters that ask a
// carrier's official JSON API (DHL, FedEx, UPS) instead of reading a web
// page: a request with a User-Agent, a per-request timeout and a capped
// body; HTTP failures turned into *carriers.FetchError values; and an
// OAuth 2.0 client-credentials token cache that can be told a token was
// refused.
//
// Secrets never appear in its errors or logs: request URLs carry no
// credentials (they travel in headers and form bodies), token responses
// are never recorded, and a refused token request is reported by its
// status and OAuth error code only, never by its body.
package jsonapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/todoku/todoku/carriers"
)

// The errors of the package. Adapters re-export them.
var (
	// ErrAuth means the carrier refused the configured credentials (API
	// key, client id or secret), even after a fresh token: a person must
	// fix the config. It comes wrapped in a *carriers.FetchError.
	ErrAuth = errors.New("credentials refused")
	// ErrQuota means the daily allowance of calls is spent. It comes
	// wrapped in a *carriers.FetchError whose RetryAfter reaches the
	// renewal.
	ErrQuota = errors.New("daily call quota exhausted")
)

// Response is an API answer whose body has been read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Client performs one carrier's API requests.
type Client struct {
	carrier string
	opts    carriers.Options
}

// New returns a Client for the named carrier with opts' defaults filled in
// (see carriers.NewFetcher).
func New(carrier string, opts carriers.Options) *Client {
	if opts.Client == nil {
		opts.Client = &http.Client{}
	}
	if opts.Timeout <= 0 {
		opts.Timeout = carriers.DefaultTimeout
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = carriers.DefaultMaxBody
	}
	if opts.UserAgent == "" {
		opts.UserAgent = carriers.UserAgent
	}
	return &Client{carrier: carrier, opts: opts}
}

// Options returns the options with defaults filled in.
func (c *Client) Options() carriers.Options { return c.opts }

// Do sends req and reads its body, at most MaxBody bytes. It returns a
// *carriers.FetchError for network errors, timeouts and oversized bodies,
// and ctx's error (wrapped) when req's context ends first. It does not
// judge the status code: see Transient. When record is true and
// Options.Record is set, the response is handed to it.
func (c *Client) Do(req *http.Request, record bool) (Response, error) {
	parent := req.Context()
	if err := parent.Err(); err != nil {
		return Response{}, fmt.Errorf("%s: %w", c.carrier, err)
	}
	ctx, cancel := context.WithTimeout(parent, c.opts.Timeout)
	defer cancel()
	req = req.WithContext(ctx)
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	resp, err := c.opts.Client.Do(req)
	if err != nil {
		if perr := parent.Err(); perr != nil {
			return Response{}, fmt.Errorf("%s: %w", c.carrier, perr)
		}
		return Response{}, &carriers.FetchError{Carrier: c.carrier, Err: scrub(err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBody+1))
	if err != nil {
		if perr := parent.Err(); perr != nil {
			return Response{}, fmt.Errorf("%s: %w", c.carrier, perr)
		}
		return Response{}, &carriers.FetchError{Carrier: c.carrier, StatusCode: resp.StatusCode, Err: fmt.Errorf("read body: %w", err)}
	}
	if record && c.opts.Record != nil {
		c.opts.Record(carriers.Recording{
			Carrier: c.carrier, Method: req.Method, URL: req.URL.String(),
			Status: resp.StatusCode, Header: resp.Header.Clone(), Body: body,
		})
	}
	if int64(len(body)) > c.opts.MaxBody {
		return Response{}, &carriers.FetchError{Carrier: c.carrier, StatusCode: resp.StatusCode,
			Err: fmt.Errorf("response body larger than %d bytes", c.opts.MaxBody)}
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// scrub keeps a transport error's operation and cause but drops the URL's
// query string, so that no error repeats what a request carried.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.URL != "" {
		u, perr := url.Parse(ue.URL)
		if perr != nil {
			return fmt.Errorf("%s: %w", ue.Op, ue.Err)
		}
		u.RawQuery, u.User = "", nil
		return fmt.Errorf("%s %s: %w", ue.Op, u.Redacted(), ue.Err)
	}
	return err
}

// Transient returns a *carriers.FetchError for a 429 or 5xx answer (with
// the Retry-After the server sent), and nil for any other status.
func Transient(carrier string, r Response, now time.Time) error {
	if r.Status == http.StatusTooManyRequests || r.Status >= 500 {
		return &carriers.FetchError{Carrier: carrier, StatusCode: r.Status,
			RetryAfter: carriers.ParseRetryAfter(r.Header.Get("Retry-After"), now)}
	}
	return nil
}

// Unexpected returns the *carriers.FetchError for a status the adapter has
// no meaning for.
func Unexpected(carrier string, r Response) error {
	return &carriers.FetchError{Carrier: carrier, StatusCode: r.Status,
		Err: fmt.Errorf("unexpected status %d %s", r.Status, http.StatusText(r.Status))}
}

// Auth returns the error for credentials the carrier refused.
func Auth(carrier string, status int) error {
	return &carriers.FetchError{Carrier: carrier, StatusCode: status, Err: ErrAuth}
}

// Quota returns the error for a spent daily allowance renewed at next.
func Quota(carrier string, status int, now, next time.Time) error {
	return &carriers.FetchError{Carrier: carrier, StatusCode: status, RetryAfter: max(next.Sub(now), time.Second), Err: ErrQuota}
}

// LooksLikeHTML reports whether body is an HTML page rather than JSON (a
// gateway's maintenance or error page).
func LooksLikeHTML(body []byte) bool {
	s := strings.TrimSpace(string(body[:min(len(body), 512)]))
	return strings.HasPrefix(s, "<")
}

// HTMLAnswer classifies an HTML page served where JSON was expected: a
// maintenance notice is transient, anything else a changed API.
func HTMLAnswer(carrier string, body []byte) error {
	low := strings.ToLower(string(body))
	if strings.Contains(low, "maintenance") || strings.Contains(string(body), "メンテナンス") {
		return &carriers.FetchError{Carrier: carrier, Maintenance: true}
	}
	return &carriers.LayoutError{Carrier: carrier, Missing: "a JSON answer (got an HTML page)"}
}
