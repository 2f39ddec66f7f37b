package api

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromiumPath is Debian's Chromium, installed by .ci/install-deps.sh.
const chromiumPath = "/usr/bin/chromium"

// chromium runs headless Chromium with the flags that work on a machine
// without internet access, plus args, and returns its stdout.
func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("headless browser test needs %s (apt-get install chromium, or .ci/install-deps.sh): %v", chromiumPath, err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--hide-scrollbars", "--lang=ja",
		"--user-data-dir=" + t.TempDir(),
	}
	cmd := exec.CommandContext(ctx, chromiumPath, append(base, args...)...)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\nstderr:\n%s", args, err, stderr.String())
	}
	return stdout.Bytes()
}

func TestStatusPageInChromium(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("headless browser test skipped in -short mode")
	}
	f := newFake()
	// One parcel carries hostile carrier text, which must show as text.
	evil := hostile(`<script>document.title="pwned"</script><img src=x onerror=alert(1)>`, "javascript:alert(1)")
	evil.Number, evil.Label = "999999999999", "危険なテキスト"
	f.parcels = append(f.parcels, evil)
	srv := httptest.NewServer(NewServer(f, slog.New(slog.DiscardHandler), "browser-test"))
	defer srv.Close()

	// One Chromium run both dumps the DOM and takes the screenshot, to keep
	// the test short on a slow machine; the parcel page's HTML is covered
	// by the httptest tests.
	t.Run("index on a phone", func(t *testing.T) {
		shot := filepath.Join(t.TempDir(), "status.png")
		dom := string(chromium(t, "--window-size=412,915", "--screenshot="+shot, "--dump-dom", srv.URL+"/"))
		for _, want := range []string{
			"カメラレンズ", "持戻（ご不在）", "川崎中央センター", "☎ 0120-01-9625", "受付中",
			"受付時間外・8:00から", "公式ページ", `href="tel:0120019625"`, `href="/parcel/123456789012"`,
			"&lt;script&gt;document.title=\"pwned\"&lt;/script&gt;",
		} {
			if !strings.Contains(dom, want) {
				t.Errorf("DOM lacks %q\nDOM:\n%s", want, dom)
			}
		}
		lower := strings.ToLower(dom)
		if strings.Contains(lower, "<script") || strings.Contains(lower, "<img") || strings.Contains(dom, "pwned</title>") {
			t.Errorf("hostile carrier text became markup in the browser DOM:\n%s", dom)
		}
		checkSafeHTML(t, dom)

		file, err := os.Open(shot)
		if err != nil {
			t.Fatalf("no screenshot: %v", err)
		}
		defer file.Close()
		img, err := png.Decode(file)
		if err != nil {
			t.Fatalf("decode screenshot: %v", err)
		}
		if got := img.Bounds().Dx(); got != 412 {
			t.Errorf("screenshot width = %d, want 412", got)
		}
		// The inline style must survive the Content-Security-Policy: the
		// failed delivery's card has a red (#b3261e) left border.
		if !hasColour(img, 0xb3, 0x26, 0x1e) {
			t.Errorf("no #b3261e pixel in the screenshot: the inline CSS did not apply (saved at %s)", shot)
		}
		t.Logf("screenshot: %s", shot)
	})
}

// hasColour reports whether img has a pixel within a small distance of r,g,b.
func hasColour(img image.Image, r, g, b uint8) bool {
	near := func(a uint32, want uint8) bool {
		d := int(a>>8) - int(want)
		return d > -12 && d < 12
	}
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if near(pr, r) && near(pg, g) && near(pb, b) {
				return true
			}
		}
	}
	return false
}
