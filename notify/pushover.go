package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gregdel/pushover"
	"github.com/todoku/todoku/carriers"
)

// DefaultAPIURL is Pushover's API base URL.
const DefaultAPIURL = "https://api.pushover.net/1"

// Pushover defaults.
const (
	DefaultTimeout  = 15 * time.Second
	DefaultLowQuota = 500
)

// PushoverConfig configures the Pushover notifier.
type PushoverConfig struct {
	Token, User string        // secrets: never in logs or errors
	APIURL      string        // "" = the real API; tests point it at httptest
	Timeout     time.Duration // per send, default 15s
	LowQuota    int           // warn once below this many remaining messages (default 500; <0 = never)
	Logger      *slog.Logger
	// Lang is the language of operator notices ("ja" or "en").
	Lang string
	// OnOperator, when set, receives an operator notice once when the
	// monthly quota is spent, once when the remaining quota drops below
	// LowQuota (again only after it has recovered), and once when
	// Pushover rejects the credentials. It is called from Send (never
	// while Pushover holds its lock), so it may do I/O.
	OnOperator func(Notice)
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time
}

// Pushover is a Notifier that sends through github.com/gregdel/pushover.
// It is safe for concurrent use; sends are serialised (see the package
// documentation for how each send is bounded).
type Pushover struct {
	app        *pushover.Pushover
	recipient  *pushover.Recipient
	endpoint   string
	timeout    time.Duration
	lowQuota   int
	lang       string
	log        *slog.Logger
	onOperator func(Notice)
	secrets    []string
	now        func() time.Time

	mu          sync.Mutex
	limit       *pushover.Limit // from the last successful send
	pausedUntil time.Time       // quota spent until then
	quotaNoted  bool            // the quota notice for this pause was raised
	lowWarned   bool            // the low-quota warning was raised
	lastFailure time.Time       // last retryable failure
	acceptedKey string          // an abandoned send of this message was accepted
	pending     []Notice        // operator notices to hand out once p.mu is released

	rateUntil time.Time // Pushover answered 429: nothing before then

	// Credentials rejected: every message is held (Send answers with a
	// *QuotaError) until a re-check at recheckAt succeeds; a reload with
	// new credentials builds a new notifier, which starts clean.
	heldSince  time.Time
	heldReason string
	recheckAt  time.Time
}

var _ Notifier = (*Pushover)(nil)

// sendSlot allows one gregdel/pushover call in flight in the whole
// process. The library keeps its endpoint in the package variable
// pushover.APIEndpoint and sends through http.DefaultClient, which has no
// timeout: the holder of the slot is the only code that writes or reads
// the endpoint, and a hung request holds the slot until it ends, so hung
// requests cannot pile up. This is the one package-level variable, and it
// exists only because the library's state is process-wide.
var sendSlot = make(chan struct{}, 1)

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9]{30}$`)

// NewPushover checks cfg and returns a Pushover notifier. It does no I/O.
func NewPushover(cfg PushoverConfig) (*Pushover, error) {
	if !keyPattern.MatchString(cfg.Token) {
		return nil, fmt.Errorf("%w: token must be 30 letters or digits", ErrConfig)
	}
	if !keyPattern.MatchString(cfg.User) {
		return nil, fmt.Errorf("%w: user key must be 30 letters or digits", ErrConfig)
	}
	endpoint := strings.TrimSuffix(cfg.APIURL, "/")
	if endpoint == "" {
		endpoint = DefaultAPIURL
	}
	if u, err := url.Parse(endpoint); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("%w: api url must be an http(s) URL without user info", ErrConfig)
	}
	if cfg.Timeout < 0 {
		return nil, fmt.Errorf("%w: timeout %s is negative", ErrConfig, cfg.Timeout)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.LowQuota == 0 {
		cfg.LowQuota = DefaultLowQuota
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Pushover{
		app:        pushover.New(cfg.Token),
		recipient:  pushover.NewRecipient(cfg.User),
		endpoint:   endpoint,
		timeout:    cfg.Timeout,
		lowQuota:   cfg.LowQuota,
		lang:       cfg.Lang,
		log:        log.With("notifier", "pushover"),
		onOperator: cfg.OnOperator,
		secrets:    []string{cfg.Token, cfg.User},
		now:        now,
	}, nil
}

// call is one library call, possibly abandoned at its deadline.
type call struct {
	key       string
	finished  bool
	abandoned bool
	resp      *pushover.Response
	err       error
	reply     reply // what the transport saw of the answer
}

// Send delivers m once, bounded by ctx and the configured timeout.
//
// It fails without any request when the quota is known to be spent
// (*QuotaError), when the last retryable failure was less than 5 s ago
// (ErrTooSoon, retryable), or when an earlier abandoned request is still
// hanging past ctx's deadline (ErrSendInFlight, retryable). A timeout is
// retryable; 5xx and network errors are retryable; Pushover's rejections
// (4xx, status != 1) are not. A success whose quota headers are missing
// is a success.
func (p *Pushover) Send(ctx context.Context, m Message) (bool, error) {
	defer p.flushOperator()
	m = Fit(m)
	if m.Priority == PriorityEmergency &&
		(m.Retry < MinEmergencyRetry || m.Expire <= 0 || m.Expire > MaxEmergencyExpire) {
		return false, fmt.Errorf("notify: pushover send: emergency needs retry ≥ 30s and expire ≤ 3h: %w", ErrRejected)
	}
	if retry, err, stop := p.precheck(m, false); stop {
		return retry, err
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	if err := ctx.Err(); err != nil {
		return true, fmt.Errorf("notify: pushover send: %w", err)
	}
	select {
	case sendSlot <- struct{}{}:
	case <-ctx.Done():
		return true, fmt.Errorf("notify: pushover send: %w", ErrSendInFlight)
	}
	// Holding the slot: re-check (an abandoned request may just have ended).
	if retry, err, stop := p.precheck(m, true); stop {
		<-sendSlot
		return retry, err
	}
	c := &call{key: messageKey(m)}
	pushover.APIEndpoint = p.endpoint
	inFlight.Store(&flight{ctx: ctx, endpoint: p.endpoint, reply: &c.reply})
	done := make(chan struct{})
	go p.run(c, toPushover(m), done)

	select {
	case <-done:
	case <-ctx.Done():
		p.mu.Lock()
		finished := c.finished
		if !finished {
			c.abandoned = true
			p.lastFailure = p.now()
		}
		p.mu.Unlock()
		if !finished {
			p.log.Warn("pushover send timed out: the message may still be accepted", "kind", m.Kind, "carrier", m.Carrier, "timeout", p.timeout)
			return true, fmt.Errorf("notify: pushover send: no answer in time (the message may have been accepted): %w", ctx.Err())
		}
		<-done
	}
	return p.classify(m, c)
}

// run makes the library call and releases the slot when it ends, however
// long that takes. If Send gave up on it meanwhile, run records the
// outcome so that a retry of an accepted message is not sent again.
func (p *Pushover) run(c *call, pm *pushover.Message, done chan<- struct{}) {
	resp, err := p.app.SendMessage(pm, p.recipient)
	inFlight.Store(nil)
	p.mu.Lock()
	c.resp, c.err, c.finished = resp, err, true
	if c.abandoned {
		if status, _, _, _ := c.reply.get(); accepted(err) || success(status) {
			p.acceptedKey = c.key
			p.noteLimit(limitOf(resp))
		}
		if err != nil {
			p.log.Info("abandoned pushover request ended", "accepted", accepted(err), "err", p.redact(errText(err)))
		} else {
			p.log.Info("abandoned pushover request ended", "accepted", true)
		}
	}
	p.mu.Unlock()
	<-sendSlot
	close(done)
	p.flushOperator()
}

// precheck answers without a request when the quota is spent, when a
// retry comes too soon, or (holding the slot) when an abandoned request
// for the same message turned out to be accepted.
func (p *Pushover) precheck(m Message, holding bool) (retry bool, err error, stop bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if p.limit != nil && p.limit.Remaining <= 0 && now.Before(p.limit.NextReset) && p.pausedUntil.IsZero() {
		p.pauseLocked(p.limit.NextReset)
	}
	if now.Before(p.pausedUntil) {
		return false, &QuotaError{Reset: p.pausedUntil}, true
	}
	if now.Before(p.rateUntil) {
		return false, &QuotaError{Reset: p.rateUntil, Reason: "pushover asked to slow down (429)"}, true
	}
	if !p.heldSince.IsZero() && now.Before(p.recheckAt) {
		return false, p.heldError(now), true
	}
	if holding && p.acceptedKey != "" && p.acceptedKey == messageKey(m) {
		p.acceptedKey = ""
		p.log.Info("pushover send skipped", "reason", "an abandoned request for this message was accepted", "kind", m.Kind, "carrier", m.Carrier)
		return false, nil, true
	}
	if !p.lastFailure.IsZero() && now.Sub(p.lastFailure) < MinRetryDelay {
		return true, fmt.Errorf("notify: pushover send: %w", ErrTooSoon), true
	}
	return false, nil, false
}

// classify turns the library's answer, and the HTTP status the transport
// saw, into (retry, err):
//
//   - any 2xx is sent, whatever its body (an unreadable or cut-off body is
//     never a reason to send again);
//   - 429 pauses sending until Retry-After, or the quota reset of the
//     limit headers, and is retried then (a *QuotaError): never dropped;
//   - a 4xx naming the token or the user key holds every message (a
//     *QuotaError until the next re-check) and raises it once;
//   - Pushover's quota text pauses until the monthly reset;
//   - any other 4xx rejects this one message (not retried);
//   - 5xx is retried, after its Retry-After when it gives one; network
//     errors and answers that cannot be read are retried.
func (p *Pushover) classify(m Message, c *call) (bool, error) {
	err := c.err
	status, header, body, _ := c.reply.get()
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	var rejected pushover.Errors
	errors.As(err, &rejected)
	switch {
	case success(status) || (status == 0 && accepted(err)):
		p.lastFailure = time.Time{}
		if !p.pausedUntil.IsZero() && !now.Before(p.pausedUntil) {
			p.pausedUntil, p.quotaNoted = time.Time{}, false
		}
		if !p.heldSince.IsZero() {
			p.log.Warn("pushover accepts the credentials again: sending the held notifications", "held_since", p.heldSince)
			p.heldSince, p.heldReason, p.recheckAt = time.Time{}, "", time.Time{}
		}
		lim := limitOf(c.resp)
		if lim == nil && header != nil {
			lim = limitFromHeader(header)
		}
		if lim == nil {
			p.log.Debug("pushover quota unknown", "reason", "quota headers missing or unreadable")
		}
		p.noteLimit(lim)
		if err != nil {
			p.log.Info("pushover accepted the message; its answer could not be read", "kind", m.Kind, "status", status, "err", p.redact(err.Error()))
		}
		p.log.Debug("pushover message sent", "kind", m.Kind, "carrier", m.Carrier, "priority", m.Priority)
		return false, nil
	case status == http.StatusTooManyRequests:
		text := p.redact(errorText(rejected, body))
		lim := limitFromHeader(header)
		if lim != nil && lim.Remaining <= 0 && lim.NextReset.After(now) {
			p.limit = lim
			p.pauseLocked(lim.NextReset)
			return false, &QuotaError{Reset: lim.NextReset}
		}
		until := retryAfter(header, now)
		if until.IsZero() && lim != nil && lim.NextReset.After(now) {
			until = lim.NextReset
		}
		if until.IsZero() && quotaText(text) {
			reset := nextQuotaReset(now)
			p.pauseLocked(reset)
			return false, &QuotaError{Reset: reset}
		}
		if until.IsZero() {
			until = now.Add(time.Minute)
		}
		p.rateUntil = until
		p.log.Warn("pushover asked to slow down: sending paused", "until", until, "err", text)
		return false, &QuotaError{Reset: until, Reason: "pushover asked to slow down (429)"}
	case status >= 500 && !retryAfter(header, now).IsZero():
		// Unavailable, with a time to come back: honour it like a 429.
		until := retryAfter(header, now)
		p.rateUntil = until
		p.log.Warn("pushover unavailable: sending paused as it asked", "status", status, "until", until)
		return false, &QuotaError{Reset: until, Reason: fmt.Sprintf("pushover unavailable (%d), asked to wait", status)}
	case status >= 500 || errors.Is(err, pushover.ErrHTTPPushover):
		p.lastFailure = now
		p.log.Warn("pushover unavailable", "kind", m.Kind, "carrier", m.Carrier, "status", status)
		return true, fmt.Errorf("notify: pushover send: %w", ErrUnavailable)
	case status >= 400:
		text := p.redact(errorText(rejected, body))
		if credentialError(status, text, body) {
			return false, p.holdLocked(now, text)
		}
		if quotaText(text) || (p.limit != nil && p.limit.Remaining <= 0) {
			reset := nextQuotaReset(now)
			if p.limit != nil && p.limit.NextReset.After(now) {
				reset = p.limit.NextReset
			}
			p.pauseLocked(reset)
			return false, &QuotaError{Reset: reset}
		}
		p.log.Error("pushover rejected the message: dropped", "kind", m.Kind, "carrier", m.Carrier, "number", m.Number,
			"status", status, "err", text, "title", m.Title, "message", m.Body)
		return false, fmt.Errorf("notify: pushover send: %w: %s", ErrRejected, text)
	case rejected != nil:
		// A status != 1 without an HTTP status seen (a redirect to
		// elsewhere): Pushover's own words decide.
		text := p.redact(strings.Join(rejected, "; "))
		if credentialError(0, text, nil) {
			return false, p.holdLocked(now, text)
		}
		if quotaText(text) {
			reset := nextQuotaReset(now)
			p.pauseLocked(reset)
			return false, &QuotaError{Reset: reset}
		}
		p.log.Error("pushover rejected the message: dropped", "kind", m.Kind, "carrier", m.Carrier, "number", m.Number,
			"err", text, "title", m.Title, "message", m.Body)
		return false, fmt.Errorf("notify: pushover send: %w: %s", ErrRejected, text)
	case validationError(err):
		p.log.Error("pushover refused the message before sending: dropped", "kind", m.Kind, "err", p.redact(err.Error()),
			"title", m.Title, "message", m.Body)
		return false, &redacted{msg: p.redact("notify: pushover send: " + err.Error()), err: err}
	}
	// Transport errors and unreadable answers: worth another try.
	p.lastFailure = now
	p.log.Warn("pushover send failed", "kind", m.Kind, "carrier", m.Carrier, "err", p.redact(errText(err)))
	return true, &redacted{msg: p.redact("notify: pushover send: " + errText(err)), err: err}
}

// CredentialRecheck is how often a held notifier tries again with the
// credentials Pushover rejected (a reload with new ones tries at once).
const CredentialRecheck = 5 * time.Minute

// heldPoll is how long a *QuotaError for held credentials tells the
// sender to wait: short, so that a reload with new credentials (a new
// notifier) sends the held messages within a minute.
const heldPoll = time.Minute

// holdLocked starts (or continues) holding every message because
// Pushover rejected the credentials. p.mu is held.
func (p *Pushover) holdLocked(now time.Time, text string) error {
	if p.heldSince.IsZero() {
		p.heldSince = now
		p.log.Error("pushover rejected the credentials: every notification is held until they change or a re-check succeeds",
			"err", text, "recheck_every", CredentialRecheck)
		p.operator(fmt.Sprintf(p.phr().credentials, now.In(carriers.Tokyo).Format(timeLayout), text))
	} else {
		p.log.Warn("pushover still rejects the credentials: notifications stay held", "held_since", p.heldSince, "err", text)
	}
	p.heldReason = text
	p.recheckAt = now.Add(CredentialRecheck)
	return p.heldError(now)
}

// heldError is the *QuotaError for held credentials. p.mu is held.
func (p *Pushover) heldError(now time.Time) error {
	return &QuotaError{Reset: earliest(p.recheckAt, now.Add(heldPoll)), Reason: "pushover rejected the credentials (" + p.heldReason + "): notifications held"}
}

// Problem describes what stops notifications from being sent now (the
// credentials rejected, a 429 pause, the monthly quota spent), or "" when
// nothing does. held is true when nothing will be sent until the user
// acts (the credentials). The daemon shows it in its health.
func (p *Pushover) Problem() (text string, held bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	switch {
	case !p.heldSince.IsZero():
		return "pushover rejected the credentials at " + p.heldSince.UTC().Format(time.RFC3339) +
			" (" + p.heldReason + "): notifications are held until the credentials change (reload) or a re-check succeeds", true
	case now.Before(p.pausedUntil):
		return "pushover monthly quota spent: notifications paused until " + p.pausedUntil.UTC().Format(time.RFC3339), false
	case now.Before(p.rateUntil):
		return "pushover asked to slow down: notifications paused until " + p.rateUntil.UTC().Format(time.RFC3339), false
	}
	return "", false
}

func success(status int) bool { return status >= 200 && status < 300 }

// errorText is Pushover's error text: the library's parsed errors, or
// the "errors" of the body, or the start of the body.
func errorText(rejected pushover.Errors, body []byte) string {
	if len(rejected) > 0 {
		return strings.Join(rejected, "; ")
	}
	var r struct {
		Errors []string `json:"errors"`
	}
	if json.Unmarshal(body, &r) == nil && len(r.Errors) > 0 {
		return strings.Join(r.Errors, "; ")
	}
	return truncate(strings.ToValidUTF8(oneLine(string(body)), "?"), 200)
}

// credentialError recognises an answer that rejects the token or the user
// key (not the message): 401 or 403, a body field "token" or "user" set
// to "invalid", or Pushover's words for them ("application token is
// invalid", "user identifier is not a valid user, group, or subscribed
// user key", "user key is invalid").
func credentialError(status int, text string, body []byte) bool {
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		return true
	}
	var r struct {
		Token string `json:"token"`
		User  string `json:"user"`
	}
	if json.Unmarshal(body, &r) == nil && (r.Token == "invalid" || r.User == "invalid") {
		return true
	}
	t := strings.ToLower(text)
	bad := strings.Contains(t, "invalid") || strings.Contains(t, "not a valid") || strings.Contains(t, "disabled")
	return bad && (strings.Contains(t, "token") || strings.Contains(t, "user identifier") ||
		strings.Contains(t, "user key") || strings.Contains(t, "valid user") || strings.Contains(t, "application"))
}

// retryAfter reads Retry-After (seconds or an HTTP date); zero when
// absent or unreadable. It is capped at a day.
func retryAfter(h http.Header, now time.Time) time.Time {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return time.Time{}
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return time.Time{}
		}
		d = time.Duration(min(secs, 86400)) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = min(max(t.Sub(now), 0), 24*time.Hour)
	} else {
		return time.Time{}
	}
	return now.Add(max(d, MinRetryDelay))
}

// limitFromHeader reads Pushover's X-Limit-App-* headers; nil when any is
// missing or not a number.
func limitFromHeader(h http.Header) *pushover.Limit {
	var v [3]int64
	for i, k := range []string{"X-Limit-App-Limit", "X-Limit-App-Remaining", "X-Limit-App-Reset"} {
		n, err := strconv.ParseInt(strings.TrimSpace(h.Get(k)), 10, 64)
		if err != nil {
			return nil
		}
		v[i] = n
	}
	return &pushover.Limit{Total: int(v[0]), Remaining: int(v[1]), NextReset: time.Unix(v[2], 0)}
}

// accepted reports whether the library's error still means Pushover
// accepted the message: the library parses the quota headers only after
// a successful send, and fails when they are missing or not numbers.
func accepted(err error) bool {
	var num *strconv.NumError
	return err == nil || errors.Is(err, pushover.ErrInvalidHeaders) || errors.As(err, &num)
}

func limitOf(resp *pushover.Response) *pushover.Limit {
	if resp == nil {
		return nil
	}
	return resp.Limit
}

// validationError reports the library's checks made before any request.
func validationError(err error) bool {
	for _, e := range []error{
		pushover.ErrEmptyToken, pushover.ErrInvalidToken, pushover.ErrEmptyRecipientToken,
		pushover.ErrInvalidRecipientToken, pushover.ErrMessageEmpty, pushover.ErrMessageTooLong,
		pushover.ErrMessageTitleTooLong, pushover.ErrMessageURLTooLong, pushover.ErrMessageURLTitleTooLong,
		pushover.ErrEmptyURL, pushover.ErrInvalidPriority, pushover.ErrMissingEmergencyParameter,
		pushover.ErrInvalidDeviceName,
	} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// quotaText recognises Pushover's over-quota answer (HTTP 429, which the
// library does not expose) by its text.
func quotaText(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "quota") ||
		(strings.Contains(s, "limit") && (strings.Contains(s, "reach") || strings.Contains(s, "exceed") || strings.Contains(s, "month")))
}

// noteLimit records the quota after a success and warns once when the
// remaining quota drops below the threshold. p.mu is held.
func (p *Pushover) noteLimit(lim *pushover.Limit) {
	if lim == nil {
		return
	}
	p.limit = lim
	if p.lowQuota < 0 {
		return
	}
	if lim.Remaining >= p.lowQuota {
		p.lowWarned = false
		return
	}
	if p.lowWarned {
		return
	}
	p.lowWarned = true
	p.log.Warn("pushover quota low", "remaining", lim.Remaining, "limit", lim.Total, "reset", lim.NextReset)
	p.operator(fmt.Sprintf(p.phr().quotaLow, lim.Remaining, lim.Total, lim.NextReset.In(carriers.Tokyo).Format(timeLayout)))
}

// pauseLocked stops sending until reset and raises the quota notice once.
func (p *Pushover) pauseLocked(reset time.Time) {
	p.pausedUntil = reset
	if p.quotaNoted {
		return
	}
	p.quotaNoted = true
	p.log.Error("pushover quota spent", "paused_until", reset)
	p.operator(fmt.Sprintf(p.phr().quotaSpent, reset.In(carriers.Tokyo).Format(timeLayout)))
}

// operator queues an operator notice. p.mu is held.
func (p *Pushover) operator(text string) {
	if p.onOperator != nil {
		p.pending = append(p.pending, Notice{Kind: KindOperator, Text: text})
	}
}

// flushOperator hands queued operator notices to OnOperator, outside
// p.mu so that the callback may do I/O or even call Send.
func (p *Pushover) flushOperator() {
	p.mu.Lock()
	pending := p.pending
	p.pending = nil
	p.mu.Unlock()
	for _, n := range pending {
		p.onOperator(n)
	}
}

// redact removes the token and user key from s.
func (p *Pushover) redact(s string) string {
	for _, sec := range p.secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "<secret>")
		}
	}
	return s
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// redacted is an error whose text has had the secrets removed; it still
// unwraps to the original error for errors.Is and errors.As.
type redacted struct {
	msg string
	err error
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }

// messageKey identifies a message's content, to recognise a retry of a
// message whose abandoned request was accepted.
func messageKey(m Message) string {
	h := sha256.New()
	for _, s := range []string{m.Title, m.Body, m.URL, m.URLTitle, strconv.Itoa(m.Priority), strconv.FormatInt(m.Timestamp.Unix(), 10)} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// toPushover converts m to the library's message.
func toPushover(m Message) *pushover.Message {
	pm := &pushover.Message{
		Message: m.Body, Title: m.Title, Priority: m.Priority, URL: m.URL, URLTitle: m.URLTitle,
	}
	if !m.Timestamp.IsZero() {
		pm.Timestamp = m.Timestamp.Unix()
	}
	if m.Priority == PriorityEmergency {
		pm.Retry, pm.Expire = m.Retry, m.Expire
	}
	return pm
}

const timeLayout = "2006-01-02 15:04 MST"

// nextQuotaReset is when Pushover's monthly quota resets after now:
// 00:00 US Central time on the 1st of the next month. Without a time zone
// database it assumes CST (UTC-6), which at worst pauses an hour longer.
func nextQuotaReset(now time.Time) time.Time {
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		loc = time.FixedZone("CST", -6*60*60)
	}
	n := now.In(loc)
	return time.Date(n.Year(), n.Month()+1, 1, 0, 0, 0, 0, loc)
}

type pushoverPhrases struct{ quotaSpent, quotaLow, credentials string }

func (p *Pushover) phr() pushoverPhrases {
	if p.lang == "en" {
		return pushoverPhrases{
			quotaSpent: "Pushover's monthly message quota is spent: notifications are paused until %s.",
			quotaLow:   "Pushover quota is running low: %d of %d messages left until %s.",
			credentials: "Pushover rejected todoku's credentials at %s (%s). Notifications are held " +
				"and sent in order, each with its delay, once Pushover accepts the credentials again.",
		}
	}
	return pushoverPhrases{
		quotaSpent: "Pushover の月間送信数の上限に達しました。%s まで通知を止めます。",
		quotaLow:   "Pushover の残り送信数が少なくなっています（%d / %d、%s にリセット）。",
		credentials: "Pushover が todoku の認証情報を拒否しました（%s、%s）。" +
			"通知は保留し、認証が通り次第、古い順に遅れた時間を添えて送ります。",
	}
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
