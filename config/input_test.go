package config

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"
)

func utf16LE(s string, boms int) []byte {
	var b []byte
	for range boms {
		b = append(b, 0xff, 0xfe)
	}
	for _, c := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

// TestInputErrorsNameALine: input yaml.v3 rejects without a position (or
// misreads) gives one error naming the file and a line.
func TestInputErrorsNameALine(t *testing.T) {
	clearEnv(t)
	base := "notify:\n  notifier: console\n"
	tests := []struct {
		name string
		data []byte
		want string // the whole error text after "c.yaml:"
	}{
		{"invalid UTF-8", []byte(base + "parcels:\n  - number: \"1234\xff\"\n"),
			`4:18: invalid UTF-8 (byte 0xff at offset 54): save the file as UTF-8`},
		{"NUL byte", []byte(base + "parcels:\n  - label: a\x00b\n"),
			`4:13: NUL byte at offset 49: the file is binary or damaged`},
		{"escape character", []byte(base + "parcels:\n  - label: a\x1b[31mb\n"),
			`4:13: control character U+001B: YAML does not allow it (write it as an escape in a double-quoted string)`},
		{"nesting over 10,000 on line 1", []byte(strings.Repeat("[", 10001) + strings.Repeat("]", 10001)),
			`1: syntax error: exceeded max depth of 10000`},
		{"nesting over 10,000 as a block", []byte(strings.Repeat("- ", 10001) + "x\n"),
			`1: syntax error: exceeded max depth of 10000`},
		{"nesting over 10,000 further down", []byte(base + "x: " + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + "\n"),
			`3: syntax error: exceeded max depth of 10000`},
		{"UTF-16 with a BOM", utf16LE(base, 1),
			`1:1: the file is UTF-16 (little-endian byte-order mark): todoku reads UTF-8 only; save it as UTF-8`},
		{"UTF-16 with two BOMs", utf16LE(base, 2),
			`1:1: the file is UTF-16 (two little-endian byte-order marks): todoku reads UTF-8 only; save it as UTF-8`},
		{"UTF-16 without a BOM", utf16LE(base, 0),
			`1:1: the file is UTF-16 (little-endian, no byte-order mark): todoku reads UTF-8 only; save it as UTF-8`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(tt.data, loadOptions{file: "c.yaml", getenv: func(string) string { return "" }, skipSecrets: true})
			if err == nil {
				t.Fatal("loaded")
			}
			if got := err.Error(); got != "c.yaml:"+tt.want {
				t.Errorf("got  %s\nwant c.yaml:%s", got, tt.want)
			}
			var l ErrorList
			if !errors.As(err, &l) || len(l) != 1 || l[0].Line == 0 || !errors.Is(err, ErrSyntax) {
				t.Errorf("want one ErrSyntax with a line: %#v", l)
			}
		})
	}
	// A UTF-8 byte-order mark is fine.
	if _, err := load(append([]byte("\xef\xbb\xbf"), base...), loadOptions{getenv: func(string) string { return "" }, skipSecrets: true}); err != nil {
		t.Errorf("UTF-8 with a BOM: %v", err)
	}
}

func TestScheduleMinimum(t *testing.T) {
	clearEnv(t)
	for _, spec := range []string{"@every -5m", "@every 0s", "@every 1ns", "@every 59s", "@every 1s"} {
		_, err := Load([]byte("notify: {notifier: console}\nschedule: \"" + spec + "\"\n"))
		if !errors.Is(err, ErrSchedule) || !strings.Contains(err.Error(), "under the minimum of 1m0s") {
			t.Errorf("%s: err = %v, want under the minimum", spec, err)
		}
	}
	for _, spec := range []string{"@every 1m", "@every 5m", "*/5 * * * *", "* * * * *", "@hourly"} {
		if _, err := Load([]byte("notify: {notifier: console}\nschedule: \"" + spec + "\"\n")); err != nil {
			t.Errorf("%s: %v", spec, err)
		}
	}
}

// yamatoNumber returns a valid 12-digit number: the last digit is the
// first eleven mod 7.
func yamatoNumber(i int) string {
	n := 43210000000 + int64(i)
	return fmt.Sprintf("%011d%d", n, n%7)
}

// TestConcurrentAdds: 20 `todoku add`s at once all land in the file.
func TestConcurrentAdds(t *testing.T) {
	clearEnv(t)
	path := writeConfig(t, "notify:\n  notifier: console\nparcels:\n", 0o644)
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			if _, err := AddParcel(path, yamatoNumber(i), fmt.Sprintf("parcel %d", i), ""); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	cfg, err := LoadFileWith(path, Options{SkipSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Parcels) != n {
		t.Errorf("%d of %d parcels in the file:\n%s", len(cfg.Parcels), n, readString(t, path))
	}
	// Removing them concurrently empties the list.
	for i := range n {
		wg.Go(func() {
			if err := RemoveParcel(path, yamatoNumber(i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if cfg, err := LoadFileWith(path, Options{SkipSecrets: true}); err != nil || len(cfg.Parcels) != 0 {
		t.Errorf("after removing all: %v, %v", cfg, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}
