package daemon_test

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
	"github.com/todoku/todoku/tracker"
)

// loadConfig decodes a config from text (database in a temp dir).
func loadConfig(t *testing.T, text string) *config.Config {
	t.Helper()
	cfg, err := config.Load([]byte("database: " + t.TempDir() + "/todoku.db\n" + text))
	if err != nil {
		t.Fatalf("config.Load: %v\n%s", err, text)
	}
	return cfg
}

const consoleConfig = "notify:\n  notifier: console\n"

// TestRuntime checks what a config turns into, and which configs the
// runtime refuses although the config package accepts them.
func TestRuntime(t *testing.T) {
	number := trackingNumber(90)
	injected := notify.NewConsole(io.Discard, true)
	tests := []struct {
		name    string
		text    string
		opts    daemon.RuntimeOptions
		wantErr string
		check   func(t *testing.T, rt *tracker.Runtime)
	}{
		{
			name: "console defaults",
			text: consoleConfig + "schedule: \"@every 2m\"\ncarriers:\n  yamato:\n    interval: 20s\n    burst: 3\n",
			opts: daemon.RuntimeOptions{Console: io.Discard},
			check: func(t *testing.T, rt *tracker.Runtime) {
				if rt.Schedule != "@every 2m" {
					t.Errorf("Schedule = %q, want @every 2m", rt.Schedule)
				}
				if l := rt.Limits["yamato"]; l.Interval != 20*time.Second || l.Burst != 3 {
					t.Errorf("yamato limit = %+v, want 20s burst 3", l)
				}
				if l := rt.Limits["sagawa"]; l.Interval != 10*time.Second || l.Burst != 1 {
					t.Errorf("sagawa limit = %+v, want the default 10s burst 1", l)
				}
				if _, ok := rt.Notifier.(*notify.Console); !ok {
					t.Errorf("Notifier = %T, want *notify.Console", rt.Notifier)
				}
				if rt.StaleAfter != 72*time.Hour || rt.ArchiveAfter != 720*time.Hour {
					t.Errorf("StaleAfter, ArchiveAfter = %v, %v; want 72h, 720h", rt.StaleAfter, rt.ArchiveAfter)
				}
			},
		},
		{
			name: "injected notifier",
			text: "notify:\n  pushover:\n    token: azGDORePK8gMaC0QOYAMyEEuzJnyUi\n    user: uQiRzpo4DXghDmr9QzzfQu27cmVRsG\n",
			opts: daemon.RuntimeOptions{Notifier: injected},
			check: func(t *testing.T, rt *tracker.Runtime) {
				if rt.Notifier != notify.Notifier(injected) {
					t.Errorf("Notifier = %T, want the injected one", rt.Notifier)
				}
			},
		},
		{
			name: "pushover",
			text: "notify:\n  lang: en\n  pushover:\n    token: azGDORePK8gMaC0QOYAMyEEuzJnyUi\n    user: uQiRzpo4DXghDmr9QzzfQu27cmVRsG\n",
			check: func(t *testing.T, rt *tracker.Runtime) {
				if _, ok := rt.Notifier.(*notify.Pushover); !ok {
					t.Errorf("Notifier = %T, want *notify.Pushover", rt.Notifier)
				}
				if rt.Composer.Settings.Lang != "en" {
					t.Errorf("Lang = %q, want en", rt.Composer.Settings.Lang)
				}
			},
		},
		{
			name: "per-parcel events",
			text: consoleConfig + "parcels:\n  - number: " + number + "\n    events:\n      delivered:\n        enabled: false\n",
			opts: daemon.RuntimeOptions{Console: io.Discard},
			check: func(t *testing.T, rt *tracker.Runtime) {
				ps, ok := rt.ParcelSettings[number]
				if !ok || ps.Events[notify.KindDelivered].Enabled {
					t.Errorf("parcel settings = %+v, %v; want delivered off", ps.Events[notify.KindDelivered], ok)
				}
				if !rt.Composer.Settings.Events[notify.KindDelivered].Enabled {
					t.Error("base settings: delivered off, want the default (on)")
				}
			},
		},
		{name: "console without output", text: consoleConfig, wantErr: "console notifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rt, err := daemon.Runtime(loadConfig(t, tt.text), tt.opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Runtime err = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Runtime: %v", err)
			}
			tt.check(t, rt)
		})
	}
}

func TestPolicy(t *testing.T) {
	tests := []struct {
		name           string
		text           string
		wantTransit    time.Duration
		wantNightStart string
	}{
		{name: "defaults", text: "", wantTransit: time.Hour, wantNightStart: "23:00"},
		{name: "set", text: "cadence:\n  in_transit: 2h\nnight:\n  start: \"22:30\"\n  end: \"05:00\"\n", wantTransit: 2 * time.Hour, wantNightStart: "22:30"},
		{name: "no night", text: "night: ~\n", wantTransit: time.Hour, wantNightStart: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := daemon.Policy(loadConfig(t, consoleConfig+tt.text))
			if p.InTransit != tt.wantTransit || p.NightStart != tt.wantNightStart {
				t.Errorf("Policy: in transit %v, night from %q; want %v, %q", p.InTransit, p.NightStart, tt.wantTransit, tt.wantNightStart)
			}
			if err := p.Validate(); err != nil {
				t.Errorf("Policy.Validate: %v", err)
			}
		})
	}
}

func TestSettings(t *testing.T) {
	yes, prio := true, 2
	base := notify.DefaultSettings()
	got := daemon.Settings(nil, base, map[string]config.EventConfig{
		"out_for_delivery": {Enabled: &yes},
		"delivered":        {Priority: &prio},
	})
	tests := []struct {
		kind notify.Kind
		want notify.EventSetting
	}{
		{notify.KindOutForDelivery, notify.EventSetting{Enabled: true, Priority: base.Events[notify.KindOutForDelivery].Priority}},
		{notify.KindDelivered, notify.EventSetting{Enabled: base.Events[notify.KindDelivered].Enabled, Priority: 2}},
		{notify.KindDeliveryFailed, base.Events[notify.KindDeliveryFailed]},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			if got.Events[tt.kind] != tt.want {
				t.Errorf("Events[%s] = %+v, want %+v", tt.kind, got.Events[tt.kind], tt.want)
			}
		})
	}
	if base.Events[notify.KindOutForDelivery].Enabled {
		t.Error("Settings changed the base settings' map")
	}
}

func TestContacts(t *testing.T) {
	cfg := loadConfig(t, consoleConfig+`carriers:
  yamato:
    contacts:
      phones:
        - number: 0120-11-2222
          kind: landline
      redelivery_url: https://www.kuronekoyamato.co.jp/other
`)
	byName := map[string]carriers.Contacts{}
	for _, c := range daemon.Contacts(cfg) {
		byName[c.Carrier] = c
	}
	y := byName["yamato"]
	if len(y.Phones) != 1 || y.Phones[0].Number != "0120-11-2222" || y.RedeliveryURL != "https://www.kuronekoyamato.co.jp/other" {
		t.Errorf("yamato contacts = phones %+v, redelivery %q; want the override", y.Phones, y.RedeliveryURL)
	}
	if y.TrackingURL == "" || y.NameJA == "" {
		t.Errorf("yamato contacts lost the built-in tracking URL or name: %+v", y)
	}
	if s := byName["sagawa"]; len(s.Phones) == 0 || s.Phones[0].Number == "0120-11-2222" {
		t.Errorf("sagawa phones = %+v, want the built-in ones", s.Phones)
	}
	reg, err := daemon.Registry(cfg, &http.Client{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ct, ok := reg.Contacts("yamato"); !ok || ct.Phones[0].Number != "0120-11-2222" {
		t.Errorf("registry contacts for yamato = %+v, %v; want the override", ct.Phones, ok)
	}
}

func TestSpecs(t *testing.T) {
	a, b := trackingNumber(91), trackingNumber(92)
	cfg := loadConfig(t, consoleConfig+"parcels:\n  - number: "+a+"\n    label: x\n    carrier: sagawa\n  - number: \""+b[:4]+"-"+b[4:8]+"-"+b[8:]+"\"\n")
	specs := daemon.Specs(cfg)
	if len(specs) != 2 {
		t.Fatalf("Specs = %+v, want 2", specs)
	}
	if s := specs[0]; s.Number != a || s.Label != "x" || s.Carrier != "sagawa" || !slices.Equal(s.Candidates, []string{"sagawa"}) {
		t.Errorf("pinned spec = %+v, want %s, x, sagawa", s, a)
	}
	if s := specs[1]; s.Number != b || s.Carrier != "" || len(s.Candidates) < 2 {
		t.Errorf("ambiguous spec = %+v, want %s normalised, unpinned, several candidates", s, b)
	}
}

func TestStatusText(t *testing.T) {
	tests := []struct {
		lang string
		p    store.Parcel
		want string
	}{
		{"ja", store.Parcel{Status: carriers.StatusDeliveryFailed}, "不在・持戻り"},
		{"en", store.Parcel{Status: carriers.StatusDeliveryFailed}, "delivery failed"},
		{"en", store.Parcel{}, "not checked yet"},
		{"ja", store.Parcel{Untrackable: true, Status: carriers.StatusInTransit}, "アプリでのみ追跡可能"},
		{"en", store.Parcel{Status: carriers.StatusAwaitingPickup}, "waiting for pickup"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+string(tt.p.Status), func(t *testing.T) {
			if got := daemon.StatusText(tt.lang, tt.p); got != tt.want {
				t.Errorf("StatusText(%s, %+v) = %q, want %q", tt.lang, tt.p.Status, got, tt.want)
			}
		})
	}
}
