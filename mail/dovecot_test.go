package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// dovecot is a Dovecot IMAP server started for one test, with a
// throwaway config, on loopback ports: plain+STARTTLS and implicit TLS.
type dovecot struct {
	dir      string
	home     string // the test user's home; Maildir below it
	port     int    // IMAP with STARTTLS
	tlsPort  int    // IMAPS
	uid, gid int
	ca       *x509.CertPool
	seq      atomic.Int64
}

// startDovecot starts Dovecot (Debian package dovecot-imapd) and stops
// it when the test ends. It skips the test when Dovecot is not installed.
// As root the mail processes run as the dovecot user; otherwise
// everything runs as the current user.
func startDovecot(t *testing.T) *dovecot {
	t.Helper()
	bin, err := exec.LookPath("dovecot")
	if err != nil {
		if _, statErr := os.Stat("/usr/sbin/dovecot"); statErr != nil {
			t.Skip("dovecot is not installed (Debian: apt-get install dovecot-imapd); skipping the Dovecot integration test")
		}
		bin = "/usr/sbin/dovecot"
	}
	d := &dovecot{dir: t.TempDir()}
	// Dovecot's processes must reach the directory: open it and its parent.
	for _, p := range []string{filepath.Dir(d.dir), d.dir} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	runAs := me
	if os.Geteuid() == 0 {
		if runAs, err = user.Lookup("dovecot"); err != nil {
			t.Skipf("running as root, but there is no dovecot user to run the mail processes as: %v", err)
		}
	}
	d.uid, _ = strconv.Atoi(runAs.Uid)
	d.gid, _ = strconv.Atoi(runAs.Gid)
	d.port, d.tlsPort = freePort(t), freePort(t)
	_, ca, certPEM, keyPEM := testCertPEM(t)
	d.ca = ca
	write := func(name string, data []byte, mode os.FileMode) string {
		p := filepath.Join(d.dir, name)
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cert := write("cert.pem", certPEM, 0o644)
	key := write("key.pem", keyPEM, 0o600)
	passwd := write("passwd", []byte(testUser+":{PLAIN}"+testPassword+"\n"), 0o644)
	d.home = filepath.Join(d.dir, "home")
	for _, sub := range []string{"", "Maildir", "Maildir/cur", "Maildir/new", "Maildir/tmp"} {
		p := filepath.Join(d.home, sub)
		if err := os.MkdirAll(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Lchown(p, d.uid, d.gid); err != nil {
			t.Fatal(err)
		}
	}
	var nonRoot string
	if os.Geteuid() != 0 {
		nonRoot = fmt.Sprintf("default_login_user = %s\ndefault_internal_user = %s\n", me.Username, me.Username)
	}
	conf := fmt.Sprintf(`# throwaway config written by todoku's mail tests
base_dir = %[1]s/run
state_dir = %[1]s/state
log_path = %[1]s/dovecot.log
%[2]sprotocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <%[3]s
ssl_key = <%[4]s
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[5]s
}
userdb {
  driver = static
  args = uid=%[6]d gid=%[7]d home=%[8]s
}
mail_location = maildir:~/Maildir
first_valid_uid = 1
first_valid_gid = 1
mailbox_idle_check_interval = 1 secs
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = %[9]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[10]d
  }
}
service anvil {
  chroot =
}
`, d.dir, nonRoot, cert, key, passwd, d.uid, d.gid, d.home, d.port, d.tlsPort)
	confPath := write("dovecot.conf", []byte(conf), 0o644)
	var out bytes.Buffer
	cmd := exec.Command(bin, "-F", "-c", confPath)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dovecot: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	deadline := time.Now().Add(15 * time.Second)
	for _, port := range []int{d.port, d.tlsPort} {
		for {
			c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), time.Second)
			if err == nil {
				c.Close()
				break
			}
			select {
			case err := <-exited:
				log, _ := os.ReadFile(filepath.Join(d.dir, "dovecot.log"))
				t.Fatalf("dovecot exited: %v\n%s\n%s", err, out.String(), log)
			default:
			}
			if time.Now().After(deadline) {
				log, _ := os.ReadFile(filepath.Join(d.dir, "dovecot.log"))
				t.Fatalf("dovecot does not listen on %d: %v\n%s\n%s", port, err, out.String(), log)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	return d
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// deliver puts a message into the Maildir as a mail server would, with
// the given arrival time (the file's modification time, which Dovecot
// takes as the internal date).
func (d *dovecot) deliver(t *testing.T, raw []byte, at time.Time) {
	t.Helper()
	name := fmt.Sprintf("%d.M%dP%d.todoku-test", at.Unix(), d.seq.Add(1), os.Getpid())
	tmp := filepath.Join(d.home, "Maildir", "tmp", name)
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(tmp, d.uid, d.gid); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, at, at); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(d.home, "Maildir", "new", name)); err != nil {
		t.Fatal(err)
	}
}

func (d *dovecot) deliverFile(t *testing.T, name string, at time.Time) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	d.deliver(t, raw, at)
}

// seen returns the Maildir files that carry the \Seen flag (S in the
// info part of the name).
func (d *dovecot) seen(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, sub := range []string{"cur", "new"} {
		entries, err := os.ReadDir(filepath.Join(d.home, "Maildir", sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if _, info, ok := strings.Cut(e.Name(), ":2,"); ok && strings.Contains(info, "S") {
				out = append(out, e.Name())
			}
		}
	}
	return out
}

func (d *dovecot) account(mode string) Account {
	port := d.port
	if mode == TLSImplicit {
		port = d.tlsPort
	}
	return Account{Host: "127.0.0.1", Port: port, TLS: mode, User: testUser, Password: testPassword,
		Timeout: 20 * time.Second, TLSConfig: &tls.Config{RootCAs: d.ca}}
}

// TestDovecot runs the poller against a real Dovecot: STARTTLS and
// implicit TLS, the look-back window, nothing marked seen, a restart that
// reads nothing again, a wrong password, and IDLE.
func TestDovecot(t *testing.T) {
	d := startDovecot(t)
	now := time.Now()
	for _, name := range []string{"yahoo_sjis_base64.eml", "forwarded_rfc822.eml", "yodobashi_split.eml", "amazon_order_only.eml"} {
		d.deliverFile(t, name, now.Add(-2*time.Hour))
	}
	d.deliver(t, []byte("Subject: old\r\n\r\nお問い合わせ番号：314159265350\r\n"), now.Add(-40*24*time.Hour))

	db := openDB(t, filepath.Join(t.TempDir(), "todoku.db"))
	defer db.Close()
	acct := d.account(TLSStartTLS)
	st, err := NewBoltState(db, acct.StateKey())
	if err != nil {
		t.Fatal(err)
	}
	c := newCollector()
	ctx := context.Background()
	if err := newTestPoller(t, acct, st, c).Once(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{"230947166531", "488201933763", "503188722643", "711029384656"}
	if got := c.take(); !slices.Equal(got, want) {
		t.Errorf("STARTTLS pass found %q, want %q", got, want)
	}
	if s := d.seen(t); len(s) > 0 {
		t.Errorf("messages marked seen by a read-only poller: %q", s)
	}

	// A restart over implicit TLS, with the same state: nothing new.
	if err := newTestPoller(t, d.account(TLSImplicit), st, c).Once(ctx); err != nil {
		t.Fatal(err)
	}
	if got := c.take(); len(got) != 0 {
		t.Errorf("second pass found %q, want nothing", got)
	}

	bad := d.account(TLSImplicit)
	bad.Password = "wrong"
	err = newTestPoller(t, bad, &MemState{}, c).Once(ctx)
	if err == nil || strings.Contains(err.Error(), "wrong") {
		t.Errorf("wrong password: err = %v, want a login error without the password", err)
	}

	// IDLE: a message delivered while the poller waits is read at once.
	idle := d.account(TLSImplicit)
	idle.IDLE = true
	idle.PollInterval = time.Hour
	p := newTestPoller(t, idle, st, c)
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(rctx) }()
	time.Sleep(time.Second) // the first pass finds nothing; then IDLE
	d.deliverFile(t, "mercari_html_only.eml", time.Now())
	if f := c.wait(t, 15*time.Second); f.Number != "620455189373" {
		t.Errorf("IDLE found %s, want 620455189373", f.Number)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if s := d.seen(t); len(s) > 0 {
		t.Errorf("messages marked seen: %q", s)
	}
}
