package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// RepairReport says what Repair copied.
type RepairReport struct {
	// Buckets has one line per top-level bucket, by name.
	Buckets []BucketReport
	// Padded is how many bytes of zeros were added to the working copy
	// of a truncated file so that it could be read at all.
	Padded int64
	// Older is set when the previous transaction's meta page filled in
	// what the newest could not give: the last change may be missing.
	Older bool
}

// BucketReport is what was copied of one top-level bucket (with its
// nested buckets).
type BucketReport struct {
	Name    string
	Keys    int // values copied, nested buckets included
	Buckets int // nested buckets copied
	// Damaged lists where reading stopped early (a damaged page).
	Damaged []string
}

// Lost reports whether anything in the bucket could not be read.
func (b BucketReport) Lost() bool { return len(b.Damaged) > 0 }

// String is e.g. "parcels: 12 keys" or "events: 340 keys in 12 buckets
// (damaged: …)".
func (b BucketReport) String() string {
	s := fmt.Sprintf("%s: %d keys", b.Name, b.Keys)
	if b.Buckets > 0 {
		s += fmt.Sprintf(" in %d buckets", b.Buckets)
	}
	if len(b.Damaged) > 0 {
		s += " (unreadable: " + strings.Join(b.Damaged, "; ") + ")"
	}
	return s
}

// Repair copies every readable bucket, key and value of the database
// file src (parcels, events, the outbox, the ledger …: it walks whatever
// buckets it finds) into a new file dst, which must not exist. A damaged
// page ends the copy of the bucket it is in and is listed in the report;
// everything else is still copied. src is never written: a working copy
// is made beside dst (padded with zeros when src is truncated, so that
// reading it cannot crash the process) and removed afterwards. dst is
// an ordinary todoku database; Open adds any bucket that was lost.
func Repair(src, dst string) (RepairReport, error) {
	var rep RepairReport
	if _, err := os.Lstat(dst); err == nil {
		return rep, fmt.Errorf("store: repair: %s already exists: name a new file", dst)
	}
	work, padded, older, err := workingCopy(src, dst)
	if err != nil {
		return rep, err
	}
	defer os.Remove(work)
	rep.Padded = padded

	out, err := bolt.Open(dst, 0o600, &bolt.Options{Timeout: DefaultLockTimeout})
	if err != nil {
		return rep, fmt.Errorf("store: repair: create %s: %w", dst, err)
	}
	reports := map[string]*BucketReport{}
	rerr := copyAll(work, out, reports, false)
	if rerr != nil && older < 0 {
		_ = out.Close()
		_ = os.Remove(dst)
		return rep, fmt.Errorf("store: repair: %s cannot be read at all (%v): restore a backup instead", src, rerr)
	}
	if lost(reports) && older >= 0 {
		// The previous transaction's meta page may still lead to intact
		// pages: fill in from it whatever the newest one could not give,
		// never overwriting what it did give.
		if err := invalidateMeta(work, older); err == nil {
			rep.Older = copyAll(work, out, reports, true) == nil
		}
	}
	for _, b := range reports {
		rep.Buckets = append(rep.Buckets, *b)
	}
	sort.Slice(rep.Buckets, func(i, j int) bool { return rep.Buckets[i].Name < rep.Buckets[j].Name })
	if err := out.Close(); err != nil {
		return rep, fmt.Errorf("store: repair: close %s: %w", dst, err)
	}
	return rep, nil
}

// copyAll copies every readable bucket of the database file at path into
// out. With fill, only keys missing from out are added, and damage
// reported by an earlier pass is kept only where this pass could not
// make up for it.
func copyAll(path string, out *bolt.DB, reports map[string]*BucketReport, fill bool) error {
	in, err := openForRepair(path)
	if err != nil {
		return err
	}
	defer in.Close()
	names, nerr := bucketNames(in)
	for _, name := range names {
		br := reports[string(name)]
		if br == nil {
			br = &BucketReport{Name: string(name)}
			reports[br.Name] = br
		}
		pass := BucketReport{Name: br.Name}
		err := out.Update(func(otx *bolt.Tx) error {
			dstB, err := otx.CreateBucketIfNotExists(name)
			if err != nil {
				return err
			}
			return in.View(func(itx *bolt.Tx) error {
				copyBucket(itx.Bucket(name), dstB, string(name), &pass, fill)
				return nil
			})
		})
		if err != nil {
			pass.Damaged = append(pass.Damaged, err.Error())
		}
		br.Keys += pass.Keys
		br.Buckets += pass.Buckets
		if !fill || len(pass.Damaged) > 0 {
			br.Damaged = append(br.Damaged[:0:0], pass.Damaged...)
			if fill && len(br.Damaged) == 0 {
				br.Damaged = nil
			}
		} else {
			br.Damaged = nil
		}
	}
	if nerr != nil {
		if !fill {
			reports["(bucket list)"] = &BucketReport{Name: "(bucket list)", Damaged: []string{nerr.Error()}}
		}
		if len(names) == 0 && !fill {
			return nerr
		}
	} else if fill {
		delete(reports, "(bucket list)")
	}
	return nil
}

func lost(reports map[string]*BucketReport) bool {
	for _, b := range reports {
		if b.Lost() {
			return true
		}
	}
	return false
}

// invalidateMeta zeroes the meta page that bbolt would otherwise use, so
// that it opens the other (older) one. newer is its offset.
func invalidateMeta(path string, newer int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteAt(make([]byte, pageHeaderSize+metaLen), newer); err != nil {
		return err
	}
	return f.Close()
}

// workingCopy copies src next to dst and pads it to the length its meta
// page asks for. newer is the offset of the meta page bbolt will use
// when the other one is valid too (-1 otherwise).
func workingCopy(src, dst string) (work string, padded, newer int64, err error) {
	work, padded, err = workingCopyFile(src, dst)
	if err != nil {
		return "", 0, -1, err
	}
	newer = -1
	if f, err := os.Open(work); err == nil {
		newer = newerMeta(f)
		f.Close()
	}
	return work, padded, newer, nil
}

// newerMeta is the offset of the newer of two valid meta pages, or -1
// when only one is valid.
func newerMeta(f io.ReaderAt) int64 {
	buf := make([]byte, pageHeaderSize+metaLen)
	if _, err := f.ReadAt(buf, 0); err != nil {
		return -1
	}
	m0, ok := readMeta(buf)
	if !ok {
		return -1
	}
	if _, err := f.ReadAt(buf, int64(m0.pageSize)); err != nil {
		return -1
	}
	m1, ok := readMeta(buf)
	if !ok {
		return -1
	}
	if m1.tx > m0.tx {
		return int64(m0.pageSize)
	}
	return 0
}

func workingCopyFile(src, dst string) (string, int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", 0, fmt.Errorf("store: repair: %w", err)
	}
	defer in.Close()
	if fi, err := in.Stat(); err != nil || !fi.Mode().IsRegular() {
		return "", 0, fmt.Errorf("store: repair: %s is not a regular file", src)
	}
	m, err := fileMeta(in)
	if err != nil {
		return "", 0, fmt.Errorf("store: repair: %s: %w; nothing can be copied from it, restore a backup instead", src, err)
	}
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".repair-*")
	if err != nil {
		return "", 0, fmt.Errorf("store: repair: %w", err)
	}
	name := f.Name()
	fail := func(err error) (string, int64, error) {
		f.Close()
		os.Remove(name)
		return "", 0, fmt.Errorf("store: repair: working copy: %w", err)
	}
	n, err := io.Copy(f, in)
	if err != nil {
		return fail(err)
	}
	var padded int64
	if need := int64(m.pgid) * int64(m.pageSize); need > n && need/int64(m.pageSize) == int64(m.pgid) && need < 1<<40 {
		if err := f.Truncate(need); err != nil {
			return fail(err)
		}
		padded = need - n
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	return name, padded, nil
}

// openForRepair opens the working copy read-only, a panic inside bbolt
// being an error.
func openForRepair(path string) (db *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: DefaultLockTimeout})
}

// bucketNames lists the top-level buckets that can be read, sorted.
func bucketNames(db *bolt.DB) (names [][]byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("root page: %v", r)
		}
	}()
	err = db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			names = append(names, append([]byte(nil), name...))
			return nil
		})
	})
	sort.Slice(names, func(i, j int) bool { return string(names[i]) < string(names[j]) })
	return names, err
}

// copyBucket copies src into dst recursively. A panic while reading (a
// damaged page) ends the copy of that bucket only; what was copied stays.
func copyBucket(src, dst *bolt.Bucket, path string, rep *BucketReport, fill bool) {
	defer func() {
		if r := recover(); r != nil {
			rep.Damaged = append(rep.Damaged, fmt.Sprintf("%s: %v", path, r))
		}
	}()
	if src == nil {
		rep.Damaged = append(rep.Damaged, path+": missing")
		return
	}
	if seq := src.Sequence(); seq < dst.Sequence() {
		// keep the higher sequence
	} else if err := dst.SetSequence(seq); err != nil {
		rep.Damaged = append(rep.Damaged, fmt.Sprintf("%s: sequence: %v", path, err))
	}
	c := src.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			child := src.Bucket(k)
			if child == nil {
				continue
			}
			nb, err := dst.CreateBucketIfNotExists(k)
			if err != nil {
				rep.Damaged = append(rep.Damaged, fmt.Sprintf("%s/%q: %v", path, k, err))
				continue
			}
			rep.Buckets++
			copyBucket(child, nb, path+"/"+printable(k), rep, fill)
			continue
		}
		if fill && dst.Get(k) != nil {
			continue
		}
		if err := dst.Put(append([]byte(nil), k...), append([]byte(nil), v...)); err != nil {
			rep.Damaged = append(rep.Damaged, fmt.Sprintf("%s/%q: %v", path, k, err))
			if errors.Is(err, bolt.ErrTxClosed) {
				return
			}
			continue
		}
		rep.Keys++
	}
}

// printable is a bucket name for the report.
func printable(b []byte) string {
	s := string(b)
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return fmt.Sprintf("%x", b)
		}
	}
	return s
}
