package seino

import (
	"strings"

	"github.com/todoku/todoku/carriers"
)

// word is one Seino word and its canonical meaning.
type word struct {
	raw    string
	status carriers.Status
	reason carriers.Reason
}

// words are matched against text with its spaces removed, in this order
// (longer and more specific first). Sources: rawhide/tracker
// formatter/status.yml (seinou: 受付, 発送, 中継, 持戻 = a failed attempt,
// 持出, 配達, 配達済みです) and itest-lab a649aab (配達済み = delivered).
// 配達 alone is a step whose meaning no source settles (delivered, or being
// delivered): it stays unknown and never replaces a known status.
var words = []word{
	{"配達済", carriers.StatusDelivered, carriers.ReasonNone},
	{"持戻", carriers.StatusDeliveryFailed, carriers.ReasonOther},
	{"持出", carriers.StatusOutForDelivery, carriers.ReasonNone},
	{"到着", carriers.StatusInTransit, carriers.ReasonNone},
	{"中継", carriers.StatusInTransit, carriers.ReasonNone},
	{"発送", carriers.StatusInTransit, carriers.ReasonNone},
	{"受付", carriers.StatusInTransit, carriers.ReasonNone},
}

// lookup maps a Seino word to its status: the word, spaces removed,
// starts with a known one (配達済みです, 持戻（ご不在）); a 持戻 that names
// absence is ReasonAbsent. Anything else (再配達受付) is StatusUnknown.
func lookup(raw string) (carriers.Status, carriers.Reason) {
	c := compact(raw)
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
