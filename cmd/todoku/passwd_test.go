package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/todoku/todoku/internal/passwd"
)

func TestPasswd(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		args     []string
		code     int
	}{
		{"ok", "a long passphrase\nignored second line\n", []string{"--iterations", "1000"}, 0},
		{"no newline", "a long passphrase", []string{"--iterations", "1000"}, 0},
		{"too short", "short\n", nil, 1},
		{"too few iterations", "a long passphrase\n", []string{"--iterations", "10"}, 1},
		{"argument", "a long passphrase\n", []string{"secret-on-the-command-line"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := passwdFrom(strings.NewReader(tc.in), tc.args, &out, &errOut)
			if code != tc.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tc.code, errOut.String())
			}
			if strings.Contains(out.String()+errOut.String(), "passphrase") {
				t.Errorf("the password is printed: %q %q", out.String(), errOut.String())
			}
			if code != 0 {
				return
			}
			h, err := passwd.Parse(out.String())
			if err != nil || !h.Verify("a long passphrase") || h.Verify("a long passphrase\n") {
				t.Errorf("printed %q does not verify the password (%v)", out.String(), err)
			}
		})
	}
}
