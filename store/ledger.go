package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Ledger returns every entry of the sent-ledger, ordered by key.
func (s *Store) Ledger() ([]LedgerEntry, error) {
	var out []LedgerEntry
	err := s.view("ledger", func(tx *bolt.Tx) error {
		b := bucket(tx, bucketSent)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var le LedgerEntry
			if err := json.Unmarshal(v, &le); err != nil {
				return fmt.Errorf("decode ledger entry %q: %w", k, err)
			}
			out = append(out, le)
			return nil
		})
	})
	return out, err
}
