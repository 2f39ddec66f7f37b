package mail

import (
	"path/filepath"
	"testing"
)

func TestBoltState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	db := openDB(t, path)
	a, err := NewBoltState(db, "a@imap.example.com:993")
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewBoltState(db, "b@imap.example.com:993")
	if err != nil {
		t.Fatal(err)
	}
	if v, last, err := a.Load("INBOX"); err != nil || v != 0 || last != 0 {
		t.Fatalf("unknown folder = (%d, %d, %v), want zeros", v, last, err)
	}
	if err := a.Save("INBOX", 42, 1234); err != nil {
		t.Fatal(err)
	}
	if err := a.Save("Shop", 7, 1); err != nil {
		t.Fatal(err)
	}
	if v, last, _ := b.Load("INBOX"); v != 0 || last != 0 {
		t.Errorf("another account's INBOX = (%d, %d), want zeros", v, last)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = openDB(t, path)
	defer db.Close()
	a, err = NewBoltState(db, "a@imap.example.com:993")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		folder  string
		v, last uint32
	}{{"INBOX", 42, 1234}, {"Shop", 7, 1}} {
		v, last, err := a.Load(tt.folder)
		if err != nil || v != tt.v || last != tt.last {
			t.Errorf("%s after reopening = (%d, %d, %v), want (%d, %d)", tt.folder, v, last, err, tt.v, tt.last)
		}
	}
}
