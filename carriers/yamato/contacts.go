package yamato

import "github.com/todoku/todoku/carriers"

// Sources quoted by the contact data.
const (
	srcDesign   = "shared/DESIGN.md, \"Defaults known so far\" (Yamato row: confirmed by two independent shop/help pages; the 0120-17-9625 of one consumer article is wrong)"
	srcResearch = "shared/research/carriers.md §2d (Contacts [mem, verify live]; redelivery routes confirmed by news.mynavi.jp/article/20220404-2312458)"
	srcPage     = "shared/research/carriers.md §1 and §2a (tneko endpoint; the result page's 「詳細確認／日時・場所変更」 link); e-mail links …/tneko?type=1&no01=N&id=X carry a per-mail id (public code id 22211727520) and a bare GET of the number shows no result (sm-trz/sagawa-monitor carriers/yamato.js, 2026-08), so the tracking link is the search form"
	srcHold     = "shared/DESIGN.md, hold periods (Yamato office 1 week from the day it can be collected, partner shop 3 days; carriers' terms as quoted by consumer pages)"
)

// Contacts returns Yamato's contact data. Every entry names its source;
// none was checked against Yamato's own contact page (research §9.2).
func Contacts() carriers.Contacts {
	// The サービスセンター is open 8:00–21:00 every day, holidays included.
	// Every day, holidays included (DESIGN.md, two independent pages).
	everyDay := carriers.Hours{Weekday: "08:00-21:00", Saturday: "08:00-21:00", Sunday: "08:00-21:00", Holiday: "08:00-21:00"}
	return carriers.Contacts{
		Carrier: Name,
		NameJA:  "ヤマト運輸",
		NameEN:  "Yamato Transport",
		Phones: []carriers.Phone{
			{
				Number: "0120-01-9625", Kind: carriers.PhoneLandline, Label: "サービスセンター（固定電話）",
				Hours: everyDay, Source: srcDesign + "; " + srcResearch, Confirmed: true,
			},
			{
				Number: "0570-200-000", Kind: carriers.PhoneMobile, Label: "サービスセンター（携帯電話）",
				Hours: everyDay, Source: srcDesign + "; " + srcResearch, Confirmed: true,
			},
		},
		// The official search form, without the number. Yamato's own
		// e-mails link to …/tneko?type=1&no01=N&id=X, where id is a
		// per-mail token todoku cannot make (public code id 22211727520
		// quotes two such links with different ids), and sm-trz reports
		// that opening a URL with the number directly shows no result
		// (carriers/yamato.js, note 5, 2026-08). No source confirms a
		// link that opens one parcel, so the push puts the number first
		// for pasting and links the form (issue 13, "Links in pushes").
		TrackingURL: DefaultBaseURL + Path,
		// No redelivery URL was found in the sources: the tracking page's
		// result has the 「詳細確認／日時・場所変更」 link that rebooks
		// (research §2d), so the tracking form is the official start.
		RedeliveryURL: "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko",
		Domains:       []string{"kuronekoyamato.co.jp"},
		HoldDays:      7,
		Trackable:     true,
		NoteJA:        "再配達は不在連絡票のQRコード・番号、クロネコメンバーズ、LINE、または追跡結果の「詳細確認／日時・場所変更」から依頼できます。宅急便センターでの保管は受け取れる日から1週間、取扱店では3日です。",
		NoteEN:        "Rebook with the QR code or number on the missed-delivery slip, Kuroneko Members, LINE, or the result page's change-date link. Held parcels wait 1 week at a centre, 3 days at a partner shop.",
		Source:        srcDesign + "; " + srcResearch + "; " + srcPage + "; " + srcHold,
	}
}
