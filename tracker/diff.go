package tracker

import (
	"fmt"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// notifying lists the statuses whose arrival is worth a notice.
var notifying = map[carriers.Status]notify.Kind{
	carriers.StatusDeliveryFailed: notify.KindDeliveryFailed,
	carriers.StatusAwaitingPickup: notify.KindAwaitingPickup,
	carriers.StatusReturned:       notify.KindReturned,
	carriers.StatusException:      notify.KindException,
	carriers.StatusDelivered:      notify.KindDelivered,
	carriers.StatusOutForDelivery: notify.KindOutForDelivery,
}

// diffInput is what diff needs besides the parcel and the result.
type diffInput struct {
	now time.Time
	// known reports whether an event is already stored; when nil,
	// history is searched instead.
	known           func(carriers.Event) bool
	history         []store.StoredEvent
	staleAfter      time.Duration
	notFoundTooLong time.Duration
}

// diff turns a carrier's answer about p into one store.Update: the events
// not yet in history, the parcel's new state and the outbox entries for
// what changed. It never moves a parcel back from a final status (a
// glitchy page cannot undo a delivery), though a return after a delivery
// is accepted. It does not schedule the next poll.
func diff(p store.Parcel, res carriers.Result, in diffInput) store.Update {
	u := store.Update{}
	np := p
	np.LastPoll = in.now
	np.LastError = ""
	if np.Carrier == "" {
		np.Carrier = res.Carrier
		np.Candidates = nil
	}
	if res.Product != "" {
		np.Product = res.Product
	}
	if !res.Office.IsZero() {
		np.Office = res.Office
	}

	known := make(map[string]bool, len(in.history)+len(res.Events))
	for _, e := range in.history {
		known[store.EventID(e.Event)] = true
	}
	var fresh []carriers.Event
	for _, e := range res.Events {
		id := store.EventID(e)
		if !known[id] && (in.known == nil || !in.known(e)) {
			fresh = append(fresh, e)
		}
		known[id] = true
		if e.Time.After(np.LastEvent) {
			np.LastEvent = e.Time
		}
	}
	u.Events = fresh

	status, reason := res.Status, res.Reason
	if !res.Found {
		status, reason = carriers.StatusNotFound, carriers.ReasonNone
	}
	if status == carriers.StatusUnknown && p.Status != "" && p.Status != carriers.StatusNotFound {
		// Words todoku does not know never replace what it knew: a
		// parcel that failed delivery does not become "unknown" because
		// an unfamiliar row follows.
		status, reason = p.Status, p.Reason
	}
	if p.Status.Final() && !allowedFromFinal(p.Status, status) {
		status, reason = p.Status, p.Reason
	}
	if status != p.Status || reason != p.Reason {
		np.LastChange = in.now
		np.FinalChecks = 0
	} else if status.Final() {
		np.FinalChecks = p.FinalChecks + 1
	}
	np.Status, np.Reason = status, reason

	if status == carriers.StatusNotFound {
		if np.NotFoundSince.IsZero() {
			np.NotFoundSince = in.now
		}
	} else {
		np.NotFoundSince = time.Time{}
	}

	// The event that put the parcel in its current status, if it is new.
	// Some pages give a status with no history row behind it (Sagawa's
	// 調査中 with the history removed, a Yamato block with only a state
	// title): the change itself is then the news, keyed by when todoku
	// saw it. The pickup deadline is left to the notifier, which labels
	// its estimate from the carrier's hold period as an estimate.
	if kind, ok := notifying[status]; ok {
		trig, found := trigger(res.Events, status)
		switch {
		case found && isFresh(trig, fresh) && (status != p.Status || reason != p.Reason || trig.Time.After(p.LastChange)):
			// A new row for the status already announced is news only
			// when it happened after the announcement (a second failed
			// attempt); a row that merely catches up with a status first
			// seen without one is not.
			u.Outbox = append(u.Outbox, entry(np, kind, trig, in.now))
		case !found && (status != p.Status || reason != p.Reason):
			ev := carriers.Event{Time: in.now, Status: status, Reason: reason}
			e := entry(np, kind, ev, in.now)
			e.Key = fmt.Sprintf("%s/%s/%s/seen-%d", p.Number, kind, reason, in.now.Unix())
			u.Outbox = append(u.Outbox, e)
		}
	}
	var last carriers.Event
	if len(res.Events) > 0 {
		last = res.Events[len(res.Events)-1]
	}
	u.Outbox = append(u.Outbox, overdue(np, last, in)...)
	u.Parcel = np
	return u
}

// allowedFromFinal reports whether a parcel in final status from may move
// to to: only delivered → returned (a 返品 after a 配達完了).
func allowedFromFinal(from, to carriers.Status) bool {
	return from == to || (from == carriers.StatusDelivered && to == carriers.StatusReturned)
}

// trigger is the newest event with the given status.
func trigger(events []carriers.Event, s carriers.Status) (carriers.Event, bool) {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Status == s {
			return events[i], true
		}
	}
	return carriers.Event{}, false
}

func isFresh(e carriers.Event, fresh []carriers.Event) bool {
	id := store.EventID(e)
	for _, f := range fresh {
		if store.EventID(f) == id {
			return true
		}
	}
	return false
}

// staleWatch lists the statuses in which a long silence is news. A parcel
// held for pickup or flagged as an exception has already been announced
// and is expected to sit still.
var staleWatch = map[carriers.Status]bool{
	"":                            true, // never answered (the carrier is down, or keeps refusing)
	carriers.StatusInfoReceived:   true,
	carriers.StatusInTransit:      true,
	carriers.StatusOutForDelivery: true,
	carriers.StatusDeliveryFailed: true,
	carriers.StatusUnknown:        true,
}

// overdue returns the stale and not-found-too-long notices that are due.
// Their keys carry the moment the condition started, so each condition is
// announced once. A stale notice shows the last event (no news since).
func overdue(p store.Parcel, last carriers.Event, in diffInput) []store.OutboxEntry {
	var out []store.OutboxEntry
	if p.Status == carriers.StatusNotFound && in.notFoundTooLong > 0 && !p.NotFoundSince.IsZero() &&
		in.now.Sub(p.NotFoundSince) >= in.notFoundTooLong {
		e := entry(p, notify.KindNotFoundTooLong, carriers.Event{}, in.now)
		e.Key = fmt.Sprintf("%s/%s/%d", p.Number, notify.KindNotFoundTooLong, p.NotFoundSince.Unix())
		out = append(out, e)
	}
	if staleWatch[p.Status] && in.staleAfter > 0 {
		since := p.LastEvent
		if since.IsZero() {
			since = p.Added
		}
		if !since.IsZero() && in.now.Sub(since) >= in.staleAfter {
			e := entry(p, notify.KindStale, last, in.now)
			e.Key = fmt.Sprintf("%s/%s/%d", p.Number, notify.KindStale, since.Unix())
			out = append(out, e)
		}
	}
	return out
}

func entry(p store.Parcel, kind notify.Kind, e carriers.Event, now time.Time) store.OutboxEntry {
	return store.OutboxEntry{
		Key:       fmt.Sprintf("%s/%s/%s", p.Number, kind, store.EventID(e)),
		Kind:      string(kind),
		Number:    p.Number,
		Carrier:   p.Carrier,
		Label:     p.Label,
		Event:     e,
		Office:    p.Office,
		Product:   p.Product,
		Created:   now,
		NotBefore: now,
	}
}
