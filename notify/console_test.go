package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestConsoleText(t *testing.T) {
	var buf bytes.Buffer
	c := NewConsole(&buf, false)
	if retry, err := c.Send(context.Background(), testMessage()); retry || err != nil {
		t.Fatalf("Send = (%v, %v)", retry, err)
	}
	got := buf.String()
	for _, want := range []string{
		"── 不在持戻り: カメラレンズ（ヤマト運輸）  [priority 1]",
		"   持戻（ご不在）\n   ☎ 0120-01-9625\n",
		"🔗 再配達を依頼（ヤマト運輸） <https://toi.kuronekoyamato.co.jp/cgi-bin/tneko>",
		"timestamp 1795410120 (2026-11-23T14:02:00+09:00)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestConsoleJSONLines(t *testing.T) {
	var buf bytes.Buffer
	c := NewConsole(&buf, true)
	m := testMessage()
	m.Priority, m.Retry, m.Expire = PriorityEmergency, time.Minute, time.Hour
	for range 2 {
		if _, err := c.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("lines = %d, want 2:\n%s", len(lines), buf.String())
	}
	var got consoleRecord
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	want := consoleRecord{
		Title: m.Title, Message: m.Body, URL: m.URL, URLTitle: m.URLTitle, Priority: 2,
		Timestamp: m.Timestamp.Unix(), Retry: 60, Expire: 3600,
		Kind: KindDeliveryFailed, Number: "123456789012", Carrier: "yamato", Phone: "0120-01-9625",
	}
	if got != want {
		t.Errorf("record =\n %+v\nwant\n %+v", got, want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestConsoleErrors(t *testing.T) {
	if retry, err := NewConsole(failWriter{}, false).Send(context.Background(), testMessage()); !retry || err == nil {
		t.Errorf("write failure: (%v, %v), want retryable error", retry, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	if _, err := NewConsole(&buf, false).Send(ctx, testMessage()); !errors.Is(err, context.Canceled) || buf.Len() != 0 {
		t.Errorf("cancelled: err %v, wrote %q", err, buf.String())
	}
}

func TestDedupKey(t *testing.T) {
	base := failedNotice()
	same := base
	same.Label = "another label" // the user's label is not part of the news
	later := base
	later.Event.Time = later.Event.Time.Add(time.Hour)
	other := base
	other.Kind = KindAwaitingPickup
	if DedupKey(base) != DedupKey(same) {
		t.Errorf("same event, different keys")
	}
	for name, n := range map[string]Notice{"later": later, "other kind": other} {
		if DedupKey(n) == DedupKey(base) {
			t.Errorf("%s: same key %q", name, DedupKey(n))
		}
	}
	if k := DedupKey(base); !strings.HasPrefix(k, "delivery_failed:yamato:123456789012:") {
		t.Errorf("key = %q", k)
	}
}
