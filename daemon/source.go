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
	paused, err := v.paused()
	if err != nil {
		return nil, err
	}
	owned, err := ownedByNumber(v.Store)
	if err != nil {
		return nil, err
	}
	now := v.Now()
	out := make([]api.ParcelView, 0, len(ps))
	for _, p := range ps {
		if p.Archived || hidden(p, owned) {
			continue
		}
		pv, err := v.view(p, false, now, paused)
		if err != nil {
			return nil, err
		}
		setOrigin(&pv, owned)
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
	paused, err := v.paused()
	if err != nil {
		return api.ParcelView{}, false, err
	}
	pv, err := v.view(p, true, v.Now(), paused)
	if err != nil {
		return pv, false, err
	}
	owned, err := ownedByNumber(v.Store)
	setOrigin(&pv, owned)
	return pv, err == nil, err
}

// paused returns the health of the carriers paused for a layout change.
func (v Views) paused() (map[string]store.Health, error) {
	hs, err := v.Store.AllHealth()
	if err != nil {
		return nil, err
	}
	out := map[string]store.Health{}
	for _, h := range hs {
		if h.Paused {
			out[h.Carrier] = h
		}
	}
	return out, nil
}

// loc is the time zone of the texts.
func (v Views) loc() *time.Location {
	if l := v.Composer.Settings.Location; l != nil {
		return l
	}
	return carriers.Tokyo
}

func (v Views) view(p store.Parcel, history bool, now time.Time, paused map[string]store.Health) (api.ParcelView, error) {
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
		// A parcel only an API carrier without a key could know.
		pv.PollNote = tracker.WaitingNote(p)
		if h, ok := paused[askOfParcel(p)]; ok {
			// Not a time in the past: the carrier is paused, and its
			// next check is when this parcel is asked again.
			next := h.NextCheck
			if next.Before(now) {
				next = now
			}
			pv.Paused, pv.NextPoll = true, next
			if lang == "en" {
				pv.PollNote = "paused: page layout changed, next check " + clock(next, now, v.loc())
			} else {
				pv.PollNote = "停止中: ページの形式が変わりました・次の確認 " + clock(next, now, v.loc())
			}
		}
	}
	if p.Carrier != "" {
		if call, ok := v.Composer.Call(p.Carrier, p.Office, now); ok {
			pv.Call = &api.CallView{Number: call.Number, Who: call.Who, Hours: call.Hours, Open: call.Open, OpenText: call.Status}
		}
	}
	if p.Last != nil {
		last := eventView(store.StoredEvent{Event: *p.Last})
		pv.LastEvent = &last
	}
	if history {
		// Only `show` and the parcel page read a whole history; lists
		// use the last event the parcel record carries.
		hist, err := v.Store.History(p.Number)
		if err != nil {
			return pv, err
		}
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

// askOfParcel is the carrier a parcel is asked of next.
func askOfParcel(p store.Parcel) string {
	if p.Carrier != "" {
		return p.Carrier
	}
	if len(p.Candidates) > 0 {
		return p.Candidates[0]
	}
	return ""
}

// Status words by language.
var (
	statusEN = map[carriers.Status]string{
		"": "not checked yet", carriers.StatusInfoReceived: "label created", carriers.StatusInTransit: "in transit",
		carriers.StatusOutForDelivery: "out for delivery", carriers.StatusDeliveryFailed: "delivery failed",
		carriers.StatusAwaitingPickup: "waiting for pickup", carriers.StatusDelivered: "delivered",
		carriers.StatusReturned: "returned to sender", carriers.StatusException: "needs attention",
		carriers.StatusNotFound: "not found (yet)", carriers.StatusUnknown: "unknown",
	}
	statusJA = map[carriers.Status]string{
		"": "未確認", carriers.StatusInfoReceived: "伝票番号発行", carriers.StatusInTransit: "輸送中",
		carriers.StatusOutForDelivery: "配達中", carriers.StatusDeliveryFailed: "不在・持戻り",
		carriers.StatusAwaitingPickup: "保管中（受取待ち）", carriers.StatusDelivered: "配達完了",
		carriers.StatusReturned: "返送", carriers.StatusException: "要確認",
		carriers.StatusNotFound: "未登録", carriers.StatusUnknown: "不明",
	}
)

// StatusText is a parcel's state in words.
func StatusText(lang string, p store.Parcel) string {
	if p.Untrackable {
		if lang == "en" {
			return "not trackable outside the carrier's app"
		}
		return "アプリでのみ追跡可能"
	}
	if lang == "en" {
		return statusEN[p.Status]
	}
	return statusJA[p.Status]
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
	c := s.views().Composer
	h := Health(s.d.store, s.d.engine, c, s.d.version)
	loc := c.Settings.Location
	if loc == nil {
		loc = carriers.Tokyo
	}
	s.d.mailHealth(&h, c.Settings.Lang, loc, time.Now())
	return h, nil
}

func (s source) Reload(ctx context.Context) error { return s.d.Reload(ctx) }

func (s source) Resume(ctx context.Context, carrier string) (bool, error) {
	if _, err := s.d.engine.Registry().Get(carrier); err != nil {
		return false, fmt.Errorf("%w: %s", api.ErrUnknownCarrier, carrier)
	}
	return s.d.engine.Resume(carrier)
}

func (s source) Backup(ctx context.Context, w io.Writer) (int64, error) {
	return s.d.store.Backup(w)
}

// Health reports the scheduler, the store and each carrier's state.
// Status is "unhealthy" when the scheduler or the store does not answer,
// "degraded" (with reasons) when a carrier is paused, failing or slow,
// reads pages with its layout-free reader, or writes to the database
// fail; the watchdog looks only at the engine's heartbeat.
func Health(st *store.Store, eng *tracker.Engine, c notify.Composer, version string) api.HealthView {
	lang := c.Settings.Lang
	h := api.HealthView{OK: true, Status: api.HealthOK, Scheduler: "ok", Store: "ok", Version: version, LastTick: eng.LastTick(), Lang: lang}
	unhealthy := func(reason string) {
		h.Status = api.HealthUnhealthy
		h.Reasons = append(h.Reasons, reason)
	}
	degraded := func(reason string) {
		if h.Status == api.HealthOK {
			h.Status = api.HealthDegraded
		}
		h.Reasons = append(h.Reasons, reason)
	}
	if err := eng.Alive(time.Minute); err != nil {
		h.Scheduler = err.Error()
		unhealthy("scheduler: " + err.Error())
	}
	if err := st.Ping(); err != nil {
		h.Store = err.Error()
		unhealthy("store: " + err.Error())
	}
	if wf, failing := st.WriteFailure(); failing {
		h.Store = fmt.Sprintf("writes failing since %s (%d in a row): %s", wf.Since.Format(time.RFC3339), wf.Count, wf.Err)
		degraded("store: " + h.Store)
	}
	if n, ok := eng.Runtime().Notifier.(interface{ Problem() (string, bool) }); ok {
		if text, held := n.Problem(); held {
			unhealthy("notifications: " + text)
		} else if text != "" {
			degraded("notifications: " + text)
		}
	}
	if answers, notices := eng.Unstored(); answers+notices > 0 {
		degraded(fmt.Sprintf("store: %d poll results and %d notices wait to be written", answers, notices))
	}
	states, err := eng.CarrierStates()
	if err != nil {
		h.Store = err.Error()
		unhealthy("store: " + err.Error())
	}
	loc := c.Settings.Location
	if loc == nil {
		loc = carriers.Tokyo
	}
	now := time.Now()
	for _, cs := range states {
		ct, _ := c.Contacts(cs.Carrier)
		v := api.CarrierHealthView{Carrier: cs.Carrier, Name: ct.Name(lang), State: cs.State, Since: cs.Since, Until: cs.Until,
			Degraded: cs.Degraded, LastError: cs.LastError}
		v.Text = carrierText(lang, cs, now, loc)
		if cs.State != "ok" {
			degraded(cs.Carrier + ": " + carrierText("en", cs, now, loc))
		} else if cs.Degraded {
			degraded(cs.Carrier + ": " + carrierText("en", cs, now, loc))
		}
		h.Carriers = append(h.Carriers, v)
	}
	h.OK = h.Status == api.HealthOK
	return h
}

// carrierText is a carrier's state in words.
func carrierText(lang string, cs tracker.CarrierState, now time.Time, loc *time.Location) string {
	at := func(t time.Time) string { return clock(t, now, loc) }
	en := lang == "en"
	var s string
	switch cs.State {
	case "paused":
		if en {
			s = "paused: page layout changed, next check " + at(cs.Until)
		} else {
			s = "停止中（ページの形式が変わりました）・次の確認 " + at(cs.Until)
		}
	case "failing":
		if en {
			s = "failing since " + at(cs.Since)
		} else {
			s = at(cs.Since) + " から応答なし"
		}
		if !cs.Until.IsZero() {
			if en {
				s += ", next try " + at(cs.Until)
			} else {
				s += "・次の試行 " + at(cs.Until)
			}
		}
	case "slow":
		if en {
			s = fmt.Sprintf("slow (last answer took %s, %d parcels waiting)", cs.LastTook.Round(time.Second), cs.Backlog)
		} else {
			s = fmt.Sprintf("応答が遅い（直近 %s・待ち %d 件）", cs.LastTook.Round(time.Second), cs.Backlog)
		}
	default:
		if en {
			s = "ok"
		} else {
			s = "正常"
		}
	}
	if cs.Degraded {
		if en {
			s += " (page layout changed: reading the page text)"
		} else {
			s += "（ページの形式が変わったため本文から読み取り中）"
		}
	}
	return s
}

// clock formats t as "15:04", with the date when it is not today.
func clock(t, now time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	t, now = t.In(loc), now.In(loc)
	if t.Year() == now.Year() && t.YearDay() == now.YearDay() {
		return t.Format("15:04")
	}
	return t.Format("01-02 15:04")
}
