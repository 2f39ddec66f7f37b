package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/todoku/todoku/carriers"
)

// The due-time index lists the active parcels (Parcel.Active) by
// NextDue, so that a tick reads only them:
//
//	due/     8-byte BE unix-nanos of NextDue + number -> empty
//	active/  number -> its key in due/
//
// putParcel keeps both in step with the parcel record.
const (
	bucketDue    = "due"
	bucketActive = "active"
)

// dueKey is the index key of p.
func dueKey(p Parcel) []byte {
	k := make([]byte, 0, 8+len(p.Number))
	k = binary.BigEndian.AppendUint64(k, timeKey(p.NextDue))
	return append(k, p.Number...)
}

// reindex moves p's index entry after a write.
func reindex(tx *bolt.Tx, p Parcel) error {
	idx, err := mustBucket(tx, bucketDue)
	if err != nil {
		return err
	}
	act, err := mustBucket(tx, bucketActive)
	if err != nil {
		return err
	}
	number := []byte(p.Number)
	if prev := act.Get(number); prev != nil {
		if p.Active() && string(prev) == string(dueKey(p)) {
			return nil
		}
		if err := idx.Delete(append([]byte(nil), prev...)); err != nil {
			return err
		}
		if err := act.Delete(number); err != nil {
			return err
		}
	}
	if !p.Active() {
		return nil
	}
	k := dueKey(p)
	if err := idx.Put(k, nil); err != nil {
		return err
	}
	return act.Put(number, k)
}

// migrateIndex (v2 → v3) builds the due-time index and fills each
// parcel's Last from its history.
func migrateIndex(tx *bolt.Tx) error {
	for _, name := range []string{bucketDue, bucketActive} {
		if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
			return fmt.Errorf("create bucket %q: %w", name, err)
		}
	}
	var all []Parcel
	if err := forEachParcel(tx, func(p Parcel) error { all = append(all, p); return nil }); err != nil {
		return err
	}
	for _, p := range all {
		last, err := legacyLastEvent(tx, p.Number)
		if err != nil {
			return err
		}
		p.Last = last
		if err := writeParcel(tx, p); err != nil {
			return err
		}
	}
	return nil
}

// newest returns the later of last and the added events (given in
// history order): an added event with the same time as last was stored
// after it, so it is the newer.
func newest(last *carriers.Event, added []StoredEvent) *carriers.Event {
	for _, a := range added {
		if last == nil || !a.Time.Before(last.Time) {
			e := a.Event
			last = &e
		}
	}
	return last
}
