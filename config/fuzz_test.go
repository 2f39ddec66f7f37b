package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/todoku/todoku/internal/testutil"
)

// FuzzLoad checks that Load never panics, that every failure is an
// ErrorList of positioned errors wrapping a sentinel, and that every
// success is fully resolved.
func FuzzLoad(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join(testutil.RepoRoot(f), "config.example.yaml")); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		"", "~", "[]", "notify: {notifier: console}\n",
		"notify:\n\tnotifier: console\n",
		"schedule: 'TZ='\n", "schedule: 'CRON_TZ=Asia/Tokyo'\n", "schedule: '@every -1s'\n",
		"night: &a {start: '23:00'}\nquiet: *a\n",
		"parcels:\n  - number: 250-1234567-1234567\n  - number: ４３２１－０９８７－６５４２\n",
		"carriers: {yamato: {contacts: {phones: [{number: 0120-01-9625, kind: landline, hours: {weekday: '8:00-21:00'}}]}}}\n",
		"notify: {pushover: {token_file: /dev/zero, user_file: /proc/self/status}}\n",
		"api: {listen: '[::1]:80'}\n", "a: [\n", "---\n---\n",
		"\xff\xfes\x00c\x00", "\xff\xfe\xff\xfen\x00", "n\x00o\x00", "a: b\x00\n", "a: \xff\n", "[[[[[[[[",
		"schedule: '@every 1ns'\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Load(data)
		if err != nil {
			var l ErrorList
			if !errors.As(err, &l) || len(l) == 0 {
				t.Fatalf("error %v (%T): want a non-empty ErrorList", err, err)
			}
			for _, e := range l {
				if e.Err == nil || e.Msg == "" {
					t.Fatalf("error %#v: want a sentinel and a message", e)
				}
				if errors.Is(e, ErrSyntax) && e.Line == 0 {
					t.Fatalf("syntax error without a line: %v", e)
				}
			}
			return
		}
		if c.Location == nil || c.Database == "" || len(c.Carriers) != len(CarrierNames()) {
			t.Fatalf("config not resolved: location %v database %q carriers %d", c.Location, c.Database, len(c.Carriers))
		}
		for _, p := range c.Parcels {
			if p.Number == "" || len(p.Candidates) == 0 {
				t.Fatalf("parcel %+v: want a number and candidates", p)
			}
		}
	})
}
