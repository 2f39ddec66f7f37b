package fedex

import "github.com/todoku/todoku/carriers"

// Sources named by the contact entries.
const (
	srcHours = "fedex.com/ja-jp/service-news.html (year-end notice: customer service 8:30–19:00 on normal weekdays; Saturday hours not clear, so taken as closed)"
	srcLink  = "karrioapi/karrio modules/connectors/fedex/tests/fedex/test_tracking.py (public tracking link https://www.fedex.com/fedextrack/?trknbr={number})"
)

// Contacts returns FedEx's contact directory entry.
//
// The customer-service number could not be confirmed from a public
// source, so none is listed (a wrong number in a push is worse than
// none); FedEx Japan's own service notice gives the line's weekday hours
// and points to online tracking, which the note follows.
func Contacts() carriers.Contacts {
	return carriers.Contacts{
		Carrier:     Name,
		NameJA:      "フェデックス",
		NameEN:      "FedEx",
		TrackingURL: "https://www.fedex.com/fedextrack/?trknbr={number}",
		Domains:     []string{"fedex.com"},
		Trackable:   true,
		NoteJA:      "再配達や受け取り方法の変更は FedEx の追跡ページから。カスタマーサービスの電話番号は fedex.com/ja-jp で確認してください（平日8:30–19:00）。",
		NoteEN:      "Rebook or change delivery from FedEx's tracking page. Find the customer-service number on fedex.com/ja-jp (weekdays 8:30–19:00).",
		Source:      srcLink + "; " + srcHours,
	}
}
