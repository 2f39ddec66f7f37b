package sagawa

import (
	"strings"

	"github.com/todoku/todoku/carriers"
)

// meaning is what one of Sagawa's words means.
type meaning struct {
	status carriers.Status
	reason carriers.Reason
	// hold marks 保管中 and its variants: held before delivery, held after
	// a failed attempt, or held for collection. applyRules decides which
	// from the rest of the history.
	hold bool
}

// exact maps Sagawa's words, cleaned by matchKey, to their meaning.
//
// Sources: the words seen on 2026 pages — 集荷, 輸送中, 保管中, 配達中,
// 配達完了, 調査中 — come from sm-trz/sagawa-monitor test.js (page text
// saved in 2026-08), Shakshi3104/TsuiseKit (its Sagawa test page, 集荷 →
// 配達中) and shlee322/delivery-tracker jp.sagawa; お届け中, 出荷情報受付,
// 受け取り辞退 and the other variants from sm-trz carriers/sagawa.js (its
// normalisation table); the rest from shared/research/carriers.md §3b and
// §8 and the 2009 fixtures.
var exact = map[string]meaning{
	"荷物受付":   {status: carriers.StatusInfoReceived},
	"出荷情報受付": {status: carriers.StatusInfoReceived}, // sm-trz normalisation table
	"集荷":     {status: carriers.StatusInTransit},
	"輸送中":    {status: carriers.StatusInTransit},
	"幹線輸送中":  {status: carriers.StatusInTransit}, // sm-trz normalisation table
	"配達店到着":  {status: carriers.StatusInTransit}, // sm-trz normalisation table
	"保管中":    {status: carriers.StatusInTransit, hold: true},
	"営業所保管":  {status: carriers.StatusInTransit, hold: true}, // sm-trz normalisation table
	"配達中":    {status: carriers.StatusOutForDelivery},
	"お届け中":   {status: carriers.StatusOutForDelivery}, // sm-trz normalisation table
	"配達完了":   {status: carriers.StatusDelivered},
	"引渡完了":   {status: carriers.StatusDelivered},
	"配達終了":   {status: carriers.StatusDelivered},
	"持戻り":    {status: carriers.StatusDeliveryFailed, reason: carriers.ReasonAbsent},
	"持ち戻り":   {status: carriers.StatusDeliveryFailed, reason: carriers.ReasonAbsent},
	"不在持戻":   {status: carriers.StatusDeliveryFailed, reason: carriers.ReasonAbsent},
	"ご不在":    {status: carriers.StatusDeliveryFailed, reason: carriers.ReasonAbsent},
	"長期不在":   {status: carriers.StatusDeliveryFailed, reason: carriers.ReasonAbsent},
	"長期間不在":  {status: carriers.StatusDeliveryFailed, reason: carriers.ReasonAbsent},
	"調査中":    {status: carriers.StatusException, reason: carriers.ReasonInvestigating},
	"受取辞退":   {status: carriers.StatusDeliveryFailed, reason: carriers.ReasonRefused},
	"受け取り辞退": {status: carriers.StatusDeliveryFailed, reason: carriers.ReasonRefused}, // sm-trz normalisation table
	// Not seen on a real Sagawa page (research §8, [unverified]).
	"住所不明":   {status: carriers.StatusDeliveryFailed, reason: carriers.ReasonAddressUnknown},
	"受取拒否":   {status: carriers.StatusDeliveryFailed, reason: carriers.ReasonRefused},
	"受け取り拒否": {status: carriers.StatusDeliveryFailed, reason: carriers.ReasonRefused},
	"返品":     {status: carriers.StatusReturned},
	"返送":     {status: carriers.StatusReturned},
	"差出人返送":  {status: carriers.StatusReturned},
	"差出人へ返送": {status: carriers.StatusReturned},
}

// rule is a contains rule, tried in order after the exact table.
type rule struct {
	substr string
	m      meaning
}

// contains holds the looser rules. Order matters: failure and return
// words come before the words they may contain (ご不在でしたので、
// お預かりしております。 is a failed attempt, not a plain hold).
var contains = []rule{
	{"返品", meaning{status: carriers.StatusReturned}},
	{"返送", meaning{status: carriers.StatusReturned}},
	{"受取拒否", meaning{status: carriers.StatusDeliveryFailed, reason: carriers.ReasonRefused}},
	{"受け取り拒否", meaning{status: carriers.StatusDeliveryFailed, reason: carriers.ReasonRefused}},
	{"受取辞退", meaning{status: carriers.StatusDeliveryFailed, reason: carriers.ReasonRefused}},
	{"受け取り辞退", meaning{status: carriers.StatusDeliveryFailed, reason: carriers.ReasonRefused}},
	{"住所不明", meaning{status: carriers.StatusDeliveryFailed, reason: carriers.ReasonAddressUnknown}},
	{"持戻", meaning{status: carriers.StatusDeliveryFailed, reason: carriers.ReasonAbsent}},
	{"持ち戻", meaning{status: carriers.StatusDeliveryFailed, reason: carriers.ReasonAbsent}},
	{"持ち帰", meaning{status: carriers.StatusDeliveryFailed, reason: carriers.ReasonAbsent}}, // 2009: 配達店へ持ち帰りました。
	{"不在", meaning{status: carriers.StatusDeliveryFailed, reason: carriers.ReasonAbsent}},
	{"調査中", meaning{status: carriers.StatusException, reason: carriers.ReasonInvestigating}},
	{"配達完了", meaning{status: carriers.StatusDelivered}},
	{"引渡完了", meaning{status: carriers.StatusDelivered}},
	{"配達終了", meaning{status: carriers.StatusDelivered}},
	{"配達は終了", meaning{status: carriers.StatusDelivered}}, // 2009: 配達は終了致しました。
	{"お届け済", meaning{status: carriers.StatusDelivered}},
	{"配達済", meaning{status: carriers.StatusDelivered}},
	{"配達に出発", meaning{status: carriers.StatusOutForDelivery}}, // 2009: …店から配達に出発致しました。
	{"お届け中", meaning{status: carriers.StatusOutForDelivery}},
	{"出発致しました", meaning{status: carriers.StatusInTransit}}, // 2009: …店を出発致しました。
	{"お預かり致しました", meaning{status: carriers.StatusInTransit}},
	{"輸送中", meaning{status: carriers.StatusInTransit}},
	{"お預かりしております", meaning{status: carriers.StatusInTransit, hold: true}}, // 2009: …店でお預かりしております。
	{"保管", meaning{status: carriers.StatusInTransit, hold: true}},
}

// matchKey strips the ↓/⇒/↑ step markers, full-width spaces and all
// whitespace from s.
func matchKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '↓', '⇒', '↑', '→', '\u3000', ' ', '\t', '\n', '\r', '\u00a0':
			return -1
		}
		return r
	}, s)
}

// lookup returns the meaning of raw: an exact match first, then the
// contains rules, else StatusUnknown. It never guesses.
func lookup(raw string) meaning {
	key := matchKey(raw)
	if key == "" {
		return meaning{status: carriers.StatusUnknown}
	}
	if m, ok := exact[key]; ok {
		return m
	}
	for _, r := range contains {
		if strings.Contains(key, r.substr) {
			return r.m
		}
	}
	return meaning{status: carriers.StatusUnknown}
}

// applyRules sets each event's status from its word and the history
// before it: a 保管中 after a 配達中 is a failed attempt (the driver took
// the parcel back); a 保管中 with no 配達中 before it is the parcel
// waiting at the office before delivery (in transit), or, when the parcel
// was sent to be collected at the office (営業所止め), awaiting pickup.
// sm-trz/sagawa-monitor (judge.js, test.js) reads 保管中 the same way.
func applyRules(events []carriers.Event, officePickup bool) {
	tried := false
	for i := range events {
		m := lookup(events[i].Raw)
		st, rs := m.status, m.reason
		if m.hold {
			st, rs = holdStatus(tried, officePickup)
		}
		if st == carriers.StatusOutForDelivery {
			tried = true
		}
		events[i].Status, events[i].Reason = st, rs
	}
}

// holdStatus is the meaning of a 保管中: after a delivery attempt, a
// failed one; before it, awaiting pickup for a 営業所止め parcel, else in
// transit.
func holdStatus(afterAttempt, officePickup bool) (carriers.Status, carriers.Reason) {
	switch {
	case afterAttempt:
		return carriers.StatusDeliveryFailed, carriers.ReasonAbsent
	case officePickup:
		return carriers.StatusAwaitingPickup, carriers.ReasonNone
	}
	return carriers.StatusInTransit, carriers.ReasonNone
}
