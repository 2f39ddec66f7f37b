package tracker

import (
	"context"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// A carrier that takes 50 s per request holds up nobody: the other
// carrier's parcel out for delivery is polled every ~10 minutes while the
// slow one works through its queue.
func TestSlowCarrierDelaysNobody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fast := num(13000000001)
		b := startBubble(t, Limit{Interval: time.Second, Burst: 1}, func(s *fake.Server) []Spec {
			s.Add(fake.Script{Carrier: "yamato", Number: fast, Start: time.Now().Add(-time.Hour),
				Steps: []fake.Step{{Raw: "荷物受付", Location: "川崎"}, {At: 30 * time.Minute, Raw: "配達中", Location: "川崎"}}})
			specs := []Spec{{Number: fast, Carrier: "yamato"}}
			for i := 0; i < 40; i++ {
				n := num(int64(13100000000 + i))
				s.Add(fake.Timeline("sagawa", n, fake.Delivered, time.Now().Add(10*time.Hour)))
				specs = append(specs, Spec{Number: n, Carrier: "sagawa"})
			}
			return specs
		})
		b.srv.SetFault("sagawa", fake.Fault{Kind: fake.FaultSlow, Delay: 20 * time.Second})
		time.Sleep(12 * time.Minute)
		synctest.Wait()
		states, err := b.eng.CarrierStates()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, cs := range states {
			got[cs.Carrier] = cs.State
		}
		if got["sagawa"] != "slow" || got["yamato"] != "ok" {
			t.Errorf("carrier states %v after 12 min, want sagawa slow and yamato ok", got)
		}
		time.Sleep(48 * time.Minute)
		synctest.Wait()
		if got := len(b.srv.RequestTimes("yamato")); got < 5 {
			t.Errorf("yamato polled %d times in an hour beside a slow sagawa, want every ~10 min (≥ 5)", got)
		}
		if got := len(b.srv.RequestTimes("sagawa")); got < 2 {
			t.Errorf("sagawa asked %d times, want it worked on meanwhile", got)
		}
		b.stop(t)
	})
}

// flaky wraps an adapter whose answers a test controls.
type flaky struct {
	carriers.Carrier
	layout   atomic.Int32 // next requests that fail as a layout change
	degraded atomic.Bool
	drop     atomic.Bool // unknown numbers' blocks name no number and arrive out of order
	batch    int         // when set, a batch size the wrapper emulates
	requests atomic.Int32
}

// BatchSize is the emulated batch size, or the adapter's.
func (f *flaky) BatchSize() int {
	if f.batch > 0 {
		return f.batch
	}
	return f.Carrier.BatchSize()
}

func (f *flaky) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	f.requests.Add(1)
	if f.layout.Load() > 0 {
		f.layout.Add(-1)
		return nil, &carriers.LayoutError{Carrier: f.Name(), Missing: "the result table"}
	}
	var res []carriers.Result
	if f.batch > 0 {
		// One "page" for the batch, read number by number behind it.
		for _, n := range numbers {
			r, err := f.Carrier.Track(ctx, []string{n})
			if err != nil {
				return nil, err
			}
			res = append(res, r...)
		}
	} else {
		var err error
		if res, err = f.Carrier.Track(ctx, numbers); err != nil {
			return res, err
		}
	}
	for i := range res {
		res[i].Degraded = f.degraded.Load()
	}
	if f.drop.Load() && len(numbers) > 1 {
		var known []carriers.Result
		for _, r := range res {
			if r.Found {
				known = append(known, r)
			}
		}
		res = known // the not-found blocks could not be placed
	}
	return res, nil
}

func wrapped(t *testing.T, name string) (*world, *flaky) {
	return wrappedBatch(t, name, 0)
}

func wrappedBatch(t *testing.T, name string, batch int) (*world, *flaky) {
	w := newWorld(t)
	c, _ := w.reg.Get(name)
	ct, _ := w.reg.Contacts(name)
	f := &flaky{Carrier: c, batch: batch}
	reg := carriers.NewRegistry()
	reg.Register(f, ct)
	w.reg = reg
	w.newEngine()
	return w, f
}

func operatorNotices(w *world) []notify.Message {
	var out []notify.Message
	for _, m := range w.rec.sent() {
		if m.Kind == notify.KindOperator {
			out = append(out, m)
		}
	}
	return out
}

func TestLayoutPauseHeals(t *testing.T) {
	t.Run("one bad page does not pause", func(t *testing.T) {
		w, f := wrapped(t, "yamato")
		n := num(14000000001)
		w.srv.Add(fake.Timeline("yamato", n, fake.Delivered, start.Add(-3*time.Hour)))
		w.sync(Spec{Number: n, Carrier: "yamato"})
		f.layout.Store(1)
		w.run(0)
		if h, _ := w.store.Health("yamato"); h.Paused || h.LayoutStrikes != 0 {
			t.Errorf("health after a bad page and a good re-fetch: %+v", h)
		}
		if p := w.parcel(n); p.Status == "" {
			t.Error("no status from the re-fetch")
		}
		if ops := operatorNotices(w); len(ops) != 0 {
			t.Errorf("operator notices for one bad page: %v", ops)
		}
	})
	t.Run("bad page, good page: resumes without a restart", func(t *testing.T) {
		w, f := wrapped(t, "yamato")
		n := num(14000000002)
		w.srv.Add(fake.Timeline("yamato", n, fake.Delivered, start.Add(-3*time.Hour)))
		w.sync(Spec{Number: n, Carrier: "yamato"})
		f.layout.Store(3) // page, re-fetch, first re-check
		w.run(0)
		h, _ := w.store.Health("yamato")
		if d := h.NextCheck.Sub(start); !h.Paused || d < recheckFirst || d > recheckFirst+time.Minute {
			t.Fatalf("after two bad pages: %+v, want paused until about %v", h, start.Add(recheckFirst))
		}
		ops := operatorNotices(w)
		if len(ops) != 1 {
			t.Fatalf("%d operator notices, want 1", len(ops))
		}
		w.run(20 * time.Minute) // the 07:15 re-check fails: next at 07:45
		if h, _ := w.store.Health("yamato"); !h.Paused || h.NextCheck.Sub(start) < 45*time.Minute || h.NextCheck.Sub(start) > 47*time.Minute {
			t.Fatalf("after a failed re-check: %+v, want the next check 30 min later", h)
		}
		w.run(30 * time.Minute) // 07:45: the page reads again
		if h, _ := w.store.Health("yamato"); h.Paused {
			t.Fatalf("still paused after a good page: %+v", h)
		}
		if p := w.parcel(n); p.Status == "" {
			t.Error("no status after the pause healed")
		}
		if len(operatorNotices(w)) != 1 {
			t.Errorf("more operator notices after healing: %v", operatorNotices(w))
		}
	})
}

func TestPauseIsRecheckedOnReloadRestartAndResume(t *testing.T) {
	for _, tc := range []struct {
		name  string
		check func(w *world)
	}{
		{"reload", func(w *world) {
			if err := w.eng.SetRuntime(w.rt); err != nil {
				w.t.Fatal(err)
			}
		}},
		{"restart", func(w *world) { w.restart() }},
		{"resume", func(w *world) {
			if held, err := w.eng.Resume("yamato"); err != nil || !held {
				w.t.Fatalf("Resume = %v, %v; want true", held, err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, f := wrapped(t, "yamato")
			n := num(15000000001)
			w.srv.Add(fake.Timeline("yamato", n, fake.Delivered, start.Add(-3*time.Hour)))
			w.sync(Spec{Number: n, Carrier: "yamato"})
			f.layout.Store(2)
			w.run(0)
			if h, _ := w.store.Health("yamato"); !h.Paused {
				t.Fatalf("not paused: %+v", h)
			}
			w.clock.Advance(time.Minute)
			tc.check(w)
			w.run(0) // one tick, long before the 15-minute re-check
			if h, _ := w.store.Health("yamato"); h.Paused {
				t.Fatalf("%s did not re-check the paused carrier at once: %+v", tc.name, h)
			}
			if p := w.parcel(n); p.Status == "" {
				t.Error("parcel not polled after the re-check")
			}
		})
	}
	w := newWorld(t)
	if _, err := w.eng.Resume("no-such-carrier"); err == nil {
		t.Error("Resume of an unknown carrier succeeded")
	}
}

// A Japan Post batch (10 numbers a request, as the carrier's form takes
// them) in which some numbers are not known to the carrier yet, whose
// blocks cannot be placed: the rest of the batch counts, and the unknown
// numbers are asked alone.
func TestJapanPostBatchWithUnknownNumbers(t *testing.T) {
	w, f := wrappedBatch(t, "japanpost", 10)
	f.drop.Store(true)
	var specs []Spec
	for i := 0; i < 10; i++ {
		n := num(int64(16000000000 + i))
		if i%3 != 0 { // 0, 3, 6 and 9 are not known yet
			w.srv.Add(fake.Timeline("japanpost", n, fake.Delivered, start.Add(-3*time.Hour)))
		}
		specs = append(specs, Spec{Number: n, Carrier: "japanpost"})
	}
	w.sync(specs...)
	w.run(0)
	for i, s := range specs {
		p := w.parcel(s.Number)
		if i%3 != 0 && (p.Status == "" || p.Status == carriers.StatusNotFound) {
			t.Errorf("%s: status %q, want its answer (the batch counts)", s.Number, p.Status)
		}
		if i%3 == 0 && p.Status != carriers.StatusNotFound {
			t.Errorf("%s: status %q, want not_found from asking it alone", s.Number, p.Status)
		}
	}
	if h, _ := w.store.Health("japanpost"); h.Paused || h.LayoutStrikes > 0 || h.Failures > 0 {
		t.Errorf("a partly unknown batch counted against the carrier: %+v", h)
	}
	// 1 batch + 4 single requests for the unknown numbers.
	if got := f.requests.Load(); got != 5 {
		t.Errorf("%d requests, want the batch and a few single retries", got)
	}
}

func TestDegradedResultsRaiseOneNotice(t *testing.T) {
	w, f := wrapped(t, "yamato")
	f.degraded.Store(true)
	var specs []Spec
	for i := 0; i < 3; i++ {
		n := num(int64(17000000000 + i))
		w.srv.Add(fake.Script{Carrier: "yamato", Number: n, Start: start.Add(-2 * time.Hour), Steps: []fake.Step{
			{Raw: "荷物受付", Location: "川崎"}, {At: time.Hour + time.Duration(i)*30*time.Minute, Raw: "配達中", Location: "川崎"},
			{At: 3 * time.Hour, Raw: "ご不在のため持戻", Location: "川崎"}}})
		specs = append(specs, Spec{Number: n, Carrier: "yamato"})
	}
	w.sync(specs...)
	w.run(3 * time.Hour)
	ops := operatorNotices(w)
	if len(ops) != 1 {
		t.Fatalf("%d operator notices for degraded results, want 1", len(ops))
	}
	entries := 0
	for _, m := range w.rec.sent() {
		if m.Kind != notify.KindOperator && m.Number != "" {
			entries++
		}
	}
	if entries == 0 {
		t.Fatal("degraded results raised no parcel notice: they must be used like any other")
	}
	if h, _ := w.store.Health("yamato"); h.DegradedSince.IsZero() {
		t.Errorf("health does not record the degraded reading: %+v", h)
	}
	f.degraded.Store(false)
	w.run(time.Hour)
	if h, _ := w.store.Health("yamato"); !h.DegradedSince.IsZero() {
		t.Errorf("a readable page did not clear the degraded state: %+v", h)
	}
}

func TestDegradedFlagReachesTheNotice(t *testing.T) {
	n := Notice(store.OutboxEntry{Kind: string(notify.KindDeliveryFailed), Degraded: true})
	if !n.Degraded {
		t.Error("Notice dropped the degraded flag of the outbox entry")
	}
}

// fullDiskWorld is a world whose store fails every write while full is set.
func fullDiskWorld(t *testing.T) (*world, *atomic.Bool) {
	w := newWorld(t)
	var full atomic.Bool
	w.store.Close()
	st, err := store.Open(w.path, store.Options{BeforeCommit: func() error {
		if full.Load() {
			return syscall.ENOSPC
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w.store = st
	w.newEngine()
	return w, &full
}

// A notice sent while the disk is full (Pushover accepted it, the store
// cannot record it) is not sent again; it is recorded once writes work.
func TestFullDiskNeverSendsTwice(t *testing.T) {
	w, full := fullDiskWorld(t)
	if _, err := w.store.Enqueue(store.OutboxEntry{Key: "op/1", Kind: string(notify.KindOperator), Text: "hello", Created: start, NotBefore: start}); err != nil {
		t.Fatal(err)
	}
	full.Store(true)
	ctx := context.Background()
	if _, err := w.eng.Drain(ctx); err == nil {
		t.Error("Drain hid the failed write")
	}
	for i := 0; i < 3; i++ {
		_, _ = w.eng.Drain(ctx)
	}
	if got := len(w.rec.sent()); got != 1 {
		t.Fatalf("%d messages sent while the disk was full, want 1", got)
	}
	full.Store(false)
	if _, err := w.eng.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if le, ok, _ := w.store.Sent("op/1"); !ok || le.Failed {
		t.Errorf("ledger entry %+v, %v; want it recorded as sent", le, ok)
	}
	if got := len(w.rec.sent()); got != 1 {
		t.Errorf("%d messages sent in all, want 1", got)
	}
	if _, notices := w.eng.Unstored(); notices != 0 {
		t.Errorf("%d notices still unrecorded", notices)
	}
}

// Every write fails with ENOSPC for a while: nothing polled is lost, no
// notice is lost, health says so, and all of it is written once the disk
// has room.
func TestFullDiskLosesNothing(t *testing.T) {
	w, full := fullDiskWorld(t)
	n := num(18000000001)
	w.srv.Add(fake.Timeline("sagawa", n, fake.Delivered, start.Add(-3*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "sagawa"})
	full.Store(true)
	w.run(0)
	if answers, _ := w.eng.Unstored(); answers != 1 {
		t.Fatalf("%d answers kept after a failed write, want 1", answers)
	}
	if _, failing := w.store.WriteFailure(); !failing {
		t.Error("the store does not report its failing writes")
	}
	full.Store(false)
	w.srv.SetFault("sagawa", fake.Fault{Kind: fake.FaultUnavailable}) // the carrier is down now: only the kept answer can tell
	w.run(5 * time.Minute)
	if answers, notices := w.eng.Unstored(); answers+notices != 0 {
		t.Errorf("%d answers and %d notices still unwritten", answers, notices)
	}
	if p := w.parcel(n); p.Status == "" {
		t.Error("no status: the answer kept through the full disk was lost")
	}
	if h, _ := w.store.History(n); len(h) == 0 {
		t.Error("no events stored from the answer kept through the full disk")
	}
	if _, failing := w.store.WriteFailure(); failing {
		t.Error("write failure still reported after writes succeed")
	}
}
