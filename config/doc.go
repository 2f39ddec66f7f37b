// Package config loads, validates and edits todoku's YAML configuration.
//
// # Basics
//
// Load decodes bytes and LoadFile reads a file; both decode strictly
// (unknown keys are errors), fill in defaults, resolve secrets and validate
// everything, returning a *Config ready to use or an ErrorList whose entries
// name file:line:col, the key path and the offending value. No value at or
// under notify.pushover or an API carrier's section (carriers.dhl, fedex,
// ups: see apikeys.go), and no value of type Secret, is ever shown: errors
// say "<secret>" instead, an unknown key there is not named, and an
// unreadable token_file or user_file is reported without its path, since a
// Pushover key written in the wrong place would otherwise reach logs and
// systemd's STATUS= line.
//
// AddParcel and RemoveParcel edit a config file in place: they change only
// the lines of the parcel concerned (keeping comments and blank lines),
// re-validate the whole result and replace the file atomically. Each edit
// holds an flock(2) on .NAME.lock beside the file and reads the file only
// under it, so concurrent edits all land. Removing the last parcel leaves
// `parcels: []`, which is how a file says it has no parcels on purpose
// (Config.NoParcels; the daemon refuses a reload that loses every parcel
// without it).
//
// The text must be UTF-8 (a UTF-8 byte-order mark is fine): UTF-16 with
// or without byte-order marks, invalid UTF-8, NUL and other control
// characters are refused before YAML parsing, with the line and column.
// An @every schedule must be at least a minute (MinSchedule).
//
// Watch reports content changes of a config file, surviving editors that
// replace the file by renaming.
//
// # Caveats
//
// Config.Hash covers the file's bytes only: a secret read from a *_file or
// from $CREDENTIALS_DIRECTORY can change without changing the hash, so a
// SIGHUP should always reload, and only the file watcher should skip
// reloads whose hash is unchanged.
//
// A key written with no value (or ~) keeps its default, except that it
// empties a time window (night, quiet_hours), a list or an optional
// section: `night: ~` polls all night.
//
// Relative paths in the file (database, token_file, user_file) are relative
// to the directory of the config file; for Load they are relative to the
// working directory.
package config
