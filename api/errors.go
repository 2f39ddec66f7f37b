package api

import "errors"

// Errors returned by Listen and Client. Test for them with errors.Is.
var (
	// ErrNotLoopback means Listen was asked for an address reachable from
	// other machines without AllowRemote.
	ErrNotLoopback = errors.New("address is not a loopback address")
	// ErrUnknownCarrier means the daemon has no carrier by that name.
	ErrUnknownCarrier = errors.New("unknown carrier")
	// ErrNotFound means the daemon has no parcel with that number.
	ErrNotFound = errors.New("parcel not found")
	// ErrReloadRejected means the daemon refused the new configuration and
	// keeps running the old one; the wrapping error carries the reason.
	ErrReloadRejected = errors.New("config reload rejected")
	// ErrUnreachable means no daemon answered at the address.
	ErrUnreachable = errors.New("daemon not reachable")
	// ErrBackupIncomplete means the daemon failed part-way through a
	// backup; what was written is not a usable database.
	ErrBackupIncomplete = errors.New("backup incomplete")
)
