package fake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

func apiClock() (func() time.Time, *time.Time) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, carriers.Tokyo)
	return func() time.Time { return now }, &now
}

func call(t *testing.T, h http.Handler, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := (&http.Client{Transport: handlerTransport{h}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestDHLAPI(t *testing.T) {
	clock, now := apiClock()
	srv := NewServer(clock, DHL{})
	api := NewDHLAPI(srv, clock, "key")
	srv.Add(APITimeline("dhl", "3318810025", Delivered, now.Add(-48*time.Hour)))
	get := func(key, number string) (*http.Response, string) {
		req := httptest.NewRequest(http.MethodGet, "http://fake/track/shipments?trackingNumber="+number, nil)
		req.RequestURI = ""
		if key != "" {
			req.Header.Set("DHL-API-Key", key)
		}
		return call(t, api, req)
	}
	if resp, _ := get("wrong", "3318810025"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong key: %d", resp.StatusCode)
	}
	resp, body := get("key", "3318810025")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || !strings.Contains(body, `"statusCode":"delivered"`) {
		t.Errorf("found: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if resp, body := get("key", "0000000000"); resp.StatusCode != 404 || !strings.Contains(body, "No result found") {
		t.Errorf("unknown: %d %s", resp.StatusCode, body)
	}
	api.RateLimit(1, 3*time.Second)
	if resp, _ := get("key", "3318810025"); resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3" {
		t.Errorf("rate limit: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	api.SetQuota(1)
	get("key", "3318810025")
	resp, body = get("key", "3318810025")
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "" || !strings.Contains(body, "Too many requests") || api.QuotaDenied() != 1 {
		t.Errorf("quota: %d %s", resp.StatusCode, body)
	}
	*now = now.Add(24 * time.Hour)
	if resp, _ := get("key", "3318810025"); resp.StatusCode != 200 {
		t.Errorf("next UTC day: %d", resp.StatusCode)
	}
}

func token(t *testing.T, api *API, path string, form url.Values, user, pass string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "http://fake"+path, strings.NewReader(form.Encode()))
	req.RequestURI = ""
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, body := call(t, api, req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.Unmarshal([]byte(body), &tok)
	return resp.StatusCode, tok.AccessToken
}

func TestFedExAPITokens(t *testing.T) {
	clock, now := apiClock()
	srv := NewServer(clock, FedEx{})
	api := NewFedExAPI(srv, clock, "id", "secret")
	api.SetTokenTTL(time.Hour)
	if code, _ := token(t, api, FedExTokenPath, url.Values{"grant_type": {"client_credentials"}, "client_id": {"id"}, "client_secret": {"nope"}}, "", ""); code != 401 {
		t.Errorf("bad secret: %d", code)
	}
	code, tok := token(t, api, FedExTokenPath, url.Values{"grant_type": {"client_credentials"}, "client_id": {"id"}, "client_secret": {"secret"}}, "", "")
	if code != 200 || tok == "" {
		t.Fatalf("token: %d %q", code, tok)
	}
	track := func() int {
		req := httptest.NewRequest(http.MethodPost, "http://fake/track/v1/trackingnumbers",
			strings.NewReader(`{"includeDetailedScans":true,"trackingInfo":[{"trackingNumberInfo":{"trackingNumber":"794600000017"}}]}`))
		req.RequestURI = ""
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, body := call(t, api, req)
		if resp.StatusCode == 200 && !strings.Contains(body, "TRACKING.TRACKINGNUMBER.NOTFOUND") {
			t.Errorf("unknown number answer %s", body)
		}
		return resp.StatusCode
	}
	if c := track(); c != 200 {
		t.Errorf("with token: %d", c)
	}
	*now = now.Add(61 * time.Minute)
	if c := track(); c != 401 || api.Refused() != 1 {
		t.Errorf("expired token: %d", c)
	}
}

func TestUPSAPIHeaders(t *testing.T) {
	clock, now := apiClock()
	srv := NewServer(clock, UPS{})
	api := NewUPSAPI(srv, clock, "id", "secret")
	srv.Add(APITimeline("ups", "1Z999AA10123456784", Held, now.Add(-48*time.Hour)))
	if code, _ := token(t, api, UPSTokenPath, url.Values{"grant_type": {"client_credentials"}}, "id", "nope"); code != 401 {
		t.Errorf("bad secret: %d", code)
	}
	code, tok := token(t, api, UPSTokenPath, url.Values{"grant_type": {"client_credentials"}}, "id", "secret")
	if code != 200 {
		t.Fatalf("token: %d", code)
	}
	get := func(headers bool) (int, string) {
		req := httptest.NewRequest(http.MethodGet, "http://fake"+UPSTrackPrefix+"1Z999AA10123456784?locale=en_US", nil)
		req.RequestURI = ""
		req.Header.Set("Authorization", "Bearer "+tok)
		if headers {
			req.Header.Set("transId", "abc")
			req.Header.Set("transactionSrc", "todoku")
		}
		resp, body := call(t, api, req)
		return resp.StatusCode, body
	}
	if c, _ := get(false); c != 400 {
		t.Errorf("without transId: %d", c)
	}
	c, body := get(true)
	if c != 200 || !strings.Contains(body, `"statusCode":"017"`) || srv.Requests("ups") != 1 {
		t.Errorf("held parcel: %d %s", c, body)
	}
}

// TestMux serves a page carrier and an API carrier from one fake.
func TestMux(t *testing.T) {
	clock, now := apiClock()
	srv := NewServer(clock, Sagawa{}, DHL{})
	api := NewDHLAPI(srv, clock, "key")
	srv.Add(APITimeline("dhl", "3318810025", Delivered, now.Add(-48*time.Hour)))
	h := Mux(srv, api)
	req := httptest.NewRequest(http.MethodGet, "http://fake/track/shipments?trackingNumber=3318810025", nil)
	req.RequestURI = ""
	req.Header.Set("DHL-API-Key", "key")
	if resp, _ := call(t, h, req); resp.StatusCode != 200 {
		t.Errorf("dhl through the mux: %d", resp.StatusCode)
	}
	req = httptest.NewRequest(http.MethodGet, "http://fake/track/shipments?trackingNumber=3318810025", nil)
	req.RequestURI = ""
	if resp, _ := call(t, h, req); resp.StatusCode != 401 {
		t.Errorf("dhl without key through the mux: %d", resp.StatusCode)
	}
	req = httptest.NewRequest(http.MethodGet, "http://fake/p/web/okurijosearch.do?okurijoNo=400000000035", nil)
	req.RequestURI = ""
	if resp, body := call(t, h, req); resp.StatusCode != 200 || !strings.Contains(body, "該当なし") {
		t.Errorf("sagawa through the mux: %d", resp.StatusCode)
	}
	if srv.Requests("sagawa") != 1 || srv.Requests("dhl") != 1 {
		t.Errorf("requests sagawa %d dhl %d", srv.Requests("sagawa"), srv.Requests("dhl"))
	}
}

// TestAPITimeline checks that every step of an API carrier's timeline is
// in that carrier's words (APITimeline maps the page timeline's words).
func TestAPITimeline(t *testing.T) {
	start := time.Date(2026, 11, 26, 10, 0, 0, 0, carriers.Tokyo)
	for carrier, w := range apiVocab {
		known := map[string]bool{}
		for _, s := range []string{w.accepted, w.transit, w.arrived, w.out, w.absent, w.held, w.delivered, w.returned, w.investigating, w.origin, w.hub, w.office} {
			known[s] = true
		}
		for _, sc := range Scenarios {
			s := APITimeline(carrier, "1", sc, start)
			if s.Carrier != carrier || len(s.Steps) < 4 {
				t.Errorf("%s %s: %+v", carrier, sc, s)
			}
			for _, st := range s.Steps {
				if !known[st.Raw] || !known[st.Location] {
					t.Errorf("%s %s: step %q at %q is not in the carrier's words", carrier, sc, st.Raw, st.Location)
				}
			}
		}
	}
}
