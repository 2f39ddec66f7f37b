package sagawa

import "github.com/todoku/todoku/carriers"

// Sources named by the contact entries.
const (
	srcDesign   = "shared/DESIGN.md, \"Defaults known so far\" (Sagawa row: consumer articles list 0120-18-9595 and 0120-881-724, 9:00–19:00)"
	srcResearch = "shared/research/carriers.md §3a (okurijosearch.do) and §3d (no company-wide number found; storage 7 days, 3 for 飛脚クール便: nangen.jp); " +
		"a GET of okurijosearch.do?okurijoNo=N opens the parcel's own page (sm-trz/sagawa-monitor carriers/sagawa.js opens it in a browser in 2026; shlee322/delivery-tracker jp.sagawa; code id 53791083873)"
)

// Contacts returns Sagawa's contact directory entry.
//
// The research found no confirmed company-wide number: the two numbers
// below come from consumer articles quoted in DESIGN.md and are marked
// unconfirmed. The office TEL printed on the result page
// (「配達に関するお問い合せ … TEL:」, Result.Office.Phone) is the number to
// prefer. No official web redelivery URL was found (research §9.3).
func Contacts() carriers.Contacts {
	hours := carriers.Hours{Weekday: "09:00-19:00"}
	return carriers.Contacts{
		Carrier: Name,
		NameJA:  "佐川急便",
		NameEN:  "Sagawa Express",
		Phones: []carriers.Phone{
			{Number: "0120-18-9595", Kind: carriers.PhoneLandline, Label: "お問い合わせ（消費者向け記事による）", Hours: hours, Source: srcDesign, Confirmed: false},
			{Number: "0120-881-724", Kind: carriers.PhoneLandline, Label: "お問い合わせ（消費者向け記事による）", Hours: hours, Source: srcDesign, Confirmed: false},
		},
		TrackingURL: DefaultBaseURL + SearchPath + "?okurijoNo={number}",
		Domains:     []string{"sagawa-exp.co.jp"},
		HoldDays:    7,
		Trackable:   true,
		NoteJA: "再配達・お問い合わせは、追跡結果ページの「配達に関するお問い合せ」に載っている担当営業所の電話番号が確実です" +
			"（不在連絡票の番号も可）。下の代表番号は消費者向け記事の情報で、未確認です。保管期間は7日間（飛脚クール便は3日間）。",
		NoteEN: "For redelivery or questions, call the handling office printed on the tracking page (配達に関するお問い合せ … TEL) " +
			"or the number on the missed-delivery slip. The central numbers below come from consumer articles and are unconfirmed. " +
			"Parcels are held for 7 days (3 days for chilled 飛脚クール便).",
		Source: srcResearch + "; " + srcDesign,
	}
}
