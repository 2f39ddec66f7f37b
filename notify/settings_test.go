package notify

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

func TestDefaultSettings(t *testing.T) {
	s := DefaultSettings()
	want := map[Kind]EventSetting{
		KindDeliveryFailed:  {true, 1},
		KindAwaitingPickup:  {true, 1},
		KindReturned:        {true, 1},
		KindException:       {true, 1},
		KindStale:           {true, 0},
		KindNotFoundTooLong: {true, 0},
		KindDelivered:       {true, -1},
		KindOutForDelivery:  {false, 0},
	}
	for k, w := range want {
		if got := s.Events[k]; got != w {
			t.Errorf("%s = %+v, want %+v", k, got, w)
		}
	}
	if s.Lang != "ja" || s.PhoneKind != carriers.PhoneLandline || s.QuietStart != "22:00" || s.QuietEnd != "07:00" {
		t.Errorf("defaults = %+v", s)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
}

func TestSettingsValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Settings)
		ok     bool
	}{
		{"defaults", func(*Settings) {}, true},
		{"english", func(s *Settings) { s.Lang = "en" }, true},
		{"french", func(s *Settings) { s.Lang = "fr" }, false},
		{"mobile", func(s *Settings) { s.PhoneKind = carriers.PhoneMobile }, true},
		{"fax", func(s *Settings) { s.PhoneKind = "fax" }, false},
		{"priority 3", func(s *Settings) { s.Events[KindDelivered] = EventSetting{true, 3} }, false},
		{"priority -3", func(s *Settings) { s.Events[KindDelivered] = EventSetting{true, -3} }, false},
		{"unknown kind", func(s *Settings) { s.Events["lost"] = EventSetting{true, 0} }, false},
		{"bad quiet start", func(s *Settings) { s.QuietStart = "25:00" }, false},
		{"bad quiet end", func(s *Settings) { s.QuietEnd = "7" }, false},
		{"half quiet", func(s *Settings) { s.QuietEnd = "" }, false},
		{"no quiet hours", func(s *Settings) { s.QuietStart, s.QuietEnd = "", "" }, true},
		{"quiet failure defer", func(s *Settings) { s.QuietFailure = "defer" }, true},
		{"quiet failure loud", func(s *Settings) { s.QuietFailure = "loud" }, false},
		{"emergency ok", func(s *Settings) {
			s.Events[KindDeliveryFailed] = EventSetting{true, 2}
			s.EmergencyRetry, s.EmergencyExpire = 30*time.Second, 10800*time.Second
		}, true},
		{"emergency retry 29s", func(s *Settings) {
			s.Events[KindDeliveryFailed] = EventSetting{true, 2}
			s.EmergencyRetry = 29 * time.Second
		}, false},
		{"emergency expire too long", func(s *Settings) {
			s.Events[KindDeliveryFailed] = EventSetting{true, 2}
			s.EmergencyExpire = 10801 * time.Second
		}, false},
		{"emergency but disabled", func(s *Settings) {
			s.Events[KindDeliveryFailed] = EventSetting{false, 2}
			s.EmergencyRetry = time.Second
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSettings()
			tt.change(&s)
			err := s.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrSettings) {
				t.Errorf("err = %v, want ErrSettings", err)
			}
		})
	}
}

func tokyo(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, carriers.Tokyo)
}

func TestPlan(t *testing.T) {
	deferred := DefaultSettings()
	deferred.QuietFailure = QuietFailureDefer
	emergency := DefaultSettings()
	emergency.Events[KindReturned] = EventSetting{true, 2}
	noQuiet := DefaultSettings()
	noQuiet.QuietStart, noQuiet.QuietEnd = "07:00", "07:00"
	daytimeQuiet := DefaultSettings()
	daytimeQuiet.QuietStart, daytimeQuiet.QuietEnd = "13:00", "15:00"

	tests := []struct {
		name string
		s    Settings
		kind Kind
		now  time.Time
		want Plan
	}{
		{"failure daytime", DefaultSettings(), KindDeliveryFailed, tokyo(2026, 11, 23, 14, 0), Plan{Send: true, Priority: 1}},
		{"delivered daytime", DefaultSettings(), KindDelivered, tokyo(2026, 11, 23, 14, 0), Plan{Send: true, Priority: -1}},
		{"out for delivery off", DefaultSettings(), KindOutForDelivery, tokyo(2026, 11, 23, 14, 0), Plan{}},
		{"failure at 23:00 sent low", DefaultSettings(), KindDeliveryFailed, tokyo(2026, 11, 23, 23, 0), Plan{Send: true, Priority: -1}},
		{"failure at 23:00 deferred", deferred, KindDeliveryFailed, tokyo(2026, 11, 23, 23, 0), Plan{NotBefore: tokyo(2026, 11, 24, 7, 0), Priority: 1}},
		{"pickup at 22:00 sent low", DefaultSettings(), KindAwaitingPickup, tokyo(2026, 11, 23, 22, 0), Plan{Send: true, Priority: -1}},
		{"pickup at 22:00 deferred", deferred, KindAwaitingPickup, tokyo(2026, 11, 23, 22, 0), Plan{NotBefore: tokyo(2026, 11, 24, 7, 0), Priority: 1}},
		{"delivered at 06:59 waits", DefaultSettings(), KindDelivered, tokyo(2026, 11, 24, 6, 59), Plan{NotBefore: tokyo(2026, 11, 24, 7, 0), Priority: -1}},
		{"stale at 07:00 sent", DefaultSettings(), KindStale, tokyo(2026, 11, 24, 7, 0), Plan{Send: true, Priority: 0}},
		{"21:59 is not quiet", DefaultSettings(), KindReturned, tokyo(2026, 11, 24, 21, 59), Plan{Send: true, Priority: 1}},
		{"emergency ignores quiet hours", emergency, KindReturned, tokyo(2026, 11, 24, 2, 0), Plan{Send: true, Priority: 2}},
		{"equal times: no quiet hours", noQuiet, KindDelivered, tokyo(2026, 11, 24, 3, 0), Plan{Send: true, Priority: -1}},
		{"daytime quiet", daytimeQuiet, KindStale, tokyo(2026, 11, 24, 14, 0), Plan{NotBefore: tokyo(2026, 11, 24, 15, 0), Priority: 0}},
		{"UTC input, Tokyo night", DefaultSettings(), KindStale, time.Date(2026, 11, 23, 14, 30, 0, 0, time.UTC), Plan{NotBefore: tokyo(2026, 11, 24, 7, 0), Priority: 0}},
		{"nil events use defaults", Settings{}, KindDelivered, tokyo(2026, 11, 24, 12, 0), Plan{Send: true, Priority: -1}},
		{"unknown kind dropped", DefaultSettings(), "lost", tokyo(2026, 11, 24, 12, 0), Plan{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.Plan(Notice{Kind: tt.kind}, tt.now)
			if got.Send != tt.want.Send || !got.NotBefore.Equal(tt.want.NotBefore) || got.Priority != tt.want.Priority {
				t.Errorf("Plan = %+v, want %+v", got, tt.want)
			}
			if got.Reason == "" {
				t.Errorf("Plan has no reason")
			}
		})
	}
}

// TestPlanQuietHoursByPriority: during quiet hours what happens depends on
// the configured priority, never on the kind: 2 is always sent, 1 (urgent)
// follows QuietFailure, 0 and below wait for the morning. Outside quiet
// hours everything enabled is sent at its priority.
func TestPlanQuietHoursByPriority(t *testing.T) {
	night := tokyo(2026, 11, 23, 23, 30)
	day := tokyo(2026, 11, 23, 12, 0)
	morning := tokyo(2026, 11, 24, 7, 0)
	type want struct {
		send      bool
		notBefore time.Time
		priority  int
	}
	tests := []struct {
		priority int
		quiet    bool
		mode     string // QuietFailure
		want     want
	}{
		{2, false, QuietFailureLow, want{true, time.Time{}, 2}},
		{2, true, QuietFailureLow, want{true, time.Time{}, 2}},
		{2, true, QuietFailureDefer, want{true, time.Time{}, 2}},
		{1, false, QuietFailureLow, want{true, time.Time{}, 1}},
		{1, false, QuietFailureDefer, want{true, time.Time{}, 1}},
		{1, true, QuietFailureLow, want{true, time.Time{}, -1}},
		{1, true, "", want{true, time.Time{}, -1}},
		{1, true, QuietFailureDefer, want{false, morning, 1}},
		{0, false, QuietFailureLow, want{true, time.Time{}, 0}},
		{0, true, QuietFailureLow, want{false, morning, 0}},
		{0, true, QuietFailureDefer, want{false, morning, 0}},
		{-1, false, QuietFailureLow, want{true, time.Time{}, -1}},
		{-1, true, QuietFailureLow, want{false, morning, -1}},
		{-2, false, QuietFailureDefer, want{true, time.Time{}, -2}},
		{-2, true, QuietFailureLow, want{false, morning, -2}},
	}
	for _, k := range Kinds() {
		for _, tt := range tests {
			now := day
			if tt.quiet {
				now = night
			}
			name := fmt.Sprintf("%s/priority %d/quiet %v/%q", k, tt.priority, tt.quiet, tt.mode)
			t.Run(name, func(t *testing.T) {
				s := DefaultSettings()
				s.QuietFailure = tt.mode
				s.Events[k] = EventSetting{Enabled: true, Priority: tt.priority}
				got := s.Plan(Notice{Kind: k}, now)
				if got.Send != tt.want.send || !got.NotBefore.Equal(tt.want.notBefore) || got.Priority != tt.want.priority {
					t.Errorf("Plan = %+v, want send %v not before %v priority %d", got, tt.want.send, tt.want.notBefore, tt.want.priority)
				}
				if got.Reason == "" {
					t.Errorf("Plan has no reason")
				}
			})
		}
	}
}

// TestPlanLocation: quiet hours follow Settings.Location; nil is Asia/Tokyo.
func TestPlanLocation(t *testing.T) {
	utc := DefaultSettings()
	utc.Location = time.UTC
	minus5 := DefaultSettings()
	minus5.Location = time.FixedZone("UTC-5", -5*3600)
	tests := []struct {
		name string
		s    Settings
		now  time.Time
		want Plan
	}{
		{"nil is Tokyo: 23:00 Tokyo waits", DefaultSettings(), tokyo(2026, 11, 24, 23, 0),
			Plan{NotBefore: tokyo(2026, 11, 25, 7, 0), Priority: 0}},
		{"UTC: 23:00 Tokyo is 14:00 UTC, sent", utc, tokyo(2026, 11, 24, 23, 0), Plan{Send: true, Priority: 0}},
		{"UTC: 23:00 UTC waits until 07:00 UTC", utc, time.Date(2026, 11, 24, 23, 0, 0, 0, time.UTC),
			Plan{NotBefore: time.Date(2026, 11, 25, 7, 0, 0, 0, time.UTC), Priority: 0}},
		{"UTC: 03:00 UTC waits until 07:00 UTC the same day", utc, time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC),
			Plan{NotBefore: time.Date(2026, 11, 24, 7, 0, 0, 0, time.UTC), Priority: 0}},
		{"UTC-5: 12:00 Tokyo is 22:00 the day before there, waits", minus5, tokyo(2026, 11, 24, 12, 0),
			Plan{NotBefore: time.Date(2026, 11, 24, 7, 0, 0, 0, minus5.Location), Priority: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.Plan(Notice{Kind: KindStale}, tt.now)
			if got.Send != tt.want.Send || !got.NotBefore.Equal(tt.want.NotBefore) || got.Priority != tt.want.Priority {
				t.Errorf("Plan = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestComposeTimesStayTokyo: Location moves the quiet hours only; event
// times and carrier opening hours are the carriers' Japanese times.
func TestComposeTimesStayTokyo(t *testing.T) {
	s := DefaultSettings()
	s.Location = time.UTC
	c := Composer{Settings: s, Contacts: Directory(handContacts()...)}
	n := Notice{Kind: KindDeliveryFailed, Carrier: "yamato", Number: "123456789012",
		Event: carriers.Event{Time: tokyo(2026, 11, 24, 14, 2), Raw: "持戻（ご不在）"}}
	tokyoMsg := Composer{Settings: DefaultSettings(), Contacts: Directory(handContacts()...)}.Compose(n, tokyo(2026, 11, 24, 15, 0))
	m := c.Compose(n, tokyo(2026, 11, 24, 15, 0))
	if !strings.Contains(m.Body, "14:02") || m.Body != tokyoMsg.Body {
		t.Errorf("body with Location UTC:\n%s\nwant the Tokyo text:\n%s", m.Body, tokyoMsg.Body)
	}
}
