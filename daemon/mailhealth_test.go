package daemon_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/todoku/todoku/api"
)

// TestMailHealth: /api/health and the status page show the mail reader's
// state: a refused login is the last error, and once it has failed for
// longer than the poll interval the health is degraded with a reason;
// after a reload with the right password the last good pass shows and
// the health is ok again.
func TestMailHealth(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	mbox := newIMAPServer(t)
	good := mbox.yaml("  poll_interval: 1s\n  idle: false\n")
	bad := strings.Replace(good, "password: "+imapPassword, "password: wrong-password", 1)
	if bad == good {
		t.Fatal("password not replaced")
	}
	in := newInstance(t, setup{Site: site, Schedule: "@every 1h", Extra: bad}).start(options{noWait: true})

	in.eventually("health says the mail login is refused, degraded", func() error {
		h, err := in.health()
		if err != nil {
			return err
		}
		if h.Mail == nil || h.Mail.State != "failing" || !strings.Contains(h.Mail.LastError, "Authentication failed") || h.Mail.Since.IsZero() {
			return fmt.Errorf("mail health %+v", h.Mail)
		}
		if h.Status != api.HealthDegraded || h.OK || !strings.Contains(strings.Join(h.Reasons, "\n"), "mail: failing since") {
			return fmt.Errorf("status %s reasons %q", h.Status, h.Reasons)
		}
		return nil
	})
	resp, err := http.Get("http://" + in.addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `id="mail-health"`) || !strings.Contains(string(page), "Authentication failed") {
		t.Errorf("the status page does not show the mail error:\n%s", page)
	}

	if err := os.WriteFile(in.cfgPath, []byte(setup{Site: site, Schedule: "@every 1h", Database: in.setup.Database, Extra: good}.yaml()), 0o600); err != nil {
		t.Fatal(err)
	}
	in.reload <- os.Interrupt
	in.eventually("health shows the last good pass, ok", func() error {
		h, err := in.health()
		if err != nil {
			return err
		}
		if h.Mail == nil || h.Mail.State != "ok" || h.Mail.LastOK.IsZero() || h.Mail.LastError != "" || !strings.Contains(h.Mail.Text, "最終読み取り") {
			return fmt.Errorf("mail health %+v", h.Mail)
		}
		if h.Status != api.HealthOK || !h.OK {
			return fmt.Errorf("status %s reasons %q", h.Status, h.Reasons)
		}
		return nil
	})
}
