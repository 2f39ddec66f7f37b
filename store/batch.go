package store

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/todoku/todoku/carriers"
)

// SyncItem is one parcel a config lists, for SyncParcels: its number
// and a digest of what the config says about it.
type SyncItem struct {
	Number string
	Digest []byte
}

// SyncParcels makes the stored parcels match a config's list in ONE
// transaction, writing only the parcels that change. A listed parcel
// whose digest equals the one recorded at the last sync is skipped
// without being read. Otherwise change gets the stored parcel (or a zero
// one with Number set, and exists false) and reports whether it changed
// it. Then drop gets every parcel listed at the last sync but not now,
// and reports whether it changed it. Parcels the config never listed
// (store-owned ones) are left alone. It returns how many parcels it
// wrote.
func (s *Store) SyncParcels(items []SyncItem, change func(p *Parcel, exists bool) bool, drop func(p *Parcel) bool) (int, error) {
	written := 0
	err := s.update("sync parcels", func(tx *bolt.Tx) error {
		written = 0
		synced, err := mustBucket(tx, bucketSynced)
		if err != nil {
			return err
		}
		listed := make(map[string]bool, len(items))
		for _, it := range items {
			n := it.Number
			if n == "" {
				return errNoNumber
			}
			if listed[n] {
				continue
			}
			listed[n] = true
			if d := synced.Get([]byte(n)); d != nil && len(it.Digest) > 0 && bytes.Equal(d, it.Digest) {
				continue
			}
			p, ok, err := getParcel(tx, n)
			if err != nil {
				return err
			}
			if !ok {
				p = Parcel{Number: n}
			}
			if change(&p, ok) {
				p.Number = n
				if err := putParcel(tx, p); err != nil {
					return err
				}
				written++
			}
			if err := synced.Put([]byte(n), append([]byte{}, it.Digest...)); err != nil {
				return err
			}
		}
		var gone []string
		err = synced.ForEach(func(k, _ []byte) error {
			if !listed[string(k)] {
				gone = append(gone, string(k))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, n := range gone {
			if err := synced.Delete([]byte(n)); err != nil {
				return err
			}
			p, ok, err := getParcel(tx, n)
			if err != nil {
				return err
			}
			if !ok || drop == nil || !drop(&p) {
				continue
			}
			if err := putParcel(tx, p); err != nil {
				return err
			}
			written++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return written, nil
}

// bucketSynced records the parcels the config listed at the last sync:
//
//	synced/  number -> digest of the config entry (empty: compare in full)
const bucketSynced = "synced"

// migrateSynced (v4 → v5) records every tracked parcel as listed by the
// config, with an empty digest: the next sync compares each in full once.
func migrateSynced(tx *bolt.Tx) error {
	b, err := tx.CreateBucketIfNotExists([]byte(bucketSynced))
	if err != nil {
		return fmt.Errorf("create bucket %q: %w", bucketSynced, err)
	}
	var tracked []string
	err = forEachParcel(tx, func(p Parcel) error {
		if p.Tracked {
			tracked = append(tracked, p.Number)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, n := range tracked {
		if err := b.Put([]byte(n), []byte{}); err != nil {
			return err
		}
	}
	return nil
}

// ParcelsOf returns the stored parcels among numbers, by number, in one
// read transaction.
func (s *Store) ParcelsOf(numbers []string) (map[string]Parcel, error) {
	out := make(map[string]Parcel, len(numbers))
	err := s.view("get parcels", func(tx *bolt.Tx) error {
		for _, n := range numbers {
			p, ok, err := getParcel(tx, n)
			if err != nil {
				return err
			}
			if ok {
				out[n] = p
			}
		}
		return nil
	})
	return out, err
}

// Batch is one polled batch, applied in ONE transaction by ApplyBatch.
type Batch struct {
	// Numbers are the parcels of the batch.
	Numbers []string
	// Plan is called inside the transaction for each number, with the
	// stored parcel (exists false: a zero parcel with Number set) and a
	// function that reports whether an event is already in its history.
	// It returns the update to apply, or false to leave the parcel alone.
	Plan func(i int, p Parcel, exists bool, known func(carriers.Event) bool) (Update, bool)
	// Health, when set, is stored too.
	Health *Health
	// Outbox entries to queue besides the parcels' own (operator notices).
	Outbox []OutboxEntry
}

// BatchResult says what ApplyBatch added.
type BatchResult struct {
	// Applied has one entry per number (zero when Plan left it alone).
	Applied []Applied
	// Queued counts every outbox entry added, Batch.Outbox included.
	Queued int
}

// ApplyBatch applies a whole polled batch in one transaction: each
// parcel's update as Apply does it, the carrier's health and extra
// outbox entries. Either all of it is committed or nothing.
func (s *Store) ApplyBatch(b Batch) (BatchResult, error) {
	var out BatchResult
	err := s.update("apply batch", func(tx *bolt.Tx) error {
		out = BatchResult{Applied: make([]Applied, len(b.Numbers))}
		for i, n := range b.Numbers {
			cur, ok, err := getParcel(tx, n)
			if err != nil {
				return err
			}
			if !ok {
				cur = Parcel{Number: n}
			}
			known := func(e carriers.Event) bool { return knownEvent(tx, n, e) }
			u, write := b.Plan(i, cur, ok, known)
			if !write {
				continue
			}
			u.Parcel.Number = n
			seen := u.Parcel.LastPoll
			if seen.IsZero() {
				seen = time.Now()
			}
			a, err := applyOne(tx, u, cur, ok, seen)
			if err != nil {
				return fmt.Errorf("parcel %q: %w", n, err)
			}
			out.Applied[i] = a
			out.Queued += a.Queued
		}
		if b.Health != nil {
			if err := putHealth(tx, *b.Health); err != nil {
				return err
			}
		}
		n, err := enqueue(tx, b.Outbox)
		if err != nil {
			return err
		}
		out.Queued += n
		return nil
	})
	if err != nil {
		return BatchResult{}, err
	}
	return out, nil
}

// WriteFailure describes writes that fail to commit (a full disk, an I/O
// error): since when, how many in a row and the last error.
type WriteFailure struct {
	Since time.Time
	Count int
	Err   string
}

// WriteFailure reports the current run of failed writes, and false while
// writes succeed. A successful commit ends the run.
func (s *Store) WriteFailure() (WriteFailure, bool) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.wfail, s.wfail.Count > 0
}

// noteWrite records the outcome of a commit: err is nil on success; fn
// errors (a caller's mistake or ErrSkip) are not write failures.
func (s *Store) noteWrite(err error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if err == nil {
		s.wfail = WriteFailure{}
		return
	}
	if s.wfail.Count == 0 {
		s.wfail.Since = time.Now()
	}
	s.wfail.Count++
	s.wfail.Err = err.Error()
}

// ErrWriteFailed wraps an error from committing a write transaction (as
// opposed to an invalid argument): the disk is full or failing. Nothing
// of that write was stored; it can be retried.
var ErrWriteFailed = errors.New("write failed")
