package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
)

// TestBackupWhileWriting takes hot backups while writers apply updates.
// Each Apply writes a parcel whose Product counts its own events, in the
// same transaction as the events: a consistent snapshot agrees with it
// for every parcel.
func TestBackupWhileWriting(t *testing.T) {
	s, _ := openTemp(t)
	const writers, rounds = 3, 15
	var (
		wg      sync.WaitGroup
		applied atomic.Int64
		stop    = make(chan struct{})
	)
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			number := fmt.Sprintf("parcel-%d", w)
			var events []carriers.Event
			for i := range rounds {
				events = append(events, ev(i, carriers.StatusInTransit, fmt.Sprintf("row %d", i)))
				p := Parcel{Number: number, Product: strconv.Itoa(len(events)), LastPoll: t0}
				u := Update{Parcel: p, Events: events, Outbox: []OutboxEntry{{Key: fmt.Sprintf("%s|%d", number, i)}}}
				if _, err := s.Apply(u); err != nil {
					errs <- err
					return
				}
				applied.Add(1)
			}
		}()
	}
	go func() { wg.Wait(); close(stop) }()

	dir := t.TempDir()
	var backups []string
	for i := 0; i < 4; i++ {
		// Spread the backups over the writes.
		for applied.Load() < int64((i+1)*writers*rounds/5) {
			select {
			case <-stop:
			case <-time.After(time.Millisecond):
				continue
			}
			break
		}
		path := filepath.Join(dir, fmt.Sprintf("backup-%d.db", i))
		if i%2 == 0 {
			if err := s.BackupFile(path); err != nil {
				t.Fatalf("BackupFile: %v", err)
			}
		} else {
			var buf bytes.Buffer
			n, err := s.Backup(&buf)
			if err != nil || n != int64(buf.Len()) {
				t.Fatalf("Backup = %d, %v; wrote %d bytes", n, err, buf.Len())
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		backups = append(backups, path)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("writer: %v", err)
	}
	// One more after the writers: it must hold everything.
	final := filepath.Join(dir, "final.db")
	if err := s.BackupFile(final); err != nil {
		t.Fatalf("BackupFile: %v", err)
	}
	backups = append(backups, final)

	for _, path := range backups {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b := reopen(t, path, Options{ReadOnly: true})
			if err := b.Check(); err != nil {
				t.Errorf("Check: %v", err)
			}
			parcels, err := b.Parcels()
			if err != nil {
				t.Fatalf("Parcels: %v", err)
			}
			queued := 0
			for _, p := range parcels {
				h, err := b.History(p.Number)
				if err != nil {
					t.Fatalf("History: %v", err)
				}
				if strconv.Itoa(len(h)) != p.Product {
					t.Errorf("%s: %d events but the parcel says %s: not a consistent snapshot", p.Number, len(h), p.Product)
				}
				n, _ := strconv.Atoi(p.Product)
				queued += n
			}
			ob, _ := b.Outbox()
			t.Logf("%d parcels, %d outbox entries", len(parcels), len(ob))
			if len(ob) != queued {
				t.Errorf("outbox has %d entries, parcels account for %d", len(ob), queued)
			}
			if path == final && (len(parcels) != writers || queued != writers*rounds) {
				t.Errorf("final backup: %d parcels, %d entries; want %d, %d", len(parcels), queued, writers, writers*rounds)
			}
		})
	}
}

func TestBackupFileModeAndReplace(t *testing.T) {
	s, _ := openTemp(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.db")
	if err := os.WriteFile(path, []byte("old backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.PutParcel(Parcel{Number: "1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.BackupFile(path); err != nil {
		t.Fatalf("BackupFile: %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode = %v, want 0600", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("backup dir holds %d files, want only the backup (no temp files left)", len(entries))
	}
	b := reopen(t, path, Options{ReadOnly: true})
	if _, ok, err := b.Parcel("1"); !ok || err != nil {
		t.Errorf("Parcel in backup = %v, %v; want found", ok, err)
	}
	if err := s.BackupFile(filepath.Join(dir, "missing", "b.db")); err == nil {
		t.Error("BackupFile into a missing directory succeeded, want an error")
	}
}
