package fedex

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
	Output *struct {
		CompleteTrackResults *[]completeResult `json:"completeTrackResults"`
	} `json:"output"`
	Errors []apiError `json:"errors"`
}

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type completeResult struct {
	TrackingNumber string        `json:"trackingNumber"`
	TrackResults   []trackResult `json:"trackResults"`
}

type trackResult struct {
	TrackingNumberInfo struct {
		TrackingNumber string `json:"trackingNumber"`
	} `json:"trackingNumberInfo"`
	LatestStatusDetail *struct {
		Code        string `json:"code"`
		DerivedCode string `json:"derivedCode"`
		Description string `json:"description"`
	} `json:"latestStatusDetail"`
	ScanEvents    []scanEvent `json:"scanEvents"`
	ServiceDetail struct {
		Description string `json:"description"`
	} `json:"serviceDetail"`
	Error *apiError `json:"error"`
}

type scanEvent struct {
	Date                 string   `json:"date"`
	EventType            string   `json:"eventType"`
	EventDescription     string   `json:"eventDescription"`
	ExceptionCode        string   `json:"exceptionCode"`
	ExceptionDescription string   `json:"exceptionDescription"`
	DerivedStatusCode    string   `json:"derivedStatusCode"`
	ScanLocation         location `json:"scanLocation"`
}

type location struct {
	City        string `json:"city"`
	State       string `json:"stateOrProvinceCode"`
	CountryCode string `json:"countryCode"`
}

// Parse reads a saved or live Track API answer and returns one Result per
// completeTrackResult, in the order given. A number whose only track
// results carry a not-found or invalid-number error is a not-found
// Result. When FedEx gives several shipments for one reused number, the
// one with the latest scan is kept. It is pure; now is unused but kept for
// the common parser signature.
//
// An answer without output.completeTrackResults (an error answer, another
// shape), or with an unreadable scan date, is a *carriers.LayoutError; a
// track result error FedEx marks as a system failure is a
// *carriers.FetchError.
func Parse(r io.Reader, now time.Time) ([]carriers.Result, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: read answer: %w", Name, err)
	}
	var a answer
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, &carriers.LayoutError{Carrier: Name, Missing: "a JSON answer (" + jsonProblem(err) + ")"}
	}
	if a.Output == nil || a.Output.CompleteTrackResults == nil {
		missing := "output.completeTrackResults"
		if len(a.Errors) > 0 {
			missing += " (error answer " + a.Errors[0].Code + ")"
		}
		return nil, &carriers.LayoutError{Carrier: Name, Missing: missing}
	}
	out := make([]carriers.Result, 0, len(*a.Output.CompleteTrackResults))
	for i, cr := range *a.Output.CompleteTrackResults {
		res, err := parseComplete(cr)
		if err != nil {
			return nil, fmt.Errorf("%s: completeTrackResults[%d]: %w", Name, i, err)
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

func parseComplete(cr completeResult) (carriers.Result, error) {
	number := strings.TrimSpace(cr.TrackingNumber)
	var (
		best     *carriers.Result
		errCodes []string
	)
	for i, tr := range cr.TrackResults {
		if number == "" {
			number = strings.TrimSpace(tr.TrackingNumberInfo.TrackingNumber)
		}
		if tr.Error != nil && tr.Error.Code != "" {
			errCodes = append(errCodes, tr.Error.Code)
			continue
		}
		res, err := parseTrack(tr)
		if err != nil {
			return carriers.Result{}, fmt.Errorf("trackResults[%d]: %w", i, err)
		}
		if best == nil || latest(res).After(latest(*best)) {
			best = &res
		}
	}
	if number == "" {
		return carriers.Result{}, &carriers.LayoutError{Carrier: Name, Missing: "trackingNumber"}
	}
	if best != nil {
		best.Number = number
		return *best, nil
	}
	for _, code := range errCodes {
		switch {
		case strings.Contains(code, "NOTFOUND"), strings.Contains(code, "INVALID"):
			return carriers.NotFound(Name, number), nil
		case strings.Contains(code, "UNAVAILABLE"), strings.Contains(code, "SYSTEM"), strings.Contains(code, "INTERNAL"):
			return carriers.Result{}, &carriers.FetchError{Carrier: Name, Err: fmt.Errorf("track result error %s", code)}
		}
	}
	if len(errCodes) > 0 {
		return carriers.Result{}, &carriers.LayoutError{Carrier: Name, Missing: "a known track result error (got " + errCodes[0] + ")"}
	}
	return carriers.Result{}, &carriers.LayoutError{Carrier: Name, Missing: "trackResults"}
}

func latest(r carriers.Result) time.Time {
	if len(r.Events) == 0 {
		return time.Time{}
	}
	return r.Events[len(r.Events)-1].Time
}

func parseTrack(tr trackResult) (carriers.Result, error) {
	events := make([]carriers.Event, 0, len(tr.ScanEvents))
	for i, se := range tr.ScanEvents {
		t, err := parseTime(se.Date, se.ScanLocation.CountryCode)
		if err != nil {
			return carriers.Result{}, &carriers.LayoutError{Carrier: Name, Missing: fmt.Sprintf("a readable date in scanEvents[%d]", i)}
		}
		st, rs := classify(se.EventType, se.DerivedStatusCode, se.ExceptionCode, se.EventDescription+" "+se.ExceptionDescription)
		events = append(events, carriers.Event{Time: t, Status: st, Reason: rs, Raw: raw(se), Location: place(se.ScanLocation)})
	}
	// FedEx lists scans newest first; the model wants oldest first.
	sort.SliceStable(events, func(i, j int) bool { return events[i].Time.Before(events[j].Time) })
	st, rs := carriers.Summarize(events)
	if len(events) == 0 && tr.LatestStatusDetail != nil {
		d := tr.LatestStatusDetail
		st, rs = classify(d.Code, d.DerivedCode, "", d.Description)
	}
	return carriers.Result{
		Carrier: Name, Found: true, Status: st, Reason: rs, Events: events, Product: tr.ServiceDetail.Description,
	}, nil
}

// raw keeps FedEx's words: the event, and the exception when it adds to it.
func raw(se scanEvent) string {
	ev, ex := strings.TrimSpace(se.EventDescription), strings.TrimSpace(se.ExceptionDescription)
	switch {
	case ex == "" || strings.EqualFold(ex, ev):
		if ev == "" {
			return se.EventType
		}
		return ev
	case ev == "":
		return ex
	}
	return ev + ": " + ex
}

func place(l location) string {
	var parts []string
	for _, p := range []string{l.City, l.State, l.CountryCode} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// parseTime reads an RFC 3339 date, or one without an offset, which is
// read in Tokyo for a scan in Japan and in UTC otherwise.
func parseTime(s, country string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	loc := time.UTC
	if strings.EqualFold(country, "JP") {
		loc = carriers.Tokyo
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q", s)
	}
	return t, nil
}
