package daemon_test

import (
	"context"
	"os"
	"strings"
	"testing"
)

// notify-test through the API sends with the daemon's own notifier (which
// under systemd holds the credentials the CLI cannot read).
func TestNotifyTestThroughDaemon(t *testing.T) {
	site := newCarrierSite(t)
	in := newInstance(t, setup{Site: site}).start(options{})
	title, err := in.client.NotifyTest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "カメラレンズ") {
		t.Errorf("title %q", title)
	}
	in.eventually("the console notifier printed the test", func() error {
		data, err := os.ReadFile(in.out)
		if err != nil {
			return err
		}
		if !strings.Contains(string(data), "0120-01-9625") {
			return os.ErrNotExist
		}
		return nil
	})
}
