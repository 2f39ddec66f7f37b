package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Health is a carrier's persisted politeness state, so cooldowns and an
// open breaker survive a restart.
type Health struct {
	Carrier       string    `json:"carrier"`
	Failures      int       `json:"failures,omitempty"`      // consecutive transient failures
	CooldownUntil time.Time `json:"cooldown_until,omitzero"` // no requests before this (Retry-After, backoff)
	BreakerOpen   bool      `json:"breaker_open,omitempty"`
	BreakerUntil  time.Time `json:"breaker_until,omitzero"`
	// Paused stops polling after a layout change was confirmed (two
	// pages in a row). The carrier is asked again at NextCheck; each
	// failed re-check (Rechecks counts them) backs NextCheck off. Any
	// readable page clears the pause.
	Paused       bool      `json:"paused,omitempty"`
	PausedReason string    `json:"paused_reason,omitempty"`
	PausedAt     time.Time `json:"paused_at,omitzero"`
	NextCheck    time.Time `json:"next_check,omitzero"`
	Rechecks     int       `json:"rechecks,omitempty"`
	// LayoutStrikes counts layout errors in a row while not paused (the
	// first one is confirmed by a re-fetch before the carrier pauses).
	LayoutStrikes int `json:"layout_strikes,omitempty"`
	// DegradedSince is set while the adapter reads the carrier's pages
	// with its layout-free text reader (Result.Degraded).
	DegradedSince time.Time `json:"degraded_since,omitzero"`
	LastOK        time.Time `json:"last_ok,omitzero"`
	LastError     string    `json:"last_error,omitempty"`
	// FailingSince is when the current run of failures began (zero while
	// the carrier answers).
	FailingSince time.Time `json:"failing_since,omitzero"`
}

// Health returns the stored health of carrier, or Health{Carrier:
// carrier} when none is stored.
func (s *Store) Health(carrier string) (Health, error) {
	h := Health{Carrier: carrier}
	err := s.view("get health", func(tx *bolt.Tx) error {
		b := bucket(tx, bucketHealth)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(carrier))
		if raw == nil {
			return nil
		}
		var err error
		h, err = decodeHealth(raw)
		return err
	})
	if err != nil {
		return Health{}, err
	}
	return h, nil
}

// PutHealth stores h under h.Carrier, replacing what was there.
func (s *Store) PutHealth(h Health) error {
	if h.Carrier == "" {
		return fmt.Errorf("store: put health: %w", errNoCarrier)
	}
	return s.update("put health", func(tx *bolt.Tx) error { return putHealth(tx, h) })
}

func putHealth(tx *bolt.Tx, h Health) error {
	if h.Carrier == "" {
		return errNoCarrier
	}
	b, err := mustBucket(tx, bucketHealth)
	if err != nil {
		return err
	}
	data, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("encode health %q: %w", h.Carrier, err)
	}
	return b.Put([]byte(h.Carrier), data)
}

// AllHealth returns every stored health record, sorted by carrier.
func (s *Store) AllHealth() ([]Health, error) {
	var out []Health
	err := s.view("list health", func(tx *bolt.Tx) error {
		b := bucket(tx, bucketHealth)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			h, err := decodeHealth(v)
			if err != nil {
				return err
			}
			out = append(out, h)
			return nil
		})
	})
	return out, err
}

func decodeHealth(raw []byte) (Health, error) {
	var h Health
	if err := json.Unmarshal(raw, &h); err != nil {
		return Health{}, fmt.Errorf("decode health: %w", err)
	}
	return h, nil
}

// SetState stores v, JSON-encoded, under key (small persisted state such
// as the Pushover quota pause).
func (s *Store) SetState(key string, v any) error {
	if key == "" {
		return fmt.Errorf("store: set state: %w", errNoState)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: set state %q: encode: %w", key, err)
	}
	return s.update("set state", func(tx *bolt.Tx) error {
		b, err := mustBucket(tx, bucketState)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), data)
	})
}

// State decodes the value stored under key into dst and reports whether
// there was one; dst is untouched when there was not.
func (s *Store) State(key string, dst any) (bool, error) {
	var ok bool
	err := s.view("get state", func(tx *bolt.Tx) error {
		b := bucket(tx, bucketState)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(key))
		if raw == nil {
			return nil
		}
		if err := json.Unmarshal(raw, dst); err != nil {
			return fmt.Errorf("decode state %q: %w", key, err)
		}
		ok = true
		return nil
	})
	return ok, err
}
