package amazon

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/todoku/todoku/carriers"
)

func TestTrack(t *testing.T) {
	c := New(carriers.Options{})
	if c.Name() != "amazon" || c.BatchSize() != 10 {
		t.Fatalf("Name %q BatchSize %d, want amazon 10", c.Name(), c.BatchSize())
	}
	tests := []struct {
		name    string
		numbers []string
	}{
		{"one", []string{"DA1234567890"}},
		{"batch", []string{"DA1234567890", "991234567890", "123456789012"}},
		{"none", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Track(context.Background(), tc.numbers)
			if res != nil {
				t.Errorf("results %+v, want none", res)
			}
			if !errors.Is(err, carriers.ErrNotTrackable) {
				t.Fatalf("err = %v, want ErrNotTrackable", err)
			}
			if errors.Is(err, carriers.ErrTransient) || errors.Is(err, carriers.ErrLayoutChanged) {
				t.Errorf("err %v is also transient or layout", err)
			}
			for _, want := range []string{"amazon:", "注文履歴", "配送状況を確認"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err %q lacks %q", err, want)
				}
			}
		})
	}
}

func TestTrackTooMany(t *testing.T) {
	nums := make([]string, 11)
	for i := range nums {
		nums[i] = "DA1234567890"
	}
	if _, err := New(carriers.Options{}).Track(context.Background(), nums); !errors.Is(err, carriers.ErrBatchTooLarge) {
		t.Errorf("err = %v, want ErrBatchTooLarge", err)
	}
}

func TestTrackCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := New(carriers.Options{}).Track(ctx, []string{"DA1234567890"})
	if res != nil || !errors.Is(err, context.Canceled) {
		t.Errorf("got %+v, %v; want context.Canceled", res, err)
	}
	if errors.Is(err, carriers.ErrNotTrackable) {
		t.Errorf("cancelled Track also reports ErrNotTrackable: %v", err)
	}
}

func TestContacts(t *testing.T) {
	c := Contacts()
	if c.Carrier != Name || c.Trackable || c.TrackingURL != "" || c.RedeliveryURL != "" || c.Source == "" {
		t.Errorf("contacts = %+v", c)
	}
	if c.Tracking("DA1234567890") != "" {
		t.Errorf("Tracking gives a link for an untrackable carrier")
	}
	for _, note := range []string{c.NoteJA, c.NoteEN} {
		if !strings.Contains(note, "0120-070-585") {
			t.Errorf("note %q does not name the drivers' number", note)
		}
	}
	if !strings.Contains(c.NoteJA, "注文履歴 → 配送状況を確認") {
		t.Errorf("NoteJA %q does not say where to track", c.NoteJA)
	}
	if len(c.Domains) == 0 || c.Domains[0] != "amazon.co.jp" {
		t.Errorf("domains %v", c.Domains)
	}
	wantPhones := map[string]string{"0120-899-543": "24h", "0120-999-373": "09:00-21:00"}
	for _, p := range c.Phones {
		if err := p.Hours.Validate(); err != nil {
			t.Errorf("%s: hours: %v", p.Number, err)
		}
		if w, ok := wantPhones[p.Number]; !ok || p.Hours.Weekday != w || p.Source == "" || p.Confirmed {
			t.Errorf("phone %+v unexpected", p)
		}
		delete(wantPhones, p.Number)
	}
	if len(wantPhones) != 0 {
		t.Errorf("missing phones %v", wantPhones)
	}
	for _, u := range []string{c.Tracking("x"), c.RedeliveryURL} {
		if u == "" {
			continue
		}
		if pu, err := url.Parse(u); err != nil || pu.Scheme != "https" {
			t.Errorf("url %q not https", u)
		}
	}
}

// TestCallers checks every number of DESIGN.md's "Numbers people receive
// calls or messages from" table.
func TestCallers(t *testing.T) {
	want := []struct {
		number   string
		callBack string
		sms      bool
	}{
		{"0120-070-585", carriers.CallBackUnknown, false}, // unconfirmed whether it reaches the driver
		{"011-330-3000", carriers.CallBackNo, false},
		{"022-745-6366", carriers.CallBackNo, false},
		{"0120-899-543", carriers.CallBackYes, false},
		{"0120-899-190", carriers.CallBackYes, false},
		{"050-3032-2207", carriers.CallBackYes, false},
		{"+81-50-3032-2207", carriers.CallBackYes, false},
		{"090-9009-7540", carriers.CallBackUnknown, true},
		{"080-2158-5817", carriers.CallBackUnknown, true},
		{"010-852-6451-5445", carriers.CallBackUnknown, true},
	}
	got := map[string]carriers.Caller{}
	for _, c := range Contacts().Callers {
		if _, dup := got[c.Number]; dup {
			t.Errorf("caller %s listed twice", c.Number)
		}
		got[c.Number] = c
	}
	if len(got) != len(want) {
		t.Errorf("%d callers, want %d", len(got), len(want))
	}
	for _, w := range want {
		t.Run(w.number, func(t *testing.T) {
			c, ok := got[w.number]
			if !ok {
				t.Fatalf("caller %s missing", w.number)
			}
			if c.CallBack != w.callBack || c.SMS != w.sms || c.Who == "" || c.Source == "" || c.Confirmed {
				t.Errorf("caller %+v; want callback=%q sms=%v, a who, a source, unconfirmed", c, w.callBack, w.sms)
			}
			if c.SMS && !strings.Contains(c.Note, "なりすまし") {
				t.Errorf("SMS sender note %q does not warn about spoofing", c.Note)
			}
			if (w.number == "011-330-3000" || w.number == "022-745-6366") && !strings.Contains(c.Note, "つながりません") {
				t.Errorf("callback number note %q does not say calling back fails", c.Note)
			}
		})
	}
}
