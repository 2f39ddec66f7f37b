package tracker

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/store"
)

// midway runs hook once while its first request is in flight (a config
// reload racing a poll), then answers with err.
type midway struct {
	carriers.Carrier
	once *sync.Once
	hook func()
	err  error
}

func (m midway) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	m.once.Do(m.hook)
	if m.err != nil {
		return nil, m.err
	}
	return m.Carrier.Track(ctx, numbers)
}

// A reload that removes or re-pins a parcel while its carrier worker
// holds it must win over the answer that comes back: the answer's write
// must not bring back the snapshot the tick read (a removed parcel
// tracked and polled again for ever, a pin undone).
func TestReloadDuringRefusedRequestIsNotUndone(t *testing.T) {
	refused := errors.New("number rejected by the site")
	for _, tc := range []struct {
		name   string
		spec   func(n string) Spec
		err    error
		reload func(n string) []Spec
		check  func(t *testing.T, w *world, n string)
	}{
		{
			name: "ambiguous untrackable, removed",
			spec: func(n string) Spec { return Spec{Number: n, Candidates: []string{"yamato", "sagawa"}} },
			err:  carriers.ErrNotTrackable, reload: func(string) []Spec { return nil },
		},
		{
			name: "pinned untrackable, removed",
			spec: func(n string) Spec { return Spec{Number: n, Carrier: "yamato"} },
			err:  carriers.ErrNotTrackable, reload: func(string) []Spec { return nil },
		},
		{
			name:   "ambiguous untrackable, pinned elsewhere",
			spec:   func(n string) Spec { return Spec{Number: n, Candidates: []string{"yamato", "sagawa"}} },
			err:    carriers.ErrNotTrackable,
			reload: func(n string) []Spec { return []Spec{{Number: n, Carrier: "sagawa"}} },
			check: func(t *testing.T, w *world, n string) {
				if p := w.parcel(n); p.Carrier != "sagawa" || !p.Pinned || !p.Active() {
					t.Errorf("reload pinned sagawa, stored %+v", p)
				}
			},
		},
		{
			name: "refused number, removed",
			spec: func(n string) Spec { return Spec{Number: n, Carrier: "yamato"} },
			err:  refused, reload: func(string) []Spec { return nil },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			n := num(24000000001)
			y, _ := w.reg.Get("yamato")
			cy, _ := w.reg.Contacts("yamato")
			s, _ := w.reg.Get("sagawa")
			cs, _ := w.reg.Contacts("sagawa")
			reg := carriers.NewRegistry()
			reg.Register(midway{Carrier: y, once: &sync.Once{}, err: tc.err, hook: func() {
				if err := w.eng.Sync(tc.reload(n)); err != nil {
					t.Errorf("reload: %v", err)
				}
			}}, cy)
			reg.Register(s, cs)
			w.reg = reg
			w.newEngine()
			w.sync(tc.spec(n))
			w.run(0)
			if tc.check != nil {
				tc.check(t, w, n)
				return
			}
			if p := w.parcel(n); p.Tracked || p.Active() {
				t.Errorf("parcel removed by a reload during its poll is tracked again: %+v", p)
			}
			act, err := w.store.ActiveParcels()
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range act {
				if p.Number == n {
					t.Errorf("removed parcel still in the active index")
				}
			}
		})
	}
}

// A reload that pins a parcel to another carrier while the old one is
// being asked: the old carrier's answer ("not found") must not be
// written over the new pin, which is due at once, nor back it off.
func TestRepinDuringRequestIsAskedAtOnce(t *testing.T) {
	w := newWorld(t)
	n := num(24000000002)
	w.srv.Add(fake.Timeline("sagawa", n, fake.Delivered, start.Add(-5*time.Hour)))
	y, _ := w.reg.Get("yamato")
	cy, _ := w.reg.Contacts("yamato")
	s, _ := w.reg.Get("sagawa")
	cs, _ := w.reg.Contacts("sagawa")
	reg := carriers.NewRegistry()
	reg.Register(midway{Carrier: y, once: &sync.Once{}, hook: func() {
		if err := w.eng.Sync([]Spec{{Number: n, Carrier: "sagawa"}}); err != nil {
			t.Errorf("reload: %v", err)
		}
	}}, cy)
	reg.Register(s, cs)
	w.reg = reg
	w.newEngine()
	w.sync(Spec{Number: n, Carrier: "yamato"})
	w.run(10 * time.Minute)
	p := w.parcel(n)
	if p.Carrier != "sagawa" || p.Status == carriers.StatusNotFound || w.srv.Asked("sagawa") == 0 {
		t.Errorf("re-pinned to sagawa during a yamato request: carrier %q status %q next due %v (sagawa asked %d times)",
			p.Carrier, p.Status, p.NextDue, w.srv.Asked("sagawa"))
	}
	w.checkHistory(n)
	for _, h := range mustHistory(t, w, n) {
		if h.Carrier != "sagawa" {
			t.Errorf("event of %s stored for a parcel pinned to sagawa: %+v", h.Carrier, h)
		}
	}
}

func mustHistory(t *testing.T, w *world, n string) []store.StoredEvent {
	t.Helper()
	h, err := w.store.History(n)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// An answer kept through a full disk is older than what the carrier did
// since: written later, it must not clear a pause, a cooldown or an open
// breaker recorded after it (a pause healed by an old page, Retry-After
// ignored).
func TestKeptAnswerDoesNotOverrideNewerHealth(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    func(now time.Time) store.Health
		held func(h store.Health) bool
	}{
		{"paused", func(now time.Time) store.Health {
			return store.Health{Carrier: "sagawa", Paused: true, PausedAt: now, NextCheck: now.Add(6 * time.Hour), PausedReason: "layout"}
		}, func(h store.Health) bool { return h.Paused }},
		{"cooling down", func(now time.Time) store.Health {
			return store.Health{Carrier: "sagawa", Failures: 1, FailingSince: now, CooldownUntil: now.Add(time.Hour), LastError: "503"}
		}, func(h store.Health) bool { return h.Failures == 1 && !h.CooldownUntil.IsZero() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, full := fullDiskWorld(t)
			n := num(24000000003)
			w.srv.Add(fake.Timeline("sagawa", n, fake.Delivered, start.Add(-3*time.Hour)))
			w.sync(Spec{Number: n, Carrier: "sagawa"})
			full.Store(true)
			w.run(0)
			if answers, _ := w.eng.Unstored(); answers != 1 {
				t.Fatalf("%d answers kept, want 1", answers)
			}
			full.Store(false)
			w.clock.Set(w.clock.Now().Add(time.Minute))
			if err := w.store.PutHealth(tc.h(w.clock.Now())); err != nil {
				t.Fatal(err)
			}
			w.clock.Set(w.clock.Now().Add(4 * time.Minute))
			if err := w.eng.Tick(context.Background()); err != nil {
				t.Fatal(err)
			}
			if answers, _ := w.eng.Unstored(); answers != 0 {
				t.Errorf("%d answers still kept", answers)
			}
			if p := w.parcel(n); p.Status == "" {
				t.Error("the kept answer was not written")
			}
			if h, _ := w.store.Health("sagawa"); !tc.held(h) {
				t.Errorf("health after the kept answer was written: %+v", h)
			}
		})
	}
}

// An answer kept through a full disk is not written over a newer answer
// stored meanwhile (a worker polled the parcel again once writes worked).
func TestKeptAnswerDoesNotOverrideNewerAnswer(t *testing.T) {
	w, full := fullDiskWorld(t)
	n := num(24000000004)
	w.srv.Add(fake.Timeline("sagawa", n, fake.Delivered, start.Add(-3*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "sagawa"})
	full.Store(true)
	w.run(0)
	if answers, _ := w.eng.Unstored(); answers != 1 {
		t.Fatalf("%d answers kept, want 1", answers)
	}
	full.Store(false)
	w.clock.Set(w.clock.Now().Add(time.Minute))
	newer := w.clock.Now()
	if err := w.store.UpdateParcel(n, func(p *store.Parcel, _ bool) error {
		p.Status, p.LastPoll, p.NextDue = carriers.StatusAwaitingPickup, newer, newer.Add(3*time.Hour)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(w.clock.Now().Add(4 * time.Minute))
	if err := w.eng.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if answers, _ := w.eng.Unstored(); answers != 0 {
		t.Errorf("%d answers still kept", answers)
	}
	if p := w.parcel(n); p.Status != carriers.StatusAwaitingPickup || !p.LastPoll.Equal(newer) {
		t.Errorf("the older kept answer overwrote the newer one: status %q, last poll %v", p.Status, p.LastPoll)
	}
}
