package api

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The status page needs no JavaScript, and its Content-Security-Policy
// forbids scripts. To drive its forms in a real browser, the tests put a
// driver page next to it on the same origin (outside the handler, so
// without its CSP): the driver fetches the real page, takes the real form
// from it, fills it in and submits it as a user would, and Chromium's
// --dump-dom prints where the browser ended up.

// driverServer serves the status page for src with a driver page at
// /test-driver running script.
func driverServer(t *testing.T, src Source, script string) *httptest.Server {
	t.Helper()
	page := NewServer(src, slog.New(slog.DiscardHandler), "browser-test", Editable())
	mux := http.NewServeMux()
	mux.Handle("/", page)
	mux.HandleFunc("GET /test-driver", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<!doctype html><meta charset=\"utf-8\"><title>driver</title><body><script>\n%s\n</script>", script)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// syncHelpers are the driver's requests. They are synchronous: Chromium's
// --virtual-time-budget does not follow a navigation started after an
// asynchronous fetch, but follows one started while the page loads.
const syncHelpers = `
const request = (method, url, body) => {
  const x = new XMLHttpRequest();
  x.open(method, url, false);
  if (body) x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
  x.send(body ? body.toString() : null);
  return x.responseText;
};
const get = (url) => request("GET", url);
const post = (url, body) => request("POST", url, body);
const parse = (html) => new DOMParser().parseFromString(html, "text/html");
`

// runDriver loads the driver in Chromium and returns the final DOM.
func runDriver(t *testing.T, url string) string {
	t.Helper()
	return string(chromium(t, "--virtual-time-budget=15000", "--dump-dom", url))
}

func TestStatusPageFormsInChromium(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("headless browser test skipped in -short mode")
	}
	mailJS, _ := json.Marshal(mailText)

	t.Run("add from a pasted mail", func(t *testing.T) {
		f := newEditFake()
		srv := driverServer(t, f, syncHelpers+`
const index = parse(get("/"));
const tok = index.querySelector('form[action="/add"] input[name=csrf]').value;
const found = parse(post("/add", new URLSearchParams({csrf: tok, text: `+string(mailJS)+`})));
const form = document.adoptNode(found.querySelector('form[action="/add/confirm"]'));
form.querySelector("input[name=label]").value = "ブラウザで追加";
document.body.appendChild(form);
form.submit();`)
		dom := runDriver(t, srv.URL+"/test-driver")
		for _, want := range []string{"追加しました", "ブラウザで追加", "このページで追加", `action="/parcel/312345678901/remove"`} {
			if !strings.Contains(dom, want) {
				t.Errorf("final page lacks %q:\n%s", want, dom)
			}
		}
		f.emu.Lock()
		adds := append([]AddRequest(nil), f.adds...)
		f.emu.Unlock()
		if len(adds) != 1 || adds[0].Number != "312345678901" || adds[0].Label != "ブラウザで追加" {
			t.Errorf("source saw adds %+v, want one of 312345678901 labelled ブラウザで追加", adds)
		}
	})

	t.Run("remove a page-added parcel", func(t *testing.T) {
		f := newEditFake()
		f.parcels = append(f.parcels, ParcelView{Number: "312345678901", Label: "外す荷物", Origin: OriginPage, Removable: true, Tracked: true})
		srv := driverServer(t, f, syncHelpers+`
const form = document.adoptNode(parse(get("/")).querySelector('form[action="/parcel/312345678901/remove"]'));
document.body.appendChild(form);
form.submit();`)
		dom := runDriver(t, srv.URL+"/test-driver")
		if !strings.Contains(dom, "一覧から外しました") || strings.Contains(dom, "外す荷物") {
			t.Errorf("final page: want the removed message and no parcel:\n%s", dom)
		}
		if _, removes := f.counts(); removes != 1 {
			t.Errorf("source saw %d removes, want 1", removes)
		}
	})

	t.Run("cross-site post refused", func(t *testing.T) {
		f := newEditFake()
		target := driverServer(t, f, "")
		// The attacker's page is on another site (localhost is not
		// 127.0.0.1) and posts a form to the status page. It even carries
		// a token the page really issued (to another client).
		b := newBrowser(t, target.URL)
		_, page := b.get("/")
		tok := token(t, page)
		evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!doctype html><meta charset="utf-8"><body>
<form id="f" method="post" action="%s/add/confirm"><input name="csrf" value="%s"><input name="number" value="312345678901"><input name="label" value="evil"></form>
<script>document.getElementById("f").submit()</script>`, target.URL, tok)
		}))
		defer evil.Close()
		evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)
		dom := runDriver(t, evilURL+"/")
		t.Logf("after the cross-site post the browser shows: %s", strings.Join(strings.Fields(dom), " "))
		if adds, _ := f.counts(); adds != 0 {
			t.Errorf("a cross-site form added a parcel (%d adds); final page:\n%s", adds, dom)
		}
		if strings.Contains(dom, "追加しました") {
			t.Errorf("the cross-site post went through:\n%s", dom)
		}
		if !strings.Contains(strings.ToLower(dom), "cross-origin") && !strings.Contains(dom, "another site") {
			t.Errorf("no refusal in the final page:\n%s", dom)
		}
	})
}
