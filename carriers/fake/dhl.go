package fake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// DHL renders answers of DHL's Shipment Tracking – Unified API
// (GET /track/shipments?trackingNumber=N) in the shape of DHL's OpenAPI
// 1.3.1 and the example answers cited in carriers/dhl: one shipment with
// its events newest first, or the RFC 7807 404 "No result found"
// document. Serve it through NewDHLAPI, which adds the API key check and
// the quota.
type DHL struct{}

var _ Site = DHL{}

// Carrier returns "dhl".
func (DHL) Carrier() string { return "dhl" }

// Path returns the tracking endpoint.
func (DHL) Path() string { return "/track/shipments" }

// Numbers returns the one trackingNumber of a GET request.
func (DHL) Numbers(r *http.Request) ([]string, error) {
	if r.Method != http.MethodGet {
		return nil, fmt.Errorf("fake dhl: method %s, want GET", r.Method)
	}
	v := r.URL.Query()["trackingNumber"]
	if len(v) != 1 || v[0] == "" {
		return nil, errors.New("fake dhl: want exactly one trackingNumber")
	}
	return []string{v[0]}, nil
}

// dhlCodes gives the statusCode of the words the timelines use; other
// words are "transit".
var dhlCodes = map[string]string{
	"Shipment information received":           "pre-transit",
	"Delivered":                               "delivered",
	"Delivery attempted; recipient not home":  "failure",
	"Delivery refused by recipient":           "failure",
	"Shipment on hold; trace initiated":       "failure",
	"Clearance delay":                         "failure",
	"Please contact DHL for more information": "unknown",
}

type dhlAddress struct {
	CountryCode     string `json:"countryCode,omitempty"`
	AddressLocality string `json:"addressLocality,omitempty"`
}

type dhlEvent struct {
	Timestamp string `json:"timestamp"`
	Location  struct {
		Address dhlAddress `json:"address"`
	} `json:"location"`
	StatusCode  string `json:"statusCode"`
	Status      string `json:"status"`
	Description string `json:"description"`
}

// Render writes the answer for exactly one parcel; an unknown number gets
// the 404 problem document (with status 404 when w is the response).
func (DHL) Render(w io.Writer, parcels []Parcel) error {
	if len(parcels) != 1 {
		return fmt.Errorf("fake dhl: render %d parcels: an answer is about one number", len(parcels))
	}
	p := parcels[0]
	if !p.Found {
		respond(w, http.StatusNotFound)
		return json.NewEncoder(w).Encode(map[string]any{
			"title": "No result found", "status": 404,
			"detail": "No shipment with given tracking number found.", "instance": "/shipment/" + p.Number,
		})
	}
	events := make([]dhlEvent, 0, len(p.Rows))
	for i := len(p.Rows) - 1; i >= 0; i-- { // newest first, as DHL lists them
		row := p.Rows[i]
		code, ok := dhlCodes[row.Raw]
		if !ok {
			code = "transit"
		}
		var e dhlEvent
		e.Timestamp = row.Time.Format(time.RFC3339)
		e.Location.Address = dhlAddress{CountryCode: dhlCountry(row.Location), AddressLocality: row.Location}
		e.StatusCode, e.Status, e.Description = code, strings.ToUpper(row.Raw), row.Raw
		events = append(events, e)
	}
	product := p.Product
	if product == "" {
		product = "DHL EXPRESS WORLDWIDE"
	}
	shipment := map[string]any{
		"id": p.Number, "service": "express", "events": events,
		"details": map[string]any{"product": map[string]string{"productName": product}, "totalNumberOfPieces": 1},
	}
	if len(events) > 0 {
		shipment["status"] = events[0]
	}
	respond(w, http.StatusOK)
	return json.NewEncoder(w).Encode(map[string]any{"shipments": []any{shipment}})
}

// dhlCountry guesses the country code from a "CITY - COUNTRY" location.
func dhlCountry(loc string) string {
	switch {
	case strings.HasSuffix(loc, "JAPAN"):
		return "JP"
	case strings.HasSuffix(loc, "GERMANY"):
		return "DE"
	}
	return ""
}

// Maintenance writes the HTML notice an API gateway shows during
// maintenance (served with 200 by the Server's FaultMaintenance).
func (DHL) Maintenance(w io.Writer) error {
	return apiMaintenance(w)
}

func apiMaintenance(w io.Writer) error {
	_, err := io.WriteString(w, "<!DOCTYPE html><html><body><h1>Scheduled maintenance</h1><p>The API is under maintenance. Please try again later.</p></body></html>\n")
	return err
}
