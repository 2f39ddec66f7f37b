package tracker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// pauseKey is the store state holding the time until which sending is
// paused because the notifier's quota is spent.
const pauseKey = "notify_paused_until"

// Notice converts an outbox entry into what the notifier composes.
func Notice(en store.OutboxEntry) notify.Notice {
	return notify.Notice{
		Kind:     notify.Kind(en.Kind),
		Number:   en.Number,
		Carrier:  en.Carrier,
		Label:    en.Label,
		Event:    en.Event,
		Office:   en.Office,
		Product:  en.Product,
		Deadline: en.Deadline,
		Text:     en.Text,
		Queued:   en.Created,
		Degraded: en.Degraded,
	}
}

// Drain sends every outbox entry that is due now, one at a time, and
// returns how many were sent. Entries whose kind is turned off are closed
// unsent; quiet hours defer entries; transient failures are retried later
// (no sooner than 5 s, with backoff); permanent failures are closed and
// logged; a spent quota pauses all sending until the quota resets.
func (e *Engine) Drain(ctx context.Context) (int, error) {
	e.sendMu.Lock()
	defer e.sendMu.Unlock()
	rt := e.rt.Load()
	sent := 0
	for {
		now := e.clock.Now()
		var until time.Time
		if ok, err := e.store.State(pauseKey, &until); err != nil {
			return sent, fmt.Errorf("tracker: drain: %w", err)
		} else if ok && now.Before(until) && pausedBy(rt.Notifier) {
			return sent, nil
		}
		batch, err := e.store.Pending(now, 20)
		if err != nil {
			return sent, fmt.Errorf("tracker: drain: %w", err)
		}
		if len(batch) == 0 {
			return sent, nil
		}
		for _, en := range batch {
			if err := ctx.Err(); err != nil {
				return sent, err
			}
			if at, sentBefore := e.unmarked(en.ID); sentBefore {
				// Sent, but the store could not record it (a full
				// disk): record it now, never send it again.
				if err := e.store.MarkSent(en.ID, at); err != nil {
					return sent, err
				}
				e.marked(en.ID)
				continue
			}
			ok, stop, err := e.send(ctx, rt, en)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
			if stop {
				return sent, nil
			}
		}
	}
}

// pausedBy reports whether notifier n still stands behind a stored pause.
// A notifier that can say what pauses it (Pushover's Problem) and knows
// of nothing is a new one (a reload with new credentials, a restart): it
// is asked at once, and pauses again itself if it must.
func pausedBy(n notify.Notifier) bool {
	p, ok := n.(interface{ Problem() (string, bool) })
	if !ok {
		return true
	}
	text, _ := p.Problem()
	return text != ""
}

// send handles one entry. ok: it was sent; stop: stop draining now.
func (e *Engine) send(ctx context.Context, rt *Runtime, en store.OutboxEntry) (ok, stop bool, err error) {
	// A parcel removed from the config (or by a reload that lost it)
	// still gets the news already queued for it: nothing queued is lost.
	now := e.clock.Now()
	n := Notice(en)
	settings := rt.settings(en.Number)
	plan := settings.Plan(n, now)
	log := e.log.With("number", en.Number, "kind", en.Kind, "key", en.Key)
	if !plan.Send {
		if plan.NotBefore.IsZero() {
			log.Debug("notice not sent", "reason", plan.Reason)
			return false, false, e.store.MarkFailed(en.ID, now, "not sent: "+plan.Reason)
		}
		return false, false, e.store.Reschedule(en.ID, plan.NotBefore, plan.Reason)
	}
	composer := rt.Composer
	composer.Settings = settings
	msg := composer.Compose(n, now)
	timeout := rt.SendTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	sctx, cancel := context.WithTimeout(ctx, timeout)
	retry, serr := rt.Notifier.Send(sctx, msg)
	cancel()
	now = e.clock.Now()
	if serr == nil {
		log.Info("notification sent", "priority", msg.Priority)
		if err := e.store.MarkSent(en.ID, now); err != nil {
			e.sentUnmarked(en.ID, now)
			return true, true, err
		}
		return true, false, nil
	}
	if ctx.Err() != nil {
		// Shutting down mid-send: the outcome is unknown, keep it pending.
		return false, true, nil
	}
	var qe *notify.QuotaError
	if errors.As(serr, &qe) {
		reset := qe.Reset
		if !reset.After(now) {
			reset = now.Add(time.Hour)
		}
		log.Error("notifier paused: every notice is kept until then", "until", reset, "err", serr)
		// The notifier raises the operator notice itself (once per quota
		// period); here sending stops until the reset.
		if err := e.store.SetState(pauseKey, reset); err != nil {
			return false, true, err
		}
		// The entry keeps its place (and its NotBefore): the pause holds
		// every entry back, and when it ends, or a new notifier disowns
		// it, they all go in their order.
		return false, true, e.store.Reschedule(en.ID, en.NotBefore, serr.Error())
	}
	if retry {
		delay := notify.RetryDelay(en.Attempts + 1)
		log.Warn("notification failed: will retry", "err", serr, "attempt", en.Attempts+1, "retry_in", delay)
		// Stop this drain: the notifier is probably down for everyone.
		return false, true, e.store.Reschedule(en.ID, now.Add(delay), serr.Error())
	}
	log.Error("notification refused: not retried", "err", serr)
	return false, false, e.store.MarkFailed(en.ID, now, serr.Error())
}

// sender drains the outbox whenever kicked, when the next deferred entry
// falls due, and at least every 30 s, until ctx ends.
func (e *Engine) sender(ctx context.Context) {
	for {
		if _, err := e.Drain(ctx); err != nil && ctx.Err() == nil {
			e.log.Error("drain outbox", "err", err)
		}
		wait := 30 * time.Second
		var until time.Time
		if ok, err := e.store.State(pauseKey, &until); err == nil && ok && e.clock.Now().Before(until) &&
			pausedBy(e.rt.Load().Notifier) {
			// Paused: the entries are due but held back; wake when the
			// pause ends (or at a kick, such as a reload).
			wait = min(wait, max(until.Sub(e.clock.Now()), time.Second))
		} else if next, ok, err := e.store.NextPending(); err == nil && ok {
			if d := next.Sub(e.clock.Now()); d < wait {
				wait = max(d, time.Second)
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-e.kick:
		case <-t.C:
		}
		t.Stop()
	}
}
