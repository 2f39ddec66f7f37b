package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A repaired file's due-time index must list exactly its active parcels:
// a damaged index page (or one filled in from the transaction before)
// would otherwise leave active parcels out of every tick for good, or keep
// stale entries for parcels since finished.
func TestRepairRebuildsIndex(t *testing.T) {
	for _, bucketName := range []string{bucketDue, bucketActive} {
		t.Run(bucketName, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "todoku.db")
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, 11, 23, 5, 0, 0, 0, time.UTC)
			const n = 60
			for i := range n {
				p := Parcel{Number: fmt.Sprintf("1234%08d", i), Carrier: "yamato", Tracked: true, Added: now, NextDue: now.Add(time.Duration(i) * time.Minute)}
				if err := s.PutParcel(p); err != nil {
					t.Fatal(err)
				}
			}
			// The last transactions move every parcel's due time, so the
			// transaction before holds stale index keys.
			for i := range n {
				if err := s.UpdateParcel(fmt.Sprintf("1234%08d", i), func(p *Parcel, _ bool) error {
					p.NextDue = p.NextDue.Add(time.Hour)
					if i == 0 {
						p.Done = true // finished: not active
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			var root uint64
			db.View(func(tx *bolt.Tx) error {
				root = uint64(tx.Bucket([]byte(bucketName)).Root())
				return nil
			})
			db.Close()
			if root == 0 {
				t.Fatalf("%s is inline: no page to damage", bucketName)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			m, err := fileMeta(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			overwritePage(t, path, m, root, 7)

			dst := filepath.Join(t.TempDir(), "repaired.db")
			if _, err := Repair(path, dst); err != nil {
				t.Fatal(err)
			}
			r, err := Open(dst, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			all, err := r.Parcels()
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]bool{}
			for _, p := range all {
				if p.Active() {
					want[p.Number] = true
				}
			}
			act, err := r.ActiveParcels()
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, p := range act {
				got[p.Number]++
				if !p.Active() {
					t.Errorf("%s is indexed but not active", p.Number)
				}
			}
			for num := range want {
				if got[num] != 1 {
					t.Errorf("active parcel %s listed %d times by the index", num, got[num])
				}
			}
			// Every index entry is the key of an active parcel's current due time.
			err = r.view("check index", func(tx *bolt.Tx) error {
				return tx.Bucket([]byte(bucketDue)).ForEach(func(k, _ []byte) error {
					p, ok, err := getParcel(tx, string(k[8:]))
					if err != nil || !ok || !p.Active() || string(dueKey(p)) != string(k) {
						t.Errorf("stale index entry for %s (parcel found %v, active %v)", k[8:], ok, p.Active())
					}
					return err
				})
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(want) != n-1 {
				t.Errorf("%d active parcels copied, want %d", len(want), n-1)
			}
		})
	}
}

// Parcels lost to a damaged page come back at the next config sync: the
// repaired file's record of what the last sync wrote must not make the
// sync skip config entries whose parcel is gone (they would never be
// polled again).
func TestRepairThenSyncRecreatesLostParcels(t *testing.T) {
	path := filepath.Join(t.TempDir(), "todoku.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 5, 0, 0, 0, time.UTC)
	const n = 60
	items := make([]SyncItem, n)
	for i := range items {
		items[i] = SyncItem{Number: fmt.Sprintf("1234%08d", i), Digest: []byte(fmt.Sprintf("digest-%d-%s", i, strings.Repeat("x", 200)))}
	}
	create := func(p *Parcel, exists bool) bool {
		if exists {
			return false
		}
		p.Tracked, p.NextDue, p.Added, p.Label = true, now, now, strings.Repeat("ラベル", 20)
		return true
	}
	if _, err := s.SyncParcels(items, create, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Enqueue(OutboxEntry{Key: "k", Kind: "operator", Text: "x", Created: now, NotBefore: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var root uint64
	db.View(func(tx *bolt.Tx) error {
		root = uint64(tx.Bucket([]byte(bucketParcels)).Root())
		return nil
	})
	db.Close()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := fileMeta(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	overwritePage(t, path, m, root, 3)
	dst := filepath.Join(t.TempDir(), "repaired.db")
	if _, err := Repair(path, dst); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dst, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	before, _ := r.Parcels()
	if len(before) == n {
		t.Fatal("the damage lost no parcel: nothing to test")
	}
	if _, err := r.SyncParcels(items, create, nil); err != nil {
		t.Fatal(err)
	}
	after, err := r.ActiveParcels()
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != n {
		t.Errorf("%d of %d config parcels tracked after repair and sync (%d survived the damage)", len(after), n, len(before))
	}
}
