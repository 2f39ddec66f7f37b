// Package store keeps todoku's state in one bbolt file: the tracked
// parcels, each parcel's event history, the notification outbox, the
// sent-ledger that stops a notification going out twice, each carrier's
// politeness state (cooldowns, circuit breaker, pause), a little
// free-form state, and the schema version.
//
// # Basics
//
// [Open] opens (or creates) the file, creates the buckets and runs the
// schema migrations in one transaction. A second process that opens the
// same file gets an error wrapping [ErrLocked] after [Options.LockTimeout]
// instead of hanging; [Options.ReadOnly] takes a shared lock for commands
// such as `todoku list` that only read while no daemon runs.
//
// Every method is one bbolt transaction and is safe for concurrent use.
// [Store.Apply] writes one poll result atomically: the new parcel state,
// the events not seen before and the outbox entries whose dedup key is
// neither waiting in the outbox nor recorded in the sent-ledger. Applying
// the same result twice adds nothing. The notifier drains the outbox with
// [Store.Pending] and closes each entry with [Store.MarkSent] or
// [Store.MarkFailed], which move its key into the ledger in the same
// transaction that deletes it from the outbox, so a key is in exactly one
// of the two and is never queued again.
//
// Layout (values are JSON unless said otherwise):
//
//	meta/      "schema" -> 4-byte big-endian version
//	parcels/   number -> Parcel (with its newest event, Parcel.Last)
//	due/       8-byte BE unix-nanos of NextDue + number -> empty (active parcels only)
//	active/    number -> its key in due/
//	ev/        number + 0x00 + 8-byte BE unix-nanos of the event time + 8-byte BE seq
//	           -> compact binary event (see events.go), deduplicated by the first
//	           8 bytes of sha256(time|status|reason|raw|location) within the parcel
//	outbox/    8-byte BE id (NextSequence) -> OutboxEntry
//	outkeys/   dedup key -> outbox id
//	sent/      dedup key -> LedgerEntry
//	health/    carrier -> Health
//	state/     key -> any JSON value
//
// [Store.Backup] and [Store.BackupFile] copy a consistent snapshot from a
// read transaction while the daemon keeps writing. [Store.Archive]
// retires delivered and returned parcels after a grace period and can
// prune their history.
//
// # Caveats
//
// Values are copied out of bbolt before a transaction ends; nothing
// returned by this package points into the memory-mapped file.
//
// Times go through JSON (RFC 3339 with nanoseconds): the instant and the
// UTC offset survive, the *time.Location name and the monotonic clock
// reading do not. Compare returned times with time.Time.Equal.
//
// History keys clamp event times outside 1970–2262 (the range of int64
// unix nanoseconds) to the ends of that range; such events keep their
// true time in the value and sort among themselves by sequence.
//
// Two events are the same event when time, status, reason, raw text and
// location are equal; the carrier is not part of the fingerprint. JSON
// turns invalid UTF-8 in strings into U+FFFD, so text that was not valid
// UTF-8 reads back changed (deduplication still uses the bytes given).
//
// Ticks read [Store.ActiveParcels] through the due-time index, so their
// cost follows the parcels being polled, never the archived history.
// [Store.SyncParcels] (start-up, reload) writes only the parcels that
// change, in one transaction; [Store.ApplyBatch] writes a polled batch in
// one. [Store.Parcels] and [Store.Archive] still read every parcel record
// (lists, and archiving every 6 hours), but no history.
//
// A commit that fails (a full disk) wraps [ErrWriteFailed] and is
// reported by [Store.WriteFailure] until a write succeeds; the caller
// keeps what it wanted to write and tries again.
//
// The sent-ledger is never pruned, so a key once sent is never sent
// again. Its entries are small, but the file grows with it, and bbolt
// files never shrink: reclaiming space needs an offline `bbolt compact`.
//
// Fsync is always on. A commit costs a few milliseconds of disk time, so
// callers should batch work into one [Store.Apply] rather than many
// small writes.
package store
