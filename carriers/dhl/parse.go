package dhl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/todoku/todoku/carriers"
)

// answer is the part of a Unified API answer the adapter reads.
type answer struct {
	Shipments *[]shipment `json:"shipments"`
}

type shipment struct {
	ID      json.RawMessage `json:"id"`
	Service string          `json:"service"`
	Status  *event          `json:"status"`
	Details struct {
		Product struct {
			ProductName string `json:"productName"`
		} `json:"product"`
	} `json:"details"`
	Events []event `json:"events"`
}

type event struct {
	Timestamp  string `json:"timestamp"`
	StatusCode string `json:"statusCode"`
	Status     string `json:"status"`
	Desc       string `json:"description"`
	Remark     string `json:"remark"`
	Location   struct {
		Address struct {
			CountryCode     string `json:"countryCode"`
			PostalCode      string `json:"postalCode"`
			AddressLocality string `json:"addressLocality"`
		} `json:"address"`
	} `json:"location"`
}

// Parse reads a saved or live answer of DHL's Unified API: a 200 answer
// gives one Result per shipment, in the order given; the 404 "No result
// found" problem document gives one not-found Result (numbered from its
// instance path when it has one). It is pure; now is unused but kept for
// the common parser signature.
//
// An answer that is not a JSON object with a shipments array, or whose
// shipments lack an id or carry an unreadable timestamp, is a
// *carriers.LayoutError.
func Parse(r io.Reader, now time.Time) ([]carriers.Result, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: read answer: %w", Name, err)
	}
	var a answer
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, &carriers.LayoutError{Carrier: Name, Missing: "a JSON answer (" + jsonProblem(err) + ")"}
	}
	if a.Shipments == nil {
		if p, ok := problemOf(data); ok && p.notFound() {
			return []carriers.Result{carriers.NotFound(Name, path.Base(p.Instance))}, nil
		}
		return nil, &carriers.LayoutError{Carrier: Name, Missing: "shipments"}
	}
	out := make([]carriers.Result, 0, len(*a.Shipments))
	for i, s := range *a.Shipments {
		res, err := parseShipment(s)
		if err != nil {
			return nil, fmt.Errorf("%s: shipments[%d]: %w", Name, i, err)
		}
		out = append(out, res)
	}
	return out, nil
}

// jsonProblem names what went wrong in a JSON decode without echoing the
// input.
func jsonProblem(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("syntax error at byte %d", e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("%s is a JSON %s", e.Field, e.Value)
	}
	return "unreadable"
}

func parseShipment(s shipment) (carriers.Result, error) {
	id := idString(s.ID)
	if id == "" {
		return carriers.Result{}, &carriers.LayoutError{Carrier: Name, Missing: "shipment id"}
	}
	evs := s.Events
	if len(evs) == 0 && s.Status != nil {
		evs = []event{*s.Status}
	}
	events := make([]carriers.Event, 0, len(evs))
	zoned := true
	for i, e := range evs {
		ev, hasZone, err := convert(e)
		if err != nil {
			return carriers.Result{}, fmt.Errorf("events[%d]: %w", i, err)
		}
		zoned = zoned && hasZone
		events = append(events, ev)
	}
	order(events, zoned)
	st, rs := carriers.Summarize(events)
	product := s.Details.Product.ProductName
	if product == "" {
		product = s.Service
	}
	return carriers.Result{
		Number: id, Carrier: Name, Found: true, Status: st, Reason: rs,
		Events: events, Product: product,
	}, nil
}

// idString reads the id, which the examples give as a string or a number.
func idString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return strings.TrimSpace(s)
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String()
	}
	return ""
}

// order puts events oldest first. DHL lists them newest first. When every
// timestamp carried its offset they are sorted by time; otherwise the
// times of places abroad are guesses (UTC), so DHL's own order is kept,
// reversed.
func order(events []carriers.Event, zoned bool) {
	if len(events) > 1 && events[0].Time.After(events[len(events)-1].Time) {
		slices.Reverse(events)
	}
	if zoned {
		sort.SliceStable(events, func(i, j int) bool { return events[i].Time.Before(events[j].Time) })
	}
}

// convert reads one event; hasZone reports whether its timestamp had an
// offset.
func convert(e event) (ev carriers.Event, hasZone bool, err error) {
	t, hasZone, err := parseTime(e.Timestamp, e.Location.Address.CountryCode)
	if err != nil {
		return carriers.Event{}, false, &carriers.LayoutError{Carrier: Name, Missing: "a readable event timestamp"}
	}
	raw := strings.TrimSpace(e.Desc)
	if raw == "" {
		raw = strings.TrimSpace(e.Status)
	}
	st, rs := classify(e.StatusCode, e.Status, e.Desc+" "+e.Remark)
	return carriers.Event{Time: t, Status: st, Reason: rs, Raw: raw, Location: location(e)}, hasZone, nil
}

// parseTime reads an RFC 3339 timestamp, or one without an offset (the
// examples' events), which is read in the zone of the event's country
// (see zoneOf); hasZone is false when that zone is a guess.
func parseTime(s, country string) (t time.Time, hasZone bool, err error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true, nil
	}
	loc, known := zoneOf(country)
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, known, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("timestamp %q", s)
}

// singleZone names the time zone of countries that have only one, where
// DHL Express parcels to Japan commonly pass (IANA zone names).
var singleZone = map[string]string{
	"DE": "Europe/Berlin", "NL": "Europe/Amsterdam", "BE": "Europe/Brussels", "FR": "Europe/Paris",
	"GB": "Europe/London", "IT": "Europe/Rome", "ES": "Europe/Madrid", "CH": "Europe/Zurich",
	"AT": "Europe/Vienna", "PL": "Europe/Warsaw", "SE": "Europe/Stockholm", "DK": "Europe/Copenhagen",
	"CZ": "Europe/Prague", "IE": "Europe/Dublin", "CN": "Asia/Shanghai", "HK": "Asia/Hong_Kong",
	"TW": "Asia/Taipei", "KR": "Asia/Seoul", "SG": "Asia/Singapore", "TH": "Asia/Bangkok",
	"VN": "Asia/Ho_Chi_Minh", "MY": "Asia/Kuala_Lumpur", "PH": "Asia/Manila", "IN": "Asia/Kolkata",
	"AE": "Asia/Dubai", "NZ": "Pacific/Auckland",
}

// zoneOf returns the zone to read an offset-less time of an event in
// country, and whether that zone is certain: Tokyo for Japan, the one zone
// of a single-zone country, else UTC as a guess (and UTC as well when the
// system has no time zone database).
func zoneOf(country string) (*time.Location, bool) {
	cc := strings.ToUpper(strings.TrimSpace(country))
	if cc == "JP" {
		return carriers.Tokyo, true
	}
	if name, ok := singleZone[cc]; ok {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc, true
		}
	}
	return time.UTC, false
}

func location(e event) string {
	a := e.Location.Address
	var parts []string
	if l := strings.TrimSpace(a.AddressLocality); l != "" {
		parts = append(parts, l)
	} else if p := strings.TrimSpace(a.PostalCode); p != "" {
		parts = append(parts, p)
	}
	if c := strings.TrimSpace(a.CountryCode); c != "" {
		parts = append(parts, c)
	}
	return strings.Join(parts, ", ")
}
