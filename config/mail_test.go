package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// loadMail loads console + extra with the given environment only.
func loadMail(t *testing.T, extra string, env map[string]string, dir string) (*Config, error) {
	t.Helper()
	getenv := func(k string) string {
		if k == "HOME" {
			return "/home/test"
		}
		return env[k]
	}
	return load([]byte(console+extra), loadOptions{getenv: getenv, dir: dir})
}

func TestMailDefaults(t *testing.T) {
	c, err := loadMail(t, "mail:\n  host: imap.gmail.com\n  user: hanako@gmail.com\n  password: abcd efgh ijkl mnop\n", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	m := c.Mail
	if m == nil {
		t.Fatal("Mail is nil")
	}
	if m.Port != 993 || m.TLS != "implicit" || !slices.Equal(m.Folders, []string{"INBOX"}) ||
		m.LookBack != DefaultMailLookBack || m.PollInterval != DefaultMailPollInterval || m.IDLE == nil || !*m.IDLE {
		t.Errorf("defaults = %+v", m)
	}
	if m.Password.Reveal() != "abcd efgh ijkl mnop" {
		t.Errorf("password = %q", m.Password.Reveal())
	}
	c, err = loadMail(t, "", nil, "")
	if err != nil || c.Mail != nil {
		t.Errorf("without a mail section: Mail = %+v, err %v; want nil", c.Mail, err)
	}
}

func TestMailSettings(t *testing.T) {
	c, err := loadMail(t, `mail:
  host: 127.0.0.1
  tls: none
  user: u
  folders: [INBOX, Shopping]
  look_back: 72h
  poll_interval: 10m
  idle: false
`, map[string]string{"TODOKU_MAIL_PASSWORD": "from-env"}, "")
	if err != nil {
		t.Fatal(err)
	}
	m := c.Mail
	if m.Port != 143 || m.TLS != "none" || !slices.Equal(m.Folders, []string{"INBOX", "Shopping"}) ||
		m.LookBack != 72*time.Hour || m.PollInterval != 10*time.Minute || *m.IDLE || m.Password.Reveal() != "from-env" {
		t.Errorf("settings = %+v", m)
	}
}

func TestMailPasswordSources(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "imap.pass"), []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	creds := t.TempDir()
	if err := os.WriteFile(filepath.Join(creds, "mail_password"), []byte("from-credential"), 0o600); err != nil {
		t.Fatal(err)
	}
	base := "mail:\n  host: imap.example.com\n  user: u\n"
	tests := []struct {
		name, yaml string
		env        map[string]string
		want       string
	}{
		{"inline", base + "  password: inline\n", nil, "inline"},
		{"file relative to the config", base + "  password_file: imap.pass\n", nil, "from-file"},
		{"environment", base, map[string]string{"TODOKU_MAIL_PASSWORD": "from-env"}, "from-env"},
		{"systemd credential", base, map[string]string{"CREDENTIALS_DIRECTORY": creds}, "from-credential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadMail(t, tt.yaml, tt.env, dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Mail.Password.Reveal(); got != tt.want {
				t.Errorf("password = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMailErrors(t *testing.T) {
	const secret = "hunter2hunter2"
	tests := []struct {
		name, yaml, path string
		sentinel         error
	}{
		{"plain text to a remote host", "mail: {host: imap.example.com, tls: none, user: u, password: " + secret + "}", "mail.tls", ErrInvalid},
		{"unknown tls", "mail: {host: imap.example.com, tls: ssl, user: u, password: " + secret + "}", "mail.tls", ErrInvalid},
		{"no host", "mail: {user: u, password: " + secret + "}", "mail.host", ErrInvalid},
		{"host with port", "mail: {host: 'imap.example.com:993', user: u, password: " + secret + "}", "mail.host", ErrInvalid},
		{"no user", "mail: {host: imap.example.com, password: " + secret + "}", "mail.user", ErrInvalid},
		{"bad port", "mail: {host: imap.example.com, port: 70000, user: u, password: " + secret + "}", "mail.port", ErrInvalid},
		{"empty folder", "mail: {host: imap.example.com, user: u, folders: ['INBOX', ''], password: " + secret + "}", "mail.folders[1]", ErrInvalid},
		{"poll too often", "mail: {host: imap.example.com, user: u, poll_interval: 10s, password: " + secret + "}", "mail.poll_interval", ErrInvalid},
		{"look back too far", "mail: {host: imap.example.com, user: u, look_back: 10000h, password: " + secret + "}", "mail.look_back", ErrInvalid},
		{"no password anywhere", "mail: {host: imap.example.com, user: u}", "mail.password", ErrMissingSecret},
		{"password and file", "mail: {host: imap.example.com, user: u, password: " + secret + ", password_file: /x}", "mail.password", ErrMissingSecret},
		{"unreadable file", "mail: {host: imap.example.com, user: u, password_file: /nonexistent/" + secret + "}", "mail.password_file", ErrMissingSecret},
		{"unknown key", "mail: {host: imap.example.com, user: u, pasword: " + secret + "}", "mail.pasword", ErrUnknownKey},
		{"password of the wrong type", "mail: {host: imap.example.com, user: u, password: [" + secret + "]}", "mail.password", ErrType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadMail(t, tt.yaml+"\n", nil, "")
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("err = %v, want an ErrorList", err)
			}
			found := false
			for _, e := range list {
				if e.Path == tt.path && errors.Is(e, tt.sentinel) {
					found = true
				}
			}
			if !found {
				t.Errorf("err = %v, want %s wrapping %v", err, tt.path, tt.sentinel)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("err = %v shows the password", err)
			}
		})
	}
}

func TestMailSkipSecrets(t *testing.T) {
	c, err := load([]byte(console+"mail: {host: imap.example.com, user: u}\n"),
		loadOptions{getenv: func(string) string { return "" }, skipSecrets: true})
	if err != nil {
		t.Fatalf("with SkipSecrets a missing password is not an error: %v", err)
	}
	if c.Mail.Password != "" {
		t.Errorf("password = %q, want unresolved", c.Mail.Password.Reveal())
	}
}

func TestResolveMailPassword(t *testing.T) {
	c, err := load([]byte(console+"mail: {host: imap.example.com, user: u}\n"),
		loadOptions{getenv: func(string) string { return "" }, skipSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("CREDENTIALS_DIRECTORY", "")
	t.Setenv("TODOKU_MAIL_PASSWORD", "")
	if err := ResolveMailPassword(c); !errors.Is(err, ErrMissingSecret) {
		t.Errorf("without a source: err = %v, want ErrMissingSecret", err)
	}
	t.Setenv("TODOKU_MAIL_PASSWORD", "later")
	if err := ResolveMailPassword(c); err != nil || c.Mail.Password.Reveal() != "later" {
		t.Errorf("err = %v, password %q; want later", err, c.Mail.Password.Reveal())
	}
}
