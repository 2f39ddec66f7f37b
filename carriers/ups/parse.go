package ups

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/todoku/todoku/carriers"
)

type answer struct {
	TrackResponse *struct {
		Shipment []shipment `json:"shipment"`
	} `json:"trackResponse"`
	Response *struct {
		Errors []apiError `json:"errors"`
	} `json:"response"`
}

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type shipment struct {
	InquiryNumber string     `json:"inquiryNumber"`
	Package       []pkg      `json:"package"`
	Warnings      []apiError `json:"warnings"`
}

type pkg struct {
	TrackingNumber string     `json:"trackingNumber"`
	Activity       []activity `json:"activity"`
	CurrentStatus  *status    `json:"currentStatus"`
	Service        struct {
		Description string `json:"description"`
	} `json:"service"`
}

type activity struct {
	Date     string `json:"date"`
	Time     string `json:"time"`
	GMTDate  string `json:"gmtDate"`
	GMTTime  string `json:"gmtTime"`
	Location struct {
		Address struct {
			City          string `json:"city"`
			StateProvince string `json:"stateProvince"`
			CountryCode   string `json:"countryCode"`
			Country       string `json:"country"`
		} `json:"address"`
	} `json:"location"`
	Status status `json:"status"`
}

type status struct {
	Type        string `json:"type"`
	Code        string `json:"code"`
	StatusCode  string `json:"statusCode"`
	Description string `json:"description"`
}

// Parse reads a saved or live Track API answer and returns one Result per
// shipment, in the order given. A shipment with only the TW0001 (not
// found) or TV1002 (invalid number) warning, and an error answer with
// those codes, is a not-found Result (numbered from inquiryNumber when
// there is one). It is pure; now is unused but kept for the common parser
// signature.
//
// An answer without trackResponse.shipment, a shipment without packages
// or known warnings, or an activity with an unreadable date, is a
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
	if a.TrackResponse == nil {
		if a.Response != nil && notFoundCode(codesOf(a.Response.Errors)) {
			return []carriers.Result{carriers.NotFound(Name, "")}, nil
		}
		return nil, &carriers.LayoutError{Carrier: Name, Missing: "trackResponse"}
	}
	if len(a.TrackResponse.Shipment) == 0 {
		return nil, &carriers.LayoutError{Carrier: Name, Missing: "trackResponse.shipment"}
	}
	out := make([]carriers.Result, 0, len(a.TrackResponse.Shipment))
	for i, s := range a.TrackResponse.Shipment {
		res, err := parseShipment(s)
		if err != nil {
			return nil, fmt.Errorf("%s: shipment[%d]: %w", Name, i, err)
		}
		out = append(out, res)
	}
	return out, nil
}

func jsonProblem(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("syntax error at byte %d", e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("%s is a JSON %s", e.Field, e.Value)
	}
	return "unreadable"
}

func codesOf(errs []apiError) []string {
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		out = append(out, strings.TrimSpace(e.Code))
	}
	return out
}

// errorCodes returns the codes of an error answer's response.errors.
func errorCodes(body []byte) []string {
	var a answer
	if err := json.Unmarshal(body, &a); err != nil || a.Response == nil {
		return nil
	}
	return codesOf(a.Response.Errors)
}

// notFoundCode reports whether codes say the number is unknown to UPS.
func notFoundCode(codes []string) bool {
	for _, c := range codes {
		if c == "TW0001" || c == "TV1002" {
			return true
		}
	}
	return false
}

func parseShipment(s shipment) (carriers.Result, error) {
	number := strings.TrimSpace(s.InquiryNumber)
	if len(s.Package) == 0 {
		if notFoundCode(codesOf(s.Warnings)) {
			return carriers.NotFound(Name, number), nil
		}
		return carriers.Result{}, &carriers.LayoutError{Carrier: Name, Missing: "package"}
	}
	p := s.Package[0]
	for _, q := range s.Package {
		if strings.EqualFold(q.TrackingNumber, number) {
			p = q
		}
	}
	if number == "" {
		number = strings.TrimSpace(p.TrackingNumber)
	}
	events := make([]carriers.Event, 0, len(p.Activity))
	for i, a := range p.Activity {
		t, err := activityTime(a)
		if err != nil {
			return carriers.Result{}, &carriers.LayoutError{Carrier: Name, Missing: fmt.Sprintf("a readable date in activity[%d]", i)}
		}
		st, rs := classify(a.Status.Type, a.Status.Code, a.Status.StatusCode, a.Status.Description)
		raw := strings.TrimSpace(a.Status.Description)
		if raw == "" {
			raw = strings.TrimSpace(a.Status.Type + " " + a.Status.Code)
		}
		events = append(events, carriers.Event{Time: t, Status: st, Reason: rs, Raw: raw, Location: place(a)})
	}
	// UPS lists activity newest first; the model wants oldest first.
	sort.SliceStable(events, func(i, j int) bool { return events[i].Time.Before(events[j].Time) })
	st, rs := carriers.Summarize(events)
	if len(events) == 0 && p.CurrentStatus != nil {
		c := p.CurrentStatus
		st, rs = classify(c.Type, c.Code, c.StatusCode, c.Description)
	}
	return carriers.Result{
		Number: number, Carrier: Name, Found: true, Status: st, Reason: rs, Events: events, Product: p.Service.Description,
	}, nil
}

// activityTime reads gmtDate and gmtTime (UTC) when present; otherwise
// the local date and time, in Tokyo for Japan and in UTC elsewhere.
func activityTime(a activity) (time.Time, error) {
	clock := func(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), ":", "") }
	if a.GMTDate != "" && a.GMTTime != "" {
		return time.ParseInLocation("20060102150405", strings.TrimSpace(a.GMTDate)+clock(a.GMTTime), time.UTC)
	}
	loc := time.UTC
	if cc := a.Location.Address.CountryCode; strings.EqualFold(cc, "JP") {
		loc = carriers.Tokyo
	}
	return time.ParseInLocation("20060102150405", strings.TrimSpace(a.Date)+clock(a.Time), loc)
}

func place(a activity) string {
	ad := a.Location.Address
	cc := ad.CountryCode
	if cc == "" {
		cc = ad.Country
	}
	var parts []string
	for _, p := range []string{ad.City, ad.StateProvince, cc} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}
