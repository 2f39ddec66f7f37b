package carriers

import (
	"fmt"
	"time"
)

// Status is the canonical state of a parcel or of one event in its history.
type Status string

// The canonical statuses. See DESIGN.md, "The canonical model".
const (
	StatusInfoReceived   Status = "info_received"
	StatusInTransit      Status = "in_transit"
	StatusOutForDelivery Status = "out_for_delivery"
	StatusDeliveryFailed Status = "delivery_failed"
	StatusAwaitingPickup Status = "awaiting_pickup"
	StatusDelivered      Status = "delivered"
	StatusReturned       Status = "returned"
	StatusException      Status = "exception"
	StatusNotFound       Status = "not_found"
	StatusUnknown        Status = "unknown"
)

// Statuses lists every canonical status in lifecycle order.
var Statuses = []Status{
	StatusInfoReceived, StatusInTransit, StatusOutForDelivery, StatusDeliveryFailed,
	StatusAwaitingPickup, StatusDelivered, StatusReturned, StatusException,
	StatusNotFound, StatusUnknown,
}

// Valid reports whether s is one of the canonical statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Final reports whether s ends a parcel's journey (delivered or returned).
func (s Status) Final() bool { return s == StatusDelivered || s == StatusReturned }

// Reason says why a delivery failed or why a parcel needs a human.
type Reason string

// The canonical reasons for StatusDeliveryFailed and StatusException.
const (
	ReasonNone           Reason = ""
	ReasonAbsent         Reason = "absent"
	ReasonNoAccess       Reason = "no_access"
	ReasonAddressUnknown Reason = "address_unknown"
	ReasonRefused        Reason = "refused"
	ReasonInvestigating  Reason = "investigating"
	ReasonOther          Reason = "other"
)

// Valid reports whether r is empty or one of the canonical reasons.
func (r Reason) Valid() bool {
	switch r {
	case ReasonNone, ReasonAbsent, ReasonNoAccess, ReasonAddressUnknown, ReasonRefused,
		ReasonInvestigating, ReasonOther:
		return true
	}
	return false
}

// Office is a carrier office that handles a parcel, with its phone number
// when the result page gives one.
type Office struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// IsZero reports whether the office is unknown.
func (o Office) IsZero() bool { return o.Name == "" && o.Phone == "" }

// Event is one row of a parcel's history as the carrier printed it.
type Event struct {
	// Time is when the carrier says the event happened, in the page's own
	// time zone (Asia/Tokyo unless the page says otherwise). A missing year
	// is inferred so that the time is never in the future.
	Time time.Time `json:"time"`
	// Status and Reason are the canonical meaning of Raw.
	Status Status `json:"status"`
	Reason Reason `json:"reason"`
	// Raw is the carrier's own words, verbatim apart from trimmed space.
	Raw string `json:"raw"`
	// Location is the place or handling office named on the row.
	Location string `json:"location"`
}

// Result is what a carrier said about one tracking number.
type Result struct {
	// Number is the normalised tracking number that was asked for.
	Number  string `json:"number"`
	Carrier string `json:"carrier"`
	// Found is false when the carrier said explicitly that it has no such
	// number; Status is then StatusNotFound and Events is empty.
	Found  bool   `json:"found"`
	Status Status `json:"status"`
	Reason Reason `json:"reason"`
	// Events are oldest first.
	Events []Event `json:"events"`
	// Office is the office handling the delivery, when the page names it.
	Office Office `json:"office"`
	// Product is the carrier's service name (宅急便, ゆうパック …), if shown.
	Product string `json:"product,omitempty"`
	// Degraded is true when the adapter's structured reader did not
	// recognise the page and its layout-free text reader (see ReadText)
	// produced this result instead: usable, but the layout has changed.
	Degraded bool `json:"degraded,omitempty"`
}

// NotFound returns the result for a number the carrier explicitly does not
// know.
func NotFound(carrier, number string) Result {
	return Result{Number: number, Carrier: carrier, Status: StatusNotFound, Events: []Event{}}
}

// Summarize derives a parcel's status from its whole history, oldest first.
// A return anywhere in the history wins over what follows it (a 返品 can be
// followed by routine transport rows); otherwise the last event with a
// known meaning decides: a carrier word todoku does not know (an event with
// StatusUnknown, such as a new 依頼受付 variant after a failed attempt) is
// kept in the history but never replaces the status before it. An empty
// history, or one of unknown words only, is StatusUnknown.
func Summarize(events []Event) (Status, Reason) {
	for _, e := range events {
		if e.Status == StatusReturned {
			return StatusReturned, e.Reason
		}
	}
	for i := len(events) - 1; i >= 0; i-- {
		if e := events[i]; e.Status != StatusUnknown {
			return e.Status, e.Reason
		}
	}
	return StatusUnknown, ReasonNone
}

// Tokyo is Asia/Tokyo. It falls back to a fixed +09:00 zone when the
// system has no time zone database (Japan has no daylight saving time).
var Tokyo = loadTokyo()

func loadTokyo() *time.Location {
	if loc, err := time.LoadLocation("Asia/Tokyo"); err == nil {
		return loc
	}
	return time.FixedZone("JST", 9*60*60)
}

// InferYear returns the time month/day hour:minute in loc for the most
// recent year in which that date exists and is not in the future relative
// to now. Carrier pages print dates without a year; a date up to two days
// after now is taken as this year, so that a system clock running slow
// (or a carrier's clock running fast) never dates an event a year back —
// which would store it twice once the clock is right. A
// 02/29 goes back to the last leap year; a date that exists in none of the
// last inferYears years (04/31, or 02/29 far from a leap year) is an
// error, never a neighbouring day.
func InferYear(now time.Time, month time.Month, day, hour, minute int, loc *time.Location) (time.Time, error) {
	if month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 24 || minute < 0 || minute > 59 {
		return time.Time{}, fmt.Errorf("carriers: invalid date %02d/%02d %02d:%02d", month, day, hour, minute)
	}
	const (
		skew       = 48 * time.Hour
		inferYears = 8
	)
	n := now.In(loc)
	limit := n.Add(skew)
	for y := n.Year(); y >= n.Year()-inferYears; y-- {
		// The date must exist in y; hour 24 may still roll it over to
		// the next day.
		if d := time.Date(y, month, day, 0, 0, 0, 0, loc); d.Month() != month || d.Day() != day {
			continue
		}
		if t := time.Date(y, month, day, hour, minute, 0, 0, loc); !t.After(limit) {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("carriers: no year up to %d years back has %02d/%02d %02d:%02d in the past", inferYears, month, day, hour, minute)
}
