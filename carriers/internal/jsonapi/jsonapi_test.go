package jsonapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

func TestScrubDropsQuery(t *testing.T) {
	err := scrub(&url.Error{Op: "Get", URL: "https://user:pw@api.example/track?trackingNumber=123&key=SECRET", Err: errors.New("connection refused")})
	if s := err.Error(); strings.Contains(s, "SECRET") || strings.Contains(s, "pw") || !strings.Contains(s, "api.example/track") {
		t.Errorf("scrubbed error %q", s)
	}
}

func TestDoClassifies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept") != "application/json" || !strings.HasPrefix(r.Header.Get("User-Agent"), "todoku/") {
			t.Errorf("headers %v", r.Header)
		}
		switch r.URL.Path {
		case "/big":
			io.WriteString(w, strings.Repeat("x", 200))
		case "/busy":
			w.Header().Set("Retry-After", "9")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			io.WriteString(w, `{}`)
		}
	}))
	defer srv.Close()
	c := New("test", carriers.Options{MaxBody: 100})
	get := func(path string) (Response, error) {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+path, nil)
		return c.Do(req, false)
	}
	if _, err := get("/big"); !carriers.IsTransient(err) {
		t.Errorf("oversized body: %v", err)
	}
	r, err := get("/busy")
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := carriers.RetryAfter(Transient("test", r, time.Now())); !ok || d != 9*time.Second {
		t.Errorf("429: retry after %v", d)
	}
	if r, err := get("/ok"); err != nil || Transient("test", r, time.Now()) != nil {
		t.Errorf("200: %v", err)
	}
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	req, _ := http.NewRequest(http.MethodGet, dead.URL+"/x?trackingNumber=1", nil)
	if _, err := c.Do(req, false); !carriers.IsTransient(err) || strings.Contains(err.Error(), "trackingNumber") {
		t.Errorf("network error: %v", err)
	}
}

func TestHTMLAnswer(t *testing.T) {
	if !LooksLikeHTML([]byte("  <!DOCTYPE html><html>")) || LooksLikeHTML([]byte(`{"a":1}`)) {
		t.Error("LooksLikeHTML")
	}
	if err := HTMLAnswer("x", []byte("<html>Scheduled Maintenance</html>")); !carriers.IsTransient(err) {
		t.Errorf("maintenance: %v", err)
	}
	if err := HTMLAnswer("x", []byte("<html>Welcome</html>")); !errors.Is(err, carriers.ErrLayoutChanged) {
		t.Errorf("other page: %v", err)
	}
}

func TestTokensCacheAndRefuse(t *testing.T) {
	var issued atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, secret, ok := r.BasicAuth()
		if !ok || id != "id" || secret != "secret" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid_client"}`)
			return
		}
		n := issued.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"tok`+string(rune('0'+n))+`","token_type":"bearer","expires_in":3600}`)
	}))
	defer srv.Close()
	c := New("test", carriers.Options{})
	tk := NewTokens("test", srv.URL, Credentials{ClientID: "id", ClientSecret: "secret"}, true, c)
	ctx := context.Background()
	a, err := tk.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := tk.Token(ctx)
	if a != b || tk.Fetched() != 1 {
		t.Errorf("tokens %q %q after %d fetches; want one cached token", a, b, tk.Fetched())
	}
	tk.Refused("someone else's")
	if c, _ := tk.Token(ctx); c != a {
		t.Error("Refused of another token dropped the cached one")
	}
	tk.Refused(a)
	if c, _ := tk.Token(ctx); c == a || tk.Fetched() != 2 {
		t.Errorf("after Refused: token %q, %d fetches", c, tk.Fetched())
	}
	bad := NewTokens("test", srv.URL, Credentials{ClientID: "id", ClientSecret: "wrong"}, true, c)
	if _, err := bad.Token(ctx); !errors.Is(err, ErrAuth) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("bad secret: %v", err)
	}
	cred := Credentials{ClientID: "id", ClientSecret: "hush"}
	if strings.Contains(cred.String()+cred.GoString(), "hush") {
		t.Error("credentials print their secret")
	}
}
