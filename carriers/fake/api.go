package fake

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/todoku/todoku/carriers"
)

// API is a fake of one carrier's official tracking API (DHL, FedEx, UPS)
// in front of a [Server]: it checks the API key or the OAuth bearer token,
// serves the OAuth token endpoint with tokens that expire, counts a daily
// quota and answers 429 with Retry-After when told to. Requests that pass
// go to the Server, which serves the scripted parcels (and its faults)
// through the carrier's JSON [Site]: Requests, Asked and SetFault work as
// for the page carriers.
//
// All answers are JSON; Content-Type is application/json.
type API struct {
	srv   *Server
	site  Site
	clock func() time.Time
	kind  apiKind

	mu          sync.Mutex
	key         string // DHL
	clientID    string // FedEx, UPS
	secret      string
	ttl         time.Duration
	tokens      map[string]time.Time // access token → expiry
	quota       int                  // calls per UTC day; 0 = unlimited
	quotaDay    string
	quotaUsed   int
	limited     int // the next tracking requests answered 429
	retryAfter  time.Duration
	tokenCalls  int
	refused     int // 401 answers
	quotaDenied int
}

type apiKind int

const (
	apiDHL apiKind = iota
	apiFedEx
	apiUPS
)

// DefaultTokenTTL is how long a fake access token lives unless
// SetTokenTTL says otherwise (FedEx's tokens live an hour).
const DefaultTokenTTL = time.Hour

// Paths of the fake APIs, as the real ones.
const (
	FedExTokenPath = "/oauth/token"
	UPSTokenPath   = "/security/v1/oauth/token"
	// UPSTrackPrefix is followed by the inquiry number.
	UPSTrackPrefix = "/api/track/v1/details/"
)

func newAPI(srv *Server, clock func() time.Time, site Site, kind apiKind) *API {
	return &API{srv: srv, site: site, clock: clock, kind: kind, ttl: DefaultTokenTTL, tokens: map[string]time.Time{}}
}

// NewDHLAPI returns a fake DHL Unified API accepting key. srv must serve
// the DHL site (NewServer(clock, DHL{})).
func NewDHLAPI(srv *Server, clock func() time.Time, key string) *API {
	a := newAPI(srv, clock, DHL{}, apiDHL)
	a.key = key
	return a
}

// NewFedExAPI returns a fake FedEx Track API accepting the client
// credentials id and secret. srv must serve the FedEx site.
func NewFedExAPI(srv *Server, clock func() time.Time, id, secret string) *API {
	a := newAPI(srv, clock, FedEx{}, apiFedEx)
	a.clientID, a.secret = id, secret
	return a
}

// NewUPSAPI returns a fake UPS Track API accepting the client credentials
// id and secret. srv must serve the UPS site.
func NewUPSAPI(srv *Server, clock func() time.Time, id, secret string) *API {
	a := newAPI(srv, clock, UPS{}, apiUPS)
	a.clientID, a.secret = id, secret
	return a
}

// SetTokenTTL sets the lifetime of tokens issued from now on.
func (a *API) SetTokenTTL(d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ttl = d
}

// RevokeTokens makes every token issued so far invalid: the next tracking
// request with one is answered 401.
func (a *API) RevokeTokens() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tokens = map[string]time.Time{}
}

// SetQuota limits tracking calls to limit per UTC day (0: unlimited).
// Beyond it the API answers 429 without Retry-After: DHL with the same
// problem document as its rate limit, FedEx and UPS with a body naming
// the quota.
func (a *API) SetQuota(limit int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.quota = limit
}

// RateLimit answers the next n tracking requests 429 with Retry-After.
func (a *API) RateLimit(n int, retryAfter time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.limited, a.retryAfter = n, retryAfter
}

// TokenRequests returns how many token requests were answered.
func (a *API) TokenRequests() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.tokenCalls
}

// Refused returns how many tracking requests were answered 401.
func (a *API) Refused() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.refused
}

// QuotaDenied returns how many tracking requests the quota refused.
func (a *API) QuotaDenied() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.quotaDenied
}

// owns reports whether path is one of the API's endpoints.
func (a *API) owns(path string) bool {
	switch a.kind {
	case apiFedEx:
		return path == FedExTokenPath || path == a.site.Path()
	case apiUPS:
		return path == UPSTokenPath || strings.HasPrefix(path, UPSTrackPrefix)
	}
	return path == a.site.Path()
}

// Mux returns a handler that sends each API's endpoints to it and every
// other request to srv, so that one fake serves the page carriers and the
// API carriers together (the demo, benchmarks). The APIs should front srv
// itself, whose sites then include the API carriers' JSON sites.
func Mux(srv *Server, apis ...*API) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, a := range apis {
			if a.owns(r.URL.Path) {
				a.ServeHTTP(w, r)
				return
			}
		}
		srv.ServeHTTP(w, r)
	})
}

// MuxTransport is Mux served in process, without sockets.
func MuxTransport(srv *Server, apis ...*API) http.RoundTripper {
	return handlerTransport{Mux(srv, apis...)}
}

// Transport serves requests in process, without sockets.
func (a *API) Transport() http.RoundTripper { return handlerTransport{a} }

// ServeHTTP answers a token or tracking request.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case a.kind == apiFedEx && r.URL.Path == FedExTokenPath,
		a.kind == apiUPS && r.URL.Path == UPSTokenPath:
		a.token(w, r)
		return
	case a.kind == apiUPS && strings.HasPrefix(r.URL.Path, UPSTrackPrefix):
		if r.Header.Get("transId") == "" || r.Header.Get("transactionSrc") == "" {
			writeJSON(w, http.StatusBadRequest, upsErrors("VSS000", "Missing transId or transactionSrc header"))
			return
		}
	case r.URL.Path != a.site.Path():
		writeJSON(w, http.StatusNotFound, map[string]any{"status": 404, "title": "Not Found", "detail": "no such resource"})
		return
	}
	if !a.authorised(r) {
		a.mu.Lock()
		a.refused++
		a.mu.Unlock()
		writeJSON(w, http.StatusUnauthorized, a.unauthorisedBody())
		return
	}
	if status, body, retry := a.limit(); status != 0 {
		if retry > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(retry/time.Second)))
		}
		writeJSON(w, status, body)
		return
	}
	if a.kind == apiUPS {
		// The Server routes by exact path: hand it the inquiry number as
		// a query parameter of the site's fixed path.
		r = r.Clone(r.Context())
		n := strings.TrimPrefix(r.URL.Path, UPSTrackPrefix)
		q := r.URL.Query()
		q.Set(upsInquiryParam, n)
		r.URL.Path, r.URL.RawQuery = a.site.Path(), q.Encode()
	}
	a.srv.ServeHTTP(jsonWriter{w}, r)
}

// authorised checks the request's credentials.
func (a *API) authorised(r *http.Request) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.kind == apiDHL {
		return a.key != "" && r.Header.Get("DHL-API-Key") == a.key
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	exp, known := a.tokens[tok]
	return known && a.clock().Before(exp)
}

func (a *API) unauthorisedBody() any {
	switch a.kind {
	case apiFedEx:
		return fedexErrors("NOT.AUTHORIZED.ERROR", "Access token expired. Please modify your request and try again.")
	case apiUPS:
		return upsErrors("250002", "Invalid Authentication Information.")
	}
	return map[string]any{"status": 401, "title": "Unauthorized", "detail": "Unauthorized for given resource."}
}

// limit applies the rate limit and the daily quota; a zero status lets
// the request through and counts it.
func (a *API) limit() (status int, body any, retry time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.limited > 0 {
		a.limited--
		return http.StatusTooManyRequests, a.tooMany("Too many requests, slow down"), a.retryAfter
	}
	if a.quota > 0 {
		day := a.clock().UTC().Format(time.DateOnly)
		if day != a.quotaDay {
			a.quotaDay, a.quotaUsed = day, 0
		}
		if a.quotaUsed >= a.quota {
			a.quotaDenied++
			return http.StatusTooManyRequests, a.tooMany(fmt.Sprintf("Daily quota of %d calls exceeded", a.quota)), 0
		}
		a.quotaUsed++
	}
	return 0, nil, 0
}

func (a *API) tooMany(detail string) any {
	switch a.kind {
	case apiFedEx:
		return fedexErrors("TOO.MANY.REQUESTS.ERROR", detail)
	case apiUPS:
		return upsErrors("429", detail)
	}
	// DHL answers its rate limit and its daily quota alike
	// (itsvic-dev/deliveries issue #68).
	return map[string]any{"status": 429, "title": "Too Many Requests", "detail": "Too many requests within defined time period, please try again later."}
}

// token serves the client-credentials grant: FedEx takes the id and
// secret in the form, UPS in a Basic Authorization header.
func (a *API) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request"})
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if a.kind == apiUPS {
		var ok bool
		if id, secret, ok = r.BasicAuth(); !ok {
			id, secret = "", ""
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tokenCalls++
	if id != a.clientID || secret != a.secret || id == "" {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": "client authentication failed"})
		return
	}
	tok := randomToken()
	a.tokens[tok] = a.clock().Add(a.ttl)
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "token_type": "bearer", "expires_in": int(a.ttl / time.Second), "scope": "CXS",
	})
}

func randomToken() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fedexErrors(code, msg string) any {
	return map[string]any{
		"transactionId": "fake-transaction",
		"errors":        []map[string]string{{"code": code, "message": msg}},
	}
}

func upsErrors(code, msg string) any {
	return map[string]any{"response": map[string]any{"errors": []map[string]string{{"code": code, "message": msg}}}}
}

// jsonWriter makes the Server's answers JSON: it replaces the HTML
// Content-Type the Server sets on pages the JSON sites render. The
// Server's own fault pages (maintenance, changed layout) keep HTML.
type jsonWriter struct{ http.ResponseWriter }

func (j jsonWriter) WriteHeader(code int) {
	j.fix()
	j.ResponseWriter.WriteHeader(code)
}

func (j jsonWriter) Write(p []byte) (int, error) {
	j.fix()
	return j.ResponseWriter.Write(p)
}

func (j jsonWriter) fix() {
	h := j.Header()
	if h.Get(renderedJSON) != "" {
		h.Del(renderedJSON)
		h.Set("Content-Type", "application/json")
	}
}

// renderedJSON is set by a JSON site's Render so that jsonWriter knows
// the body is JSON; it never reaches the client.
const renderedJSON = "X-Fake-Rendered-Json"

// respond lets a JSON site's Render set the status of its answer (404 for
// an unknown number) when it writes to an http.ResponseWriter.
func respond(w any, status int) {
	if rw, ok := w.(http.ResponseWriter); ok {
		rw.Header().Set(renderedJSON, "1")
		rw.WriteHeader(status)
	}
}

// apiVocab is each API carrier's wording for the steps of a timeline.
// Each JSON site maps these words to its codes (dhlCodes, fedexCodes,
// upsCodes).
var apiVocab = map[string]words{
	"dhl": {
		accepted: "Shipment picked up", transit: "Processed at LEIPZIG - GERMANY",
		arrived: "Arrived at DHL Delivery Facility KAWASAKI - JAPAN", out: "Shipment is out with courier for delivery",
		absent: "Delivery attempted; recipient not home", held: "The shipment is available for pickup at the service point",
		delivered: "Delivered", returned: "Shipment is being returned to shipper", investigating: "Shipment on hold; trace initiated",
		origin: "LEIPZIG - GERMANY", hub: "TOKYO - JAPAN", office: "KAWASAKI - JAPAN",
	},
	"fedex": {
		accepted: "Picked up", transit: "Departed FedEx hub", arrived: "At local FedEx facility",
		out: "On FedEx vehicle for delivery", absent: "Customer not available or business closed",
		held: "Ready for recipient pickup", delivered: "Delivered", returned: "Returning package to shipper",
		investigating: "Shipment exception",
		origin:        "MEMPHIS, TN, US", hub: "NARITA-SHI, JP", office: "KAWASAKI-SHI, JP",
	},
	"ups": {
		accepted: "Pickup Scan", transit: "Departed from Facility", arrived: "Arrived at Facility",
		out:       "Out For Delivery Today",
		absent:    "The receiver was not available for delivery. We'll make a second attempt the next business day.",
		held:      "The package is being held for customer pickup",
		delivered: "DELIVERED", returned: "Returned to Sender", investigating: "UPS is working to resolve the issue.",
		origin: "Louisville, US", hub: "Tokyo, JP", office: "Kawasaki, JP",
	},
}

// APITimeline scripts number at an API carrier (dhl, fedex, ups) like
// Timeline does for the page carriers, in that carrier's English words.
func APITimeline(carrier, number string, scenario Scenario, start time.Time) Script {
	w, ok := apiVocab[carrier]
	if !ok {
		return Timeline(carrier, number, scenario, start)
	}
	// Timeline reads the page carriers' vocabulary; build the same
	// shape from the API carrier's words.
	sc := Timeline("yamato", number, scenario, start)
	yw := vocab["yamato"]
	replace := map[string]string{
		yw.accepted: w.accepted, yw.transit: w.transit, yw.arrived: w.arrived, yw.out: w.out,
		yw.absent: w.absent, yw.held: w.held, yw.delivered: w.delivered, yw.returned: w.returned,
		yw.investigating: w.investigating, yw.origin: w.origin, yw.hub: w.hub, yw.office: w.office,
	}
	steps := make([]Step, len(sc.Steps))
	for i, st := range sc.Steps {
		st.Raw, st.Location = replace[st.Raw], replace[st.Location]
		steps[i] = st
	}
	sc.Carrier, sc.Steps, sc.Office = carrier, steps, carriers.Office{}
	return sc
}
