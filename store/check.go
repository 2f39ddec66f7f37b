package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync/atomic"

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
// valid, the file must be as long as the pages they count, and every page
// of the tree and the freelist must be well formed (read with ReadAt, see
// pages), so that bbolt, which trusts the file, never reads outside it or
// loops. A missing
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
	if err := checkPages(f, m); err != nil {
		return damaged(path, "%s", err.Error())
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
	// bbolt maps the file into memory: a damaged length or page number
	// makes it read past the end of the file, which is a fault (SIGBUS or
	// SIGSEGV) that kills the process unless this goroutine asked for a
	// panic instead.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
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
	// Read every bucket, key and value here first, where a fault is a
	// panic: bbolt's own check runs in a goroutine of its own, where a
	// fault would still be fatal.
	if err := walk(db); err != nil {
		_ = db.Close()
		return nil, damaged(path, "%s", err.Error())
	}
	if err := consistency(db); err != nil {
		_ = db.Close()
		return nil, damaged(path, "%s", err.Error())
	}
	return db, nil
}

// walk reads every bucket, key and value of db, recursively, in the
// calling goroutine; the caller has set debug.SetPanicOnFault, so that a
// read past the end of the mapped file is a panic, turned into an error
// here. It knows nothing of todoku's buckets.
func walk(db *bolt.DB) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reading its pages: %v", r)
		}
	}()
	return db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return walkBucket(b, string(name), 0)
		})
	})
}

// maxDepth bounds bucket nesting: todoku nests two levels; a damaged file
// could describe a cycle.
const maxDepth = 16

func walkBucket(b *bolt.Bucket, path string, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%s: buckets nested over %d deep", path, maxDepth)
	}
	var sum byte
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		for _, x := range k {
			sum ^= x
		}
		for _, x := range v {
			sum ^= x
		}
		if v != nil {
			continue
		}
		if child := b.Bucket(k); child != nil {
			if err := walkBucket(child, path+"/"+printable(k), depth+1); err != nil {
				return err
			}
		}
	}
	touched.Store(uint32(sum))
	return nil
}

// touched keeps walkBucket's reads from being optimised away.
var touched atomic.Uint32

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

// Page walking. bbolt's own readers trust the file: a damaged length
// reads past the end of the mapping (a fatal fault), and a branch page
// that points back up the tree loops for ever (its cursor) or overflows
// the stack (its Check). pages reads the file with ReadAt instead, never
// through the mapping, and checks every page header, element and bucket
// reference before following it, with each page visited once. It is the
// on-disk format of go.etcd.io/bbolt/internal/common (page.go, bucket.go)
// and nothing of todoku's buckets.
const (
	branchPageFlag = 0x01
	leafPageFlag   = 0x02
	freelistFlag   = 0x10
	bucketLeafFlag = 0x01
	elementSize    = 16 // branch: pos, ksize, pgid; leaf: flags, pos, ksize, vsize
	bucketHeader   = 16 // root pgid, sequence
	maxTreeDepth   = 64
)

// pageVisitor receives what pages finds, in key order within a bucket.
// path names the bucket (outermost first); damage reports a part that
// could not be read (the walk goes on with its siblings).
type pageVisitor struct {
	bucket func(path [][]byte, name []byte, seq uint64) bool // false: skip its contents
	kv     func(path [][]byte, k, v []byte)
	damage func(path [][]byte, err error)
}

type pages struct {
	f    io.ReaderAt
	m    metaInfo
	seen map[uint64]bool
	v    pageVisitor
}

func newPages(f io.ReaderAt, m metaInfo, v pageVisitor) *pages {
	return &pages{f: f, m: m, seen: map[uint64]bool{}, v: v}
}

// read returns page id with its overflow pages, marking them seen.
func (p *pages) read(id uint64) ([]byte, error) {
	ps := uint64(p.m.pageSize)
	if id < 2 || id >= p.m.pgid {
		return nil, fmt.Errorf("page %d: outside the file's %d pages", id, p.m.pgid)
	}
	if p.seen[id] {
		return nil, fmt.Errorf("page %d: referenced twice (a loop in the tree)", id)
	}
	head := make([]byte, pageHeaderSize)
	if _, err := p.f.ReadAt(head, int64(id*ps)); err != nil {
		return nil, fmt.Errorf("page %d: %w", id, err)
	}
	ne := binary.NativeEndian
	if got := ne.Uint64(head[0:]); got != id {
		return nil, fmt.Errorf("page %d: its header says page %d", id, got)
	}
	overflow := uint64(ne.Uint32(head[12:]))
	if id+overflow >= p.m.pgid {
		return nil, fmt.Errorf("page %d: %d overflow pages run past the file's %d pages", id, overflow, p.m.pgid)
	}
	buf := make([]byte, (overflow+1)*ps)
	if _, err := p.f.ReadAt(buf, int64(id*ps)); err != nil {
		return nil, fmt.Errorf("page %d: %w", id, err)
	}
	for i := id; i <= id+overflow; i++ {
		p.seen[i] = true
	}
	return buf, nil
}

// root walks the root bucket (the meta page's root).
func (p *pages) root() {
	p.tree(p.m.root, nil, 0)
}

// tree walks the B+tree whose top page is id, for the bucket at path.
func (p *pages) tree(id uint64, path [][]byte, depth int) {
	if depth > maxTreeDepth {
		p.v.damage(path, fmt.Errorf("page %d: tree deeper than %d", id, maxTreeDepth))
		return
	}
	buf, err := p.read(id)
	if err != nil {
		p.v.damage(path, err)
		return
	}
	p.node(buf, id, path, depth)
}

// node reads one page (from the file, or inline in a bucket value).
func (p *pages) node(buf []byte, id uint64, path [][]byte, depth int) {
	ne := binary.NativeEndian
	if len(buf) < pageHeaderSize {
		p.v.damage(path, fmt.Errorf("page %d: too short", id))
		return
	}
	flags, count := ne.Uint16(buf[8:]), int(ne.Uint16(buf[10:]))
	switch {
	case flags != branchPageFlag && flags != leafPageFlag:
		p.v.damage(path, fmt.Errorf("page %d: neither a branch nor a leaf page (flags %#x)", id, flags))
		return
	case flags == branchPageFlag && count == 0:
		p.v.damage(path, fmt.Errorf("page %d: a branch page without elements", id))
		return
	case flags == branchPageFlag && id == 0:
		// bbolt keeps only a leaf inline; a branch there loops or panics.
		p.v.damage(path, errors.New("inline bucket: a branch page"))
		return
	}
	if pageHeaderSize+count*elementSize > len(buf) {
		p.v.damage(path, fmt.Errorf("page %d: %d elements do not fit in it", id, count))
		return
	}
	for i := range count {
		at := pageHeaderSize + i*elementSize
		el := buf[at : at+elementSize]
		switch flags {
		case branchPageFlag:
			pos, ksize := int(ne.Uint32(el[0:])), int(ne.Uint32(el[4:]))
			if at+pos+ksize > len(buf) || pos < 0 || ksize < 0 {
				p.v.damage(path, fmt.Errorf("page %d: element %d points outside the page", id, i))
				continue
			}
			p.tree(ne.Uint64(el[8:]), path, depth+1)
		case leafPageFlag:
			eflags, pos, ksize, vsize := ne.Uint32(el[0:]), int(ne.Uint32(el[4:])), int(ne.Uint32(el[8:])), int(ne.Uint32(el[12:]))
			if pos < 0 || ksize < 0 || vsize < 0 || at+pos+ksize+vsize > len(buf) {
				p.v.damage(path, fmt.Errorf("page %d: element %d points outside the page", id, i))
				continue
			}
			k := buf[at+pos : at+pos+ksize]
			v := buf[at+pos+ksize : at+pos+ksize+vsize]
			if eflags&bucketLeafFlag == 0 {
				p.v.kv(path, k, v)
				continue
			}
			if len(v) < bucketHeader {
				p.v.damage(path, fmt.Errorf("page %d: bucket %q has a %d-byte header", id, printable(k), len(v)))
				continue
			}
			if !p.v.bucket(path, k, ne.Uint64(v[8:])) {
				continue
			}
			sub := append(append([][]byte(nil), path...), k)
			if len(sub) > maxTreeDepth {
				p.v.damage(path, fmt.Errorf("buckets nested over %d deep", maxTreeDepth))
				continue
			}
			if rootID := ne.Uint64(v[0:]); rootID != 0 {
				p.tree(rootID, sub, depth+1)
			} else {
				p.node(v[bucketHeader:], 0, sub, depth+1) // an inline bucket
			}
		default:
			p.v.damage(path, fmt.Errorf("page %d: neither a branch nor a leaf page (flags %#x)", id, flags))
			return
		}
	}
}

// freelist checks the freelist page: its type, its count and that every
// page it lists is inside the file.
func (p *pages) freelist() error {
	if p.m.freelist == pgidNoFreelist {
		return nil
	}
	buf, err := p.read(p.m.freelist)
	if err != nil {
		return fmt.Errorf("freelist: %w", err)
	}
	ne := binary.NativeEndian
	if flags := ne.Uint16(buf[8:]); flags != freelistFlag {
		return fmt.Errorf("freelist: page %d is not a freelist page (flags %#x)", p.m.freelist, flags)
	}
	start, count := pageHeaderSize, uint64(ne.Uint16(buf[10:]))
	if count == 0xFFFF {
		count = ne.Uint64(buf[pageHeaderSize:])
		start += 8
	}
	if count > uint64(len(buf)-start)/8 {
		return fmt.Errorf("freelist: %d pages listed do not fit in it", count)
	}
	for i := range count {
		if id := ne.Uint64(buf[start+int(i)*8:]); id < 2 || id >= p.m.pgid {
			return fmt.Errorf("freelist: lists page %d, outside the file's %d pages", id, p.m.pgid)
		}
	}
	return nil
}

// checkPages walks the whole tree and the freelist of m in f and returns
// the first few problems.
func checkPages(f io.ReaderAt, m metaInfo) error {
	var problems []string
	n := 0
	note := func(err error) {
		if n < 3 {
			problems = append(problems, err.Error())
		}
		n++
	}
	p := newPages(f, m, pageVisitor{
		bucket: func([][]byte, []byte, uint64) bool { return n == 0 },
		kv:     func([][]byte, []byte, []byte) {},
		damage: func(_ [][]byte, err error) { note(err) },
	})
	if err := p.freelist(); err != nil {
		note(err)
	}
	p.root()
	if n == 0 {
		return nil
	}
	s := strings.Join(problems, "; ")
	if n > len(problems) {
		s += fmt.Sprintf("; and %d more", n-len(problems))
	}
	return errors.New(s)
}
