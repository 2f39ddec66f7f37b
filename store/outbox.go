package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/todoku/todoku/carriers"
)

// OutboxEntry is one notification waiting to be sent.
type OutboxEntry struct {
	ID  uint64 `json:"id"`  // assigned by the store (big-endian NextSequence key)
	Key string `json:"key"` // dedup key, unique per (parcel, event)
	// Kind is one of delivery_failed, awaiting_pickup, returned, exception,
	// delivered, out_for_delivery, stale, not_found_too_long, operator.
	Kind     string          `json:"kind"`
	Number   string          `json:"number,omitempty"`
	Carrier  string          `json:"carrier,omitempty"`
	Label    string          `json:"label,omitempty"`
	Event    carriers.Event  `json:"event,omitzero"`
	Office   carriers.Office `json:"office,omitzero"`
	Product  string          `json:"product,omitempty"` // the carrier's service name (宅急便, ゆうパック …)
	Deadline time.Time       `json:"deadline,omitzero"` // pickup deadline for awaiting_pickup
	Text     string          `json:"text,omitempty"`    // free text for operator / stale notices
	// Degraded marks a notice built from a result the adapter read with
	// its layout-free text reader (carriers.Result.Degraded).
	Degraded  bool      `json:"degraded,omitempty"`
	Created   time.Time `json:"created,omitzero"`
	NotBefore time.Time `json:"not_before,omitzero"` // earliest send time (quiet hours, retry backoff)
	Attempts  int       `json:"attempts,omitempty"`
	LastError string    `json:"last_error,omitempty"`
}

// LedgerEntry records that a dedup key was dealt with: sent at At, or
// given up on (Failed, with Reason). A key in the ledger is never queued
// again.
type LedgerEntry struct {
	Key    string    `json:"key"`
	At     time.Time `json:"at"`
	Failed bool      `json:"failed,omitempty"`
	Reason string    `json:"reason,omitempty"`
}

// Enqueue adds entries to the outbox in one transaction and returns how
// many were added. An entry whose Key is already waiting in the outbox
// or recorded in the sent-ledger (or repeats an earlier entry of the same
// call) is skipped. The store assigns ID; the ID passed in is ignored.
// An entry with an empty Key is an error and nothing is added.
func (s *Store) Enqueue(entries ...OutboxEntry) (int, error) {
	var n int
	err := s.update("enqueue", func(tx *bolt.Tx) error {
		var err error
		n, err = enqueue(tx, entries)
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Pending returns up to limit entries (all when limit <= 0) whose
// NotBefore is at or before now, by ID.
func (s *Store) Pending(now time.Time, limit int) ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := s.view("pending", func(tx *bolt.Tx) error {
		return forEachOutbox(tx, func(e OutboxEntry) bool {
			if !e.NotBefore.After(now) {
				out = append(out, e)
			}
			return limit <= 0 || len(out) < limit
		})
	})
	return out, err
}

// NextPending returns the earliest NotBefore in the outbox, and false
// when the outbox is empty. A zero time means an entry is ready now.
func (s *Store) NextPending() (time.Time, bool, error) {
	var (
		next time.Time
		ok   bool
	)
	err := s.view("next pending", func(tx *bolt.Tx) error {
		return forEachOutbox(tx, func(e OutboxEntry) bool {
			if !ok || e.NotBefore.Before(next) {
				next, ok = e.NotBefore, true
			}
			return true
		})
	})
	return next, ok, err
}

// Outbox returns every waiting entry, by ID.
func (s *Store) Outbox() ([]OutboxEntry, error) {
	var out []OutboxEntry
	err := s.view("list outbox", func(tx *bolt.Tx) error {
		return forEachOutbox(tx, func(e OutboxEntry) bool {
			out = append(out, e)
			return true
		})
	})
	return out, err
}

// MarkSent deletes entry id from the outbox and records its Key in the
// sent-ledger at at, in one transaction. An unknown id gives an error
// wrapping ErrNotFound.
func (s *Store) MarkSent(id uint64, at time.Time) error {
	return s.update("mark sent", func(tx *bolt.Tx) error {
		return closeEntry(tx, id, LedgerEntry{At: at})
	})
}

// MarkFailed deletes entry id from the outbox and records its Key in the
// sent-ledger as failed with reason, in one transaction: a permanent
// failure is never retried and never queued again. An unknown id gives an
// error wrapping ErrNotFound.
func (s *Store) MarkFailed(id uint64, at time.Time, reason string) error {
	return s.update("mark failed", func(tx *bolt.Tx) error {
		return closeEntry(tx, id, LedgerEntry{At: at, Failed: true, Reason: reason})
	})
}

// Reschedule keeps entry id waiting until notBefore, counts one more
// attempt and records lastErr. An unknown id gives an error wrapping
// ErrNotFound.
func (s *Store) Reschedule(id uint64, notBefore time.Time, lastErr string) error {
	return s.update("reschedule", func(tx *bolt.Tx) error {
		ob, err := mustBucket(tx, bucketOutbox)
		if err != nil {
			return err
		}
		e, err := getOutbox(ob, id)
		if err != nil {
			return err
		}
		e.NotBefore = notBefore
		e.Attempts++
		e.LastError = lastErr
		data, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("encode outbox entry %d: %w", id, err)
		}
		return ob.Put(idKey(id), data)
	})
}

// Sent returns the ledger entry for key and whether there is one.
func (s *Store) Sent(key string) (LedgerEntry, bool, error) {
	var (
		le LedgerEntry
		ok bool
	)
	err := s.view("sent", func(tx *bolt.Tx) error {
		b := bucket(tx, bucketSent)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(key))
		if raw == nil {
			return nil
		}
		if err := json.Unmarshal(raw, &le); err != nil {
			return fmt.Errorf("decode ledger entry %q: %w", key, err)
		}
		ok = true
		return nil
	})
	return le, ok, err
}

// enqueue adds the entries not already in the outbox or the ledger.
func enqueue(tx *bolt.Tx, entries []OutboxEntry) (int, error) {
	if len(entries) == 0 {
		return 0, nil
	}
	ob, err := mustBucket(tx, bucketOutbox)
	if err != nil {
		return 0, err
	}
	idx, err := mustBucket(tx, bucketOutKeys)
	if err != nil {
		return 0, err
	}
	sent, err := mustBucket(tx, bucketSent)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if e.Key == "" {
			return 0, errNoKey
		}
		key := []byte(e.Key)
		if idx.Get(key) != nil || sent.Get(key) != nil {
			continue
		}
		id, err := ob.NextSequence()
		if err != nil {
			return 0, err
		}
		e.ID = id
		data, err := json.Marshal(e)
		if err != nil {
			return 0, fmt.Errorf("encode outbox entry %q: %w", e.Key, err)
		}
		if err := ob.Put(idKey(id), data); err != nil {
			return 0, err
		}
		if err := idx.Put(key, idKey(id)); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// closeEntry moves entry id from the outbox to the ledger as le.
func closeEntry(tx *bolt.Tx, id uint64, le LedgerEntry) error {
	ob, err := mustBucket(tx, bucketOutbox)
	if err != nil {
		return err
	}
	idx, err := mustBucket(tx, bucketOutKeys)
	if err != nil {
		return err
	}
	sent, err := mustBucket(tx, bucketSent)
	if err != nil {
		return err
	}
	e, err := getOutbox(ob, id)
	if err != nil {
		return err
	}
	le.Key = e.Key
	data, err := json.Marshal(le)
	if err != nil {
		return fmt.Errorf("encode ledger entry %q: %w", e.Key, err)
	}
	if err := ob.Delete(idKey(id)); err != nil {
		return err
	}
	if err := idx.Delete([]byte(e.Key)); err != nil {
		return err
	}
	return sent.Put([]byte(e.Key), data)
}

func getOutbox(ob *bolt.Bucket, id uint64) (OutboxEntry, error) {
	raw := ob.Get(idKey(id))
	if raw == nil {
		return OutboxEntry{}, fmt.Errorf("outbox entry %d: %w", id, ErrNotFound)
	}
	return decodeOutbox(raw)
}

// forEachOutbox calls fn for each entry by ID until fn returns false.
func forEachOutbox(tx *bolt.Tx, fn func(OutboxEntry) bool) error {
	ob := bucket(tx, bucketOutbox)
	if ob == nil {
		return nil
	}
	c := ob.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		e, err := decodeOutbox(v)
		if err != nil {
			return err
		}
		if !fn(e) {
			return nil
		}
	}
	return nil
}

func decodeOutbox(raw []byte) (OutboxEntry, error) {
	var e OutboxEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return OutboxEntry{}, fmt.Errorf("decode outbox entry: %w", err)
	}
	return e, nil
}

// idKey is the 8-byte big-endian key of outbox entry id.
func idKey(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }
