package api

import (
	"context"
	"io"
	"time"
)

// Source is what the daemon provides to the API. Every method may be called
// concurrently and must honour ctx.
type Source interface {
	// Parcels lists every configured parcel, without history.
	Parcels(ctx context.Context) ([]ParcelView, error)
	// Parcel returns one parcel with History filled; false when no parcel
	// has that number.
	Parcel(ctx context.Context, number string) (ParcelView, bool, error)
	// Health reports whether the scheduler and the store are alive, the
	// last tick and the state of each carrier.
	Health(ctx context.Context) (HealthView, error)
	// Reload validates the configuration file and swaps it in. Its error
	// text is shown to the caller, so it must not contain secrets.
	Reload(ctx context.Context) error
	// Backup writes a consistent copy of the database to w and returns the
	// number of bytes written.
	Backup(ctx context.Context, w io.Writer) (int64, error)
	// Resume asks a paused or backing-off carrier again at once and
	// reports whether it was held back; an unknown carrier is an error
	// wrapping ErrUnknownCarrier.
	Resume(ctx context.Context, carrier string) (bool, error)
	// NotifyTest sends a sample delivery-failed notification through the
	// daemon's notifier (which holds the Pushover credentials) and returns
	// its title. Its error text must not contain secrets.
	NotifyTest(ctx context.Context) (string, error)
}

// ParcelView is one parcel as the CLI and the status page show it.
type ParcelView struct {
	Number      string `json:"number"`       // normalised tracking number
	Display     string `json:"display"`      // the number formatted the way the carrier prints it
	Label       string `json:"label"`        // the user's name for the parcel
	Carrier     string `json:"carrier"`      // carrier id, e.g. "yamato"
	CarrierName string `json:"carrier_name"` // carrier name in the configured language

	Status     string `json:"status"`      // canonical status, e.g. "delivery_failed"
	Reason     string `json:"reason"`      // canonical reason, e.g. "absent"
	StatusText string `json:"status_text"` // human label in the configured language

	LastEvent *EventView `json:"last_event,omitempty"`
	NextPoll  time.Time  `json:"next_poll,omitzero"`
	// Paused is set while the parcel's carrier is paused because its page
	// layout changed; NextPoll is then the carrier's next check, and
	// PollNote says so in the configured language ("paused: page layout
	// changed, next check 14:30").
	Paused    bool      `json:"paused,omitempty"`
	PollNote  string    `json:"poll_note,omitempty"`
	Call      *CallView `json:"call,omitempty"` // the number to call about this parcel
	URL       string    `json:"url,omitempty"`  // official tracking or redelivery page
	Office    string    `json:"office,omitempty"`
	LastError string    `json:"last_error,omitempty"`
	Tracked   bool      `json:"tracked"`
	Done      bool      `json:"done"`
	// Origin is where the parcel came from: "config" (the config file
	// owns it), "mail" or "page" (the store owns it; see Editor). Source
	// says more: the mail's Message-ID and IMAP URL. Removable: a store-owned
	// parcel not removed yet.
	Origin    string `json:"origin,omitempty"`
	Source    string `json:"source,omitempty"`
	Removable bool   `json:"removable,omitempty"`

	// History is every event seen, oldest first; filled only by
	// Source.Parcel.
	History []EventView `json:"history,omitempty"`
}

// EventView is one row of a carrier's history.
type EventView struct {
	Time     time.Time `json:"time"`
	Status   string    `json:"status"`
	Reason   string    `json:"reason,omitempty"`
	Raw      string    `json:"raw"` // the carrier's own words, verbatim
	Location string    `json:"location,omitempty"`
}

// CallView is the phone number to call about a parcel.
type CallView struct {
	Number   string `json:"number"`    // e.g. "0120-01-9625"
	Who      string `json:"who"`       // e.g. "ヤマト運輸 カスタマーサービス" or the office name
	Hours    string `json:"hours"`     // e.g. "8:00–21:00"
	Open     bool   `json:"open"`      // whether the line is open now
	OpenText string `json:"open_text"` // e.g. "受付中" or "受付時間外・8:00から"
}

// Health states.
const (
	HealthOK        = "ok"        // everything works
	HealthDegraded  = "degraded"  // running, but a carrier or the disk needs attention (Reasons)
	HealthUnhealthy = "unhealthy" // the scheduler or the store does not answer
)

// HealthView is the daemon's own state.
type HealthView struct {
	// OK is true only when Status is "ok".
	OK bool `json:"ok"`
	// Status is HealthOK, HealthDegraded or HealthUnhealthy; Reasons says
	// why it is not ok, one line each, in English.
	Status  string   `json:"status"`
	Reasons []string `json:"reasons,omitempty"`
	// Lang is the configured language of the texts ("ja" or "en"); the
	// status page speaks it.
	Lang      string              `json:"lang,omitempty"`
	Scheduler string              `json:"scheduler"` // e.g. "ok" or "no tick for 12m"
	Store     string              `json:"store"`     // e.g. "ok" or the error
	LastTick  time.Time           `json:"last_tick,omitzero"`
	Carriers  []CarrierHealthView `json:"carriers,omitempty"`
	// Mail is the mail reader's state; nil without a mail: section.
	Mail    *MailHealthView `json:"mail,omitempty"`
	Version string          `json:"version"`
}

// MailHealthView is the state of the mail reader. A reader failing for
// longer than its poll interval (or not started at all) makes the health
// "degraded" with a reason.
type MailHealthView struct {
	// State is "ok" (the last pass read every folder), "starting" (no
	// pass yet) or "failing" (Since is when failures began).
	State string `json:"state"`
	// LastOK is when a pass last read every folder.
	LastOK    time.Time `json:"last_ok,omitzero"`
	Since     time.Time `json:"since,omitzero"`
	LastError string    `json:"last_error,omitempty"`
	Text      string    `json:"text"` // the state in words, in the configured language
}

// CarrierHealthView is the polling state of one carrier.
type CarrierHealthView struct {
	Carrier string `json:"carrier"`
	Name    string `json:"name"`
	// State is "ok", "slow" (answers slowly; other carriers are not held
	// up), "paused" (page layout changed; Until is the next check) or
	// "failing" (Since is when failures began; Until ends the current
	// backoff).
	State string    `json:"state"`
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`
	// Degraded: the pages are read with the layout-free text reader.
	Degraded  bool   `json:"degraded,omitempty"`
	Text      string `json:"text"` // the state in words, in the configured language
	LastError string `json:"last_error,omitempty"`
}

// resumeBody is the reply to POST /api/resume/{carrier}.
type resumeBody struct {
	OK      bool   `json:"ok"`
	Resumed bool   `json:"resumed"` // the carrier was paused or backing off
	Error   string `json:"error,omitempty"`
}
