package config

import (
	"time"

	"github.com/todoku/todoku/carriers"
)

// Config is a loaded and validated configuration. Every field holds its
// final value: defaults filled in, secrets resolved, numbers normalised.
type Config struct {
	// Path is the file the config was loaded from ("" for Load).
	Path string `yaml:"-"`
	// Database is the bbolt file. Default: $STATE_DIRECTORY/todoku.db, else
	// $XDG_STATE_HOME/todoku/todoku.db, else ~/.local/state/todoku/todoku.db.
	Database string `yaml:"database"`
	// TimeZone names the zone used for the schedule, the night window and
	// quiet hours (default Asia/Tokyo); Location is it loaded.
	TimeZone string         `yaml:"time_zone"`
	Location *time.Location `yaml:"-"`
	// Schedule is the robfig/cron spec (five fields or a descriptor such as
	// "@every 5m") of the tick that looks for due parcels. Default "*/5 * * * *".
	Schedule string `yaml:"schedule"`
	// Cadence is how often a parcel is polled in each state.
	Cadence Cadence `yaml:"cadence"`
	// Night is when no polls run (default 23:00–06:00); a zero Window means
	// polling all night.
	Night Window `yaml:"night"`
	// Carriers holds per-carrier limits and overrides, keyed by carrier
	// name. After loading it has an entry for every known carrier.
	Carriers map[string]CarrierConfig `yaml:"carriers"`
	// Notify configures notifications.
	Notify NotifyConfig `yaml:"notify"`
	// Retention says how long finished parcels are kept.
	Retention Retention `yaml:"retention"`
	// API is the local control API (used by todoku add/remove to reload).
	API APIConfig `yaml:"api"`
	// StaleAfter is how long without news before a "stale" notification
	// (default 72h).
	StaleAfter time.Duration `yaml:"stale_after"`
	// NotFoundTooLong is how long a number may stay not_found before a
	// "not_found_too_long" notification (default 72h).
	NotFoundTooLong time.Duration `yaml:"not_found_too_long"`
	// Parcels are the parcels to watch, in file order.
	Parcels []Parcel `yaml:"parcels"`
	// Mail, when set, is the IMAP mailbox shipping e-mails are read from
	// (see MailConfig in mail.go).
	Mail *MailConfig `yaml:"mail"`
	// NoParcels is set when the file says `parcels: []`: no parcels on
	// purpose. A reload that would drop every parcel is refused without it
	// (an empty or truncated file is a mistake, not a wish).
	NoParcels bool `yaml:"-"`

	sum [32]byte
}

// Hash returns the SHA-256 of the bytes the config was loaded from. Equal
// hashes mean an unchanged file (but see the package caveats on secrets).
func (c *Config) Hash() [32]byte { return c.sum }

// Cadence is the polling interval per parcel state. The tracker applies
// them; backing-off states double their interval after each poll that
// brings no news, up to their maximum.
type Cadence struct {
	OutForDelivery  time.Duration `yaml:"out_for_delivery"`  // default 10m
	DeliveryFailed  time.Duration `yaml:"delivery_failed"`   // default 30m: watch for the rebooked attempt
	AwaitingPickup  time.Duration `yaml:"awaiting_pickup"`   // default 3h
	Exception       time.Duration `yaml:"exception"`         // default 2h
	InTransit       time.Duration `yaml:"in_transit"`        // default 1h; also used for "unknown"
	InfoReceived    time.Duration `yaml:"info_received"`     // default 3h, backing off …
	InfoReceivedMax time.Duration `yaml:"info_received_max"` // … to at most 12h
	NotFound        time.Duration `yaml:"not_found"`         // default 2h, backing off …
	NotFoundMax     time.Duration `yaml:"not_found_max"`     // … to at most 24h
	// FinalConfirm is the delay before the one last poll of a delivered or
	// returned parcel; after it the parcel is no longer polled. Default 24h.
	FinalConfirm time.Duration `yaml:"final_confirm"`
}

// Window is a daily period in the config's time zone, "HH:MM" to "HH:MM".
// It may wrap midnight (23:00–06:00). The zero Window is empty.
type Window struct {
	Start string `yaml:"start"`
	End   string `yaml:"end"`
}

// IsZero reports whether the window is empty.
func (w Window) IsZero() bool { return w.Start == "" && w.End == "" }

// CarrierConfig holds one carrier's request limits and overrides.
type CarrierConfig struct {
	// Interval is the minimum spacing between requests (default 10s);
	// Burst is how many may go at once (default 1).
	Interval time.Duration `yaml:"interval"`
	Burst    int           `yaml:"burst"`
	// Timeout bounds one request (default 30s).
	Timeout time.Duration `yaml:"timeout"`
	// BaseURL (advanced) replaces the carrier's endpoint with
	// scheme://host[:port], e.g. a local stand-in server; "" is the real site.
	BaseURL string `yaml:"base_url"`
	// Contacts overrides the built-in contact data; nil keeps it.
	Contacts *ContactsOverride `yaml:"contacts"`
	// The credentials of the carriers asked through their official APIs
	// (dhl: APIKey; fedex and ups: ClientID and ClientSecret; ups also
	// TransactionSrc), resolved like Pushover's: see apikeys.go. A carrier
	// without them is not asked; the others must leave them empty.
	APIKey           Secret `yaml:"api_key"`
	APIKeyFile       string `yaml:"api_key_file"`
	ClientID         Secret `yaml:"client_id"`
	ClientIDFile     string `yaml:"client_id_file"`
	ClientSecret     Secret `yaml:"client_secret"`
	ClientSecretFile string `yaml:"client_secret_file"`
	TransactionSrc   string `yaml:"transaction_src"`
}

// ContactsOverride replaces parts of a carrier's contact data. Empty fields
// keep the built-in values; a non-empty Phones replaces all phones.
type ContactsOverride struct {
	Phones        []carriers.Phone `yaml:"phones"`
	RedeliveryURL string           `yaml:"redelivery_url"`
	TrackingURL   string           `yaml:"tracking_url"`
}

// NotifyConfig configures the notifier.
type NotifyConfig struct {
	// Notifier is "pushover" (default) or "console" (prints to stdout).
	Notifier string         `yaml:"notifier"`
	Pushover PushoverConfig `yaml:"pushover"`
	// Lang is the message language, "ja" (default) or "en".
	Lang string `yaml:"lang"`
	// Phone picks which carrier number to show: "landline" (default) or "mobile".
	Phone string `yaml:"phone"`
	// QuietHours defer non-urgent pushes (default 22:00–07:00); zero = none.
	QuietHours Window `yaml:"quiet_hours"`
	// QuietFailure says what quiet hours do to urgent news (priority ≥ 1):
	// "low" (default) sends it at once without sound, "defer" holds it
	// until the quiet hours end.
	QuietFailure string `yaml:"quiet_failure"`
	// Events holds per-kind overrides; kinds not listed keep the notifier's
	// defaults. Keys are the EventKinds.
	Events map[string]EventConfig `yaml:"events"`
	// EmergencyRetry and EmergencyExpire apply to priority 2 (emergency)
	// pushes: retry ≥ 30s, expire ≤ 3h (defaults 60s and 1h).
	EmergencyRetry  time.Duration `yaml:"emergency_retry"`
	EmergencyExpire time.Duration `yaml:"emergency_expire"`
}

// PushoverConfig holds the Pushover credentials and endpoint.
type PushoverConfig struct {
	// Token is the application token and User the user (or group) key,
	// resolved from, in order: the inline value, *_file, the environment
	// ($TODOKU_PUSHOVER_TOKEN, $TODOKU_PUSHOVER_USER), and the systemd
	// credentials pushover_token and pushover_user in $CREDENTIALS_DIRECTORY.
	Token     Secret `yaml:"token"`
	TokenFile string `yaml:"token_file"`
	User      Secret `yaml:"user"`
	UserFile  string `yaml:"user_file"`
	// APIURL (advanced) replaces the API base https://api.pushover.net/1,
	// e.g. with a local stand-in server: the notifier posts to APIURL +
	// "/messages.json". "" is the real service.
	APIURL string `yaml:"api_url"`
}

// EventConfig overrides how one kind of event is notified. Nil fields keep
// the default.
type EventConfig struct {
	Enabled  *bool `yaml:"enabled"`
	Priority *int  `yaml:"priority"` // -2 … 2, as Pushover
}

// Retention says what happens to finished parcels.
type Retention struct {
	// ArchiveAfter is how long after delivery a parcel leaves the active
	// list (default 720h).
	ArchiveAfter time.Duration `yaml:"archive_after"`
	// PruneHistory deletes the event history of archived parcels (default false).
	PruneHistory bool `yaml:"prune_history"`
}

// APIConfig is the local control API.
type APIConfig struct {
	// Listen is "host:port" (default 127.0.0.1:8347) or "unix:/path/to.sock".
	Listen string `yaml:"listen"`
	// AllowRemote must be true for a TCP address that is not loopback.
	AllowRemote bool `yaml:"allow_remote"`
	// AllowedHosts are the names (without port) a browser may use to reach
	// the status page from elsewhere, e.g. homeserver.lan or 192.168.1.10.
	// Requests naming any other host are refused, so a web page cannot
	// reach the API through DNS rebinding. Only with allow_remote; empty
	// means the listen address and this machine's host name.
	AllowedHosts []string `yaml:"allowed_hosts"`
	// PasswordHash / PasswordHashFile: the status page's login (see
	// auth.go and `todoku passwd`).
	PasswordHash     Secret `yaml:"password_hash"`
	PasswordHashFile string `yaml:"password_hash_file"`
}

// Parcel is one parcel to watch.
type Parcel struct {
	// Input is the number as written in the file; Number is it normalised.
	Input  string `yaml:"number"`
	Number string `yaml:"-"`
	// Label is the user's name for the parcel (shown in notifications).
	Label string `yaml:"label"`
	// Carrier is the pinned carrier, or "" to let the tracker find out.
	Carrier string `yaml:"carrier"`
	// Candidates are the carriers that may know the number: the pinned one,
	// or the ranked candidates from carriers.Identify.
	Candidates []string `yaml:"-"`
	// Events overrides the notify events for this parcel.
	Events map[string]EventConfig `yaml:"events"`
	// Line is the parcel's line in the file, for messages (0 if unknown).
	Line int `yaml:"-"`
}

// EventKinds returns the kinds of event a notification can be about, the
// keys of NotifyConfig.Events and Parcel.Events.
func EventKinds() []string {
	return []string{
		"delivery_failed", "awaiting_pickup", "returned", "exception",
		"delivered", "out_for_delivery", "stale", "not_found_too_long",
		"added_from_mail",
	}
}

// CarrierNames returns the carriers a config may name.
func CarrierNames() []string {
	return []string{"yamato", "sagawa", "japanpost", "amazon", "seino", "fukuyama", "dhl", "fedex", "ups"}
}
