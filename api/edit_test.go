package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/internal/passwd"
)

// editFake is a fakeSource that can add and remove parcels.
type editFake struct {
	*fakeSource
	emu     sync.Mutex
	adds    []AddRequest
	removes []string
}

var _ Editor = (*editFake)(nil)

func newEditFake() *editFake {
	f := &editFake{fakeSource: newFake()}
	for i := range f.parcels {
		f.parcels[i].Origin = OriginConfig
	}
	return f
}

func (f *editFake) AddParcel(ctx context.Context, req AddRequest) (AddResult, error) {
	f.emu.Lock()
	f.adds = append(f.adds, req)
	f.emu.Unlock()
	n, _ := carriers.Normalize(req.Number)
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.parcels {
		if p.Number == n {
			return AddResult{Number: n, Outcome: "known"}, nil
		}
	}
	f.parcels = append(f.parcels, ParcelView{Number: n, Label: req.Label, Carrier: req.Carrier, Origin: OriginPage, Removable: true, Tracked: true})
	return AddResult{Number: n, Outcome: "added"}, nil
}

func (f *editFake) RemoveParcel(ctx context.Context, number string) (RemoveResult, error) {
	f.emu.Lock()
	f.removes = append(f.removes, number)
	f.emu.Unlock()
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, p := range f.parcels {
		if p.Number != number {
			continue
		}
		if p.Origin == OriginConfig {
			return RemoveResult{Number: number, Origin: OriginConfig}, ErrConfigParcel
		}
		f.parcels = append(f.parcels[:i], f.parcels[i+1:]...)
		return RemoveResult{Number: number, Origin: p.Origin, Removed: true}, nil
	}
	return RemoveResult{Number: number}, ErrNotFound
}

func (f *editFake) counts() (adds, removes int) {
	f.emu.Lock()
	defer f.emu.Unlock()
	return len(f.adds), len(f.removes)
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects, so tests see each reply.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	hdr  map[string]string // sent with every request
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: base, hdr: map[string]string{}, c: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (b *browser) do(method, path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range b.hdr {
		req.Header.Set(k, v)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

func (b *browser) get(path string) (*http.Response, string) {
	return b.do(http.MethodGet, path, nil, nil)
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	return b.do(http.MethodPost, path, form, nil)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// token reads the CSRF token of a page.
func token(t *testing.T, page string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf field in the page:\n%s", page)
	}
	return m[1]
}

func startEdit(t *testing.T, src Source, opts ...ServerOption) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(NewServer(src, slog.New(slog.DiscardHandler), "test", opts...))
	t.Cleanup(srv.Close)
	return srv
}

const mailText = `ご注文ありがとうございます。
ご注文番号: 250-1234567-7654321
配送業者: 佐川急便
お問い合わせ伝票番号: 3123-4567-8901
`

func TestAddAndRemoveOnThePage(t *testing.T) {
	t.Parallel()
	f := newEditFake()
	srv := startEdit(t, f, Editable())
	b := newBrowser(t, srv.URL)

	resp, page := b.get("/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %s", resp.Status)
	}
	if !strings.Contains(page, `action="/add"`) {
		t.Fatalf("no add form on the index:\n%s", page)
	}
	// Config parcels say so and have no remove button.
	if strings.Contains(page, "/remove") || !strings.Contains(page, "config.yaml の荷物") {
		t.Errorf("config parcels: want no remove button and the config note:\n%s", page)
	}
	tok := token(t, page)

	// Pasted mail text → candidates: the tracking number, Sagawa first;
	// never the Amazon order number.
	resp, page = b.post("/add", url.Values{"csrf": {tok}, "text": {mailText}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /add = %s\n%s", resp.Status, page)
	}
	if !strings.Contains(page, `name="number" value="312345678901"`) || strings.Contains(page, "1234567-7654321\"") {
		t.Errorf("candidates page:\n%s", page)
	}
	if i, j := strings.Index(page, `<option value="sagawa">`), strings.Index(page, `<option value="yamato">`); i < 0 || (j >= 0 && j < i) {
		t.Errorf("sagawa (named in the mail) is not the first carrier offered:\n%s", page)
	}
	// A single pasted order number is explained.
	_, page = b.post("/add", url.Values{"csrf": {tok}, "text": {"250-1234567-7654321"}})
	if !strings.Contains(page, `class="err"`) || strings.Contains(page, `action="/add/confirm"`) {
		t.Errorf("order number: want an explanation and no confirm form:\n%s", page)
	}

	resp, _ = b.post("/add/confirm", url.Values{"csrf": {tok}, "number": {"312345678901"}, "label": {"<b>ヘッドホン</b>"}, "carrier": {"sagawa"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/?done=added") {
		t.Fatalf("confirm = %s → %q, want 303 to /?done=added", resp.Status, resp.Header.Get("Location"))
	}
	_, page = b.get(resp.Header.Get("Location"))
	if !strings.Contains(page, "追加しました") || !strings.Contains(page, "&lt;b&gt;ヘッドホン&lt;/b&gt;") {
		t.Errorf("index after add lacks the message or the escaped label:\n%s", page)
	}
	if !strings.Contains(page, `action="/parcel/312345678901/remove"`) {
		t.Fatalf("no remove button for the page-added parcel:\n%s", page)
	}
	resp, _ = b.post("/parcel/312345678901/remove", url.Values{"csrf": {token(t, page)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove = %s, want 303", resp.Status)
	}
	// A config parcel cannot be removed here, even by a hand-made form.
	resp, _ = b.post("/parcel/123456789012/remove", url.Values{"csrf": {tok}})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("remove config parcel = %s, want 409", resp.Status)
	}
	if adds, removes := f.counts(); adds != 1 || removes != 2 {
		t.Errorf("source saw %d adds and %d removes, want 1 and 2", adds, removes)
	}
}

func TestFormsRefused(t *testing.T) {
	t.Parallel()
	f := newEditFake()
	srv := startEdit(t, f, Editable())
	b := newBrowser(t, srv.URL)
	_, page := b.get("/")
	tok := token(t, page)
	other := newBrowser(t, srv.URL)
	_, otherPage := other.get("/")
	otherTok := token(t, otherPage)
	if otherTok == tok {
		t.Fatal("two browsers got the same token")
	}
	form := func(tok string) url.Values {
		return url.Values{"csrf": {tok}, "number": {"312345678901"}, "label": {"x"}}
	}
	tests := []struct {
		name string
		b    *browser
		form url.Values
		hdr  map[string]string
		want int
	}{
		{"no token", b, url.Values{"number": {"312345678901"}}, nil, http.StatusForbidden},
		{"wrong token", b, form("AAAA" + tok[4:]), nil, http.StatusForbidden},
		{"another browser's token", b, form(otherTok), nil, http.StatusForbidden},
		{"token without its cookie", newBrowser(t, srv.URL), form(tok), nil, http.StatusForbidden},
		{"cross-site (Sec-Fetch-Site)", b, form(tok), map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"cross-site (Origin)", b, form(tok), map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
	}
	for _, tc := range tests {
		resp, body := tc.b.do(http.MethodPost, "/add/confirm", tc.form, tc.hdr)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: %s, want %d\n%s", tc.name, resp.Status, tc.want, body)
		}
	}
	if adds, _ := f.counts(); adds != 0 {
		t.Errorf("a refused form reached the source (%d adds)", adds)
	}
	// The same form, same-origin, goes through.
	resp, _ := b.do(http.MethodPost, "/add/confirm", form(tok), map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": srv.URL})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin form = %s, want 303", resp.Status)
	}
}

func TestCSRFCookieFlags(t *testing.T) {
	t.Parallel()
	srv := startEdit(t, newEditFake(), Editable())
	for _, tc := range []struct {
		name   string
		hdr    map[string]string
		secure bool
	}{
		{"plain http", nil, false},
		{"https proxy on loopback", map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.7"}, true},
	} {
		b := newBrowser(t, srv.URL)
		resp, _ := b.do(http.MethodGet, "/", nil, tc.hdr)
		c := findCookie(resp, csrfCookie)
		if c == nil {
			t.Fatalf("%s: no %s cookie", tc.name, csrfCookie)
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure != tc.secure || c.Path != "/" {
			t.Errorf("%s: cookie %+v: want HttpOnly, SameSite=Strict, Secure=%v, Path=/", tc.name, c, tc.secure)
		}
	}
}

func findCookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestReadOnlyPage(t *testing.T) {
	t.Parallel()
	f := newEditFake()
	srv := startEdit(t, f) // allow_remote without a login: not Editable
	b := newBrowser(t, srv.URL)
	_, page := b.get("/")
	if strings.Contains(page, "<form") {
		t.Errorf("read-only page has forms:\n%s", page)
	}
	resp, _ := b.post("/add/confirm", url.Values{"number": {"312345678901"}})
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST on a read-only page = %s", resp.Status)
	}
	if adds, _ := f.counts(); adds != 0 {
		t.Error("read-only page added a parcel")
	}
}

func testHash(t *testing.T, pw string) passwd.Hash {
	t.Helper()
	line, err := passwd.New(pw, passwd.MinIterations)
	if err != nil {
		t.Fatal(err)
	}
	h, err := passwd.Parse(line)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestLogin(t *testing.T) {
	t.Parallel()
	f := newEditFake()
	srv := startEdit(t, f, Login(testHash(t, "correct horse")), Editable())
	// A browser on another machine, through a reverse proxy on loopback.
	b := newBrowser(t, srv.URL)
	b.hdr["X-Forwarded-For"] = "192.0.2.10"
	b.hdr["X-Forwarded-Proto"] = "https"

	for _, path := range []string{"/", "/parcel/123456789012"} {
		resp, _ := b.get(path)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
			t.Errorf("GET %s before login = %s → %q, want 303 to /login", path, resp.Status, resp.Header.Get("Location"))
		}
	}
	if resp, _ := b.get("/api/parcels"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("proxied GET /api/parcels before login = %s, want 401", resp.Status)
	}
	if resp, _ := b.get("/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz = %s, want 200 without login", resp.Status)
	}
	// The CLI on the same machine reaches the API directly.
	if resp, _ := newBrowser(t, srv.URL).get("/api/parcels"); resp.StatusCode != http.StatusOK {
		t.Errorf("direct loopback GET /api/parcels = %s, want 200", resp.Status)
	}

	resp, page := b.get("/login")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `type="password"`) {
		t.Fatalf("login page = %s\n%s", resp.Status, page)
	}
	tok := token(t, page)
	if resp, _ := b.post("/login", url.Values{"password": {"correct horse"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("login without the csrf token = %s, want 403", resp.Status)
	}
	resp, page = b.post("/login", url.Values{"csrf": {tok}, "password": {"wrong"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "パスワードが違います") || findCookie(resp, sessionCookie) != nil {
		t.Errorf("wrong password = %s, session cookie %v", resp.Status, findCookie(resp, sessionCookie))
	}
	resp, _ = b.post("/login", url.Values{"csrf": {tok}, "password": {"correct horse"}})
	sc := findCookie(resp, sessionCookie)
	if resp.StatusCode != http.StatusSeeOther || sc == nil {
		t.Fatalf("login = %s, session cookie %v", resp.Status, sc)
	}
	if !sc.HttpOnly || sc.SameSite != http.SameSiteStrictMode || !sc.Secure || sc.MaxAge <= 0 {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Strict, Secure (https proxy), Max-Age", sc)
	}
	resp, page = b.get("/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `action="/logout"`) {
		t.Fatalf("GET / after login = %s\n%s", resp.Status, page)
	}
	// The token from before the login is bound to no session: refused.
	if resp, _ := b.post("/add/confirm", url.Values{"csrf": {tok}, "number": {"312345678901"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("pre-login token after login = %s, want 403", resp.Status)
	}
	tok = token(t, page)
	if resp, _ := b.post("/add/confirm", url.Values{"csrf": {tok}, "number": {"312345678901"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("add after login = %s, want 303", resp.Status)
	}
	if resp, _ := b.post("/logout", url.Values{"csrf": {tok}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("logout = %s", resp.Status)
	}
	if resp, _ := b.get("/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("GET / after logout = %s, want 303 to /login", resp.Status)
	}
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	srv := startEdit(t, newEditFake(), Login(testHash(t, "pw-right")), Editable())
	attempt := func(ip, pw string) int {
		b := newBrowser(t, srv.URL)
		b.hdr["X-Forwarded-For"] = "198.51.100.1, " + ip // the proxy's own entry is the last
		_, page := b.get("/login")
		resp, _ := b.post("/login", url.Values{"csrf": {token(t, page)}, "password": {pw}})
		return resp.StatusCode
	}
	for i := range loginBurst {
		if got := attempt("192.0.2.1", fmt.Sprint("guess", i)); got != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i+1, got)
		}
	}
	if got := attempt("192.0.2.1", "pw-right"); got != http.StatusTooManyRequests {
		t.Errorf("attempt after the burst, right password = %d, want 429", got)
	}
	if got := attempt("192.0.2.2", "pw-right"); got != http.StatusSeeOther {
		t.Errorf("another client = %d, want 303 (its own budget)", got)
	}
}

func TestClientIP(t *testing.T) {
	for _, tc := range []struct {
		remote, xff, want string
	}{
		{"192.0.2.1:5555", "", "192.0.2.1"},
		{"192.0.2.1:5555", "203.0.113.9", "192.0.2.1"}, // only a loopback proxy is believed
		{"127.0.0.1:5555", "203.0.113.9", "203.0.113.9"},
		{"127.0.0.1:5555", "10.0.0.1, 203.0.113.9", "203.0.113.9"},
		{"[::1]:5555", "garbage", "::1"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := clientIP(r); got != tc.want {
			t.Errorf("clientIP(%s, XFF %q) = %q, want %q", tc.remote, tc.xff, got, tc.want)
		}
	}
}
