package daemon_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/todoku/todoku/api"
)

// TestReloadThatDropsEveryParcel: a config truncated to nothing (or one
// whose parcels are all gone) is refused as a reload and the running
// config stays; `parcels: []` removes them all on purpose.
func TestReloadThatDropsEveryParcel(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	a, b := trackingNumber(60), trackingNumber(61)
	site.delivered("yamato", a)
	site.delivered("japanpost", b)
	running := setup{Site: site, Parcels: []parcel{{a, "lens", "yamato"}, {b, "ink", "japanpost"}}}
	in := newInstance(t, running).start(options{})

	reload := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		return in.client.Reload(ctx)
	}
	tracked := func() int {
		ps, err := in.parcels()
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range ps {
			if p.Tracked {
				n++
			}
		}
		return n
	}
	empty := setup{Site: site}.yaml()
	tests := []struct {
		name, content string
		why           string // in the error
	}{
		// An empty file fails validation before the parcel check (no
		// notifier secrets): refused either way.
		{"truncated to 0 bytes", "", ""},
		{"only a comment", "# todoku\n", ""},
		{"parcels key left empty", strings.Replace(empty, "parcels:\n  []\n", "parcels:\n", 1), "no parcels"},
		{"parcels key gone", strings.Replace(empty, "parcels:\n  []\n", "", 1), "no parcels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(in.cfgPath, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			err := reload()
			if !errors.Is(err, api.ErrReloadRejected) || !strings.Contains(err.Error(), tt.why) {
				t.Fatalf("Reload = %v, want it rejected (%q)", err, tt.why)
			}
			if n := tracked(); n != 2 {
				t.Errorf("%d parcels tracked after the refused reload, want 2", n)
			}
		})
	}
	// On purpose: accepted.
	in.write(setup{Site: site})
	if err := reload(); err != nil {
		t.Fatalf("Reload with parcels: [] = %v", err)
	}
	if n := tracked(); n != 0 {
		t.Errorf("%d parcels tracked after parcels: [], want 0", n)
	}
}
