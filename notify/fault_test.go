package notify_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
	"github.com/todoku/todoku/tracker"
)

// The fault-injection suite: 20 queued notices go through the real
// sender (tracker.Drain), store and Pushover notifier to a stand-in
// Pushover that answers each request as a scenario says. The stand-in
// counts what it accepted; a notice is lost when it never was, and
// duplicated when it was accepted more than once. The goal is 0 and 0.

const (
	goodToken = "azGDORePK8gMaC0QOYAMyEEuzJnyUi"
	newToken  = "bzGDORePK8gMaC0QOYAMyEEuzJnyUj"
	userKey   = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"
	notices   = 20
)

var noticeID = regexp.MustCompile(`notice (\d\d)`)

// standIn is a stand-in Pushover. reply answers request n (from 0); it
// returns whether the message counts as accepted (Pushover would show it).
type standIn struct {
	t     *testing.T
	srv   *httptest.Server
	clock *tracker.Virtual
	reply func(s *standIn, n int, token string, w http.ResponseWriter, title string) bool

	mu       sync.Mutex
	requests int
	accepted map[int]int // notice → times accepted
	order    []int       // notices in the order accepted
	bodies   map[int]string
	times    []time.Time // virtual time of each request
	statuses []int
}

func newStandIn(t *testing.T, clock *tracker.Virtual, reply func(*standIn, int, string, http.ResponseWriter, string) bool) *standIn {
	s := &standIn{t: t, clock: clock, reply: reply, accepted: map[int]int{}, bodies: map[int]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) { r.status = code; r.ResponseWriter.WriteHeader(code) }
func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *standIn) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.URL.Path != "/1/messages.json" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	title, msg := r.PostForm.Get("title"), r.PostForm.Get("message")
	id := -1
	if m := noticeID.FindStringSubmatch(title); m != nil {
		id, _ = strconv.Atoi(m[1])
	}
	s.mu.Lock()
	n := s.requests
	s.requests++
	s.times = append(s.times, s.clock.Now())
	s.mu.Unlock()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	ok := s.reply(s, n, r.PostForm.Get("token"), rec, title)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.statuses = append(s.statuses, rec.status)
	if ok && id >= 0 {
		s.accepted[id]++
		s.order = append(s.order, id)
		s.bodies[id] = msg
	}
}

func okJSON(w http.ResponseWriter) {
	w.Header().Set("X-Limit-App-Limit", "10000")
	w.Header().Set("X-Limit-App-Remaining", "9000")
	w.Header().Set("X-Limit-App-Reset", "1798761600")
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"status":1,"request":"647d2300-702c-4b38-8b2f-d56326ae460b"}`)
}

func errJSON(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	fmt.Fprint(w, body)
}

// zeros is an endless body that is never held in memory.
type zeros struct{ left int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), z.left)
	for i := range p[:n] {
		p[i] = ' '
	}
	z.left -= n
	return int(n), nil
}

// rig is one run: a store with 20 queued notices, the engine's sender on
// a virtual clock, and the Pushover notifier pointed at the stand-in.
type rig struct {
	t     *testing.T
	clock *tracker.Virtual
	st    *store.Store
	eng   *tracker.Engine
	logs  *bytes.Buffer
	logMu *sync.Mutex
	api   string
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func newRig(t *testing.T, clock *tracker.Virtual, apiURL string) *rig {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "todoku.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := &rig{t: t, clock: clock, st: st, logs: &bytes.Buffer{}, logMu: &sync.Mutex{}, api: apiURL}
	now := clock.Now()
	for i := range notices {
		n := notify.Notice{
			Kind: notify.KindDeliveryFailed, Number: fmt.Sprintf("4321%08d", i), Carrier: "yamato",
			Label: fmt.Sprintf("notice %02d", i),
			Event: carriers.Event{Time: now.Add(-time.Hour), Raw: "持戻（ご不在）", Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent},
		}
		if _, err := st.Enqueue(store.OutboxEntry{
			Key: notify.DedupKey(n), Kind: string(n.Kind), Number: n.Number, Carrier: n.Carrier, Label: n.Label,
			Event: n.Event, Created: now, NotBefore: now,
		}); err != nil {
			t.Fatal(err)
		}
	}
	eng, err := tracker.New(tracker.Options{Store: st, Registry: carriers.NewRegistry(), Runtime: r.runtime(goodToken),
		Clock: clock, Logger: r.logger(), Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	r.eng = eng
	return r
}

func (r *rig) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(lockedWriter{r.logMu, r.logs}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func (r *rig) log() string { r.logMu.Lock(); defer r.logMu.Unlock(); return r.logs.String() }

// runtime is what the daemon builds from a config with this token.
func (r *rig) runtime(token string) *tracker.Runtime {
	p, err := notify.NewPushover(notify.PushoverConfig{
		Token: token, User: userKey, APIURL: r.api, Timeout: 2 * time.Second,
		Logger: r.logger(), Now: r.clock.Now,
		OnOperator: func(n notify.Notice) {
			now := r.clock.Now()
			if _, err := r.st.Enqueue(store.OutboxEntry{Key: notify.DedupKey(n), Kind: string(n.Kind), Text: n.Text, Created: now, NotBefore: now}); err != nil {
				r.t.Error(err)
			}
		},
	})
	if err != nil {
		r.t.Fatal(err)
	}
	s := notify.DefaultSettings()
	s.QuietStart, s.QuietEnd = "", ""
	return &tracker.Runtime{
		Schedule: "*/5 * * * *", Policy: tracker.DefaultPolicy(), Notifier: p,
		Composer:    notify.Composer{Settings: s, Contacts: notify.Directory()},
		SendTimeout: 2 * time.Second,
	}
}

// run drains until the outbox is empty or limit of virtual time passed,
// advancing the clock by step between drains; at calls hook (if any)
// once the clock reaches it.
func (r *rig) run(limit, step time.Duration, at time.Duration, hook func()) {
	start := r.clock.Now()
	for r.clock.Now().Sub(start) <= limit {
		if hook != nil && r.clock.Now().Sub(start) >= at {
			hook()
			hook = nil
		}
		if _, err := r.eng.Drain(context.Background()); err != nil {
			r.t.Fatalf("drain: %v", err)
		}
		out, err := r.st.Outbox()
		if err != nil {
			r.t.Fatal(err)
		}
		if len(out) == 0 {
			return
		}
		r.clock.Advance(step)
	}
}

type outcome struct {
	delivered, lost, duplicated, dropped, requests int
}

func (s *standIn) outcome() outcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	var o outcome
	for i := range notices {
		switch c := s.accepted[i]; {
		case c == 0:
			o.lost++
		default:
			o.delivered++
			o.duplicated += c - 1
		}
	}
	o.requests = s.requests
	return o
}

func TestFaultInjection(t *testing.T) {
	start := time.Date(2026, 11, 24, 12, 0, 0, 0, carriers.Tokyo)
	tests := []struct {
		name  string
		reply func(s *standIn, n int, token string, w http.ResponseWriter, title string) bool
		// hook runs at virtual time at (a reload with new credentials).
		at      time.Duration
		reload  bool
		dropped []int // notices Pushover rejects for their own content
		check   func(t *testing.T, s *standIn, r *rig)
	}{
		{name: "all accepted", reply: func(s *standIn, n int, _ string, w http.ResponseWriter, _ string) bool {
			okJSON(w)
			return true
		}},
		{name: "429 JSON body with Retry-After 30", reply: func(s *standIn, n int, _ string, w http.ResponseWriter, _ string) bool {
			if n%5 == 0 && n < 20 {
				w.Header().Set("Retry-After", "30")
				errJSON(w, http.StatusTooManyRequests, `{"status":0,"errors":["too many requests"]}`)
				return false
			}
			okJSON(w)
			return true
		}, check: func(t *testing.T, s *standIn, r *rig) {
			for i, st := range s.statuses {
				if st == http.StatusTooManyRequests && i+1 < len(s.times) {
					if gap := s.times[i+1].Sub(s.times[i]); gap < 30*time.Second {
						t.Errorf("request %d came %s after a 429 with Retry-After 30", i+1, gap)
					}
				}
			}
		}},
		{name: "429 with the limit headers' reset time", reply: func(s *standIn, n int, _ string, w http.ResponseWriter, _ string) bool {
			if n < 3 {
				w.Header().Set("X-Limit-App-Limit", "10000")
				w.Header().Set("X-Limit-App-Remaining", "0")
				w.Header().Set("X-Limit-App-Reset", strconv.FormatInt(s.clock.Now().Add(5*time.Minute).Unix(), 10))
				errJSON(w, http.StatusTooManyRequests, `{"status":0,"errors":["application over its limit"]}`)
				return false
			}
			okJSON(w)
			return true
		}, check: func(t *testing.T, s *standIn, r *rig) {
			if gap := s.times[1].Sub(s.times[0]); gap < 5*time.Minute {
				t.Errorf("second request %s after a 429 whose limit resets in 5m", gap)
			}
		}},
		{name: "400 application token is invalid, then a reload with a new token", reload: true, at: 10*time.Minute + 30*time.Second,
			reply: func(s *standIn, n int, token string, w http.ResponseWriter, _ string) bool {
				if token != newToken {
					errJSON(w, http.StatusBadRequest, `{"token":"invalid","errors":["application token is invalid"],"status":0}`)
					return false
				}
				okJSON(w)
				return true
			}, check: func(t *testing.T, s *standIn, r *rig) {
				checkHeld(t, s, r)
				// The new notifier is asked at once, not after the pause the
				// old one asked for.
				if last := s.times[len(s.times)-1]; last.Sub(start) > 10*time.Minute+40*time.Second {
					t.Errorf("held notices sent %s after the reload", last.Sub(start.Add(10*time.Minute+30*time.Second)))
				}
			}},
		{name: "400 user identifier is not a valid user, fixed at Pushover (periodic re-check)",
			reply: func(s *standIn, n int, _ string, w http.ResponseWriter, _ string) bool {
				if s.clock.Now().Before(start.Add(12 * time.Minute)) {
					errJSON(w, http.StatusBadRequest, `{"user":"invalid","errors":["user identifier is not a valid user, group, or subscribed user key"],"status":0}`)
					return false
				}
				okJSON(w)
				return true
			}, check: checkHeld},
		{name: "one message too long (message-specific 400)", dropped: []int{5},
			reply: func(s *standIn, n int, _ string, w http.ResponseWriter, title string) bool {
				if strings.Contains(title, "notice 05") {
					errJSON(w, http.StatusBadRequest, `{"message":"invalid","errors":["message cannot be longer than 1024 characters"],"status":0}`)
					return false
				}
				okJSON(w)
				return true
			}, check: func(t *testing.T, s *standIn, r *rig) {
				if !strings.Contains(r.log(), "pushover rejected the message: dropped") || !strings.Contains(r.log(), "notice 05") {
					t.Errorf("the dropped message is not logged with its text:\n%s", r.log())
				}
			}},
		{name: "200 with an unreadable body", reply: func(s *standIn, n int, _ string, w http.ResponseWriter, _ string) bool {
			w.WriteHeader(http.StatusOK)
			fmt.Fprint(w, "<html>ok</html>")
			return true
		}},
		{name: "200 with status 0", reply: func(s *standIn, n int, _ string, w http.ResponseWriter, _ string) bool {
			errJSON(w, http.StatusOK, `{"status":0,"errors":["?"]}`)
			return true
		}},
		{name: "200 with a 300 MB body", reply: func(s *standIn, n int, _ string, w http.ResponseWriter, _ string) bool {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, `{"status":1,"request":"`)
			io.Copy(w, &zeros{left: 300 << 20})
			return true
		}},
		{name: "200 cut off mid-body", reply: func(s *standIn, n int, _ string, w http.ResponseWriter, _ string) bool {
			w.Header().Set("Content-Length", "200")
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, `{"status":1,"req`)
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}},
		{name: "500 for the first five", reply: func(s *standIn, n int, _ string, w http.ResponseWriter, _ string) bool {
			if n < 5 {
				errJSON(w, http.StatusInternalServerError, "<html>internal error</html>")
				return false
			}
			okJSON(w)
			return true
		}},
		{name: "503 with Retry-After", reply: func(s *standIn, n int, _ string, w http.ResponseWriter, _ string) bool {
			if n < 2 {
				w.Header().Set("Retry-After", "60")
				errJSON(w, http.StatusServiceUnavailable, "busy")
				return false
			}
			okJSON(w)
			return true
		}, check: func(t *testing.T, s *standIn, r *rig) {
			for i := 1; i < 3; i++ {
				if gap := s.times[i].Sub(s.times[i-1]); gap < time.Minute {
					t.Errorf("request %d came %s after a 503 with Retry-After 60", i, gap)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := tracker.NewVirtual(start)
			var s *standIn
			wrapped := tt.reply
			s = newStandIn(t, clock, func(s *standIn, n int, token string, w http.ResponseWriter, title string) (ok bool) {
				defer func() {
					if r := recover(); r != nil {
						if r == http.ErrAbortHandler {
							ok = true // the answer was cut after Pushover accepted
							s.mu.Lock()
							s.statuses = append(s.statuses, 200)
							if m := noticeID.FindStringSubmatch(title); m != nil {
								id, _ := strconv.Atoi(m[1])
								s.accepted[id]++
								s.order = append(s.order, id)
							}
							s.mu.Unlock()
						}
						panic(r)
					}
				}()
				return wrapped(s, n, token, w, title)
			})
			r := newRig(t, clock, s.srv.URL+"/1")
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			var hook func()
			if tt.reload {
				hook = func() {
					if err := r.eng.SetRuntime(r.runtime(newToken)); err != nil {
						t.Fatal(err)
					}
				}
			}
			r.run(3*time.Hour, 10*time.Second, tt.at, hook)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			// A handler may still be writing its answer (the 300 MB body)
			// after todoku took the 2xx as sent: count once all are done.
			s.srv.Close()
			o := s.outcome()
			o.dropped = len(tt.dropped)
			t.Logf("%-70s delivered %2d  lost %d  duplicated %d  dropped %d  requests %3d  allocated %d MB",
				tt.name, o.delivered, o.lost-o.dropped, o.duplicated, o.dropped, o.requests, (after.TotalAlloc-before.TotalAlloc)>>20)
			if o.lost != len(tt.dropped) || o.duplicated != 0 {
				t.Errorf("delivered %d, lost %d (of which dropped on purpose %d), duplicated %d: want every notice exactly once",
					o.delivered, o.lost, len(tt.dropped), o.duplicated)
			}
			if grown := (after.TotalAlloc - before.TotalAlloc) >> 20; grown > 64 {
				t.Errorf("allocated %d MB during the run", grown)
			}
			if out, _ := r.st.Outbox(); len(out) != 0 {
				t.Errorf("%d notices still waiting", len(out))
			}
			if tt.check != nil {
				tt.check(t, s, r)
			}
		})
	}
}

// checkHeld: after rejected credentials every notice was held and then
// sent in order, each saying how late it is; the rejection was logged,
// and an operator notice followed them.
func checkHeld(t *testing.T, s *standIn, r *rig) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 1; i < len(s.order); i++ {
		if s.order[i] < s.order[i-1] {
			t.Errorf("held notices sent out of order: %v", s.order)
			break
		}
	}
	for id, body := range s.bodies {
		if !strings.HasPrefix(body, "⏳ ") {
			t.Errorf("notice %02d sent late without its age:\n%s", id, body)
		}
	}
	if !strings.Contains(r.log(), "pushover rejected the credentials") {
		t.Errorf("the rejection is not in the log:\n%s", r.log())
	}
	// Sending stopped: a handful of re-checks, not one request per notice
	// per retry.
	if s.requests > 12+notices {
		t.Errorf("%d requests while held: sending did not stop", s.requests)
	}
}
