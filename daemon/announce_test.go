package daemon_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/todoku/todoku/config"
	"github.com/todoku/todoku/notify"
)

// setNotify replaces the notify: section's first line in in's config
// with text (which must start with "notify:\n").
func setNotify(t *testing.T, in *instance, text string) {
	t.Helper()
	old, err := os.ReadFile(in.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(old), "notify:\n  notifier: console\n  quiet_hours: ~\n", text, 1)
	if cfg == string(old) {
		t.Fatal("notify section not replaced")
	}
	if err := os.WriteFile(in.cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestMailAnnouncementRetried: the announcement of a parcel added from a
// mail goes through the outbox, so Pushover being down when the mail is
// read delays it instead of losing it; it is sent at priority -1.
func TestMailAnnouncementRetried(t *testing.T) {
	t.Parallel()
	const (
		token = "azGDORePK8gMaC0QOYAMyEEuzJnyUi"
		user  = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"
	)
	var (
		mu       sync.Mutex
		refused  int
		accepted = map[string]string{} // title → priority
	)
	pushover := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		title := r.PostForm.Get("title")
		w.Header().Set("Content-Type", "application/json")
		mu.Lock()
		defer mu.Unlock()
		if strings.Contains(title, "メールから追加") && refused == 0 {
			refused++ // down for the announcement's first try
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"status":0,"errors":["down for maintenance"]}`)
			return
		}
		accepted[title] = r.PostForm.Get("priority")
		io.WriteString(w, `{"status":1,"request":"x"}`)
	}))
	t.Cleanup(pushover.Close)

	site := newCarrierSite(t)
	mbox := newIMAPServer(t)
	number := trackingNumber(85)
	failedAtYamato(site, number)
	mbox.deliver(t, shippingMail("retried", "ミラーレス一眼カメラ", number))
	in := newInstance(t, setup{Site: site, Schedule: "@every 1h", Extra: mbox.yaml("")})
	tokenFile, userFile := filepath.Join(in.dir, "token"), filepath.Join(in.dir, "user")
	os.WriteFile(tokenFile, []byte(token), 0o600)
	os.WriteFile(userFile, []byte(user), 0o600)
	setNotify(t, in, fmt.Sprintf("notify:\n  notifier: pushover\n  quiet_hours: ~\n  pushover:\n    api_url: %s/1\n    token_file: %s\n    user_file: %s\n",
		pushover.URL, tokenFile, userFile))
	in.start(options{})

	in.eventually("the announcement is sent after Pushover refused it once", func() error {
		mu.Lock()
		defer mu.Unlock()
		if refused == 0 {
			return fmt.Errorf("no announcement tried yet; accepted %q", accepted)
		}
		for title, prio := range accepted {
			if strings.HasPrefix(title, "メールから追加: ミラーレス一眼カメラ") {
				if !strings.HasSuffix(title, "（ヤマト運輸）") || prio != "-1" {
					return fmt.Errorf("announcement %q at priority %s, want the carrier named and -1", title, prio)
				}
				return nil
			}
		}
		return fmt.Errorf("accepted %q", accepted)
	})
}

// TestMailAnnouncementOff: notify.events.added_from_mail can turn the
// announcement off; the parcel is still added and its failure pushed.
func TestMailAnnouncementOff(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	mbox := newIMAPServer(t)
	number := trackingNumber(86)
	failedAtYamato(site, number)
	mbox.deliver(t, shippingMail("off", "三脚", number))
	in := newInstance(t, setup{Site: site, Schedule: "@every 1h", Extra: mbox.yaml("")})
	setNotify(t, in, "notify:\n  notifier: console\n  quiet_hours: ~\n  events:\n    added_from_mail:\n      enabled: false\n")
	in.start(options{})
	in.eventually("the failure is pushed", func() error {
		out, err := os.ReadFile(in.out)
		if err != nil {
			return err
		}
		if !strings.Contains(string(out), "持戻（ご不在）") {
			return fmt.Errorf("no delivery-failed push:\n%s", out)
		}
		return nil
	})
	in.eventually("the announcement was dropped as turned off", func() error {
		for _, l := range strings.Split(in.logs.String(), "\n") {
			if strings.Contains(l, "notice not sent") && strings.Contains(l, "kind=added_from_mail") {
				return nil
			}
		}
		return fmt.Errorf("no added_from_mail notice dropped in the log")
	})
	if out, _ := os.ReadFile(in.out); strings.Contains(string(out), "メールから追加") {
		t.Errorf("announcement sent although turned off:\n%s", out)
	}
}

// TestEventKindsMatchNotify: the config accepts a switch for every kind
// of parcel news the notifier knows (the operator notice has none), and
// for nothing else.
func TestEventKindsMatchNotify(t *testing.T) {
	var want []string
	for _, k := range notify.Kinds() {
		if k != notify.KindOperator {
			want = append(want, string(k))
		}
	}
	got := config.EventKinds()
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("config.EventKinds() = %v, want %v", got, want)
	}
}
