package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Where a parcel came from. Config parcels are owned by the config file;
// mail- and page-added parcels are owned by the store (an Owned record).
const (
	OriginConfig = "config"
	OriginMail   = "mail"
	OriginPage   = "page"
)

// bucketOwned holds one Owned record per store-owned parcel, by number.
// It is created by the first write, so older files need no migration.
const bucketOwned = "owned"

// Owned is a parcel the store owns: added from a shipping mail or on the
// status page. The config never lists it, so a reload never removes it;
// removing it (RemoveOwned) keeps the record as a tombstone, so that a
// mail read again does not bring it back.
type Owned struct {
	Number     string    `json:"number"` // normalised
	Label      string    `json:"label,omitempty"`
	Carrier    string    `json:"carrier,omitempty"`    // pinned carrier (page form), or ""
	Candidates []string  `json:"candidates,omitempty"` // ranked carriers (from the mail or Identify)
	Origin     string    `json:"origin"`               // OriginMail or OriginPage
	Source     string    `json:"source,omitempty"`     // mail: its IMAP URL or file; page: "added on the status page"
	MessageID  string    `json:"message_id,omitempty"` // mail: the Message-ID header
	Added      time.Time `json:"added,omitzero"`
	Removed    bool      `json:"removed,omitempty"`
	RemovedAt  time.Time `json:"removed_at,omitzero"`
}

// AddOutcome says what AddOwned did.
type AddOutcome string

// AddOwned outcomes.
const (
	Added      AddOutcome = "added"      // a new store-owned parcel
	Restored   AddOutcome = "restored"   // a removed one, added again on the status page
	Known      AddOutcome = "known"      // a parcel with this number exists: nothing written
	WasRemoved AddOutcome = "removed"    // a mail named a parcel the user removed: nothing written
	Configured AddOutcome = "configured" // the config lists this number: nothing written
)

// AddOwned adds o as a store-owned parcel unless a parcel with its number
// is already known, in one transaction. configured reports whether the
// config lists a number (nil: none). A mail (o.Origin == OriginMail)
// never adds a number the store has seen in any form — a config parcel
// since removed, a tracked one, a store-owned one, or one the user
// removed. A page addition is the user's explicit wish: it restores a
// removed store-owned parcel and tracks again a number whose config entry
// was removed; it adds nothing for a parcel that is tracked.
func (s *Store) AddOwned(o Owned, configured func(number string) bool) (AddOutcome, error) {
	if o.Number == "" {
		return "", fmt.Errorf("store: add owned parcel: %w", errNoNumber)
	}
	if o.Origin != OriginMail && o.Origin != OriginPage {
		return "", fmt.Errorf("store: add owned parcel %s: origin %q: want %q or %q", o.Number, o.Origin, OriginMail, OriginPage)
	}
	if configured != nil && configured(o.Number) {
		return Configured, nil
	}
	var out AddOutcome
	err := s.update("add owned parcel", func(tx *bolt.Tx) error {
		out = ""
		b, err := tx.CreateBucketIfNotExists([]byte(bucketOwned))
		if err != nil {
			return err
		}
		old, hasOld, err := getOwned(b, o.Number)
		if err != nil {
			return err
		}
		p, hasParcel, err := getParcel(tx, o.Number)
		if err != nil {
			return err
		}
		switch {
		case hasOld && !old.Removed, hasParcel && p.Tracked && !p.Archived:
			out = Known
			return nil
		case hasOld && o.Origin == OriginMail:
			out = WasRemoved
			return nil
		case hasParcel && o.Origin == OriginMail:
			out = Known
			return nil
		}
		out = Added
		if hasOld {
			out = Restored
		}
		return putOwned(b, o)
	})
	if err != nil {
		return "", err
	}
	return out, nil
}

// RemoveOwned removes (hides) a store-owned parcel: its record stays as a
// tombstone and its history stays. It reports false when number is not a
// store-owned parcel or was removed already.
func (s *Store) RemoveOwned(number string, now time.Time) (bool, error) {
	removed := false
	err := s.update("remove owned parcel", func(tx *bolt.Tx) error {
		removed = false
		b := bucket(tx, bucketOwned)
		if b == nil {
			return nil
		}
		o, ok, err := getOwned(b, number)
		if err != nil || !ok || o.Removed {
			return err
		}
		o.Removed, o.RemovedAt = true, now
		removed = true
		if err := putOwned(b, o); err != nil {
			return err
		}
		// The caller untracks the parcel; if the config also lists it, the
		// next sync must compare its entry in full rather than skip it as
		// unchanged, or the config's parcel would stay untracked.
		if sb := tx.Bucket([]byte(bucketSynced)); sb != nil && sb.Get([]byte(number)) != nil {
			return sb.Put([]byte(number), []byte{})
		}
		return nil
	})
	return removed, err
}

// OwnedParcel returns the store-owned record of number, removed or not.
func (s *Store) OwnedParcel(number string) (Owned, bool, error) {
	var (
		o  Owned
		ok bool
	)
	err := s.view("get owned parcel", func(tx *bolt.Tx) error {
		b := bucket(tx, bucketOwned)
		if b == nil {
			return nil
		}
		var err error
		o, ok, err = getOwned(b, number)
		return err
	})
	return o, ok, err
}

// OwnedParcels returns every store-owned record, removed ones included,
// in the order they were added.
func (s *Store) OwnedParcels() ([]Owned, error) {
	var out []Owned
	err := s.view("list owned parcels", func(tx *bolt.Tx) error {
		b := bucket(tx, bucketOwned)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			o, err := decodeOwned(v)
			if err != nil {
				return fmt.Errorf("owned parcel %q: %w", k, err)
			}
			out = append(out, o)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Added.Before(out[j].Added) })
	return out, err
}

func getOwned(b *bolt.Bucket, number string) (Owned, bool, error) {
	raw := b.Get([]byte(number))
	if raw == nil {
		return Owned{}, false, nil
	}
	o, err := decodeOwned(raw)
	return o, err == nil, err
}

func putOwned(b *bolt.Bucket, o Owned) error {
	data, err := json.Marshal(o)
	if err != nil {
		return fmt.Errorf("encode owned parcel %q: %w", o.Number, err)
	}
	return b.Put([]byte(o.Number), data)
}

func decodeOwned(raw []byte) (Owned, error) {
	var o Owned
	if err := json.Unmarshal(raw, &o); err != nil {
		return Owned{}, fmt.Errorf("decode owned parcel: %w", err)
	}
	return o, nil
}
