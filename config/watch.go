package config

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// PollInterval is how often Watch re-hashes the file even without events,
// for file systems and symlink swaps that fsnotify does not see.
const PollInterval = 30 * time.Second

// Watch calls onChange each time the content of the file at path changes,
// until ctx ends; it then returns nil. It returns an error only when the
// watch cannot be set up.
//
// It watches the file's directory (editors replace files by renaming, which
// would lose a watch on the file itself), waits until no event has arrived
// for debounce, then compares a SHA-256 of the content with the last one
// seen and calls onChange only if it differs. A missing or unreadable file
// is not a change. It also re-hashes every PollInterval. The first hash is
// taken when Watch starts, so onChange should still compare Config.Hash
// with the running config before acting. onChange runs on Watch's
// goroutine; events arriving meanwhile are handled after it returns.
func Watch(ctx context.Context, path string, debounce time.Duration, onChange func()) error {
	return watch(ctx, path, watchOptions{debounce: debounce, poll: PollInterval}, onChange)
}

type watchOptions struct {
	debounce time.Duration
	poll     time.Duration
	ready    func() // called once the watch is set up (tests)
}

func watch(ctx context.Context, path string, o watchOptions, onChange func()) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("config: watch %s: %w", path, err)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("config: watch %s: %w", path, err)
	}
	defer w.Close()
	if err := w.Add(filepath.Dir(abs)); err != nil {
		return fmt.Errorf("config: watch %s: %w", path, err)
	}
	last, _ := hashFile(abs)
	if o.ready != nil {
		o.ready()
	}
	debounce := time.NewTimer(o.debounce)
	debounce.Stop()
	poll := time.NewTicker(o.poll)
	defer poll.Stop()
	defer debounce.Stop()
	check := func() {
		h, ok := hashFile(abs)
		if ok && h != last {
			last = h
			onChange()
		}
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if filepath.Clean(ev.Name) != abs || ev.Op == fsnotify.Chmod {
				continue
			}
			debounce.Reset(o.debounce)
		case _, ok := <-w.Errors:
			if !ok {
				return nil
			}
			// Most likely an event queue overflow: events may be lost.
			debounce.Reset(o.debounce)
		case <-debounce.C:
			check()
		case <-poll.C:
			check()
		}
	}
}

// hashFile returns the SHA-256 of a file's content; ok is false when it
// cannot be read.
func hashFile(path string) (sum [32]byte, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return sum, false
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, io.LimitReader(f, maxConfigSize+1)); err != nil {
		return sum, false
	}
	copy(sum[:], h.Sum(nil))
	return sum, true
}
