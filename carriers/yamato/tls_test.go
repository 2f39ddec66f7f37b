package yamato

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/fake"
)

// rsaOnlyYamato starts a TLS 1.2 server that offers only RSA key-exchange
// cipher suites — as Yamato's tracking server is reported to (public code
// ids 53130102710 and 60451343677) — and serves the fake 2026 result page.
func rsaOnlyYamato(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nums, err := fake.Yamato{}.Numbers(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if !strings.HasPrefix(tls.CipherSuiteName(r.TLS.CipherSuite), "TLS_RSA_WITH_") {
			http.Error(w, "not an RSA key exchange", http.StatusInternalServerError)
			return
		}
		parcels := make([]fake.Parcel, len(nums))
		for i, n := range nums {
			parcels[i] = fake.Parcel{Number: n, Found: true, Rows: rows()}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = fake.Yamato{}.Render(w, parcels)
	}))
	srv.EnableHTTP2 = false
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = &tls.Config{
		MinVersion: tls.VersionTLS12,
		MaxVersion: tls.VersionTLS12,
		CipherSuites: []uint16{
			tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_RSA_WITH_AES_128_CBC_SHA,
			tls.TLS_RSA_WITH_AES_256_CBC_SHA,
		},
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// roots returns the pool that trusts srv's test certificate.
func roots(srv *httptest.Server) *tls.Config {
	return srv.Client().Transport.(*http.Transport).TLSClientConfig
}

// TestTrackRSAOnlyServer reaches an RSA-only TLS 1.2 server through
// Options.BaseURL with the carrier client (carriers.NewHTTPClient, which
// adds the TLS_RSA_* suites), trusting the test certificate.
func TestTrackRSAOnlyServer(t *testing.T) {
	srv := rsaOnlyYamato(t)
	client := carriers.NewHTTPClient()
	client.Transport.(*http.Transport).TLSClientConfig.RootCAs = roots(srv).RootCAs
	c := New(carriers.Options{BaseURL: srv.URL, Client: client, Now: func() time.Time { return fixedNow }})
	res, err := c.Track(context.Background(), testNumbers[:2])
	if err != nil {
		t.Fatalf("Track against an RSA-only TLS 1.2 server: %v", err)
	}
	if len(res) != 2 || res[1].Status != carriers.StatusDeliveryFailed || res[1].Reason != carriers.ReasonAbsent {
		t.Errorf("got %+v, want two delivery_failed/absent results", res)
	}
}

// TestTrackTLSHandshakeNamed checks that a client without the RSA suites
// (Go's defaults) fails against the same server, so the test above can
// fail, and that the failure is a transient error naming the handshake.
func TestTrackTLSHandshakeNamed(t *testing.T) {
	srv := rsaOnlyYamato(t)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots(srv).RootCAs}}}
	c := New(carriers.Options{BaseURL: srv.URL, Client: client, Now: func() time.Time { return fixedNow }})
	res, err := c.Track(context.Background(), testNumbers[:1])
	if err == nil {
		t.Fatalf("Go's default TLS settings reached an RSA-only server (%+v): the test proves nothing", res)
	}
	if !errors.Is(err, carriers.ErrTLSHandshake) || !carriers.IsTransient(err) || res != nil {
		t.Errorf("got %+v, %v; want a transient error wrapping carriers.ErrTLSHandshake", res, err)
	}
	if errors.Is(err, carriers.ErrLayoutChanged) {
		t.Errorf("a handshake failure reported as a layout change: %v", err)
	}
	if !strings.Contains(err.Error(), "tls handshake failed") {
		t.Errorf("message %q does not name the handshake", err)
	}
}

// TestTrackShortBody checks that a page cut off in transit (a short
// Content-Length) is the Fetcher's transient error, never a result: the
// parser itself looks for no end-of-page landmark.
func TestTrackShortBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		_ = fake.Yamato{}.Render(&b, []fake.Parcel{{Number: testNumbers[0], Found: true, Rows: rows()}})
		page := b.String()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", "100000")
		_, _ = io.WriteString(w, page[:len(page)/2])
	}))
	defer srv.Close()
	c := New(carriers.Options{BaseURL: srv.URL, Client: srv.Client(), Now: func() time.Time { return fixedNow }})
	res, err := c.Track(context.Background(), testNumbers[:1])
	if !carriers.IsTransient(err) || res != nil {
		t.Fatalf("got %+v, %v; want a transient error", res, err)
	}
}
