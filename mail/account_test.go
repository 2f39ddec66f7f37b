package mail

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/todoku/todoku/config"
)

// TestFromConfig loads a mail: section with config.Load and reads the
// server it names.
func TestFromConfig(t *testing.T) {
	srv := newMemServer(t, serverOptions{tls: TLSNone})
	srv.addFile(t, "INBOX", "forwarded_inline.eml", time.Now())
	t.Setenv("TODOKU_MAIL_PASSWORD", "")
	t.Setenv("CREDENTIALS_DIRECTORY", "")
	cfg, err := config.Load(fmt.Appendf(nil, "notify: {notifier: console}\nmail:\n  host: 127.0.0.1\n  port: %d\n  tls: none\n  user: %s\n  password: %s\n  idle: false\n",
		srv.port, testUser, testPassword))
	if err != nil {
		t.Fatal(err)
	}
	a := FromConfig(cfg.Mail)
	if a.IDLE || a.LookBack != config.DefaultMailLookBack || !slices.Equal(a.Folders, []string{"INBOX"}) || a.Password != testPassword {
		t.Errorf("account = %+v", a)
	}
	if got, want := a.StateKey(), testUser+"@"+srv.addr(); got != want {
		t.Errorf("StateKey = %q, want %q", got, want)
	}
	c := newCollector()
	if err := newTestPoller(t, a, &MemState{}, c).Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := c.take(); !slices.Equal(got, []string{"550123477816"}) {
		t.Errorf("found %q, want 550123477816", got)
	}
}
