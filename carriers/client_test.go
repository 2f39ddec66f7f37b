package carriers

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// rsaOnlyServer starts a TLS 1.2 server that offers only RSA key-exchange
// cipher suites, as Yamato's tracking server is reported to.
func rsaOnlyServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
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

// trusting returns a carrier client (NewHTTPClient) that trusts srv's
// test certificate, or, with defaults, a client with Go's default TLS
// settings that trusts it.
func trusting(srv *httptest.Server, defaults bool) *http.Client {
	roots := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	if defaults {
		return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	}
	c := NewHTTPClient()
	c.Transport.(*http.Transport).TLSClientConfig.RootCAs = roots
	return c
}

// TestRSAKeyExchange checks that the carrier client connects to a server
// offering only TLS 1.2 RSA key exchange, that Go's default client does
// not (so the test can fail), and that the failure is named a handshake
// failure.
func TestRSAKeyExchange(t *testing.T) {
	srv := rsaOnlyServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "<html><body>ok "+tls.CipherSuiteName(r.TLS.CipherSuite)+"</body></html>")
	}))

	f := NewFetcher("yamato", Options{Client: trusting(srv, false)})
	page, err := f.Get(context.Background(), srv.URL+"/cgi-bin/tneko")
	if err != nil {
		t.Fatalf("carrier client against an RSA-only server: %v", err)
	}
	if !strings.Contains(string(page.Body), "TLS_RSA_WITH_") {
		t.Errorf("negotiated %q, want an RSA key-exchange suite", page.Body)
	}

	f = NewFetcher("yamato", Options{Client: trusting(srv, true)})
	_, err = f.Get(context.Background(), srv.URL+"/cgi-bin/tneko")
	if err == nil {
		t.Fatal("Go's default TLS settings connected to an RSA-only server: the test proves nothing")
	}
	if !errors.Is(err, ErrTLSHandshake) || !IsTransient(err) {
		t.Errorf("err = %v, want a transient error naming the TLS handshake", err)
	}
	if !strings.Contains(err.Error(), "tls handshake failed") {
		t.Errorf("message %q does not say the handshake failed", err)
	}
}

func TestRedirectPolicy(t *testing.T) {
	final := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "<html>elsewhere</html>")
	}))
	defer final.Close()
	var target string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/same":
			http.Redirect(w, r, "/page", http.StatusFound)
		case "/away":
			http.Redirect(w, r, target, http.StatusFound)
		default:
			_, _ = io.WriteString(w, "<html>page</html>")
		}
	}))
	defer srv.Close()
	target = final.URL + "/phish"

	f := NewFetcher("sagawa", Options{Client: srv.Client(), Domains: []string{"sagawa-exp.co.jp"}})
	if p, err := f.Get(context.Background(), srv.URL+"/same"); err != nil || !strings.Contains(string(p.Body), "page") {
		t.Fatalf("redirect on the same host: %q, %v", p.Body, err)
	}
	// final.URL is another port on 127.0.0.1: same host name, other host:port.
	_, err := f.Get(context.Background(), srv.URL+"/away")
	if !errors.Is(err, ErrRedirect) {
		t.Fatalf("redirect to another host: err = %v, want ErrRedirect", err)
	}
}

func TestCheckRedirect(t *testing.T) {
	u := func(s string) *url.URL {
		p, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	domains := []string{"kuronekoyamato.co.jp"}
	first := u("https://toi.kuronekoyamato.co.jp/cgi-bin/tneko")
	for _, tt := range []struct {
		next string
		ok   bool
	}{
		{"https://toi.kuronekoyamato.co.jp/other", true},
		{"https://member.kuronekoyamato.co.jp/x", true},
		{"https://kuronekoyamato.co.jp/", true},
		{"http://toi.kuronekoyamato.co.jp/", false},
		{"https://kuronekoyamato.co.jp.evil.example/", false},
		{"https://evilkuronekoyamato.co.jp/", false},
		{"https://example.com/", false},
	} {
		err := checkRedirect(first, first, u(tt.next), domains)
		if (err == nil) != tt.ok {
			t.Errorf("redirect to %s: err = %v, want ok=%v", tt.next, err, tt.ok)
		}
	}
}

func TestEmptyBodyIsTransient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, " \r\n")
	}))
	defer srv.Close()
	_, err := NewFetcher("sagawa", Options{Client: srv.Client()}).Get(context.Background(), srv.URL)
	if !errors.Is(err, ErrEmptyBody) || !IsTransient(err) {
		t.Fatalf("err = %v, want a transient empty-body error", err)
	}
}

func TestShortBodyIsTransient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", "10000")
		_, _ = io.WriteString(w, "<html><body><table>")
	}))
	defer srv.Close()
	_, err := NewFetcher("sagawa", Options{Client: srv.Client()}).Get(context.Background(), srv.URL)
	if !IsTransient(err) || errors.Is(err, ErrLayoutChanged) {
		t.Fatalf("err = %v, want transient (cut off in transit)", err)
	}
}

func TestDecodeHTMLLongHead(t *testing.T) {
	sjis := func(s string) []byte {
		b, err := io.ReadAll(transform.NewReader(strings.NewReader(s), japanese.ShiftJIS.NewEncoder()))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	long := "<!-- " + strings.Repeat("x", 2000) + " -->"
	for name, page := range map[string][]byte{
		"meta after 1024 bytes": sjis("<html><head>" + long + `<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head><body>配達完了</body></html>`),
		"no declaration":        sjis("<html><body>配達完了</body></html>"),
		"utf-8, no declaration": []byte("<html><body>配達完了</body></html>"),
	} {
		r, err := DecodeHTML(bytes.NewReader(page), "")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		if !strings.Contains(string(b), "配達完了") {
			t.Errorf("%s: decoded %q", name, b[max(0, len(b)-60):])
		}
	}
}
