package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// damageFixture writes a database with enough parcels and queued notices
// to span a few hundred KiB, and returns its path and meta page.
func damageFixture(t *testing.T) (string, metaInfo) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "todoku.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 5, 0, 0, 0, time.UTC)
	for i := range 60 {
		p := Parcel{Number: fmt.Sprintf("1234%08d", i), Label: strings.Repeat("ラベル", 20), Carrier: "yamato", Tracked: true, Added: now}
		if err := s.PutParcel(p); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 300 {
		e := OutboxEntry{Key: fmt.Sprintf("k%04d", i), Kind: "operator", Text: strings.Repeat("通知本文", 60), Created: now, NotBefore: now}
		if _, err := s.Enqueue(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := fileMeta(f)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := f.Stat(); fi.Size() < 4*64<<10 {
		t.Fatalf("fixture is only %d bytes: too small to truncate at 64 KiB meaningfully", fi.Size())
	}
	return path, m
}

// overwritePage fills page id with random bytes.
func overwritePage(t *testing.T, path string, m metaInfo, id uint64, seed uint64) {
	t.Helper()
	b := make([]byte, m.pageSize)
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, int64(id)*int64(m.pageSize)); err != nil {
		t.Fatal(err)
	}
}

// leafPages lists the pages whose header says "leaf" (bbolt's flag 0x02),
// other than the root page.
func leafPages(t *testing.T, path string, m metaInfo) []uint64 {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []uint64
	for id := uint64(2); id < m.pgid; id++ {
		off := id * uint64(m.pageSize)
		if id != m.root && data[off+8] == 0x02 && data[off+9] == 0 {
			out = append(out, id)
		}
	}
	return out
}

// loopBranch makes the first child of a branch page point back at the
// page itself: a cycle bbolt's cursor would follow for ever.
func loopBranch(t *testing.T, path string, m metaInfo) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for id := uint64(2); id < m.pgid; id++ {
		off := id * uint64(m.pageSize)
		if data[off+8] == 0x01 && data[off+9] == 0 {
			binary.NativeEndian.PutUint64(data[off+16+8:], id)
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatal("no branch page")
}

func truncateTo(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

// TestOpenDamaged: every kind of damage gives one *DamagedError naming
// the file, never a crash (SIGBUS would kill the test binary) or a panic.
func TestOpenDamaged(t *testing.T) {
	tests := []struct {
		name    string
		damage  func(t *testing.T, path string, m metaInfo)
		problem string // the start of DamagedError.Problem; "" = opens fine
	}{
		{"truncated to 0 bytes", func(t *testing.T, p string, m metaInfo) { truncateTo(t, p, 0) },
			"the file is empty (0 bytes), so its history and sent-ledger are gone; if this is a new installation, delete the empty file"},
		{"truncated to 64 KiB", func(t *testing.T, p string, m metaInfo) { truncateTo(t, p, 64<<10) },
			"truncated: 65536 bytes, the file needs "},
		{"truncated to half", func(t *testing.T, p string, m metaInfo) {
			truncateTo(t, p, int64(m.pgid)*int64(m.pageSize)/2)
		}, "truncated: "},
		{"truncated by one byte", func(t *testing.T, p string, m metaInfo) {
			truncateTo(t, p, int64(m.pgid)*int64(m.pageSize)-1)
		}, "truncated: "},
		{"random bytes in the root page", func(t *testing.T, p string, m metaInfo) {
			overwritePage(t, p, m, m.root, 1)
		}, "page "},
		{"random bytes in a data page", func(t *testing.T, p string, m metaInfo) {
			leaves := leafPages(t, p, m)
			if len(leaves) < 3 {
				t.Fatalf("only %d leaf pages", len(leaves))
			}
			overwritePage(t, p, m, leaves[len(leaves)/2], 2)
		}, "page "},
		{"a branch page that points at itself", loopBranch, "page "},
		{"random bytes in both meta pages", func(t *testing.T, p string, m metaInfo) {
			overwritePage(t, p, m, 0, 3)
			overwritePage(t, p, m, 1, 4)
		}, "no valid meta page: not a todoku database, or its header was overwritten"},
		// bbolt would fall back to the older meta page, silently losing the
		// last transaction (perhaps a sent-ledger entry): refused too.
		{"random bytes in the first meta page", func(t *testing.T, p string, m metaInfo) {
			overwritePage(t, p, m, 0, 5)
		}, "consistency check: "},
		{"a text file", func(t *testing.T, p string, m metaInfo) {
			if err := os.WriteFile(p, []byte(strings.Repeat("parcels: []\n", 1000)), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "no valid meta page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, m := damageFixture(t)
			tt.damage(t, path, m)
			for _, ro := range []bool{false, true} {
				s, err := Open(path, Options{ReadOnly: ro})
				if tt.problem == "" {
					if err != nil {
						t.Fatalf("read-only %v: %v, want it to open", ro, err)
					}
					s.Close()
					continue
				}
				if err == nil {
					s.Close()
					t.Fatalf("read-only %v: opened a damaged file", ro)
				}
				var de *DamagedError
				if !errors.As(err, &de) || !errors.Is(err, ErrDamaged) {
					t.Fatalf("read-only %v: err = %v (%T), want a *DamagedError", ro, err, err)
				}
				if de.Path != path || !strings.HasPrefix(de.Problem, tt.problem) {
					t.Errorf("read-only %v: problem = %q, want it to start with %q", ro, de.Problem, tt.problem)
				}
				msg := err.Error()
				for _, want := range []string{"database " + path + " is damaged (", "Restore the last backup", "todoku backup", "todoku repair " + path} {
					if !strings.Contains(msg, want) {
						t.Errorf("message lacks %q:\n%s", want, msg)
					}
				}
				if strings.Contains(msg, "goroutine ") || strings.Contains(msg, ".go:") {
					t.Errorf("message carries a stack trace:\n%s", msg)
				}
			}
		})
	}
}

func TestDamagedMessageExact(t *testing.T) {
	path, _ := damageFixture(t)
	truncateTo(t, path, 0)
	_, err := Open(path, Options{})
	want := "database " + path + " is damaged (the file is empty (0 bytes), so its history and sent-ledger are gone; " +
		"if this is a new installation, delete the empty file): todoku did not open it. Restore the last backup " +
		"(`todoku backup FILE` makes one), or copy what is still readable into a new file with `todoku repair " +
		path + " NEW_FILE` and put that in its place"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestOpenEmptyAllowed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "todoku.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{AllowEmpty: true})
	if err != nil {
		t.Fatalf("an empty file in a just-created state directory: %v", err)
	}
	s.Close()
	// Now it is initialised: it opens without AllowEmpty.
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// TestRepair: Repair copies what is readable out of each kind of damage
// and the result opens as a todoku database.
func TestRepair(t *testing.T) {
	tests := []struct {
		name     string
		damage   func(t *testing.T, path string, m metaInfo)
		complete bool // nothing lost
	}{
		{"undamaged", func(*testing.T, string, metaInfo) {}, true},
		{"random bytes in a data page", func(t *testing.T, p string, m metaInfo) {
			leaves := leafPages(t, p, m)
			overwritePage(t, p, m, leaves[len(leaves)/2], 2)
		}, false},
		{"truncated to half", func(t *testing.T, p string, m metaInfo) {
			truncateTo(t, p, int64(m.pgid)*int64(m.pageSize)/2)
		}, false},
		{"truncated to 64 KiB", func(t *testing.T, p string, m metaInfo) { truncateTo(t, p, 64<<10) }, false},
		{"random bytes in the root page", func(t *testing.T, p string, m metaInfo) {
			overwritePage(t, p, m, m.root, 1)
		}, false},
		{"a branch page that points at itself", loopBranch, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, m := damageFixture(t)
			tt.damage(t, src, m)
			before, _ := os.ReadFile(src)
			dst := filepath.Join(t.TempDir(), "repaired.db")
			rep, err := Repair(src, dst)
			if err != nil {
				t.Fatalf("Repair: %v", err)
			}
			if after, _ := os.ReadFile(src); string(after) != string(before) {
				t.Error("Repair changed the source file")
			}
			lost := false
			for _, b := range rep.Buckets {
				lost = lost || b.Lost()
				t.Log(b)
			}
			if (lost || rep.Older) == tt.complete {
				t.Errorf("report lost = %v, older = %v, want a loss or the older transaction: %v", lost, rep.Older, !tt.complete)
			}
			s, err := Open(dst, Options{})
			if err != nil {
				t.Fatalf("the repaired file does not open: %v", err)
			}
			defer s.Close()
			if err := s.Check(); err != nil {
				t.Errorf("repaired file: %v", err)
			}
			ps, err := s.Parcels()
			if err != nil {
				t.Fatal(err)
			}
			out, err := s.Outbox()
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("copied %d of 60 parcels, %d of 300 notices", len(ps), len(out))
			if tt.complete && (len(ps) != 60 || len(out) != 300) {
				t.Errorf("copied %d parcels and %d notices, want 60 and 300", len(ps), len(out))
			}
			// A new notice gets a fresh ID (the sequence was copied).
			if _, err := s.Enqueue(OutboxEntry{Key: "new", Kind: "operator", Text: "x"}); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("destination exists", func(t *testing.T) {
		src, _ := damageFixture(t)
		if _, err := Repair(src, src); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Errorf("err = %v, want already exists", err)
		}
	})
	t.Run("nothing readable", func(t *testing.T) {
		src := filepath.Join(t.TempDir(), "x.db")
		os.WriteFile(src, []byte("not a database"), 0o600)
		_, err := Repair(src, filepath.Join(t.TempDir(), "y.db"))
		if err == nil || !strings.Contains(err.Error(), "restore a backup") {
			t.Errorf("err = %v", err)
		}
	})
}

// FuzzOpen: whatever the file holds, Open returns a store or an error;
// it never crashes (SIGBUS, a panic) the process.
func FuzzOpen(f *testing.F) {
	dir := f.TempDir()
	path := filepath.Join(dir, "seed.db")
	s, err := Open(path, Options{})
	if err != nil {
		f.Fatal(err)
	}
	s.PutParcel(Parcel{Number: "123456789012", Tracked: true})
	s.Enqueue(OutboxEntry{Key: "k", Kind: "operator", Text: "x"})
	s.Close()
	good, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	// bbolt files end in unused space: seed with the pages in use.
	good = good[:min(len(good), 32<<10)]
	f.Add(good)
	f.Add(good[:4096])
	f.Add(good[:8192])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.db")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(p, Options{LockTimeout: 100 * time.Millisecond})
		if err != nil {
			if len(data) > 0 && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrSchemaTooNew) {
				t.Logf("not a DamagedError: %v", err)
			}
			return
		}
		s.Parcels()
		s.Outbox()
		s.Close()
	})
}

// TestRandomDamage flips random bytes in a real file many times: Open
// either opens it or returns a *DamagedError, Repair always finishes, and
// neither crashes (a fault in bbolt's memory map) or hangs (a loop).
func TestRandomDamage(t *testing.T) {
	path, m := damageFixture(t)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	good = good[:m.pgid*uint64(m.pageSize)]
	r := rand.New(rand.NewPCG(7, 9))
	dir := t.TempDir()
	opened, refused := 0, 0
	for i := range 300 {
		data := append([]byte(nil), good...)
		for range 1 + r.IntN(16) {
			data[r.IntN(len(data))] = byte(r.UintN(256))
		}
		if r.IntN(4) == 0 {
			data = data[:r.IntN(len(data))]
		}
		p := filepath.Join(dir, fmt.Sprintf("%d.db", i))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(p, Options{ReadOnly: i%2 == 0})
		switch {
		case err == nil:
			opened++
			if _, err := s.Parcels(); err != nil {
				t.Logf("iteration %d: opened, then %v", i, err)
			}
			s.Close()
		case errors.Is(err, ErrDamaged):
			refused++
		default:
			t.Errorf("iteration %d: %v, want a DamagedError", i, err)
		}
		if _, err := Repair(p, p+".repaired"); err != nil && !strings.Contains(err.Error(), "restore a backup") {
			t.Errorf("iteration %d: Repair: %v", i, err)
		}
	}
	t.Logf("300 damaged files: %d opened (the damage missed the pages' structure: unused bytes or inside values), %d refused", opened, refused)
}

// BenchmarkOpenChecked measures Open with its checks (pages, walk,
// bbolt's tx.Check) on a file of 2,000 parcels and 2,000 queued notices,
// against CheckFile alone.
func BenchmarkOpenChecked(b *testing.B) {
	path := filepath.Join(b.TempDir(), "todoku.db")
	s, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 5, 0, 0, 0, time.UTC)
	for i := range 2000 {
		s.PutParcel(Parcel{Number: fmt.Sprintf("1234%08d", i), Label: "ラベル", Carrier: "yamato", Tracked: true, Added: now})
		s.Enqueue(OutboxEntry{Key: fmt.Sprintf("k%05d", i), Kind: "operator", Text: strings.Repeat("通知", 40), Created: now})
	}
	s.Close()
	fi, _ := os.Stat(path)
	b.Logf("file %d KiB", fi.Size()>>10)
	b.Run("Open", func(b *testing.B) {
		for b.Loop() {
			s, err := Open(path, Options{})
			if err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
	})
	b.Run("CheckFile", func(b *testing.B) {
		for b.Loop() {
			if err := CheckFile(path, false); err != nil {
				b.Fatal(err)
			}
		}
	})
}
