package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/store"
)

// hostileDB writes a database whose carrier text tries to act on the
// terminal, and a config pointing at it with no daemon.
func hostileDB(t *testing.T) (cfg, db string) {
	t.Helper()
	dir := t.TempDir()
	db = filepath.Join(dir, "todoku.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 14, 2, 0, 0, carriers.Tokyo)
	p := store.Parcel{Number: "123456789013", Carrier: "yamato", Label: "lens\x1b]0;pwned\x07", Tracked: true,
		Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent, LastPoll: at, Added: at.Add(-time.Hour),
		Office: carriers.Office{Name: "川崎\u202eセンター"}, LastError: "bad\x1b[2Jpage"}
	if _, err := st.Apply(store.Update{Parcel: p, Events: []carriers.Event{
		{Time: at, Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent,
			Raw: "持戻\x1b[31m（ご不在）\u009b2J", Location: "川崎\u202eセンター\u2066x\u2069"},
	}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	cfg = filepath.Join(dir, "config.yaml")
	body := fmt.Sprintf("database: %s\napi:\n  listen: 127.0.0.1:1\nnotify:\n  notifier: console\nparcels:\n  - number: 1234-5678-9013\n", db)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg, db
}

func assertInert(t *testing.T, what, out string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\u2066", "\u2069"} {
		if strings.Contains(out, bad) {
			t.Errorf("%s prints %q to the terminal:\n%q", what, bad, out)
		}
	}
}

func TestListAndShowEscapeCarrierText(t *testing.T) {
	cfg, _ := hostileDB(t)
	var out, errb bytes.Buffer
	if code := cmdList([]string{"--config", cfg}, &out, &errb); code != 0 {
		t.Fatalf("list: exit %d: %s", code, errb.String())
	}
	assertInert(t, "list", out.String())
	if !strings.Contains(out.String(), `持戻\x1b[31m（ご不在）`) {
		t.Errorf("list does not show the sequence escaped:\n%s", out.String())
	}
	out.Reset()
	if code := cmdShow([]string{"--config", cfg, "1234-5678-9013"}, &out, &errb); code != 0 {
		t.Fatalf("show: exit %d: %s", code, errb.String())
	}
	assertInert(t, "show", out.String())
	for _, want := range []string{`lens\x1b]0;pwned\x07`, `川崎\u202eセンター`, `bad\x1b[2Jpage`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("show lacks %q:\n%s", want, out.String())
		}
	}
}

func TestBackupRefusesNonRegularDestination(t *testing.T) {
	cfg := offline(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "target.db"), link); err != nil {
		t.Fatal(err)
	}
	dests := map[string]string{"/dev/full": "a device", "/dev/null": "a device", dir: "a directory", fifo: "a named pipe", link: "a symbolic link"}
	for dst, kind := range dests {
		before, _ := os.Lstat(dst)
		var out, errb bytes.Buffer
		code := cmdBackup([]string{"--config", cfg, dst}, &out, &errb)
		if code != 1 || !strings.Contains(errb.String(), "exists and is not a regular file ("+kind+")") {
			t.Errorf("backup to %s: exit %d, stderr %q", dst, code, errb.String())
		}
		if after, err := os.Lstat(dst); err != nil || after.Mode() != before.Mode() {
			t.Errorf("%s changed: %v, %v", dst, after, err)
		}
	}
	// An old backup (a regular file) is replaced.
	old := filepath.Join(dir, "old.db")
	os.WriteFile(old, []byte("old"), 0o600)
	var out, errb bytes.Buffer
	if code := cmdBackup([]string{"--config", cfg, old}, &out, &errb); code != 0 {
		t.Errorf("backup over an old backup: exit %d: %s", code, errb.String())
	}
}

// TestDamagedDatabaseMessages: list on a damaged database prints one
// clear message, no crash, no stack trace; repair copies what it can.
func TestDamagedDatabaseMessages(t *testing.T) {
	cfg, db := hostileDB(t)
	fi, _ := os.Stat(db)
	for _, size := range []int64{0, 64 << 10, fi.Size() / 2} {
		if size >= fi.Size() {
			continue
		}
		if err := os.Truncate(db, size); err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		code := cmdList([]string{"--config", cfg}, &out, &errb)
		msg := errb.String()
		if code != 1 || !strings.Contains(msg, "database "+db+" is damaged") || !strings.Contains(msg, "todoku repair") ||
			strings.Contains(msg, "goroutine") || strings.Count(strings.TrimSpace(msg), "\n") != 0 {
			t.Errorf("list on a file truncated to %d: exit %d, stderr:\n%s", size, code, msg)
		}
	}
}

func TestRepairCommand(t *testing.T) {
	_, db := hostileDB(t)
	// Damage the file: cut off its last page.
	fi, _ := os.Stat(db)
	if err := os.Truncate(db, fi.Size()-4096); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "new.db")
	var out, errb bytes.Buffer
	if code := cmdRepair([]string{db, dst}, &out, &errb); code != 0 {
		t.Fatalf("repair: exit %d: %s", code, errb.String())
	}
	assertInert(t, "repair", out.String())
	if !strings.Contains(out.String(), "wrote "+dst) || !strings.Contains(out.String(), "parcels: ") {
		t.Errorf("repair output:\n%s", out.String())
	}
	st, err := store.Open(dst, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("the repaired file: %v", err)
	}
	st.Close()
	// Usage errors and an existing destination.
	if code := cmdRepair([]string{db}, &out, &errb); code != 2 {
		t.Errorf("one argument: exit %d, want 2", code)
	}
	errb.Reset()
	if code := cmdRepair([]string{db, dst}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "already exists") {
		t.Errorf("existing destination: exit %d, stderr %q", code, errb.String())
	}
}
