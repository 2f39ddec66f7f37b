package ups

import "github.com/todoku/todoku/carriers"

// Sources named by the contact entries.
const (
	srcLink  = "karrioapi/karrio modules/connectors/ups/tests/ups/test_tracking.py (public tracking link https://www.ups.com/track?loc=…&tracknum=…)"
	srcPhone = "not found in the stored public sources (searched 2026-12); from recollection of UPS Japan's contact page; verify on ups.com/jp before relying on it"
	srcPage  = "ups.com/jp/ja/campusship-support/services-faq.page (customer-service numbers are listed under UPS連絡先 on ups.com)"
)

// Contacts returns UPS's contact directory entry.
//
// No Japan customer-service number could be confirmed from a stored
// source: the one below is unconfirmed with unknown hours; ups.com lists
// the numbers under "UPS連絡先".
func Contacts() carriers.Contacts {
	return carriers.Contacts{
		Carrier: Name,
		NameJA:  "UPS",
		NameEN:  "UPS",
		Phones: []carriers.Phone{
			{Number: "0120-27-1040", Kind: carriers.PhoneLandline, Label: "UPS カスタマーサービス（未確認）", Source: srcPhone, Confirmed: false},
		},
		TrackingURL: "https://www.ups.com/track?loc=ja_JP&tracknum={number}",
		Domains:     []string{"ups.com"},
		Trackable:   true,
		NoteJA:      "再配達や受け取り方法の変更は UPS の追跡ページから。電話番号は未確認です（ups.com の「UPS連絡先」で確認できます）。",
		NoteEN:      "Rebook or change delivery from UPS's tracking page. The phone number is unconfirmed (see Contact UPS on ups.com).",
		Source:      srcLink + "; " + srcPage,
	}
}
