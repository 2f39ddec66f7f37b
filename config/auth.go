package config

import (
	"errors"

	"github.com/todoku/todoku/internal/passwd"
)

// The status page's login.
//
// api.password_hash holds a hash line printed by `todoku passwd`
// ("pbkdf2-sha256$600000$salt$key"); api.password_hash_file, then
// $TODOKU_API_PASSWORD_HASH, then the systemd credential
// api_password_hash in $CREDENTIALS_DIRECTORY are tried in turn when it
// is empty. With a hash, every page asks for the password and keeps a
// session cookie. Without one, the page on loopback stays login-free;
// with api.allow_remote and no hash the page is read-only (no add or
// remove forms), as before.

// LoginRequired reports whether the status page asks for a password.
func (a APIConfig) LoginRequired() bool { return a.PasswordHash != "" }

// PageEditable reports whether the status page may add and remove
// parcels: always behind a login, and without one only when the API is
// not open to other machines.
func (a APIConfig) PageEditable() bool { return a.LoginRequired() || !a.AllowRemote }

// auth resolves and checks the login hash.
func (v *validator) auth() {
	a := &v.cfg.API
	a.PasswordHashFile = resolvePath(a.PasswordHashFile, v.dir, v.getenv)
	if v.skipSecrets && a.PasswordHash == "" {
		return
	}
	src := secretSource{path: "api.password_hash", inline: a.PasswordHash, file: a.PasswordHashFile, fileKey: "password_hash_file",
		env: "TODOKU_API_PASSWORD_HASH", credential: "api_password_hash"}
	val, _, err := src.resolve(v.getenv)
	switch {
	case errors.Is(err, errSecretFile):
		v.fail("api.password_hash_file", "", ErrMissingSecret, "%v", err)
		return
	case err != nil:
		v.fail("api.password_hash", "", ErrInvalid, "%v", err)
		return
	}
	if val == "" {
		return // no login
	}
	if _, err := passwd.Parse(val.Reveal()); err != nil {
		// The value is not shown: a password may have been written there
		// instead of its hash.
		v.fail("api.password_hash", "", ErrInvalid, "%v: write the line `todoku passwd` prints, never the password itself", err)
		return
	}
	a.PasswordHash = val
}
