package tracker

import (
	"slices"
	"strings"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// Candidates the engine cannot ask.
//
// The API carriers (DHL, FedEx, UPS) are registered only when the config
// holds their credentials. A number that fits one of them and a carrier
// with a public page is asked of the registered ones only; a parcel that
// only unregistered carriers could know is never polled and never "not
// found": its LastError says what is missing ("UPS: add an API key in the
// config"), which lists and the status page show (WaitingNote), and the
// engine logs it once per parcel and wording. A number the registered
// candidates answered "not found" for, that an unregistered one could
// still know, is not_found with a LastError that says so ("DHL: add an
// API key in the config to ask DHL"), shown the same way.

// missingKeySuffix ends every "what is missing" message.
const missingKeySuffix = ": add an API key in the config"

// apiNames are the display names of the carriers that need a key.
var apiNames = map[string]string{"dhl": "DHL", "fedex": "FedEx", "ups": "UPS"}

// candidates returns the registered carriers that may know number, in
// rank order: those with public tracking when there are any (Amazon can
// never answer, so a number that also fits a domestic carrier keeps being
// asked of that carrier), else the registered ones without (Amazon, which
// marks the parcel untrackable). Carriers that are not registered (an API
// carrier without a key) are never candidates; nil means none is.
func (e *Engine) candidates(number string) []string {
	var trackable, other []string
	for _, c := range carriers.Identify(number).Carriers() {
		ct, ok := e.reg.Contacts(c)
		switch {
		case !ok:
		case ct.Trackable:
			trackable = append(trackable, c)
		default:
			other = append(other, c)
		}
	}
	if len(trackable) > 0 {
		return trackable
	}
	return other
}

// registered returns the names of cands that are registered, in order
// (cands itself when all are).
func (e *Engine) registered(cands []string) []string {
	for i, c := range cands {
		if _, ok := e.reg.Contacts(c); ok {
			continue
		}
		out := slices.Clone(cands[:i])
		for _, c := range cands[i+1:] {
			if _, ok := e.reg.Contacts(c); ok {
				out = append(out, c)
			}
		}
		return out
	}
	return cands
}

// missingKey returns what p waits for when no carrier that could know it
// is registered: "UPS: add an API key in the config", or "" when one is.
// p.Carrier (pinned or resolved) counts alone; otherwise the stored
// candidates and every carrier the number fits (identified only when no
// candidate is registered: this runs for every due parcel).
func (e *Engine) missingKey(p store.Parcel) string {
	if p.Carrier != "" {
		if e.known(p.Carrier) {
			return ""
		}
		return MissingKey(p.Carrier)
	}
	if slices.ContainsFunc(p.Candidates, e.known) {
		return ""
	}
	fits := carriers.Identify(p.Number).Carriers()
	if slices.ContainsFunc(fits, e.known) {
		return ""
	}
	return MissingKey(append(slices.Clone(p.Candidates), fits...)...)
}

// known reports whether carrier is registered.
func (e *Engine) known(carrier string) bool {
	_, ok := e.reg.Contacts(carrier)
	return ok
}

// MissingKey says which carriers' API keys are missing, for carriers
// that are not registered: "UPS: add an API key in the config", "DHL or
// FedEx: …"; "" for no names. `todoku track` says the same.
func MissingKey(unregistered ...string) string {
	var missing []string
	for _, c := range unregistered {
		if c == "" {
			continue
		}
		name := apiNames[c]
		if name == "" {
			name = c
		}
		if !slices.Contains(missing, name) {
			missing = append(missing, name)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return strings.Join(missing, " or ") + missingKeySuffix
}

// notAsked returns what a number the registered carriers did not find
// still waits for: "DHL: add an API key in the config to ask DHL" when a
// carrier without a key could know it, else "".
func (e *Engine) notAsked(number string) string {
	var missing []string
	for _, c := range carriers.Identify(number).Carriers() {
		if !e.known(c) {
			missing = append(missing, c)
		}
	}
	return NotAsked(missing...)
}

// NotAsked says, of a number the carriers asked did not find, which
// carriers without an API key were not asked: "DHL: add an API key in the
// config to ask DHL"; "" for no names.
func NotAsked(unregistered ...string) string {
	msg := MissingKey(unregistered...)
	if msg == "" {
		return ""
	}
	return msg + " to ask " + strings.TrimSuffix(msg, missingKeySuffix)
}

// waitForKey records on p, once, that it waits for an API key, and logs
// it once. The parcel stays due: it is asked as soon as a restart with the
// key registers its carrier.
func (e *Engine) waitForKey(p store.Parcel, msg string) {
	if p.LastError == msg {
		return
	}
	err := e.store.UpdateParcel(p.Number, func(cur *store.Parcel, exists bool) error {
		if !exists || cur.LastError == msg {
			return store.ErrSkip
		}
		cur.LastError = msg
		return nil
	})
	if err != nil {
		e.log.Error("write parcel", "number", p.Number, "err", err)
		return
	}
	e.log.Warn("parcel waits for an API key: its carrier is not configured", "number", p.Number, "missing", msg)
}

// WaitingNote returns what a parcel waits for before it can be asked at
// all ("UPS: add an API key in the config"), or, when the carriers asked
// did not find it, which carrier was not asked for want of a key ("DHL:
// add an API key in the config to ask DHL"); "" when nothing.
func WaitingNote(p store.Parcel) string {
	if !p.Active() {
		return ""
	}
	if p.Status == "" && strings.HasSuffix(p.LastError, missingKeySuffix) ||
		p.Status == carriers.StatusNotFound && strings.Contains(p.LastError, missingKeySuffix) {
		return p.LastError
	}
	return ""
}

// withNote puts note (what was not asked) into the not-found-too-long
// notices among entries that carry no text of their own.
func withNote(entries []store.OutboxEntry, note string) []store.OutboxEntry {
	if note == "" {
		return entries
	}
	for i := range entries {
		if entries[i].Kind == string(notify.KindNotFoundTooLong) && entries[i].Text == "" {
			entries[i].Text = note
		}
	}
	return entries
}

// neverAsked reports whether p waits for a key and was never asked.
func neverAsked(p store.Parcel) bool {
	return p.Status == "" && WaitingNote(p) != ""
}
