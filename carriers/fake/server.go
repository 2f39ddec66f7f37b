// Package fake is a scripted stand-in for the carriers' tracking sites.
//
// A [Server] serves current-layout result pages, rendered by each carrier's
// [Site], for parcels that follow a scripted timeline. Time comes from the
// caller's clock, so a test or the demo can run a week of deliveries in
// milliseconds. Faults can be switched on per carrier: 429 with
// Retry-After, 503, slow answers, a maintenance page or a changed layout.
//
// The server is used by the conformance suite, the tracker's tests and
// benchmarks, and `todoku demo`.
package fake

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/todoku/todoku/carriers"
)

// Step is one row of a scripted timeline: it appears At after the script's
// start.
type Step struct {
	At       time.Duration
	Raw      string
	Location string
}

// Script is the timeline of one parcel at one carrier.
type Script struct {
	Carrier string
	Number  string
	Start   time.Time
	Steps   []Step
	Office  carriers.Office
	Product string
	// Scenario is how the timeline ends, when it was made by Timeline.
	Scenario Scenario
}

// FaultKind is a way the fake site can misbehave.
type FaultKind int

// The faults.
const (
	FaultNone        FaultKind = iota
	FaultTooMany               // 429 with Retry-After
	FaultUnavailable           // 503
	FaultSlow                  // answer after Delay (or when the client gives up)
	FaultMaintenance           // the carrier's maintenance page, status 200
	FaultLayout                // a page in a layout the adapter does not know
)

// Fault is a misbehaviour switched on for one carrier.
type Fault struct {
	Kind       FaultKind
	RetryAfter time.Duration // FaultTooMany
	Delay      time.Duration // FaultSlow
}

// Server is a scripted fake of every carrier's site, routed by URL path.
type Server struct {
	clock func() time.Time
	sites map[string]Site // by path

	mu       sync.Mutex
	scripts  map[string]Script      // by number
	faults   map[string]Fault       // by carrier
	requests map[string]int         // by carrier
	asked    map[string]int         // numbers asked, by carrier
	times    map[string][]time.Time // request times (clock), by carrier
}

// NewServer returns a server for sites whose pages reflect clock().
func NewServer(clock func() time.Time, sites ...Site) *Server {
	s := &Server{
		clock:    clock,
		sites:    map[string]Site{},
		scripts:  map[string]Script{},
		faults:   map[string]Fault{},
		requests: map[string]int{},
		asked:    map[string]int{},
		times:    map[string][]time.Time{},
	}
	for _, site := range sites {
		s.sites[site.Path()] = site
	}
	return s
}

// Add scripts a parcel. A number with no visible row yet is "not found".
func (s *Server) Add(sc Script) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripts[sc.Number] = sc
}

// SetFault switches a misbehaviour on (or off with Fault{}) for a carrier.
func (s *Server) SetFault(carrier string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[carrier] = f
}

// Requests returns how many requests a carrier's site has served.
func (s *Server) Requests(carrier string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[carrier]
}

// RequestTimes returns when (by the server's clock) each request to a
// carrier arrived.
func (s *Server) RequestTimes(carrier string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.times[carrier]...)
}

// Asked returns how many numbers were asked of a carrier in all.
func (s *Server) Asked(carrier string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.asked[carrier]
}

// Published returns the rows of number visible at t, oldest first.
func (s *Server) Published(number string, t time.Time) []Row {
	s.mu.Lock()
	sc, ok := s.scripts[number]
	s.mu.Unlock()
	if !ok {
		return nil
	}
	return visible(sc, t)
}

// Script returns the timeline scripted for number.
func (s *Server) Script(number string) (Script, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc, ok := s.scripts[number]
	return sc, ok
}

func visible(sc Script, t time.Time) []Row {
	var rows []Row
	for _, st := range sc.Steps {
		at := sc.Start.Add(st.At)
		if at.After(t) {
			break
		}
		rows = append(rows, Row{Time: at.Truncate(time.Minute), Raw: st.Raw, Location: st.Location})
	}
	return rows
}

// site returns the site serving path: the one whose Path is path, or,
// for sites whose Path ends in a slash (the number follows it), the one
// whose Path starts path.
func (s *Server) site(path string) (Site, bool) {
	if site, ok := s.sites[path]; ok {
		return site, true
	}
	for p, site := range s.sites {
		if strings.HasSuffix(p, "/") && strings.HasPrefix(path, p) {
			return site, true
		}
	}
	return nil, false
}

// ServeHTTP answers a carrier request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	site, ok := s.site(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	carrier := site.Carrier()
	nums, err := site.Numbers(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	now := s.clock()
	s.requests[carrier]++
	s.asked[carrier] += len(nums)
	s.times[carrier] = append(s.times[carrier], now)
	fault := s.faults[carrier]
	parcels := make([]Parcel, len(nums))
	for i, n := range nums {
		sc, known := s.scripts[n]
		p := Parcel{Number: n}
		if known && sc.Carrier == carrier {
			p.Rows = visible(sc, now)
			p.Found = len(p.Rows) > 0
			p.Office, p.Product = sc.Office, sc.Product
		}
		parcels[i] = p
	}
	s.mu.Unlock()

	switch fault.Kind {
	case FaultTooMany:
		w.Header().Set("Retry-After", strconv.Itoa(int(fault.RetryAfter/time.Second)))
		http.Error(w, "too many requests", http.StatusTooManyRequests)
		return
	case FaultUnavailable:
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	case FaultSlow:
		select {
		case <-time.After(fault.Delay):
		case <-r.Context().Done():
			return
		}
	case FaultMaintenance:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = site.Maintenance(w)
		return
	case FaultLayout:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><body><main class=\"tracking-v3\"><h1>お荷物お問い合わせ</h1><p>新しいデザインへようこそ</p></main></body></html>")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := site.Render(w, parcels); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// Numbers lists every scripted number, sorted.
func (s *Server) Numbers() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.scripts))
	for n := range s.scripts {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Transport returns an http.RoundTripper that serves requests from s in
// process, without sockets (benchmarks, the demo).
func (s *Server) Transport() http.RoundTripper { return handlerTransport{s} }

type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	rec := newRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.response(r), nil
}
