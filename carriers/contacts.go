package carriers

import (
	"strings"
)

// PhoneKind says which callers a phone number is meant for.
type PhoneKind string

// Phone kinds.
const (
	PhoneLandline PhoneKind = "landline" // free dial, from fixed lines
	PhoneMobile   PhoneKind = "mobile"   // navi dial, from mobiles
	PhoneEnglish  PhoneKind = "english"  // English-language line
	PhoneAny      PhoneKind = "any"      // one number for everyone
)

// Phone is a customer-service number with its opening hours and source.
type Phone struct {
	Number string    `yaml:"number" json:"number"`
	Kind   PhoneKind `yaml:"kind" json:"kind"`
	Label  string    `yaml:"label,omitempty" json:"label,omitempty"`
	Hours  Hours     `yaml:"hours" json:"hours"`
	// Source names where the number was found; Confirmed says whether two
	// independent sources agree.
	Source    string `yaml:"source" json:"source"`
	Confirmed bool   `yaml:"confirmed" json:"confirmed"`
}

// Contacts is a carrier's contact directory entry. It is data, and the
// config can override any field.
type Contacts struct {
	Carrier string `yaml:"carrier" json:"carrier"`
	// NameJA and NameEN are the carrier's display names (ヤマト運輸, Yamato Transport).
	NameJA string `yaml:"name_ja" json:"name_ja"`
	NameEN string `yaml:"name_en" json:"name_en"`
	// Phones are the central numbers, most useful first.
	Phones []Phone `yaml:"phones" json:"phones"`
	// TrackingURL is the official page for one number; "{number}" is
	// replaced by the number (digits only, no dashes).
	TrackingURL string `yaml:"tracking_url" json:"tracking_url"`
	// RedeliveryURL is the official page for rebooking a failed delivery.
	RedeliveryURL string `yaml:"redelivery_url" json:"redelivery_url"`
	// Domains are the carrier's official domains: links to any other host
	// are never put in a notification.
	Domains []string `yaml:"domains" json:"domains"`
	// HoldDays is how long a held parcel waits for collection.
	HoldDays int `yaml:"hold_days" json:"hold_days"`
	// Trackable is false for carriers without public tracking (Amazon).
	Trackable bool `yaml:"trackable" json:"trackable"`
	// Note is advice shown with notifications (e.g. how Amazon redelivery works).
	NoteJA string `yaml:"note_ja,omitempty" json:"note_ja,omitempty"`
	NoteEN string `yaml:"note_en,omitempty" json:"note_en,omitempty"`
	// Callers are numbers people get calls or SMS from, for `todoku whois`.
	Callers []Caller `yaml:"callers,omitempty" json:"callers,omitempty"`
	Source  string   `yaml:"source" json:"source"`
}

// Caller is a number a person may be called or messaged from.
type Caller struct {
	Number string `yaml:"number" json:"number"`
	Who    string `yaml:"who" json:"who"`
	Note   string `yaml:"note,omitempty" json:"note,omitempty"`
	// CallBack says whether calling the number back reaches the carrier:
	// CallBackYes, CallBackNo, or CallBackUnknown ("") when no source says.
	CallBack  string `yaml:"call_back,omitempty" json:"call_back,omitempty"`
	SMS       bool   `yaml:"sms,omitempty" json:"sms,omitempty"`
	Source    string `yaml:"source" json:"source"`
	Confirmed bool   `yaml:"confirmed" json:"confirmed"`
}

// Values of Caller.CallBack.
const (
	CallBackYes     = "yes" // calling back reaches the carrier
	CallBackNo      = "no"  // calling back does not reach the carrier
	CallBackUnknown = ""    // no source says
)

// Tracking returns the official tracking link for number, or "" when the
// carrier has none.
func (c Contacts) Tracking(number string) string {
	if c.TrackingURL == "" {
		return ""
	}
	return strings.ReplaceAll(c.TrackingURL, "{number}", number)
}

// Phone returns the best central number for the given kind of caller,
// falling back to any number the carrier has.
func (c Contacts) Phone(kind PhoneKind) (Phone, bool) {
	for _, p := range c.Phones {
		if p.Kind == kind {
			return p, true
		}
	}
	for _, p := range c.Phones {
		if p.Kind == PhoneAny || p.Kind == PhoneLandline {
			return p, true
		}
	}
	if len(c.Phones) > 0 {
		return c.Phones[0], true
	}
	return Phone{}, false
}

// Name returns the display name in lang ("ja" or "en").
func (c Contacts) Name(lang string) string {
	if lang == "en" && c.NameEN != "" {
		return c.NameEN
	}
	if c.NameJA != "" {
		return c.NameJA
	}
	return c.Carrier
}
