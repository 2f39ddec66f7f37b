package seino

import "github.com/todoku/todoku/carriers"

// Contacts returns Seino's contact directory entry.
//
// No company-wide customer number for recipients was found in a source
// todoku can cite, so none is listed: the number to call is the handling
// branch's, printed on the missed-delivery slip (and on the result page
// when it shows one, Result.Office). Override or add numbers in the
// config's carriers.seino.contacts.
func Contacts() carriers.Contacts {
	return carriers.Contacts{
		Carrier:     Name,
		NameJA:      "西濃運輸",
		NameEN:      "Seino Transportation",
		TrackingURL: DefaultBaseURL + Path + "?GNPNO1={number}",
		Domains:     []string{"seino.co.jp"},
		Trackable:   true,
		NoteJA:      "再配達・お問い合わせは、不在連絡票に書かれた担当支店の電話番号へ。代表番号は確認できていません。",
		NoteEN:      "For redelivery or questions, call the handling branch printed on the missed-delivery slip; no central number is confirmed.",
		Source:      "shared/research/more-carriers.md (Seino): rawhide/tracker seinou.rb; itest-lab/tracking-api a649aab",
	}
}
