package systemd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// slogTo returns a text logger writing to w without timestamps.
func slogTo(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

// journalFile creates a file and returns it with its "dev:ino" string.
func journalFile(t *testing.T) (*os.File, string) {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "journal"))
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	fi, err := f.Stat()
	if err != nil {
		t.Fatalf("stat: %v", err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	return f, fmt.Sprintf("%d:%d", st.Dev, st.Ino)
}

// logSample writes the same records through any handler.
func logSample(h slog.Handler) {
	logger := slog.New(h)
	logger.Debug("poll scheduled", "carrier", "yamato", "due_in", "5m0s")
	logger.Info("config loaded", "parcels", 3, "path", "/etc/todoku/config.yaml")
	logger.Warn("carrier paused", "carrier", "sagawa", "error", errors.New("layout changed: table#detail missing"))
	logger.Error("store unavailable", "error", "open state.db: timeout")
	logger.Info("multi\nline message", "raw", "持戻（ご不在）\n川崎")
	scoped := logger.With("carrier", "japanpost").WithGroup("result")
	scoped.Info("tracked", "status", "delivery_failed", "reason", "absent")
	logger.Log(context.Background(), slog.LevelError+4, "beyond error")
}

func readFile(t *testing.T, f *os.File) string {
	t.Helper()
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return string(b)
}

func TestLogHandlerJournalGolden(t *testing.T) {
	f, stream := journalFile(t)
	t.Setenv("JOURNAL_STREAM", stream)
	h := NewLogHandler(f, slog.LevelDebug)
	if _, ok := h.(*journalHandler); !ok {
		t.Fatalf("NewLogHandler = %T, want the journal handler when JOURNAL_STREAM matches", h)
	}
	logSample(h)
	got := readFile(t, f)

	golden := filepath.Join("testdata", "journal.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatalf("update golden: %v", err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if got != string(want) {
		t.Errorf("journal output mismatch\n got:\n%s\nwant:\n%s", got, want)
	}
	for i, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		if strings.Contains(line, "time=") || strings.Contains(line, "level=") {
			t.Errorf("line %d = %q, want no time= or level=", i, line)
		}
	}
}

func TestLogHandlerLevels(t *testing.T) {
	tests := []struct {
		name  string
		level slog.Level
		want  string
	}{
		{"info hides debug", slog.LevelInfo, "<6>msg=b\n<4>msg=c\n<3>msg=d\n"},
		{"warn", slog.LevelWarn, "<4>msg=c\n<3>msg=d\n"},
		{"debug shows all", slog.LevelDebug, "<7>msg=a\n<6>msg=b\n<4>msg=c\n<3>msg=d\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stream := journalFile(t)
			t.Setenv("JOURNAL_STREAM", stream)
			logger := slog.New(NewLogHandler(f, tt.level))
			logger.Debug("a")
			logger.Info("b")
			logger.Warn("c")
			logger.Error("d")
			if got := readFile(t, f); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLogHandlerNotJournal(t *testing.T) {
	f, stream := journalFile(t)
	other, _ := journalFile(t)
	tests := []struct {
		name string
		env  string
		w    *os.File
	}{
		{"unset", "", f},
		{"other inode", stream, other},
		{"garbage", "abc", f},
		{"no colon", "12345", f},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("JOURNAL_STREAM", tt.env)
			slog.New(NewLogHandler(tt.w, slog.LevelInfo)).Info("config loaded", "parcels", 3)
			got := readFile(t, tt.w)
			if !strings.HasPrefix(got, "time=") || !strings.Contains(got, `level=INFO msg="config loaded" parcels=3`) {
				t.Errorf("got %q, want a timestamped text line", got)
			}
			if strings.HasPrefix(got, "<") {
				t.Errorf("got %q, want no priority prefix", got)
			}
			if err := tt.w.Truncate(0); err != nil {
				t.Fatal(err)
			}
			if _, err := tt.w.Seek(0, io.SeekStart); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("not a file", func(t *testing.T) {
		t.Setenv("JOURNAL_STREAM", stream)
		var b strings.Builder
		slog.New(NewLogHandler(&b, slog.LevelInfo)).Info("x")
		if !strings.HasPrefix(b.String(), "time=") {
			t.Errorf("got %q, want a timestamped text line", b.String())
		}
	})
}

func TestLogHandlerConcurrentLinesDoNotInterleave(t *testing.T) {
	f, stream := journalFile(t)
	t.Setenv("JOURNAL_STREAM", stream)
	logger := slog.New(NewLogHandler(f, slog.LevelInfo))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			l := logger.With("worker", i)
			for range 50 {
				l.Info("tick", "carrier", "yamato")
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(readFile(t, f), "\n"), "\n")
	if len(lines) != 400 {
		t.Fatalf("lines = %d, want 400", len(lines))
	}
	for _, line := range lines {
		if !strings.HasPrefix(line, "<6>msg=tick worker=") || !strings.HasSuffix(line, " carrier=yamato") {
			t.Fatalf("line %q, want <6>msg=tick worker=N carrier=yamato", line)
		}
	}
}

func TestPriority(t *testing.T) {
	tests := []struct {
		level slog.Level
		want  int
	}{
		{slog.LevelDebug - 4, 7}, {slog.LevelDebug, 7}, {slog.LevelInfo, 6}, {slog.LevelInfo + 2, 6},
		{slog.LevelWarn, 4}, {slog.LevelError, 3}, {slog.LevelError + 8, 3},
	}
	for _, tt := range tests {
		t.Run(tt.level.String(), func(t *testing.T) {
			if got := Priority(tt.level); got != tt.want {
				t.Errorf("Priority(%v) = %d, want %d", tt.level, got, tt.want)
			}
		})
	}
}

func BenchmarkJournalHandler(b *testing.B) {
	logger := slog.New(newJournalHandler(io.Discard, slog.LevelInfo)).With("carrier", "yamato")
	for b.Loop() {
		logger.Info("tracked", "number", "1234-5678-9012", "status", "in_transit")
	}
}
