package systemd

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestCredential(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"pushover_token": "azGDORePK8gMaC0QOYAMyEEuzJnyUi\n",
		"pushover_user":  "uQiRzpo4DXghDmr9QzzfQu27cmVRsG",
		"crlf":           "secret\r\n",
	}
	for name, v := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(v), 0o400); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o700); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, env, cred string
		want            string
		wantOK          bool
		wantErr         error
		anyErr          bool
	}{
		{name: "token", env: dir, cred: "pushover_token", want: "azGDORePK8gMaC0QOYAMyEEuzJnyUi", wantOK: true},
		{name: "no newline", env: dir, cred: "pushover_user", want: "uQiRzpo4DXghDmr9QzzfQu27cmVRsG", wantOK: true},
		{name: "crlf", env: dir, cred: "crlf", want: "secret", wantOK: true},
		{name: "not configured", env: dir, cred: "missing"},
		{name: "outside systemd", env: "", cred: "pushover_token"},
		{name: "path escape", env: dir, cred: "../etc/passwd", wantErr: ErrBadCredentialName},
		{name: "empty", env: dir, cred: "", wantErr: ErrBadCredentialName},
		{name: "dot dot", env: dir, cred: "..", wantErr: ErrBadCredentialName},
		{name: "directory", env: dir, cred: "adir", anyErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CREDENTIALS_DIRECTORY", tt.env)
			got, ok, err := Credential(tt.cred)
			switch {
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			case tt.anyErr && err == nil:
				t.Fatalf("err = nil, want an error")
			case tt.wantErr == nil && !tt.anyErr && err != nil:
				t.Fatalf("err = %v, want nil", err)
			}
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Credential(%q) = %q, %v; want %q, %v", tt.cred, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
