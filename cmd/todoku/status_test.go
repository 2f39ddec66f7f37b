package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/store"
)

// offline writes a database with one failed delivery and a config whose
// API address has no daemon, so list/show/backup read the database.
func offline(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "todoku.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 14, 2, 0, 0, carriers.Tokyo)
	p := store.Parcel{Number: "123456789013", Carrier: "yamato", Label: "カメラレンズ", Tracked: true,
		Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent, LastPoll: at, Added: at.Add(-time.Hour)}
	if _, err := st.Apply(store.Update{Parcel: p, Events: []carriers.Event{
		{Time: at.Add(-5 * time.Hour), Status: carriers.StatusOutForDelivery, Raw: "配達中", Location: "川崎中央センター"},
		{Time: at, Status: carriers.StatusDeliveryFailed, Reason: carriers.ReasonAbsent, Raw: "持戻（ご不在）", Location: "川崎中央センター"},
	}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	cfg := filepath.Join(dir, "config.yaml")
	body := fmt.Sprintf("database: %s\napi:\n  listen: 127.0.0.1:1\nnotify:\n  notifier: console\nparcels:\n  - number: 1234-5678-9013\n    label: カメラレンズ\n", db)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestListAndShowFromTheDatabase(t *testing.T) {
	cfg := offline(t)
	var out, errb bytes.Buffer
	if code := cmdList([]string{"--config", cfg}, &out, &errb); code != 0 {
		t.Fatalf("list: exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"1234-5678-9013", "カメラレンズ", "持戻（ご不在）", "0120-01-9625"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("list lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	// Flags may follow the number.
	if code := cmdShow([]string{"--config", cfg, "1234-5678-9013", "--json"}, &out, &errb); code != 0 {
		t.Fatalf("show: exit %d: %s", code, errb.String())
	}
	var p api.ParcelView
	if err := json.Unmarshal(out.Bytes(), &p); err != nil {
		t.Fatalf("show --json: %v\n%s", err, out.String())
	}
	if len(p.History) != 2 || p.Call == nil || p.Call.Number != "0120-01-9625" || p.Status != "delivery_failed" {
		t.Errorf("show: %+v", p)
	}
	out.Reset()
	if code := cmdShow([]string{"--config", cfg, "1234-5678-9013"}, &out, &errb); code != 0 {
		t.Fatalf("show: exit %d", code)
	}
	if !strings.Contains(out.String(), "2026-11-23 14:02 JST") {
		t.Errorf("history not in Tokyo time:\n%s", out.String())
	}
}

func TestBackupFromTheDatabase(t *testing.T) {
	cfg := offline(t)
	dst := filepath.Join(t.TempDir(), "copy.db")
	var out, errb bytes.Buffer
	if code := cmdBackup([]string{"--config", cfg, dst}, &out, &errb); code != 0 {
		t.Fatalf("backup: exit %d: %s", code, errb.String())
	}
	st, err := store.Open(dst, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if h, err := st.History("123456789013"); err != nil || len(h) != 2 {
		t.Errorf("backup history: %d events, %v", len(h), err)
	}
}

func TestTableAlignsWideCharacters(t *testing.T) {
	var out bytes.Buffer
	writeTable(&out, [][]string{{"NUMBER", "LABEL", "X"}, {"1", "カメラレンズ", "a"}, {"22", "ink", "b"}})
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	col := func(line string) int { // display column where the last cell starts
		return displayWidth(line[:strings.LastIndex(line, " ")+1])
	}
	if col(lines[1]) != col(lines[2]) || col(lines[0]) != col(lines[1]) {
		t.Errorf("columns do not line up:\n%s", out.String())
	}
}
