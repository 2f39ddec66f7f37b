package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// startServer serves src on a loopback TCP port and returns a client for it.
func startServer(t *testing.T, src Source) *Client {
	t.Helper()
	srv := httptest.NewServer(NewServer(src, slog.New(slog.DiscardHandler), "test"))
	t.Cleanup(srv.Close)
	return NewClient(strings.TrimPrefix(srv.URL, "http://"))
}

func TestClient(t *testing.T) {
	ctx := t.Context()
	f := newFake()
	c := startServer(t, f)

	t.Run("parcels", func(t *testing.T) {
		ps, err := c.Parcels(ctx)
		if err != nil {
			t.Fatalf("Parcels: %v", err)
		}
		if len(ps) != 3 || ps[2].Number != "123456789012" || ps[2].Call == nil || ps[2].Call.OpenText != "受付中" {
			t.Errorf("Parcels = %+v, want the three fake parcels in source order", ps)
		}
	})
	t.Run("parcel", func(t *testing.T) {
		p, err := c.Parcel(ctx, "123456789012")
		if err != nil {
			t.Fatalf("Parcel: %v", err)
		}
		if len(p.History) != 3 || p.History[0].Raw != "荷物受付" {
			t.Errorf("History = %+v, want 3 events starting with 荷物受付", p.History)
		}
	})
	t.Run("parcel not found", func(t *testing.T) {
		_, err := c.Parcel(ctx, "0000-0000-0000")
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("number with slash and query characters", func(t *testing.T) {
		odd := ParcelView{Number: "a/b?c#d %", Label: "odd"}
		f.mu.Lock()
		f.parcels = append(f.parcels, odd)
		f.mu.Unlock()
		defer func() { f.mu.Lock(); f.parcels = f.parcels[:len(f.parcels)-1]; f.mu.Unlock() }()
		p, err := c.Parcel(ctx, odd.Number)
		if err != nil || p.Label != "odd" {
			t.Errorf("Parcel(%q) = %+v, %v; want the odd parcel (the number must stay one path segment)", odd.Number, p, err)
		}
	})
	t.Run("health", func(t *testing.T) {
		h, err := c.Health(ctx)
		if err != nil {
			t.Fatalf("Health: %v", err)
		}
		if !h.OK || h.Version != "test" || !h.LastTick.Equal(tick) {
			t.Errorf("Health = %+v, want ok, version test, last tick %v", h, tick)
		}
	})
	t.Run("reload", func(t *testing.T) {
		if err := c.Reload(ctx); err != nil {
			t.Fatalf("Reload: %v", err)
		}
		if f.reloads != 1 {
			t.Errorf("reloads = %d, want 1", f.reloads)
		}
	})
	t.Run("reload rejected", func(t *testing.T) {
		f.mu.Lock()
		f.reloadErr = errors.New("config.yaml:7:1: unknown carrier \"kuroneko\"")
		f.mu.Unlock()
		defer func() { f.mu.Lock(); f.reloadErr = nil; f.mu.Unlock() }()
		err := c.Reload(ctx)
		if !errors.Is(err, ErrReloadRejected) || !strings.Contains(err.Error(), `config.yaml:7:1: unknown carrier "kuroneko"`) {
			t.Errorf("err = %v, want ErrReloadRejected with the reason", err)
		}
	})
	t.Run("backup", func(t *testing.T) {
		var buf bytes.Buffer
		n, err := c.Backup(ctx, &buf)
		if err != nil {
			t.Fatalf("Backup: %v", err)
		}
		if n != int64(len(f.backup)) || !bytes.Equal(buf.Bytes(), f.backup) {
			t.Errorf("Backup = %d bytes %q, want %d bytes %q", n, buf.Bytes(), len(f.backup), f.backup)
		}
	})
	t.Run("backup fails midway", func(t *testing.T) {
		f.mu.Lock()
		f.backupFailAt = 5
		f.mu.Unlock()
		defer func() { f.mu.Lock(); f.backupFailAt = -1; f.mu.Unlock() }()
		var buf bytes.Buffer
		n, err := c.Backup(ctx, &buf)
		if !errors.Is(err, ErrBackupIncomplete) || !strings.Contains(err.Error(), "input/output error") {
			t.Errorf("err = %v, want ErrBackupIncomplete with the daemon's reason", err)
		}
		if n != 5 {
			t.Errorf("n = %d, want 5", n)
		}
	})
	t.Run("backup fails at once", func(t *testing.T) {
		f.mu.Lock()
		f.backupFailAt = 0
		f.mu.Unlock()
		defer func() { f.mu.Lock(); f.backupFailAt = -1; f.mu.Unlock() }()
		_, err := c.Backup(ctx, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "500") || !strings.Contains(err.Error(), "input/output error") {
			t.Errorf("err = %v, want a 500 with the reason", err)
		}
	})
	t.Run("server error", func(t *testing.T) {
		f.mu.Lock()
		f.listErr = errors.New("store closed")
		f.mu.Unlock()
		defer func() { f.mu.Lock(); f.listErr = nil; f.mu.Unlock() }()
		_, err := c.Parcels(ctx)
		if err == nil || !strings.Contains(err.Error(), "store closed") {
			t.Errorf("err = %v, want the daemon's error text", err)
		}
	})
}

func TestClientUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	tests := []struct{ name, addr string }{
		{"tcp", addr},
		{"unix", "unix:" + filepath.Join(t.TempDir(), "missing.sock")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewClient(tt.addr).Parcels(t.Context())
			if !errors.Is(err, ErrUnreachable) {
				t.Errorf("err = %v, want ErrUnreachable", err)
			}
		})
	}
}

func TestClientOverUnixSocket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "api.sock")
	ln, err := Listen("unix:" + path)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	srv := &http.Server{Handler: NewServer(newFake(), nil, "unix")}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })

	c := NewClient("unix:" + path)
	h, err := c.Health(t.Context())
	if err != nil {
		t.Fatalf("Health over unix socket: %v", err)
	}
	if h.Version != "unix" {
		t.Errorf("Version = %q, want unix", h.Version)
	}
	if err := c.Reload(t.Context()); err != nil {
		t.Errorf("Reload over unix socket: %v", err)
	}
}

func TestClientHonoursContext(t *testing.T) {
	c := startServer(t, newFake())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Parcels(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestClientReachesWildcardListenerOnLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8347", "[::]:8347", ":8347"} {
		if got := NewClient(addr).base; got != "http://127.0.0.1:8347" {
			t.Errorf("NewClient(%q) base %q, want http://127.0.0.1:8347", addr, got)
		}
	}
	if got := NewClient("192.0.2.10:8347").base; got != "http://192.0.2.10:8347" {
		t.Errorf("a specific address was rewritten: %q", got)
	}
}

func TestNotifyTestThroughTheAPI(t *testing.T) {
	src := &fakeSource{backupFailAt: -1}
	srv := httptest.NewServer(NewServer(src, nil, "test"))
	defer srv.Close()
	c := NewClient(srv.URL)
	title, err := c.NotifyTest(context.Background())
	if err != nil || title == "" || src.notifyTests != 1 {
		t.Fatalf("NotifyTest = %q, %v; sends %d", title, err, src.notifyTests)
	}
	src.notifyErr = errors.New("pushover: 400 invalid user key")
	if _, err := c.NotifyTest(context.Background()); err == nil || !strings.Contains(err.Error(), "invalid user key") {
		t.Fatalf("a failed send: %v", err)
	}
	// Cross-site requests are refused like every POST.
	resp, err := http.Post(srv.URL+"/api/notify-test", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || src.notifyTests != 2 {
		t.Errorf("POST without the header: %d, sends %d", resp.StatusCode, src.notifyTests)
	}
}
