package fukuyama

import "github.com/todoku/todoku/carriers"

// Contacts returns Fukuyama's contact directory entry.
//
// No customer number for recipients was found in a source todoku can
// cite, so none is listed: call the branch printed on the missed-delivery
// slip. Override or add numbers in the config's carriers.fukuyama.contacts.
func Contacts() carriers.Contacts {
	return carriers.Contacts{
		Carrier:     Name,
		NameJA:      "福山通運",
		NameEN:      "Fukuyama Transporting",
		TrackingURL: DefaultBaseURL + Path + "{number}",
		Domains:     []string{"fukutsu.co.jp"},
		Trackable:   true,
		NoteJA:      "再配達・お問い合わせは、不在連絡票に書かれた担当営業所の電話番号へ。代表番号は確認できていません。",
		NoteEN:      "For redelivery or questions, call the branch printed on the missed-delivery slip; no central number is confirmed.",
		Source:      "shared/research/more-carriers.md (Fukuyama): itest-lab/tracking-api a649aab; Eivy/track-transport fukutu/fukutu.go",
	}
}
