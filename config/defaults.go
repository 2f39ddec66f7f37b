package config

import "time"

// Default values, documented on the fields of Config.
const (
	DefaultTimeZone = "Asia/Tokyo"
	DefaultSchedule = "*/5 * * * *"
	DefaultListen   = "127.0.0.1:8347"
)

// defaults returns a Config holding every default; decoding overwrites
// what the file sets. Database and secrets are resolved after decoding.
func defaults() *Config {
	c := &Config{
		TimeZone: DefaultTimeZone,
		Schedule: DefaultSchedule,
		Cadence: Cadence{
			OutForDelivery:  10 * time.Minute,
			DeliveryFailed:  30 * time.Minute,
			AwaitingPickup:  3 * time.Hour,
			Exception:       2 * time.Hour,
			InTransit:       time.Hour,
			InfoReceived:    3 * time.Hour,
			InfoReceivedMax: 12 * time.Hour,
			NotFound:        2 * time.Hour,
			NotFoundMax:     24 * time.Hour,
			FinalConfirm:    24 * time.Hour,
		},
		Night:    Window{Start: "23:00", End: "06:00"},
		Carriers: map[string]CarrierConfig{},
		Notify: NotifyConfig{
			Notifier:        "pushover",
			Lang:            "ja",
			Phone:           "landline",
			QuietHours:      Window{Start: "22:00", End: "07:00"},
			QuietFailure:    "low",
			EmergencyRetry:  time.Minute,
			EmergencyExpire: time.Hour,
		},
		Retention:       Retention{ArchiveAfter: 720 * time.Hour},
		API:             APIConfig{Listen: DefaultListen},
		StaleAfter:      72 * time.Hour,
		NotFoundTooLong: 72 * time.Hour,
	}
	for _, name := range CarrierNames() {
		c.Carriers[name] = defaultCarrier()
	}
	return c
}

func defaultCarrier() CarrierConfig {
	return CarrierConfig{Interval: 10 * time.Second, Burst: 1, Timeout: 30 * time.Second}
}
