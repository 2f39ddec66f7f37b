package tracker

import (
	"context"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// singles wraps an adapter so that it takes one number per request, as
// popular trackers ask.
type singles struct{ carriers.Carrier }

func (singles) BatchSize() int { return 1 }

type simResult struct {
	requests   int
	parcelDays float64
	latencies  []time.Duration // failure published → outbox, daytime only
}

// simulate runs parcels parcels with realistic timelines for 7 days under
// policy and reports what it cost and how fast failures were seen.
func simulate(tb testing.TB, parcels int, policy Policy, batched bool) simResult {
	const days = 7
	begin := time.Date(2026, 12, 7, 0, 0, 0, 0, carriers.Tokyo)
	end := begin.Add(days * 24 * time.Hour)
	clock := NewVirtual(begin)
	srv := fake.NewServer(clock.Now, all.Sites()...)
	client := &http.Client{Transport: srv.Transport()}
	opts := carriers.Options{Client: client, BaseURL: "http://fake.invalid", Now: clock.Now}
	src := all.Registry(opts, nil)
	reg := carriers.NewRegistry()
	for _, name := range src.Names() {
		c, _ := src.Get(name)
		ct, _ := src.Contacts(name)
		if !batched {
			c = singles{c}
		}
		reg.Register(c, ct)
	}

	dir := tb.TempDir()
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		// fsync on tmpfs is free: the benchmark measures policy, not disks.
		if d, err := os.MkdirTemp("/dev/shm", "todoku-bench-*"); err == nil {
			dir = d
			tb.Cleanup(func() { os.RemoveAll(d) })
		}
	}
	st, err := store.Open(filepath.Join(dir, "bench.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	settings := notify.DefaultSettings()
	rt := &Runtime{
		Policy: policy,
		// Requests are spaced by a millisecond, not the daemon's 10 s: the
		// benchmark measures what each policy asks for, and a 10 s limiter
		// on a shared virtual clock would stretch the fixed policy's days.
		Limits:   map[string]Limit{"yamato": {Interval: time.Millisecond}, "japanpost": {Interval: time.Millisecond}, "sagawa": {Interval: time.Millisecond}},
		Notifier: &recorder{},
		Composer: notify.Composer{Settings: settings, Contacts: notify.Directory(all.Contacts()...)},
	}
	eng, err := New(Options{Store: st, Registry: reg, Runtime: rt, Clock: clock, Seed: 7})
	if err != nil {
		tb.Fatal(err)
	}

	rng := rand.New(rand.NewPCG(2026, 12))
	type planned struct {
		spec  Spec
		added time.Time
		last  time.Time
	}
	var plan []planned
	for i := 0; i < parcels; i++ {
		carrier := "yamato"
		switch r := rng.IntN(100); {
		case r >= 80:
			carrier = "sagawa"
		case r >= 45:
			carrier = "japanpost"
		}
		n := num(int64(90000000000 + i))
		sc := fake.Realistic(rng, carrier, n, begin, 5*24*time.Hour)
		srv.Add(sc)
		// The user pastes the number from the shipping e-mail, up to a few
		// hours before the carrier accepts the parcel.
		added := sc.Start.Add(-time.Duration(rng.Int64N(int64(4 * time.Hour))))
		// A parcel is active from when it is added until its final event;
		// a held or investigated one stays active to the end.
		last := end
		if sc.Scenario.Final() {
			last = sc.Start.Add(sc.Steps[len(sc.Steps)-1].At)
		}
		plan = append(plan, planned{Spec{Number: n, Carrier: carrier}, added, last})
	}
	sort.Slice(plan, func(i, j int) bool { return plan[i].added.Before(plan[j].added) })

	ctx := context.Background()
	var specs []Spec
	next := 0
	for t := begin; t.Before(end); t = t.Add(5 * time.Minute) {
		clock.Set(t)
		grew := false
		for next < len(plan) && !plan[next].added.After(t) {
			specs = append(specs, plan[next].spec)
			next++
			grew = true
		}
		if grew {
			if err := eng.Sync(specs); err != nil {
				tb.Fatal(err)
			}
		}
		if err := eng.Tick(ctx); err != nil {
			tb.Fatal(err)
		}
	}

	var res simResult
	for _, name := range []string{"yamato", "japanpost", "sagawa"} {
		res.requests += srv.Requests(name)
	}
	for _, p := range plan[:next] {
		stop := p.last
		if stop.After(end) {
			stop = end
		}
		if stop.After(p.added) {
			res.parcelDays += stop.Sub(p.added).Hours() / 24
		}
	}
	out, err := st.Outbox()
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range out {
		if e.Kind != string(notify.KindDeliveryFailed) {
			continue
		}
		h := e.Event.Time.In(carriers.Tokyo).Hour()
		if h < 7 || h >= 21 {
			continue
		}
		res.latencies = append(res.latencies, e.Created.Sub(e.Event.Time))
	}
	return res
}

func p95(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)*95+99)/100-1]
}

// BenchmarkPolicy simulates 7 days of 200 parcels with realistic
// timelines against the fake carrier, for the adaptive policy and for
// fixed 10-minute polling (one number per request, as popular trackers
// do, and batched like todoku for a fair second comparison). Run it with
// -benchtime=1x: one iteration is a whole week.
func BenchmarkPolicy(b *testing.B) {
	cases := []struct {
		name    string
		policy  Policy
		batched bool
	}{
		{"adaptive", DefaultPolicy(), true},
		{"fixed10m", FixedPolicy(10 * time.Minute), false},
		{"fixed10m-batched", FixedPolicy(10 * time.Minute), true},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			var res simResult
			for b.Loop() {
				res = simulate(b, 200, tc.policy, tc.batched)
			}
			b.ReportMetric(float64(res.requests)/res.parcelDays, "req/parcel-day")
			b.ReportMetric(p95(res.latencies).Minutes(), "p95-notify-min")
			b.ReportMetric(float64(len(res.latencies)), "failures")
		})
	}
}

// TestPolicyGoal checks the benchmark's claims on a smaller run that is
// cheap enough for every test run: the adaptive policy must see daytime
// failures within 20 minutes (p95) and cost far fewer requests than
// polling every 10 minutes.
func TestPolicyGoal(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates a week")
	}
	ad := simulate(t, 80, DefaultPolicy(), true)
	if len(ad.latencies) < 10 {
		t.Fatalf("only %d daytime failures in the simulation", len(ad.latencies))
	}
	if got := p95(ad.latencies); got > 20*time.Minute {
		t.Errorf("adaptive p95 failure latency %v, want ≤ 20m", got)
	}
	perDay := float64(ad.requests) / ad.parcelDays
	// Fixed 10-minute polling of one number per request costs about 144
	// requests per active parcel-day (BenchmarkPolicy measures it). The
	// goal was 10× fewer while Japan Post took ten numbers a request;
	// since no current scraper confirms a multi-number page, Japan Post is
	// asked one number at a time (issue 13), which costs the adaptive
	// policy about 19 requests per parcel-day: the goal is now 7× fewer.
	if perDay*7 > 144 {
		t.Errorf("adaptive policy: %.1f req/parcel-day, want at least 7× fewer than 144", perDay)
	}
	t.Logf("adaptive: %.2f req/parcel-day, p95 %v over %d failures", perDay, p95(ad.latencies), len(ad.latencies))
}
