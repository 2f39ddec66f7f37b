package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testToken = "azGDORePK8gMaC0QOYAMyEEuzJnyUi"
	testUser  = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"
)

// fakePushover is an httptest Pushover implementing the documented
// semantics; mode decides the answer to each POST /messages.json.
type fakePushover struct {
	t       *testing.T
	srv     *httptest.Server
	posts   atomic.Int32
	mu      sync.Mutex
	mode    string
	forms   []url.Values
	release chan struct{}
	once    sync.Once
	reset   time.Time
	remain  int
}

func newFakePushover(t *testing.T, mode string) *fakePushover {
	t.Helper()
	f := &fakePushover{t: t, mode: mode, release: make(chan struct{}), remain: 7496,
		reset: time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() {
		f.unblock()
		f.srv.Close()
	})
	return f
}

// unblock lets hanging requests answer.
func (f *fakePushover) unblock() { f.once.Do(func() { close(f.release) }) }

func (f *fakePushover) setMode(mode string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mode = mode
}

func (f *fakePushover) lastForm() url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.forms) == 0 {
		return nil
	}
	return f.forms[len(f.forms)-1]
}

func (f *fakePushover) limits(w http.ResponseWriter) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("X-Limit-App-Limit", "10000")
	w.Header().Set("X-Limit-App-Remaining", strconv.Itoa(f.remain))
	w.Header().Set("X-Limit-App-Reset", strconv.FormatInt(f.reset.Unix(), 10))
}

func (f *fakePushover) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/1/messages.json" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f.posts.Add(1)
	f.mu.Lock()
	f.forms = append(f.forms, r.PostForm)
	mode := f.mode
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	ok := `{"status":1,"request":"647d2300-702c-4b38-8b2f-d56326ae460b"}`
	switch mode {
	case "ok":
		f.limits(w)
		fmt.Fprint(w, ok)
	case "ok-no-limits":
		fmt.Fprint(w, ok)
	case "ok-bad-limits":
		w.Header().Set("X-Limit-App-Limit", "lots")
		w.Header().Set("X-Limit-App-Remaining", "some")
		w.Header().Set("X-Limit-App-Reset", "soon")
		fmt.Fprint(w, ok)
	case "400":
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"user":"invalid","errors":["user identifier is not a valid user, group, or subscribed user key"],"status":0,"request":"5042853c"}`)
	case "400-echo": // echoes the secrets back, as a careless server might
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"errors":["application token %s is invalid","user %s unknown"],"status":0}`, r.PostForm.Get("token"), r.PostForm.Get("user"))
	case "400-message":
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"message":"invalid","errors":["message cannot be longer than 1024 characters"],"status":0}`)
	case "200-status0":
		fmt.Fprint(w, `{"errors":["message cannot be blank"],"status":0}`)
	case "429":
		f.mu.Lock()
		f.remain = 0
		f.mu.Unlock()
		f.limits(w)
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"errors":["application has exceeded its monthly message limit"],"status":0}`)
	case "500":
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, "<html>internal error</html>")
	case "hang":
		select {
		case <-f.release:
		case <-r.Context().Done():
			return
		}
		f.limits(w)
		fmt.Fprint(w, ok)
	default:
		f.t.Errorf("fake pushover: unknown mode %q", mode)
	}
}

// fakeClock is a settable time for the notifier's retry spacing.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

type harness struct {
	fake    *fakePushover
	p       *Pushover
	clock   *fakeClock
	logs    *syncBuffer
	noticeN atomic.Int32
	notices []Notice
	mu      sync.Mutex
}

func newHarness(t *testing.T, mode string, timeout time.Duration) *harness {
	t.Helper()
	h := &harness{fake: newFakePushover(t, mode), logs: &syncBuffer{},
		clock: &fakeClock{t: time.Date(2026, 11, 23, 5, 2, 0, 0, time.UTC)}}
	p, err := NewPushover(PushoverConfig{
		Token: testToken, User: testUser, APIURL: h.fake.srv.URL + "/1", Timeout: timeout,
		Logger: slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		OnOperator: func(n Notice) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.notices = append(h.notices, n)
		},
	})
	if err != nil {
		t.Fatalf("NewPushover: %v", err)
	}
	p.now = h.clock.now
	h.p = p
	t.Cleanup(waitSlotFree(t))
	return h
}

// waitSlotFree returns a cleanup that waits until no library call is in
// flight, so one test's hung request cannot leak into the next.
func waitSlotFree(t *testing.T) func() {
	return func() {
		deadline := time.Now().Add(5 * time.Second)
		for len(sendSlot) > 0 {
			if time.Now().After(deadline) {
				t.Errorf("a pushover request is still in flight after the test")
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

func (h *harness) operatorNotices() []Notice {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Notice(nil), h.notices...)
}

func testMessage() Message {
	return Message{
		Title: "不在持戻り: カメラレンズ（ヤマト運輸）", Body: "持戻（ご不在）\n☎ 0120-01-9625",
		URL: "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko", URLTitle: "再配達を依頼（ヤマト運輸）",
		Priority: 1, Timestamp: time.Date(2026, 11, 23, 14, 2, 0, 0, time.FixedZone("JST", 9*3600)),
		Kind: KindDeliveryFailed, Number: "123456789012", Carrier: "yamato", Phone: "0120-01-9625",
	}
}

func TestPushoverSendCases(t *testing.T) {
	tests := []struct {
		name      string
		mode      string
		wantRetry bool
		wantErr   error // errors.Is target; nil for success
		wantQuota bool
	}{
		{name: "success with limit headers", mode: "ok"},
		{name: "success without limit headers", mode: "ok-no-limits"},
		{name: "success with unreadable limit headers", mode: "ok-bad-limits"},
		{name: "400 user key invalid: held", mode: "400", wantQuota: true},
		{name: "400 message too long: dropped", mode: "400-message", wantErr: ErrRejected},
		{name: "200 with status 0 is sent", mode: "200-status0"},
		{name: "429 quota spent", mode: "429", wantQuota: true},
		{name: "500", mode: "500", wantRetry: true, wantErr: ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.mode, 2*time.Second)
			retry, err := h.p.Send(context.Background(), testMessage())
			if retry != tt.wantRetry {
				t.Errorf("retry = %v, want %v (err %v)", retry, tt.wantRetry, err)
			}
			var qe *QuotaError
			switch {
			case tt.wantQuota:
				if !errors.As(err, &qe) {
					t.Fatalf("err = %v, want *QuotaError", err)
				}
			case tt.wantErr == nil && err != nil:
				t.Fatalf("err = %v, want nil", err)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got := h.fake.posts.Load(); got != 1 {
				t.Errorf("requests = %d, want exactly 1", got)
			}
			// Exactly once: what the caller would do next never sends again.
			// Success and rejection are final for the tracker; a quota error
			// pauses; a 5xx may only be retried after 5 s.
			if tt.wantQuota || tt.wantRetry {
				retry2, err2 := h.p.Send(context.Background(), testMessage())
				if got := h.fake.posts.Load(); got != 1 {
					t.Errorf("requests after an immediate second send = %d, want 1 (err %v)", got, err2)
				}
				if tt.wantQuota && (!errors.As(err2, &qe) || retry2) {
					t.Errorf("second send = (%v, %v), want (false, *QuotaError)", retry2, err2)
				}
				if tt.wantRetry && (!errors.Is(err2, ErrTooSoon) || !retry2) {
					t.Errorf("second send = (%v, %v), want (true, ErrTooSoon)", retry2, err2)
				}
			}
		})
	}
}

func TestPushoverSendsFields(t *testing.T) {
	h := newHarness(t, "ok", 2*time.Second)
	m := testMessage()
	if _, err := h.p.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	form := h.fake.lastForm()
	want := map[string]string{
		"token": testToken, "user": testUser, "message": m.Body, "title": m.Title, "url": m.URL,
		"url_title": m.URLTitle, "priority": "1", "timestamp": strconv.FormatInt(m.Timestamp.Unix(), 10),
	}
	for k, v := range want {
		if got := form.Get(k); got != v {
			t.Errorf("form %s = %q, want %q", k, got, v)
		}
	}
}

func TestPushover5xxThenSuccessAfter5s(t *testing.T) {
	h := newHarness(t, "500", 2*time.Second)
	m := testMessage()
	if retry, err := h.p.Send(context.Background(), m); !retry || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("first send = (%v, %v), want (true, ErrUnavailable)", retry, err)
	}
	h.fake.setMode("ok")
	h.clock.add(4900 * time.Millisecond)
	if retry, err := h.p.Send(context.Background(), m); !retry || !errors.Is(err, ErrTooSoon) {
		t.Fatalf("send after 4.9s = (%v, %v), want (true, ErrTooSoon)", retry, err)
	}
	h.clock.add(100 * time.Millisecond)
	if retry, err := h.p.Send(context.Background(), m); retry || err != nil {
		t.Fatalf("send after 5s = (%v, %v), want (false, nil)", retry, err)
	}
	if got := h.fake.posts.Load(); got != 2 {
		t.Errorf("requests = %d, want 2 (one failure, one delivery)", got)
	}
}

func TestPushoverHangingServer(t *testing.T) {
	const timeout = 300 * time.Millisecond
	h := newHarness(t, "hang", timeout)
	m := testMessage()

	start := time.Now()
	retry, err := h.p.Send(context.Background(), m)
	if elapsed := time.Since(start); elapsed > timeout+time.Second {
		t.Errorf("Send returned after %s, want about %s", elapsed, timeout)
	}
	if !retry || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("send = (%v, %v), want (true, deadline exceeded)", retry, err)
	}

	// The hung request is bound to the send's deadline: it ends with it,
	// so no request outlives its send and the slot is free again.
	waitSlotFree(t)()
	h.fake.setMode("ok")
	h.clock.add(5 * time.Second)
	if retry, err := h.p.Send(context.Background(), m); retry || err != nil {
		t.Fatalf("retry = (%v, %v), want (false, nil)", retry, err)
	}
	if got := h.fake.posts.Load(); got != 2 {
		t.Errorf("requests = %d, want 2 (the hung one, the retry)", got)
	}
}

func TestPushoverCancelledContext(t *testing.T) {
	h := newHarness(t, "ok", time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	retry, err := h.p.Send(ctx, testMessage())
	if !retry || !errors.Is(err, context.Canceled) {
		t.Errorf("send = (%v, %v), want (true, context.Canceled)", retry, err)
	}
	if got := h.fake.posts.Load(); got != 0 {
		t.Errorf("requests = %d, want 0", got)
	}
}

func TestPushoverQuota(t *testing.T) {
	h := newHarness(t, "429", time.Second)
	_, err := h.p.Send(context.Background(), testMessage())
	var qe *QuotaError
	if !errors.As(err, &qe) {
		t.Fatalf("err = %v, want *QuotaError", err)
	}
	// The library hides the 429's headers: the reset is the next 1st of
	// the month, 00:00 US Central.
	if want := nextQuotaReset(h.clock.now()); !qe.Reset.Equal(want) {
		t.Errorf("reset = %v, want %v", qe.Reset, want)
	}
	for range 3 {
		h.p.Send(context.Background(), testMessage())
	}
	if got := h.fake.posts.Load(); got != 1 {
		t.Errorf("requests = %d, want 1 while paused", got)
	}
	if got := h.operatorNotices(); len(got) != 1 || got[0].Kind != KindOperator {
		t.Errorf("operator notices = %+v, want exactly one", got)
	}
	if n := strings.Count(h.logs.String(), "pushover quota spent"); n != 1 {
		t.Errorf("quota log lines = %d, want 1", n)
	}
	// After the reset, sending resumes.
	h.fake.setMode("ok")
	h.clock.add(qe.Reset.Sub(h.clock.now()) + time.Second)
	if _, err := h.p.Send(context.Background(), testMessage()); err != nil {
		t.Errorf("send after reset: %v", err)
	}
	if got := h.fake.posts.Load(); got != 2 {
		t.Errorf("requests = %d, want 2", got)
	}
}

func TestPushoverQuotaKnownSpent(t *testing.T) {
	h := newHarness(t, "ok", time.Second)
	h.fake.mu.Lock()
	h.fake.remain = 0
	h.fake.mu.Unlock()
	if _, err := h.p.Send(context.Background(), testMessage()); err != nil {
		t.Fatalf("last message of the month: %v", err)
	}
	_, err := h.p.Send(context.Background(), testMessage())
	var qe *QuotaError
	if !errors.As(err, &qe) || !qe.Reset.Equal(h.fake.reset) {
		t.Fatalf("err = %v, want *QuotaError until %v", err, h.fake.reset)
	}
	if got := h.fake.posts.Load(); got != 1 {
		t.Errorf("requests = %d, want 1: a send known to fail is not attempted", got)
	}
}

func TestPushoverLowQuotaWarnsOnce(t *testing.T) {
	h := newHarness(t, "ok", time.Second)
	steps := []struct {
		remain int
		warns  int
	}{
		{9000, 0}, {499, 1}, {498, 1}, {10, 1}, {9999, 1}, {400, 2},
	}
	for i, s := range steps {
		h.fake.mu.Lock()
		h.fake.remain = s.remain
		h.fake.mu.Unlock()
		if _, err := h.p.Send(context.Background(), testMessage()); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got := strings.Count(h.logs.String(), "pushover quota low"); got != s.warns {
			t.Errorf("step %d (remaining %d): warnings = %d, want %d", i, s.remain, got, s.warns)
		}
		if got := len(h.operatorNotices()); got != s.warns {
			t.Errorf("step %d: operator notices = %d, want %d", i, got, s.warns)
		}
	}
}

func TestPushoverNeverLeaksSecrets(t *testing.T) {
	modes := []string{"400-echo", "500", "ok-no-limits", "ok-bad-limits", "429", "hang"}
	var errs []string
	logs := ""
	for _, mode := range modes {
		h := newHarness(t, mode, 200*time.Millisecond)
		_, err := h.p.Send(context.Background(), testMessage())
		if err != nil {
			errs = append(errs, err.Error(), fmt.Sprintf("%+v", err))
		}
		h.fake.unblock()
		waitSlotFree(t)()
		for _, n := range h.operatorNotices() {
			errs = append(errs, n.Text)
		}
		logs += h.logs.String()
		if mode == "400-echo" { // the fake really did echo them
			if form := h.fake.lastForm(); form.Get("token") != testToken {
				t.Fatalf("fake server got token %q", form.Get("token"))
			}
			if !strings.Contains(err.Error(), "<secret>") {
				t.Errorf("echoed error %q: want the secrets replaced by <secret>", err)
			}
		}
	}
	// A bad configuration must not echo the key either.
	for _, cfg := range []PushoverConfig{
		{Token: testToken[:29], User: testUser},
		{Token: testToken, User: testUser + "x"},
	} {
		if _, err := NewPushover(cfg); err == nil {
			t.Errorf("NewPushover accepted a bad key")
		} else {
			errs = append(errs, err.Error())
		}
	}
	all := logs + strings.Join(errs, "\n")
	for _, secret := range []string{testToken, testUser, testToken[:29], testUser + "x"} {
		if strings.Contains(all, secret) {
			t.Errorf("secret %q found in logs or errors:\n%s", secret, all)
		}
	}
	if !strings.Contains(logs, "pushover rejected the credentials") {
		t.Errorf("logs lack the rejection, so the test proves nothing:\n%s", logs)
	}
}

func TestNewPushoverConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  PushoverConfig
		ok   bool
	}{
		{"defaults", PushoverConfig{Token: testToken, User: testUser}, true},
		{"empty token", PushoverConfig{User: testUser}, false},
		{"short user", PushoverConfig{Token: testToken, User: "abc"}, false},
		{"ftp url", PushoverConfig{Token: testToken, User: testUser, APIURL: "ftp://x/1"}, false},
		{"user info", PushoverConfig{Token: testToken, User: testUser, APIURL: "https://a:b@x/1"}, false},
		{"negative timeout", PushoverConfig{Token: testToken, User: testUser, Timeout: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPushover(tt.cfg)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrConfig) {
				t.Errorf("err = %v, want ErrConfig", err)
			}
			if tt.ok && (p.endpoint != DefaultAPIURL || p.timeout != DefaultTimeout || p.lowQuota != DefaultLowQuota) {
				t.Errorf("defaults = %q %s %d", p.endpoint, p.timeout, p.lowQuota)
			}
		})
	}
}

func TestPushoverEmergencyRules(t *testing.T) {
	h := newHarness(t, "ok", time.Second)
	tests := []struct {
		name          string
		retry, expire time.Duration
		ok            bool
	}{
		{"valid", 30 * time.Second, 3 * time.Hour, true},
		{"retry too short", 29 * time.Second, time.Hour, false},
		{"expire too long", time.Minute, 3*time.Hour + time.Second, false},
		{"missing", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMessage()
			m.Priority, m.Retry, m.Expire = PriorityEmergency, tt.retry, tt.expire
			before := h.fake.posts.Load()
			retry, err := h.p.Send(context.Background(), m)
			if (err == nil) != tt.ok || retry {
				t.Fatalf("send = (%v, %v), want ok=%v and no retry", retry, err, tt.ok)
			}
			sent := h.fake.posts.Load() - before
			if tt.ok {
				form := h.fake.lastForm()
				if sent != 1 || form.Get("retry") != strconv.Itoa(int(tt.retry.Seconds())) || form.Get("expire") != strconv.Itoa(int(tt.expire.Seconds())) {
					t.Errorf("sent %d, form retry=%q expire=%q", sent, form.Get("retry"), form.Get("expire"))
				}
			} else if sent != 0 {
				t.Errorf("requests = %d, want 0", sent)
			}
		})
	}
}

func TestPushoverTruncatesInsteadOfFailing(t *testing.T) {
	h := newHarness(t, "ok", time.Second)
	m := testMessage()
	m.Body = strings.Repeat("あ", 3000)
	m.Title = strings.Repeat("い", 600)
	m.URLTitle = strings.Repeat("う", 300)
	if _, err := h.p.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	form := h.fake.lastForm()
	for field, max := range map[string]int{"message": MaxBody, "title": MaxTitle, "url_title": MaxURLTitle} {
		if n := len([]rune(form.Get(field))); n != max {
			t.Errorf("%s = %d runes, want %d", field, n, max)
		}
	}
}

// TestPushoverLogStyle: log messages are fixed human text (not
// snake_case identifiers), variables go in snake_case attributes, and an
// error is always under the key "err".
func TestPushoverLogStyle(t *testing.T) {
	logs := ""
	run := func(mode string, timeout time.Duration, change func(*harness, *Message)) {
		h := newHarness(t, mode, timeout)
		m := testMessage()
		if change != nil {
			change(h, &m)
		}
		h.p.Send(context.Background(), m)
		h.fake.unblock()
		waitSlotFree(t)()
		logs += h.logs.String()
	}
	for _, mode := range []string{"ok", "ok-no-limits", "400", "429", "500"} {
		run(mode, time.Second, nil)
	}
	run("hang", 100*time.Millisecond, nil)
	run("ok", time.Second, func(h *harness, m *Message) { m.Priority = 3 })     // refused by the library
	run("ok", time.Second, func(h *harness, m *Message) { h.fake.srv.Close() }) // transport error
	run("ok", time.Second, func(h *harness, m *Message) {                       // quota low
		h.fake.mu.Lock()
		h.fake.remain = 10
		h.fake.mu.Unlock()
	})
	msgRE := regexp.MustCompile(`(?:^|\s)msg=("(?:[^"\\]|\\.)*"|\S+)`)
	keyRE := regexp.MustCompile(`\s([A-Za-z0-9_.]+)=`)
	snake := regexp.MustCompile(`^[a-z0-9_.]+$`)
	msgs := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		mm := msgRE.FindStringSubmatch(line)
		if mm == nil {
			t.Errorf("log line without msg: %s", line)
			continue
		}
		msg := strings.Trim(mm[1], `"`)
		msgs[msg] = true
		if !strings.Contains(msg, " ") || strings.Contains(msg, "_") {
			t.Errorf("message %q is not fixed human text: %s", msg, line)
		}
		for _, k := range keyRE.FindAllStringSubmatch(line, -1) {
			if !snake.MatchString(k[1]) {
				t.Errorf("attribute %q is not snake_case: %s", k[1], line)
			}
			if k[1] == "error" || k[1] == "errors" {
				t.Errorf("attribute %q: errors go under \"err\": %s", k[1], line)
			}
		}
	}
	if !strings.Contains(logs, " err=") || len(msgs) < 6 {
		t.Errorf("too few kinds of log line to prove anything (%d):\n%s", len(msgs), logs)
	}
}
