package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/store"
)

// TestRemoveOwnedWithoutDaemon removes a mail-added parcel straight from
// the database, while a config parcel keeps today's behaviour, and list
// shows where each parcel came from.
func TestRemoveOwnedWithoutDaemon(t *testing.T) {
	cfg := offline(t) // 1234-5678-9013 from the config; no daemon at its API address
	db := filepath.Join(filepath.Dir(cfg), "todoku.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const mailed = "312345678901"
	now := time.Now()
	if _, err := st.AddOwned(store.Owned{Number: mailed, Label: "ヘッドホン (ヨドバシ)", Origin: store.OriginMail,
		Source: "imap://u@h/INBOX;UIDVALIDITY=1/;UID=7", MessageID: "m1@shop.example", Added: now}, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.PutParcel(store.Parcel{Number: mailed, Label: "ヘッドホン (ヨドバシ)", Tracked: true, Added: now}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	var out, errb bytes.Buffer
	if code := cmdList([]string{"--config", cfg}, &out, &errb); code != 0 {
		t.Fatalf("list: exit %d: %s", code, errb.String())
	}
	for _, line := range strings.Split(out.String(), "\n") {
		switch {
		case strings.Contains(line, "FROM"):
		case strings.Contains(line, "3123-4567-8901") && !strings.Contains(line, " mail "):
			t.Errorf("mail parcel's row does not say mail: %q", line)
		case strings.Contains(line, "1234-5678-9013") && !strings.Contains(line, " config "):
			t.Errorf("config parcel's row does not say config: %q", line)
		}
	}

	out.Reset()
	errb.Reset()
	if code := cmdRemove([]string{"--config", cfg, "3123-4567-8901"}, &out, &errb); code != 0 {
		t.Fatalf("remove mail parcel: exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "removed 312345678901 (added from a mail)") {
		t.Errorf("stdout %q", out.String())
	}
	st, err = store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	o, ok, err := st.OwnedParcel(mailed)
	st.Close()
	if err != nil || !ok || !o.Removed {
		t.Errorf("owned record after remove = %+v, %v, %v; want removed", o, ok, err)
	}
	out.Reset()
	errb.Reset()
	if code := cmdList([]string{"--config", cfg}, &out, &errb); code != 0 || strings.Contains(out.String(), "3123-4567-8901") {
		t.Errorf("list after remove (exit %d) still shows the parcel:\n%s", code, out.String())
	}
	// A number nobody has is the config's "not found".
	errb.Reset()
	if code := cmdRemove([]string{"--config", cfg, "360012345674"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "parcel not found") {
		t.Errorf("remove unknown: exit %d, stderr %q", code, errb.String())
	}
}
