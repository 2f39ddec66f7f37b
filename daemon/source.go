package daemon

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
	"github.com/todoku/todoku/tracker"
)

// Views builds what `todoku list/show` and the status page display from
// the store, with the number to call worked out by the notifier's rules.
type Views struct {
	Store    *store.Store
	Composer notify.Composer
	Now      func() time.Time
}

// Parcels lists every parcel that is tracked or still has history, newest
// activity first.
func (v Views) Parcels(ctx context.Context) ([]api.ParcelView, error) {
	ps, err := v.Store.Parcels()
	if err != nil {
		return nil, err
	}
	now := v.Now()
	out := make([]api.ParcelView, 0, len(ps))
	for _, p := range ps {
		if p.Archived {
			continue
		}
		pv, err := v.view(p, false, now)
		if err != nil {
			return nil, err
		}
		out = append(out, pv)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Tracked != out[j].Tracked {
			return out[i].Tracked
		}
		return lastTime(out[i]).After(lastTime(out[j]))
	})
	return out, ctx.Err()
}

func lastTime(p api.ParcelView) time.Time {
	if p.LastEvent == nil {
		return time.Time{}
	}
	return p.LastEvent.Time
}

// Parcel returns one parcel with its history; number may be in any pasted form.
func (v Views) Parcel(ctx context.Context, number string) (api.ParcelView, bool, error) {
	n, _ := carriers.Normalize(number)
	p, ok, err := v.Store.Parcel(n)
	if err != nil || !ok {
		return api.ParcelView{}, false, err
	}
	pv, err := v.view(p, true, v.Now())
	return pv, err == nil, err
}

func (v Views) view(p store.Parcel, history bool, now time.Time) (api.ParcelView, error) {
	lang := v.Composer.Settings.Lang
	ct, _ := v.Composer.Contacts(p.Carrier)
	pv := api.ParcelView{
		Number:      p.Number,
		Display:     carriers.Display(p.Carrier, p.Number),
		Label:       p.Label,
		Carrier:     p.Carrier,
		CarrierName: ct.Name(lang),
		Status:      string(p.Status),
		Reason:      string(p.Reason),
		StatusText:  StatusText(lang, p),
		Office:      p.Office.Name,
		LastError:   p.LastError,
		Tracked:     p.Tracked,
		Done:        p.Done,
		URL:         ct.Tracking(p.Number),
	}
	if p.Carrier == "" {
		pv.CarrierName = fmt.Sprint(p.Candidates)
	}
	if p.Tracked && !p.Done {
		pv.NextPoll = p.NextDue
	}
	if p.Carrier != "" {
		if call, ok := v.Composer.Call(p.Carrier, p.Office, now); ok {
			pv.Call = &api.CallView{Number: call.Number, Who: call.Who, Hours: call.Hours, Open: call.Open, OpenText: call.Status}
		}
	}
	hist, err := v.Store.History(p.Number)
	if err != nil {
		return pv, err
	}
	if len(hist) > 0 {
		last := eventView(hist[len(hist)-1])
		pv.LastEvent = &last
	}
	if history {
		pv.History = make([]api.EventView, len(hist))
		for i, e := range hist {
			pv.History[i] = eventView(e)
		}
	}
	return pv, nil
}

func eventView(e store.StoredEvent) api.EventView {
	return api.EventView{Time: e.Time, Status: string(e.Status), Reason: string(e.Reason), Raw: e.Raw, Location: e.Location}
}

// StatusText is a parcel's state in words.
func StatusText(lang string, p store.Parcel) string {
	if p.Untrackable {
		if lang == "en" {
			return "not trackable outside the carrier's app"
		}
		return "アプリでのみ追跡可能"
	}
	en := map[carriers.Status]string{
		"": "not checked yet", carriers.StatusInfoReceived: "label created", carriers.StatusInTransit: "in transit",
		carriers.StatusOutForDelivery: "out for delivery", carriers.StatusDeliveryFailed: "delivery failed",
		carriers.StatusAwaitingPickup: "waiting for pickup", carriers.StatusDelivered: "delivered",
		carriers.StatusReturned: "returned to sender", carriers.StatusException: "needs attention",
		carriers.StatusNotFound: "not found (yet)", carriers.StatusUnknown: "unknown",
	}
	ja := map[carriers.Status]string{
		"": "未確認", carriers.StatusInfoReceived: "伝票番号発行", carriers.StatusInTransit: "輸送中",
		carriers.StatusOutForDelivery: "配達中", carriers.StatusDeliveryFailed: "不在・持戻り",
		carriers.StatusAwaitingPickup: "保管中（受取待ち）", carriers.StatusDelivered: "配達完了",
		carriers.StatusReturned: "返送", carriers.StatusException: "要確認",
		carriers.StatusNotFound: "未登録", carriers.StatusUnknown: "不明",
	}
	if lang == "en" {
		return en[p.Status]
	}
	return ja[p.Status]
}

// source is the daemon's api.Source.
type source struct {
	d *Daemon
}

var _ api.Source = source{}

func (s source) views() Views {
	return Views{Store: s.d.store, Composer: s.d.engine.Runtime().Composer, Now: time.Now}
}

func (s source) Parcels(ctx context.Context) ([]api.ParcelView, error) {
	return s.views().Parcels(ctx)
}

func (s source) Parcel(ctx context.Context, number string) (api.ParcelView, bool, error) {
	return s.views().Parcel(ctx, number)
}

func (s source) Health(ctx context.Context) (api.HealthView, error) {
	return Health(s.d.store, s.d.engine, s.views().Composer, s.d.version), nil
}

func (s source) Reload(ctx context.Context) error { return s.d.Reload(ctx) }

func (s source) Backup(ctx context.Context, w io.Writer) (int64, error) {
	return s.d.store.Backup(w)
}

// Health reports the scheduler, the store and each carrier's state.
func Health(st *store.Store, eng *tracker.Engine, c notify.Composer, version string) api.HealthView {
	h := api.HealthView{OK: true, Scheduler: "ok", Store: "ok", Version: version, LastTick: eng.LastTick()}
	if err := eng.Alive(time.Minute); err != nil {
		h.OK, h.Scheduler = false, err.Error()
	}
	if err := st.Ping(); err != nil {
		h.OK, h.Store = false, err.Error()
	}
	hs, err := st.AllHealth()
	if err != nil {
		h.OK, h.Store = false, err.Error()
	}
	now := time.Now()
	for _, ch := range hs {
		ct, _ := c.Contacts(ch.Carrier)
		v := api.CarrierHealthView{Carrier: ch.Carrier, Name: ct.Name(c.Settings.Lang), State: "ok", LastError: ch.LastError}
		switch {
		case ch.Paused:
			v.State = "broken"
		case ch.BreakerOpen && now.Before(ch.BreakerUntil):
			v.State, v.Until = "paused", ch.BreakerUntil
		case now.Before(ch.CooldownUntil):
			v.State, v.Until = "backoff", ch.CooldownUntil
		}
		h.Carriers = append(h.Carriers, v)
	}
	return h
}
