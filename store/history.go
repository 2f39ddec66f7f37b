package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/todoku/todoku/carriers"
)

// StoredEvent is a carrier event as kept in history.
type StoredEvent struct {
	carriers.Event
	Carrier string    `json:"carrier,omitempty"`
	Seq     uint64    `json:"seq"`           // store-assigned, breaks ties between equal times
	Seen    time.Time `json:"seen,omitzero"` // when todoku first stored it
}

// History returns the events stored for number, ordered by event time
// and then by Seq (the order they were stored in). An unknown number has
// an empty history.
func (s *Store) History(number string) ([]StoredEvent, error) {
	var out []StoredEvent
	err := s.view("history", func(tx *bolt.Tx) error {
		return forEachEvent(tx, number, func(k, v []byte) error {
			e, err := decodeCompact(k, v)
			if err != nil {
				return fmt.Errorf("parcel %q: %w", number, err)
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}

// addEvents stores the events of events not stored for number before and
// returns the ones added, in key order. seen stamps the new events; Seq
// continues the parcel's own count.
func addEvents(tx *bolt.Tx, number, carrier string, seen time.Time, events []carriers.Event) ([]StoredEvent, error) {
	if len(events) == 0 {
		return nil, nil
	}
	b, err := mustBucket(tx, bucketEv)
	if err != nil {
		return nil, err
	}
	known := map[[8]byte]bool{}
	var seq uint64
	err = forEachEvent(tx, number, func(k, v []byte) error {
		if len(v) < 9 || len(k) < 16 {
			return fmt.Errorf("parcel %q: short event record", number)
		}
		known[[8]byte(v[1:9])] = true
		seq = max(seq, binary.BigEndian.Uint64(k[len(k)-8:]))
		return nil
	})
	if err != nil {
		return nil, err
	}
	type keyed struct {
		key []byte
		ev  StoredEvent
	}
	var added []keyed
	for _, e := range events {
		fp := [8]byte(fingerprint(e)[:8])
		if known[fp] {
			continue
		}
		known[fp] = true
		seq++
		se := StoredEvent{Event: e, Carrier: carrier, Seq: seq, Seen: seen}
		key := append(evPrefix(number), eventKey(e.Time, seq)...)
		if err := b.Put(key, encodeCompact(fp, se)); err != nil {
			return nil, fmt.Errorf("parcel %q: %w", number, err)
		}
		added = append(added, keyed{key, se})
	}
	sort.SliceStable(added, func(i, j int) bool { return bytes.Compare(added[i].key, added[j].key) < 0 })
	out := make([]StoredEvent, len(added))
	for i, a := range added {
		out[i] = a.ev
	}
	return out, nil
}

// eventKey is the history key of an event: 8 bytes big-endian unix
// nanoseconds of t (clamped to 0…MaxInt64) and 8 bytes big-endian seq, so
// a byte-order scan is time order with seq breaking ties.
func eventKey(t time.Time, seq uint64) []byte {
	k := make([]byte, 0, 16)
	k = binary.BigEndian.AppendUint64(k, timeKey(t))
	return binary.BigEndian.AppendUint64(k, seq)
}

// timeKey returns t's unix nanoseconds, clamped to the range int64
// nanoseconds can hold without going negative.
func timeKey(t time.Time) uint64 {
	switch {
	case t.Before(time.Unix(0, 0)):
		return 0
	case t.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	}
	return uint64(t.UnixNano())
}

// fingerprint identifies an event by its time, status, reason, raw text
// and location. Fields are length-prefixed so no two events collide by
// concatenation.
func fingerprint(e carriers.Event) []byte {
	h := sha256.New()
	var buf [12]byte
	binary.BigEndian.PutUint64(buf[:8], uint64(e.Time.Unix()))
	binary.BigEndian.PutUint32(buf[8:], uint32(e.Time.Nanosecond()))
	h.Write(buf[:])
	for _, f := range []string{string(e.Status), string(e.Reason), e.Raw, e.Location} {
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(f))))
		h.Write([]byte(f))
	}
	return h.Sum(nil)
}

// EventID is the identity the store deduplicates events by (time, status,
// reason, words, place), as text: the tracker uses it to tell new events
// from known ones and in notification dedup keys.
func EventID(e carriers.Event) string {
	return fmt.Sprintf("%d-%x", e.Time.Unix(), fingerprint(e)[:12])
}

// decodeEvent decodes an event of the v1–v3 layout (JSON).
func decodeEvent(raw []byte) (StoredEvent, error) {
	var e StoredEvent
	if err := json.Unmarshal(raw, &e); err != nil {
		return StoredEvent{}, fmt.Errorf("decode event: %w", err)
	}
	return e, nil
}
