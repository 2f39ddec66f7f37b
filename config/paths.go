package config

import (
	"os"
	"path/filepath"
	"strings"
)

// DefaultPath returns the config file to use when none is given:
// $TODOKU_CONFIG, else $CONFIGURATION_DIRECTORY/config.yaml (set by
// systemd's ConfigurationDirectory=), else /etc/todoku/config.yaml.
func DefaultPath() string {
	if p := os.Getenv("TODOKU_CONFIG"); p != "" {
		return p
	}
	if d := firstDir(os.Getenv("CONFIGURATION_DIRECTORY")); d != "" {
		return filepath.Join(d, "config.yaml")
	}
	return "/etc/todoku/config.yaml"
}

// ServiceDatabase is where the systemd service keeps its database
// (StateDirectory=todoku).
const ServiceDatabase = "/var/lib/todoku/todoku.db"

// defaultDatabase returns $STATE_DIRECTORY/todoku.db (inside the service),
// else the service's database when it exists (so `todoku list`, `show`
// and `backup` run from a shell find it), else
// $XDG_STATE_HOME/todoku/todoku.db, else ~/.local/state/todoku/todoku.db
// (or ./todoku.db when there is no home directory).
func defaultDatabase(getenv func(string) string) string {
	if d := firstDir(getenv("STATE_DIRECTORY")); d != "" {
		return filepath.Join(d, "todoku.db")
	}
	if _, err := os.Stat(ServiceDatabase); err == nil {
		return ServiceDatabase
	}
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "todoku", "todoku.db")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "state", "todoku", "todoku.db")
	}
	return "todoku.db"
}

// firstDir returns the first entry of a colon-separated systemd directory list.
func firstDir(list string) string {
	d, _, _ := strings.Cut(list, ":")
	return d
}

// resolvePath makes p absolute against base ("" keeps it relative to the
// working directory) and expands a leading "~/".
func resolvePath(p, base string, getenv func(string) string) string {
	if p == "" {
		return ""
	}
	if strings.HasPrefix(p, "~/") {
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, p[2:])
		}
	}
	if filepath.IsAbs(p) || base == "" {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}
