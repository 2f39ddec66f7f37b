package mail

import (
	"encoding/binary"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// State remembers, per folder, the UIDVALIDITY it was read under and the
// highest UID handled. A folder never seen loads as (0, 0).
type State interface {
	Load(folder string) (uidValidity, lastUID uint32, err error)
	Save(folder string, uidValidity, lastUID uint32) error
}

// stateBucket is the bbolt bucket BoltState keeps its records in.
var stateBucket = []byte("mail_state")

// BoltState is a State in its own bucket ("mail_state") of a bbolt
// database the caller owns and closes. Its keys are the account and the
// folder, so one database can serve several mailboxes.
type BoltState struct {
	db      *bolt.DB
	account string
}

var _ State = (*BoltState)(nil)

// NewBoltState returns the state of one account (for instance
// "user@imap.example.com:993") in db, creating its bucket.
func NewBoltState(db *bolt.DB, account string) (*BoltState, error) {
	err := db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(stateBucket)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("mail: state bucket: %w", err)
	}
	return &BoltState{db: db, account: account}, nil
}

func (s *BoltState) key(folder string) []byte {
	return []byte(s.account + "\x00" + folder)
}

// Load returns the folder's UIDVALIDITY and last UID, or zeros.
func (s *BoltState) Load(folder string) (uidValidity, lastUID uint32, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(stateBucket)
		if b == nil {
			return nil
		}
		v := b.Get(s.key(folder))
		if len(v) != 8 {
			return nil
		}
		uidValidity, lastUID = binary.BigEndian.Uint32(v), binary.BigEndian.Uint32(v[4:])
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("mail: load state of %s: %w", folder, err)
	}
	return uidValidity, lastUID, nil
}

// Save records the folder's UIDVALIDITY and last UID.
func (s *BoltState) Save(folder string, uidValidity, lastUID uint32) error {
	v := make([]byte, 8)
	binary.BigEndian.PutUint32(v, uidValidity)
	binary.BigEndian.PutUint32(v[4:], lastUID)
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(stateBucket)
		if err != nil {
			return err
		}
		return b.Put(s.key(folder), v)
	})
	if err != nil {
		return fmt.Errorf("mail: save state of %s: %w", folder, err)
	}
	return nil
}

// MemState is a State in memory, for a dry run that must not remember
// anything.
type MemState struct {
	mu sync.Mutex
	m  map[string][2]uint32
}

var _ State = (*MemState)(nil)

// Load returns what Save stored, or zeros.
func (s *MemState) Load(folder string) (uint32, uint32, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.m[folder]
	return v[0], v[1], nil
}

// Save stores the folder's UIDVALIDITY and last UID.
func (s *MemState) Save(folder string, uidValidity, lastUID uint32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string][2]uint32{}
	}
	s.m[folder] = [2]uint32{uidValidity, lastUID}
	return nil
}
