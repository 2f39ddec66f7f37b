package store

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// Archive retires final parcels: every delivered or returned parcel not
// yet archived whose LastChange (or, when that is zero, LastEvent) is
// more than after before now becomes Archived and Done, with ArchivedAt =
// now. It returns how many parcels it archived. With prune, the history
// of every archived parcel, earlier ones included, is deleted too (the
// parcel record stays). All in one transaction.
func (s *Store) Archive(now time.Time, after time.Duration, prune bool) (int, error) {
	var n int
	err := s.update("archive", func(tx *bolt.Tx) error {
		n = 0
		var archive, earlier []Parcel
		cutoff := now.Add(-after)
		err := forEachParcel(tx, func(p Parcel) error {
			if p.Archived {
				earlier = append(earlier, p)
				return nil
			}
			if !p.Status.Final() {
				return nil
			}
			ref := p.LastChange
			if ref.IsZero() {
				ref = p.LastEvent
			}
			if ref.Before(cutoff) {
				archive = append(archive, p)
			}
			return nil
		})
		if err != nil {
			return err
		}
		// Write after the scan: bbolt forbids changing a bucket while
		// iterating it.
		for _, p := range archive {
			p.Archived, p.Done, p.ArchivedAt = true, true, now
			if err := putParcel(tx, p); err != nil {
				return err
			}
			n++
		}
		if !prune {
			return nil
		}
		for _, p := range append(earlier, archive...) {
			if err := deleteEvents(tx, p.Number); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}
