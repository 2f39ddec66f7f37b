package tracker

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/internal/daily"
	"github.com/todoku/todoku/store"
)

// Policy decides how often each parcel is polled. The zero value is not
// useful: start from DefaultPolicy.
type Policy struct {
	// Per-state intervals.
	OutForDelivery time.Duration // watch closely: a failed attempt must be seen within minutes
	Failed         time.Duration // just failed: watch for the held / rebooked steps
	AwaitingPickup time.Duration
	InTransit      time.Duration
	Exception      time.Duration
	// InfoReceived and NotFound start at their interval and double after
	// every unchanged poll, up to their Max.
	InfoReceived, InfoReceivedMax time.Duration
	NotFound, NotFoundMax         time.Duration
	// FinalConfirm is the wait before the one confirmation poll after
	// delivered/returned (a 返品 can follow a 配達完了); then polling stops.
	FinalConfirm time.Duration
	FinalChecks  int
	// NotFoundGiveUp stops polling a number that no carrier has known for
	// this long (the "not found too long" notice went out long before; the
	// number is surely mistyped). 0 means never.
	NotFoundGiveUp time.Duration
	// Night is a window with no polls ("23:00"–"06:00"); empty means none.
	NightStart, NightEnd string
	// Location is the time zone of the night window and of the cron
	// schedule; nil means Asia/Tokyo.
	Location *time.Location
	// Jitter spreads polls by up to this fraction of the interval (0.1 = ±10 %).
	Jitter float64
	// Piggyback lets a request that goes out anyway carry parcels due
	// within this fraction of their interval (a batch of 10 costs the
	// carrier the same as a batch of 1).
	Piggyback float64
	// Fixed, when set, polls every parcel at this interval regardless of
	// its state, day and night, and stops at the first final status: the
	// naive policy of popular trackers, kept for the benchmark.
	Fixed time.Duration
}

// DefaultPolicy is todoku's adaptive policy. The config's defaults are
// the same values (a daemon test checks they agree).
func DefaultPolicy() Policy {
	return Policy{
		OutForDelivery:  10 * time.Minute,
		Failed:          30 * time.Minute,
		AwaitingPickup:  3 * time.Hour,
		InTransit:       time.Hour,
		Exception:       2 * time.Hour,
		InfoReceived:    3 * time.Hour,
		InfoReceivedMax: 12 * time.Hour,
		NotFound:        2 * time.Hour,
		NotFoundMax:     24 * time.Hour,
		FinalConfirm:    24 * time.Hour,
		FinalChecks:     1,
		NotFoundGiveUp:  30 * 24 * time.Hour,
		NightStart:      "23:00",
		NightEnd:        "06:00",
		Jitter:          0.1,
		Piggyback:       0.5,
	}
}

// FixedPolicy polls every parcel every d, the way popular trackers do.
func FixedPolicy(d time.Duration) Policy { return Policy{Fixed: d} }

// Validate checks the policy.
func (p Policy) Validate() error {
	if p.Fixed > 0 {
		return nil
	}
	for name, d := range map[string]time.Duration{
		"out_for_delivery": p.OutForDelivery, "failed": p.Failed, "awaiting_pickup": p.AwaitingPickup,
		"in_transit": p.InTransit, "exception": p.Exception, "info_received": p.InfoReceived,
		"not_found": p.NotFound, "final_confirm": p.FinalConfirm,
	} {
		if d < time.Minute {
			return fmt.Errorf("tracker: cadence %s: %v is shorter than one minute", name, d)
		}
	}
	if p.Jitter < 0 || p.Jitter > 0.5 {
		return fmt.Errorf("tracker: jitter %v outside 0..0.5", p.Jitter)
	}
	if err := p.night().Validate(); err != nil {
		return fmt.Errorf("tracker: night: %w", err)
	}
	return nil
}

// interval is the base interval for a parcel in its current state.
func (p Policy) interval(pc store.Parcel) time.Duration {
	if p.Fixed > 0 {
		return p.Fixed
	}
	switch pc.Status {
	case carriers.StatusOutForDelivery:
		return p.OutForDelivery
	case carriers.StatusDeliveryFailed:
		if pc.LastPoll.Sub(pc.LastChange) < justFailed {
			return p.Failed
		}
		return quiet(p.InTransit, pc)
	case carriers.StatusAwaitingPickup:
		return quiet(p.AwaitingPickup, pc)
	case carriers.StatusInTransit:
		return quiet(p.InTransit, pc)
	case carriers.StatusException:
		return quiet(p.Exception, pc)
	case carriers.StatusUnknown:
		// Words todoku does not know: poll like a parcel on its way.
		return quiet(p.InTransit, pc)
	case carriers.StatusDelivered, carriers.StatusReturned:
		return p.FinalConfirm
	case carriers.StatusNotFound, "":
		return backoff(p.NotFound, p.NotFoundMax, pc.LastPoll.Sub(pc.NotFoundSince))
	case carriers.StatusInfoReceived:
		return backoff(p.InfoReceived, p.InfoReceivedMax, pc.LastPoll.Sub(pc.LastChange))
	}
	return p.InTransit
}

// justFailed is how long after a failed attempt the parcel is watched at
// the Failed cadence (for the redelivery booking or the move to the
// office); after that it is polled like a parcel in transit.
const justFailed = 6 * time.Hour

// quietMax caps the interval of a parcel that has had no news for days.
const quietMax = 6 * time.Hour

// quiet stretches base for a parcel whose state has not changed for more
// than a day: it doubles for every further day of silence, up to quietMax
// (a parcel held up for a week need not be asked every hour).
func quiet(base time.Duration, pc store.Parcel) time.Duration {
	if pc.LastChange.IsZero() || base >= quietMax {
		return base
	}
	d := base
	for silent := pc.LastPoll.Sub(pc.LastChange) - 24*time.Hour; silent > 0 && d < quietMax; silent -= 24 * time.Hour {
		d *= 2
	}
	return min(d, quietMax)
}

// backoff doubles base for every base-length period already spent waiting.
func backoff(base, max time.Duration, waited time.Duration) time.Duration {
	d := base
	for waited > d && d < max {
		waited -= d
		d *= 2
	}
	if d > max {
		d = max
	}
	return d
}

// Next returns when pc should next be polled, after a poll at now.
func (p Policy) Next(pc store.Parcel, now time.Time, rng *rand.Rand) time.Time {
	d := p.interval(pc)
	if p.Jitter > 0 && rng != nil {
		d += time.Duration((rng.Float64()*2 - 1) * p.Jitter * float64(d))
	}
	next := now.Add(d)
	if end, ok := p.nightEnd(next); ok {
		// Wake at the end of the night, spread over a few minutes.
		next = end
		if rng != nil {
			next = next.Add(time.Duration(rng.Int64N(int64(10 * time.Minute))))
		}
	}
	return next
}

// Done reports whether polling should stop for pc.
func (p Policy) Done(pc store.Parcel) bool {
	if pc.Status == carriers.StatusNotFound && p.NotFoundGiveUp > 0 && !pc.NotFoundSince.IsZero() &&
		pc.LastPoll.Sub(pc.NotFoundSince) >= p.NotFoundGiveUp {
		return true
	}
	if !pc.Status.Final() {
		return false
	}
	if p.Fixed > 0 {
		return true
	}
	return pc.FinalChecks >= p.FinalChecks
}

// PiggybackWindow is how far ahead a parcel may be polled early to fill a
// batch that is going out anyway.
func (p Policy) PiggybackWindow(pc store.Parcel) time.Duration {
	if p.Fixed > 0 || p.Piggyback <= 0 {
		return 0
	}
	return time.Duration(p.Piggyback * float64(p.interval(pc)))
}

// Night reports whether t (in Tokyo) falls in the no-poll window.
func (p Policy) Night(t time.Time) bool {
	_, ok := p.nightEnd(t)
	return ok
}

// nightEnd returns the end of the night window containing t.
func (p Policy) nightEnd(t time.Time) (time.Time, bool) {
	if p.Fixed > 0 {
		return time.Time{}, false
	}
	return p.night().Until(t, p.location())
}

func (p Policy) night() daily.Window { return daily.Window{Start: p.NightStart, End: p.NightEnd} }

// location is the policy's time zone.
func (p Policy) location() *time.Location {
	if p.Location != nil {
		return p.Location
	}
	return carriers.Tokyo
}
