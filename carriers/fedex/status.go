package fedex

import (
	"strings"

	"github.com/todoku/todoku/carriers"
)

// eventCodes maps FedEx's tracking status codes (scan eventType, and
// derivedCode/derivedStatusCode) to the canonical model. Source: FedEx's
// "Tracking Status Codes" table as vendored in karrioapi/karrio
// modules/connectors/fedex/vendor/Tracking-Status-Codes.html; AE, IN and
// RL are derived codes seen in karrio's test answers
// (tests/fedex/test_tracking.py). The return-label codes (RP, LP, RG, RD)
// are about a label, not the parcel, and stay unknown.
var eventCodes = map[string]carriers.Status{
	"OC": carriers.StatusInfoReceived, // order created / shipment information sent to FedEx
	"IN": carriers.StatusInfoReceived, // derived: label created
	"EP": carriers.StatusInfoReceived, // en route to pickup
	"PD": carriers.StatusInfoReceived, // pickup delay
	"AP": carriers.StatusInfoReceived, // at pickup

	"PU": carriers.StatusInTransit, "PX": carriers.StatusInTransit, // picked up
	"AA": carriers.StatusInTransit, "AC": carriers.StatusInTransit, "AD": carriers.StatusInTransit,
	"AF": carriers.StatusInTransit, "AO": carriers.StatusInTransit, "AE": carriers.StatusInTransit,
	"AR": carriers.StatusInTransit, "AX": carriers.StatusInTransit, "CH": carriers.StatusInTransit,
	"DP": carriers.StatusInTransit, "DR": carriers.StatusInTransit, "DS": carriers.StatusInTransit,
	"EA": carriers.StatusInTransit, "EO": carriers.StatusInTransit, "FD": carriers.StatusInTransit,
	"IT": carriers.StatusInTransit, "IX": carriers.StatusInTransit, "LO": carriers.StatusInTransit,
	"OF": carriers.StatusInTransit, "OW": carriers.StatusInTransit, "OX": carriers.StatusInTransit,
	"PF": carriers.StatusInTransit, "PL": carriers.StatusInTransit, "PM": carriers.StatusInTransit,
	"SF": carriers.StatusInTransit, "SP": carriers.StatusInTransit, "TR": carriers.StatusInTransit,
	"CC": carriers.StatusInTransit,                                                                 // cleared customs
	"CP": carriers.StatusInTransit,                                                                 // clearance in progress
	"RR": carriers.StatusInTransit, "RM": carriers.StatusInTransit, "RC": carriers.StatusInTransit, // delivery option requested, modified, cancelled
	"DY": carriers.StatusInTransit, // delay: still moving, nothing to do
	"DD": carriers.StatusInTransit, // delivery delay
	"RL": carriers.StatusInTransit, // derived: running late

	"OD": carriers.StatusOutForDelivery,
	"ED": carriers.StatusOutForDelivery, // en route to delivery
	"DL": carriers.StatusDelivered,
	"HL": carriers.StatusAwaitingPickup, // hold at location
	"HP": carriers.StatusAwaitingPickup, // ready for recipient pickup
	"RS": carriers.StatusReturned,       // return to shipper
	"DE": carriers.StatusDeliveryFailed, // delivery exception
	"SE": carriers.StatusException,      // shipment exception
	"CD": carriers.StatusException,      // clearance delay: may need the recipient
	"CA": carriers.StatusException,      // shipment cancelled
}

// exceptionReasons are the FedEx exception codes whose meaning the
// sources give. Others are read from their words.
var exceptionReasons = map[string]carriers.Reason{
	"08": carriers.ReasonAbsent, // "Customer not available or business closed"
	"15": carriers.ReasonAbsent, // "Customer not available or business closed" (karrio example)
}

// classify maps one scan to the canonical model: the event type first,
// then the derived status code; an unknown code is StatusUnknown.
func classify(eventType, derived, exception, words string) (carriers.Status, carriers.Reason) {
	st, ok := eventCodes[strings.ToUpper(strings.TrimSpace(eventType))]
	if !ok {
		st, ok = eventCodes[strings.ToUpper(strings.TrimSpace(derived))]
	}
	if !ok {
		return carriers.StatusUnknown, carriers.ReasonNone
	}
	switch st {
	case carriers.StatusDeliveryFailed:
		if r, ok := exceptionReasons[strings.TrimSpace(exception)]; ok {
			return st, r
		}
		return st, reasonOf(words)
	case carriers.StatusException:
		if r := reasonOf(words); r != carriers.ReasonOther {
			return st, r
		}
		return st, carriers.ReasonOther
	}
	return st, carriers.ReasonNone
}

// reasonOf reads a failure's reason from its words.
func reasonOf(words string) carriers.Reason {
	w := strings.ToLower(words)
	switch {
	case has(w, "refused", "rejected", "declined"):
		return carriers.ReasonRefused
	case has(w, "incorrect address", "address correction", "address information", "unable to locate", "moved", "recipient unknown", "wrong address"):
		return carriers.ReasonAddressUnknown
	case has(w, "no access", "access", "gate", "locked", "security", "buzzer"):
		return carriers.ReasonNoAccess
	case has(w, "not available", "not in", "no one", "nobody", "unavailable", "business closed", "customer not"):
		return carriers.ReasonAbsent
	case has(w, "investigat", "trace", "missing", "lost"):
		return carriers.ReasonInvestigating
	}
	return carriers.ReasonOther
}

func has(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
