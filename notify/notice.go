package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/todoku/todoku/carriers"
)

// Kind is the kind of news a notification carries.
type Kind string

// The kinds of notification.
const (
	KindDeliveryFailed  Kind = "delivery_failed"
	KindAwaitingPickup  Kind = "awaiting_pickup"
	KindReturned        Kind = "returned"
	KindException       Kind = "exception"
	KindDelivered       Kind = "delivered"
	KindOutForDelivery  Kind = "out_for_delivery"
	KindStale           Kind = "stale"
	KindNotFoundTooLong Kind = "not_found_too_long"
	KindOperator        Kind = "operator"
	// KindAdded announces a parcel that todoku added from a shipping mail
	// (low priority by default): Label is its label, Text the shop.
	KindAdded Kind = "added_from_mail"
)

// kinds lists every kind, parcel news first and the operator notice last.
var kinds = [...]Kind{
	KindDeliveryFailed, KindAwaitingPickup, KindReturned, KindException, KindDelivered,
	KindOutForDelivery, KindStale, KindNotFoundTooLong, KindAdded, KindOperator,
}

// Kinds returns every kind, parcel news first and the operator notice
// last, in a new slice that the caller may change.
func Kinds() []Kind { return append([]Kind(nil), kinds[:]...) }

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	for _, v := range kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Notice is one thing that happened, as the tracker hands it over.
type Notice struct {
	Kind     Kind
	Number   string          // normalised tracking number
	Carrier  string          // registry name; "" for operator notices
	Label    string          // the user's label (may be empty)
	Event    carriers.Event  // Raw, Time, Location, Status, Reason (zero for stale/operator)
	Office   carriers.Office // handling office + phone when the page gave one
	Product  string
	Deadline time.Time // awaiting_pickup
	Text     string    // operator / stale detail text; the shop for KindAdded
	// Queued is when the notice was queued (zero: unknown). A notice sent
	// more than [LateAfter] later (held while Pushover rejected the
	// credentials, paused by a 429, deferred by quiet hours) says how
	// late it is in one line at the top of the message.
	Queued time.Time
	// Degraded is set when the carrier's page was read by the layout-free
	// text reader (its layout changed): the message says so in one line.
	Degraded bool
}

// DedupKey returns the key under which the sent-ledger records n: one key
// per parcel and event, so that a re-poll that finds the same event again,
// or a restart, never sends it twice. Two notices with the same carrier,
// number, kind, event time and carrier words share a key; operator and
// stale notices are keyed by their text.
func DedupKey(n Notice) string {
	h := sha256.New()
	for _, s := range []string{
		string(n.Kind), n.Carrier, n.Number,
		n.Event.Time.UTC().Format(time.RFC3339), n.Event.Raw, string(n.Event.Status),
		n.Event.Location, n.Text,
	} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return string(n.Kind) + ":" + n.Carrier + ":" + n.Number + ":" + hex.EncodeToString(h.Sum(nil))[:16]
}

// Message is exactly what is sent to Pushover (and printed by the console
// notifier). A Message made by [Composer.Compose] already fits Pushover's
// limits.
type Message struct {
	Title, Body, URL, URLTitle string
	Priority                   int
	Timestamp                  time.Time
	Retry, Expire              time.Duration // emergency only

	// Metadata for demo --json and logs (not sent).
	Kind                   Kind
	Number, Carrier, Phone string
}

// Notifier sends composed messages.
type Notifier interface {
	// Send delivers m once. retry reports whether a failure is worth
	// retrying (network, timeout, 5xx); it is false for 4xx/status!=1. A
	// *QuotaError means the monthly quota is spent until Reset (do not
	// retry before then). A cancelled ctx ends the wait and is retryable;
	// the message may or may not have been sent.
	Send(ctx context.Context, m Message) (retry bool, err error)
}

// QuotaError reports that Pushover will take no message before Reset:
// its monthly quota is spent, it answered 429 (Reason says so), or it
// rejected the credentials and every message is held (Reason says so;
// Reset is the next look). The sender keeps every message and stops
// sending until Reset; nothing is dropped.
type QuotaError struct {
	Reset time.Time
	// Reason is empty for the monthly quota.
	Reason string
}

func (e *QuotaError) Error() string {
	if e.Reason != "" {
		return "notify: " + e.Reason + "; next try " + e.Reset.UTC().Format(time.RFC3339)
	}
	return "notify: pushover monthly quota spent until " + e.Reset.UTC().Format(time.RFC3339)
}

// Sentinel errors, for errors.Is. The Pushover ones come wrapped as
// "notify: pushover send: …".
var (
	// ErrSendInFlight: an earlier Pushover request, abandoned at its
	// deadline, is still hanging; retry later.
	ErrSendInFlight = errors.New("an earlier pushover request is still in flight")
	// ErrTooSoon: a retry came sooner than 5 s after a failed request.
	ErrTooSoon = errors.New("retry sooner than 5s after a failure")
	// ErrRejected: Pushover rejected the message (4xx or status != 1); do
	// not retry.
	ErrRejected = errors.New("pushover rejected the message")
	// ErrUnavailable: Pushover answered with a server error (5xx).
	ErrUnavailable = errors.New("pushover unavailable")
	// ErrConfig: the Pushover configuration is unusable.
	ErrConfig = errors.New("notify: bad pushover config")
	// ErrSettings: the notification settings are invalid.
	ErrSettings = errors.New("notify: bad settings")
)
