package main

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// reloadDaemon serves POST /api/reload like the daemon and counts reloads.
type reloadDaemon struct {
	reloads atomic.Int32
	reject  string // error to refuse the reload with; "" accepts
}

func (f *reloadDaemon) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/api/reload" || r.Header.Get("X-Todoku") != "1" {
		http.Error(w, "unexpected request", http.StatusBadRequest)
		return
	}
	f.reloads.Add(1)
	w.Header().Set("Content-Type", "application/json")
	if f.reject != "" {
		w.WriteHeader(http.StatusUnprocessableEntity)
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": f.reject})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true})
}

// reloadTestConfig writes a config whose api.listen points at listen.
func reloadTestConfig(t *testing.T, listen string) string {
	t.Helper()
	return editTestConfig(t, "# parcels below\nnotify: {notifier: console}\napi: {listen: \""+listen+"\"}\n\nparcels:\n  - number: 4321-0987-6542\n    label: lens\n")
}

func TestAdd(t *testing.T) {
	editTestEnv(t)
	f := &reloadDaemon{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	path := reloadTestConfig(t, srv.Listener.Addr().String())
	var out, errOut bytes.Buffer
	code := cmdAdd([]string{"--config", path, "３６００", "1234", "5674", "--label", "本", "--carrier", "sagawa"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	for _, want := range []string{"added 3600-1234-5674 (本) to " + path, "carrier: sagawa", "the running daemon reloaded its config"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout %q: want %q", out.String(), want)
		}
	}
	if n := f.reloads.Load(); n != 1 {
		t.Errorf("daemon got %d reloads, want 1", n)
	}
	b, _ := os.ReadFile(path)
	if want := "    label: lens\n  - number: 3600-1234-5674\n    label: 本\n    carrier: sagawa\n"; !strings.HasSuffix(string(b), want) || !strings.HasPrefix(string(b), "# parcels below\n") {
		t.Errorf("file after add:\n%s\nwant it to end with:\n%s", b, want)
	}
}

func TestAddRefused(t *testing.T) {
	editTestEnv(t)
	f := &reloadDaemon{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	path := reloadTestConfig(t, srv.Listener.Addr().String())
	before, _ := os.ReadFile(path)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"order number", []string{"250-1234567-1234567"}, 1, `todoku add: "250-1234567-1234567": `},
		{"duplicate", []string{"432109876542"}, 1, "todoku add: 4321-0987-6542 is already in "},
		{"unknown carrier", []string{"360012345674", "--carrier", "tonami"}, 1, `todoku add: carrier "tonami": unknown carrier`},
		{"no number", nil, 2, "Usage: todoku add NUMBER"},
		{"bad flag", []string{"--lable", "x", "360012345674"}, 2, "flag provided but not defined: -lable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := cmdAdd(append([]string{"--config", path}, tt.args...), &out, &errOut)
			if code != tt.code || !strings.HasPrefix(errOut.String(), tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d, stderr starting %q", code, errOut.String(), tt.code, tt.stderr)
			}
		})
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Errorf("file changed by refused adds:\n%s", after)
	}
	if n := f.reloads.Load(); n != 0 {
		t.Errorf("daemon got %d reloads, want 0", n)
	}
}

func TestAddNoDaemon(t *testing.T) {
	editTestEnv(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	path := reloadTestConfig(t, addr)
	var out, errOut bytes.Buffer
	if code := cmdAdd([]string{"--config", path, "360012345674"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	want := "no daemon is listening at " + addr + ": the change applies when todoku next starts, or on `systemctl reload todoku`"
	if !strings.Contains(out.String(), want) {
		t.Errorf("stdout %q: want %q", out.String(), want)
	}
}

func TestRemove(t *testing.T) {
	editTestEnv(t)
	f := &reloadDaemon{}
	sock := filepath.Join(t.TempDir(), "api.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: f}}
	srv.Start()
	defer srv.Close()
	path := reloadTestConfig(t, "unix:"+sock)
	var out, errOut bytes.Buffer
	if code := cmdRemove([]string{"４３２１-0987-6542", "--config", path}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "the running daemon reloaded its config") || f.reloads.Load() != 1 {
		t.Errorf("stdout %q, reloads %d: want one reload", out.String(), f.reloads.Load())
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), "4321") || !strings.HasSuffix(string(b), "\nparcels: []\n") {
		t.Errorf("file after remove:\n%s", b)
	}

	out.Reset()
	errOut.Reset()
	if code := cmdRemove([]string{"--config", path, "432109876542"}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "parcel not found") {
		t.Errorf("second remove: exit %d, stderr %q; want 1 and parcel not found", code, errOut.String())
	}
}

func TestReloadRejected(t *testing.T) {
	editTestEnv(t)
	f := &reloadDaemon{reject: "config.yaml:7:1: unknown carrier"}
	srv := httptest.NewServer(f)
	defer srv.Close()
	path := reloadTestConfig(t, srv.Listener.Addr().String())
	var out, errOut bytes.Buffer
	code := cmdRemove([]string{"--config", path, "432109876542"}, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "refused it and keeps its old config") || !strings.Contains(errOut.String(), "unknown carrier") {
		t.Errorf("exit %d, stderr %q: want 1 and the daemon's reason", code, errOut.String())
	}
}
