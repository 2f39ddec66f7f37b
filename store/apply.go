package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/todoku/todoku/carriers"
)

// Update is one poll result to apply atomically.
type Update struct {
	// Parcel is the new parcel state; it replaces the stored one.
	Parcel Parcel
	// Events are candidate events; ones already stored (same time,
	// status, reason, raw and location) are skipped. New events get
	// Carrier = Parcel.Carrier and Seen = Parcel.LastPoll (the time of
	// the poll that brought them), or the wall clock if LastPoll is zero.
	Events []carriers.Event
	// Outbox entries whose Key is already in the outbox or the
	// sent-ledger are skipped.
	Outbox []OutboxEntry
}

// applyOne writes u over cur (the stored parcel, when ok).
func applyOne(tx *bolt.Tx, u Update, cur Parcel, ok bool, seen time.Time) (Applied, error) {
	u.Parcel.Last = nil
	if ok {
		u.Parcel.Tracked, u.Parcel.Label, u.Parcel.Pinned = cur.Tracked, cur.Label, cur.Pinned
		if cur.Pinned {
			u.Parcel.Carrier = cur.Carrier
		}
		u.Parcel.Last = cur.Last
	}
	events, err := addEvents(tx, u.Parcel.Number, u.Parcel.Carrier, seen, u.Events)
	if err != nil {
		return Applied{}, err
	}
	u.Parcel.Last = newest(u.Parcel.Last, events)
	if err := writeParcel(tx, u.Parcel); err != nil {
		return Applied{}, err
	}
	n, err := enqueue(tx, u.Outbox)
	if err != nil {
		return Applied{}, err
	}
	return Applied{Events: events, Queued: n}, nil
}

// Applied says what an Apply actually added.
type Applied struct {
	Events []StoredEvent // the events actually added, by time then Seq
	Queued int           // outbox entries actually added
}

// Apply writes u in ONE bbolt transaction: the parcel state, the new
// events and the new outbox entries. Either all of it is committed or
// none. Applying the same Update again adds no event and no entry (the
// parcel is rewritten with the same value). A parcel without a number or
// an outbox entry without a key fails the whole Apply.
//
// The fields the config owns (Tracked, Label, Pinned and a pinned
// Carrier) are kept as stored: a config reload that ran while the poll
// was in flight wins over the poll's older copy.
func (s *Store) Apply(u Update) (Applied, error) {
	seen := u.Parcel.LastPoll
	if seen.IsZero() {
		seen = time.Now()
	}
	var out Applied
	err := s.update(fmt.Sprintf("apply %q", u.Parcel.Number), func(tx *bolt.Tx) error {
		cur, ok, err := getParcel(tx, u.Parcel.Number)
		if err != nil {
			return err
		}
		out, err = applyOne(tx, u, cur, ok, seen)
		return err
	})
	if err != nil {
		return Applied{}, err
	}
	return out, nil
}
