package systemd

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// NewLogHandler returns the daemon's slog handler writing to w. When w is
// the stream named by $JOURNAL_STREAM (its device and inode match, as
// systemd.exec(5) asks), each line starts with an sd-daemon priority prefix
// — <3> error, <4> warning, <6> info, <7> debug — and carries no timestamp or
// level, because the journal records both. Otherwise it is a plain
// slog.TextHandler with timestamps.
func NewLogHandler(w io.Writer, level slog.Leveler) slog.Handler {
	if isJournalStream(w, os.Getenv("JOURNAL_STREAM")) {
		return newJournalHandler(w, level)
	}
	return slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})
}

// isJournalStream reports whether w is an open file whose "dev:ino" equals
// env, the value of $JOURNAL_STREAM.
func isJournalStream(w io.Writer, env string) bool {
	if env == "" {
		return false
	}
	devText, inoText, ok := strings.Cut(env, ":")
	if !ok {
		return false
	}
	dev, err1 := strconv.ParseUint(devText, 10, 64)
	ino, err2 := strconv.ParseUint(inoText, 10, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	f, ok := w.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return false
	}
	return uint64(st.Dev) == dev && uint64(st.Ino) == ino
}

// Priority returns the sd-daemon(3) priority for a slog level: 3 for error
// and above, 4 for warnings, 6 for info and 7 for debug.
func Priority(l slog.Level) int {
	switch {
	case l >= slog.LevelError:
		return 3
	case l >= slog.LevelWarn:
		return 4
	case l >= slog.LevelInfo:
		return 6
	default:
		return 7
	}
}

// journalHandler formats a record with slog.TextHandler, minus time and
// level, into a buffer, then writes "<N>" plus the line in one Write so
// concurrent records never interleave.
type journalHandler struct {
	inner slog.Handler
	out   *journalOut
}

// journalOut is the state shared by a journalHandler and those derived from
// it with WithAttrs and WithGroup.
type journalOut struct {
	mu  sync.Mutex
	buf bytes.Buffer
	w   io.Writer
}

func newJournalHandler(w io.Writer, level slog.Leveler) *journalHandler {
	out := &journalOut{w: w}
	inner := slog.NewTextHandler(&out.buf, &slog.HandlerOptions{
		Level: level,
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && (a.Key == slog.TimeKey || a.Key == slog.LevelKey) {
				return slog.Attr{}
			}
			return a
		},
	})
	return &journalHandler{inner: inner, out: out}
}

func (h *journalHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

func (h *journalHandler) Handle(ctx context.Context, r slog.Record) error {
	h.out.mu.Lock()
	defer h.out.mu.Unlock()
	h.out.buf.Reset()
	h.out.buf.WriteString("<" + strconv.Itoa(Priority(r.Level)) + ">")
	if err := h.inner.Handle(ctx, r); err != nil {
		return err
	}
	_, err := h.out.w.Write(h.out.buf.Bytes())
	return err
}

func (h *journalHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &journalHandler{inner: h.inner.WithAttrs(attrs), out: h.out}
}

func (h *journalHandler) WithGroup(name string) slog.Handler {
	return &journalHandler{inner: h.inner.WithGroup(name), out: h.out}
}
