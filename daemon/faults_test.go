package daemon_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/daemon"
	"github.com/todoku/todoku/store"
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

// TestStartOnDamagedDatabase: a database truncated to nothing, cut short
// or overwritten makes the daemon refuse to start with one message that
// names the file and what to do: no crash, no stack trace, and never a
// silently new empty database.
func TestStartOnDamagedDatabase(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	in := newInstance(t, setup{Site: site, Parcels: []parcel{{trackingNumber(62), "lens", "yamato"}}})
	in.start(options{})
	if err := in.stop(); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(in.setup.Database)
	if err != nil {
		t.Fatal(err)
	}
	for name, damaged := range map[string][]byte{
		"truncated to 0 bytes": {},
		// bbolt files are mostly unused space at the end (they grow in
		// large steps): cut into the pages in use.
		"cut short":   good[:3*4096],
		"overwritten": bytes.Repeat([]byte("todoku "), len(good)/7),
	} {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(in.setup.Database, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			err := daemon.Run(ctx, daemon.Options{ConfigPath: in.cfgPath, Config: fastTicks, Logger: discard(), Stdout: devNull(t)})
			if err == nil || !errors.Is(err, store.ErrDamaged) {
				t.Fatalf("Run = %v, want a damaged-database error", err)
			}
			msg := err.Error()
			for _, want := range []string{in.setup.Database + " is damaged", "todoku backup", "todoku repair"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message lacks %q: %s", want, msg)
				}
			}
			if strings.Contains(msg, "goroutine ") || strings.Contains(msg, "\n") {
				t.Errorf("message is not one line: %s", msg)
			}
			if now, _ := os.ReadFile(in.setup.Database); !bytes.Equal(now, damaged) {
				t.Error("the damaged file was changed")
			}
		})
	}
}

// TestHeldCredentials: Pushover rejects the token; every notice is held,
// health and the status page say why, and a reload with a new token
// sends what was held.
func TestHeldCredentials(t *testing.T) {
	t.Parallel()
	const (
		badToken  = "azGDORePK8gMaC0QOYAMyEEuzJnyUi"
		goodToken = "bzGDORePK8gMaC0QOYAMyEEuzJnyUj"
		user      = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"
	)
	var mu sync.Mutex
	var accepted []string
	pushover := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("token") != goodToken {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"token":"invalid","errors":["application token is invalid"],"status":0}`)
			return
		}
		mu.Lock()
		accepted = append(accepted, r.PostForm.Get("title"))
		mu.Unlock()
		io.WriteString(w, `{"status":1,"request":"x"}`)
	}))
	t.Cleanup(pushover.Close)

	site := newCarrierSite(t)
	a := trackingNumber(63)
	site.delivered("yamato", a)
	in := newInstance(t, setup{Site: site, Parcels: []parcel{{a, "lens", "yamato"}}})
	tokenFile, userFile := filepath.Join(in.dir, "token"), filepath.Join(in.dir, "user")
	os.WriteFile(tokenFile, []byte(badToken), 0o600)
	os.WriteFile(userFile, []byte(user), 0o600)
	text, _ := os.ReadFile(in.cfgPath)
	cfg := strings.Replace(string(text), "  notifier: console\n", fmt.Sprintf(
		"  notifier: pushover\n  pushover:\n    api_url: %s/1\n    token_file: %s\n    user_file: %s\n", pushover.URL, tokenFile, userFile), 1)
	if cfg == string(text) {
		t.Fatal("notifier not replaced")
	}
	if err := os.WriteFile(in.cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	// Not waiting for a healthy /healthz: the rejected credentials may
	// make it unhealthy before the first look.
	in.start(options{noWait: true})

	in.eventually("health says the notifications are held", func() error {
		h, err := in.health()
		if err != nil {
			return err
		}
		if h.Status != api.HealthUnhealthy || !strings.Contains(strings.Join(h.Reasons, "\n"), "notifications: pushover rejected the credentials") {
			return fmt.Errorf("health %s %q", h.Status, h.Reasons)
		}
		return nil
	})
	resp, err := http.Get("http://" + in.addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), "pushover rejected the credentials") {
		t.Errorf("the status page does not say the notifications are held:\n%s", page)
	}
	if !strings.Contains(in.logs.String(), "pushover rejected the credentials") {
		t.Error("the log does not say the notifications are held")
	}

	os.WriteFile(tokenFile, []byte(goodToken), 0o600)
	in.reload <- syscall.SIGHUP
	in.eventually("the held notice is sent after the reload", func() error {
		mu.Lock()
		defer mu.Unlock()
		for _, title := range accepted {
			if strings.Contains(title, "lens") {
				return nil
			}
		}
		return fmt.Errorf("accepted %q", accepted)
	})
	in.eventually("health no longer names the notifications", func() error {
		h, err := in.health()
		if err != nil {
			return err
		}
		if strings.Contains(strings.Join(h.Reasons, "\n"), "notifications:") {
			return fmt.Errorf("reasons %q", h.Reasons)
		}
		return nil
	})
}
