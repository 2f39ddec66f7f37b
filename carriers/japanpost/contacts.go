package japanpost

import "github.com/todoku/todoku/carriers"

// Sources of the contact data (research §4d, DESIGN.md "Defaults known so
// far"). None was checked on post.japanpost.jp itself.
const (
	srcCS = "research §4d [3p]: feelfukuoka.com and kaigai-hassou.net; DESIGN.md defaults table. " +
		"Hours vary between sources (older ones say weekdays until 22:00): verify on post.japanpost.jp"
	srcPickup   = "research §4d [3p]: jun-heiwa.com"
	srcTracking = "research §1, §4: the direct search endpoint used by arrow2nd/nimotsu, DIYgod/RSSHub and tdtds/takuhai_status"
	srcRedeli   = "research §4d [mem]: https://trackings.post.japanpost.jp/delivery/deli/ (not verified)"
	srcHold     = "research §4d [3p]: 郵便約款 §95 as quoted on nanghi.net and tuiseki.net (7 days, 10 on request)"
)

// csHours are the customer-service hours: weekdays 8:00–21:00, weekends
// and holidays 9:00–21:00.
func csHours() carriers.Hours {
	return carriers.Hours{Weekday: "08:00-21:00", Saturday: "09:00-21:00", Sunday: "09:00-21:00", Holiday: "09:00-21:00"}
}

// Contacts returns Japan Post's contact directory entry. The office phone
// printed on a result page (Result.Office) is the better number for a
// failed delivery; these are the central lines.
func Contacts() carriers.Contacts {
	return carriers.Contacts{
		Carrier: Name,
		NameJA:  "日本郵便",
		NameEN:  "Japan Post",
		Phones: []carriers.Phone{
			{Number: "0120-23-28-86", Kind: carriers.PhoneLandline, Label: "お客様サービス相談センター",
				Hours: csHours(), Source: srcCS, Confirmed: false},
			{Number: "0570-046-666", Kind: carriers.PhoneMobile, Label: "お客様サービス相談センター（携帯電話から・有料）",
				Hours: csHours(), Source: srcCS, Confirmed: false},
			{Number: "0570-046-111", Kind: carriers.PhoneEnglish, Label: "Customer Service (English)",
				Hours: csHours(), Source: srcCS, Confirmed: false},
			{Number: "0800-0800-111", Kind: carriers.PhoneLandline, Label: "集荷のお申し込み (pickup requests)",
				Hours: carriers.Hours{Weekday: "09:00-19:00"}, Source: srcPickup, Confirmed: false},
		},
		TrackingURL:   DefaultBaseURL + SearchPath + "?reqCodeNo1={number}&searchKind=" + searchKind + "&locale=ja",
		RedeliveryURL: DefaultBaseURL + "/delivery/deli/",
		Domains:       []string{"japanpost.jp", "post.japanpost.jp", "trackings.post.japanpost.jp"},
		HoldDays:      7,
		Trackable:     true,
		NoteJA: "再配達は不在連絡票に記載の番号・QRコード・ウェブページから申し込めます。" +
			"保管期間は7日間（申し出により最長10日）で、過ぎると差出人に返送されます。",
		NoteEN: "Book redelivery with the number, QR code or web address on the missed-delivery slip. " +
			"Held items wait 7 days (10 on request), then go back to the sender.",
		Source: srcCS + "; tracking: " + srcTracking + "; redelivery: " + srcRedeli + "; hold: " + srcHold,
	}
}
