package yamato

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/fake"
)

// sjisPage is a current-layout page converted to Shift_JIS and declared so.
func sjisPage(t *testing.T) []byte {
	t.Helper()
	html := page(block("持戻（ご不在）", "is-safe-blue", row("持戻（ご不在）", "11月28日 14:02", "川崎中央センター")))
	html = strings.Replace(html, `charset="UTF-8"`, `charset="Shift_JIS"`, 1)
	out, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(html))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func checkSJIS(t *testing.T, res []carriers.Result) {
	t.Helper()
	if len(res) != 1 {
		t.Fatalf("%d results, want 1", len(res))
	}
	r := res[0]
	if r.Status != carriers.StatusDeliveryFailed || r.Reason != carriers.ReasonAbsent ||
		r.Events[0].Raw != "持戻（ご不在）" || r.Office.Name != "川崎中央センター" {
		t.Errorf("got %+v, want delivery_failed/absent with the words decoded", r)
	}
}

func TestParseShiftJIS(t *testing.T) {
	res, err := Parse(bytes.NewReader(sjisPage(t)), fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	checkSJIS(t, res)
}

// TestTrackShiftJIS checks that Track decodes a Shift_JIS page once, from
// its Content-Type, and not a second time from its <meta>.
func TestTrackShiftJIS(t *testing.T) {
	body := sjisPage(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := (fake.Yamato{}).Numbers(r); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=Shift_JIS")
		w.Write(body)
	}))
	defer srv.Close()
	c := New(carriers.Options{BaseURL: srv.URL, Client: srv.Client()})
	res, err := c.Track(context.Background(), []string{"401234567893"})
	if err != nil {
		t.Fatal(err)
	}
	checkSJIS(t, res)
}
