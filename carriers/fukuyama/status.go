package fukuyama

import (
	"strings"

	"github.com/todoku/todoku/carriers"
)

// word is one carrier word and its canonical meaning.
type word struct {
	raw    string
	status carriers.Status
	reason carriers.Reason
}

// words are matched, spaces removed, as the start of a state or row
// (「配達完了です」 starts with 配達完了), longer and more specific first.
// 配達完了 is confirmed for Fukuyama (itest-lab a649aab); the others are
// the common words of Japanese carriers' pages (Seino, Sagawa, Yamato in
// rawhide/tracker formatter/status.yml). Anything else is unknown.
var words = []word{
	{"配達完了", carriers.StatusDelivered, carriers.ReasonNone},
	{"持戻", carriers.StatusDeliveryFailed, carriers.ReasonOther},
	{"持ち戻り", carriers.StatusDeliveryFailed, carriers.ReasonOther},
	{"ご不在", carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
	{"配達中", carriers.StatusOutForDelivery, carriers.ReasonNone},
	{"輸送中", carriers.StatusInTransit, carriers.ReasonNone},
	{"発送", carriers.StatusInTransit, carriers.ReasonNone},
	{"到着", carriers.StatusInTransit, carriers.ReasonNone},
	{"中継", carriers.StatusInTransit, carriers.ReasonNone},
	{"集荷", carriers.StatusInTransit, carriers.ReasonNone},
}

// lookup maps a word to its status; a failed attempt that names absence
// is ReasonAbsent. Unknown words are StatusUnknown.
func lookup(raw string) (carriers.Status, carriers.Reason) {
	c := strings.ReplaceAll(carriers.CleanText(raw), " ", "")
	for _, w := range words {
		if strings.HasPrefix(c, w.raw) {
			if w.status == carriers.StatusDeliveryFailed && strings.Contains(c, "不在") {
				return w.status, carriers.ReasonAbsent
			}
			return w.status, w.reason
		}
	}
	return carriers.StatusUnknown, carriers.ReasonNone
}
