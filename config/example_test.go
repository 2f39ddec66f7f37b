package config

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/todoku/todoku/internal/testutil"
)

// TestExampleLoads proves config.example.yaml runs as-is: it loads with no
// secrets in the environment and has the documented values.
func TestExampleLoads(t *testing.T) {
	t.Setenv("TODOKU_PUSHOVER_TOKEN", "")
	t.Setenv("TODOKU_PUSHOVER_USER", "")
	t.Setenv("CREDENTIALS_DIRECTORY", "")
	t.Setenv("STATE_DIRECTORY", "/var/lib/todoku")
	path := filepath.Join(testutil.RepoRoot(t), "config.example.yaml")
	c, err := LoadFile(path)
	if err != nil {
		t.Fatalf("LoadFile(%s): %v", path, err)
	}
	if c.Notify.Notifier != "console" {
		t.Errorf("notifier = %q, want console (the demo runs without secrets)", c.Notify.Notifier)
	}
	if got, want := c.Database, "/var/lib/todoku/todoku.db"; got != want {
		t.Errorf("database = %q, want %q", got, want)
	}
	if len(c.Parcels) < 2 || len(c.Parcels) > 3 {
		t.Errorf("got %d parcels, want 2–3 samples", len(c.Parcels))
	}
	for _, p := range c.Parcels {
		if p.Number == "" || len(p.Candidates) == 0 || p.Line == 0 {
			t.Errorf("parcel %+v: want a number, candidates and a line", p)
		}
	}
	// The example's values are the defaults: loading it must equal loading nothing but its parcels.
	d, err := Load([]byte("notify: {notifier: console}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Cadence != d.Cadence || c.Night != d.Night || c.Notify.QuietHours != d.Notify.QuietHours ||
		c.Schedule != d.Schedule || !reflect.DeepEqual(c.API, d.API) || c.Retention != d.Retention ||
		c.StaleAfter != d.StaleAfter || c.NotFoundTooLong != d.NotFoundTooLong ||
		c.Notify.EmergencyRetry != d.Notify.EmergencyRetry || c.Notify.EmergencyExpire != d.Notify.EmergencyExpire {
		t.Errorf("example values differ from the defaults:\nexample %+v\ndefault %+v", c, d)
	}
	for name, cc := range c.Carriers {
		if cc != d.Carriers[name] {
			t.Errorf("carriers.%s = %+v, default %+v", name, cc, d.Carriers[name])
		}
	}
	if c.Location.String() != "Asia/Tokyo" || c.Cadence.OutForDelivery != 10*time.Minute {
		t.Errorf("location %v, out_for_delivery %v", c.Location, c.Cadence.OutForDelivery)
	}
}
