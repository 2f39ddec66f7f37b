package tracker

import (
	"bytes"
	"fmt"
	"log/slog"
	"time"
)

// Daily quotas of API carriers.
//
// Options.Quotas holds the daily allowance an adapter spends (DHL's 250
// calls a day), shared with the adapter (dhl.Config.Quota). The engine
// reads each one's count from the store when it starts and writes it back
// after every poll of its carrier, so a restart does not hand out a fresh
// allowance. A carrier whose allowance is spent waits until the next day
// (a cooldown) without counting as failing: no failure streak, no
// breaker, no outage notice.

// quotaKey is the store state key of carrier's quota.
func quotaKey(carrier string) string { return "quota/" + carrier }

// loadQuotas reads the saved counts into e.quotas.
func (e *Engine) loadQuotas() {
	for name, q := range e.quotas {
		if q == nil {
			continue
		}
		var data []byte
		ok, err := e.store.State(quotaKey(name), &data)
		if err != nil {
			e.log.Error("read daily quota", "carrier", name, "err", err)
			continue
		}
		if !ok {
			continue
		}
		if err := q.UnmarshalBinary(data); err != nil {
			e.log.Warn("saved daily quota unreadable: counting from zero", "carrier", name, "err", err)
			continue
		}
		e.quotaSaved[name] = data
	}
}

// saveQuota writes carrier's count when it changed since the last write.
func (e *Engine) saveQuota(name string, log *slog.Logger) {
	q := e.quotas[name]
	if q == nil {
		return
	}
	data, err := q.MarshalBinary()
	if err != nil {
		log.Error("encode daily quota", "err", err)
		return
	}
	e.mu.Lock()
	same := bytes.Equal(e.quotaSaved[name], data)
	e.mu.Unlock()
	if same {
		return
	}
	if err := e.store.SetState(quotaKey(name), data); err != nil {
		log.Error("write daily quota", "err", err)
		return
	}
	e.mu.Lock()
	e.quotaSaved[name] = data
	e.mu.Unlock()
}

// quotaSpent handles a failed poll of a carrier whose daily allowance is
// spent: the carrier cools down until the next day without counting as
// failing. It reports false when the carrier has no quota or calls are
// left (an ordinary failure).
func (e *Engine) quotaSpent(name string, err error, now time.Time, log *slog.Logger) bool {
	q := e.quotas[name]
	if q == nil || q.Remaining(now) > 0 {
		return false
	}
	h, herr := e.store.Health(name)
	if herr != nil {
		log.Error("read carrier health", "err", herr)
		return true
	}
	next := q.NextDay(now)
	if h.CooldownUntil.Equal(next) {
		return true
	}
	h.CooldownUntil = next
	h.LastError = fmt.Sprintf("daily quota of %d calls spent: next call %s", q.Limit, next.Format(time.RFC3339))
	if perr := e.store.PutHealth(h); perr != nil {
		log.Error("write carrier health", "err", perr)
	}
	log.Info("daily quota spent: carrier waits for the next day", "until", next, "err", err)
	return true
}
