// Package packaging holds the files an installer needs (the systemd unit)
// and the tests that keep them honest.
package packaging

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	unitFile = "todoku.service"
	// maxExposure is the highest systemd-analyze security score allowed.
	maxExposure = 2.0
	// binaryPath is where the unit expects the todoku binary.
	binaryPath = "/usr/local/bin/todoku"
)

// systemdAnalyze returns the path of systemd-analyze or skips the test.
func systemdAnalyze(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skipf("systemd-analyze not installed (Debian package systemd; .ci/install-deps.sh installs it): %v", err)
	}
	return path
}

// run runs a command with a timeout and returns its combined output and
// exit code.
func run(t *testing.T, name string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exitErr):
		return out.String(), exitErr.ExitCode()
	default:
		t.Fatalf("%s %v: %v\n%s", name, args, err, out.String())
		return "", -1
	}
}

var exposureRE = regexp.MustCompile(`Overall exposure level for \S+: ([0-9]+(?:\.[0-9]+)?) `)

// parseExposure finds the overall exposure score in systemd-analyze
// security output.
func parseExposure(out string) (float64, bool) {
	m := exposureRE.FindStringSubmatch(out)
	if m == nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(m[1], 64)
	return v, err == nil
}

func TestParseExposure(t *testing.T) {
	tests := []struct {
		name string
		out  string
		want float64
		ok   bool
	}{
		{"ok", "...\n→ Overall exposure level for todoku.service: 1.1 OK 🙂\n", 1.1, true},
		{"unsafe", "→ Overall exposure level for x.service: 9.2 UNSAFE 😨\n", 9.2, true},
		{"integer", "→ Overall exposure level for x.service: 10 UNSAFE\n", 10, true},
		{"missing", "Failed to load unit\n", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseExposure(tt.out)
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseExposure = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

// exposure scores a unit file offline.
func exposure(t *testing.T, analyze, unit string) (float64, string, int) {
	t.Helper()
	out, code := run(t, analyze, "security", "--offline=yes", "--threshold=20", unit)
	score, ok := parseExposure(out)
	if !ok {
		t.Fatalf("no overall exposure in systemd-analyze output (exit %d):\n%s", code, out)
	}
	return score, out, code
}

func TestUnitSecurityExposure(t *testing.T) {
	analyze := systemdAnalyze(t)
	score, out, code := exposure(t, analyze, unitFile)
	t.Logf("systemd-analyze security: %s exposure %.1f", unitFile, score)
	if score > maxExposure {
		t.Errorf("exposure = %.1f, want ≤ %.1f\n%s", score, maxExposure, failingLines(out))
	}
	if code != 0 {
		t.Errorf("systemd-analyze security --threshold=20 exit code = %d, want 0", code)
	}
}

// TestExposureCheckCanFail scores a bare unit to prove the parsing and the
// threshold really reject an unhardened service.
func TestExposureCheckCanFail(t *testing.T) {
	analyze := systemdAnalyze(t)
	bare := filepath.Join(t.TempDir(), "bare.service")
	if err := os.WriteFile(bare, []byte("[Service]\nExecStart=/bin/true\nUser=nobody\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	score, _, code := exposure(t, analyze, bare)
	if score <= maxExposure || code == 0 {
		t.Errorf("bare unit: exposure %.1f exit %d, want > %.1f and a non-zero exit", score, code, maxExposure)
	}
}

// failingLines keeps the ✗ lines of systemd-analyze security output.
func failingLines(out string) string {
	var b strings.Builder
	for line := range strings.Lines(out) {
		if strings.HasPrefix(line, "✗") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// TestUnitVerify runs systemd-analyze verify on a copy of the unit whose
// binary path points at a stub, since verify insists that ExecStart=
// binaries exist. Any warning about the unit (unknown key, bad value) fails.
func TestUnitVerify(t *testing.T) {
	analyze := systemdAnalyze(t)
	dir := t.TempDir()
	stub := filepath.Join(dir, "todoku")
	if err := os.WriteFile(stub, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	unit, err := os.ReadFile(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(unit, []byte(binaryPath+" ")) {
		t.Fatalf("%s does not run %s", unitFile, binaryPath)
	}
	copyPath := filepath.Join(dir, unitFile)
	if err := os.WriteFile(copyPath, bytes.ReplaceAll(unit, []byte(binaryPath), []byte(stub)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := run(t, analyze, "verify", copyPath)
	var warnings []string
	for line := range strings.Lines(out) {
		if strings.Contains(line, unitFile) {
			warnings = append(warnings, strings.TrimSpace(line))
		}
	}
	if code != 0 || len(warnings) > 0 {
		t.Errorf("systemd-analyze verify: exit %d, warnings:\n%s\noutput:\n%s", code, strings.Join(warnings, "\n"), out)
	}
}

// unitSettings parses a unit file into section → key → values.
func unitSettings(t *testing.T, path string) map[string]map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]map[string][]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = strings.Trim(line, "[]")
			out[section] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || section == "" {
				t.Fatalf("%s: malformed line %q", path, line)
			}
			out[section][k] = append(out[section][k], v)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestUnitContents checks, without systemd, the settings the design relies
// on; systemd-analyze cannot know that reload must validate first or that
// secrets arrive as credentials.
func TestUnitContents(t *testing.T) {
	svc := unitSettings(t, unitFile)["Service"]
	config := " --config ${CONFIGURATION_DIRECTORY}/config.yaml"
	tests := []struct {
		key  string
		want []string
	}{
		{"Type", []string{"notify"}},
		{"NotifyAccess", []string{"main"}},
		{"ExecStart", []string{binaryPath + " run" + config}},
		{"ExecReload", []string{binaryPath + " check" + config, "/bin/kill -HUP $MAINPID"}},
		{"WatchdogSec", []string{"60s"}},
		{"DynamicUser", []string{"yes"}},
		{"StateDirectory", []string{"todoku"}},
		{"ConfigurationDirectory", []string{"todoku"}},
		{"LoadCredential", []string{"pushover_token:/etc/todoku/secrets/pushover_token", "pushover_user:/etc/todoku/secrets/pushover_user"}},
		{"ProtectSystem", []string{"strict"}},
		{"ProtectHome", []string{"yes"}},
		{"PrivateTmp", []string{"yes"}},
		{"NoNewPrivileges", []string{"yes"}},
		{"RestrictAddressFamilies", []string{"AF_INET AF_INET6 AF_UNIX"}},
		{"SystemCallFilter", []string{"@system-service", "~@privileged @resources"}},
		{"CapabilityBoundingSet", []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := svc[tt.key]; !slices.Equal(got, tt.want) {
				t.Errorf("%s = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
	for _, forbidden := range []string{"Environment", "EnvironmentFile", "User", "ReloadSignal"} {
		if v, ok := svc[forbidden]; ok {
			t.Errorf("%s=%q set: secrets come from LoadCredential, the user is dynamic, and ReloadSignal needs systemd 253", forbidden, v)
		}
	}
}
