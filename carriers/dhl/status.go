package dhl

import (
	"strings"

	"github.com/todoku/todoku/carriers"
)

// classify maps a DHL event to the canonical model. statusCode is one of
// DHL's five codes (pre-transit, transit, delivered, failure, unknown);
// words are the event's description and remark, which refine it: DHL has
// no code of its own for out-for-delivery, held-for-pickup or returns.
// An unknown code is StatusUnknown: never guessed.
func classify(code, status, words string) (carriers.Status, carriers.Reason) {
	w := strings.ToLower(status + " " + words)
	switch strings.ToLower(strings.TrimSpace(code)) {
	case "pre-transit":
		return carriers.StatusInfoReceived, carriers.ReasonNone
	case "transit":
		switch {
		case has(w, returnWords...):
			return carriers.StatusReturned, carriers.ReasonNone
		case has(w, pickupWords...):
			return carriers.StatusAwaitingPickup, carriers.ReasonNone
		case has(w, outWords...):
			return carriers.StatusOutForDelivery, carriers.ReasonNone
		}
		return carriers.StatusInTransit, carriers.ReasonNone
	case "delivered":
		if has(w, "returned to shipper", "returned to sender", "delivered to shipper", "delivered to sender") {
			return carriers.StatusReturned, carriers.ReasonNone
		}
		return carriers.StatusDelivered, carriers.ReasonNone
	case "failure":
		return failure(w)
	}
	return carriers.StatusUnknown, carriers.ReasonNone
}

// Words that refine a transit event.
var (
	returnWords = []string{"returned to shipper", "return to shipper", "returned to sender", "return to sender", "being returned"}
	pickupWords = []string{"available for pick", "ready for pick", "awaiting collection", "ready for collection", "held for collection", "parcelshop", "service point", "packstation"}
	outWords    = []string{"with delivery courier", "out with courier", "with courier for delivery", "out for delivery", "on its way to the recipient", "loaded onto the delivery vehicle", "in delivery"}
)

// failure reads why a failure event failed. A failure that is no delivery
// attempt (a customs hold, a clearance delay, damage) is an exception.
func failure(w string) (carriers.Status, carriers.Reason) {
	switch {
	case has(w, returnWords...):
		return carriers.StatusReturned, carriers.ReasonNone
	case has(w, "refused", "rejected by", "declined"):
		return carriers.StatusDeliveryFailed, carriers.ReasonRefused
	case has(w, "address", "consignee unknown", "recipient unknown", "moved"):
		return carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown
	case has(w, "business closed", "closed on arrival", "no access", "access denied", "restricted access", "gate", "locked"):
		return carriers.StatusDeliveryFailed, carriers.ReasonNoAccess
	case has(w, "not home", "not at home", "not available", "unavailable", "nobody", "no one", "absent", "not present"):
		return carriers.StatusDeliveryFailed, carriers.ReasonAbsent
	case has(w, "pick", "collect") && has(w, "available", "ready", "held"):
		return carriers.StatusAwaitingPickup, carriers.ReasonNone
	case has(w, "attempt", "could not be delivered", "unable to deliver", "delivery failed", "not delivered"):
		return carriers.StatusDeliveryFailed, carriers.ReasonOther
	case has(w, "investigat", "trace", "lost", "missing"):
		return carriers.StatusException, carriers.ReasonInvestigating
	}
	return carriers.StatusException, carriers.ReasonOther
}

func has(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
