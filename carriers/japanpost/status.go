package japanpost

import (
	"strings"
	"sync"
	"unicode"

	"github.com/todoku/todoku/carriers"
)

// word is one entry of the vocabulary: the carrier's words and their
// canonical meaning.
type word struct {
	raw    string
	status carriers.Status
	reason carriers.Reason
}

// vocabulary lists the 配送履歴 words of research §4b and §8 with their
// canonical meaning. Decisions worth knowing:
//
//   - 配達希望受付 (a redelivery request was received) and 配達局から出発 are
//     in transit, as §8 proposes.
//   - 保管 is the item held at the post office window for collection
//     (awaiting_pickup; the 7-day hold period applies).
//   - お届け先 休日のため保管 is a failed attempt with reason no_access: the
//     recipient's place was closed (休日/休業, DESIGN.md's no_access), so
//     the office keeps the item and normally delivers it on the next
//     business day. It is not awaiting_pickup: nobody has to collect it and
//     no pickup deadline runs (§8 lists it under no-access).
//   - 住所不明, あて所に尋ねあたりません, 受取拒否 and 調査中 are not verified on
//     a Japan Post page (§4b, §8 [unverified]); they are mapped because the
//     meaning is unambiguous.
//   - The English words are what locale=en prints (§4b).
//
// Added from the 2026 evidence (research carriers-2026.md, Japan Post):
//
//   - 最寄局・最寄店送付 (a PHP status table, code id 42950017589): the item
//     is sent on to the post office or shop nearest the recipient, where
//     it will be held: in transit until a 保管 row says it is held.
//   - 返戻 (a 2026-04 TypeScript list of final states, code id
//     60684616429): sent back, returned.
//   - あて所にたずねあたりません (the same list; hiragana たずね, as well as
//     the kanji 尋ね above): the address could not be found, a failed
//     delivery with reason address_unknown. A 返戻 normally follows.
//   - 転居のため転送 (research 2026): forwarded to the recipient's new
//     address, in transit.
//   - 配達完了 (the same 2026-04 list): delivered.
//   - 税関検査のため税関へ提示 (a PHP keyword list, code id 56274475264):
//     presented to customs, in transit.
func vocabulary() []word {
	return []word{
		{"引受", carriers.StatusInTransit, carriers.ReasonNone},
		{"通過", carriers.StatusInTransit, carriers.ReasonNone},
		{"到着", carriers.StatusInTransit, carriers.ReasonNone},
		{"中継", carriers.StatusInTransit, carriers.ReasonNone},
		{"配達希望受付", carriers.StatusInTransit, carriers.ReasonNone},
		{"転送", carriers.StatusInTransit, carriers.ReasonNone},
		{"配達局から出発", carriers.StatusInTransit, carriers.ReasonNone},
		{"国際交換局から発送", carriers.StatusInTransit, carriers.ReasonNone},
		{"国際交換局に到着", carriers.StatusInTransit, carriers.ReasonNone},
		{"通関手続中", carriers.StatusInTransit, carriers.ReasonNone},
		{"持ち出し中", carriers.StatusOutForDelivery, carriers.ReasonNone},
		{"ご不在のため持ち戻り", carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
		{"お届け先 休日のため保管", carriers.StatusDeliveryFailed, carriers.ReasonNoAccess},
		{"保管", carriers.StatusAwaitingPickup, carriers.ReasonNone},
		{"窓口でお渡し", carriers.StatusDelivered, carriers.ReasonNone},
		{"お届け先にお届け済み", carriers.StatusDelivered, carriers.ReasonNone},
		{"コンビニエンスストアに引渡", carriers.StatusDelivered, carriers.ReasonNone},
		{"差出人に返送済み", carriers.StatusReturned, carriers.ReasonNone},
		{"返送", carriers.StatusReturned, carriers.ReasonNone},
		{"調査中", carriers.StatusException, carriers.ReasonInvestigating},
		{"住所不明", carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown},
		{"あて所に尋ねあたりません", carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown},
		{"受取拒否", carriers.StatusDeliveryFailed, carriers.ReasonRefused},
		{"最寄局・最寄店送付", carriers.StatusInTransit, carriers.ReasonNone},
		{"返戻", carriers.StatusReturned, carriers.ReasonNone},
		{"あて所にたずねあたりません", carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown},
		{"転居のため転送", carriers.StatusInTransit, carriers.ReasonNone},
		{"配達完了", carriers.StatusDelivered, carriers.ReasonNone},
		{"税関検査のため税関へ提示", carriers.StatusInTransit, carriers.ReasonNone},
		{"Posting/Collection", carriers.StatusInTransit, carriers.ReasonNone},
		{"Dispatch from outward office of exchange", carriers.StatusInTransit, carriers.ReasonNone},
		{"Arrival at outward office of exchange", carriers.StatusInTransit, carriers.ReasonNone},
		{"Arrival at inward office of exchange", carriers.StatusInTransit, carriers.ReasonNone},
		{"Item returned from import Customs", carriers.StatusInTransit, carriers.ReasonNone},
		{"Item out for physical delivery", carriers.StatusOutForDelivery, carriers.ReasonNone},
		{"Final delivery", carriers.StatusDelivered, carriers.ReasonNone},
		{"Returned to sender", carriers.StatusReturned, carriers.ReasonNone},
	}
}

// meaning is a word's canonical status and reason.
type meaning struct {
	status carriers.Status
	reason carriers.Reason
}

// exactWords is the vocabulary keyed by matchKey, built once. It is never
// written after construction.
var exactWords = sync.OnceValue(func() map[string]meaning {
	m := make(map[string]meaning)
	for _, w := range vocabulary() {
		m[matchKey(w.raw)] = meaning{w.status, w.reason}
	}
	return m
})

// rule is a contains rule, tried in order after the exact match fails.
type rule struct {
	contains string // already a matchKey
	meaning
}

// containsRules catch spelling variants of the words above (a suffix such
// as 「（再配達）」, a different particle). They are deliberately few: a
// word no rule matches is StatusUnknown, never a guess.
func containsRules() []rule {
	return []rule{
		{"休日のため保管", meaning{carriers.StatusDeliveryFailed, carriers.ReasonNoAccess}},
		{"ご不在", meaning{carriers.StatusDeliveryFailed, carriers.ReasonAbsent}},
		{"持ち戻り", meaning{carriers.StatusDeliveryFailed, carriers.ReasonOther}},
		{"差出人に返送", meaning{carriers.StatusReturned, carriers.ReasonNone}},
		{"返戻", meaning{carriers.StatusReturned, carriers.ReasonNone}},
		{"あて所にたずねあたりません", meaning{carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown}},
		{"あて所に尋ねあたりません", meaning{carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown}},
		{"最寄局・最寄店送付", meaning{carriers.StatusInTransit, carriers.ReasonNone}},
		{"お届け済み", meaning{carriers.StatusDelivered, carriers.ReasonNone}},
		{"国際交換局", meaning{carriers.StatusInTransit, carriers.ReasonNone}},
		{"通関", meaning{carriers.StatusInTransit, carriers.ReasonNone}},
		{"returnedtosender", meaning{carriers.StatusReturned, carriers.ReasonNone}},
		{"officeofexchange", meaning{carriers.StatusInTransit, carriers.ReasonNone}},
	}
}

// rules is containsRules built once; it is never written after.
var rules = sync.OnceValue(containsRules)

// matchKey prepares raw text for matching: it drops the ↓ and ⇒ arrows,
// every kind of white space (full-width included) and folds ASCII to lower
// case.
func matchKey(raw string) string {
	var b strings.Builder
	b.Grow(len(raw))
	for _, r := range raw {
		switch {
		case r == '↓' || r == '⇒' || unicode.IsSpace(r) || r == '\u3000':
			continue
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Classify maps a 配送履歴 word to its canonical status and reason: exact
// match first, then the contains rules, else StatusUnknown.
func Classify(raw string) (carriers.Status, carriers.Reason) {
	key := matchKey(raw)
	if key == "" {
		return carriers.StatusUnknown, carriers.ReasonNone
	}
	if m, ok := exactWords()[key]; ok {
		return m.status, m.reason
	}
	for _, r := range rules() {
		if strings.Contains(key, r.contains) {
			return r.status, r.reason
		}
	}
	return carriers.StatusUnknown, carriers.ReasonNone
}
