package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// ErrDamaged means the database file is damaged: truncated, empty, or
// with pages that bbolt's consistency check rejects. Errors wrapping it
// are [*DamagedError]s that say which file and what to do.
var ErrDamaged = errors.New("database file is damaged")

// DamagedError reports a damaged database file: which file, what is wrong
// with it, and what the user can do. Its text is meant to be shown as is.
type DamagedError struct {
	Path    string
	Problem string // e.g. "truncated: 65536 bytes, the file needs 131072"
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("database %s is damaged (%s): todoku did not open it. "+
		"Restore the last backup (`todoku backup FILE` makes one), or copy what is still readable "+
		"into a new file with `todoku repair %s NEW_FILE` and put that in its place",
		e.Path, e.Problem, e.Path)
}

// Is makes errors.Is(err, ErrDamaged) true.
func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

func damaged(path, format string, args ...any) error {
	return &DamagedError{Path: path, Problem: fmt.Sprintf(format, args...)}
}

// bbolt's on-disk meta page (go.etcd.io/bbolt/internal/common: page.go,
// meta.go): a 16-byte page header (id, flags, count, overflow), then
// magic, version, page size, flags, the root bucket (root page, sequence),
// the freelist page, the high-water mark pgid, the txid and an FNV-64a
// checksum of the fields before it, all in the machine's byte order.
const (
	pageHeaderSize = 16
	metaMagic      = 0xED0CDAED
	metaVersion    = 2
	metaLen        = 64 // magic … checksum
	pgidNoFreelist = ^uint64(0)
)

// metaInfo is what the checks need from a meta page.
type metaInfo struct {
	pageSize                 uint32
	root, freelist, pgid, tx uint64
}

// readMeta decodes and validates a meta page starting at b[0].
func readMeta(b []byte) (metaInfo, bool) {
	if len(b) < pageHeaderSize+metaLen {
		return metaInfo{}, false
	}
	m := b[pageHeaderSize : pageHeaderSize+metaLen]
	ne := binary.NativeEndian
	if ne.Uint32(m[0:]) != metaMagic || ne.Uint32(m[4:]) != metaVersion {
		return metaInfo{}, false
	}
	h := fnv.New64a()
	_, _ = h.Write(m[:56])
	if h.Sum64() != ne.Uint64(m[56:]) {
		return metaInfo{}, false
	}
	return metaInfo{
		pageSize: ne.Uint32(m[8:]),
		root:     ne.Uint64(m[16:]),
		freelist: ne.Uint64(m[32:]),
		pgid:     ne.Uint64(m[40:]),
		tx:       ne.Uint64(m[48:]),
	}, true
}

// fileMeta reads the meta page bbolt would use (the valid one with the
// higher txid) from f of the given size.
func fileMeta(f io.ReaderAt) (metaInfo, error) {
	buf := make([]byte, pageHeaderSize+metaLen)
	read := func(off int64) (metaInfo, bool) {
		if _, err := f.ReadAt(buf, off); err != nil {
			return metaInfo{}, false
		}
		return readMeta(buf)
	}
	m0, ok0 := read(0)
	var m1 metaInfo
	ok1 := false
	if ok0 {
		m1, ok1 = read(int64(m0.pageSize))
	} else {
		// The first meta page is bad: find the second at the usual page sizes.
		for _, ps := range []int64{int64(os.Getpagesize()), 4096, 8192, 16384, 32768, 65536} {
			if m1, ok1 = read(ps); ok1 && int64(m1.pageSize) == ps {
				break
			}
			ok1 = false
		}
	}
	switch {
	case ok0 && ok1:
		if m1.tx > m0.tx {
			return m1, nil
		}
		return m0, nil
	case ok0:
		return m0, nil
	case ok1:
		return m1, nil
	}
	return metaInfo{}, errors.New("no valid meta page: not a todoku database, or its header was overwritten")
}

// CheckFile checks the database file at path without opening it with
// bbolt (which maps the file into memory, where reading past the end of
// a truncated file kills the process with SIGBUS): the meta pages must be
// valid, and the file must be as long as the pages they count. A missing
// file is fine (Open creates it). An empty file is an error wrapping
// ErrDamaged unless allowEmpty. It knows nothing of todoku's buckets.
func CheckFile(path string, allowEmpty bool) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: check %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: check %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("store: check %s: not a regular file", path)
	}
	size := fi.Size()
	if size == 0 {
		if allowEmpty {
			return nil
		}
		return damaged(path, "the file is empty (0 bytes), so its history and sent-ledger are gone; "+
			"if this is a new installation, delete the empty file")
	}
	m, err := fileMeta(f)
	if err != nil {
		return damaged(path, "%s", err.Error())
	}
	if m.pageSize < 512 || m.pageSize > 1<<20 || m.pageSize&(m.pageSize-1) != 0 {
		return damaged(path, "page size %d in the meta page", m.pageSize)
	}
	need := m.pgid * uint64(m.pageSize)
	if m.pgid < 2 || need/uint64(m.pageSize) != m.pgid {
		return damaged(path, "meta page counts %d pages", m.pgid)
	}
	if uint64(size) < need {
		return damaged(path, "truncated: %d bytes, the file needs %d", size, need)
	}
	if m.root < 2 || m.root >= m.pgid {
		return damaged(path, "root page %d outside the %d pages", m.root, m.pgid)
	}
	if m.freelist != pgidNoFreelist && (m.freelist < 2 || m.freelist >= m.pgid) {
		return damaged(path, "freelist page %d outside the %d pages", m.freelist, m.pgid)
	}
	return nil
}

// openChecked opens path with bbolt after CheckFile, with any panic
// inside bbolt turned into a DamagedError, and then runs bbolt's
// consistency check over the whole file (a few milliseconds for a
// household's database), so that a damaged page is found at start-up
// rather than as a crash in the middle of work.
func openChecked(path string, mode os.FileMode, bopts *bolt.Options, allowEmpty bool) (db *bolt.DB, err error) {
	if err := CheckFile(path, allowEmpty); err != nil {
		return nil, err
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				db, err = nil, damaged(path, "bbolt failed reading it: %v", r)
			}
		}()
		db, err = bolt.Open(path, mode, bopts)
	}()
	if err != nil || db == nil {
		return nil, err
	}
	if err := consistency(db); err != nil {
		_ = db.Close()
		return nil, damaged(path, "%s", err.Error())
	}
	return db, nil
}

// consistency runs bbolt's tx.Check (which turns its own panics into
// errors) and summarises the first few problems.
func consistency(db *bolt.DB) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("consistency check: %v", r)
		}
	}()
	var problems []string
	n := 0
	verr := db.View(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			if n < 3 {
				problems = append(problems, e.Error())
			}
			n++
		}
		return nil
	})
	if verr != nil {
		return fmt.Errorf("consistency check: %w", verr)
	}
	if n == 0 {
		return nil
	}
	s := strings.Join(problems, "; ")
	if n > len(problems) {
		s += fmt.Sprintf("; and %d more", n-len(problems))
	}
	return fmt.Errorf("consistency check: %s", s)
}
