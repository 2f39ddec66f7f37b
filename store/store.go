package store

import (
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Errors returned by the store. Callers test them with errors.Is.
var (
	// ErrLocked means another process holds the database file open for
	// writing (or, for a writer, open at all) and the lock could not be
	// taken within Options.LockTimeout.
	ErrLocked = errors.New("database is locked by another process")
	// ErrNotFound means the outbox entry named by an ID does not exist
	// (never queued, or already marked sent or failed). Lookups that can
	// miss in normal use return a found bool instead.
	ErrNotFound = errors.New("not found")
	// ErrSchemaTooNew means the file was written by a newer todoku whose
	// schema this build does not know.
	ErrSchemaTooNew = errors.New("database schema is newer than this todoku")
	// ErrSkip, returned by an UpdateParcel function, leaves the parcel
	// as it is.
	ErrSkip = errors.New("skip")

	// Unexported: invalid arguments, which are programming errors.
	errNoNumber  = errors.New("parcel has no number")
	errNoKey     = errors.New("outbox entry has no dedup key")
	errNoCarrier = errors.New("health has no carrier")
	errNoState   = errors.New("state key is empty")
)

// DefaultLockTimeout is how long Open waits for the file lock when
// Options.LockTimeout is zero.
const DefaultLockTimeout = time.Second

// initialMmapSize is large enough that a hot backup (a long read
// transaction) of a household-sized database does not make writers wait
// for a remap. On Linux it reserves address space, not disk or memory.
const initialMmapSize = 16 << 20

// Bucket names.
const (
	bucketMeta    = "meta"
	bucketParcels = "parcels"
	bucketEvents  = "events"
	bucketOutbox  = "outbox"
	bucketOutKeys = "outkeys"
	bucketSent    = "sent"
	bucketHealth  = "health"
	bucketState   = "state"

	// Sub-buckets of a parcel's bucket under events/.
	subEvents       = "e"
	subFingerprints = "f"
)

// Options configure Open.
type Options struct {
	// LockTimeout bounds the wait for the file lock; the default is
	// DefaultLockTimeout. A lock still held after it gives an error
	// wrapping ErrLocked.
	LockTimeout time.Duration
	// ReadOnly opens the file with a shared lock and no migrations, for
	// commands that only read while no daemon runs. The file must exist.
	ReadOnly bool
	// AllowEmpty accepts an existing empty file as a new database. Set it
	// only when the state directory was just created: otherwise an empty
	// file is a truncated database (ErrDamaged), never silently a new one.
	AllowEmpty bool
	// BeforeCommit, when set, is called before every write; an error it
	// returns fails that write as a full disk would (tests use it to
	// simulate ENOSPC).
	BeforeCommit func() error
}

// Store is todoku's database. Its methods are safe for concurrent use.
type Store struct {
	db   *bolt.DB
	path string

	beforeCommit func() error
	wmu          sync.Mutex // guards wfail
	wfail        WriteFailure
}

// Open opens the database at path, creating the file (mode 0600) if it
// does not exist, creates missing buckets and migrates an older schema,
// all in one transaction. The parent directory must exist. A file
// written by a newer todoku gives an error wrapping ErrSchemaTooNew.
func Open(path string, opts Options) (*Store, error) {
	timeout := opts.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	// openChecked refuses a damaged file with one clear *DamagedError
	// (check.go) instead of a crash.
	db, err := openChecked(path, 0o600, &bolt.Options{
		Timeout:         timeout,
		ReadOnly:        opts.ReadOnly,
		InitialMmapSize: initialMmapSize,
	}, opts.AllowEmpty)
	if errors.Is(err, ErrDamaged) {
		return nil, err
	}
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("store: open %s: %w (waited %s)", path, ErrLocked, timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if opts.ReadOnly {
		err = db.View(func(tx *bolt.Tx) error {
			_, err := checkVersion(tx)
			return err
		})
	} else {
		err = db.Update(migrate)
	}
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return &Store{db: db, path: path, beforeCommit: opts.BeforeCommit}, nil
}

// Close closes the database, waiting for running transactions.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close %s: %w", s.path, err)
	}
	return nil
}

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Ping proves the database answers: it runs a small read transaction.
// It is cheap enough for a watchdog heartbeat, unlike Check.
func (s *Store) Ping() error {
	_, err := s.SchemaVersion()
	return err
}

// Check runs bbolt's consistency check on the whole file and returns the
// problems it finds joined into one error, or nil. It reads the whole
// file; bbolt's checker also reads the freelist without the writer's
// lock, so run it only while nothing writes (offline, or in tests).
func (s *Store) Check() error {
	var errs []error
	err := s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: check: %w", err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("store: check: %w", errors.Join(errs...))
	}
	return nil
}

// view runs fn in a read transaction and prefixes its error with op.
func (s *Store) view(op string, fn func(tx *bolt.Tx) error) error {
	if err := s.db.View(fn); err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	return nil
}

// update runs fn in a read-write transaction and prefixes its error with
// op. A commit that fails (not fn) is recorded for WriteFailure and
// wraps ErrWriteFailed.
func (s *Store) update(op string, fn func(tx *bolt.Tx) error) error {
	var fnErr error
	var err error
	if s.beforeCommit != nil {
		err = s.beforeCommit()
	}
	if err == nil {
		err = s.db.Update(func(tx *bolt.Tx) error {
			fnErr = fn(tx)
			return fnErr
		})
	}
	switch {
	case err == nil:
		s.noteWrite(nil)
		return nil
	case fnErr != nil:
		return fmt.Errorf("store: %s: %w", op, err)
	default:
		s.noteWrite(err)
		return fmt.Errorf("store: %s: %w: %w", op, ErrWriteFailed, err)
	}
}

// bucket returns the top-level bucket name, or nil when it does not
// exist (a read-only open of an old or fresh file).
func bucket(tx *bolt.Tx, name string) *bolt.Bucket { return tx.Bucket([]byte(name)) }

// mustBucket returns the top-level bucket name for writing. Open creates
// every bucket, so a missing one means the file was damaged or opened
// read-only.
func mustBucket(tx *bolt.Tx, name string) (*bolt.Bucket, error) {
	b := tx.Bucket([]byte(name))
	if b == nil {
		return nil, fmt.Errorf("bucket %q missing", name)
	}
	return b, nil
}
