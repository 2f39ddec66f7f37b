// Package passwd hashes and checks the status page's login password.
//
// A hash line is "pbkdf2-sha256$ITERATIONS$SALT$KEY", salt and key in
// unpadded standard base64: PBKDF2 (RFC 8018 §5.2) with HMAC-SHA-256 from
// Go's crypto/pbkdf2, a 16-byte random salt and a 32-byte key. The
// default of 600,000 iterations is OWASP's Password Storage Cheat Sheet
// figure for PBKDF2-HMAC-SHA256. golang.org/x/crypto (bcrypt, argon2) is
// not among todoku's allowed modules, so the standard library's PBKDF2 is
// used. Verification compares keys in constant time.
package passwd

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Scheme is the first field of a hash line.
const Scheme = "pbkdf2-sha256"

// DefaultIterations is the iteration count Hash uses by default.
const DefaultIterations = 600_000

// MinIterations is the fewest iterations Parse accepts (tests use it).
const MinIterations = 1_000

// maxIterations bounds the work one login attempt can cost.
const maxIterations = 10_000_000

const (
	saltLen = 16
	keyLen  = 32
)

// ErrFormat means a hash line is not one Hash writes.
var ErrFormat = errors.New("not a pbkdf2-sha256$iterations$salt$key line")

var b64 = base64.RawStdEncoding

// Hash is a parsed hash line.
type Hash struct {
	Iterations int
	Salt, Key  []byte
}

// New hashes password with a fresh random salt and iter iterations
// (DefaultIterations when iter is 0) and returns the hash line.
func New(password string, iter int) (string, error) {
	if iter == 0 {
		iter = DefaultIterations
	}
	if iter < MinIterations || iter > maxIterations {
		return "", fmt.Errorf("passwd: iterations %d: want %d to %d", iter, MinIterations, maxIterations)
	}
	if password == "" {
		return "", errors.New("passwd: empty password")
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("passwd: salt: %w", err)
	}
	key, err := pbkdf2.Key(sha256.New, password, salt, iter, keyLen)
	if err != nil {
		return "", fmt.Errorf("passwd: %w", err)
	}
	return fmt.Sprintf("%s$%d$%s$%s", Scheme, iter, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Parse reads a hash line (surrounding white space ignored).
func Parse(line string) (Hash, error) {
	parts := strings.Split(strings.TrimSpace(line), "$")
	if len(parts) != 4 || parts[0] != Scheme {
		return Hash{}, ErrFormat
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < MinIterations || iter > maxIterations {
		return Hash{}, fmt.Errorf("%w: iterations %q (want %d to %d)", ErrFormat, parts[1], MinIterations, maxIterations)
	}
	salt, err := b64.DecodeString(parts[2])
	if err != nil || len(salt) < 8 {
		return Hash{}, fmt.Errorf("%w: bad salt", ErrFormat)
	}
	key, err := b64.DecodeString(parts[3])
	if err != nil || len(key) < 16 {
		return Hash{}, fmt.Errorf("%w: bad key", ErrFormat)
	}
	return Hash{Iterations: iter, Salt: salt, Key: key}, nil
}

// Verify reports whether password matches h, comparing in constant time.
func (h Hash) Verify(password string) bool {
	if len(h.Key) == 0 {
		return false
	}
	key, err := pbkdf2.Key(sha256.New, password, h.Salt, h.Iterations, len(h.Key))
	if err != nil {
		return false
	}
	return subtle.ConstantTimeCompare(key, h.Key) == 1
}
