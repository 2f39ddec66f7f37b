package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/store"
)

func TestResume(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method != http.MethodPost || r.Header.Get("X-Todoku") != "1":
			http.Error(w, "bad request", http.StatusBadRequest)
		case r.URL.Path == "/api/resume/yamato":
			fmt.Fprintln(w, `{"ok": true, "resumed": true}`)
		case r.URL.Path == "/api/resume/sagawa":
			fmt.Fprintln(w, `{"ok": true, "resumed": false}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintln(w, `{"ok": false, "error": "unknown carrier"}`)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	body := fmt.Sprintf("database: %s\napi:\n  listen: %s\nnotify:\n  notifier: console\nparcels: []\n", filepath.Join(dir, "todoku.db"), strings.TrimPrefix(srv.URL, "http://"))
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args       []string
		code       int
		out, errOf string
	}{
		{[]string{"yamato"}, 0, "yamato: checking now", ""},
		{[]string{"sagawa"}, 0, "sagawa was not paused", ""},
		{[]string{"dhl"}, 1, "", "unknown carrier"},
		{[]string{}, 2, "", "usage: todoku resume CARRIER"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := cmdResume(append([]string{"--config", cfg}, tc.args...), &out, &errb)
			if code != tc.code || !strings.Contains(out.String(), tc.out) || !strings.Contains(errb.String(), tc.errOf) {
				t.Errorf("exit %d, out %q, err %q; want %d, %q, %q", code, out.String(), errb.String(), tc.code, tc.out, tc.errOf)
			}
		})
	}
	t.Run("no daemon", func(t *testing.T) {
		var out, errb bytes.Buffer
		if code := cmdResume([]string{"--config", offline(t), "yamato"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "no daemon answers") {
			t.Errorf("exit %d, err %q; want 1 and no daemon", code, errb.String())
		}
	})
}

// list and show say that a parcel's carrier is paused and when it is
// checked next, instead of a poll time in the past.
func TestListAndShowPausedCarrier(t *testing.T) {
	cfg := offline(t)
	db := filepath.Join(filepath.Dir(cfg), "todoku.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	next := time.Now().Add(2 * time.Hour)
	if err := st.PutHealth(store.Health{Carrier: "yamato", Paused: true, PausedAt: time.Now(), NextCheck: next}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	want := "次の確認 " + next.In(time.FixedZone("JST", 9*3600)).Format("15:04")
	var out, errb bytes.Buffer
	if code := cmdList([]string{"--config", cfg}, &out, &errb); code != 0 || !strings.Contains(out.String(), want) {
		t.Errorf("list: exit %d, out %q; want %q", code, out.String(), want)
	}
	out.Reset()
	if code := cmdShow([]string{"--config", cfg, "123456789013"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "next poll: 停止中") || !strings.Contains(out.String(), want) {
		t.Errorf("show: exit %d, out %q; want the pause and %q", code, out.String(), want)
	}
}
