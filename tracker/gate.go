package tracker

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/store"
)

// Limit is the politeness budget for one carrier.
type Limit struct {
	Interval time.Duration // minimum spacing between requests (default 10 s)
	Burst    int           // default 1
}

// DefaultLimit is about one request every 10 seconds.
var defaultLimit = Limit{Interval: 10 * time.Second, Burst: 1}

// DefaultLimit returns the default per-carrier limit.
func DefaultLimit() Limit { return defaultLimit }

// Breaker and backoff settings.
const (
	backoffBase       = 30 * time.Second
	backoffMax        = time.Hour
	breakerThreshold  = 5
	breakerOpenFor    = 30 * time.Minute
	maxRetryAfterHonr = 24 * time.Hour
	// A carrier paused for a layout change is checked again after
	// recheckFirst, then twice as long after each failed check, up to
	// recheckMax.
	recheckFirst = 15 * time.Minute
	recheckMax   = 6 * time.Hour
)

// gate spaces one carrier's requests (rate limiter), applies cooldowns
// after transient failures (Retry-After, exponential backoff with
// jitter), opens a circuit breaker after repeated failures, and pauses the
// carrier when its layout changed. Its state is persisted in the store so
// a restart does not hammer a carrier that asked us to wait.
type gate struct {
	carrier string
	mu      sync.Mutex
	lim     *rate.Limiter
	limit   Limit
}

func newGate(carrier string, l Limit) *gate {
	if l.Interval <= 0 {
		l.Interval = defaultLimit.Interval
	}
	if l.Burst <= 0 {
		l.Burst = 1
	}
	return &gate{carrier: carrier, lim: rate.NewLimiter(rate.Every(l.Interval), l.Burst), limit: l}
}

// setLimit changes the budget (config reload) without resetting tokens.
func (g *gate) setLimit(l Limit, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if l == g.limit {
		return
	}
	g.limit = l
	g.lim.SetLimitAt(now, rate.Every(l.Interval))
	g.lim.SetBurstAt(now, l.Burst)
}

// wait blocks (on clock) until the limiter allows one request.
func (g *gate) wait(ctx context.Context, clock Clock) error {
	g.mu.Lock()
	now := clock.Now()
	r := g.lim.ReserveN(now, 1)
	g.mu.Unlock()
	if !r.OK() {
		return fmt.Errorf("tracker: %s: rate limiter refused a request", g.carrier)
	}
	if d := r.DelayFrom(now); d > 0 {
		if err := clock.Sleep(ctx, d); err != nil {
			r.CancelAt(clock.Now())
			return err
		}
	}
	return nil
}

// blocked reports whether the carrier must not be asked at now, and why.
// A paused carrier is asked again from its NextCheck on (a pause written
// by an older todoku has none: it is checked at once).
//
// Times further ahead than the longest wait todoku ever sets were
// computed while the system clock was wrong (set ahead, then corrected):
// they are ignored rather than obeyed for months.
func blocked(h store.Health, now time.Time) (bool, string) {
	sane := func(t time.Time, longest time.Duration) bool { return !t.After(now.Add(longest)) }
	switch {
	case h.Paused && now.Before(h.NextCheck) && sane(h.NextCheck, recheckMax):
		return true, "paused: " + h.PausedReason
	case h.BreakerOpen && now.Before(h.BreakerUntil) && sane(h.BreakerUntil, maxRetryAfterHonr):
		return true, "circuit breaker open"
	case now.Before(h.CooldownUntil) && sane(h.CooldownUntil, maxRetryAfterHonr):
		return true, "cooling down"
	}
	return false, ""
}

// onSuccess records a good answer: failures reset, breaker and pause cleared.
func onSuccess(h store.Health, now time.Time) store.Health {
	h.Failures = 0
	h.BreakerOpen = false
	h.BreakerUntil = time.Time{}
	h.CooldownUntil = time.Time{}
	h.Paused = false
	h.PausedReason = ""
	h.PausedAt = time.Time{}
	h.NextCheck = time.Time{}
	h.Rechecks = 0
	h.LayoutStrikes = 0
	h.LastOK = now
	h.LastError = ""
	h.FailingSince = time.Time{}
	return h
}

// onFailure records a transient failure and sets the cooldown: the
// carrier's Retry-After when it gave one (capped at a day), else
// exponential backoff with ±20 % jitter; the breaker opens after
// breakerThreshold failures in a row.
func onFailure(h store.Health, err error, now time.Time, rng *rand.Rand) store.Health {
	if h.Failures == 0 || h.FailingSince.IsZero() {
		h.FailingSince = now
	}
	h.Failures++
	h.LastError = err.Error()
	d := backoffBase << min(h.Failures-1, 16)
	if d > backoffMax || d <= 0 {
		d = backoffMax
	}
	if rng != nil {
		d += time.Duration((rng.Float64()*0.4 - 0.2) * float64(d))
	}
	if ra, ok := carriers.RetryAfter(err); ok {
		d = max(d, min(ra, maxRetryAfterHonr))
	}
	h.CooldownUntil = now.Add(d)
	if h.Failures >= breakerThreshold {
		h.BreakerOpen = true
		h.BreakerUntil = now.Add(max(breakerOpenFor, d))
	}
	return h
}

// onLayout records a confirmed layout change: a new pause, or a failed
// re-check that backs the next one off. It reports whether the pause is
// new (raise one operator notice).
func onLayout(h store.Health, err error, now time.Time) (store.Health, bool) {
	fresh := !h.Paused
	if fresh {
		h.Paused, h.PausedAt, h.Rechecks = true, now, 0
	} else {
		h.Rechecks++
	}
	h.PausedReason = err.Error()
	h.LastError = err.Error()
	h.LayoutStrikes = 0
	h.NextCheck = now.Add(recheckAfter(h.Rechecks))
	return h, fresh
}

// recheckAfter is the wait before re-check n+1 of a paused carrier.
func recheckAfter(n int) time.Duration {
	d := recheckFirst << min(n, 16)
	if d <= 0 || d > recheckMax {
		d = recheckMax
	}
	return d
}

// classify sorts a Track error.
func classify(err error) string {
	switch {
	case errors.Is(err, carriers.ErrLayoutChanged):
		return "layout"
	case errors.Is(err, carriers.ErrNotTrackable):
		return "untrackable"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "cancelled"
	case errors.Is(err, carriers.ErrTransient):
		return "transient"
	}
	return "other"
}
