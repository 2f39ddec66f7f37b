package fedex

import "github.com/todoku/todoku/carriers"

// Sources named by the contact entries.
const (
	srcHours = "fedex.com/ja-jp/service-news.html (year-end notice: customer service 8:30–19:00 on normal weekdays; Saturday hours not clear, so taken as closed)"
	srcPhone = "not found in the stored public sources (searched 2026-12); from recollection of FedEx Japan's contact page; verify on fedex.com/ja-jp before relying on it"
	srcLink  = "karrioapi/karrio modules/connectors/fedex/tests/fedex/test_tracking.py (public tracking link https://www.fedex.com/fedextrack/?trknbr={number})"
)

// Contacts returns FedEx's contact directory entry.
//
// The customer-service number could not be confirmed from a stored
// source and is marked unconfirmed; its weekday hours come from FedEx
// Japan's own service notice. FedEx's notices also warn that the phone
// line is often busy and point to online tracking.
func Contacts() carriers.Contacts {
	return carriers.Contacts{
		Carrier: Name,
		NameJA:  "フェデックス",
		NameEN:  "FedEx",
		Phones: []carriers.Phone{
			{Number: "0120-003200", Kind: carriers.PhoneLandline, Label: "カスタマーサービス（番号未確認）",
				Hours:  carriers.Hours{Weekday: "08:30-19:00", Saturday: "closed", Sunday: "closed", Holiday: "closed"},
				Source: srcPhone + "; hours: " + srcHours, Confirmed: false},
		},
		TrackingURL: "https://www.fedex.com/fedextrack/?trknbr={number}",
		Domains:     []string{"fedex.com"},
		Trackable:   true,
		NoteJA:      "再配達や受け取り方法の変更は FedEx の追跡ページから。電話番号は未確認です。",
		NoteEN:      "Rebook or change delivery from FedEx's tracking page. The phone number is unconfirmed.",
		Source:      srcLink + "; " + srcHours,
	}
}
