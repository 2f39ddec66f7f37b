package daemon_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/internal/systemd"
)

// wait bounds every wait for the daemon; generous, because the machine
// running the tests may be loaded.
const wait = 15 * time.Second

// trackingNumber returns a valid 12-digit number (check digit = first 11
// digits mod 7) that fits Yamato, Sagawa and Japan Post.
func trackingNumber(i int) string {
	n := int64(31234567890) + int64(i)*1009
	return fmt.Sprintf("%011d%d", n, n%7)
}

// carrierSite is the scripted fake of every carrier site, served over HTTP.
type carrierSite struct {
	*fake.Server
	URL  string
	http *httptest.Server
}

func newCarrierSite(t *testing.T) *carrierSite {
	t.Helper()
	s := fake.NewServer(time.Now, all.Sites()...)
	h := httptest.NewServer(s)
	t.Cleanup(h.Close)
	return &carrierSite{Server: s, URL: h.URL, http: h}
}

// delivered scripts number at carrier as delivered yesterday, so one poll
// gives it a history.
func (c *carrierSite) delivered(carrier, number string) {
	c.Add(fake.Timeline(carrier, number, fake.Delivered, time.Now().Add(-72*time.Hour)))
}

// fastTicks lets test configs use "@every 1s" (the config's minimum is
// one minute).
var fastTicks = config.Options{MinSchedule: time.Second}

// parcel is one entry of the parcels list.
type parcel struct {
	Number, Label, Carrier string
}

// setup describes a config file.
type setup struct {
	Site     *carrierSite
	Database string
	Schedule string        // default "@every 1s"
	Interval time.Duration // per-carrier request spacing, default 100ms
	Parcels  []parcel
	Extra    string // raw YAML appended at the end (bad keys …)
	Listen   string // api.listen, default 127.0.0.1:0 (a free port)
}

// yaml renders the config file.
func (s setup) yaml() string {
	sched := s.Schedule
	if sched == "" {
		sched = "@every 1s"
	}
	iv := s.Interval
	if iv == 0 {
		iv = 100 * time.Millisecond
	}
	var b strings.Builder
	fmt.Fprintf(&b, "database: %s\ntime_zone: Asia/Tokyo\nschedule: %q\nnight: ~\n", s.Database, sched)
	b.WriteString("carriers:\n")
	for _, site := range all.Sites() {
		c := site.Carrier()
		fmt.Fprintf(&b, "  %s:\n    interval: %s\n    base_url: %s\n", c, iv, s.Site.URL)
	}
	b.WriteString("notify:\n  notifier: console\n  quiet_hours: ~\n")
	listen := s.Listen
	if listen == "" {
		listen = "127.0.0.1:0"
	}
	fmt.Fprintf(&b, "api:\n  listen: %s\n", listen)
	b.WriteString("parcels:\n")
	for _, p := range s.Parcels {
		fmt.Fprintf(&b, "  - number: %q\n    label: %q\n", p.Number, p.Label)
		if p.Carrier != "" {
			fmt.Fprintf(&b, "    carrier: %s\n", p.Carrier)
		}
	}
	if len(s.Parcels) == 0 {
		b.WriteString("  []\n")
	}
	b.WriteString(s.Extra)
	return b.String()
}

// syncBuffer collects log output from the daemon's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// instance is a daemon running in the test process.
type instance struct {
	t       *testing.T
	dir     string
	cfgPath string
	setup   setup
	addr    string
	client  *api.Client
	reload  chan os.Signal
	logs    *syncBuffer
	out     string // console notifier output file
	cancel  context.CancelFunc
	done    chan error
	stopped bool
	err     error
}

// options tweak an instance before it starts.
type options struct {
	watch   bool
	systemd *systemd.Notifier
	// noWait returns as soon as the API listens, before READY.
	noWait bool
	// listening runs in Options.Listening, before the daemon's
	// goroutines (and its config watch) start.
	listening func(addr string)
}

// newInstance writes the config of s into a fresh directory (the
// database next to it unless s names one).
func newInstance(t *testing.T, s setup) *instance {
	t.Helper()
	dir := t.TempDir()
	if s.Database == "" {
		if err := os.Mkdir(filepath.Join(dir, "state"), 0o700); err != nil {
			t.Fatal(err)
		}
		s.Database = filepath.Join(dir, "state", "todoku.db")
	}
	in := &instance{
		t: t, dir: dir, cfgPath: filepath.Join(dir, "config.yaml"), setup: s,
		reload: make(chan os.Signal, 1), logs: &syncBuffer{}, out: filepath.Join(dir, "console.txt"),
	}
	if err := os.WriteFile(in.cfgPath, []byte(s.yaml()), 0o600); err != nil {
		t.Fatal(err)
	}
	return in
}

// start runs the daemon and waits until its API answers /healthz with 200
// (unless o.noWait).
func (in *instance) start(o options) *instance {
	t := in.t
	t.Helper()
	out, err := os.Create(in.out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { out.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	in.cancel, in.done = cancel, make(chan error, 1)
	addrs := make(chan string, 1)
	opts := daemon.Options{
		Config:     fastTicks,
		ConfigPath: in.cfgPath,
		Logger:     slog.New(slog.NewTextHandler(in.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Version:    "test",
		Systemd:    o.systemd,
		Reload:     in.reload,
		Watch:      o.watch,
		Stdout:     out,
		Listening: func(addr string) {
			if o.listening != nil {
				o.listening(addr)
			}
			addrs <- addr
		},
	}
	if opts.Systemd == nil {
		opts.Systemd = systemd.New() // outside systemd in these tests: no-op
	}
	go func() { in.done <- daemon.Run(ctx, opts) }()
	t.Cleanup(func() {
		in.stop()
		if t.Failed() {
			t.Logf("daemon log:\n%s", in.logs)
		}
	})
	select {
	case in.addr = <-addrs:
	case err := <-in.done:
		in.stopped, in.err = true, err
		t.Fatalf("daemon.Run returned before listening: %v", err)
	case <-time.After(wait):
		t.Fatal("daemon did not listen")
	}
	in.client = api.NewClient(in.addr)
	if o.noWait {
		return in
	}
	in.eventually("healthz answers 200", func() error { return healthz(in.addr) })
	return in
}

// stop cancels the daemon and waits for Run to return (at most wait).
func (in *instance) stop() error {
	if in.stopped {
		return in.err
	}
	in.cancel()
	select {
	case in.err = <-in.done:
	case <-time.After(wait):
		in.err = errors.New("daemon.Run did not return after cancel")
		in.t.Error(in.err)
	}
	in.stopped = true
	return in.err
}

// write replaces the config with s, truncating the file in place.
func (in *instance) write(s setup) {
	in.t.Helper()
	s.Site, s.Database, s.Listen = in.setup.Site, in.setup.Database, in.setup.Listen
	if err := os.WriteFile(in.cfgPath, []byte(s.yaml()), 0o600); err != nil {
		in.t.Fatal(err)
	}
}

// rename replaces the config with s the way editors do: a new file
// renamed over the old one.
func (in *instance) rename(s setup) {
	in.t.Helper()
	s.Site, s.Database, s.Listen = in.setup.Site, in.setup.Database, in.setup.Listen
	tmp := filepath.Join(in.dir, ".config.yaml.swp")
	if err := os.WriteFile(tmp, []byte(s.yaml()), 0o600); err != nil {
		in.t.Fatal(err)
	}
	if err := os.Rename(tmp, in.cfgPath); err != nil {
		in.t.Fatal(err)
	}
}

// eventually polls check until it returns nil or wait passes.
func (in *instance) eventually(what string, check func() error) {
	in.t.Helper()
	eventually(in.t, what, check)
}

func eventually(t *testing.T, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still %v after %v", what, err, wait)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// parcels lists the daemon's parcels by number.
func (in *instance) parcels() (map[string]api.ParcelView, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ps, err := in.client.Parcels(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]api.ParcelView, len(ps))
	for _, p := range ps {
		out[p.Number] = p
	}
	return out, nil
}

// parcel returns one parcel with its history.
func (in *instance) parcel(number string) (api.ParcelView, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return in.client.Parcel(ctx, number)
}

// health returns the daemon's health.
func (in *instance) health() (api.HealthView, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return in.client.Health(ctx)
}

// healthz asks GET /healthz and wants 200.
func healthz(addr string) error {
	c := http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil}}
	base := "http://" + addr
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		c.Transport = &http.Transport{DisableKeepAlives: true, DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", path)
		}}
		base = "http://localhost"
	}
	resp, err := c.Get(base + "/healthz")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("healthz: %s: %s", resp.Status, bytes.TrimSpace(body))
	}
	return nil
}

// notifySocket is a stand-in for systemd's notification socket.
type notifySocket struct {
	t    *testing.T
	conn *net.UnixConn
}

// listenNotify binds a unixgram socket (under a short path: socket paths
// are limited to about 107 bytes) and points NOTIFY_SOCKET at it.
func listenNotify(t *testing.T) *notifySocket {
	t.Helper()
	dir, err := os.MkdirTemp("", "sd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	return &notifySocket{t: t, conn: conn}
}

// next returns the next datagram, or ok false after timeout.
func (s *notifySocket) next(timeout time.Duration) (msg string, ok bool) {
	buf := make([]byte, 4096)
	if err := s.conn.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		s.t.Fatal(err)
	}
	n, err := s.conn.Read(buf)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return "", false
		}
		s.t.Fatalf("read notify socket: %v", err)
	}
	return string(buf[:n]), true
}

// expect reads the next datagram and wants it to match pattern (anchored).
func (s *notifySocket) expect(step, pattern string) string {
	s.t.Helper()
	msg, ok := s.next(wait)
	if !ok {
		s.t.Fatalf("%s: no sd_notify message within %v, want %q", step, wait, pattern)
	}
	if !regexp.MustCompile(`^(?s:` + pattern + `)$`).MatchString(msg) {
		s.t.Fatalf("%s: sd_notify message\n got %q\nwant %q", step, msg, pattern)
	}
	return msg
}

// quiet wants no datagram for d.
func (s *notifySocket) quiet(step string, d time.Duration) {
	s.t.Helper()
	if msg, ok := s.next(d); ok {
		s.t.Fatalf("%s: unexpected sd_notify message %q", step, msg)
	}
}

// discard is a logger that drops everything.
func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// devNull is an *os.File for console output nobody reads.
func devNull(t *testing.T) *os.File {
	t.Helper()
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
