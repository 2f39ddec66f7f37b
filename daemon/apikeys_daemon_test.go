package daemon_test

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A running daemon shows a parcel that only UPS could know as waiting for
// a key (API and status page), and a reload that adds a key says a
// restart is needed without logging the key.
func TestDaemonWaitsForAPIKey(t *testing.T) {
	clearAPIEnv(t)
	site := newCarrierSite(t)
	const ups = "1Z12345E0205271686"
	n := trackingNumber(300)
	site.delivered("sagawa", n)
	s := setup{Site: site, Parcels: []parcel{{ups, "shoes", ""}, {n, "ink", "sagawa"}}}
	in := newInstance(t, s).start(options{})
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	in.eventually("the ups parcel says what is missing", func() error {
		pv, err := in.client.Parcel(ctx, ups)
		if err != nil {
			return err
		}
		if pv.PollNote != "UPS: add an API key in the config" || pv.Status == "not_found" {
			return errors.New("poll note " + pv.PollNote + ", status " + pv.Status)
		}
		return nil
	})
	in.eventually("the sagawa parcel is polled", func() error {
		if site.Requests("sagawa") == 0 {
			return errors.New("sagawa not asked")
		}
		return nil
	})
	const key = "Zq8wK2pL5nR7tV3x"
	t.Setenv("TODOKU_DHL_API_KEY", key)
	in.write(s)
	in.reload <- syscall.SIGHUP
	in.eventually("the reload warns", func() error {
		if !strings.Contains(in.logs.String(), "carrier API credentials changed") {
			return errors.New("no warning yet")
		}
		return nil
	})
	time.Sleep(50 * time.Millisecond)
	if strings.Contains(in.logs.String(), key) {
		t.Error("the log shows the key")
	}
	if c := strings.Count(in.logs.String(), "parcel waits for an API key"); c != 1 {
		t.Errorf("logged the missing key %d times, want once", c)
	}
}
