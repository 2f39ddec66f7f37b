package fake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/todoku/todoku/carriers"
)

// FedEx renders answers of FedEx's Track API
// (POST /track/v1/trackingnumbers) in the shape of FedEx's OpenAPI
// (karrioapi/karrio modules/connectors/fedex/vendor/track.json) and the
// example answers cited in carriers/fedex: one completeTrackResult per
// number asked, scan events newest first, and the
// TRACKING.TRACKINGNUMBER.NOTFOUND error for an unknown number. Serve it
// through NewFedExAPI, which adds OAuth and the limits.
type FedEx struct{}

var _ Site = FedEx{}

// FedExMaxNumbers is how many numbers one FedEx request may carry.
const FedExMaxNumbers = 30

// Carrier returns "fedex".
func (FedEx) Carrier() string { return "fedex" }

// Path returns the tracking endpoint.
func (FedEx) Path() string { return "/track/v1/trackingnumbers" }

type fedexRequest struct {
	TrackingInfo []struct {
		TrackingNumberInfo struct {
			TrackingNumber string `json:"trackingNumber"`
		} `json:"trackingNumberInfo"`
	} `json:"trackingInfo"`
	IncludeDetailedScans bool `json:"includeDetailedScans"`
}

// Numbers reads the trackingInfo of a POST body: 1 to 30 numbers.
func (FedEx) Numbers(r *http.Request) ([]string, error) {
	if r.Method != http.MethodPost {
		return nil, fmt.Errorf("fake fedex: method %s, want POST", r.Method)
	}
	var req fedexRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		return nil, fmt.Errorf("fake fedex: body: %w", err)
	}
	if n := len(req.TrackingInfo); n == 0 || n > FedExMaxNumbers {
		return nil, fmt.Errorf("fake fedex: %d numbers, want 1 to %d", n, FedExMaxNumbers)
	}
	out := make([]string, len(req.TrackingInfo))
	for i, ti := range req.TrackingInfo {
		if ti.TrackingNumberInfo.TrackingNumber == "" {
			return nil, fmt.Errorf("fake fedex: trackingInfo[%d] has no number", i)
		}
		out[i] = ti.TrackingNumberInfo.TrackingNumber
	}
	return out, nil
}

// fedexCode is the eventType, derived status and exception code of one
// of the timelines' words.
type fedexCode struct{ event, derived, exception string }

var fedexCodes = map[string]fedexCode{
	"Shipment information sent to FedEx":        {"OC", "IN", ""},
	"Picked up":                                 {"PU", "PU", ""},
	"On FedEx vehicle for delivery":             {"OD", "OD", ""},
	"Customer not available or business closed": {"DE", "DE", "08"},
	"Ready for recipient pickup":                {"HP", "HP", ""},
	"Delivered":                                 {"DL", "DL", ""},
	"Returning package to shipper":              {"RS", "RS", ""},
	"Shipment exception":                        {"SE", "SE", ""},
}

type fedexLocation struct {
	City        string `json:"city,omitempty"`
	CountryCode string `json:"countryCode,omitempty"`
}

type fedexScan struct {
	Date                 string        `json:"date"`
	EventType            string        `json:"eventType"`
	EventDescription     string        `json:"eventDescription"`
	ExceptionCode        string        `json:"exceptionCode"`
	ExceptionDescription string        `json:"exceptionDescription"`
	ScanLocation         fedexLocation `json:"scanLocation"`
	DerivedStatusCode    string        `json:"derivedStatusCode"`
}

// Render writes one answer for all parcels, in the order asked.
func (FedEx) Render(w io.Writer, parcels []Parcel) error {
	results := make([]any, 0, len(parcels))
	for _, p := range parcels {
		results = append(results, fedexResult(p))
	}
	respond(w, http.StatusOK)
	return json.NewEncoder(w).Encode(map[string]any{
		"transactionId": "fake-transaction",
		"output":        map[string]any{"completeTrackResults": results},
	})
}

func fedexResult(p Parcel) any {
	info := map[string]string{"trackingNumber": p.Number, "carrierCode": "FDXE", "trackingNumberUniqueId": "12029~" + p.Number + "~FDEG"}
	if !p.Found {
		return map[string]any{"trackingNumber": p.Number, "trackResults": []any{map[string]any{
			"trackingNumberInfo": map[string]string{"trackingNumber": p.Number, "trackingNumberUniqueId": "", "carrierCode": ""},
			"error": map[string]string{
				"code":    "TRACKING.TRACKINGNUMBER.NOTFOUND",
				"message": "Tracking number cannot be found. Please correct the tracking number and try again.",
			},
		}}}
	}
	scans := make([]fedexScan, 0, len(p.Rows))
	for i := len(p.Rows) - 1; i >= 0; i-- {
		row := p.Rows[i]
		c, ok := fedexCodes[row.Raw]
		if !ok {
			c = fedexCode{"AR", "IT", ""}
		}
		s := fedexScan{
			Date: row.Time.In(carriers.Tokyo).Format(time.RFC3339), EventType: c.event, EventDescription: row.Raw,
			ExceptionCode: c.exception, ScanLocation: fedexLocation{City: row.Location, CountryCode: "JP"}, DerivedStatusCode: c.derived,
		}
		if c.exception != "" {
			s.ExceptionDescription = row.Raw
		}
		scans = append(scans, s)
	}
	tr := map[string]any{
		"trackingNumberInfo": info,
		"scanEvents":         scans,
		"serviceDetail":      map[string]string{"type": "INTERNATIONAL_PRIORITY", "description": "FedEx International Priority"},
	}
	if len(scans) > 0 {
		s := scans[0]
		tr["latestStatusDetail"] = map[string]any{
			"code": s.EventType, "derivedCode": s.DerivedStatusCode, "statusByLocale": s.EventDescription,
			"description": s.EventDescription, "scanLocation": s.ScanLocation,
		}
		if s.EventType == "DL" {
			tr["dateAndTimes"] = []map[string]string{{"type": "ACTUAL_DELIVERY", "dateTime": s.Date}}
		}
	}
	return map[string]any{"trackingNumber": p.Number, "trackResults": []any{tr}}
}

// Maintenance writes the HTML notice of a gateway under maintenance.
func (FedEx) Maintenance(w io.Writer) error { return apiMaintenance(w) }
