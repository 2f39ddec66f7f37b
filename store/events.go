package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/todoku/todoku/carriers"
)

// The compact events layout (schema v4) keeps every parcel's history in
// one flat bucket, so histories share pages instead of each parcel owning
// two nested buckets:
//
//	ev/  number + 0x00 + 8-byte BE unix-nanos of the event time + 8-byte BE seq -> compact event
//
// A compact event is a version byte (1), the first 8 bytes of the event's
// fingerprint (deduplication within the parcel), the seen time (8-byte
// unix nanos, MinInt64 for zero), the event time (8-byte unix seconds,
// 4-byte nanoseconds, 4-byte UTC offset in seconds) and five strings,
// each a uvarint length and its bytes: carrier, status, reason, raw text,
// location.
const bucketEv = "ev"

const compactV1 = 1

var errCompact = errors.New("malformed event record")

// evPrefix is the key prefix of number's events.
func evPrefix(number string) []byte {
	return append([]byte(number), 0)
}

// forEachEvent calls fn with each of number's event records in history
// order. fn must not modify the bucket.
func forEachEvent(tx *bolt.Tx, number string, fn func(k, v []byte) error) error {
	b := bucket(tx, bucketEv)
	if b == nil {
		return nil
	}
	prefix := evPrefix(number)
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// deleteEvents deletes number's history.
func deleteEvents(tx *bolt.Tx, number string) error {
	var keys [][]byte
	err := forEachEvent(tx, number, func(k, _ []byte) error {
		keys = append(keys, append([]byte(nil), k...))
		return nil
	})
	if err != nil {
		return err
	}
	b, err := mustBucket(tx, bucketEv)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func encodeCompact(fp [8]byte, e StoredEvent) []byte {
	n := 1 + 8 + 8 + 16 + 5*binary.MaxVarintLen64 + len(e.Carrier) + len(e.Status) + len(e.Reason) + len(e.Raw) + len(e.Location)
	out := make([]byte, 0, n)
	out = append(out, compactV1)
	out = append(out, fp[:]...)
	seen := int64(math.MinInt64)
	if !e.Seen.IsZero() {
		seen = e.Seen.UnixNano()
	}
	out = binary.BigEndian.AppendUint64(out, uint64(seen))
	_, off := e.Time.Zone()
	out = binary.BigEndian.AppendUint64(out, uint64(e.Time.Unix()))
	out = binary.BigEndian.AppendUint32(out, uint32(e.Time.Nanosecond()))
	out = binary.BigEndian.AppendUint32(out, uint32(int32(off)))
	for _, s := range []string{e.Carrier, string(e.Status), string(e.Reason), e.Raw, e.Location} {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return out
}

// decodeCompact decodes the record under key k (which holds the seq).
func decodeCompact(k, v []byte) (StoredEvent, error) {
	if len(k) < 16 || len(v) < 1+8+8+16 || v[0] != compactV1 {
		return StoredEvent{}, errCompact
	}
	var e StoredEvent
	e.Seq = binary.BigEndian.Uint64(k[len(k)-8:])
	p := v[9:]
	if seen := int64(binary.BigEndian.Uint64(p)); seen != math.MinInt64 {
		e.Seen = time.Unix(0, seen)
	}
	sec := int64(binary.BigEndian.Uint64(p[8:]))
	nsec := int64(binary.BigEndian.Uint32(p[16:]))
	off := int(int32(binary.BigEndian.Uint32(p[20:])))
	t := time.Unix(sec, nsec)
	switch {
	case sec == zeroUnix && nsec == 0 && off == 0:
		t = time.Time{}
	case off == 0:
		t = t.UTC()
	default:
		t = t.In(time.FixedZone("", off))
	}
	e.Time = t
	p = p[24:]
	var fields [5]string
	for i := range fields {
		n, w := binary.Uvarint(p)
		if w <= 0 || uint64(len(p)-w) < n {
			return StoredEvent{}, errCompact
		}
		fields[i] = string(p[w : w+int(n)])
		p = p[w+int(n):]
	}
	e.Carrier = fields[0]
	e.Status, e.Reason, e.Raw, e.Location = carriers.Status(fields[1]), carriers.Reason(fields[2]), fields[3], fields[4]
	return e, nil
}

// zeroUnix is the unix time of the zero time.Time.
var zeroUnix = time.Time{}.Unix()

// lastEvent returns the newest stored event of number, or nil.
func lastEvent(tx *bolt.Tx, number string) (*carriers.Event, error) {
	b := bucket(tx, bucketEv)
	if b == nil {
		return nil, nil
	}
	prefix := evPrefix(number)
	end := append([]byte(number), 1)
	c := b.Cursor()
	k, v := c.Seek(end)
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return nil, nil
	}
	e, err := decodeCompact(k, v)
	if err != nil {
		return nil, fmt.Errorf("parcel %q: %w", number, err)
	}
	return &e.Event, nil
}

// knownEvent reports whether e is already in number's history.
func knownEvent(tx *bolt.Tx, number string, e carriers.Event) bool {
	fp := fingerprint(e)[:8]
	found := false
	_ = forEachEvent(tx, number, func(_, v []byte) error {
		if len(v) >= 9 && bytes.Equal(v[1:9], fp) {
			found = true
			return errStop
		}
		return nil
	})
	return found
}

var errStop = errors.New("stop")

// The v1–v3 layout, read only by the migrations:
//
//	events/ number/ "e"/ time+seq -> StoredEvent (JSON)
//	                "f"/ sha256 fingerprint -> event key

// legacyEvents returns the parcel's event log bucket of the old layout.
func legacyEvents(tx *bolt.Tx, number string) *bolt.Bucket {
	all := bucket(tx, bucketEvents)
	if all == nil {
		return nil
	}
	pb := all.Bucket([]byte(number))
	if pb == nil {
		return nil
	}
	return pb.Bucket([]byte(subEvents))
}

// legacyLastEvent is lastEvent in the old layout (the v3 migration).
func legacyLastEvent(tx *bolt.Tx, number string) (*carriers.Event, error) {
	ev := legacyEvents(tx, number)
	if ev == nil {
		return nil, nil
	}
	_, v := ev.Cursor().Last()
	if v == nil {
		return nil, nil
	}
	e, err := decodeEvent(v)
	if err != nil {
		return nil, fmt.Errorf("parcel %q: %w", number, err)
	}
	return &e.Event, nil
}

// migrateCompactEvents (v3 → v4) moves every history into the flat ev
// bucket, keeping keys, sequence numbers and seen times, and drops the
// old nested buckets.
func migrateCompactEvents(tx *bolt.Tx) error {
	b, err := tx.CreateBucketIfNotExists([]byte(bucketEv))
	if err != nil {
		return fmt.Errorf("create bucket %q: %w", bucketEv, err)
	}
	old := bucket(tx, bucketEvents)
	if old == nil {
		return nil
	}
	err = old.ForEachBucket(func(number []byte) error {
		log := legacyEvents(tx, string(number))
		if log == nil {
			return nil
		}
		return log.ForEach(func(k, v []byte) error {
			e, err := decodeEvent(v)
			if err != nil {
				return fmt.Errorf("parcel %q: %w", number, err)
			}
			key := append(evPrefix(string(number)), k...)
			return b.Put(key, encodeCompact([8]byte(fingerprint(e.Event)[:8]), e))
		})
	})
	if err != nil {
		return err
	}
	return tx.DeleteBucket([]byte(bucketEvents))
}
