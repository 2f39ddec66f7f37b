package daemon_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/carriers/fake"
)

// trigger makes the daemon pick up the config file just written (or, for
// the file-replacing triggers, writes it).
type trigger struct {
	name  string
	watch bool
	// apply writes s and makes the daemon reload it; it returns the error
	// a synchronous trigger (the API) reports, nil otherwise.
	apply func(in *instance, s setup) error
}

var triggers = []trigger{
	{name: "SIGHUP", apply: func(in *instance, s setup) error {
		in.write(s)
		in.reload <- syscall.SIGHUP
		return nil
	}},
	{name: "watch rename into place", watch: true, apply: func(in *instance, s setup) error {
		in.rename(s)
		return nil
	}},
	{name: "watch truncate and write", watch: true, apply: func(in *instance, s setup) error {
		in.write(s)
		return nil
	}},
	{name: "POST /api/reload", apply: func(in *instance, s setup) error {
		in.write(s)
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		return in.client.Reload(ctx)
	}},
}

// TestReload edits the config through every trigger: a good edit adds,
// removes and relabels parcels; a bad edit keeps the running config.
func TestReload(t *testing.T) {
	for _, tr := range triggers {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			site := newCarrierSite(t)
			a, b, c, d := trackingNumber(10), trackingNumber(11), trackingNumber(12), trackingNumber(13)
			site.delivered("yamato", a)
			site.delivered("japanpost", b)
			site.delivered("sagawa", c)
			s := setup{Site: site, Parcels: []parcel{{a, "lens", "yamato"}, {b, "ink", "japanpost"}}}
			in := newInstance(t, s).start(options{watch: tr.watch})

			// Both parcels are polled at start-up.
			var histB int
			in.eventually("start-up polls", func() error {
				pb, err := in.parcel(b)
				if err != nil {
					return err
				}
				pa, err := in.parcel(a)
				if err != nil {
					return err
				}
				if len(pa.History) == 0 || len(pb.History) == 0 {
					return fmt.Errorf("history of a: %d events, b: %d; want both polled", len(pa.History), len(pb.History))
				}
				histB = len(pb.History)
				return nil
			})

			// A good edit: a relabelled, b removed, c added.
			good := setup{Parcels: []parcel{{a, "lens (50mm)", "yamato"}, {c, "book", "sagawa"}}}
			if err := tr.apply(in, good); err != nil {
				t.Fatalf("good reload: %v", err)
			}
			in.eventually("good edit applied", func() error {
				ps, err := in.parcels()
				if err != nil {
					return err
				}
				switch {
				case ps[a].Label != "lens (50mm)":
					return fmt.Errorf("label of a = %q, want %q", ps[a].Label, "lens (50mm)")
				case !ps[c].Tracked:
					return fmt.Errorf("c = %+v, want it listed and tracked", ps[c])
				case ps[b].Number != b || ps[b].Tracked:
					return fmt.Errorf("b = %+v, want it listed with tracked false", ps[b])
				}
				return nil
			})
			pb, err := in.parcel(b)
			if err != nil || len(pb.History) != histB {
				t.Errorf("removed parcel b: %d events, err %v; want its %d events kept", len(pb.History), err, histB)
			}
			// The added parcel starts being tracked: polled at its carrier.
			in.eventually("added parcel polled", func() error {
				pc, err := in.parcel(c)
				if err != nil {
					return err
				}
				if len(pc.History) == 0 || pc.Carrier != "sagawa" {
					return fmt.Errorf("c: carrier %q, %d events; want polled at sagawa", pc.Carrier, len(pc.History))
				}
				return nil
			})

			// A bad edit: d added, but an order number where a tracking
			// number belongs.
			failedBefore := strings.Count(in.logs.String(), "config reload failed")
			bad := setup{Parcels: []parcel{{a, "renamed", "yamato"}, {d, "new", ""}, {"250-1234567-1234567", "order", ""}}}
			err = tr.apply(in, bad)
			if tr.name == "POST /api/reload" {
				if !errors.Is(err, api.ErrReloadRejected) || !strings.Contains(err.Error(), "config.yaml:") ||
					!strings.Contains(err.Error(), "order number") {
					t.Fatalf("bad reload: err = %v, want ErrReloadRejected naming config.yaml:line and the order number", err)
				}
			} else {
				in.eventually("bad edit rejected", func() error {
					if n := strings.Count(in.logs.String(), "config reload failed"); n <= failedBefore {
						return errors.New("no \"config reload failed\" in the log")
					}
					return nil
				})
			}
			// The running config is untouched and its schedule keeps firing.
			h0, err := in.health()
			if err != nil {
				t.Fatal(err)
			}
			in.eventually("ticks after the bad edit", func() error {
				h, err := in.health()
				if err != nil {
					return err
				}
				if !h.LastTick.After(h0.LastTick) {
					return fmt.Errorf("last tick %v, not after %v", h.LastTick, h0.LastTick)
				}
				return nil
			})
			ps, err := in.parcels()
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := ps[d]; ok {
				t.Errorf("parcel d of the rejected file is listed: %+v", ps[d])
			}
			if ps[a].Label != "lens (50mm)" || !ps[a].Tracked || !ps[c].Tracked {
				t.Errorf("after the bad edit a = %+v, c = %+v; want the running config's labels and tracking", ps[a], ps[c])
			}
			if got := site.Asked("yamato") + site.Asked("japanpost") + site.Asked("sagawa"); got == 0 {
				t.Errorf("fake carriers were asked %d numbers, want the running parcels polled", got)
			}
		})
	}
}

// TestBadEditKeepsPolling checks that a rejected edit leaves the running
// config's parcels being polled and its schedule firing: Sagawa takes one
// number per request, so with a request spacing of 300ms ten parcels keep
// the fake site busy for seconds across the bad edit, and the bad file's
// hourly schedule must not replace the running one.
func TestBadEditKeepsPolling(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	s := setup{Site: site, Interval: 300 * time.Millisecond}
	for i := range 10 {
		n := trackingNumber(100 + i)
		site.delivered("sagawa", n)
		s.Parcels = append(s.Parcels, parcel{n, fmt.Sprintf("box %d", i), "sagawa"})
	}
	in := newInstance(t, s).start(options{})
	in.eventually("first poll", func() error {
		if site.Requests("sagawa") == 0 {
			return errors.New("sagawa not asked yet")
		}
		return nil
	})
	bad := setup{Schedule: "@every 1h", Interval: time.Second, Parcels: s.Parcels[:1], Extra: "unknown_key: true\n"}
	in.write(bad)
	in.reload <- syscall.SIGHUP
	in.eventually("bad edit rejected", func() error {
		if !strings.Contains(in.logs.String(), "config reload failed") {
			return errors.New("no \"config reload failed\" in the log")
		}
		return nil
	})
	asked := site.Requests("sagawa")
	if asked >= len(s.Parcels) {
		t.Skipf("all %d parcels were polled before the reload was rejected (machine too slow for this check)", asked)
	}
	in.eventually("old parcels still polled", func() error {
		if got := site.Requests("sagawa"); got <= asked {
			return fmt.Errorf("sagawa requests = %d, want more than %d", got, asked)
		}
		return nil
	})
	// Two ticks after the polling round prove the 1 s schedule still runs.
	var ticks []time.Time
	in.eventually("two ticks", func() error {
		h, err := in.health()
		if err != nil {
			return err
		}
		if h.LastTick.IsZero() || (len(ticks) > 0 && !h.LastTick.After(ticks[len(ticks)-1])) {
			return errors.New("no new tick")
		}
		ticks = append(ticks, h.LastTick)
		if len(ticks) < 3 {
			return fmt.Errorf("%d ticks seen", len(ticks))
		}
		return nil
	})
	ps, err := in.parcels()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range s.Parcels {
		if !ps[p.Number].Tracked {
			t.Errorf("parcel %s = %+v, want tracked (the rejected file removed it)", p.Number, ps[p.Number])
		}
	}
}

// TestReloadRejected sends files that must not be swapped in, each through
// POST /api/reload, to one running daemon: the caller gets the reason,
// and the running parcels, labels and tracking stay as they were.
func TestReloadRejected(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	a, b := trackingNumber(50), trackingNumber(51)
	site.delivered("yamato", a)
	running := setup{Site: site, Parcels: []parcel{{a, "lens", "yamato"}}}
	in := newInstance(t, running).start(options{})
	added := []parcel{{a, "renamed", "yamato"}, {b, "new", ""}}

	tests := []struct {
		name string
		s    setup
		file func(path string) error // replaces the written file, when set
		want []string
	}{
		{name: "unknown key", s: setup{Parcels: added, Extra: "colour: blue\n"},
			want: []string{"config.yaml:", "colour", "unknown key"}},
		{name: "order number as a parcel", s: setup{Parcels: append(added, parcel{"250-1234567-1234567", "order", ""})},
			want: []string{"config.yaml:", "250-1234567-1234567"}},
		{name: "carrier the number cannot belong to", s: setup{Parcels: append(added, parcel{"DA1234567890", "amazon", "yamato"})},
			want: []string{"config.yaml:", "carrier"}},
		{name: "bad schedule", s: setup{Parcels: added, Schedule: "every five minutes"},
			want: []string{"config.yaml:", "schedule"}},
		// The config accepts a 30 s cadence; the tracker's policy does not.
		// The runtime is built, and refused, before anything is swapped.
		{name: "runtime refuses the cadence", s: setup{Parcels: added, Extra: "cadence:\n  in_transit: 30s\n"},
			want: []string{"config.yaml", "in_transit"}},
		{name: "file removed", s: setup{Parcels: added}, file: os.Remove,
			want: []string{"config.yaml"}},
		{name: "not yaml", s: setup{Parcels: added}, file: func(path string) error {
			return os.WriteFile(path, []byte("parcels: [\n\t- oops"), 0o600)
		}, want: []string{"config.yaml:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in.write(tt.s)
			if tt.file != nil {
				if err := tt.file(in.cfgPath); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			err := in.client.Reload(ctx)
			if !errors.Is(err, api.ErrReloadRejected) {
				t.Fatalf("Reload = %v, want ErrReloadRejected", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Reload error %q does not mention %q", err, w)
				}
			}
			ps, err := in.parcels()
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 1 || ps[a].Label != "lens" || !ps[a].Tracked {
				t.Errorf("parcels after the rejected reload = %+v, want only %s labelled lens, tracked", ps, a)
			}
		})
	}
	// The running config still reloads: restoring the file is accepted.
	in.write(running)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := in.client.Reload(ctx); err != nil {
		t.Fatalf("Reload of the running file = %v, want nil", err)
	}
}

// TestWatchEditDuringStart edits the file after the daemon read it but
// before its watch began: the edit must still be picked up.
func TestWatchEditDuringStart(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	a, b := trackingNumber(60), trackingNumber(61)
	in := newInstance(t, setup{Site: site, Parcels: []parcel{{a, "lens", "yamato"}}})
	// Listening is called before the watch starts.
	in.start(options{watch: true, listening: func(string) {
		in.write(setup{Parcels: []parcel{{a, "lens", "yamato"}, {b, "added while starting", ""}}})
	}})
	in.eventually("edit made during start-up applied", func() error {
		ps, err := in.parcels()
		if err != nil {
			return err
		}
		if !ps[b].Tracked || ps[b].Label != "added while starting" {
			return fmt.Errorf("parcel b = %+v, want it tracked with its label", ps[b])
		}
		return nil
	})
}

// TestEndToEnd follows a parcel from the config file to the console
// notifier and the API.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	a := trackingNumber(70)
	site.Add(fake.Timeline("yamato", a, fake.Held, time.Now().Add(-50*time.Hour)))
	in := newInstance(t, setup{Site: site, Parcels: []parcel{{a, "camera lens", ""}}}).start(options{})
	in.eventually("parcel found and notified", func() error {
		p, err := in.parcel(a)
		if err != nil {
			return err
		}
		if p.Carrier != "yamato" || p.Status != "awaiting_pickup" || len(p.History) == 0 {
			return fmt.Errorf("parcel = carrier %q, status %q, %d events; want yamato, awaiting_pickup", p.Carrier, p.Status, len(p.History))
		}
		out, err := os.ReadFile(in.out)
		if err != nil {
			return err
		}
		if !strings.Contains(string(out), "camera lens") {
			return fmt.Errorf("console output %q does not name the parcel's label", out)
		}
		return nil
	})
	if site.Asked("yamato") == 0 {
		t.Error("the fake Yamato site was never asked")
	}
}
