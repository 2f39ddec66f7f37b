package config

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// MailConfig is the optional mail: section: an IMAP mailbox todoku reads
// shipping e-mails from (see package mail). Without the section no mail
// is read. After loading every field holds its final value.
type MailConfig struct {
	// Host is the IMAP server, e.g. imap.gmail.com.
	Host string `yaml:"host"`
	// Port defaults to 993 for tls: implicit and 143 otherwise.
	Port int `yaml:"port"`
	// TLS is "implicit" (default, port 993), "starttls" (port 143, upgraded
	// before logging in) or "none", allowed only for a loopback host.
	TLS string `yaml:"tls"`
	// User is the login name, usually the address.
	User string `yaml:"user"`
	// Password (an app password for Gmail, iCloud, Outlook, Yahoo! JAPAN)
	// is resolved from, in order: the inline value, password_file, the
	// environment ($TODOKU_MAIL_PASSWORD), and the systemd credential
	// mail_password in $CREDENTIALS_DIRECTORY.
	Password     Secret `yaml:"password"`
	PasswordFile string `yaml:"password_file"`
	// Folders are the mailboxes read (default [INBOX]).
	Folders []string `yaml:"folders"`
	// LookBack is how far back the first reading of a folder goes
	// (default 336h, two weeks; at most 8760h).
	LookBack time.Duration `yaml:"look_back"`
	// PollInterval is how often the folders are read (default 5m, at
	// least 1m); with IDLE, new mail in the first folder is read at once.
	PollInterval time.Duration `yaml:"poll_interval"`
	// IDLE waits for new mail with IMAP IDLE when the server offers it
	// (default true).
	IDLE *bool `yaml:"idle"`
	// Announce queues an added_from_mail notice for every parcel added
	// from a mail (default true); notify.events.added_from_mail sets its
	// priority (default -1) or turns it off too. Its first delivery
	// failure is pushed either way, like any other parcel's.
	Announce *bool `yaml:"announce"`
}

// Announces reports whether a parcel added from a mail is announced
// (mail.announce, default true).
func (m *MailConfig) Announces() bool { return m != nil && (m.Announce == nil || *m.Announce) }

// Defaults and bounds of the mail section.
const (
	DefaultMailLookBack     = 14 * 24 * time.Hour
	DefaultMailPollInterval = 5 * time.Minute
	MinMailPollInterval     = time.Minute
	MaxMailLookBack         = 365 * 24 * time.Hour
)

// mail checks the mail section and fills in its defaults and password.
func (v *validator) mail() {
	m := v.cfg.Mail
	if m == nil {
		return
	}
	if m.Host == "" {
		v.fail("mail.host", "", ErrInvalid, "missing: the IMAP server, e.g. imap.gmail.com")
	} else if strings.ContainsAny(m.Host, ":/ @") {
		v.fail("mail.host", m.Host, ErrInvalid, "want a host name or IP address, without scheme, port or user")
	}
	switch m.TLS {
	case "":
		m.TLS = "implicit"
	case "implicit", "starttls":
	case "none":
		if m.Host != "" && !loopback(m.Host) {
			v.fail("mail.tls", m.TLS, ErrInvalid, "plain text would send the password in the clear: only a loopback host (127.0.0.1, ::1, localhost) may use tls: none")
		}
	default:
		v.fail("mail.tls", m.TLS, ErrInvalid, "want implicit, starttls or none")
	}
	if m.Port == 0 {
		m.Port = 143
		if m.TLS == "implicit" {
			m.Port = 993
		}
	} else if m.Port < 1 || m.Port > 65535 {
		v.fail("mail.port", strconv.Itoa(m.Port), ErrInvalid, "want a port from 1 to 65535")
	}
	if strings.TrimSpace(m.User) == "" {
		v.fail("mail.user", "", ErrInvalid, "missing: the login name, usually the address")
	}
	if len(m.Folders) == 0 {
		m.Folders = []string{"INBOX"}
	}
	for i, f := range m.Folders {
		if strings.TrimSpace(f) == "" {
			v.fail(fmt.Sprintf("mail.folders[%d]", i), f, ErrInvalid, "empty folder name")
		}
	}
	switch {
	case m.LookBack == 0:
		m.LookBack = DefaultMailLookBack
	case m.LookBack < 0 || m.LookBack > MaxMailLookBack:
		v.fail("mail.look_back", m.LookBack.String(), ErrInvalid, "want more than 0 and at most %s", MaxMailLookBack)
	}
	minPoll := MinMailPollInterval
	if v.minSchedule > 0 { // tests with fast ticks (Options.MinSchedule)
		minPoll = v.minSchedule
	}
	switch {
	case m.PollInterval == 0:
		m.PollInterval = DefaultMailPollInterval
	case m.PollInterval < minPoll:
		v.fail("mail.poll_interval", m.PollInterval.String(), ErrInvalid, "want at least %s (IDLE reads new mail at once anyway)", minPoll)
	}
	if m.IDLE == nil {
		idle := true
		m.IDLE = &idle
	}
	if m.Announce == nil {
		announce := true
		m.Announce = &announce
	}
	m.PasswordFile = resolvePath(m.PasswordFile, v.dir, v.getenv)
	if !v.skipSecrets {
		v.mailPassword(m)
	}
}

// mailPassword resolves the IMAP password; the value is never shown.
func (v *validator) mailPassword(m *MailConfig) {
	src := secretSource{path: "mail.password", inline: m.Password, file: m.PasswordFile, fileKey: "password_file",
		env: "TODOKU_MAIL_PASSWORD", credential: "mail_password"}
	val, where, err := src.resolve(v.getenv)
	switch {
	case errors.Is(err, errSecretFile):
		v.fail("mail.password_file", "", ErrMissingSecret, "%v", err) // the path is not shown: a password may have been written there
	case err != nil:
		v.fail("mail.password", "", ErrMissingSecret, "%v", err)
	case val == "":
		v.fail("mail.password", "", ErrMissingSecret, "missing: looked in %s", where)
	default:
		m.Password = val
	}
}

// ResolveMailPassword resolves the mail password of a config loaded with
// Options.SkipSecrets (which leaves it unresolved), from the same sources
// in the same order, for a command that reads the mailbox outside the
// service. A config without a mail section is left alone.
func ResolveMailPassword(c *Config) error {
	if c.Mail == nil || c.Mail.Password != "" {
		return nil
	}
	v := &validator{cfg: c, getenv: os.Getenv}
	v.mailPassword(c.Mail)
	if len(v.errs) > 0 {
		return withFile(v.errs, c.Path)
	}
	return nil
}
