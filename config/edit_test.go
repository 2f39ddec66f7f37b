package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConfig(t *testing.T, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const editBase = `# my todoku
notify:
  notifier: console   # for now

parcels:
  # the lens
  - number: 4321-0987-6542
    label: lens

  - number: "3600 1234 5674"   # books
    carrier: sagawa
    # keep quiet about this one
    events: {delivered: {enabled: false}}

# polling
schedule: "*/5 * * * *"
`

func TestAddParcel(t *testing.T) {
	clearEnv(t)
	tests := []struct {
		name, before, number, label, carrier, after string
	}{
		{"list in the middle", editBase, "５１２３４５６７８９０２", "Printer ink: black", "japanpost",
			strings.Replace(editBase, "    events: {delivered: {enabled: false}}\n",
				"    events: {delivered: {enabled: false}}\n  - number: 5123-4567-8902\n    label: 'Printer ink: black'\n    carrier: japanpost\n", 1)},
		{"list last with trailing comments", "notify: {notifier: console}\nparcels:\n- number: 432109876542\n  label: lens\n\n# - number: 000\n",
			"360012345674", "", "",
			"notify: {notifier: console}\nparcels:\n- number: 432109876542\n  label: lens\n- number: 3600-1234-5674\n\n# - number: 000\n"},
		{"empty list key", "notify: {notifier: console}\nparcels:\n# none yet\nschedule: '@every 5m'\n", "432109876542", "本", "",
			"notify: {notifier: console}\nparcels:\n  - number: 4321-0987-6542\n    label: 本\n# none yet\nschedule: '@every 5m'\n"},
		{"empty flow list with comment", "notify: {notifier: console}\nparcels: []   # none yet\n", "432109876542", "", "",
			"notify: {notifier: console}\nparcels: # none yet\n  - number: 4321-0987-6542\n"},
		{"no parcels key", "notify: {notifier: console}\n", "432109876542", "yes", "",
			"notify: {notifier: console}\nparcels:\n  - number: 4321-0987-6542\n    label: \"yes\"\n"},
		{"bare numbers", "notify: {notifier: console}\nparcels:\n- 432109876542\n", "360012345674", "", "",
			"notify: {notifier: console}\nparcels:\n- 432109876542\n- number: 3600-1234-5674\n"},
		{"crlf", "notify: {notifier: console}\r\nparcels:\r\n  - number: 432109876542\r\n", "360012345674", "", "",
			"notify: {notifier: console}\r\nparcels:\r\n  - number: 432109876542\r\n  - number: 3600-1234-5674\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.before, 0o640)
			p, err := AddParcel(path, tt.number, tt.label, tt.carrier)
			if err != nil {
				t.Fatalf("AddParcel: %v", err)
			}
			if got := readString(t, path); got != tt.after {
				t.Errorf("file after AddParcel:\n%s\nwant:\n%s", got, tt.after)
			}
			if p.Label != tt.label || p.Carrier != tt.carrier || p.Number == "" || p.Line == 0 {
				t.Errorf("returned parcel %+v", p)
			}
			fi, err := os.Stat(path)
			if err != nil || fi.Mode().Perm() != 0o640 {
				t.Errorf("mode after edit: %v, %v; want 0640", fi.Mode(), err)
			}
			if err := RemoveParcel(path, tt.number); err != nil {
				t.Fatalf("RemoveParcel: %v", err)
			}
			// Removing the last parcel leaves "parcels: []" (none on purpose).
			want := tt.before
			if tt.name == "empty list key" {
				want = strings.Replace(want, "parcels:\n", "parcels: []\n", 1)
			}
			if got := readString(t, path); got != want && tt.name != "empty flow list with comment" && tt.name != "no parcels key" {
				t.Errorf("add then remove changed the file:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestAddParcelRefuses(t *testing.T) {
	clearEnv(t)
	tests := []struct {
		name, before, number, carrier string
		is                            error
		msg                           string
	}{
		{"order number", editBase, "250-1234567-1234567", "", ErrOrderNumber, `config: add: "250-1234567-1234567": ` + identifyMsg("250-1234567-1234567")},
		{"bad check digit", editBase, "4321-0987-6543", "", ErrInvalidNumber, `config: add: "4321-0987-6543": ` + identifyMsg("4321-0987-6543")},
		{"duplicate", editBase, "４３２１０９８７６５４２", "", ErrDuplicateParcel, `config: add: 4321-0987-6542 is already in `},
		{"carrier mismatch", editBase, "512345678902", "amazon", ErrCarrierMismatch, `config: add: carrier "amazon": number 512345678902 does not fit amazon`},
		{"flow list", "notify: {notifier: console}\nparcels: [{number: 432109876542}]\n", "360012345674", "", nil, "config: add: parcels is written in flow style"},
		{"broken file", "notify: {notifier: console}\nnight: late\n", "360012345674", "", ErrType, "config: add: fix the config first:\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.before, 0o644)
			_, err := AddParcel(path, tt.number, "", tt.carrier)
			if err == nil {
				t.Fatal("AddParcel succeeded, want an error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v: want errors.Is %v", err, tt.is)
			}
			if !strings.HasPrefix(err.Error(), tt.msg) {
				t.Errorf("error\n got: %v\nwant prefix: %s", err, tt.msg)
			}
			if got := readString(t, path); got != tt.before {
				t.Errorf("file changed after a refused add:\n%s", got)
			}
		})
	}
}

func TestRemoveParcel(t *testing.T) {
	clearEnv(t)
	tests := []struct {
		name, before, number, after string
	}{
		{"first, keeping the next item's comment", editBase, "432109876542",
			strings.Replace(editBase, "  # the lens\n  - number: 4321-0987-6542\n    label: lens\n\n", "  # the lens\n", 1)},
		{"last, keeping the section comment after it", editBase, "３６００－１２３４－５６７４",
			strings.Replace(editBase, "  - number: \"3600 1234 5674\"   # books\n    carrier: sagawa\n    # keep quiet about this one\n    events: {delivered: {enabled: false}}\n\n", "", 1)},
		{"the only one", "notify: {notifier: console}\nparcels:\n  - {number: 432109876542, label: lens}\n", "4321 0987 6542",
			"notify: {notifier: console}\nparcels: []\n"},
		{"bare numbers", "notify: {notifier: console}\nparcels:\n  - 432109876542\n  - 360012345674  # books\n", "360012345674",
			"notify: {notifier: console}\nparcels:\n  - 432109876542\n"},
		{"dash on its own line", "notify: {notifier: console}\nparcels:\n  -\n    number: 432109876542\n  - number: 360012345674\n", "432109876542",
			"notify: {notifier: console}\nparcels:\n  - number: 360012345674\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.before, 0o600)
			if err := RemoveParcel(path, tt.number); err != nil {
				t.Fatalf("RemoveParcel: %v", err)
			}
			if got := readString(t, path); got != tt.after {
				t.Errorf("file after RemoveParcel:\n%s\nwant:\n%s", got, tt.after)
			}
		})
	}
}

// TestRemoveRepairs removes a mistyped number from a file that does not
// load because of it.
func TestRemoveRepairs(t *testing.T) {
	clearEnv(t)
	path := writeConfig(t, "notify: {notifier: console}\nparcels:\n  - number: 4321-0987-6543\n    label: typo\n  - number: 360012345674\n", 0o644)
	if _, err := LoadFile(path); !errors.Is(err, ErrInvalidNumber) {
		t.Fatalf("the broken file loads: %v", err)
	}
	if err := RemoveParcel(path, "4321 0987 6543"); err != nil {
		t.Fatalf("RemoveParcel: %v", err)
	}
	if got, want := readString(t, path), "notify: {notifier: console}\nparcels:\n  - number: 360012345674\n"; got != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
	// A file broken elsewhere stays broken: the removal is refused.
	broken := "notify: {notifier: console}\nnight: late\nparcels:\n  - 360012345674\n"
	path = writeConfig(t, broken, 0o644)
	if err := RemoveParcel(path, "360012345674"); err == nil || !strings.Contains(err.Error(), "would not load") {
		t.Errorf("RemoveParcel on a file broken elsewhere: %v, want a refusal", err)
	}
	if got := readString(t, path); got != broken {
		t.Errorf("file changed:\n%s", got)
	}
}

func TestRemoveParcelNotFound(t *testing.T) {
	clearEnv(t)
	path := writeConfig(t, editBase, 0o644)
	err := RemoveParcel(path, "512345678902")
	if !errors.Is(err, ErrParcelNotFound) {
		t.Fatalf("RemoveParcel of a missing number: %v, want ErrParcelNotFound", err)
	}
	if got := readString(t, path); got != editBase {
		t.Errorf("file changed:\n%s", got)
	}
}

// TestEditThroughSymlink edits the file a symlinked config points to and
// leaves the link in place.
func TestEditThroughSymlink(t *testing.T) {
	clearEnv(t)
	target := writeConfig(t, "notify: {notifier: console}\n", 0o644)
	link := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if _, err := AddParcel(link, "432109876542", "", ""); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link replaced by a file: %v %v", fi.Mode(), err)
	}
	if got := readString(t, target); !strings.Contains(got, "4321-0987-6542") {
		t.Errorf("target not edited:\n%s", got)
	}
}

// TestEditIgnoresSecrets: editing must work where the daemon's systemd
// credentials are not available.
func TestEditIgnoresSecrets(t *testing.T) {
	clearEnv(t)
	path := writeConfig(t, "notify: {notifier: pushover}\n", 0o644)
	if _, err := AddParcel(path, "432109876542", "", ""); err != nil {
		t.Fatalf("AddParcel without secrets: %v", err)
	}
}
