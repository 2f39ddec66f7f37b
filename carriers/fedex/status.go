package fedex

import (
	"strings"

	"github.com/todoku/todoku/carriers"
)

// eventCodes maps FedEx's event type codes (and derived status codes) to
// the canonical model. Sources: shared/research/more-carriers.md
// "Response fields" and the karrio test answers (OC, PU, AR, DP, AF, AO,
// AE, IT, FD, OD, DL, DE, HP, DY); CC/CP/PX/PL/PM/IN are FedEx's
// clearance, progress and label-created codes from its Track API
// documentation as quoted in the OpenAPI's eventType description.
var eventCodes = map[string]carriers.Status{
	"OC": carriers.StatusInfoReceived, // shipment information sent to FedEx
	"IN": carriers.StatusInfoReceived, // derived: label created
	"PU": carriers.StatusInTransit,
	"AR": carriers.StatusInTransit,
	"DP": carriers.StatusInTransit,
	"AF": carriers.StatusInTransit,
	"AO": carriers.StatusInTransit, // arriving on time
	"AE": carriers.StatusInTransit, // arriving early
	"AA": carriers.StatusInTransit,
	"IT": carriers.StatusInTransit,
	"FD": carriers.StatusInTransit, // at FedEx destination facility
	"PL": carriers.StatusInTransit,
	"PM": carriers.StatusInTransit,
	"PX": carriers.StatusInTransit,
	"CC": carriers.StatusInTransit, // cleared customs
	"CP": carriers.StatusInTransit, // clearance in progress
	"DY": carriers.StatusInTransit, // delay: still moving, nothing to do
	"DD": carriers.StatusInTransit, // delivery delay
	"RL": carriers.StatusInTransit, // derived: running late
	"OD": carriers.StatusOutForDelivery,
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
