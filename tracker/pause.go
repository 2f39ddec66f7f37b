package tracker

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/store"
)

// layout handles a page whose landmarks are missing (or an adapter that
// panicked on it). A single bad page never pauses a carrier: the first
// one is a strike, confirmed by fetching the batch again at once when
// refetch is set (else by the next poll). The second in a row pauses the
// carrier with one operator notice naming the next check; a paused
// carrier that still fails its re-check waits longer (15 min doubling to
// 6 h). It reports whether the carrier may be asked again in this tick.
func (e *Engine) layout(ctx, soft context.Context, rt *Runtime, c carriers.Carrier, name string, batch []store.Parcel, err error, refetch bool, now time.Time, log *slog.Logger) bool {
	h, herr := e.store.Health(name)
	if herr != nil {
		log.Error("read carrier health", "err", herr)
		return false
	}
	if !h.Paused && h.LayoutStrikes == 0 {
		h.LayoutStrikes = 1
		h.LastError = err.Error()
		if perr := e.store.PutHealth(h); perr != nil {
			log.Error("write carrier health", "err", perr)
		}
		if !refetch || c == nil {
			log.Warn("carrier page not recognised: the next poll confirms or clears it", "err", err)
			return false
		}
		log.Warn("carrier page not recognised: fetching it again to confirm", "err", err)
		if werr := e.gate(name).wait(soft, e.clock); werr != nil {
			return false
		}
		return e.pollBatch(ctx, soft, rt, c, batch, true, log)
	}
	h, fresh := onLayout(h, err, now)
	if perr := e.store.PutHealth(h); perr != nil {
		log.Error("write carrier health", "err", perr)
	}
	if !fresh {
		log.Warn("carrier page still not recognised", "err", err, "next_check", h.NextCheck, "rechecks", h.Rechecks)
		return false
	}
	log.Error("carrier page layout changed: polling paused", "err", err, "next_check", h.NextCheck)
	e.operator(fmt.Sprintf("operator/layout/%s/%d", name, now.Unix()), name,
		fmt.Sprintf("%s: the result page layout is no longer recognised (%v). Polling is paused; todoku checks the page again at %s (then less often, up to every %v) and resumes by itself once it reads. `todoku resume %s` checks at once.",
			name, err, clockTime(h.NextCheck, now, rt.Policy.location()), recheckMax, name), now)
	return false
}

// clockTime formats t as "15:04", with the date when it is not today.
func clockTime(t, now time.Time, loc *time.Location) string {
	t, now = t.In(loc), now.In(loc)
	if t.YearDay() == now.YearDay() && t.Year() == now.Year() {
		return t.Format("15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// Resume makes a carrier askable at once: a layout pause is re-checked
// now, a cooldown or an open circuit breaker is lifted. It reports
// whether anything was holding the carrier back, and fails for a carrier
// the registry does not know. In a running engine the carrier's due
// parcels are handed out at once.
func (e *Engine) Resume(carrier string) (bool, error) {
	if _, err := e.reg.Get(carrier); err != nil {
		return false, fmt.Errorf("tracker: resume: %w", err)
	}
	now := e.clock.Now()
	var held bool
	h, err := e.store.Health(carrier)
	if err != nil {
		return false, fmt.Errorf("tracker: resume: %w", err)
	}
	if h.Paused || h.BreakerOpen || h.CooldownUntil.After(now) || h.LayoutStrikes > 0 {
		held = true
		if h.Paused {
			h.NextCheck = now
		}
		h.BreakerOpen, h.BreakerUntil, h.CooldownUntil = false, time.Time{}, time.Time{}
		if err := e.store.PutHealth(h); err != nil {
			return false, fmt.Errorf("tracker: resume: %w", err)
		}
		e.log.Info("carrier resumed by the operator: checking it now", "carrier", carrier)
	}
	e.poke()
	return held, nil
}

// recheckPaused makes every carrier paused for a layout change due for a
// re-check now (config reload, engine start: often a new todoku that
// reads the new layout).
func (e *Engine) recheckPaused(why string) {
	hs, err := e.store.AllHealth()
	if err != nil {
		e.log.Error("read carrier health", "err", err)
		return
	}
	now := e.clock.Now()
	for _, h := range hs {
		if !h.Paused || !h.NextCheck.After(now) {
			continue
		}
		h.NextCheck = now
		if err := e.store.PutHealth(h); err != nil {
			e.log.Error("write carrier health", "err", err)
			continue
		}
		e.log.Info("paused carrier checked again at once", "carrier", h.Carrier, "reason", why)
	}
	e.poke()
}

// poke asks a running engine to hand out due work now.
func (e *Engine) poke() {
	select {
	case e.pokeCh <- struct{}{}:
	default:
	}
}
