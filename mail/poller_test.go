package mail

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// collector records what a poller finds.
type collector struct {
	mu   sync.Mutex
	got  []Found
	fail int // fail this many calls first
	ch   chan Found
}

func newCollector() *collector { return &collector{ch: make(chan Found, 100)} }

func (c *collector) onFound(_ context.Context, f Found) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail > 0 {
		c.fail--
		return errors.New("store unavailable")
	}
	c.got = append(c.got, f)
	c.ch <- f
	return nil
}

// take returns and forgets the numbers found so far, sorted.
func (c *collector) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, f := range c.got {
		out = append(out, f.Number)
	}
	c.got = nil
	for len(c.ch) > 0 {
		<-c.ch
	}
	slices.Sort(out)
	return out
}

// wait returns the next number found, or fails after d.
func (c *collector) wait(t *testing.T, d time.Duration) Found {
	t.Helper()
	select {
	case f := <-c.ch:
		return f
	case <-time.After(d):
		t.Fatalf("nothing found within %s", d)
		return Found{}
	}
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func openDB(t testing.TB, path string) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func newTestPoller(t testing.TB, a Account, st State, c *collector) *Poller {
	t.Helper()
	p, err := NewPoller(a, st, c.onFound, quiet)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// corpusNumbers are the numbers of the whole corpus, sorted.
var corpusNumbers = []string{
	"230947166531", "382716450933", "451299038713", "488201933763", "503188722643",
	"550123477816", "620455189373", "711029384656", "RR123456785GB",
}

// TestPollerReadsOnceAndRemembers: the first pass reads the look-back
// window and nothing older, no message becomes seen, a second pass reads
// nothing, a new message is read alone, and a restart (a new poller on the
// same bbolt file) reads nothing again.
func TestPollerReadsOnceAndRemembers(t *testing.T) {
	srv := newMemServer(t, serverOptions{tls: TLSNone})
	now := time.Now()
	files, _ := filepath.Glob("testdata/*.eml")
	for _, f := range files {
		srv.addFile(t, "INBOX", filepath.Base(f), now.Add(-24*time.Hour))
	}
	old := "Subject: old\r\n\r\nお問い合わせ番号：314159265350\r\n"
	srv.add(t, "INBOX", []byte(old), now.Add(-60*24*time.Hour))

	dbPath := filepath.Join(t.TempDir(), "todoku.db")
	db := openDB(t, dbPath)
	st, err := NewBoltState(db, testUser+"@"+srv.addr())
	if err != nil {
		t.Fatal(err)
	}
	c := newCollector()
	p := newTestPoller(t, srv.account(TLSNone), st, c)
	ctx := context.Background()

	if err := p.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if got := c.take(); !slices.Equal(got, corpusNumbers) {
		t.Errorf("first pass found %q, want %q (the old message is outside the window)", got, corpusNumbers)
	}
	if n := srv.unseen(t, "INBOX"); n != uint32(len(files)+1) {
		t.Errorf("%d messages unseen after the pass, want all %d: the poller must not set \\Seen", n, len(files)+1)
	}
	if err := p.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if got := c.take(); len(got) != 0 {
		t.Errorf("second pass found %q, want nothing", got)
	}

	uid := srv.add(t, "INBOX", []byte("Subject: new\r\nMessage-ID: <n@x>\r\n\r\n伝票番号：314159265350\r\n"), now)
	if err := p.Once(ctx); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	got := slices.Clone(c.got)
	c.mu.Unlock()
	if len(got) != 1 || got[0].Number != "314159265350" || got[0].MessageID != "n@x" {
		t.Fatalf("after a new message: found %+v, want 314159265350 alone", got)
	}
	if !strings.HasPrefix(got[0].File, "imap://hanako%40example.jp@"+srv.addr()+"/INBOX;UIDVALIDITY=") ||
		!strings.HasSuffix(got[0].File, "/;UID="+strconv.FormatUint(uint64(uid), 10)) {
		t.Errorf("File = %q, want an IMAP URL for INBOX UID %d", got[0].File, uid)
	}
	c.take()

	// Restart: a new poller and a reopened database.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openDB(t, dbPath)
	defer db.Close()
	st, err = NewBoltState(db, testUser+"@"+srv.addr())
	if err != nil {
		t.Fatal(err)
	}
	p = newTestPoller(t, srv.account(TLSNone), st, c)
	if err := p.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if got := c.take(); len(got) != 0 {
		t.Errorf("after a restart found %q, want nothing", got)
	}
}

// TestPollerUIDValidityChange: a folder deleted and created again has a
// new UIDVALIDITY; its window is read again.
func TestPollerUIDValidityChange(t *testing.T) {
	srv := newMemServer(t, serverOptions{tls: TLSNone, folders: []string{"Shop"}})
	srv.addFile(t, "Shop", "yahoo_sjis_base64.eml", time.Now())
	st := &MemState{}
	c := newCollector()
	a := srv.account(TLSNone)
	a.Folders = []string{"INBOX", "Shop"}
	p := newTestPoller(t, a, st, c)
	ctx := context.Background()
	if err := p.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if got := c.take(); !slices.Equal(got, []string{"503188722643"}) {
		t.Fatalf("found %q, want 503188722643", got)
	}
	v1, _, _ := st.Load("Shop")

	if err := srv.user.Delete("Shop"); err != nil {
		t.Fatal(err)
	}
	if err := srv.user.Create("Shop", nil); err != nil {
		t.Fatal(err)
	}
	srv.addFile(t, "Shop", "yahoo_sjis_base64.eml", time.Now())
	if err := p.Once(ctx); err != nil {
		t.Fatal(err)
	}
	if got := c.take(); !slices.Equal(got, []string{"503188722643"}) {
		t.Errorf("after the folder was renumbered found %q, want 503188722643 again", got)
	}
	v2, last, _ := st.Load("Shop")
	if v2 == v1 || last == 0 {
		t.Errorf("state after renumbering = (%d, %d), want a new UIDVALIDITY (old %d) and a UID", v2, last, v1)
	}
}

// TestPollerRetriesAfterCallbackError: a message whose callback failed is
// read again at the next pass.
func TestPollerRetriesAfterCallbackError(t *testing.T) {
	srv := newMemServer(t, serverOptions{tls: TLSNone})
	srv.addFile(t, "INBOX", "mercari_html_only.eml", time.Now())
	c := newCollector()
	c.fail = 1
	p := newTestPoller(t, srv.account(TLSNone), &MemState{}, c)
	if err := p.Once(context.Background()); err == nil {
		t.Fatal("want the callback's error")
	}
	if err := p.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := c.take(); !slices.Equal(got, []string{"620455189373"}) {
		t.Errorf("found %q, want 620455189373 on the second pass", got)
	}
}

func TestPollerTLS(t *testing.T) {
	for _, mode := range []string{TLSImplicit, TLSStartTLS} {
		t.Run(mode, func(t *testing.T) {
			srv := newMemServer(t, serverOptions{tls: mode})
			srv.addFile(t, "INBOX", "rakuten_iso2022jp.eml", time.Now())
			c := newCollector()
			if err := newTestPoller(t, srv.account(mode), &MemState{}, c).Once(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := c.take(); !slices.Equal(got, []string{"451299038713"}) {
				t.Errorf("found %q, want 451299038713", got)
			}

			// A certificate the client does not trust is refused.
			a := srv.account(mode)
			a.TLSConfig = nil
			err := newTestPoller(t, a, &MemState{}, c).Once(context.Background())
			var unknown x509UnknownAuthority
			if err == nil || !errors.As(err, &unknown) {
				t.Errorf("untrusted certificate: err = %v, want an unknown-authority error", err)
			}
		})
	}
}

// TestPollerStartTLSRequired: a server that does not offer STARTTLS is
// not logged in to in plain text.
func TestPollerStartTLSRequired(t *testing.T) {
	srv := newMemServer(t, serverOptions{tls: TLSStartTLS, noTLSCfg: true})
	err := newTestPoller(t, srv.account(TLSStartTLS), &MemState{}, newCollector()).Once(context.Background())
	if err == nil || !strings.Contains(err.Error(), "starttls") {
		t.Errorf("err = %v, want a STARTTLS failure", err)
	}
}

func TestNewPollerChecks(t *testing.T) {
	c := newCollector()
	tests := []struct {
		name string
		a    Account
		ok   bool
	}{
		{"plain text to a remote host", Account{Host: "imap.example.com", User: "u", TLS: TLSNone}, false},
		{"plain text to loopback", Account{Host: "127.0.0.1", User: "u", TLS: TLSNone}, true},
		{"plain text to localhost", Account{Host: "localhost", User: "u", TLS: TLSNone}, true},
		{"plain text to ::1", Account{Host: "::1", User: "u", TLS: TLSNone}, true},
		{"unknown tls mode", Account{Host: "imap.example.com", User: "u", TLS: "ssl"}, false},
		{"no host", Account{User: "u"}, false},
		{"no user", Account{Host: "imap.example.com"}, false},
		{"defaults", Account{Host: "imap.example.com", User: "u"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPoller(tt.a, &MemState{}, c.onFound, nil)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if tt.name == "plain text to a remote host" && !errors.Is(err, ErrPlainText) {
				t.Errorf("err = %v, want ErrPlainText", err)
			}
			if tt.name == "defaults" && (p.acct.Port != 993 || p.acct.TLS != TLSImplicit || !slices.Equal(p.acct.Folders, []string{"INBOX"})) {
				t.Errorf("defaults = %+v, want port 993, implicit TLS, INBOX", p.acct)
			}
		})
	}
}

// TestPollerRunIDLE: with IDLE a new message is read at once, long
// before the poll interval; cancelling the context ends Run.
func TestPollerRunIDLE(t *testing.T) {
	srv := newMemServer(t, serverOptions{tls: TLSNone, idle: true})
	srv.addFile(t, "INBOX", "yodobashi_split.eml", time.Now())
	a := srv.account(TLSNone)
	a.IDLE = true
	a.PollInterval = time.Hour
	c := newCollector()
	p := newTestPoller(t, a, &MemState{}, c)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()

	c.wait(t, 5*time.Second)
	c.wait(t, 5*time.Second)           // the split shipment has two numbers
	time.Sleep(100 * time.Millisecond) // let IDLE begin
	srv.addFile(t, "INBOX", "mercari_html_only.eml", time.Now())
	if f := c.wait(t, 5*time.Second); f.Number != "620455189373" {
		t.Errorf("found %s, want 620455189373", f.Number)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil after cancel", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// TestPollerRunPolls: without IDLE the folders are read every interval.
func TestPollerRunPolls(t *testing.T) {
	srv := newMemServer(t, serverOptions{tls: TLSNone})
	a := srv.account(TLSNone)
	a.IDLE = true // asked for, but the server does not offer it
	a.PollInterval = 100 * time.Millisecond
	c := newCollector()
	p := newTestPoller(t, a, &MemState{}, c)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.Run(ctx)
	time.Sleep(300 * time.Millisecond)
	srv.addFile(t, "INBOX", "overseas_english.eml", time.Now())
	if f := c.wait(t, 5*time.Second); f.Number != "RR123456785GB" {
		t.Errorf("found %s, want RR123456785GB", f.Number)
	}
}

// TestPollerRunReconnects: when the server drops the connection, Run
// connects again and reads what arrived meanwhile.
func TestPollerRunReconnects(t *testing.T) {
	srv := newMemServer(t, serverOptions{tls: TLSNone, idle: true})
	srv.addFile(t, "INBOX", "rakuten_iso2022jp.eml", time.Now())
	a := srv.account(TLSNone)
	a.IDLE = true
	a.PollInterval = time.Hour
	c := newCollector()
	p := newTestPoller(t, a, &MemState{}, c)
	p.backoff = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	if f := c.wait(t, 5*time.Second); f.Number != "451299038713" {
		t.Fatalf("found %s, want 451299038713", f.Number)
	}
	srv.restart(t)
	srv.addFile(t, "INBOX", "yahoo_sjis_base64.eml", time.Now())
	if f := c.wait(t, 5*time.Second); f.Number != "503188722643" {
		t.Errorf("after the server restarted found %s, want 503188722643", f.Number)
	}
	time.Sleep(100 * time.Millisecond)
	if got := c.take(); !slices.Equal(got, []string{"451299038713", "503188722643"}) {
		t.Errorf("found %q in all, want each number once", got)
	}
}

// TestPollerStatus: Status says when a pass last went well, and a
// refused login is the last error, failing since the first refusal, until
// a pass goes well again.
func TestPollerStatus(t *testing.T) {
	srv := newMemServer(t, serverOptions{tls: TLSNone})
	good := srv.account(TLSNone)
	good.PollInterval = time.Hour
	bad := good
	bad.Password = "wrong-password"
	status := func(a Account) Status {
		t.Helper()
		p := newTestPoller(t, a, &MemState{}, newCollector())
		p.backoff = 20 * time.Millisecond
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { p.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			s := p.Status()
			if !s.LastOK.IsZero() || s.LastError != "" && time.Since(s.FailingSince) > 100*time.Millisecond {
				return s
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("no pass and no error after 5s: %+v", p.Status())
		return Status{}
	}
	s := status(good)
	if s.LastOK.IsZero() || s.LastError != "" || s.Started.IsZero() || s.Failing(time.Now(), 0) {
		t.Errorf("good account: %+v", s)
	}
	s = status(bad)
	if !s.LastOK.IsZero() || s.LastError == "" || !s.Failing(time.Now(), 50*time.Millisecond) || s.Failing(time.Now(), time.Hour) {
		t.Errorf("refused login: %+v", s)
	}
	t.Logf("refused login: %s", s.LastError)
}
