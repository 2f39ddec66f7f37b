package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// editLockTimeout bounds the wait for another edit of the same file.
const editLockTimeout = 10 * time.Second

// lockEdit takes an exclusive flock(2) on a lock file beside the config
// (.NAME.lock in the same directory), waiting up to editLockTimeout, and
// returns its release. The config file itself cannot carry the lock: each
// edit renames a new file over it, and a lock on the old inode would not
// stop the next editor. Every edit reads the file only after taking the
// lock, so concurrent `todoku add`s all land. The lock file is left in
// place (removing it would race with the next locker).
func lockEdit(path string) (func(), error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, err
	}
	name := filepath.Join(filepath.Dir(real), "."+filepath.Base(real)+".lock")
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	deadline := time.Now().Add(editLockTimeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", name, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("lock %s: another edit of %s is still running after %s", name, real, editLockTimeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
