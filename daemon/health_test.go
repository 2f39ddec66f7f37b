package daemon_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/store"
)

// A parcel whose carrier is paused shows why and the next check, never a
// poll time in the past; in the configured language only.
func TestViewsPausedCarrier(t *testing.T) {
	st := openStore(t)
	paused, other := trackingNumber(300), trackingNumber(301)
	putParcel(t, st, store.Parcel{Number: paused, Carrier: "yamato", Tracked: true, Status: carriers.StatusInTransit, NextDue: viewNow.Add(-2 * time.Hour)}, viewNow.Add(-3*time.Hour))
	putParcel(t, st, store.Parcel{Number: other, Carrier: "sagawa", Tracked: true, Status: carriers.StatusInTransit, NextDue: viewNow.Add(time.Hour)}, viewNow.Add(-3*time.Hour))
	next := viewNow.Add(90 * time.Minute)
	if err := st.PutHealth(store.Health{Carrier: "yamato", Paused: true, PausedAt: viewNow.Add(-time.Hour), NextCheck: next, PausedReason: "layout"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, want, not string }{
		{"en", "paused: page layout changed, next check 16:30", "停止"},
		{"ja", "停止中: ページの形式が変わりました・次の確認 16:30", "paused"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			ps, err := views(st, tc.lang).Parcels(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				switch p.Number {
				case paused:
					if !p.Paused || p.PollNote != tc.want || !p.NextPoll.Equal(next) {
						t.Errorf("paused parcel: paused %v, note %q, next %v; want %q at %v", p.Paused, p.PollNote, p.NextPoll, tc.want, next)
					}
					if strings.Contains(p.PollNote, tc.not) {
						t.Errorf("note %q mixes languages", p.PollNote)
					}
				case other:
					if p.Paused || p.PollNote != "" {
						t.Errorf("parcel of a working carrier: paused %v, note %q", p.Paused, p.PollNote)
					}
				}
			}
			p, ok, err := views(st, tc.lang).Parcel(context.Background(), paused)
			if err != nil || !ok || p.PollNote != tc.want {
				t.Errorf("Parcel: note %q, %v, %v; want %q", p.PollNote, ok, err, tc.want)
			}
		})
	}
}

// The real daemon against a carrier whose page layout changed: health
// says degraded (and /healthz 503) with the carrier paused until its next
// check; `todoku resume` through the API re-checks at once and, the page
// fixed, polling resumes and health is ok again.
func TestHealthPausedCarrierAndResume(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	n := trackingNumber(310)
	site.delivered("yamato", n)
	site.SetFault("yamato", fake.Fault{Kind: fake.FaultLayout})
	in := newInstance(t, setup{Site: site, Parcels: []parcel{{n, "lens", "yamato"}}}).start(options{noWait: true})
	in.eventually("health degraded with yamato paused", func() error {
		h, err := in.health()
		if err != nil {
			return err
		}
		if h.Status != api.HealthDegraded || h.OK {
			return fmt.Errorf("status %q (ok %v), reasons %v", h.Status, h.OK, h.Reasons)
		}
		for _, c := range h.Carriers {
			if c.Carrier == "yamato" && c.State == "paused" && c.Until.After(time.Now()) && strings.Contains(c.Text, "次の確認") {
				return nil
			}
		}
		return fmt.Errorf("carriers %+v, want yamato paused with its next check", h.Carriers)
	})
	if err := healthz(in.addr); err == nil || !strings.Contains(err.Error(), "degraded") {
		t.Errorf("healthz = %v, want 503 degraded", err)
	}
	if p, err := in.parcel(n); err != nil || !p.Paused || !strings.Contains(p.PollNote, "次の確認") {
		t.Errorf("parcel: paused %v note %q err %v; want the pause and next check", p.Paused, p.PollNote, err)
	}
	site.SetFault("yamato", fake.Fault{})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if held, err := in.client.Resume(ctx, "yamato"); err != nil || !held {
		t.Fatalf("Resume = %v, %v; want true", held, err)
	}
	if _, err := in.client.Resume(ctx, "no-such-carrier"); err == nil {
		t.Error("Resume of an unknown carrier succeeded")
	}
	in.eventually("polling resumed and health ok", func() error {
		p, err := in.parcel(n)
		if err != nil {
			return err
		}
		if p.Status == "" || p.Paused {
			return fmt.Errorf("parcel status %q paused %v", p.Status, p.Paused)
		}
		return healthz(in.addr)
	})
}
