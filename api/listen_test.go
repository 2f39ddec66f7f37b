package api

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"testing"
)

func TestListenTCP(t *testing.T) {
	tests := []struct {
		name    string
		addr    string
		opts    []ListenOption
		wantErr error // nil: must listen
	}{
		{"ipv4 loopback", "127.0.0.1:0", nil, nil},
		{"other 127/8 address", "127.0.0.2:0", nil, nil},
		{"localhost", "localhost:0", nil, nil},
		{"all interfaces", ":0", nil, ErrNotLoopback},
		{"0.0.0.0", "0.0.0.0:0", nil, ErrNotLoopback},
		{"ipv6 any", "[::]:0", nil, ErrNotLoopback},
		{"lan address", "192.168.1.10:8347", nil, ErrNotLoopback},
		{"hostname", "homeserver.lan:8347", nil, ErrNotLoopback},
		{"all interfaces allowed", "0.0.0.0:0", []ListenOption{AllowRemote()}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := Listen(tt.addr, tt.opts...)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Listen(%q) err = %v, want %v", tt.addr, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Listen(%q): %v", tt.addr, err)
			}
			ln.Close()
		})
	}
	if _, err := Listen("no-port"); err == nil {
		t.Errorf("Listen(no-port) = nil error, want one")
	}
}

func TestListenUnix(t *testing.T) {
	t.Run("fresh", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "api.sock")
		ln, err := Listen("unix:" + path)
		if err != nil {
			t.Fatalf("Listen: %v", err)
		}
		ln.Close()
		if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("socket left behind after Close: %v", err)
		}
	})
	t.Run("stale socket replaced", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "api.sock")
		old, err := net.Listen("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		old.(*net.UnixListener).SetUnlinkOnClose(false)
		old.Close() // a crashed daemon leaves the file behind
		ln, err := Listen("unix:" + path)
		if err != nil {
			t.Fatalf("Listen over a stale socket: %v", err)
		}
		ln.Close()
	})
	t.Run("live socket refused", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "api.sock")
		live, err := Listen("unix:" + path)
		if err != nil {
			t.Fatal(err)
		}
		defer live.Close()
		if ln, err := Listen("unix:" + path); err == nil {
			ln.Close()
			t.Fatalf("Listen on a live socket succeeded, want an error")
		}
	})
	t.Run("regular file refused", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "config.yaml")
		if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Listen("unix:" + path); !errors.Is(err, fs.ErrExist) {
			t.Errorf("err = %v, want fs.ErrExist", err)
		}
		if b, _ := os.ReadFile(path); string(b) != "keep me" {
			t.Errorf("file was changed to %q", b)
		}
	})
	t.Run("empty path", func(t *testing.T) {
		if _, err := Listen("unix:"); err == nil {
			t.Errorf("Listen(unix:) = nil error, want one")
		}
	})
}
