package tracker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// num makes a 12-digit number with a valid mod-7 check digit.
func num(first11 int64) string {
	s := fmt.Sprintf("%011d", first11)
	v, _ := strconv.ParseInt(s, 10, 64)
	return s + strconv.FormatInt(v%7, 10)
}

func TestScenarios(t *testing.T) {
	k := func(ks ...notify.Kind) []notify.Kind { return ks }
	cases := []struct {
		carrier  string
		scenario fake.Scenario
		want     []notify.Kind
		final    carriers.Status
	}{
		{"yamato", fake.Delivered, k(notify.KindOutForDelivery, notify.KindDelivered), carriers.StatusDelivered},
		{"yamato", fake.FailedDelivered, k(notify.KindOutForDelivery, notify.KindDeliveryFailed, notify.KindOutForDelivery, notify.KindDelivered), carriers.StatusDelivered},
		{"yamato", fake.Held, k(notify.KindOutForDelivery, notify.KindDeliveryFailed, notify.KindAwaitingPickup), carriers.StatusAwaitingPickup},
		// A week between the last failed attempt and the return: "no news for too long" fires once.
		{"yamato", fake.Returned, k(notify.KindOutForDelivery, notify.KindDeliveryFailed, notify.KindOutForDelivery, notify.KindDeliveryFailed, notify.KindStale, notify.KindReturned), carriers.StatusReturned},
		{"japanpost", fake.FailedDelivered, k(notify.KindOutForDelivery, notify.KindDeliveryFailed, notify.KindOutForDelivery, notify.KindDelivered), carriers.StatusDelivered},
		{"japanpost", fake.Held, k(notify.KindOutForDelivery, notify.KindDeliveryFailed, notify.KindAwaitingPickup), carriers.StatusAwaitingPickup},
		{"sagawa", fake.FailedDelivered, k(notify.KindOutForDelivery, notify.KindDeliveryFailed, notify.KindOutForDelivery, notify.KindDelivered), carriers.StatusDelivered},
		{"sagawa", fake.Investigating, k(notify.KindOutForDelivery, notify.KindException), carriers.StatusException},
	}
	for i, tc := range cases {
		t.Run(tc.carrier+"/"+string(tc.scenario), func(t *testing.T) {
			w := newWorld(t)
			n := num(int64(10000000000 + i))
			w.srv.Add(fake.Timeline(tc.carrier, n, tc.scenario, start.Add(2*time.Hour)))
			w.sync(Spec{Number: n, Label: "test", Carrier: tc.carrier})
			w.run(12 * 24 * time.Hour)
			if got := w.rec.kinds(n); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("notifications %v, want %v", got, tc.want)
			}
			p := w.parcel(n)
			if p.Status != tc.final {
				t.Errorf("final status %s, want %s", p.Status, tc.final)
			}
			if tc.final.Final() && !p.Done {
				t.Errorf("final parcel still polled: %+v", p)
			}
			w.checkHistory(n)
			out, err := w.store.Outbox()
			if err != nil || len(out) != 0 {
				t.Errorf("outbox not drained: %d entries, err %v", len(out), err)
			}
		})
	}
}

func TestAwaitingPickupIsNotified(t *testing.T) {
	w := newWorld(t)
	n := num(20000000001)
	w.srv.Add(fake.Timeline("yamato", n, fake.Held, start.Add(time.Hour)))
	w.sync(Spec{Number: n, Carrier: "yamato"})
	w.run(3 * 24 * time.Hour)
	for _, m := range w.rec.sent() {
		if m.Kind == notify.KindAwaitingPickup {
			return
		}
	}
	t.Fatalf("no awaiting_pickup notice among %v", w.rec.kinds(n))
}

func TestReapplyAddsNothing(t *testing.T) {
	w := newWorld(t)
	n := num(20000000002)
	w.srv.Add(fake.Timeline("yamato", n, fake.FailedDelivered, start.Add(-30*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "yamato"})
	w.run(time.Minute)
	before, _ := w.store.History(n)
	sent := len(w.rec.sent())
	// Poll the same page again and again: nothing new may appear.
	for i := 0; i < 5; i++ {
		p := w.parcel(n)
		p.NextDue = w.clock.Now()
		if err := w.store.PutParcel(p); err != nil {
			t.Fatal(err)
		}
		w.run(time.Minute)
	}
	after, _ := w.store.History(n)
	if len(after) != len(before) || len(w.rec.sent()) != sent {
		t.Fatalf("re-polls added events (%d → %d) or notices (%d → %d)", len(before), len(after), sent, len(w.rec.sent()))
	}
}

func TestAmbiguousNumberFindsItsCarrierAndRemembers(t *testing.T) {
	w := newWorld(t)
	n := num(30000000003)
	id := carriers.Identify(n)
	// The carriers the world can ask (an API carrier without a key is
	// skipped: TestUnregisteredCandidateIsSkipped).
	var cands []string
	for _, c := range id.Carriers() {
		if _, ok := w.reg.Contacts(c); ok {
			cands = append(cands, c)
		}
	}
	if len(cands) < 2 {
		t.Fatalf("expected two registered candidates for %s, got %v of %v", n, cands, id.Carriers())
	}
	target := cands[len(cands)-1]
	w.srv.Add(fake.Timeline(target, n, fake.Delivered, start.Add(-5*time.Hour)))
	w.sync(Spec{Number: n, Candidates: id.Carriers()})
	w.run(30 * time.Minute)
	p := w.parcel(n)
	if p.Carrier != target || p.Status == carriers.StatusNotFound {
		t.Fatalf("carrier %q status %s, want %s found", p.Carrier, p.Status, target)
	}
	asked := map[string]int{}
	for _, c := range cands {
		asked[c] = w.srv.Asked(c)
	}
	w.run(6 * time.Hour)
	for _, c := range cands[:len(cands)-1] {
		if w.srv.Asked(c) != asked[c] {
			t.Errorf("%s asked again after %s was found", c, target)
		}
	}
	if w.srv.Asked(target) <= asked[target] {
		t.Errorf("%s not polled after being found", target)
	}
}

func TestPinnedCarrierWins(t *testing.T) {
	w := newWorld(t)
	n := num(30000000004)
	w.srv.Add(fake.Timeline("sagawa", n, fake.Delivered, start.Add(-5*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "sagawa", Candidates: []string{"yamato", "japanpost", "sagawa"}})
	w.run(time.Hour)
	if w.srv.Asked("yamato") != 0 || w.srv.Asked("japanpost") != 0 {
		t.Errorf("a pinned parcel was asked of other carriers")
	}
	if p := w.parcel(n); p.Carrier != "sagawa" || p.Status == "" {
		t.Errorf("pinned parcel: %+v", p)
	}
}

func TestNotFoundTooLong(t *testing.T) {
	w := newWorld(t)
	n := num(30000000005)
	w.sync(Spec{Number: n, Carrier: "yamato"})
	// Polls back off to one a day, so the notice comes with the first
	// poll after 72 h: within five days.
	w.run(5 * 24 * time.Hour)
	got := w.rec.kinds(n)
	if !reflect.DeepEqual(got, []notify.Kind{notify.KindNotFoundTooLong}) {
		t.Fatalf("notifications %v, want one not_found_too_long", got)
	}
	// Backing off: far fewer than hourly polls over 5 days.
	if a := w.srv.Asked("yamato"); a > 15 {
		t.Errorf("%d polls of a not-found number in 5 days; backoff not working", a)
	}
}

func TestStaleParcel(t *testing.T) {
	w := newWorld(t)
	n := num(30000000006)
	// Accepted and then nothing for days.
	w.srv.Add(fake.Script{Carrier: "japanpost", Number: n, Start: start.Add(-time.Hour),
		Steps: []fake.Step{{Raw: "引受", Location: "新東京郵便局"}}})
	w.sync(Spec{Number: n, Carrier: "japanpost"})
	w.run(4 * 24 * time.Hour)
	if got := w.rec.kinds(n); !reflect.DeepEqual(got, []notify.Kind{notify.KindStale}) {
		t.Fatalf("notifications %v, want one stale", got)
	}
}

func TestFinalStatusNeverMovesBack(t *testing.T) {
	w := newWorld(t)
	n := num(30000000007)
	w.srv.Add(fake.Timeline("yamato", n, fake.Delivered, start.Add(-50*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "yamato"})
	w.run(time.Minute)
	if p := w.parcel(n); p.Status != carriers.StatusDelivered {
		t.Fatalf("status %s, want delivered", p.Status)
	}
	// The carrier now shows the number as unknown (data expired or a glitch).
	w.srv.Add(fake.Script{Carrier: "yamato", Number: n, Start: w.clock.Now().Add(time.Hour)})
	w.run(2 * 24 * time.Hour)
	if p := w.parcel(n); p.Status != carriers.StatusDelivered {
		t.Fatalf("status moved back from delivered to %s", p.Status)
	}
}

func TestNightHasNoPolls(t *testing.T) {
	w := newWorld(t)
	n := num(30000000008)
	w.srv.Add(fake.Timeline("yamato", n, fake.Held, start.Add(-2*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "yamato"})
	w.clock.Set(time.Date(2026, 11, 30, 23, 0, 0, 0, carriers.Tokyo))
	before := w.srv.Requests("yamato")
	w.run(6*time.Hour + 55*time.Minute) // 23:00 → 05:55
	if got := w.srv.Requests("yamato") - before; got != 0 {
		t.Errorf("%d requests during the night window", got)
	}
	w.run(2 * time.Hour)
	if w.srv.Requests("yamato") == before {
		t.Error("no poll after the night ended")
	}
}

func TestLayoutChangePausesCarrierWithOneNotice(t *testing.T) {
	w := newWorld(t)
	var nums []string
	for i := 0; i < 15; i++ {
		n := num(int64(40000000000 + i))
		nums = append(nums, n)
		w.srv.Add(fake.Timeline("yamato", n, fake.Delivered, start.Add(2*time.Hour)))
	}
	specs := make([]Spec, len(nums))
	for i, n := range nums {
		specs[i] = Spec{Number: n, Carrier: "yamato"}
	}
	w.sync(specs...)
	w.srv.SetFault("yamato", fake.Fault{Kind: fake.FaultLayout})
	w.run(2 * time.Hour)
	var ops int
	for _, m := range w.rec.sent() {
		if m.Kind == notify.KindOperator {
			ops++
		}
	}
	if ops != 1 {
		t.Fatalf("%d operator notices, want exactly 1", ops)
	}
	h, _ := w.store.Health("yamato")
	if !h.Paused {
		t.Fatalf("carrier not paused: %+v", h)
	}
	// The bad page, the confirming re-fetch, then re-checks at 07:15,
	// 07:45 and 08:45 (15 min doubling); none more within 2 hours.
	reqs := w.srv.Requests("yamato")
	if reqs != 5 {
		t.Errorf("%d requests after the layout changed, want 5 (page, re-fetch, three backed-off re-checks)", reqs)
	}
	for _, n := range nums {
		if p := w.parcel(n); p.Status != "" {
			t.Errorf("%s got status %s from a broken page", n, p.Status)
		}
	}
	// The site is fixed (or todoku updated): the recheck resumes polling.
	w.srv.SetFault("yamato", fake.Fault{})
	w.run(7 * time.Hour)
	if h, _ := w.store.Health("yamato"); h.Paused {
		t.Fatalf("still paused after the page became readable: %+v", h)
	}
	if p := w.parcel(nums[0]); p.Status == "" {
		t.Error("parcels not polled after the pause ended")
	}
}

func TestRetryAfterIsHonouredAcrossRestart(t *testing.T) {
	w := newWorld(t)
	n := num(50000000001)
	w.srv.Add(fake.Timeline("japanpost", n, fake.Delivered, start.Add(2*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "japanpost"})
	w.srv.SetFault("japanpost", fake.Fault{Kind: fake.FaultTooMany, RetryAfter: 2 * time.Hour})
	w.run(time.Minute)
	if got := w.srv.Requests("japanpost"); got != 1 {
		t.Fatalf("%d requests, want 1", got)
	}
	w.srv.SetFault("japanpost", fake.Fault{})
	w.restart()
	w.run(110 * time.Minute)
	if got := w.srv.Requests("japanpost"); got != 1 {
		t.Fatalf("%d requests during the Retry-After window after a restart, want 1", got)
	}
	w.run(20 * time.Minute)
	if got := w.srv.Requests("japanpost"); got < 2 {
		t.Fatal("no request after Retry-After passed")
	}
	if p := w.parcel(n); p.Status == carriers.StatusNotFound || p.Status == carriers.StatusDelivered {
		t.Errorf("a 429 became status %s", p.Status)
	}
}

func TestBreakerOpensAfterRepeatedFailures(t *testing.T) {
	w := newWorld(t)
	n := num(50000000002)
	w.srv.Add(fake.Timeline("sagawa", n, fake.Delivered, start.Add(2*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "sagawa"})
	w.srv.SetFault("sagawa", fake.Fault{Kind: fake.FaultUnavailable})
	w.run(3 * time.Hour)
	h, _ := w.store.Health("sagawa")
	if h.Failures < breakerThreshold || !h.BreakerOpen {
		t.Fatalf("after 3 h of 503s: %+v", h)
	}
	// Exponential backoff: 30s, 1m, 2m, 4m, 8m, … — far fewer than one per tick.
	if r := w.srv.Requests("sagawa"); r > 10 {
		t.Errorf("%d requests in 3 h against a failing carrier", r)
	}
	w.srv.SetFault("sagawa", fake.Fault{})
	w.run(3 * time.Hour)
	if h, _ := w.store.Health("sagawa"); h.Failures != 0 || h.BreakerOpen {
		t.Errorf("breaker not closed after recovery: %+v", h)
	}
}

func TestMaintenanceIsTransient(t *testing.T) {
	w := newWorld(t)
	n := num(50000000003)
	w.srv.Add(fake.Timeline("yamato", n, fake.Delivered, start.Add(-10*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "yamato"})
	w.srv.SetFault("yamato", fake.Fault{Kind: fake.FaultMaintenance})
	w.run(10 * time.Minute)
	h, _ := w.store.Health("yamato")
	if h.Failures == 0 || h.Paused {
		t.Fatalf("maintenance page: health %+v, want a transient failure", h)
	}
	if p := w.parcel(n); p.Status != "" {
		t.Fatalf("maintenance page produced status %s", p.Status)
	}
}

func TestBatchesAndPiggyback(t *testing.T) {
	w := newWorld(t)
	var specs []Spec
	for i := 0; i < 25; i++ {
		n := num(int64(60000000000 + i))
		w.srv.Add(fake.Timeline("yamato", n, fake.Delivered, start.Add(2*time.Hour)))
		specs = append(specs, Spec{Number: n, Carrier: "yamato"})
	}
	w.sync(specs...)
	w.run(time.Minute)
	if r, a := w.srv.Requests("yamato"), w.srv.Asked("yamato"); r != 3 || a != 25 {
		t.Fatalf("first tick: %d requests asking %d numbers, want 3 requests for 25", r, a)
	}
}

func TestUntrackableAmazon(t *testing.T) {
	w := newWorld(t)
	w.sync(Spec{Number: "DA1234567890", Carrier: "amazon"})
	w.run(time.Hour)
	p := w.parcel("DA1234567890")
	if !p.Untrackable || !p.Done || p.Status != "" {
		t.Fatalf("amazon parcel: %+v", p)
	}
}

func TestRemovedParcelStopsButKeepsHistory(t *testing.T) {
	w := newWorld(t)
	n := num(70000000001)
	w.srv.Add(fake.Timeline("yamato", n, fake.FailedDelivered, start.Add(-20*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "yamato", Label: "a"})
	w.run(time.Minute)
	h1, _ := w.store.History(n)
	w.sync() // removed from the config
	reqs := w.srv.Requests("yamato")
	w.run(3 * time.Hour)
	if w.srv.Requests("yamato") != reqs {
		t.Error("a removed parcel is still polled")
	}
	h2, _ := w.store.History(n)
	if len(h1) == 0 || len(h2) != len(h1) {
		t.Errorf("history changed after removal: %d → %d", len(h1), len(h2))
	}
	if p := w.parcel(n); p.Tracked {
		t.Error("removed parcel still marked tracked")
	}
}

func TestSenderRetriesTransientAndDropsPermanent(t *testing.T) {
	w := newWorld(t)
	n1, n2 := num(80000000001), num(80000000002)
	w.srv.Add(fake.Timeline("yamato", n1, fake.Delivered, start.Add(-50*time.Hour)))
	w.srv.Add(fake.Timeline("yamato", n2, fake.Delivered, start.Add(-50*time.Hour)))
	w.sync(Spec{Number: n1, Carrier: "yamato"}, Spec{Number: n2, Carrier: "yamato"})
	calls := map[string]int{}
	w.rec.fail = func(m notify.Message) (bool, error) {
		calls[m.Number]++
		switch {
		case m.Number == n1 && calls[n1] <= 2:
			return true, errors.New("503 from pushover")
		case m.Number == n2:
			return false, errors.New("400: invalid user key")
		}
		return false, nil
	}
	w.run(time.Minute)
	w.run(10 * time.Minute)
	if got := w.rec.kinds(n1); !reflect.DeepEqual(got, []notify.Kind{notify.KindDelivered}) {
		t.Errorf("n1 sent %v after transient failures, want one delivered", got)
	}
	if calls[n2] != 1 {
		t.Errorf("a permanent failure was tried %d times, want 1", calls[n2])
	}
	out, _ := w.store.Outbox()
	if len(out) != 0 {
		t.Errorf("outbox still holds %d entries", len(out))
	}
}

func TestQuotaPausesSending(t *testing.T) {
	w := newWorld(t)
	n := num(80000000003)
	w.srv.Add(fake.Timeline("yamato", n, fake.Delivered, start.Add(-50*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "yamato"})
	reset := start.Add(24 * time.Hour)
	tries := 0
	w.rec.fail = func(m notify.Message) (bool, error) {
		tries++
		if w.clock.Now().Before(reset) {
			return false, &notify.QuotaError{Reset: reset}
		}
		return false, nil
	}
	w.run(12 * time.Hour)
	if tries != 1 {
		t.Fatalf("%d sends while the quota was spent, want 1", tries)
	}
	w.run(13 * time.Hour)
	kinds := w.rec.kinds(n)
	if !reflect.DeepEqual(kinds, []notify.Kind{notify.KindDelivered}) {
		t.Fatalf("after the reset: sent %v", kinds)
	}
}

func TestPolicyNext(t *testing.T) {
	p := DefaultPolicy()
	p.Jitter = 0
	day := time.Date(2026, 12, 1, 12, 0, 0, 0, carriers.Tokyo)
	cases := []struct {
		name string
		pc   store.Parcel
		now  time.Time
		want time.Time
	}{
		{"out for delivery", store.Parcel{Status: carriers.StatusOutForDelivery}, day, day.Add(10 * time.Minute)},
		{"in transit", store.Parcel{Status: carriers.StatusInTransit}, day, day.Add(time.Hour)},
		{"failed", store.Parcel{Status: carriers.StatusDeliveryFailed}, day, day.Add(30 * time.Minute)},
		{"delivered: one confirmation", store.Parcel{Status: carriers.StatusDelivered}, day, time.Date(2026, 12, 2, 12, 0, 0, 0, carriers.Tokyo)},
		{"into the night waits for morning", store.Parcel{Status: carriers.StatusInTransit}, time.Date(2026, 12, 1, 22, 30, 0, 0, carriers.Tokyo), time.Date(2026, 12, 2, 6, 0, 0, 0, carriers.Tokyo)},
		{"not found backs off", store.Parcel{Status: carriers.StatusNotFound, NotFoundSince: day.Add(-4 * time.Hour), LastPoll: day}, day, day.Add(4 * time.Hour)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := p.Next(tc.pc, tc.now, nil); !got.Equal(tc.want) {
				t.Errorf("Next = %v, want %v", got, tc.want)
			}
		})
	}
	if p.Done(store.Parcel{Status: carriers.StatusDelivered}) {
		t.Error("done before the confirmation poll")
	}
	if !p.Done(store.Parcel{Status: carriers.StatusDelivered, FinalChecks: 1}) {
		t.Error("not done after the confirmation poll")
	}
}

func TestDrainHonoursCancelledContext(t *testing.T) {
	w := newWorld(t)
	if _, err := w.store.Enqueue(store.OutboxEntry{Key: "k", Kind: string(notify.KindOperator), Text: "x", NotBefore: start}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := w.eng.Drain(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Drain with a cancelled ctx: %v", err)
	}
	if out, _ := w.store.Outbox(); len(out) != 1 {
		t.Fatal("entry lost")
	}
}

// picky refuses any batch that holds the bad number, as Japan Post does
// for a number with the wrong digit count.
type picky struct {
	carriers.Carrier
	bad string
}

func (p picky) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	for _, n := range numbers {
		if n == p.bad {
			return nil, errors.New("number rejected by the site")
		}
	}
	return p.Carrier.Track(ctx, numbers)
}

func TestRefusedNumberDoesNotHoldUpTheBatch(t *testing.T) {
	w := newWorld(t)
	bad := num(21000000009)
	y, _ := w.reg.Get("yamato")
	ct, _ := w.reg.Contacts("yamato")
	reg := carriers.NewRegistry()
	reg.Register(picky{y, bad}, ct)
	w.reg = reg
	w.newEngine()
	var specs []Spec
	for i := 0; i < 5; i++ {
		n := num(int64(21000000000 + i))
		w.srv.Add(fake.Timeline("yamato", n, fake.Delivered, start.Add(-50*time.Hour)))
		specs = append(specs, Spec{Number: n, Carrier: "yamato"})
	}
	specs = append(specs, Spec{Number: bad, Carrier: "yamato"})
	w.sync(specs...)
	w.run(time.Minute)
	for _, s := range specs[:5] {
		if p := w.parcel(s.Number); p.Status != carriers.StatusDelivered {
			t.Errorf("%s: status %q, want delivered despite a refused neighbour", s.Number, p.Status)
		}
	}
	p := w.parcel(bad)
	if p.LastError == "" || !p.NextDue.After(w.clock.Now()) {
		t.Errorf("refused parcel: %+v, want its error recorded and a later poll", p)
	}
	if h, _ := w.store.Health("yamato"); h.Failures != 0 || h.BreakerOpen {
		t.Errorf("a refused number counted against the carrier: %+v", h)
	}
}

func TestPausedFirstCandidateDoesNotBlockAmbiguousNumbers(t *testing.T) {
	w := newWorld(t)
	n := num(22000000001)
	cands := carriers.Identify(n).Carriers()
	w.srv.Add(fake.Timeline("sagawa", n, fake.Delivered, start.Add(-5*time.Hour)))
	if err := w.store.PutHealth(store.Health{Carrier: cands[0], Paused: true, PausedAt: start, NextCheck: start.Add(6 * time.Hour), PausedReason: "layout"}); err != nil {
		t.Fatal(err)
	}
	w.sync(Spec{Number: n, Candidates: cands})
	w.run(time.Hour)
	if p := w.parcel(n); p.Carrier != "sagawa" {
		t.Fatalf("carrier %q (candidates %v): a paused %s held the number up", p.Carrier, p.Candidates, cands[0])
	}
	if w.srv.Asked(cands[0]) != 0 {
		t.Errorf("the paused carrier was asked")
	}
}

// panicky is an adapter with a bug: it panics on some page.
type panicky struct{ carriers.Carrier }

func (panicky) Track(context.Context, []string) ([]carriers.Result, error) {
	panic("index out of range")
}

// short never returns the result for the last number asked.
type short struct{ carriers.Carrier }

func (s short) Track(ctx context.Context, numbers []string) ([]carriers.Result, error) {
	res, err := s.Carrier.Track(ctx, numbers)
	if len(res) > 0 {
		res = res[:len(res)-1]
	}
	return res, err
}

func TestAdapterBugPausesTheCarrierInsteadOfCrashing(t *testing.T) {
	for _, tc := range []struct {
		name string
		wrap func(carriers.Carrier) carriers.Carrier
	}{
		{"panic", func(c carriers.Carrier) carriers.Carrier { return panicky{c} }},
		{"missing result", func(c carriers.Carrier) carriers.Carrier { return short{c} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			y, _ := w.reg.Get("yamato")
			ct, _ := w.reg.Contacts("yamato")
			reg := carriers.NewRegistry()
			reg.Register(tc.wrap(y), ct)
			w.reg = reg
			w.newEngine()
			var specs []Spec
			for i := 0; i < 3; i++ {
				n := num(int64(23000000000 + i))
				w.srv.Add(fake.Timeline("yamato", n, fake.Delivered, start.Add(-50*time.Hour)))
				specs = append(specs, Spec{Number: n, Carrier: "yamato"})
			}
			w.sync(specs...)
			w.run(time.Hour)
			h, _ := w.store.Health("yamato")
			if !h.Paused {
				t.Fatalf("carrier not paused after an adapter bug: %+v", h)
			}
			ops := 0
			for _, m := range w.rec.sent() {
				if m.Kind == notify.KindOperator {
					ops++
				}
			}
			if ops != 1 {
				t.Errorf("%d operator notices, want 1", ops)
			}
			for i, s := range specs {
				// The missing-result adapter answers for all but the
				// last number: those answers count.
				counted := tc.name == "missing result" && i < len(specs)-1
				if p := w.parcel(s.Number); (p.Status != "") != counted {
					t.Errorf("%s got status %q from a broken adapter (counted %v)", s.Number, p.Status, counted)
				}
			}
		})
	}
}

func TestUnknownWordsAreLoggedOnce(t *testing.T) {
	w := newWorld(t)
	var buf bytes.Buffer
	eng, err := New(Options{Store: w.store, Registry: w.reg, Runtime: w.rt, Clock: w.clock, Seed: 1,
		Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w.eng = eng
	var specs []Spec
	for i := 0; i < 2; i++ {
		n := num(int64(24000000000 + i))
		w.srv.Add(fake.Script{Carrier: "yamato", Number: n, Start: start.Add(-time.Hour), Steps: []fake.Step{
			{Raw: "荷物受付", Location: "川崎"}, {At: 10 * time.Minute, Raw: "宇宙便で輸送中", Location: "月面ベース"}}})
		specs = append(specs, Spec{Number: n, Carrier: "yamato"})
	}
	w.sync(specs...)
	w.run(3 * time.Hour)
	if got := strings.Count(buf.String(), "宇宙便で輸送中"); got != 1 {
		t.Errorf("unknown words logged %d times, want once:\n%s", got, buf.String())
	}
	// Unknown words never replace the last known status (nor guess one).
	if p := w.parcel(specs[0].Number); p.Status != carriers.StatusInTransit {
		t.Errorf("status %s, want in_transit kept (unknown words replace nothing)", p.Status)
	}
}

func TestNightFollowsTheConfiguredZone(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	p := DefaultPolicy()
	p.Location = london
	at := time.Date(2026, 12, 1, 23, 30, 0, 0, london) // 08:30 the next morning in Tokyo
	if !p.Night(at) {
		t.Error("23:30 in London is night for a London policy")
	}
	if DefaultPolicy().Night(at) {
		t.Error("08:30 in Tokyo is not night for the default policy")
	}
}

func TestValidateSchedule(t *testing.T) {
	for spec, ok := range map[string]bool{"*/5 * * * *": true, "@every 5m": true, "": true, "0 0 30 2 *": false, "61 * * * *": false} {
		if err := ValidateSchedule(spec); (err == nil) != ok {
			t.Errorf("ValidateSchedule(%q) = %v", spec, err)
		}
	}
}

func TestUnpinningRestartsAFinishedParcel(t *testing.T) {
	w := newWorld(t)
	const n = "991234567890"
	w.sync(Spec{Number: n, Carrier: "amazon"})
	w.run(time.Hour)
	if p := w.parcel(n); !p.Done {
		t.Fatalf("pinned to amazon: %+v, want done", p)
	}
	w.sync(Spec{Number: n, Candidates: carriers.Identify(n).Carriers()})
	if p := w.parcel(n); p.Done || p.Untrackable || p.Pinned {
		t.Fatalf("after the pin was removed: %+v, want polled again", p)
	}
}

// Issue 10: a notice already queued is sent even when its parcel is
// removed before the sender runs (a reload from a damaged config once
// closed them all unsent).
func TestNoticeOfARemovedParcelIsStillSent(t *testing.T) {
	w := newWorld(t)
	n := num(25000000001)
	w.srv.Add(fake.Timeline("yamato", n, fake.FailedDelivered, start.Add(-40*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "yamato"})
	if err := w.eng.Tick(context.Background()); err != nil { // queued, not yet sent
		t.Fatal(err)
	}
	if out, _ := w.store.Outbox(); len(out) == 0 {
		t.Fatal("nothing queued")
	}
	w.sync() // the user removed it before the sender ran
	if _, err := w.eng.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := w.rec.kinds(n); len(got) == 0 {
		t.Errorf("the queued notice of a removed parcel was not sent")
	}
	if out, _ := w.store.Outbox(); len(out) != 0 {
		t.Errorf("%d entries left in the outbox", len(out))
	}
}

// A 99… number fits Amazon and the domestic carriers. Before the carrier
// has registered it, nobody knows it; Amazon's "no public tracking" must
// not end its tracking.
func TestNinetyNineNumberIsNotGivenUpToAmazon(t *testing.T) {
	w := newWorld(t)
	const n = "991234567890"
	if c := carriers.Identify(n).Carriers(); len(c) != 4 || c[3] != "amazon" {
		t.Fatalf("candidates %v, want three carriers then amazon", c)
	}
	w.sync(Spec{Number: n, Candidates: carriers.Identify(n).Carriers()})
	w.run(time.Hour)
	if p := w.parcel(n); p.Done || p.Untrackable {
		t.Fatalf("after one round: %+v, want still tracked", p)
	}
	w.srv.Add(fake.Timeline("yamato", n, fake.Delivered, w.clock.Now()))
	w.run(2 * 24 * time.Hour)
	p := w.parcel(n)
	if p.Carrier != "yamato" || p.Status != carriers.StatusDelivered {
		t.Fatalf("parcel %+v, want found at yamato and delivered", p)
	}
}

// The system clock was a year ahead for a while, then corrected: the
// waits computed meanwhile must not stop polling for a year.
func TestWaitsFromAWrongClockAreIgnored(t *testing.T) {
	w := newWorld(t)
	n := num(26000000001)
	w.srv.Add(fake.Timeline("sagawa", n, fake.Delivered, start.Add(-50*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "sagawa"})
	year := start.AddDate(1, 0, 0)
	if err := w.store.UpdateParcel(n, func(p *store.Parcel, _ bool) error { p.NextDue = year; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := w.store.PutHealth(store.Health{Carrier: "sagawa", Failures: 6, CooldownUntil: year, BreakerOpen: true, BreakerUntil: year}); err != nil {
		t.Fatal(err)
	}
	w.run(time.Hour)
	if p := w.parcel(n); p.Status != carriers.StatusDelivered {
		t.Fatalf("status %q: a wait set by a wrong clock stopped polling", p.Status)
	}
}

// A carrier that is down for days: the user hears about it (once) and
// about the parcel that has had no news, without waiting for a
// successful poll.
func TestOutageIsAnnouncedOnce(t *testing.T) {
	w := newWorld(t)
	n := num(27000000001)
	w.srv.Add(fake.Timeline("japanpost", n, fake.Delivered, start.Add(-2*time.Hour)))
	w.sync(Spec{Number: n, Carrier: "japanpost"})
	w.srv.SetFault("japanpost", fake.Fault{Kind: fake.FaultUnavailable})
	w.run(4 * 24 * time.Hour)
	var ops, stale int
	for _, m := range w.rec.sent() {
		switch m.Kind {
		case notify.KindOperator:
			ops++
		case notify.KindStale:
			stale++
		}
	}
	if ops != 1 {
		t.Errorf("%d operator notices for one outage, want 1", ops)
	}
	if stale != 1 {
		t.Errorf("%d stale notices for a parcel without news for 4 days, want 1", stale)
	}
}

func TestNotFoundIsGivenUpAfterAMonth(t *testing.T) {
	w := newWorld(t)
	n := num(28000000001)
	w.sync(Spec{Number: n, Carrier: "yamato"})
	w.run(31 * 24 * time.Hour)
	if p := w.parcel(n); !p.Done {
		t.Fatalf("a number unknown for a month is still polled: %+v", p)
	}
	asked := w.srv.Asked("yamato")
	w.run(3 * 24 * time.Hour)
	if w.srv.Asked("yamato") != asked {
		t.Error("polled after giving up")
	}
}
