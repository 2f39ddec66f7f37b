package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/todoku/todoku/carriers"
)

func numbersOf(ps []Parcel) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Number)
	}
	return out
}

func TestActiveParcelsFollowTheIndex(t *testing.T) {
	s, _ := openTemp(t)
	for _, p := range []Parcel{
		{Number: "late", Tracked: true, NextDue: t0.Add(2 * time.Hour)},
		{Number: "early", Tracked: true, NextDue: t0},
		{Number: "done", Tracked: true, Done: true},
		{Number: "untracked", NextDue: t0},
		{Number: "archived", Tracked: true, Archived: true},
	} {
		if err := s.PutParcel(p); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ActiveParcels()
	if err != nil || !slices.Equal(numbersOf(got), []string{"early", "late"}) {
		t.Fatalf("ActiveParcels = %v, %v; want [early late] in due order", numbersOf(got), err)
	}
	// Moving, finishing and reviving parcels moves their index entries.
	steps := []struct {
		number string
		change func(p *Parcel)
		want   []string
	}{
		{"early", func(p *Parcel) { p.NextDue = t0.Add(3 * time.Hour) }, []string{"late", "early"}},
		{"late", func(p *Parcel) { p.Done = true }, []string{"early"}},
		{"done", func(p *Parcel) { p.Done = false; p.NextDue = t0 }, []string{"done", "early"}},
		{"early", func(p *Parcel) { p.Tracked = false }, []string{"done"}},
	}
	for _, st := range steps {
		if err := s.UpdateParcel(st.number, func(p *Parcel, _ bool) error { st.change(p); return nil }); err != nil {
			t.Fatal(err)
		}
		got, err := s.ActiveParcels()
		if err != nil || !slices.Equal(numbersOf(got), st.want) {
			t.Errorf("after changing %s: ActiveParcels = %v, %v; want %v", st.number, numbersOf(got), err, st.want)
		}
	}
	if n, err := s.Archive(t0.Add(30*24*time.Hour), time.Hour, false); err != nil || n != 0 {
		t.Fatalf("Archive = %d, %v", n, err)
	}
}

func TestSyncParcelsWritesOnlyWhatChanged(t *testing.T) {
	s, _ := openTemp(t)
	numbers := []SyncItem{{"a", []byte("1")}, {"b", []byte("1")}, {"c", []byte("1")}}
	add := func(p *Parcel, exists bool) bool {
		if exists {
			return false
		}
		p.Tracked, p.Label = true, "new "+p.Number
		return true
	}
	untrack := func(p *Parcel) bool {
		if !p.Tracked {
			return false
		}
		p.Tracked = false
		return true
	}
	if n, err := s.SyncParcels(numbers, add, untrack); err != nil || n != 3 {
		t.Fatalf("first SyncParcels = %d, %v; want 3 written", n, err)
	}
	if n, err := s.SyncParcels(numbers, func(*Parcel, bool) bool { t.Fatal("an unchanged entry was read"); return false }, untrack); err != nil || n != 0 {
		t.Fatalf("unchanged SyncParcels = %d, %v; want 0 written", n, err)
	}
	if err := s.PutParcel(Parcel{Number: "store-owned", Tracked: true}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SyncParcels([]SyncItem{{"a", []byte("2")}, {"d", nil}}, add, untrack); err != nil || n != 3 {
		t.Fatalf("SyncParcels(a, d) = %d, %v; want 3 (d added, b and c untracked)", n, err)
	}
	for n, tracked := range map[string]bool{"a": true, "b": false, "c": false, "d": true, "store-owned": true} {
		if p, _, _ := s.Parcel(n); p.Tracked != tracked {
			t.Errorf("%s tracked = %v, want %v", n, p.Tracked, tracked)
		}
	}
}

func TestApplyBatchIsOneTransaction(t *testing.T) {
	s, _ := openTemp(t)
	plan := func(i int, p Parcel, exists bool, known func(carriers.Event) bool) (Update, bool) {
		p.Tracked, p.LastPoll, p.Status = true, t0, carriers.StatusInTransit
		e := ev(i, carriers.StatusInTransit, fmt.Sprint("row ", i))
		if known(e) {
			return Update{Parcel: p}, true
		}
		return Update{Parcel: p, Events: []carriers.Event{e}, Outbox: []OutboxEntry{{Key: "k" + p.Number, Kind: "delivered"}}}, true
	}
	h := Health{Carrier: "yamato", LastOK: t0}
	res, err := s.ApplyBatch(Batch{Numbers: []string{"1", "2"}, Plan: plan, Health: &h, Outbox: []OutboxEntry{{Key: "op", Kind: "operator"}}})
	if err != nil || res.Queued != 3 || len(res.Applied[0].Events) != 1 || len(res.Applied[1].Events) != 1 {
		t.Fatalf("ApplyBatch = %+v, %v; want an event each and 3 notices", res, err)
	}
	if got, _ := s.Health("yamato"); !got.LastOK.Equal(t0) {
		t.Errorf("health not written: %+v", got)
	}
	if p, _, _ := s.Parcel("2"); p.Last == nil || p.Last.Raw != "row 1" {
		t.Errorf("Last = %+v, want row 1", p.Last)
	}
	again, err := s.ApplyBatch(Batch{Numbers: []string{"1", "2"}, Plan: plan})
	if err != nil || again.Queued != 0 || len(again.Applied[0].Events) != 0 {
		t.Errorf("second ApplyBatch = %+v, %v; want nothing new (known events)", again, err)
	}
	// A bad entry fails the whole batch: nothing of it is written.
	bad := func(i int, p Parcel, _ bool, _ func(carriers.Event) bool) (Update, bool) {
		u := Update{Parcel: p, Events: []carriers.Event{ev(10+i, carriers.StatusDelivered, "配達完了")}}
		if i == 1 {
			u.Outbox = []OutboxEntry{{Kind: "delivered"}} // no key
		}
		return u, true
	}
	if _, err := s.ApplyBatch(Batch{Numbers: []string{"1", "2"}, Plan: bad}); err == nil {
		t.Fatal("a batch with a keyless notice was applied")
	}
	if h, _ := s.History("1"); len(h) != 1 {
		t.Errorf("history of 1 has %d events after a failed batch, want 1", len(h))
	}
}

func TestWriteFailureIsReportedAndCleared(t *testing.T) {
	full := true
	s, err := Open(filepath.Join(t.TempDir(), "full.db"), Options{BeforeCommit: func() error {
		if full {
			return syscall.ENOSPC
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.PutParcel(Parcel{Number: "1"})
	if !errors.Is(err, ErrWriteFailed) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("PutParcel on a full disk = %v, want ErrWriteFailed wrapping ENOSPC", err)
	}
	if wf, ok := s.WriteFailure(); !ok || wf.Count != 1 {
		t.Errorf("WriteFailure = %+v, %v; want one failure", wf, ok)
	}
	// A caller's mistake is not a disk failure.
	full = false
	if _, err := s.Enqueue(OutboxEntry{}); err == nil || errors.Is(err, ErrWriteFailed) {
		t.Errorf("Enqueue without a key = %v, want a plain error", err)
	}
	if err := s.PutParcel(Parcel{Number: "1"}); err != nil {
		t.Fatal(err)
	}
	if wf, ok := s.WriteFailure(); ok {
		t.Errorf("WriteFailure after a good write = %+v", wf)
	}
}

// putLegacyEvents writes events the way schema v1–v3 kept them.
func putLegacyEvents(tx *bolt.Tx, number string, events ...carriers.Event) error {
	all, err := tx.CreateBucketIfNotExists([]byte(bucketEvents))
	if err != nil {
		return err
	}
	pb, err := all.CreateBucketIfNotExists([]byte(number))
	if err != nil {
		return err
	}
	log, err := pb.CreateBucketIfNotExists([]byte(subEvents))
	if err != nil {
		return err
	}
	fps, err := pb.CreateBucketIfNotExists([]byte(subFingerprints))
	if err != nil {
		return err
	}
	for _, e := range events {
		seq, err := pb.NextSequence()
		if err != nil {
			return err
		}
		data, err := json.Marshal(StoredEvent{Event: e, Carrier: "yamato", Seq: seq, Seen: t0})
		if err != nil {
			return err
		}
		key := eventKey(e.Time, seq)
		if err := log.Put(key, data); err != nil {
			return err
		}
		if err := fps.Put(fingerprint(e), key); err != nil {
			return err
		}
	}
	return nil
}

// A schema v2 file with two parcels and an old-layout history.
func TestMigrateFromV2FillsLastAndIndex(t *testing.T) {
	path := oldFile(t, func(tx *bolt.Tx) error {
		if err := migrateBase(tx); err != nil {
			return err
		}
		if err := migrateOutboxKeys(tx); err != nil {
			return err
		}
		if err := setVersion(tx, 2); err != nil {
			return err
		}
		for _, p := range []Parcel{{Number: "1", Tracked: true, NextDue: t0}, {Number: "2", Tracked: true, Done: true}} {
			if err := putJSON(tx, bucketParcels, []byte(p.Number), p); err != nil {
				return err
			}
		}
		return putLegacyEvents(tx, "1", ev(0, carriers.StatusInTransit, "発送"), ev(5, carriers.StatusOutForDelivery, "配達中"))
	})
	s := reopen(t, path, Options{})
	if got, err := s.ActiveParcels(); err != nil || !slices.Equal(numbersOf(got), []string{"1"}) {
		t.Errorf("ActiveParcels after migration = %v, %v; want [1]", numbersOf(got), err)
	}
	if p, _, _ := s.Parcel("1"); p.Last == nil || p.Last.Raw != "配達中" {
		t.Errorf("Last after migration = %+v, want 配達中", p.Last)
	}
	h, err := s.History("1")
	if err != nil || len(h) != 2 || h[1].Raw != "配達中" || h[1].Seq != 2 || h[1].Carrier != "yamato" || !h[1].Seen.Equal(t0) {
		t.Fatalf("History after migration = %+v, %v; want both events with seq, carrier and seen kept", h, err)
	}
	// The moved history still deduplicates.
	if a, err := s.Apply(Update{Parcel: Parcel{Number: "1", Tracked: true}, Events: []carriers.Event{ev(5, carriers.StatusOutForDelivery, "配達中"), ev(9, carriers.StatusDelivered, "配達完了")}}); err != nil || len(a.Events) != 1 || a.Events[0].Seq != 3 {
		t.Errorf("Apply after migration = %+v, %v; want only 配達完了 added, seq 3", a, err)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		if tx.Bucket([]byte(bucketEvents)) != nil {
			return errors.New("the old events bucket is still there")
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}
