package carriers

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The sentinel errors of the carrier HTTP client.
var (
	// ErrTLSHandshake marks a connection whose TLS handshake failed: the
	// carrier's server and todoku found no cipher suite or protocol version
	// in common, or the certificate was refused. It travels inside a
	// transient *FetchError and is named in logs and operator notices.
	ErrTLSHandshake = errors.New("tls handshake failed")
	// ErrRedirect marks a redirect todoku refuses to follow: to a host
	// outside the carrier's official domains, or from https to http.
	ErrRedirect = errors.New("redirect refused")
	// ErrEmptyBody marks a 200 response without a body: transient.
	ErrEmptyBody = errors.New("empty response body")
)

// CipherSuites is the cipher-suite list of the carrier clients: Go's
// default suites, then the RSA key-exchange suites Go no longer offers by
// default (Go 1.22+). Yamato's tracking server is reported to accept only
// RSA key exchange (public code ids 53130102710 and 60451343677, 2026),
// and an explicit list is how a Go client still offers them.
func CipherSuites() []uint16 {
	var ids []uint16
	for _, cs := range tls.CipherSuites() {
		ids = append(ids, cs.ID)
	}
	return append(ids,
		tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
		tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_RSA_WITH_AES_128_CBC_SHA,
		tls.TLS_RSA_WITH_AES_256_CBC_SHA,
	)
}

// TLSConfig returns the TLS configuration of the carrier clients: TLS 1.2
// or later with CipherSuites (TLS 1.3 suites are not configurable and are
// always offered).
func TLSConfig() *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, CipherSuites: CipherSuites()}
}

// NewHTTPClient returns the HTTP client carrier adapters use by default:
// proxy from the environment, TLSConfig, bounded connection set-up, and
// no redirect policy of its own (a Fetcher adds one per carrier).
func NewHTTPClient() *http.Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:       TLSConfig(),
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: DefaultTimeout,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   2,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{Transport: tr}
}

// withRedirectPolicy returns a copy of c that follows at most 5 redirects,
// only to the first request's host or to a host within domains, and never
// from https to http.
func withRedirectPolicy(c *http.Client, domains []string) *http.Client {
	cp := *c
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return fmt.Errorf("%w: more than 5 redirects", ErrRedirect)
		}
		return checkRedirect(via[0].URL, via[len(via)-1].URL, req.URL, domains)
	}
	return &cp
}

// checkRedirect applies the redirect policy to one hop from prev to next;
// first is the URL originally asked for.
func checkRedirect(first, prev, next *url.URL, domains []string) error {
	if prev.Scheme == "https" && next.Scheme != "https" {
		return fmt.Errorf("%w: from https to %s://%s", ErrRedirect, next.Scheme, next.Host)
	}
	if strings.EqualFold(next.Host, first.Host) || InDomains(next.Hostname(), domains) {
		return nil
	}
	return fmt.Errorf("%w: to %s, outside the carrier's official domains", ErrRedirect, next.Hostname())
}

// InDomains reports whether host is one of domains or a subdomain of one.
func InDomains(host string, domains []string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, d := range domains {
		d = strings.ToLower(strings.TrimPrefix(d, "."))
		if d != "" && (host == d || strings.HasSuffix(host, "."+d)) {
			return true
		}
	}
	return false
}

// classifyTransportError names what went wrong with a request that got no
// response: a refused redirect or a failed TLS handshake is wrapped with
// its sentinel so that logs and operator notices say so.
func classifyTransportError(err error) error {
	if errors.Is(err, ErrRedirect) {
		return err
	}
	var (
		alert  tls.AlertError
		rec    tls.RecordHeaderError
		verify *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &alert), errors.As(err, &rec), errors.As(err, &verify),
		strings.Contains(err.Error(), "tls: "):
		return fmt.Errorf("%w: %w", ErrTLSHandshake, err)
	}
	return err
}
