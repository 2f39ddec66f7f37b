package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/todoku/todoku/internal/passwd"
)

func TestAuth(t *testing.T) {
	line, err := passwd.New("s3cret-pass", passwd.MinIterations)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hash"), []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plain"), []byte("s3cret-pass\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		yaml      string
		env       map[string]string
		login     bool
		editable  bool
		wantErr   string
		leakCheck string
	}{
		{name: "loopback, no hash", yaml: "", login: false, editable: true},
		{name: "remote, no hash: read-only page", yaml: "api: {listen: '0.0.0.0:8347', allow_remote: true}\n", login: false, editable: false},
		{name: "inline hash", yaml: "api: {password_hash: '" + line + "'}\n", login: true, editable: true},
		{name: "hash file, relative", yaml: "api: {allow_remote: true, listen: '0.0.0.0:1', password_hash_file: hash}\n", login: true, editable: true},
		{name: "env", env: map[string]string{"TODOKU_API_PASSWORD_HASH": line}, login: true, editable: true},
		{name: "password instead of hash", yaml: "api: {password_hash: 'hunter2-plain'}\n", wantErr: "todoku passwd", leakCheck: "hunter2-plain"},
		{name: "password file instead of hash", yaml: "api: {password_hash_file: plain}\n", wantErr: "todoku passwd", leakCheck: "s3cret-pass"},
		{name: "both", yaml: "api: {password_hash: '" + line + "', password_hash_file: hash}\n", wantErr: "not both"},
		{name: "missing file", yaml: "api: {password_hash_file: nope}\n", wantErr: "password_hash_file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadMail(t, tc.yaml, tc.env, dir)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				if tc.leakCheck != "" && strings.Contains(err.Error(), tc.leakCheck) {
					t.Errorf("error shows the value: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.API.LoginRequired(); got != tc.login {
				t.Errorf("LoginRequired = %v, want %v", got, tc.login)
			}
			if got := c.API.PageEditable(); got != tc.editable {
				t.Errorf("PageEditable = %v, want %v", got, tc.editable)
			}
			if tc.login {
				h, err := passwd.Parse(c.API.PasswordHash.Reveal())
				if err != nil || !h.Verify("s3cret-pass") {
					t.Errorf("resolved hash %v does not verify", err)
				}
			}
		})
	}
}

func TestMailAnnounce(t *testing.T) {
	base := "mail:\n  host: imap.example.jp\n  user: u\n  password: p\n"
	for _, tc := range []struct {
		extra string
		want  bool
	}{{"", true}, {"  announce: true\n", true}, {"  announce: false\n", false}} {
		c, err := loadMail(t, base+tc.extra, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Mail.Announces(); got != tc.want {
			t.Errorf("%q: Announces = %v, want %v", tc.extra, got, tc.want)
		}
	}
	if (*MailConfig)(nil).Announces() {
		t.Error("no mail section announces")
	}
	_, err := loadMail(t, base+"  announce: sometimes\n", nil, "")
	if err == nil || !errors.Is(err, ErrInvalid) && !strings.Contains(err.Error(), "announce") {
		t.Errorf("announce: sometimes: err = %v", err)
	}
}
