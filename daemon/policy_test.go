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
	want := tracker.DefaultPolicy()
	want.Location = cfg.Location // the config's time_zone, Asia/Tokyo by default
	if got := Policy(cfg); got != want {
		t.Errorf("policy from default config:\n got %+v\nwant %+v", got, want)
	}
}

func TestAllowedHosts(t *testing.T) {
	if h := allowedHosts(config.APIConfig{Listen: "127.0.0.1:8347"}); h != nil {
		t.Errorf("loopback only: allowed %v, want none", h)
	}
	h := allowedHosts(config.APIConfig{Listen: "192.0.2.10:8347", AllowRemote: true})
	if len(h) == 0 || h[0] != "192.0.2.10" {
		t.Errorf("remote on a LAN address: allowed %v, want the address first", h)
	}
	for _, x := range allowedHosts(config.APIConfig{Listen: "0.0.0.0:8347", AllowRemote: true}) {
		if x == "0.0.0.0" {
			t.Errorf("the unspecified address is not a host name")
		}
	}
	h = allowedHosts(config.APIConfig{Listen: "0.0.0.0:8347", AllowRemote: true, AllowedHosts: []string{"homeserver.lan"}})
	if len(h) != 1 || h[0] != "homeserver.lan" {
		t.Errorf("configured hosts: %v", h)
	}
}
