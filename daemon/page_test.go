package daemon_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/internal/passwd"
)

// pageClient is a browser stand-in: a cookie jar, no redirects followed.
type pageClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newPageClient(t *testing.T, addr string) *pageClient {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &pageClient{t: t, base: "http://" + addr, c: &http.Client{
		Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (p *pageClient) do(method, path string, form url.Values) (int, string, string) {
	p.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, p.base+path, body)
	if err != nil {
		p.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := p.c.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func formToken(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf field on the page:\n%s", page)
	}
	return m[1]
}

// TestPageAddsParcel adds a parcel on the status page of a running daemon:
// it is polled at once, its delivery failure is pushed, and it can be
// removed there; a config parcel cannot.
func TestPageAddsParcel(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	cfgParcel, added := trackingNumber(90), trackingNumber(91)
	site.delivered("yamato", cfgParcel)
	failedAtYamato(site, added)
	// An hourly tick: the new parcel must be polled at once (the daemon
	// pokes the engine), not at the next tick.
	in := newInstance(t, setup{Site: site, Schedule: "@every 1h", Parcels: []parcel{{cfgParcel, "config lens", "yamato"}}}).start(options{})
	pc := newPageClient(t, in.addr)

	code, _, page := pc.do(http.MethodGet, "/", nil)
	if code != http.StatusOK || !strings.Contains(page, `action="/add"`) {
		t.Fatalf("GET / = %d, want 200 with the add form:\n%s", code, page)
	}
	tok := formToken(t, page)
	code, loc, _ := pc.do(http.MethodPost, "/add/confirm", url.Values{"csrf": {tok}, "number": {added[:4] + " " + added[4:]}, "label": {"スマホから"}})
	if code != http.StatusSeeOther || !strings.Contains(loc, "done=added") {
		t.Fatalf("add = %d → %q", code, loc)
	}
	in.eventually("the page-added parcel is polled and its failure pushed", func() error {
		p, err := in.parcel(added)
		if err != nil {
			return err
		}
		if p.Origin != api.OriginPage || p.Status != "delivery_failed" {
			return fmt.Errorf("parcel = origin %q status %q", p.Origin, p.Status)
		}
		out, err := os.ReadFile(in.out)
		if err != nil {
			return err
		}
		if !strings.Contains(string(out), "スマホから") || !strings.Contains(string(out), "持戻（ご不在）") {
			return fmt.Errorf("no push for it yet:\n%s", out)
		}
		return nil
	})
	// The same number again is known; a config parcel's number too.
	_, loc, _ = pc.do(http.MethodPost, "/add/confirm", url.Values{"csrf": {tok}, "number": {added}})
	if !strings.Contains(loc, "done=known") {
		t.Errorf("adding it again → %q, want done=known", loc)
	}
	_, loc, _ = pc.do(http.MethodPost, "/add/confirm", url.Values{"csrf": {tok}, "number": {cfgParcel}})
	if !strings.Contains(loc, "done=configured") && !strings.Contains(loc, "done=known") {
		t.Errorf("adding a config parcel → %q, want configured or known", loc)
	}

	_, _, page = pc.do(http.MethodGet, "/", nil)
	if strings.Contains(page, `action="/parcel/`+cfgParcel+`/remove"`) {
		t.Error("a config parcel has a remove button")
	}
	if code, _, _ := pc.do(http.MethodPost, "/parcel/"+cfgParcel+"/remove", url.Values{"csrf": {tok}}); code != http.StatusConflict {
		t.Errorf("removing a config parcel on the page = %d, want 409", code)
	}
	if code, _, _ := pc.do(http.MethodPost, "/parcel/"+added+"/remove", url.Values{"csrf": {tok}}); code != http.StatusSeeOther {
		t.Fatalf("remove = %d, want 303", code)
	}
	ps, err := in.parcels()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ps[added]; ok || !ps[cfgParcel].Tracked {
		t.Errorf("after remove: page parcel listed %v, config parcel tracked %v", ok, ps[cfgParcel].Tracked)
	}
}

// TestPageLogin: a password hash in the config puts the page behind a
// login; the CLI on loopback still reaches the API.
func TestPageLogin(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	n := trackingNumber(92)
	site.delivered("yamato", n)
	in := newInstance(t, setup{Site: site, Parcels: []parcel{{n, "lens", "yamato"}}})
	hash, err := passwd.New("a long passphrase", passwd.MinIterations)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(in.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(data), "api:\n", "api:\n  password_hash: '"+hash+"'\n", 1)
	if err := os.WriteFile(in.cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	in.start(options{})

	pc := newPageClient(t, in.addr)
	if code, loc, _ := pc.do(http.MethodGet, "/", nil); code != http.StatusSeeOther || loc != "/login" {
		t.Fatalf("GET / = %d → %q, want 303 to /login", code, loc)
	}
	if _, err := in.parcels(); err != nil {
		t.Errorf("the CLI's API call on loopback: %v", err)
	}
	_, _, page := pc.do(http.MethodGet, "/login", nil)
	code, _, _ := pc.do(http.MethodPost, "/login", url.Values{"csrf": {formToken(t, page)}, "password": {"a long passphrase"}})
	if code != http.StatusSeeOther {
		t.Fatalf("login = %d, want 303", code)
	}
	code, _, page = pc.do(http.MethodGet, "/", nil)
	if code != http.StatusOK || !strings.Contains(page, "lens") || !strings.Contains(page, `action="/add"`) {
		t.Errorf("GET / after login = %d:\n%s", code, page)
	}
}
