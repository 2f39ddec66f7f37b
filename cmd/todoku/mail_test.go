package main

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

const mailCorpus = "../../mail/testdata"

func TestCmdMailFiles(t *testing.T) {
	split := filepath.Join(mailCorpus, "yodobashi_split.eml")
	orders := filepath.Join(mailCorpus, "amazon_order_only.eml")
	tests := []struct {
		name    string
		args    []string
		code    int
		numbers []string
	}{
		{"a split shipment", []string{"--json", split}, 0, []string{"230947166531", "711029384656"}},
		{"flags after files", []string{split, "--json"}, 0, []string{"230947166531", "711029384656"}},
		{"order numbers only", []string{"--json", orders}, 1, nil},
		{"an unreadable file among readable ones", []string{"--json", split, filepath.Join(t.TempDir(), "missing.eml")}, 2, []string{"230947166531", "711029384656"}},
		{"no files", []string{"--json"}, 2, nil},
		{"--imap without --dry-run", []string{"--imap"}, 2, nil},
		{"--imap with files", []string{"--imap", "--dry-run", split}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cmdMail(tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit code = %d, want %d (stderr %q)", code, tt.code, stderr.String())
			}
			if stdout.Len() == 0 {
				return
			}
			got := decodeMailJSON(t, stdout.Bytes())
			var nums []string
			for _, f := range got {
				nums = append(nums, f["number"].(string))
			}
			if !slices.Equal(nums, tt.numbers) {
				t.Errorf("numbers = %q, want %q", nums, tt.numbers)
			}
		})
	}
}

// decodeMailJSON checks the output is an array of objects with exactly
// the documented fields.
func decodeMailJSON(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var raw []map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("output is not a JSON array: %v\n%s", err, b)
	}
	want := []string{"carriers", "file", "label", "message_id", "number", "shop", "subject"}
	for i, obj := range raw {
		var keys []string
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, want) {
			t.Errorf("object %d has fields %q, want %q", i, keys, want)
		}
		if _, ok := obj["carriers"].([]any); !ok {
			t.Errorf("object %d carriers = %v, want an array", i, obj["carriers"])
		}
	}
	return raw
}

func TestCmdMailText(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := cmdMail([]string{filepath.Join(mailCorpus, "mercari_html_only.eml")}, &stdout, &stderr)
	want := "620455189373 (yamato, japanpost, sagawa) ニンテンドースイッチ用 プロコントローラー (メルカリ)"
	if code != 0 || !strings.Contains(stdout.String(), want) {
		t.Errorf("exit %d, output %q; want 0 and %q", code, stdout.String(), want)
	}
}

// TestCmdMailIMAPDryRun reads a loopback in-memory IMAP server named in
// a config file, and leaves every message unseen.
func TestCmdMailIMAPDryRun(t *testing.T) {
	mem := imapmemserver.New()
	user := imapmemserver.NewUser("u@example.jp", "pw")
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	for _, name := range []string{"rakuten_iso2022jp.eml", "amazon_order_only.eml"} {
		raw, err := os.ReadFile(filepath.Join(mailCorpus, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := user.Append("INBOX", literal{bytes.NewReader(raw)}, &imap.AppendOptions{Time: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		InsecureAuth: true,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() { _ = srv.Serve(ln) })
	t.Cleanup(func() { srv.Close(); wg.Wait() })

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "imap.pass"), []byte("pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := "notify: {notifier: console}\ndatabase: " + filepath.Join(dir, "todoku.db") + "\nmail:\n  host: 127.0.0.1\n  port: " +
		strconv.Itoa(ln.Addr().(*net.TCPAddr).Port) + "\n  tls: none\n  user: u@example.jp\n  password_file: imap.pass\n"
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := cmdMail([]string{"--imap", "--dry-run", "--json", "--config", cfgPath}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit code = %d, want 0 (stderr %q)", code, stderr.String())
	}
	got := decodeMailJSON(t, stdout.Bytes())
	if len(got) != 1 || got[0]["number"] != "451299038713" || !strings.HasPrefix(got[0]["file"].(string), "imap://") {
		t.Errorf("found %v, want 451299038713 from an imap:// URL", got)
	}
	st, err := user.Status("INBOX", &imap.StatusOptions{NumUnseen: true})
	if err != nil || *st.NumUnseen != 2 {
		t.Errorf("unseen after a dry run = %v (%v), want 2", st, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "todoku.db")); !os.IsNotExist(err) {
		t.Errorf("a dry run created the database (%v)", err)
	}

	// A wrong password is a read error.
	if err := os.WriteFile(filepath.Join(dir, "imap.pass"), []byte("wrong\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	if code := cmdMail([]string{"--imap", "--dry-run", "--config", cfgPath}, &stdout, &stderr); code != 2 {
		t.Errorf("wrong password: exit %d, want 2 (stderr %q)", code, stderr.String())
	}
	if strings.Contains(stderr.String(), "wrong") {
		t.Errorf("stderr shows the password: %q", stderr.String())
	}
}

// literal is a message for the in-memory server's Append.
type literal struct{ *bytes.Reader }
