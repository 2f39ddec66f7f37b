package systemd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrBadCredentialName means a credential name contains a path separator or
// is empty or a dot name.
var ErrBadCredentialName = errors.New("bad credential name")

// Credential reads the credential name that systemd's LoadCredential=
// placed in $CREDENTIALS_DIRECTORY, with trailing newlines removed. ok is
// false, with a nil error, when the daemon does not run under systemd
// credentials or the credential was not configured, so callers can fall
// back to the config file. The value is a secret: never log it.
func Credential(name string) (value string, ok bool, err error) {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return "", false, fmt.Errorf("systemd: read credential %q: %w", name, ErrBadCredentialName)
	}
	dir := os.Getenv("CREDENTIALS_DIRECTORY")
	if dir == "" {
		return "", false, nil
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("systemd: read credential %q: %w", name, err)
	}
	return strings.TrimRight(string(b), "\r\n"), true, nil
}
