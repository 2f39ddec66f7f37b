package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// oldFile writes a bbolt file the way an older todoku would have, with
// fill, and returns its path.
func oldFile(t *testing.T, fill func(tx *bolt.Tx) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatalf("bolt.Open: %v", err)
	}
	if err := db.Update(fill); err != nil {
		t.Fatalf("write old file: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("bolt.Close: %v", err)
	}
	return path
}

func putJSON(tx *bolt.Tx, bucket string, key []byte, v any) error {
	b, err := tx.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

func setVersion(tx *bolt.Tx, v uint32) error {
	b, err := tx.CreateBucketIfNotExists([]byte(bucketMeta))
	if err != nil {
		return err
	}
	return b.Put([]byte(metaSchema), binary.BigEndian.AppendUint32(nil, v))
}

// v1File is a schema v1 file: base buckets, two outbox entries, no
// outbox key index.
func v1File(t *testing.T) string {
	return oldFile(t, func(tx *bolt.Tx) error {
		if err := migrateBase(tx); err != nil {
			return err
		}
		if err := setVersion(tx, 1); err != nil {
			return err
		}
		ob := tx.Bucket([]byte(bucketOutbox))
		for _, key := range []string{"k1", "k2"} {
			id, err := ob.NextSequence()
			if err != nil {
				return err
			}
			if err := putJSON(tx, bucketOutbox, idKey(id), OutboxEntry{ID: id, Key: key, Kind: "delivered"}); err != nil {
				return err
			}
		}
		return putJSON(tx, bucketParcels, []byte("123"), Parcel{Number: "123", Label: "v1 parcel"})
	})
}

func TestMigrateFromV0(t *testing.T) {
	for _, tc := range []struct {
		name string
		fill func(tx *bolt.Tx) error
		want []Parcel
	}{
		{"empty file", func(*bolt.Tx) error { return nil }, nil},
		{"parcels before meta existed", func(tx *bolt.Tx) error {
			return putJSON(tx, bucketParcels, []byte("999"), Parcel{Number: "999", Label: "kept"})
		}, []Parcel{{Number: "999", Label: "kept"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := oldFile(t, tc.fill)
			s := reopen(t, path, Options{})
			if v, err := s.SchemaVersion(); err != nil || v != CurrentSchema() {
				t.Errorf("SchemaVersion = %d, %v; want %d", v, err, CurrentSchema())
			}
			got, err := s.Parcels()
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parcels = %+v, %v; want %+v", got, err, tc.want)
			}
			if n, err := s.Enqueue(OutboxEntry{Key: "x"}); n != 1 || err != nil {
				t.Errorf("Enqueue on a migrated file = %d, %v; want 1, nil", n, err)
			}
		})
	}
}

func TestMigrateFromV1BuildsOutboxIndex(t *testing.T) {
	path := v1File(t)

	// A read-only open does not migrate but can read.
	r := reopen(t, path, Options{ReadOnly: true})
	if v, err := r.SchemaVersion(); err != nil || v != 1 {
		t.Errorf("read-only SchemaVersion = %d, %v; want 1 (no migration)", v, err)
	}
	if ob, err := r.Outbox(); err != nil || len(ob) != 2 {
		t.Errorf("read-only Outbox = %v, %v; want 2 entries", keysOf(ob), err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s := reopen(t, path, Options{})
	if v, err := s.SchemaVersion(); err != nil || v != CurrentSchema() {
		t.Errorf("SchemaVersion = %d, %v; want %d", v, err, CurrentSchema())
	}
	if p, ok, err := s.Parcel("123"); err != nil || !ok || p.Label != "v1 parcel" {
		t.Errorf("Parcel after migration = %+v, %v, %v; want the v1 parcel", p, ok, err)
	}
	// The index knows the entries written before it existed.
	if n, err := s.Enqueue(OutboxEntry{Key: "k1"}, OutboxEntry{Key: "k3"}); n != 1 || err != nil {
		t.Errorf("Enqueue(k1, k3) = %d, %v; want 1 (k1 already waiting)", n, err)
	}
	if err := s.MarkSent(2, t0); err != nil {
		t.Fatalf("MarkSent(k2): %v", err)
	}
	if ob, _ := s.Outbox(); !reflect.DeepEqual(keysOf(ob), []string{"k1", "k3"}) {
		t.Errorf("Outbox = %v, want [k1 k3]", keysOf(ob))
	}
	if n, _ := s.Enqueue(OutboxEntry{Key: "k2"}); n != 0 {
		t.Errorf("Enqueue(k2) after MarkSent added %d, want 0", n)
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
}

func TestSchemaTooNew(t *testing.T) {
	path := oldFile(t, func(tx *bolt.Tx) error {
		if err := migrateBase(tx); err != nil {
			return err
		}
		return setVersion(tx, uint32(CurrentSchema()+1))
	})
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"read-write", Options{}},
		{"read-only", Options{ReadOnly: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(path, tc.opts)
			if !errors.Is(err, ErrSchemaTooNew) {
				if s != nil {
					_ = s.Close()
				}
				t.Fatalf("Open = %v, want ErrSchemaTooNew", err)
			}
		})
	}
	// The refused file is left as it was, and the lock was released.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("bolt.Open after refusal: %v", err)
	}
	defer db.Close()
	_ = db.View(func(tx *bolt.Tx) error {
		if v, _ := readVersion(tx); v != CurrentSchema()+1 {
			t.Errorf("version after refusal = %d, want %d", v, CurrentSchema()+1)
		}
		return nil
	})
}

func TestCorruptSchemaVersion(t *testing.T) {
	path := oldFile(t, func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte(bucketMeta))
		if err != nil {
			return err
		}
		return b.Put([]byte(metaSchema), []byte{1, 2, 3})
	})
	if s, err := Open(path, Options{}); err == nil {
		_ = s.Close()
		t.Fatal("Open with a 3-byte schema version succeeded, want an error")
	}
}
