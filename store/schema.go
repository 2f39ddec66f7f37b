package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// metaSchema is the key of the schema version in the meta bucket.
const metaSchema = "schema"

// migration moves the schema from version i to i+1, where i is its index
// in migrations(). It runs inside Open's read-write transaction.
type migration func(tx *bolt.Tx) error

// migrations lists the schema steps in order. Append only: a file at
// version v runs steps v, v+1, … and ends at len(migrations()).
//
//	v0 → v1: the base buckets (a file with no meta bucket is v0).
//	v1 → v2: the outbox dedup-key index, rebuilt from the outbox.
//	v2 → v3: the due-time index of active parcels; Parcel.Last filled.
//	v3 → v4: the compact events layout (one flat bucket, binary records).
//	v4 → v5: the record of what the config listed (SyncParcels skips
//	         unchanged entries without reading them).
func migrations() []migration {
	return []migration{
		migrateBase,
		migrateOutboxKeys,
		migrateIndex,
		migrateCompactEvents,
		migrateSynced,
	}
}

// CurrentSchema is the schema version this build writes.
func CurrentSchema() int { return len(migrations()) }

// SchemaVersion returns the schema version recorded in the file.
func (s *Store) SchemaVersion() (int, error) {
	var v int
	err := s.view("schema version", func(tx *bolt.Tx) error {
		var err error
		v, err = readVersion(tx)
		return err
	})
	return v, err
}

// readVersion returns the version in meta/schema, 0 when absent.
func readVersion(tx *bolt.Tx) (int, error) {
	meta := bucket(tx, bucketMeta)
	if meta == nil {
		return 0, nil
	}
	raw := meta.Get([]byte(metaSchema))
	if raw == nil {
		return 0, nil
	}
	if len(raw) != 4 {
		return 0, fmt.Errorf("schema version: %d bytes, want 4", len(raw))
	}
	return int(binary.BigEndian.Uint32(raw)), nil
}

// checkVersion returns the file's version or an error wrapping
// ErrSchemaTooNew.
func checkVersion(tx *bolt.Tx) (int, error) {
	v, err := readVersion(tx)
	if err != nil {
		return 0, err
	}
	if cur := CurrentSchema(); v > cur {
		return v, fmt.Errorf("file has schema v%d, this build knows up to v%d: %w", v, cur, ErrSchemaTooNew)
	}
	return v, nil
}

// migrate brings the file to CurrentSchema. It runs in one transaction,
// so a failed step leaves the file as it was.
func migrate(tx *bolt.Tx) error {
	v, err := checkVersion(tx)
	if err != nil {
		return err
	}
	steps := migrations()
	for i := v; i < len(steps); i++ {
		if err := steps[i](tx); err != nil {
			return fmt.Errorf("migrate schema v%d to v%d: %w", i, i+1, err)
		}
	}
	if v == len(steps) {
		return nil
	}
	return writeVersion(tx, len(steps))
}

func writeVersion(tx *bolt.Tx, v int) error {
	meta, err := tx.CreateBucketIfNotExists([]byte(bucketMeta))
	if err != nil {
		return err
	}
	return meta.Put([]byte(metaSchema), binary.BigEndian.AppendUint32(nil, uint32(v)))
}

// migrateBase creates the v1 buckets, keeping any that exist.
func migrateBase(tx *bolt.Tx) error {
	for _, name := range []string{bucketMeta, bucketParcels, bucketEvents, bucketOutbox, bucketSent, bucketHealth, bucketState} {
		if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
			return fmt.Errorf("create bucket %q: %w", name, err)
		}
	}
	return nil
}

// migrateOutboxKeys adds the outbox dedup-key index and fills it from the
// entries already waiting.
func migrateOutboxKeys(tx *bolt.Tx) error {
	idx, err := tx.CreateBucketIfNotExists([]byte(bucketOutKeys))
	if err != nil {
		return fmt.Errorf("create bucket %q: %w", bucketOutKeys, err)
	}
	ob, err := mustBucket(tx, bucketOutbox)
	if err != nil {
		return err
	}
	return ob.ForEach(func(k, v []byte) error {
		e, err := decodeOutbox(v)
		if err != nil {
			return err
		}
		if e.Key == "" {
			return nil
		}
		return idx.Put([]byte(e.Key), append([]byte(nil), k...))
	})
}
