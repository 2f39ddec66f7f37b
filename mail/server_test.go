package mail

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

const (
	testUser     = "hanako@example.jp"
	testPassword = "app-password-1234"
)

// memServer is a go-imap in-memory IMAP server on a loopback port.
type memServer struct {
	host string
	port int
	user *imapmemserver.User
	// ca trusts the server's certificate (TLS modes only).
	ca *x509.CertPool

	opts *imapserver.Options
	cert *tls.Config
	mode string
	stop func()
}

// serverOptions choose how the test server talks.
type serverOptions struct {
	tls      string // TLSNone, TLSStartTLS or TLSImplicit
	idle     bool   // advertise IDLE
	folders  []string
	noTLSCfg bool // starttls mode without a certificate: STARTTLS is not offered
}

// newMemServer starts an in-memory server for one user and stops it at
// the end of the test.
func newMemServer(t testing.TB, o serverOptions) *memServer {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(testUser, testPassword)
	for _, f := range append([]string{"INBOX"}, o.folders...) {
		if err := user.Create(f, nil); err != nil {
			t.Fatal(err)
		}
	}
	mem.AddUser(user)
	caps := imap.CapSet{imap.CapIMAP4rev1: {}}
	if o.idle {
		caps[imap.CapIdle] = struct{}{}
	}
	s := &memServer{host: "127.0.0.1", user: user}
	var cert *tls.Config
	if o.tls != TLSNone && !o.noTLSCfg {
		cert, s.ca = testCert(t)
	}
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         caps,
		InsecureAuth: o.tls == TLSNone,
		Logger:       testLogger{t},
	}
	if o.tls == TLSStartTLS {
		opts.TLSConfig = cert
	}
	s.opts, s.cert, s.mode = opts, cert, o.tls
	s.serve(t, "127.0.0.1:0")
	return s
}

// serve starts the IMAP server on addr, stopping it at the end of the
// test; the mailboxes are kept across restarts.
func (s *memServer) serve(t testing.TB, addr string) {
	t.Helper()
	srv := imapserver.New(s.opts)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if s.mode == TLSImplicit {
		ln = tls.NewListener(ln, s.cert)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	var wg sync.WaitGroup
	wg.Go(func() { _ = srv.Serve(ln) })
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			srv.Close()
			wg.Wait()
		})
	}
	t.Cleanup(s.stop)
}

// restart drops every connection and serves again on the same port.
func (s *memServer) restart(t testing.TB) {
	t.Helper()
	s.stop()
	s.serve(t, s.addr())
}

type testLogger struct{ t testing.TB }

func (l testLogger) Printf(format string, args ...any) { l.t.Logf("imap server: "+format, args...) }

// account returns an Account for the server.
func (s *memServer) account(mode string) Account {
	a := Account{Host: s.host, Port: s.port, TLS: mode, User: testUser, Password: testPassword, Timeout: 10 * time.Second}
	if s.ca != nil {
		a.TLSConfig = &tls.Config{RootCAs: s.ca}
	}
	return a
}

// literal is a message for Append.
type literal struct{ *bytes.Reader }

// add appends raw to folder with the given arrival time and returns its
// UID.
func (s *memServer) add(t testing.TB, folder string, raw []byte, at time.Time) imap.UID {
	t.Helper()
	data, err := s.user.Append(folder, literal{bytes.NewReader(raw)}, &imap.AppendOptions{Time: at})
	if err != nil {
		t.Fatal(err)
	}
	return data.UID
}

// addFile appends a testdata message.
func (s *memServer) addFile(t testing.TB, folder, name string, at time.Time) imap.UID {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return s.add(t, folder, raw, at)
}

// unseen returns how many messages of folder lack \Seen.
func (s *memServer) unseen(t testing.TB, folder string) uint32 {
	t.Helper()
	st, err := s.user.Status(folder, &imap.StatusOptions{NumUnseen: true, NumMessages: true})
	if err != nil {
		t.Fatal(err)
	}
	return *st.NumUnseen
}

func (s *memServer) addr() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

// testCert returns a server TLS config with a fresh self-signed
// certificate for 127.0.0.1 and localhost, and a pool trusting it.
func testCert(t testing.TB) (*tls.Config, *x509.CertPool) {
	t.Helper()
	cfg, pool, _, _ := testCertPEM(t)
	return cfg, pool
}

// testCertPEM is testCert, also returning the certificate and key in PEM.
func testCertPEM(t testing.TB) (cfg *tls.Config, pool *x509.CertPool, certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "todoku test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(leaf)
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	cfg = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}}}
	return cfg, pool, certPEM, keyPEM
}

// x509UnknownAuthority is the error of an untrusted certificate.
type x509UnknownAuthority = x509.UnknownAuthorityError
