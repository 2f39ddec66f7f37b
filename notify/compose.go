package notify

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/todoku/todoku/carriers"
)

// Caps on the variable parts of a message, so that the phone line, which
// follows them, always survives truncation of the body to 1024 runes.
const (
	maxRaw      = 200
	maxLocation = 80
	maxLabel    = 100
	maxOffice   = 60
	maxProduct  = 40
)

// Composer turns a Notice into a Message.
type Composer struct {
	Settings Settings
	// Contacts looks up a carrier's contact data by registry name (for
	// example (*carriers.Registry).Contacts, or [Directory]).
	Contacts func(carrier string) (carriers.Contacts, bool)
}

// Directory returns a Contacts lookup over the given contact data, keyed
// by Contacts.Carrier.
func Directory(cs ...carriers.Contacts) func(string) (carriers.Contacts, bool) {
	m := make(map[string]carriers.Contacts, len(cs))
	for _, c := range cs {
		m[c.Carrier] = c
	}
	return func(name string) (carriers.Contacts, bool) {
		c, ok := m[name]
		return c, ok
	}
}

// CallInfo is "the number to call" for a parcel, also shown by `todoku
// show` and the status page. Hours and Status are empty when the opening
// hours are unknown (an office number from a result page).
type CallInfo struct {
	Number, Who, Hours string
	Open               bool
	NextOpen           time.Time
	Status             string // 受付中 / 受付時間外・8:00から
}

func (c Composer) contacts(carrier string) carriers.Contacts {
	if c.Contacts != nil && carrier != "" {
		if ct, ok := c.Contacts(carrier); ok {
			return ct
		}
	}
	return carriers.Contacts{Carrier: carrier}
}

// Call returns the number to call about a parcel: the handling office's
// phone when the result page gave one, else the carrier's central number
// for the user's phone kind, with its opening hours and whether it is
// open at now (Asia/Tokyo, holidays as the hours data says). It reports
// false when there is no number at all.
func (c Composer) Call(carrier string, office carriers.Office, now time.Time) (CallInfo, bool) {
	ct := c.contacts(carrier)
	p := phrasesFor(c.Settings.Lang)
	if phone := oneLine(office.Phone); plausiblePhone(phone) {
		who := ct.Name(p.lang)
		if name := strings.TrimSpace(office.Name); name != "" {
			who += " " + truncate(name, maxOffice)
		} else {
			who += " " + p.office
		}
		return CallInfo{Number: phone, Who: who}, true
	}
	return c.central(ct, now)
}

// plausiblePhone accepts an office phone from a result page: short, with
// enough digits. Anything else falls back to the central number rather
// than printing page debris as the number to call.
func plausiblePhone(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > 30 {
		return false
	}
	digits := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	return digits >= 6
}

// central returns the carrier's central number for the user's phone kind.
// In English the phone's label is left out when it is Japanese (the
// contact data has no English labels): the carrier's English name stays.
func (c Composer) central(ct carriers.Contacts, now time.Time) (CallInfo, bool) {
	kind := c.Settings.PhoneKind
	if kind == "" {
		kind = carriers.PhoneLandline
	}
	ph, ok := ct.Phone(kind)
	if !ok || ph.Number == "" {
		return CallInfo{}, false
	}
	p := phrasesFor(c.Settings.Lang)
	ci := CallInfo{Number: ph.Number, Who: ct.Name(p.lang)}
	if ph.Label != "" && !(p.lang == "en" && hasJapanese(ph.Label)) {
		ci.Who += " " + ph.Label
	}
	if ph.Hours.Validate() == nil {
		ci.Hours = ph.Hours.String(p.lang)
		ci.Open, ci.NextOpen = ph.Hours.OpenAt(now)
		ci.Status = p.openStatus(ci.Open, ci.NextOpen, now)
	}
	return ci, true
}

// hasJapanese reports whether s has kana or kanji (or full-width
// punctuation): text an English message leaves out rather than show
// untranslated.
func hasJapanese(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
			(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) {
			return true
		}
	}
	return false
}

// lines formats a CallInfo for the body: the number and whose it is,
// then whether it is open now and its hours, e.g.
//
//	☎ 0120-01-9625 ヤマト運輸
//	受付中（受付時間 8:00–21:00（年中無休））
func (ci CallInfo) lines(lang string) []string {
	out := []string{strings.TrimSpace("☎ " + ci.Number + " " + ci.Who)}
	if ci.Hours != "" {
		if lang == "en" {
			out = append(out, ci.Status+" (hours "+ci.Hours+")")
		} else {
			out = append(out, ci.Status+"（受付時間 "+ci.Hours+"）")
		}
	}
	return out
}

// Compose builds the message for n at now. The priority comes from
// Settings.Plan at now (so urgent news composed during quiet hours
// is sent at -1 when so configured); emergency messages carry the
// configured retry and expire. The result always fits Pushover's limits.
func (c Composer) Compose(n Notice, now time.Time) Message {
	p := phrasesFor(c.Settings.Lang)
	ct := c.contacts(n.Carrier)
	plan := c.Settings.Plan(n, now)
	m := Message{
		Title:     c.title(p, ct, n),
		Priority:  plan.Priority,
		Timestamp: n.Event.Time,
		Kind:      n.Kind,
		Number:    n.Number,
		Carrier:   n.Carrier,
	}
	if m.Priority == PriorityEmergency {
		m.Retry, m.Expire = c.Settings.EmergencyRetry, c.Settings.EmergencyExpire
	}
	var lines []string
	if late := lateLine(p, n.Queued, now); late != "" {
		lines = append(lines, late)
	}
	switch n.Kind {
	case KindOperator:
		lines = append(lines, n.Text)
	case KindAdded:
		lines = append(lines, c.added(p, n)...)
		m.URL, m.URLTitle = link(p, ct, n)
		if m.Timestamp.IsZero() {
			m.Timestamp = n.Queued
		}
	default:
		var body []string
		body, m.Phone = c.body(p, ct, n, now)
		lines = append(lines, body...)
		m.URL, m.URLTitle = link(p, ct, n)
	}
	m.Body = strings.TrimSpace(strings.Join(nonEmpty(lines), "\n"))
	if m.Body == "" {
		m.Body = p.noDetails
	}
	return Fit(m)
}

// added returns the lines of a parcel added from a mail: the number as
// the carrier prints it, the shop, and how to remove it. No phone line:
// nothing needs a call yet.
func (c Composer) added(p *phrases, n Notice) []string {
	lines := []string{p.trackingNumber + carriers.Display(n.Carrier, n.Number)}
	if shop := truncate(oneLine(n.Text), maxLabel); shop != "" {
		lines = append(lines, p.shop+shop)
	}
	return append(lines, p.added)
}

// title is e.g. 不在持戻り: カメラレンズ（ヤマト運輸）.
func (c Composer) title(p *phrases, ct carriers.Contacts, n Notice) string {
	what := p.what(n.Kind, n.Event.Reason)
	if n.Kind == KindOperator {
		if n.Carrier == "" {
			return what
		}
		return what + ": " + ct.Name(p.lang)
	}
	subject := oneLine(n.Label)
	if subject == "" {
		subject = carriers.Display(n.Carrier, n.Number)
	}
	name := ct.Name(p.lang)
	if name == "" { // the carrier is not known yet: no empty brackets
		return what + ": " + truncate(subject, maxLabel)
	}
	return fmt.Sprintf(p.titleFmt, what, truncate(subject, maxLabel), name)
}

// body returns the lines of a parcel message, the phone line near the
// top, and the number to call.
func (c Composer) body(p *phrases, ct carriers.Contacts, n Notice, now time.Time) ([]string, string) {
	var lines []string
	if raw := oneLine(n.Event.Raw); raw != "" {
		lines = append(lines, truncate(raw, maxRaw))
	}
	if !n.Event.Time.IsZero() || n.Event.Location != "" {
		var when string
		if !n.Event.Time.IsZero() {
			when = p.day(n.Event.Time) + " " + clock(n.Event.Time)
		}
		sep := " "
		if p.lang == "en" && when != "" {
			sep = ", "
		}
		loc := truncate(oneLine(n.Event.Location), maxLocation)
		lines = append(lines, strings.TrimPrefix(strings.TrimSuffix(when+sep+loc, sep), sep))
	}
	if n.Kind == KindAwaitingPickup {
		lines = append(lines, deadlineLine(p, ct, n))
	}
	var phone string
	if ci, ok := c.Call(n.Carrier, n.Office, now); ok {
		phone = ci.Number
		lines = append(lines, ci.lines(p.lang)...)
		if ci.Hours == "" { // an office number: add the central number with hours
			if cen, ok := c.central(ct, now); ok && cen.Number != ci.Number {
				lines = append(lines, cen.lines(p.lang)...)
			}
		}
	}
	// The carrier's advice is about rebooking and collecting: it goes with
	// failures and held parcels. Amazon's (drivers' number, the app) goes
	// with everything but a delivery.
	note := ""
	if n.Kind == KindDeliveryFailed || n.Kind == KindAwaitingPickup {
		note = noteFor(p.lang, ct)
	}
	if n.Carrier == "amazon" && n.Kind != KindDelivered {
		lines = append(lines, amazonNote(p, noteFor(p.lang, ct)))
		note = ""
	}
	num := p.trackingNumber + carriers.Display(n.Carrier, n.Number)
	if prod := truncate(oneLine(n.Product), maxProduct); prod != "" {
		if p.lang == "en" {
			num += " (" + prod + ")"
		} else {
			num += "（" + prod + "）"
		}
	}
	if !ct.Trackable || strings.Contains(ct.TrackingURL, "{number}") {
		lines = append(lines, num)
	} else {
		// The link opens the carrier's search page, not this parcel's:
		// the number goes first, where it is easy to copy and paste.
		lines = append([]string{num}, lines...)
	}
	if n.Degraded {
		lines = append(lines, p.degraded)
	}
	if n.Kind == KindNotFoundTooLong && n.Text == "" {
		lines = append(lines, p.notFoundAdvice)
	}
	lines = append(lines, n.Text)
	lines = append(lines, note)
	return lines, phone
}

// LateAfter is how late a notice must be before its message says so.
const LateAfter = 5 * time.Minute

// lateLine says how long ago a notice was queued when it is sent at
// least LateAfter late, e.g. ⏳ 2時間15分遅れの通知です; otherwise "".
func lateLine(p *phrases, queued, now time.Time) string {
	if queued.IsZero() || now.Sub(queued) < LateAfter {
		return ""
	}
	return fmt.Sprintf(p.late, p.age(now.Sub(queued)), p.day(queued)+" "+clock(queued))
}

// age formats a delay in days, hours and minutes: 2時間15分, "2h 15m".
func (p *phrases) age(d time.Duration) string {
	mins := int(d / time.Minute)
	days, hours, minutes := mins/(24*60), mins/60%24, mins%60
	var parts []string
	units := [3]string{"日", "時間", "分"}
	sep := ""
	if p.lang == "en" {
		units, sep = [3]string{"d", "h", "m"}, " "
	}
	for i, v := range [3]int{days, hours, minutes} {
		if v > 0 || (i == 2 && len(parts) == 0) {
			parts = append(parts, fmt.Sprintf("%d%s", v, units[i]))
		}
		if days > 0 && i == 1 { // days and hours are precise enough
			break
		}
	}
	return strings.Join(parts, sep)
}

// deadlineLine is the pickup deadline, or an estimate from the carrier's
// hold period when the page gave none.
func deadlineLine(p *phrases, ct carriers.Contacts, n Notice) string {
	if !n.Deadline.IsZero() {
		return p.deadline + p.day(n.Deadline)
	}
	if ct.HoldDays > 0 && !n.Event.Time.IsZero() {
		return p.deadlineGuess + p.day(n.Event.Time.AddDate(0, 0, ct.HoldDays))
	}
	return ""
}

// amazonNote explains that Amazon's own drivers call from 0120-070-585
// and that redelivery is arranged in the app (注文履歴 → 配送状況を確認):
// the carrier's note when it says both, else the built-in text.
func amazonNote(p *phrases, note string) string {
	if strings.Contains(note, "0120-070-585") && strings.Contains(note, "注文履歴 → 配送状況を確認") {
		return note
	}
	return p.amazonNote
}

func noteFor(lang string, ct carriers.Contacts) string {
	if lang == "en" {
		return ct.NoteEN
	}
	return ct.NoteJA
}

// link returns the official page for the parcel and its title. After a
// failed attempt or while held it prefers a redelivery page for the
// number, then the tracking page for the number (carriers rebook from
// there), then the general redelivery page; otherwise the tracking page.
// A link outside the carrier's official domains is never used.
func link(p *phrases, ct carriers.Contacts, n Notice) (string, string) {
	name := ct.Name(p.lang)
	display := carriers.Display(n.Carrier, n.Number)
	track := ct.Tracking(n.Number)
	type cand struct{ url, title string }
	perParcel := strings.Contains(ct.TrackingURL, "{number}")
	cands := []cand{{track, fmt.Sprintf(p.trackTitle, display, name)}}
	if !perParcel {
		// No confirmed link opens this parcel's own page (Yamato): the
		// search page, titled as such; the body starts with the number.
		cands[0].title = fmt.Sprintf(p.searchTitle, name)
	}
	if n.Kind == KindDeliveryFailed || n.Kind == KindAwaitingPickup {
		rebook := cand{strings.ReplaceAll(ct.RedeliveryURL, "{number}", n.Number), fmt.Sprintf(p.rebookTitle, name)}
		if perParcel {
			cands[0].title = fmt.Sprintf(p.trackRebookTitle, display, name)
		}
		if strings.Contains(ct.RedeliveryURL, "{number}") {
			cands = []cand{rebook, cands[0]}
		} else {
			cands = append(cands, rebook)
		}
	}
	for _, c := range cands {
		if Official(ct, c.url) {
			return c.url, c.title
		}
	}
	return "", ""
}

// oneLine collapses line breaks and runs of space, so that carrier text
// cannot push the phone line down.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func nonEmpty(lines []string) []string {
	out := lines[:0:0]
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
