package mail

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/todoku/todoku/config"
)

// TLS modes of an Account.
const (
	// TLSImplicit connects with TLS from the first byte (port 993).
	TLSImplicit = "implicit"
	// TLSStartTLS connects in plain text and upgrades with STARTTLS before
	// logging in (port 143); a server without STARTTLS is refused.
	TLSStartTLS = "starttls"
	// TLSNone never encrypts: allowed only for a loopback host (a local
	// Dovecot, an SSH tunnel, a bridge such as Proton's).
	TLSNone = "none"
)

// Defaults for an Account's zero fields.
const (
	DefaultLookBack     = 14 * 24 * time.Hour
	DefaultPollInterval = 5 * time.Minute
	DefaultTimeout      = time.Minute
)

// ErrPlainText is returned for TLSNone with a host that is not loopback.
var ErrPlainText = errors.New("mail: plain-text IMAP is allowed only to a loopback host")

// Account is one IMAP mailbox to read shipping mails from.
type Account struct {
	Host string
	// Port defaults to 993 for TLSImplicit and 143 otherwise.
	Port int
	// TLS is TLSImplicit (default), TLSStartTLS or TLSNone.
	TLS string
	// User and Password log in (LOGIN); the password is given resolved.
	User     string
	Password string
	// Folders are the mailboxes read, default INBOX.
	Folders []string
	// LookBack is how far back the first scan of a folder (and a rescan
	// after its UIDVALIDITY changed) looks; default 14 days.
	LookBack time.Duration
	// PollInterval is how often the folders are checked when IDLE is not
	// used or between IDLE rounds; default 5 minutes.
	PollInterval time.Duration
	// IDLE waits for new mail in the first folder with IMAP IDLE (RFC
	// 2177) when the server offers it, instead of waiting a poll interval.
	IDLE bool
	// Timeout bounds connecting and each poll pass; default 1 minute.
	Timeout time.Duration
	// TLSConfig, when set, replaces the default TLS settings (tests use it
	// for their own CA). ServerName defaults to Host.
	TLSConfig *tls.Config
}

// withDefaults returns a copy with defaults filled in, or an error for a
// setting that cannot work.
func (a Account) withDefaults() (Account, error) {
	if a.Host == "" {
		return a, errors.New("mail: no host")
	}
	if a.User == "" {
		return a, errors.New("mail: no user")
	}
	switch a.TLS {
	case "":
		a.TLS = TLSImplicit
	case TLSImplicit, TLSStartTLS:
	case TLSNone:
		if !IsLoopback(a.Host) {
			return a, fmt.Errorf("%w: %s", ErrPlainText, a.Host)
		}
	default:
		return a, fmt.Errorf("mail: tls %q: want %s, %s or %s", a.TLS, TLSImplicit, TLSStartTLS, TLSNone)
	}
	if a.Port == 0 {
		a.Port = 143
		if a.TLS == TLSImplicit {
			a.Port = 993
		}
	}
	if len(a.Folders) == 0 {
		a.Folders = []string{"INBOX"}
	}
	if a.LookBack <= 0 {
		a.LookBack = DefaultLookBack
	}
	if a.PollInterval <= 0 {
		a.PollInterval = DefaultPollInterval
	}
	if a.Timeout <= 0 {
		a.Timeout = DefaultTimeout
	}
	return a, nil
}

// addr is host:port.
func (a Account) addr() string { return net.JoinHostPort(a.Host, strconv.Itoa(a.Port)) }

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// FromConfig returns the Account a loaded mail: section describes. The
// config must have been loaded with its password resolved (see
// config.ResolveMailPassword for a config loaded without secrets).
func FromConfig(c *config.MailConfig) Account {
	a := Account{
		Host:         c.Host,
		Port:         c.Port,
		TLS:          c.TLS,
		User:         c.User,
		Password:     c.Password.Reveal(),
		Folders:      append([]string(nil), c.Folders...),
		LookBack:     c.LookBack,
		PollInterval: c.PollInterval,
		IDLE:         c.IDLE == nil || *c.IDLE,
	}
	return a
}

// StateKey names the account in a BoltState: user@host:port.
func (a Account) StateKey() string {
	d, err := a.withDefaults()
	if err != nil {
		d = a
	}
	return d.User + "@" + d.addr()
}
