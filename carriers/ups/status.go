package ups

import (
	"strings"

	"github.com/todoku/todoku/carriers"
)

// statusCodes maps UPS's status description codes (activity
// status.statusCode, three digits; karrio's
// vendors/Tracking-status-description-codes.html) to the canonical
// model. Codes missing here fall back to the activity type.
var statusCodes = map[string]carriers.Status{
	"3": carriers.StatusInfoReceived, "79": carriers.StatusInfoReceived, "80": carriers.StatusInfoReceived,
	"157": carriers.StatusInfoReceived, "166": carriers.StatusInfoReceived,

	"5": carriers.StatusInTransit, "10": carriers.StatusInTransit, "12": carriers.StatusInTransit,
	"14": carriers.StatusInTransit, "16": carriers.StatusInTransit, "19": carriers.StatusInTransit,
	"20": carriers.StatusInTransit, "25": carriers.StatusInTransit, "27": carriers.StatusInTransit,
	"28": carriers.StatusInTransit, "32": carriers.StatusInTransit, "38": carriers.StatusInTransit,
	"39": carriers.StatusInTransit, "44": carriers.StatusInTransit, "45": carriers.StatusInTransit,
	"46": carriers.StatusInTransit, "47": carriers.StatusInTransit, "48": carriers.StatusInTransit,
	"51": carriers.StatusInTransit, "52": carriers.StatusInTransit, "53": carriers.StatusInTransit,
	"54": carriers.StatusInTransit, "55": carriers.StatusInTransit, "57": carriers.StatusInTransit,
	"63": carriers.StatusInTransit, "71": carriers.StatusInTransit, "73": carriers.StatusInTransit,
	"74": carriers.StatusInTransit, "75": carriers.StatusInTransit, "82": carriers.StatusInTransit,
	"84": carriers.StatusInTransit, "86": carriers.StatusInTransit, "87": carriers.StatusInTransit,
	"90": carriers.StatusInTransit, "92": carriers.StatusInTransit, "96": carriers.StatusInTransit,
	"97": carriers.StatusInTransit, "98": carriers.StatusInTransit, "99": carriers.StatusInTransit,
	"132": carriers.StatusInTransit, "134": carriers.StatusInTransit, "137": carriers.StatusInTransit,
	"138": carriers.StatusInTransit, "158": carriers.StatusInTransit, "159": carriers.StatusInTransit,
	"160": carriers.StatusInTransit, "164": carriers.StatusInTransit, "165": carriers.StatusInTransit,
	"167": carriers.StatusInTransit, "168": carriers.StatusInTransit, "169": carriers.StatusInTransit,

	"6": carriers.StatusOutForDelivery, "21": carriers.StatusOutForDelivery, "37": carriers.StatusOutForDelivery,
	"72": carriers.StatusOutForDelivery, "78": carriers.StatusOutForDelivery, "89": carriers.StatusOutForDelivery,
	"91": carriers.StatusOutForDelivery, "146": carriers.StatusOutForDelivery, "162": carriers.StatusOutForDelivery,

	"11": carriers.StatusDelivered, "26": carriers.StatusDelivered, "143": carriers.StatusDelivered,

	"17": carriers.StatusAwaitingPickup, "18": carriers.StatusAwaitingPickup, "40": carriers.StatusAwaitingPickup,
	"100": carriers.StatusAwaitingPickup, "106": carriers.StatusAwaitingPickup, "108": carriers.StatusAwaitingPickup,
	"144": carriers.StatusAwaitingPickup, "161": carriers.StatusAwaitingPickup,

	"22": carriers.StatusDeliveryFailed, "23": carriers.StatusDeliveryFailed, "24": carriers.StatusDeliveryFailed,
	"50": carriers.StatusDeliveryFailed, "60": carriers.StatusDeliveryFailed, "61": carriers.StatusDeliveryFailed,
	"62": carriers.StatusDeliveryFailed, "64": carriers.StatusDeliveryFailed, "66": carriers.StatusDeliveryFailed,
	"69": carriers.StatusDeliveryFailed, "139": carriers.StatusDeliveryFailed, "145": carriers.StatusDeliveryFailed,

	"34": carriers.StatusReturned, "35": carriers.StatusReturned, "36": carriers.StatusReturned,
	"67": carriers.StatusReturned, "81": carriers.StatusReturned,

	"7": carriers.StatusException, "13": carriers.StatusException, "29": carriers.StatusException,
	"30": carriers.StatusException, "49": carriers.StatusException, "58": carriers.StatusException,
	"59": carriers.StatusException, "68": carriers.StatusException, "76": carriers.StatusException,
	"124": carriers.StatusException, "125": carriers.StatusException, "126": carriers.StatusException,
	"129": carriers.StatusException, "130": carriers.StatusException, "147": carriers.StatusException,
	"149": carriers.StatusException,
}

// statusReasons are the reasons the status description codes name.
var statusReasons = map[string]carriers.Reason{
	"50":  carriers.ReasonAddressUnknown, // Address Information Required
	"64":  carriers.ReasonRefused,        // Delivery Refused
	"139": carriers.ReasonNoAccess,       // Security Access Required
	"68":  carriers.ReasonInvestigating,  // Sent to Lost and Found
	"129": carriers.ReasonInvestigating,  // Investigation Opened
	"130": carriers.ReasonInvestigating,  // Claim in Progress
}

// attemptExceptions are the package exception codes (status.code of a type
// X activity; karrio's vendors/Tracking-package-exceptions.html) that
// report a failed delivery attempt, with its reason.
var attemptExceptions = map[string]carriers.Reason{
	"48": carriers.ReasonAbsent,   // receiver not available; second attempt next business day
	"49": carriers.ReasonAbsent,   // receiver not available at the final attempt
	"55": carriers.ReasonNoAccess, // receiving business closed
	"95": carriers.ReasonNoAccess, // security access needed
	"84": carriers.ReasonNoAccess, // does not fit in the locker
	"51": carriers.ReasonOther,    // unable to receive payment
	"52": carriers.ReasonOther,    // unable to collect funds at the final attempt
}

// otherExceptions are package exception codes that need a human but are
// no delivery attempt.
var otherExceptions = map[string]carriers.Reason{
	"1A": carriers.ReasonInvestigating, // UPS is working to resolve the issue
	"11": carriers.ReasonInvestigating, // did not arrive at the destination
	"47": carriers.ReasonAddressUnknown,
	"29": carriers.ReasonOther, "40": carriers.ReasonOther, "43": carriers.ReasonOther, "45": carriers.ReasonOther,
}

// typeStatus is the fallback by activity type (karrio's
// vendors/Tracking-package-activity-types.html): D delivered, I in transit
// or out for delivery, M billing information received (a label), MV
// billing information voided, X exception; DO, DD and W are freight
// hand-overs and warehousing. P (pickup) is the older API's type. NA and
// U stay unknown.
var typeStatus = map[string]carriers.Status{
	"D":  carriers.StatusDelivered,
	"I":  carriers.StatusInTransit,
	"P":  carriers.StatusInTransit,
	"M":  carriers.StatusInfoReceived,
	"MV": carriers.StatusException,
	"X":  carriers.StatusException,
	"DO": carriers.StatusInTransit,
	"DD": carriers.StatusInTransit,
	"W":  carriers.StatusInTransit,
}

// classify maps one activity to the canonical model. An activity whose
// status code and type are both unknown is StatusUnknown.
func classify(typ, code, statusCode, words string) (carriers.Status, carriers.Reason) {
	typ = strings.ToUpper(strings.TrimSpace(typ))
	code = strings.ToUpper(strings.TrimSpace(code))
	sc := strings.TrimLeft(strings.TrimSpace(statusCode), "0")
	st, ok := statusCodes[sc]
	if !ok {
		if st, ok = typeStatus[typ]; !ok {
			return carriers.StatusUnknown, carriers.ReasonNone
		}
	}
	if typ == "X" {
		if r, ok := attemptExceptions[code]; ok && (st == carriers.StatusException || st == carriers.StatusDeliveryFailed || st == carriers.StatusInTransit) {
			return carriers.StatusDeliveryFailed, r
		}
	}
	switch st {
	case carriers.StatusDeliveryFailed:
		if r, ok := statusReasons[sc]; ok {
			return st, r
		}
		return st, reasonOf(words)
	case carriers.StatusException:
		if r, ok := statusReasons[sc]; ok {
			return st, r
		}
		if r, ok := otherExceptions[code]; ok {
			return st, r
		}
		return st, reasonOf(words)
	case carriers.StatusInTransit:
		if typ == "I" && strings.Contains(strings.ToLower(words), "out for delivery") {
			return carriers.StatusOutForDelivery, carriers.ReasonNone
		}
	}
	return st, carriers.ReasonNone
}

// reasonOf reads a failure's reason from its words.
func reasonOf(words string) carriers.Reason {
	w := strings.ToLower(words)
	switch {
	case has(w, "refused", "rejected"):
		return carriers.ReasonRefused
	case has(w, "address"):
		return carriers.ReasonAddressUnknown
	case has(w, "business was closed", "business closed", "security access", "locker"):
		return carriers.ReasonNoAccess
	case has(w, "not available", "not home", "no one", "nobody"):
		return carriers.ReasonAbsent
	case has(w, "investigat", "resolve the issue", "lost"):
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
