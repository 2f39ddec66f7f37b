package daemon

import (
	"testing"

	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/tracker"
)

// A config that says nothing about cadence must poll exactly as the
// tracker's default policy (the one the policy benchmark measures).
func TestConfigDefaultsAreTheTrackerDefaults(t *testing.T) {
	cfg, err := config.Load([]byte("notify:\n  notifier: console\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Policy(cfg), tracker.DefaultPolicy(); got != want {
		t.Errorf("policy from default config:\n got %+v\nwant %+v", got, want)
	}
}
