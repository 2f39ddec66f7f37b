package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Secret is a value that must never be printed or logged. Every way of
// formatting or marshalling it gives "<secret>"; Reveal returns the value.
type Secret string

const redacted = "<secret>"

// String returns "<secret>" (or "" when empty).
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString returns "<secret>" for %#v.
func (s Secret) GoString() string { return s.String() }

// Reveal returns the secret value, for the one place that sends it.
func (s Secret) Reveal() string { return string(s) }

// MarshalYAML marshals the secret as "<secret>".
func (s Secret) MarshalYAML() (any, error) { return s.String(), nil }

// MarshalJSON marshals the secret as "<secret>".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// MarshalText marshals the secret as "<secret>".
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// secretPath reports whether a config key path is notify.pushover or
// an API carrier's section, or under them: no value there is ever shown
// in an error, since a key written in the wrong place would otherwise
// reach logs and systemd's STATUS= line.
func secretPath(path string) bool {
	for _, area := range secretAreas {
		rest, ok := strings.CutPrefix(path, area)
		if ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
			return true
		}
	}
	return false
}

// secretAreas are the key paths under which values are never shown:
// Pushover's section and those of the API carriers (apikeys.go).
var secretAreas = []string{"notify.pushover", "carriers.dhl", "carriers.fedex", "carriers.ups"}

// shownValue returns value as an error may show it for path: "<secret>"
// at or under notify.pushover, or for a value decoded into a Secret.
func shownValue(path, value string, secret bool) string {
	if value != "" && (secret || secretPath(path)) {
		return redacted
	}
	return value
}

// maxSecretFile bounds how much of a secret file is read.
const maxSecretFile = 4096

// readSecretFile reads a small regular file and trims surrounding space.
// Errors contain neither the content nor the path (which comes from
// notify.pushover.*_file, where a key may have been written by mistake):
// callers add the path when it is safe to show.
func readSecretFile(path string) (Secret, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", withoutPath(err)
	}
	if !fi.Mode().IsRegular() {
		return "", errors.New("not a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		return "", withoutPath(err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFile))
	if err != nil {
		return "", withoutPath(err)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", errors.New("empty")
	}
	return Secret(s), nil
}

// withoutPath returns the reason of an *fs.PathError without its path.
func withoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// secretSource describes one secret and where it may come from.
type secretSource struct {
	path       string // key path, e.g. notify.pushover.token
	inline     Secret
	file       string // *_file value, already resolved against the config dir
	fileKey    string // e.g. token_file
	env        string // e.g. TODOKU_PUSHOVER_TOKEN
	credential string // file name in $CREDENTIALS_DIRECTORY
}

// resolve finds the secret. found is false when no source has it; err is
// set when a source is given but unusable. where lists the places looked.
func (s secretSource) resolve(getenv func(string) string) (val Secret, where string, err error) {
	if s.inline != "" && s.file != "" {
		return "", "", fmt.Errorf("set either %s or %s, not both", lastKey(s.path), s.fileKey)
	}
	if s.inline != "" {
		return s.inline, "", nil
	}
	if s.file != "" {
		v, err := readSecretFile(s.file)
		if err != nil {
			return "", "", fmt.Errorf("%w: %w", errSecretFile, err)
		}
		return v, "", nil
	}
	if v := strings.TrimSpace(getenv(s.env)); v != "" {
		return Secret(v), "", nil
	}
	looked := []string{lastKey(s.path), s.fileKey, "$" + s.env}
	if dir := getenv("CREDENTIALS_DIRECTORY"); dir != "" {
		p := filepath.Join(dir, s.credential)
		if _, statErr := os.Stat(p); statErr == nil {
			v, err := readSecretFile(p)
			if err != nil {
				return "", "", fmt.Errorf("systemd credential %s: %s: %w", s.credential, p, err)
			}
			return v, "", nil
		}
		looked = append(looked, p)
	} else {
		looked = append(looked, "$CREDENTIALS_DIRECTORY/"+s.credential+" ($CREDENTIALS_DIRECTORY is unset)")
	}
	return "", strings.Join(looked, ", "), nil
}

func lastKey(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[i+1:]
	}
	return path
}
