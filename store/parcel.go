package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/todoku/todoku/carriers"
)

// Parcel is the stored state of one tracked number.
type Parcel struct {
	Number        string          `json:"number"` // normalised; the key
	Label         string          `json:"label,omitempty"`
	Carrier       string          `json:"carrier,omitempty"` // resolved or pinned carrier; "" while still ambiguous
	Pinned        bool            `json:"pinned,omitempty"`
	Candidates    []string        `json:"candidates,omitempty"` // carriers still to try, rank order (when Carrier == "")
	Tracked       bool            `json:"tracked,omitempty"`    // false once removed from the config (history kept)
	Status        carriers.Status `json:"status,omitempty"`     // "" before the first successful poll
	Reason        carriers.Reason `json:"reason,omitempty"`
	Office        carriers.Office `json:"office,omitzero"`
	Product       string          `json:"product,omitempty"`
	LastEvent     time.Time       `json:"last_event,omitzero"`  // time of the newest carrier event
	LastChange    time.Time       `json:"last_change,omitzero"` // when Status last changed (our clock)
	LastPoll      time.Time       `json:"last_poll,omitzero"`
	NextDue       time.Time       `json:"next_due,omitzero"`
	NotFoundSince time.Time       `json:"not_found_since,omitzero"`
	FinalChecks   int             `json:"final_checks,omitempty"` // confirmation polls done after a final status
	Done          bool            `json:"done,omitempty"`         // no more polling (final and confirmed, or untrackable)
	Untrackable   bool            `json:"untrackable,omitempty"`  // e.g. Amazon
	Archived      bool            `json:"archived,omitempty"`
	ArchivedAt    time.Time       `json:"archived_at,omitzero"`
	Added         time.Time       `json:"added,omitzero"`
	LastError     string          `json:"last_error,omitempty"`
	// Last is the newest event of the history (by event time, then the
	// order stored), kept by the store so that lists never read a whole
	// history. Nil before the first event. Callers cannot set it: the
	// store keeps the stored value on every write.
	Last *carriers.Event `json:"last,omitempty"`
}

// Active reports whether p is polled: tracked, not done, not archived.
// Active parcels are in the due-time index that ticks read.
func (p Parcel) Active() bool { return p.Tracked && !p.Done && !p.Archived }

// PutParcel stores p, replacing any parcel with the same number.
func (s *Store) PutParcel(p Parcel) error {
	if p.Number == "" {
		return fmt.Errorf("store: put parcel: %w", errNoNumber)
	}
	return s.update("put parcel", func(tx *bolt.Tx) error { return putParcel(tx, p) })
}

// UpdateParcel reads, changes and writes one parcel in one transaction,
// so that a concurrent writer's change is not overwritten by a stale copy.
// fn gets the stored parcel (or a zero Parcel with Number set, and exists
// false); returning an error writes nothing, and so does returning
// ErrSkip.
func (s *Store) UpdateParcel(number string, fn func(p *Parcel, exists bool) error) error {
	if number == "" {
		return fmt.Errorf("store: update parcel: %w", errNoNumber)
	}
	return s.update("update parcel", func(tx *bolt.Tx) error {
		p, ok, err := getParcel(tx, number)
		if err != nil {
			return err
		}
		if !ok {
			p = Parcel{Number: number}
		}
		if err := fn(&p, ok); err != nil {
			if errors.Is(err, ErrSkip) {
				return nil
			}
			return err
		}
		p.Number = number
		return putParcel(tx, p)
	})
}

// Parcel returns the parcel stored under number and whether it exists.
func (s *Store) Parcel(number string) (Parcel, bool, error) {
	var (
		p  Parcel
		ok bool
	)
	err := s.view("get parcel", func(tx *bolt.Tx) error {
		var err error
		p, ok, err = getParcel(tx, number)
		return err
	})
	return p, ok, err
}

// ActiveParcels returns the parcels that are polled (see Parcel.Active),
// in due order, read through the due-time index: archived and finished
// parcels cost nothing here, however many there are.
func (s *Store) ActiveParcels() ([]Parcel, error) {
	var out []Parcel
	err := s.view("active parcels", func(tx *bolt.Tx) error {
		idx := bucket(tx, bucketDue)
		if idx == nil {
			return nil
		}
		return idx.ForEach(func(k, _ []byte) error {
			if len(k) <= 8 {
				return nil
			}
			p, ok, err := getParcel(tx, string(k[8:]))
			if err != nil {
				return err
			}
			if ok {
				out = append(out, p)
			}
			return nil
		})
	})
	return out, err
}

// Parcels returns every parcel, archived ones included, sorted by number.
func (s *Store) Parcels() ([]Parcel, error) {
	var out []Parcel
	err := s.view("list parcels", func(tx *bolt.Tx) error {
		return forEachParcel(tx, func(p Parcel) error {
			out = append(out, p)
			return nil
		})
	})
	return out, err
}

// putParcel writes p, keeping the stored Last (only addEvents moves it,
// through putParcelLast) and the due-time index in step.
func putParcel(tx *bolt.Tx, p Parcel) error {
	if p.Number == "" {
		return errNoNumber
	}
	old, ok, err := getParcel(tx, p.Number)
	if err != nil {
		return err
	}
	p.Last = nil
	if ok {
		p.Last = old.Last
	}
	return writeParcel(tx, p)
}

// writeParcel writes p as given (Last included) and moves its index entry.
func writeParcel(tx *bolt.Tx, p Parcel) error {
	b, err := mustBucket(tx, bucketParcels)
	if err != nil {
		return err
	}
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode parcel %q: %w", p.Number, err)
	}
	if err := b.Put([]byte(p.Number), data); err != nil {
		return err
	}
	return reindex(tx, p)
}

func getParcel(tx *bolt.Tx, number string) (Parcel, bool, error) {
	b := bucket(tx, bucketParcels)
	if b == nil {
		return Parcel{}, false, nil
	}
	raw := b.Get([]byte(number))
	if raw == nil {
		return Parcel{}, false, nil
	}
	p, err := decodeParcel(raw)
	return p, err == nil, err
}

// forEachParcel calls fn for every parcel in number order. fn must not
// modify the parcels bucket.
func forEachParcel(tx *bolt.Tx, fn func(Parcel) error) error {
	b := bucket(tx, bucketParcels)
	if b == nil {
		return nil
	}
	return b.ForEach(func(_, v []byte) error {
		p, err := decodeParcel(v)
		if err != nil {
			return err
		}
		return fn(p)
	})
}

func decodeParcel(raw []byte) (Parcel, error) {
	var p Parcel
	if err := json.Unmarshal(raw, &p); err != nil {
		return Parcel{}, fmt.Errorf("decode parcel: %w", err)
	}
	return p, nil
}
