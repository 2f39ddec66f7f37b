package store

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

// t0 is a fixed instant used across the tests (UTC, so values survive the
// JSON round trip unchanged under reflect.DeepEqual).
var t0 = time.Date(2026, 11, 23, 5, 2, 0, 0, time.UTC)

// openTemp opens a fresh store in t.TempDir and closes it at cleanup.
func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "todoku.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

func reopen(t testing.TB, path string, opts Options) *Store {
	t.Helper()
	s, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open(%s, %+v): %v", path, opts, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func ev(minute int, status carriers.Status, raw string) carriers.Event {
	return carriers.Event{Time: t0.Add(time.Duration(minute) * time.Minute), Status: status, Raw: raw, Location: "川崎中央センター"}
}

func TestOpenCreatesFileAndBuckets(t *testing.T) {
	s, path := openTemp(t)
	if got := s.Path(); got != path {
		t.Errorf("Path() = %q, want %q", got, path)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("stat: %v", err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("file mode = %v, want 0600", got)
	}
	v, err := s.SchemaVersion()
	if err != nil || v != CurrentSchema() {
		t.Errorf("SchemaVersion() = %d, %v; want %d, nil", v, err, CurrentSchema())
	}
	if err := s.Check(); err != nil {
		t.Errorf("Check() = %v", err)
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "no", "such", "dir", "todoku.db"), Options{})
	if err == nil {
		t.Fatal("Open in a missing directory succeeded, want an error")
	}
}

func TestSecondOpenFailsFastWithErrLocked(t *testing.T) {
	_, path := openTemp(t)
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"writer", Options{LockTimeout: 100 * time.Millisecond}},
		{"reader", Options{LockTimeout: 100 * time.Millisecond, ReadOnly: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			s2, err := Open(path, tc.opts)
			elapsed := time.Since(start)
			if err == nil {
				_ = s2.Close()
				t.Fatal("second Open succeeded while the first holds the lock")
			}
			if !errors.Is(err, ErrLocked) {
				t.Errorf("second Open error = %v, want one wrapping ErrLocked", err)
			}
			if elapsed > 2*time.Second {
				t.Errorf("second Open took %v, want about the 100ms timeout", elapsed)
			}
		})
	}
}

func TestLockReleasedOnClose(t *testing.T) {
	s, path := openTemp(t)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	reopen(t, path, Options{LockTimeout: 100 * time.Millisecond})
}

func TestDataSurvivesReopen(t *testing.T) {
	s, path := openTemp(t)
	p := Parcel{Number: "123456789012", Label: "カメラレンズ", Carrier: "yamato", Tracked: true, NextDue: t0}
	if _, err := s.Apply(Update{
		Parcel: p,
		Events: []carriers.Event{ev(0, carriers.StatusInTransit, "発送")},
		Outbox: []OutboxEntry{{Key: "k1", Kind: "delivered", Number: p.Number}},
	}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if err := s.PutHealth(Health{Carrier: "yamato", Failures: 2}); err != nil {
		t.Fatalf("PutHealth: %v", err)
	}
	if err := s.SetState("quota", map[string]int{"left": 7}); err != nil {
		t.Fatalf("SetState: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = reopen(t, path, Options{})
	got, ok, err := s.Parcel(p.Number)
	if got.Last == nil || got.Last.Raw != "発送" {
		t.Errorf("Last after reopen = %+v, want the 発送 event", got.Last)
	}
	got.Last = nil
	if err != nil || !ok || !reflect.DeepEqual(got, p) {
		t.Errorf("Parcel after reopen = %+v, %v, %v; want %+v, true, nil", got, ok, err, p)
	}
	if h, err := s.History(p.Number); err != nil || len(h) != 1 || h[0].Raw != "発送" {
		t.Errorf("History after reopen = %+v, %v; want the one 発送 event", h, err)
	}
	if ob, err := s.Outbox(); err != nil || len(ob) != 1 || ob[0].Key != "k1" {
		t.Errorf("Outbox after reopen = %+v, %v; want entry k1", ob, err)
	}
	if h, err := s.Health("yamato"); err != nil || h.Failures != 2 {
		t.Errorf("Health after reopen = %+v, %v; want Failures 2", h, err)
	}
	var q map[string]int
	if ok, err := s.State("quota", &q); err != nil || !ok || q["left"] != 7 {
		t.Errorf("State after reopen = %v, %v, %v; want left=7", q, ok, err)
	}
}

func TestReadOnly(t *testing.T) {
	s, path := openTemp(t)
	p := Parcel{Number: "111", Tracked: true}
	if err := s.PutParcel(p); err != nil {
		t.Fatalf("PutParcel: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	r1 := reopen(t, path, Options{ReadOnly: true})
	r2 := reopen(t, path, Options{ReadOnly: true, LockTimeout: 100 * time.Millisecond}) // shared lock: both readers open
	for name, r := range map[string]*Store{"first": r1, "second": r2} {
		t.Run(name, func(t *testing.T) {
			got, ok, err := r.Parcel("111")
			if err != nil || !ok || !reflect.DeepEqual(got, p) {
				t.Errorf("Parcel = %+v, %v, %v; want %+v", got, ok, err, p)
			}
		})
	}
	if err := r1.PutParcel(Parcel{Number: "222"}); err == nil {
		t.Error("PutParcel on a read-only store succeeded, want an error")
	}
	if _, err := r1.Enqueue(OutboxEntry{Key: "x"}); err == nil {
		t.Error("Enqueue on a read-only store succeeded, want an error")
	}
	// A writer cannot open while readers hold the shared lock.
	if s, err := Open(path, Options{LockTimeout: 50 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		if s != nil {
			_ = s.Close()
		}
		t.Errorf("writer Open under readers = %v, want ErrLocked", err)
	}
}

func TestReadOnlyMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.db")
	if _, err := Open(path, Options{ReadOnly: true}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("read-only Open of a missing file = %v, want one wrapping os.ErrNotExist", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("read-only Open created %s", path)
	}
}

// TestValuesDoNotAliasBoltMemory reads everything, then rewrites it and
// closes the database (unmapping the file): values that pointed into the
// mmap would change or fault.
func TestValuesDoNotAliasBoltMemory(t *testing.T) {
	s, _ := openTemp(t)
	p := Parcel{Number: "123", Label: "label-one", Candidates: []string{"yamato", "sagawa"}, Tracked: true}
	if _, err := s.Apply(Update{
		Parcel: p,
		Events: []carriers.Event{ev(0, carriers.StatusInTransit, "raw-one")},
		Outbox: []OutboxEntry{{Key: "key-one", Kind: "delivered", Text: "text-one"}},
	}); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if err := s.PutHealth(Health{Carrier: "yamato", LastError: "err-one"}); err != nil {
		t.Fatalf("PutHealth: %v", err)
	}
	if err := s.MarkSent(1, t0); err != nil {
		t.Fatalf("MarkSent: %v", err)
	}
	if _, err := s.Enqueue(OutboxEntry{Key: "key-two", Text: "text-two"}); err != nil {
		t.Fatalf("Enqueue: %v", err)
	}

	got, _, _ := s.Parcel("123")
	list, _ := s.Parcels()
	hist, _ := s.History("123")
	ob, _ := s.Outbox()
	led, _, _ := s.Sent("key-one")
	hl, _ := s.AllHealth()

	// Mutating a returned slice must not change the store.
	got.Candidates[0] = "mutated"
	again, _, err := s.Parcel("123")
	if err != nil || again.Candidates[0] != "yamato" {
		t.Errorf("after mutating a returned slice, stored Candidates = %v, %v; want yamato first", again.Candidates, err)
	}

	// Overwrite everything with different bytes, then unmap.
	for i := range 50 {
		q := p
		q.Label = "label-" + string(rune('A'+i%26))
		if err := s.PutParcel(q); err != nil {
			t.Fatalf("PutParcel: %v", err)
		}
	}
	if err := s.PutHealth(Health{Carrier: "yamato", LastError: "err-two"}); err != nil {
		t.Fatalf("PutHealth: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	for _, c := range []struct{ name, got, want string }{
		{"Parcel.Label", got.Label, "label-one"},
		{"Parcels[0].Label", list[0].Label, "label-one"},
		{"Parcels[0].Candidates[1]", list[0].Candidates[1], "sagawa"},
		{"History[0].Raw", hist[0].Raw, "raw-one"},
		{"History[0].Location", hist[0].Location, "川崎中央センター"},
		{"Outbox[0].Text", ob[0].Text, "text-two"},
		{"Sent.Key", led.Key, "key-one"},
		{"AllHealth[0].LastError", hl[0].LastError, "err-one"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q after rewrite and close, want %q", c.name, c.got, c.want)
		}
	}
}
