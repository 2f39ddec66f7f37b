package api

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"
	"time"
)

// DefaultAddr is where the daemon listens unless configured otherwise.
const DefaultAddr = "127.0.0.1:8347"

// unixPrefix marks a unix socket address: "unix:/run/todoku/api.sock".
const unixPrefix = "unix:"

// ListenOption configures Listen.
type ListenOption func(*listenOptions)

type listenOptions struct{ allowRemote bool }

// AllowRemote lets Listen bind addresses other machines can reach, such as
// "0.0.0.0:8347" or a LAN address. The API has no authentication: use it
// only on a trusted network, and pass the names clients use to AllowHosts.
func AllowRemote() ListenOption {
	return func(o *listenOptions) { o.allowRemote = true }
}

// Listen opens the API listener. addr is "host:port" or "unix:/path". A
// TCP host must be "localhost" or a loopback IP unless AllowRemote is
// given; an empty host (all interfaces) is refused the same way. A stale
// unix socket left by a crashed daemon is removed; a live one, or a path
// that is not a socket, is an error.
func Listen(addr string, opts ...ListenOption) (net.Listener, error) {
	var o listenOptions
	for _, opt := range opts {
		opt(&o)
	}
	if path, ok := strings.CutPrefix(addr, unixPrefix); ok {
		return listenUnix(path)
	}
	if err := checkLoopback(addr, o.allowRemote); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("api: listen on %s: %w", addr, err)
	}
	return ln, nil
}

// checkLoopback refuses addresses reachable from other machines.
func checkLoopback(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("api: listen address %q: %w", addr, err)
	}
	if allowRemote || isLoopbackHost(host) {
		return nil
	}
	if host == "" {
		host = "all interfaces"
	}
	return fmt.Errorf("api: listen on %q (%s): %w; set it to 127.0.0.1 or allow remote access explicitly", addr, host, ErrNotLoopback)
}

// isLoopbackHost reports whether host (without port or brackets) is
// "localhost" or a loopback IP literal.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// listenUnix listens on a unix socket, replacing a stale one.
func listenUnix(path string) (net.Listener, error) {
	if path == "" {
		return nil, errors.New("api: listen on unix socket: empty path")
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode().Type() != fs.ModeSocket {
			return nil, fmt.Errorf("api: listen on unix socket %s: %w", path, fs.ErrExist)
		}
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("api: listen on unix socket %s: another daemon is serving it", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("api: remove stale socket %s: %w", path, err)
		}
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("api: listen on unix socket %s: %w", path, err)
	}
	return ln, nil
}
