package tracker

import (
	"sort"
	"time"
)

// Thresholds of the "slow" carrier state.
const (
	slowBacklog = 10 * time.Minute // one tick's work still running after this
	slowAnswer  = 30 * time.Second // one request took this long
)

// stats is what the engine knows in memory about one carrier's worker.
type stats struct {
	busySince time.Time     // when the running work began (zero: idle)
	left      int           // parcels of that work not yet asked
	lastTook  time.Duration // the last request's duration
}

// CarrierState is one carrier's polling state, for health reports.
type CarrierState struct {
	Carrier string
	// State is "ok", "slow" (answers take long or work queues up: other
	// carriers are not held up), "paused" (page layout changed; Until is
	// the next check) or "failing" (Since is when failures began; Until
	// ends the current cooldown or open breaker).
	State string
	Since time.Time
	Until time.Time
	// Degraded: the adapter reads this carrier's pages with its
	// layout-free text reader.
	Degraded  bool
	Backlog   int           // parcels waiting in the carrier's queue
	LastTook  time.Duration // duration of the last request
	LastError string
}

func (e *Engine) stat(name string) *stats {
	st, ok := e.stats[name]
	if !ok {
		st = &stats{}
		e.stats[name] = st
	}
	return st
}

func (e *Engine) busy(name string, n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.stat(name)
	st.busySince, st.left = e.clock.Now(), n
}

func (e *Engine) left(name string, n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stat(name).left = n
}

func (e *Engine) idle(name string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.stat(name)
	st.busySince, st.left = time.Time{}, 0
}

func (e *Engine) took(name string, d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stat(name).lastTook = d
}

// CarrierStates reports every carrier the engine has asked or holds a
// health record for, by name.
func (e *Engine) CarrierStates() ([]CarrierState, error) {
	hs, err := e.store.AllHealth()
	if err != nil {
		return nil, err
	}
	now := e.clock.Now()
	e.mu.Lock()
	mem := make(map[string]stats, len(e.stats))
	for name, st := range e.stats {
		mem[name] = *st
	}
	e.mu.Unlock()
	byName := map[string]*CarrierState{}
	for _, h := range hs {
		cs := &CarrierState{Carrier: h.Carrier, State: "ok", Degraded: !h.DegradedSince.IsZero(), LastError: h.LastError}
		switch {
		case h.Paused:
			cs.State, cs.Since, cs.Until = "paused", h.PausedAt, h.NextCheck
		case h.Failures > 0:
			cs.State, cs.Since = "failing", h.FailingSince
			if h.BreakerOpen && h.BreakerUntil.After(now) {
				cs.Until = h.BreakerUntil
			} else if h.CooldownUntil.After(now) {
				cs.Until = h.CooldownUntil
			}
		}
		if cs.State == "ok" {
			cs.LastError = ""
		}
		byName[h.Carrier] = cs
	}
	for name, st := range mem {
		cs, ok := byName[name]
		if !ok {
			cs = &CarrierState{Carrier: name, State: "ok"}
			byName[name] = cs
		}
		cs.Backlog, cs.LastTook = st.left, st.lastTook
		if cs.State == "ok" && (st.lastTook >= slowAnswer || (!st.busySince.IsZero() && now.Sub(st.busySince) >= slowBacklog)) {
			cs.State, cs.Since = "slow", st.busySince
		}
	}
	out := make([]CarrierState, 0, len(byName))
	for _, cs := range byName {
		out = append(out, *cs)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Carrier < out[j].Carrier })
	return out, nil
}
