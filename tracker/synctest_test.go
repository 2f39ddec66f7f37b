package tracker

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"testing/synctest"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// bubble is an engine running for real (Run: cron, sender, heartbeat)
// with the real clock, inside a synctest bubble, so hours pass in
// milliseconds and every timer is deterministic.
type bubble struct {
	srv    *fake.Server
	store  *store.Store
	eng    *Engine
	rec    *recorder
	cancel context.CancelFunc
	done   chan error
}

func startBubble(t *testing.T, limit Limit, setup func(*fake.Server) []Spec) *bubble {
	t.Helper()
	b := &bubble{rec: &recorder{}, done: make(chan error, 1)}
	b.srv = fake.NewServer(time.Now, all.Sites()...)
	specs := setup(b.srv)
	client := &http.Client{Transport: b.srv.Transport()}
	reg := all.Registry(carriers.Options{Client: client, BaseURL: "http://fake.invalid"}, nil)
	st, err := store.Open(filepath.Join(t.TempDir(), "todoku.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b.store = st
	settings := notify.DefaultSettings()
	settings.QuietStart, settings.QuietEnd = "", ""
	policy := DefaultPolicy()
	policy.NightStart, policy.NightEnd = "", "" // the bubble's clock starts at midnight UTC
	rt := &Runtime{
		Policy:   policy,
		Limits:   map[string]Limit{"yamato": limit, "japanpost": limit, "sagawa": limit},
		Notifier: b.rec,
		Composer: notify.Composer{Settings: settings, Contacts: notify.Directory(all.Contacts()...)},
	}
	b.eng, err = New(Options{Store: st, Registry: reg, Runtime: rt, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.eng.Sync(specs); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	go func() { b.done <- b.eng.Run(ctx) }()
	return b
}

// stop ends Run and checks it returns promptly with everything closed.
func (b *bubble) stop(t *testing.T) {
	t.Helper()
	b.cancel()
	select {
	case err := <-b.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Run did not return within a minute of cancellation")
	}
	if err := b.store.Close(); err != nil {
		t.Error(err)
	}
	// synctest.Test fails if any goroutine Run started is still alive.
}

func TestRunLimiterSpacesRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := startBubble(t, Limit{Interval: 10 * time.Second, Burst: 1}, func(s *fake.Server) []Spec {
			var specs []Spec
			for i := 0; i < 35; i++ {
				n := num(int64(11000000000 + i))
				s.Add(fake.Timeline("yamato", n, fake.Delivered, time.Now().Add(-time.Hour)))
				specs = append(specs, Spec{Number: n, Carrier: "yamato"})
			}
			return specs
		})
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		times := b.srv.RequestTimes("yamato")
		if len(times) != 4 {
			t.Fatalf("%d requests for 35 overdue parcels at start-up, want 4 batches", len(times))
		}
		for i := 1; i < len(times); i++ {
			if gap := times[i].Sub(times[i-1]); gap < 10*time.Second {
				t.Errorf("requests %d and %d only %v apart, want ≥ 10s", i-1, i, gap)
			}
		}
		b.stop(t)
	})
}

func TestRunCadenceFollowsState(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n string
		b := startBubble(t, Limit{Interval: time.Second, Burst: 1}, func(s *fake.Server) []Spec {
			n = num(12000000001)
			// Accepted now; nothing else happens for a day: in transit, polled about hourly.
			s.Add(fake.Script{Carrier: "japanpost", Number: n, Start: time.Now(),
				Steps: []fake.Step{{Raw: "引受", Location: "新東京郵便局"}, {At: 20 * time.Hour, Raw: "持ち出し中", Location: "川崎中央郵便局"}}})
			return []Spec{{Number: n, Carrier: "japanpost"}}
		})
		time.Sleep(10 * time.Hour)
		synctest.Wait()
		transit := len(b.srv.RequestTimes("japanpost"))
		if transit < 8 || transit > 13 {
			t.Errorf("%d polls in 10 h in transit, want about hourly (8–13)", transit)
		}
		// Out for delivery from 20 h: polled every ~10 minutes.
		time.Sleep(14 * time.Hour)
		synctest.Wait()
		times := b.srv.RequestTimes("japanpost")
		var ofd int
		var start time.Time
		for _, tm := range times {
			if tm.After(times[0].Add(20 * time.Hour)) {
				start = tm // the poll that saw 持ち出し中
				break
			}
		}
		for _, tm := range times {
			if tm.After(start) && !tm.After(start.Add(2*time.Hour)) {
				ofd++
			}
		}
		if ofd < 9 || ofd > 16 {
			t.Errorf("%d polls in the first 2 h out for delivery, want every ~10 min (9–16)", ofd)
		}
		b.stop(t)
	})
}

func TestRunBackoffAndBreaker(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n string
		b := startBubble(t, Limit{Interval: time.Second, Burst: 1}, func(s *fake.Server) []Spec {
			n = num(13000000001)
			s.Add(fake.Timeline("sagawa", n, fake.Delivered, time.Now().Add(-50*time.Hour)))
			s.SetFault("sagawa", fake.Fault{Kind: fake.FaultUnavailable})
			return []Spec{{Number: n, Carrier: "sagawa"}}
		})
		time.Sleep(6 * time.Hour)
		synctest.Wait()
		times := b.srv.RequestTimes("sagawa")
		if len(times) < breakerThreshold || len(times) > 14 {
			t.Fatalf("%d requests in 6 h against a 503ing carrier, want between %d and 14", len(times), breakerThreshold)
		}
		for i := 2; i < len(times); i++ {
			if times[i].Sub(times[i-1]) < times[i-1].Sub(times[i-2])*8/10 {
				t.Errorf("gap %d (%v) shrank from %v: backoff must grow", i, times[i].Sub(times[i-1]), times[i-1].Sub(times[i-2]))
			}
		}
		h, err := b.store.Health("sagawa")
		if err != nil || !h.BreakerOpen {
			t.Errorf("breaker not open: %+v %v", h, err)
		}
		b.srv.SetFault("sagawa", fake.Fault{})
		time.Sleep(3 * time.Hour)
		synctest.Wait()
		if p, _, _ := b.store.Parcel(n); p.Status != carriers.StatusDelivered {
			t.Errorf("after recovery the parcel is %q, want delivered", p.Status)
		}
		b.stop(t)
	})
}

func TestRunShutdownDrainsAndLeavesNoGoroutine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := startBubble(t, Limit{Interval: time.Second, Burst: 1}, func(s *fake.Server) []Spec {
			n := num(14000000001)
			s.Add(fake.Timeline("yamato", n, fake.Delivered, time.Now().Add(-50*time.Hour)))
			// A slow carrier: the shutdown must not wait for it forever.
			s.SetFault("yamato", fake.Fault{Kind: fake.FaultSlow, Delay: time.Hour})
			return []Spec{{Number: n, Carrier: "yamato"}}
		})
		time.Sleep(time.Second)
		b.stop(t) // a poll is in flight for an hour: abandoned after the grace period
	})
}
