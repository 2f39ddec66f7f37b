package demo

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestDemoJSON(t *testing.T) {
	var out bytes.Buffer
	stats, err := Run(context.Background(), Options{Out: &out, JSON: true, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	carriers := map[string]bool{}
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	lines := 0
	for sc.Scan() {
		lines++
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", lines, err, sc.Text())
		}
		for _, f := range []string{"kind", "number", "carrier", "title", "message", "url", "priority", "phone"} {
			// DHL has no confirmed Japan number: its message says where
			// to ask instead, and carries no phone.
			if _, ok := m[f]; !ok && !(f == "phone" && m["carrier"] == "dhl") {
				t.Errorf("line %d lacks %q: %s", lines, f, sc.Text())
			}
		}
		if m["carrier"] == "dhl" && !strings.Contains(m["message"].(string), "お問い合わせ番号") {
			t.Errorf("dhl notification lacks the number: %s", sc.Text())
		}
		kinds[m["kind"].(string)]++
		carriers[m["carrier"].(string)] = true
		// The overseas parcel links only to DHL's own site.
		if m["carrier"] == "dhl" && !strings.HasPrefix(m["url"].(string), "https://www.dhl.com/") {
			t.Errorf("dhl notification links to %q", m["url"])
		}
	}
	for _, k := range []string{"delivery_failed", "awaiting_pickup", "returned", "delivered"} {
		if kinds[k] == 0 {
			t.Errorf("no %s notification in the demo (got %v)", k, kinds)
		}
	}
	for _, c := range []string{"yamato", "japanpost", "sagawa", "dhl"} {
		if !carriers[c] {
			t.Errorf("no notification for %s", c)
		}
	}
	if stats.Notifications != lines {
		t.Errorf("stats say %d notifications, printed %d", stats.Notifications, lines)
	}
	t.Logf("%d notifications %v, %d events, requests %v", lines, kinds, stats.Events, stats.Requests)
}
