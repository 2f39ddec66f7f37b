package fake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/todoku/todoku/carriers"
)

// UPS renders answers of UPS's Track API
// (GET /api/track/v1/details/{inquiryNumber}) in the shape of UPS's
// OpenAPI (karrioapi/karrio modules/connectors/ups/vendors/Tracking.yaml)
// and the examples cited in carriers/ups: activities newest first with
// local and GMT dates, status type/code/statusCode, and the 404 TW0001
// "Tracking Information Not Found" answer. Serve it through NewUPSAPI,
// which adds OAuth, the transId/transactionSrc check and the limits, and
// routes the number (part of the real path) to the Server.
type UPS struct{}

var _ Site = UPS{}

// upsInquiryParam carries the inquiry number from NewUPSAPI to the
// Server, which routes by a fixed path.
const upsInquiryParam = "fakeInquiryNumber"

// Carrier returns "ups".
func (UPS) Carrier() string { return "ups" }

// Path returns the fixed path NewUPSAPI hands requests to the Server on.
func (UPS) Path() string { return strings.TrimSuffix(UPSTrackPrefix, "/") }

// Numbers returns the one inquiry number of a GET request.
func (UPS) Numbers(r *http.Request) ([]string, error) {
	if r.Method != http.MethodGet {
		return nil, fmt.Errorf("fake ups: method %s, want GET", r.Method)
	}
	n := r.URL.Query().Get(upsInquiryParam)
	if n == "" {
		return nil, errors.New("fake ups: no inquiry number")
	}
	return []string{n}, nil
}

// upsCode is the activity status of one of the timelines' words.
type upsCode struct{ typ, code, statusCode string }

var upsCodes = map[string]upsCode{
	"Shipper created a label, UPS has not received the package yet.": {"M", "MP", "003"},
	"Pickup Scan":            {"P", "PU", "038"},
	"Out For Delivery Today": {"I", "OT", "021"},
	"The receiver was not available for delivery. We'll make a second attempt the next business day.": {"X", "48", "022"},
	"The package is being held for customer pickup":                                                   {"X", "HL", "017"},
	"DELIVERED":                            {"D", "FS", "011"},
	"Returned to Sender":                   {"I", "RS", "034"},
	"UPS is working to resolve the issue.": {"X", "1A", "013"},
	"The receiver refused the delivery.":   {"X", "RD", "064"},
}

// Render writes the answer for exactly one parcel; an unknown number gets
// the 404 TW0001 answer.
func (UPS) Render(w io.Writer, parcels []Parcel) error {
	if len(parcels) != 1 {
		return fmt.Errorf("fake ups: render %d parcels: an answer is about one number", len(parcels))
	}
	p := parcels[0]
	if !p.Found {
		respond(w, http.StatusNotFound)
		return json.NewEncoder(w).Encode(upsErrors("TW0001", "Tracking Information Not Found"))
	}
	acts := make([]any, 0, len(p.Rows))
	var current any
	for i := len(p.Rows) - 1; i >= 0; i-- {
		row := p.Rows[i]
		c, ok := upsCodes[row.Raw]
		if !ok {
			c = upsCode{"I", "AR", "005"}
		}
		local, gmt := row.Time.In(carriers.Tokyo), row.Time.UTC()
		status := map[string]string{"type": c.typ, "code": c.code, "statusCode": c.statusCode, "description": row.Raw, "simplifiedTextDescription": row.Raw}
		if current == nil {
			current = status
		}
		city, country, _ := strings.Cut(row.Location, ", ")
		acts = append(acts, map[string]any{
			"date": local.Format("20060102"), "time": local.Format("150405"),
			"gmtDate": gmt.Format("20060102"), "gmtTime": gmt.Format("15:04:05"), "gmtOffset": "+09:00",
			"location": map[string]any{"address": map[string]string{"city": city, "countryCode": country, "country": country}},
			"status":   status,
		})
	}
	pkg := map[string]any{
		"trackingNumber": p.Number, "activity": acts,
		"service": map[string]string{"code": "065", "description": "UPS Worldwide Saver"},
	}
	if current != nil {
		pkg["currentStatus"] = current
	}
	respond(w, http.StatusOK)
	return json.NewEncoder(w).Encode(map[string]any{"trackResponse": map[string]any{"shipment": []any{
		map[string]any{"inquiryNumber": p.Number, "package": []any{pkg}},
	}}})
}

// Maintenance writes the HTML notice of a gateway under maintenance.
func (UPS) Maintenance(w io.Writer) error { return apiMaintenance(w) }
