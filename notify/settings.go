package notify

import (
	"fmt"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/internal/daily"
)

// Priorities as Pushover defines them.
const (
	PriorityLowest    = -2
	PriorityLow       = -1
	PriorityNormal    = 0
	PriorityHigh      = 1
	PriorityEmergency = 2
)

// Pushover's rules for emergency priority.
const (
	MinEmergencyRetry  = 30 * time.Second
	MaxEmergencyExpire = 10800 * time.Second
)

// EventSetting turns one kind of notification on or off and sets its
// priority.
type EventSetting struct {
	Enabled  bool
	Priority int
}

// Settings are the user's notification preferences.
type Settings struct {
	Lang      string             // "ja" (default) or "en"
	PhoneKind carriers.PhoneKind // landline (default) or mobile
	Events    map[Kind]EventSetting
	// QuietStart and QuietEnd are "HH:MM" in Location; equal means no
	// quiet hours.
	QuietStart, QuietEnd string
	// Location is the user's time zone, used for the quiet hours only; nil
	// means Asia/Tokyo. Event times and carrier opening hours in messages
	// are always Asia/Tokyo: they are the Japanese carriers' times.
	Location *time.Location
	// QuietFailure says what urgent news (priority 1, such as a delivery
	// failure) does during quiet hours: "low" (send now with priority -1)
	// or "defer" (wait for QuietEnd). Priority 2 is always sent; priority
	// 0 and below always wait.
	QuietFailure string
	// EmergencyRetry and EmergencyExpire apply to priority 2.
	EmergencyRetry, EmergencyExpire time.Duration
}

// Quiet-failure modes.
const (
	QuietFailureLow   = "low"
	QuietFailureDefer = "defer"
)

// DefaultSettings returns the defaults from the issue: failures, pickups,
// returns and exceptions high; stale and not-found-too-long normal;
// delivered and added-from-mail low; out-for-delivery off; quiet hours 22:00–07:00 (Asia/Tokyo)
// with urgent news (priority 1) sent quietly.
func DefaultSettings() Settings {
	return Settings{
		Lang:      "ja",
		PhoneKind: carriers.PhoneLandline,
		Events: map[Kind]EventSetting{
			KindDeliveryFailed:  {Enabled: true, Priority: PriorityHigh},
			KindAwaitingPickup:  {Enabled: true, Priority: PriorityHigh},
			KindReturned:        {Enabled: true, Priority: PriorityHigh},
			KindException:       {Enabled: true, Priority: PriorityHigh},
			KindStale:           {Enabled: true, Priority: PriorityNormal},
			KindNotFoundTooLong: {Enabled: true, Priority: PriorityNormal},
			KindDelivered:       {Enabled: true, Priority: PriorityLow},
			KindOutForDelivery:  {Enabled: false, Priority: PriorityNormal},
			KindAdded:           {Enabled: true, Priority: PriorityLow},
			KindOperator:        {Enabled: true, Priority: PriorityNormal},
		},
		QuietStart:      "22:00",
		QuietEnd:        "07:00",
		QuietFailure:    QuietFailureLow,
		EmergencyRetry:  time.Minute,
		EmergencyExpire: time.Hour,
	}
}

// Validate checks the language, phone kind, event kinds and priorities,
// the quiet hours, and Pushover's emergency rules (retry ≥ 30 s, expire
// ≤ 10800 s) when any event uses priority 2.
func (s Settings) Validate() error {
	switch s.Lang {
	case "", "ja", "en":
	default:
		return fmt.Errorf("%w: lang %q: want ja or en", ErrSettings, s.Lang)
	}
	switch s.PhoneKind {
	case "", carriers.PhoneLandline, carriers.PhoneMobile, carriers.PhoneEnglish, carriers.PhoneAny:
	default:
		return fmt.Errorf("%w: phone kind %q: want landline or mobile", ErrSettings, s.PhoneKind)
	}
	emergency := false
	for k, e := range s.Events {
		if !k.Valid() {
			return fmt.Errorf("%w: unknown event kind %q", ErrSettings, k)
		}
		if e.Priority < PriorityLowest || e.Priority > PriorityEmergency {
			return fmt.Errorf("%w: %s: priority %d: want -2..2", ErrSettings, k, e.Priority)
		}
		emergency = emergency || (e.Enabled && e.Priority == PriorityEmergency)
	}
	if err := s.quiet().Validate(); err != nil {
		return fmt.Errorf("%w: quiet hours: %w", ErrSettings, err)
	}
	switch s.QuietFailure {
	case "", QuietFailureLow, QuietFailureDefer:
	default:
		return fmt.Errorf("%w: quiet failure %q: want low or defer", ErrSettings, s.QuietFailure)
	}
	if emergency {
		if s.EmergencyRetry < MinEmergencyRetry {
			return fmt.Errorf("%w: emergency retry %s: must be at least 30s", ErrSettings, s.EmergencyRetry)
		}
		if s.EmergencyExpire <= 0 || s.EmergencyExpire > MaxEmergencyExpire {
			return fmt.Errorf("%w: emergency expire %s: must be more than 0 and at most 3h", ErrSettings, s.EmergencyExpire)
		}
	}
	return nil
}

// Plan says whether, when and how a notice is sent.
//
// Send=true: send now with Priority. Send=false with NotBefore set: wait
// until NotBefore (quiet hours) and plan again then. Send=false with a
// zero NotBefore: drop it (the kind is turned off). Reason says why, for
// logs.
type Plan struct {
	Send      bool
	NotBefore time.Time
	Priority  int
	Reason    string
}

// Plan decides what to do with n at now: whether its kind is on, its
// priority, and quiet hours in Settings.Location (Asia/Tokyo when nil).
// During quiet hours the configured priority decides, whatever the kind:
// an emergency (priority 2) is sent; urgent news (priority 1) is sent at
// priority -1 or deferred as QuietFailure says; anything else (priority 0
// or lower) waits until the quiet period ends.
func (s Settings) Plan(n Notice, now time.Time) Plan {
	e, ok := s.Events[n.Kind]
	if !ok {
		if d, dok := DefaultSettings().Events[n.Kind]; dok && s.Events == nil {
			e, ok = d, true
		}
	}
	if !ok || !e.Enabled {
		return Plan{Reason: "disabled"}
	}
	end, quiet := s.quietUntil(now)
	switch {
	case !quiet:
		return Plan{Send: true, Priority: e.Priority, Reason: "enabled"}
	case e.Priority >= PriorityEmergency:
		return Plan{Send: true, Priority: e.Priority, Reason: "emergency during quiet hours"}
	case e.Priority >= PriorityHigh && s.QuietFailure != QuietFailureDefer:
		return Plan{Send: true, Priority: PriorityLow, Reason: "quiet hours: urgent, sent quietly"}
	case e.Priority >= PriorityHigh:
		return Plan{NotBefore: end, Priority: e.Priority, Reason: "quiet hours: urgent, deferred"}
	}
	return Plan{NotBefore: end, Priority: e.Priority, Reason: "quiet hours: deferred"}
}

// location is where the quiet hours are counted.
func (s Settings) location() *time.Location {
	if s.Location != nil {
		return s.Location
	}
	return carriers.Tokyo
}

// quietUntil reports whether now falls in the quiet hours and, if so,
// when they end.
func (s Settings) quietUntil(now time.Time) (time.Time, bool) {
	return s.quiet().Until(now, s.location())
}

func (s Settings) quiet() daily.Window { return daily.Window{Start: s.QuietStart, End: s.QuietEnd} }
