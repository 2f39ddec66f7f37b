package store

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// RepairReport says what Repair copied.
type RepairReport struct {
	// Buckets has one line per top-level bucket, by name.
	Buckets []BucketReport
	// Short is how many bytes the file lacks of the length its meta page
	// gives (a truncated file); their pages could not be read.
	Short int64
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
	// Damaged lists what could not be read (a damaged or missing page).
	Damaged []string
}

// Lost reports whether anything in the bucket could not be read.
func (b BucketReport) Lost() bool { return len(b.Damaged) > 0 }

// String is e.g. "parcels: 12 keys" or "events: 340 keys in 12 buckets
// (unreadable: …)".
func (b BucketReport) String() string {
	s := fmt.Sprintf("%s: %d keys", b.Name, b.Keys)
	if b.Buckets > 0 {
		s += fmt.Sprintf(" in %d buckets", b.Buckets)
	}
	if len(b.Damaged) > 0 {
		d := b.Damaged
		more := ""
		if len(d) > 3 {
			d, more = d[:3], fmt.Sprintf("; and %d more", len(b.Damaged)-3)
		}
		s += " (unreadable: " + strings.Join(d, "; ") + more + ")"
	}
	return s
}

// rootName is the report line for damage above any bucket.
const rootName = "(bucket list)"

// Repair copies every readable bucket, key and value of the database
// file src (parcels, events, the outbox, the ledger …: it copies whatever
// buckets it finds) into a new file dst, which must not exist. It reads
// src page by page with ReadAt (see pages), never through bbolt's memory
// map, so no damage can crash or hang it: a damaged page loses what is
// under it, its siblings are still copied, and the report lists it. When
// the newest transaction's pages are damaged, what the one before still
// reaches fills the gaps (never overwriting newer values). src is never
// written. dst is an ordinary todoku database; Open adds any bucket that
// was lost.
func Repair(src, dst string) (RepairReport, error) {
	var rep RepairReport
	if _, err := os.Lstat(dst); err == nil {
		return rep, fmt.Errorf("store: repair: %s already exists: name a new file", dst)
	}
	f, err := os.Open(src)
	if err != nil {
		return rep, fmt.Errorf("store: repair: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return rep, fmt.Errorf("store: repair: %s is not a regular file", src)
	}
	newest, older, err := bothMetas(f)
	if err != nil {
		return rep, fmt.Errorf("store: repair: %s: %w; nothing can be copied from it, restore a backup instead", src, err)
	}
	if need := int64(newest.pgid) * int64(newest.pageSize); need > fi.Size() {
		rep.Short = need - fi.Size()
	}
	out, err := bolt.Open(dst, 0o600, &bolt.Options{Timeout: DefaultLockTimeout})
	if err != nil {
		return rep, fmt.Errorf("store: repair: create %s: %w", dst, err)
	}
	reports := map[string]*BucketReport{}
	err = out.Update(func(tx *bolt.Tx) error {
		c := &copier{tx: tx, reports: reports}
		newPages(f, newest, c.visitor()).root()
		if lost(reports) && older != nil {
			// Fill in from the transaction before: its pages may be intact.
			damage := reports
			c.fill, c.reports = true, map[string]*BucketReport{}
			newPages(f, *older, c.visitor()).root()
			rep.Older = c.added > 0
			for name, b := range damage {
				if ob, ok := c.reports[name]; ok && !ob.Lost() && b.Lost() {
					b.Damaged = nil // the older tree had all of it
				}
				if ob, ok := c.reports[name]; ok {
					b.Keys += ob.Keys
					b.Buckets += ob.Buckets
				}
			}
			if r, ok := damage[rootName]; ok && c.reports[rootName] == nil && c.added > 0 {
				// The older root was readable: the bucket list is whole.
				r.Damaged = nil
				if r.Keys == 0 {
					delete(damage, rootName)
				}
			}
			for name, ob := range c.reports {
				if _, ok := damage[name]; !ok {
					damage[name] = ob
				}
			}
			c.reports = damage
		}
		reports = c.reports
		if c.err != nil {
			return c.err
		}
		// The index was copied page by page like the rest, perhaps partly
		// or from the transaction before: build it again from the parcels,
		// so that it lists exactly the active ones at their due times.
		if err := rebuildIndex(tx); err != nil {
			return err
		}
		// Parcels may be lost where the record of the last config sync
		// is not: the next sync compares every entry in full once.
		return forgetSyncDigests(tx)
	})
	if cerr := out.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(dst)
		return rep, fmt.Errorf("store: repair: write %s: %w", dst, err)
	}
	for _, b := range reports {
		rep.Buckets = append(rep.Buckets, *b)
	}
	sort.Slice(rep.Buckets, func(i, j int) bool { return rep.Buckets[i].Name < rep.Buckets[j].Name })
	return rep, nil
}

// bothMetas returns the meta page bbolt would use and, when the other
// one is valid too, that one (the transaction before).
func bothMetas(f *os.File) (newest metaInfo, older *metaInfo, err error) {
	newest, err = fileMeta(f)
	if err != nil {
		return newest, nil, err
	}
	buf := make([]byte, pageHeaderSize+metaLen)
	for _, off := range []int64{0, int64(newest.pageSize)} {
		if _, err := f.ReadAt(buf, off); err != nil {
			continue
		}
		if m, ok := readMeta(buf); ok && m.tx != newest.tx {
			return newest, &m, nil
		}
	}
	return newest, nil, nil
}

// copier writes what pages finds into the new file.
type copier struct {
	tx      *bolt.Tx
	reports map[string]*BucketReport
	fill    bool // only add keys the new file lacks
	added   int  // keys added while filling
	err     error
}

func (c *copier) visitor() pageVisitor {
	return pageVisitor{bucket: c.bucket, kv: c.kv, damage: c.damage}
}

func (c *copier) report(path [][]byte, name []byte) *BucketReport {
	top := rootName
	switch {
	case len(path) > 0:
		top = printable(path[0])
	case name != nil:
		top = printable(name)
	}
	r := c.reports[top]
	if r == nil {
		r = &BucketReport{Name: top}
		c.reports[top] = r
	}
	return r
}

// target returns the bucket at path in the new file, creating it.
func (c *copier) target(path [][]byte) (*bolt.Bucket, error) {
	if len(path) == 0 {
		return nil, errors.New("a value outside any bucket")
	}
	b, err := c.tx.CreateBucketIfNotExists(path[0])
	for _, name := range path[1:] {
		if err != nil {
			break
		}
		b, err = b.CreateBucketIfNotExists(name)
	}
	return b, err
}

func (c *copier) bucket(path [][]byte, name []byte, seq uint64) bool {
	if c.err != nil {
		return false
	}
	r := c.report(path, name)
	b, err := c.target(append(append([][]byte(nil), path...), name))
	if err != nil {
		r.Damaged = append(r.Damaged, fmt.Sprintf("bucket %q: %v", printable(name), err))
		return false
	}
	if len(path) > 0 {
		r.Buckets++
	}
	if seq > b.Sequence() {
		_ = b.SetSequence(seq)
	}
	return true
}

func (c *copier) kv(path [][]byte, k, v []byte) {
	if c.err != nil {
		return
	}
	r := c.report(path, nil)
	b, err := c.target(path)
	if err != nil {
		r.Damaged = append(r.Damaged, fmt.Sprintf("%q: %v", printable(k), err))
		return
	}
	if c.fill && b.Get(k) != nil {
		return
	}
	if err := b.Put(append([]byte(nil), k...), append([]byte(nil), v...)); err != nil {
		r.Damaged = append(r.Damaged, fmt.Sprintf("%q: %v", printable(k), err))
		return
	}
	r.Keys++
	if c.fill {
		c.added++
	}
}

func (c *copier) damage(path [][]byte, err error) {
	r := c.report(path, nil)
	r.Damaged = append(r.Damaged, err.Error())
}

func lost(reports map[string]*BucketReport) bool {
	for _, b := range reports {
		if b.Lost() {
			return true
		}
	}
	return false
}

// printable is a bucket name or key for the report.
func printable(b []byte) string {
	s := string(b)
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return fmt.Sprintf("%x", b)
		}
	}
	return s
}

// rebuildIndex replaces the due-time index with one built from the
// parcels (an unreadable parcel record is left out of it).
func rebuildIndex(tx *bolt.Tx) error {
	pb := tx.Bucket([]byte(bucketParcels))
	if pb == nil {
		return nil
	}
	for _, name := range []string{bucketDue, bucketActive} {
		if tx.Bucket([]byte(name)) != nil {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket([]byte(name)); err != nil {
			return err
		}
	}
	var active []Parcel
	err := pb.ForEach(func(_, v []byte) error {
		if p, err := decodeParcel(v); err == nil && p.Number != "" && p.Active() {
			active = append(active, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range active {
		if err := reindex(tx, p); err != nil {
			return err
		}
	}
	return nil
}

// forgetSyncDigests empties every digest recorded by SyncParcels, as the
// v5 migration does: the next sync reads each listed parcel (and writes
// the ones that are missing or differ) instead of skipping it.
func forgetSyncDigests(tx *bolt.Tx) error {
	b := tx.Bucket([]byte(bucketSynced))
	if b == nil {
		return nil
	}
	var keys [][]byte
	if err := b.ForEach(func(k, _ []byte) error {
		keys = append(keys, append([]byte(nil), k...))
		return nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := b.Put(k, []byte{}); err != nil {
			return err
		}
	}
	return nil
}
