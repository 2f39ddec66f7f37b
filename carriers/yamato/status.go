package yamato

import (
	"strings"
	"unicode"

	"github.com/todoku/todoku/carriers"
)

// meaning is the canonical reading of one of Yamato's status words.
type meaning struct {
	status carriers.Status
	reason carriers.Reason
}

// exactWords maps Yamato's history and state words (research §2b, §8) to
// their meaning. Keys are normalised with normWord.
var exactWords = map[string]meaning{
	// info_received: a label exists, the parcel is not handed over yet.
	"出荷指示":   {carriers.StatusInfoReceived, carriers.ReasonNone},
	"伝票番号発行": {carriers.StatusInfoReceived, carriers.ReasonNone},
	"投函予定":   {carriers.StatusInfoReceived, carriers.ReasonNone},

	// in_transit.
	"荷物受付":     {carriers.StatusInTransit, carriers.ReasonNone},
	"発送":       {carriers.StatusInTransit, carriers.ReasonNone},
	"発送済み":     {carriers.StatusInTransit, carriers.ReasonNone},
	"作業店通過":    {carriers.StatusInTransit, carriers.ReasonNone},
	"中継店通過":    {carriers.StatusInTransit, carriers.ReasonNone},
	"輸送中":      {carriers.StatusInTransit, carriers.ReasonNone},
	"航空搭載":     {carriers.StatusInTransit, carriers.ReasonNone},
	"陸・海上切替え":  {carriers.StatusInTransit, carriers.ReasonNone},
	"輸送経路修正":   {carriers.StatusInTransit, carriers.ReasonNone},
	"配達店到着":    {carriers.StatusInTransit, carriers.ReasonNone},
	"配達準備中":    {carriers.StatusInTransit, carriers.ReasonNone},
	"配達担当店保管中": {carriers.StatusInTransit, carriers.ReasonNone},
	"配達日・時間帯指定（保管中）": {carriers.StatusInTransit, carriers.ReasonNone},
	"転送":     {carriers.StatusInTransit, carriers.ReasonNone},
	"引渡":     {carriers.StatusInTransit, carriers.ReasonNone},
	"委託先引渡":  {carriers.StatusInTransit, carriers.ReasonNone},
	"海外荷物受付": {carriers.StatusInTransit, carriers.ReasonNone},
	"国内到着":   {carriers.StatusInTransit, carriers.ReasonNone},
	// A Ruby status table of Yamato's words (public code id 30227778396)
	// lists these as "in delivery" (:entry). 配達予定/配送予定 announce a
	// delivery, they are not one; 荷受け is the acceptance (荷物受付);
	// 配送店到着 is 配達店到着 in other words; 配送中 is "being shipped",
	// not "out for delivery" (配送 covers the line haul), so it is
	// in_transit; 海外発送 is a parcel sent abroad, still moving.
	"配達予定":             {carriers.StatusInTransit, carriers.ReasonNone},
	"配送予定":             {carriers.StatusInTransit, carriers.ReasonNone},
	"荷受け":              {carriers.StatusInTransit, carriers.ReasonNone},
	"配送店到着":            {carriers.StatusInTransit, carriers.ReasonNone},
	"配送中":              {carriers.StatusInTransit, carriers.ReasonNone},
	"海外発送":             {carriers.StatusInTransit, carriers.ReasonNone},
	"配達中":              {carriers.StatusOutForDelivery, carriers.ReasonNone},
	"持ち出し中":            {carriers.StatusOutForDelivery, carriers.ReasonNone},
	"持戻（ご不在）":          {carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
	"持戻（休業）":           {carriers.StatusDeliveryFailed, carriers.ReasonNoAccess},
	"持戻（宅配BOX不可）120以上": {carriers.StatusDeliveryFailed, carriers.ReasonNoAccess},
	"ご来店予定（保管中）":       {carriers.StatusAwaitingPickup, carriers.ReasonNone},
	"保管中（ご指定店）":        {carriers.StatusAwaitingPickup, carriers.ReasonNone},
	"調査中":              {carriers.StatusException, carriers.ReasonInvestigating},
	"返品":               {carriers.StatusReturned, carriers.ReasonNone},
	"返品完了":             {carriers.StatusReturned, carriers.ReasonNone},
	"返送完了":             {carriers.StatusReturned, carriers.ReasonNone},
	"配達完了":             {carriers.StatusDelivered, carriers.ReasonNone},
	"配達完了（宅配ボックス）":     {carriers.StatusDelivered, carriers.ReasonNone},
	"投函完了":             {carriers.StatusDelivered, carriers.ReasonNone},
	"お客様引渡完了":          {carriers.StatusDelivered, carriers.ReasonNone},
	// The same Ruby table counts 配送完了 as complete (:complete).
	"配送完了": {carriers.StatusDelivered, carriers.ReasonNone},

	// Seen only in third-party normalisation tables, never on a recorded
	// Yamato page (research §2b, §8: [unverified]).
	"住所不明":  {carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown},
	"転居先不明": {carriers.StatusDeliveryFailed, carriers.ReasonAddressUnknown},
	"受取拒否":  {carriers.StatusDeliveryFailed, carriers.ReasonRefused},
	"受取辞退":  {carriers.StatusDeliveryFailed, carriers.ReasonRefused},
	"長期不在":  {carriers.StatusDeliveryFailed, carriers.ReasonAbsent},
}

// notFoundWords are the state titles with which Yamato says it has no
// such number (research §2a, §8). Keys are normalised with normWord.
var notFoundWords = map[string]bool{
	"伝票番号誤り":    true,
	"伝票番号未登録":   true,
	"該当なし":      true,
	"データがありません": true,
}

// requestPrefix starts the rows that record a request from the addressee
// or the sender — 依頼受付（再配達）, 依頼受付（置き場所変更）,
// 依頼受付（日・時間帯変更）, 依頼受付（保管） (Ruby table, code id
// 30227778396; 依頼受付(置き場所変更) with half-width brackets as the last
// row of a real page, TsuiseKit Tests/TsuiseKitTests/TsuiseKitTests.swift).
// A request is not a step of the parcel: the row is kept with the status
// in_transit (the parcel is still in Yamato's hands), but it never decides
// the parcel's status (see summarize), so a 依頼受付（再配達） after a
// 持戻（ご不在） leaves the parcel delivery_failed until the redelivery
// happens, and a request is never a delivery.
const requestPrefix = "依頼受付"

// isRequest reports whether raw is a request row (依頼受付…).
func isRequest(raw string) bool { return strings.HasPrefix(normWord(raw), requestPrefix) }

// summarize is the parcel's status from its history, oldest first:
// carriers.Summarize with request rows left out like unknown words (they
// are kept in the history; they never replace the status before them).
func summarize(events []carriers.Event) (carriers.Status, carriers.Reason) {
	reqs := false
	for _, e := range events {
		if isRequest(e.Raw) {
			reqs = true
			break
		}
	}
	if !reqs {
		return carriers.Summarize(events)
	}
	cp := make([]carriers.Event, len(events))
	for i, e := range events {
		if isRequest(e.Raw) {
			e.Status, e.Reason = carriers.StatusUnknown, carriers.ReasonNone
		}
		cp[i] = e
	}
	return carriers.Summarize(cp)
}

// rule maps words by prefix or by what they contain, after the exact table
// found nothing. The first matching rule wins.
type rule struct {
	prefix   string // the word starts with prefix (when set)
	contains string // the word contains contains (when set)
	status   carriers.Status
}

// fallbackRules catch variants of known words, such as a new bracketed
// detail after 持戻 or 配達完了. Their order matters.
var fallbackRules = []rule{
	{prefix: requestPrefix, status: carriers.StatusInTransit},
	{prefix: "返品", status: carriers.StatusReturned},
	{prefix: "返送", status: carriers.StatusReturned},
	{prefix: "持戻", status: carriers.StatusDeliveryFailed},
	{contains: "調査中", status: carriers.StatusException},
	{prefix: "配達完了", status: carriers.StatusDelivered},
	{prefix: "投函完了", status: carriers.StatusDelivered},
	{contains: "引渡完了", status: carriers.StatusDelivered},
	{prefix: "ご来店予定", status: carriers.StatusAwaitingPickup},
	{prefix: "保管中（", status: carriers.StatusAwaitingPickup},
}

// failureReasons give the reason of a delivery_failed word by what its
// bracket says; the first match wins, else ReasonOther.
var failureReasons = []struct {
	contains string
	reason   carriers.Reason
}{
	{"不在", carriers.ReasonAbsent},
	{"休業", carriers.ReasonNoAccess},
	{"BOX", carriers.ReasonNoAccess},
	{"ボックス", carriers.ReasonNoAccess},
	{"置き配", carriers.ReasonNoAccess},
	{"住所不明", carriers.ReasonAddressUnknown},
	{"転居", carriers.ReasonAddressUnknown},
	{"拒否", carriers.ReasonRefused},
	{"辞退", carriers.ReasonRefused},
}

// Classify maps one of Yamato's status words to its canonical status and
// reason: the exact table first, then prefix and contains rules, else
// StatusUnknown. It never guesses beyond those tables.
func Classify(raw string) (carriers.Status, carriers.Reason) {
	w := normWord(raw)
	if w == "" {
		return carriers.StatusUnknown, carriers.ReasonNone
	}
	if m, ok := exactWords[w]; ok {
		return m.status, m.reason
	}
	for _, r := range fallbackRules {
		if (r.prefix != "" && strings.HasPrefix(w, r.prefix)) || (r.contains != "" && strings.Contains(w, r.contains)) {
			return r.status, reasonFor(r.status, w)
		}
	}
	return carriers.StatusUnknown, carriers.ReasonNone
}

// reasonFor gives the reason that goes with status for the word w.
func reasonFor(status carriers.Status, w string) carriers.Reason {
	switch status {
	case carriers.StatusException:
		return carriers.ReasonInvestigating
	case carriers.StatusDeliveryFailed:
		for _, fr := range failureReasons {
			if strings.Contains(w, fr.contains) {
				return fr.reason
			}
		}
		return carriers.ReasonOther
	}
	return carriers.ReasonNone
}

// isNotFound reports whether a state title is one of Yamato's "no such
// number" messages.
func isNotFound(title string) bool { return notFoundWords[normWord(title)] }

// normWord prepares a word for matching: it drops the ↓ and ⇒ markers and
// every kind of space, and writes half-width brackets and letters the way
// Yamato prints them (full-width brackets, half-width Latin letters and
// digits).
func normWord(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '↓' || r == '⇒' || unicode.IsSpace(r) || r == '\u3000':
			continue
		case r == '(':
			r = '（'
		case r == ')':
			r = '）'
		case r >= '！' && r <= '～' && r != '（' && r != '）':
			r -= '！' - '!' // full-width ASCII → half-width (ＢＯＸ → BOX, １２０ → 120)
		}
		b.WriteRune(r)
	}
	return b.String()
}
