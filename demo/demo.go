// Package demo runs todoku's real engine, store and notifier composition
// against the built-in fake carrier with a virtual clock: a few parcels
// go through transit, a failed attempt, a held parcel, a return and a
// delivery, one of them an overseas DHL parcel asked through a fake of
// DHL's API (fake.NewDHLAPI, with a key and the daily quota), in about a
// second, and every notification is printed as it
// would be pushed. It is what `todoku demo` runs.
package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/carriers/dhl"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/carriers/quota"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
	"github.com/todoku/todoku/tracker"
)

// Options configure Run.
type Options struct {
	// Out receives the notifications; JSON prints one object per line.
	Out  io.Writer
	JSON bool
	// Config, when set, supplies the notification settings, cadence and
	// limits (its parcels, endpoints, notifier and database are ignored).
	Config *config.Config
	// Dir holds the demo database; "" means a new temporary directory,
	// removed afterwards.
	Dir    string
	Logger *slog.Logger
	// Days is how long the virtual run lasts (default 10).
	Days int
}

// Parcel is one scripted demo parcel.
type Parcel struct {
	Number   string
	Label    string
	Carrier  string
	Scenario fake.Scenario
	Start    time.Duration // after the demo's start
}

// demoKey is the fake DHL API's key (not a real one).
const demoKey = "demo-dhl-key"

// Start is the demo's virtual start: Monday 2026-11-23 07:30 in Tokyo
// (勤労感謝の日, a holiday, so holiday opening hours show).
var Start = time.Date(2026, 11, 23, 7, 30, 0, 0, carriers.Tokyo)

// Parcels are the demo's parcels. Their numbers have valid check digits.
func Parcels() []Parcel {
	return []Parcel{
		{Number: "123456789013", Label: "カメラレンズ", Carrier: "yamato", Scenario: fake.FailedDelivered, Start: -20 * time.Hour},
		{Number: "300000000020", Label: "冬物コート", Carrier: "japanpost", Scenario: fake.Held, Start: -18 * time.Hour},
		{Number: "400000000035", Label: "プリンターのインク", Carrier: "sagawa", Scenario: fake.Delivered, Start: -22 * time.Hour},
		{Number: "500000000043", Label: "返品交換の靴", Carrier: "yamato", Scenario: fake.Returned, Start: -21 * time.Hour},
		// An overseas order, asked through DHL's API with a (fake) key.
		{Number: "3318810025", Label: "海外通販のスニーカー", Carrier: "dhl", Scenario: fake.FailedDelivered, Start: -40 * time.Hour},
	}
}

// Stats summarise a demo run.
type Stats struct {
	Requests      map[string]int
	Notifications int
	Events        int
}

// Run runs the demo to the end.
func Run(ctx context.Context, opts Options) (Stats, error) {
	if opts.Days <= 0 {
		opts.Days = 10
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	dir := opts.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "todoku-demo-*")
		if err != nil {
			return Stats{}, fmt.Errorf("demo: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	cfg := opts.Config
	if cfg == nil {
		var err error
		if cfg, err = config.Load([]byte("notify:\n  notifier: console\n")); err != nil {
			return Stats{}, fmt.Errorf("demo: default config: %w", err)
		}
	}
	clock := tracker.NewVirtual(Start)
	srv := fake.NewServer(clock.Now, append(all.Sites(), fake.DHL{})...)
	for _, p := range Parcels() {
		if p.Carrier == "amazon" {
			continue
		}
		srv.Add(fake.APITimeline(p.Carrier, p.Number, p.Scenario, Start.Add(p.Start)))
	}
	// DHL answers through its official API, which wants a key: the fake
	// API in front of the fake server checks it and counts the daily quota.
	dhlAPI := fake.NewDHLAPI(srv, clock.Now, demoKey)
	dhlAPI.SetQuota(dhl.DailyLimit)
	client := &http.Client{Transport: fake.MuxTransport(srv, dhlAPI)}
	// The carriers' own adapters, pointed at the fake server.
	quotas := map[string]*quota.Daily{dhl.Name: dhl.NewQuota()}
	reg := all.RegistryWithAPIs(carriers.Options{Client: client, BaseURL: "http://fake.invalid", Now: clock.Now}, nil,
		all.APIKeys{DHL: dhl.Config{APIKey: demoKey, Quota: quotas[dhl.Name]}})

	st, err := store.Open(filepath.Join(dir, "demo.db"), store.Options{})
	if err != nil {
		return Stats{}, fmt.Errorf("demo: %w", err)
	}
	defer st.Close()

	console := notify.NewConsole(opts.Out, opts.JSON)
	counter := &counting{Notifier: console}
	rt, err := daemon.Runtime(cfg, daemon.RuntimeOptions{Notifier: counter, Logger: log})
	if err != nil {
		return Stats{}, fmt.Errorf("demo: %w", err)
	}
	// The fake carrier answers at once: no need to wait 10 s between requests.
	for _, name := range reg.Names() {
		rt.Limits[name] = tracker.Limit{Interval: time.Second, Burst: 1}
	}
	eng, err := tracker.New(tracker.Options{Store: st, Registry: reg, Runtime: rt, Clock: clock, Logger: log, Seed: 1, Quotas: quotas})
	if err != nil {
		return Stats{}, fmt.Errorf("demo: %w", err)
	}
	var specs []tracker.Spec
	for _, p := range Parcels() {
		specs = append(specs, tracker.Spec{Number: p.Number, Label: p.Label, Carrier: p.Carrier})
	}
	if err := eng.Sync(specs); err != nil {
		return Stats{}, fmt.Errorf("demo: %w", err)
	}
	end := Start.Add(time.Duration(opts.Days) * 24 * time.Hour)
	for t := Start; t.Before(end); t = t.Add(5 * time.Minute) {
		clock.Set(t)
		if err := eng.Tick(ctx); err != nil {
			return Stats{}, fmt.Errorf("demo: %w", err)
		}
		if _, err := eng.Drain(ctx); err != nil {
			return Stats{}, fmt.Errorf("demo: %w", err)
		}
	}
	stats := Stats{Requests: map[string]int{}, Notifications: counter.n}
	for _, name := range reg.Names() {
		stats.Requests[name] = srv.Requests(name)
	}
	for _, p := range Parcels() {
		h, err := st.History(p.Number)
		if err != nil {
			return Stats{}, fmt.Errorf("demo: %w", err)
		}
		stats.Events += len(h)
	}
	return stats, nil
}

// counting counts what it forwards.
type counting struct {
	notify.Notifier
	n int
}

func (c *counting) Send(ctx context.Context, m notify.Message) (bool, error) {
	retry, err := c.Notifier.Send(ctx, m)
	if err == nil {
		c.n++
	}
	return retry, err
}
