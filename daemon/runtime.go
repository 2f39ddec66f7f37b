package daemon

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/carriers/dhl"
	"github.com/todoku/todoku/carriers/fedex"
	"github.com/todoku/todoku/carriers/quota"
	"github.com/todoku/todoku/carriers/ups"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/tracker"
)

// Registry builds the carrier registry a config asks for: per-carrier
// endpoint overrides and timeouts, the API carriers whose credentials the
// config holds (see RegistryWithQuotas), and contact overrides applied.
func Registry(cfg *config.Config, client *http.Client, record func(carriers.Recording)) (*carriers.Registry, error) {
	return RegistryWithQuotas(cfg, client, record, nil)
}

// RegistryWithQuotas is Registry whose API adapters spend the daily
// allowances in quotas, by carrier name (today only "dhl"); the tracker
// persists them (tracker.Options.Quotas). A nil map or entry means no
// local accounting.
func RegistryWithQuotas(cfg *config.Config, client *http.Client, record func(carriers.Recording), quotas map[string]*quota.Daily) (*carriers.Registry, error) {
	base := carriers.Options{Client: client, Record: record}
	per := map[string]carriers.Options{}
	for name, cc := range cfg.Carriers {
		o := base
		o.BaseURL = cc.BaseURL
		o.Timeout = cc.Timeout
		per[name] = o
	}
	reg := all.RegistryWithAPIs(base, per, APIKeys(cfg, quotas))
	for _, ct := range Contacts(cfg) {
		if _, ok := reg.Contacts(ct.Carrier); !ok {
			continue // an API carrier without credentials
		}
		if err := reg.SetContacts(ct); err != nil {
			return nil, fmt.Errorf("daemon: contacts: %w", err)
		}
	}
	return reg, nil
}

// APIKeys returns the API carriers' credentials from the config, with the
// daily quota of quotas["dhl"] for DHL.
func APIKeys(cfg *config.Config, quotas map[string]*quota.Daily) all.APIKeys {
	d, f, u := cfg.Carriers[dhl.Name], cfg.Carriers[fedex.Name], cfg.Carriers[ups.Name]
	return all.APIKeys{
		DHL:   dhl.Config{APIKey: d.APIKey.Reveal(), Quota: quotas[dhl.Name]},
		FedEx: fedex.Config{ClientID: f.ClientID.Reveal(), ClientSecret: f.ClientSecret.Reveal()},
		UPS:   ups.Config{ClientID: u.ClientID.Reveal(), ClientSecret: u.ClientSecret.Reveal(), TransactionSrc: u.TransactionSrc},
	}
}

// Contacts returns every carrier's contact data, the API carriers'
// included, with the config's overrides applied.
func Contacts(cfg *config.Config) []carriers.Contacts {
	cts := append(all.Contacts(), all.APIContacts()...)
	for i, ct := range cts {
		cc, ok := cfg.Carriers[ct.Carrier]
		if !ok || cc.Contacts == nil {
			continue
		}
		if len(cc.Contacts.Phones) > 0 {
			ct.Phones = cc.Contacts.Phones
		}
		if cc.Contacts.RedeliveryURL != "" {
			ct.RedeliveryURL = cc.Contacts.RedeliveryURL
		}
		if cc.Contacts.TrackingURL != "" {
			ct.TrackingURL = cc.Contacts.TrackingURL
		}
		cts[i] = ct
	}
	return cts
}

// Policy converts the config's cadence and night window.
func Policy(cfg *config.Config) tracker.Policy {
	p := tracker.DefaultPolicy()
	c := cfg.Cadence
	set := func(dst *time.Duration, v time.Duration) {
		if v > 0 {
			*dst = v
		}
	}
	set(&p.OutForDelivery, c.OutForDelivery)
	set(&p.Failed, c.DeliveryFailed)
	set(&p.AwaitingPickup, c.AwaitingPickup)
	set(&p.Exception, c.Exception)
	set(&p.InTransit, c.InTransit)
	set(&p.InfoReceived, c.InfoReceived)
	set(&p.InfoReceivedMax, c.InfoReceivedMax)
	set(&p.NotFound, c.NotFound)
	set(&p.NotFoundMax, c.NotFoundMax)
	set(&p.FinalConfirm, c.FinalConfirm)
	p.NightStart, p.NightEnd = cfg.Night.Start, cfg.Night.End
	p.Location = cfg.Location
	return p
}

// Settings converts the config's notification preferences; overrides are
// per-kind (nil fields keep the base).
func Settings(cfg *config.Config, base notify.Settings, overrides map[string]config.EventConfig) notify.Settings {
	s := base
	events := make(map[notify.Kind]notify.EventSetting, len(base.Events))
	for k, v := range base.Events {
		events[k] = v
	}
	for k, ov := range overrides {
		ev := events[notify.Kind(k)]
		if ov.Enabled != nil {
			ev.Enabled = *ov.Enabled
		}
		if ov.Priority != nil {
			ev.Priority = *ov.Priority
		}
		events[notify.Kind(k)] = ev
	}
	s.Events = events
	return s
}

func baseSettings(cfg *config.Config) notify.Settings {
	s := notify.DefaultSettings()
	n := cfg.Notify
	if n.Lang != "" {
		s.Lang = n.Lang
	}
	if n.Phone != "" {
		s.PhoneKind = carriers.PhoneKind(n.Phone)
	}
	s.QuietStart, s.QuietEnd = n.QuietHours.Start, n.QuietHours.End
	s.Location = cfg.Location // quiet hours follow the config's time zone
	if n.QuietFailure != "" {
		s.QuietFailure = n.QuietFailure
	}
	if n.EmergencyRetry > 0 {
		s.EmergencyRetry = n.EmergencyRetry
	}
	if n.EmergencyExpire > 0 {
		s.EmergencyExpire = n.EmergencyExpire
	}
	return Settings(cfg, s, n.Events)
}

// RuntimeOptions are what a runtime needs besides the config.
type RuntimeOptions struct {
	Logger *slog.Logger
	// Notifier, when set, replaces the one the config names (demo, tests).
	Notifier notify.Notifier
	// Console is where the console notifier prints.
	Console interface{ Write([]byte) (int, error) }
	// OnOperator receives operator notices raised by the notifier itself
	// (quota running low).
	OnOperator func(notify.Notice)
}

// Runtime builds the tracker runtime a config describes. It validates
// everything and has no side effects, so a reload can build it before it
// swaps anything.
func Runtime(cfg *config.Config, opts RuntimeOptions) (*tracker.Runtime, error) {
	settings := baseSettings(cfg)
	if err := settings.Validate(); err != nil {
		return nil, fmt.Errorf("notify settings: %w", err)
	}
	per := map[string]notify.Settings{}
	for _, p := range cfg.Parcels {
		if len(p.Events) > 0 {
			ps := Settings(cfg, settings, p.Events)
			if err := ps.Validate(); err != nil {
				return nil, fmt.Errorf("parcel %s: notify settings: %w", p.Number, err)
			}
			per[p.Number] = ps
		}
	}
	n := opts.Notifier
	if n == nil {
		var err error
		n, err = notifierFor(cfg, settings, opts)
		if err != nil {
			return nil, err
		}
	}
	limits := map[string]tracker.Limit{}
	for name, cc := range cfg.Carriers {
		limits[name] = tracker.Limit{Interval: cc.Interval, Burst: cc.Burst}
	}
	rt := &tracker.Runtime{
		Schedule:        cfg.Schedule,
		Policy:          Policy(cfg),
		Limits:          limits,
		Notifier:        n,
		Composer:        notify.Composer{Settings: settings, Contacts: notify.Directory(Contacts(cfg)...)},
		ParcelSettings:  per,
		StaleAfter:      cfg.StaleAfter,
		NotFoundTooLong: cfg.NotFoundTooLong,
		ArchiveAfter:    cfg.Retention.ArchiveAfter,
		PruneHistory:    cfg.Retention.PruneHistory,
	}
	if err := rt.Policy.Validate(); err != nil {
		return nil, err
	}
	if err := tracker.ValidateSchedule(rt.Schedule); err != nil {
		return nil, fmt.Errorf("schedule %q: %w", rt.Schedule, err)
	}
	return rt, nil
}

func notifierFor(cfg *config.Config, s notify.Settings, opts RuntimeOptions) (notify.Notifier, error) {
	switch cfg.Notify.Notifier {
	case "console":
		w := opts.Console
		if w == nil {
			return nil, fmt.Errorf("console notifier: no output")
		}
		return notify.NewConsole(w, false), nil
	case "", "pushover":
		p, err := notify.NewPushover(notify.PushoverConfig{
			Token:      cfg.Notify.Pushover.Token.Reveal(),
			User:       cfg.Notify.Pushover.User.Reveal(),
			APIURL:     cfg.Notify.Pushover.APIURL,
			Logger:     opts.Logger,
			Lang:       s.Lang,
			OnOperator: opts.OnOperator,
		})
		if err != nil {
			return nil, fmt.Errorf("pushover: %w", err)
		}
		return p, nil
	}
	return nil, fmt.Errorf("unknown notifier %q", cfg.Notify.Notifier)
}

// Specs lists the config's parcels for tracker.Engine.Sync.
func Specs(cfg *config.Config) []tracker.Spec {
	out := make([]tracker.Spec, len(cfg.Parcels))
	for i, p := range cfg.Parcels {
		out[i] = tracker.Spec{Number: p.Number, Label: p.Label, Carrier: p.Carrier, Candidates: p.Candidates}
	}
	return out
}
