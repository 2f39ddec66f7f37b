package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/todoku/todoku/internal/testutil"
)

// editTestEnv hides the machine's secrets and state directory from a test.
func editTestEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"TODOKU_PUSHOVER_TOKEN", "TODOKU_PUSHOVER_USER", "CREDENTIALS_DIRECTORY", "STATE_DIRECTORY", "TODOKU_CONFIG", "CONFIGURATION_DIRECTORY"} {
		t.Setenv(k, "")
	}
	t.Setenv("HOME", t.TempDir())
}

func editTestConfig(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheck(t *testing.T) {
	editTestEnv(t)
	good := editTestConfig(t, "notify: {notifier: console}\nparcels:\n  - {number: 4321-0987-6542, label: lens}\n")
	bad := editTestConfig(t, "notify: {notifier: console}\nshedule: x\nparcels:\n  - number: 250-1234567-1234567\n")
	pushover := editTestConfig(t, "notify: {notifier: pushover}\n")
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // substrings
		stderr     []string
		stderrOnly string // exact stderr, when set
	}{
		{"positional", []string{good}, 0, []string{good + ": ok", "parcels   1", "432109876542", "lens"}, nil, ""},
		{"flag", []string{"--config", good}, 0, []string{good + ": ok"}, nil, ""},
		{"both the same", []string{"--config", good, good}, 0, []string{good + ": ok"}, nil, ""},
		{"unknown key", []string{bad}, 1, nil, nil,
			bad + ":2:1: shedule: unknown key (known here: api, cadence, carriers, database, mail, night, not_found_too_long, notify, parcels, retention, schedule, stale_after, time_zone)\n" +
				"todoku check: 1 problem in " + bad + "\n"},
		{"missing secrets", []string{pushover}, 1, nil, []string{
			pushover + ":1:9: notify.pushover.token: missing for notifier pushover",
			pushover + ":1:9: notify.pushover.user: missing",
			"todoku check: 2 problems in " + pushover,
			"check the rest with --no-secrets"}, ""},
		{"no secrets", []string{"--no-secrets", pushover}, 0, []string{"pushover (secrets not checked)"}, nil, ""},
		{"missing file", []string{filepath.Join(t.TempDir(), "nope.yaml")}, 1, nil, []string{"todoku check: config: read: open ", "no such file or directory"}, ""},
		{"two files", []string{good, bad}, 2, nil, []string{"one config file at a time"}, ""},
		{"flag and other file", []string{"--config", good, bad}, 2, nil, []string{"two config files given"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := cmdCheck(tt.args, &out, &errOut)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out.String(), errOut.String())
			}
			for _, s := range tt.stdout {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout %q: want it to contain %q", out.String(), s)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(errOut.String(), s) {
					t.Errorf("stderr %q: want it to contain %q", errOut.String(), s)
				}
			}
			if tt.stderrOnly != "" && errOut.String() != tt.stderrOnly {
				t.Errorf("stderr\n got: %q\nwant: %q", errOut.String(), tt.stderrOnly)
			}
		})
	}
}

// TestCheckDefaultPath uses $TODOKU_CONFIG when no file is named.
func TestCheckDefaultPath(t *testing.T) {
	editTestEnv(t)
	path := editTestConfig(t, "notify: {notifier: console}\n")
	t.Setenv("TODOKU_CONFIG", path)
	var out, errOut bytes.Buffer
	if code := cmdCheck(nil, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), path+": ok") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

// TestCheckExample checks the shipped example the way a user would.
func TestCheckExample(t *testing.T) {
	editTestEnv(t)
	var out, errOut bytes.Buffer
	if code := cmdCheck([]string{filepath.Join(testutil.RepoRoot(t), "config.example.yaml")}, &out, &errOut); code != 0 {
		t.Errorf("todoku check config.example.yaml: exit %d\n%s%s", code, out.String(), errOut.String())
	}
}
