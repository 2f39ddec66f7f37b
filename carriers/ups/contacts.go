package ups

import "github.com/todoku/todoku/carriers"

// Sources named by the contact entries.
const (
	srcLink = "karrioapi/karrio modules/connectors/ups/tests/ups/test_tracking.py (public tracking link https://www.ups.com/track?loc=…&tracknum=…)"
	srcPage = "ups.com/jp/ja/campusship-support/services-faq.page (customer-service numbers are listed under UPS連絡先 on ups.com)"
)

// Contacts returns UPS's contact directory entry.
//
// No Japan customer-service number could be confirmed from a public
// source, so none is listed (a wrong number in a push is worse than
// none); ups.com lists the numbers under "UPS連絡先", where the note
// sends the user.
func Contacts() carriers.Contacts {
	return carriers.Contacts{
		Carrier:     Name,
		NameJA:      "UPS",
		NameEN:      "UPS",
		TrackingURL: "https://www.ups.com/track?loc=ja_JP&tracknum={number}",
		Domains:     []string{"ups.com"},
		Trackable:   true,
		NoteJA:      "再配達や受け取り方法の変更は UPS の追跡ページから。電話番号は ups.com の「UPS連絡先」で確認してください。",
		NoteEN:      "Rebook or change delivery from UPS's tracking page. Find the phone number under Contact UPS on ups.com.",
		Source:      srcLink + "; " + srcPage,
	}
}
