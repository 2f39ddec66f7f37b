package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/store"
)

// An office phone that a result page gave for a tracked parcel is known
// to whois, read from the database when no daemon runs.
func TestWhoisKnowsTrackedOffices(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "todoku.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = st.PutParcel(store.Parcel{Number: "400000000035", Carrier: "sagawa", Tracked: true, Label: "インク",
		Status: carriers.StatusDeliveryFailed, Office: carriers.Office{Name: "荒川営業所", Phone: "0570-01-0659"}, Added: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	cfg := filepath.Join(dir, "config.yaml")
	// Port 1 on loopback: nothing listens, so whois reads the database.
	body := fmt.Sprintf("database: %s\napi:\n  listen: 127.0.0.1:1\nnotify:\n  notifier: console\n", db)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := cmdWhois([]string{"--config", cfg, "0570-01-0659"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "荒川営業所") {
		t.Errorf("office not named:\n%s", out.String())
	}
	out.Reset()
	if code := cmdWhois([]string{"--config", cfg, "0570-01-0000"}, &out, &errb); code != 1 {
		t.Errorf("an unknown number: exit %d, want 1\n%s", code, out.String())
	}
}
