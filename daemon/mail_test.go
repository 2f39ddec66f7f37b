package daemon_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/todoku/todoku/api"
	"github.com/todoku/todoku/carriers/fake"
)

const (
	imapUser     = "hanako@example.jp"
	imapPassword = "app-password-1234"
)

// imapServer is go-imap's in-memory IMAP server on a loopback port,
// plain text (allowed for loopback only), with IDLE.
type imapServer struct {
	port int
	user *imapmemserver.User
}

func newIMAPServer(t *testing.T) *imapServer {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(imapUser, imapPassword)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIdle: {}},
		InsecureAuth: true,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() { _ = srv.Serve(ln) })
	t.Cleanup(func() { srv.Close(); wg.Wait() })
	return &imapServer{port: ln.Addr().(*net.TCPAddr).Port, user: user}
}

type literal struct{ *bytes.Reader }

// deliver puts a message into the INBOX.
func (s *imapServer) deliver(t *testing.T, raw string) {
	t.Helper()
	if _, err := s.user.Append("INBOX", literal{bytes.NewReader([]byte(raw))}, &imap.AppendOptions{Time: time.Now()}); err != nil {
		t.Fatal(err)
	}
}

// yaml is the mail: section for the server.
func (s *imapServer) yaml(extra string) string {
	return fmt.Sprintf("mail:\n  host: 127.0.0.1\n  port: %d\n  tls: none\n  user: %s\n  password: %s\n  look_back: 72h\n%s",
		s.port, imapUser, imapPassword, extra)
}

// shippingMail is a shop's 発送通知 naming Yamato next to the number, and
// an order number that must not become a parcel.
func shippingMail(id, product, number string) string {
	return "From: =?UTF-8?B?44Oo44OJ44OQ44K344Kr44Oh44Op?= <info@shop.example.jp>\r\n" +
		"To: " + imapUser + "\r\n" +
		"Subject: =?UTF-8?B?5ZWG5ZOB55m66YCB44Gu44GK55+l44KJ44Gb?=\r\n" + // 商品発送のお知らせ
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\n" +
		"Message-ID: <" + id + "@shop.example.jp>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=UTF-8\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n\r\n" +
		"山田 花子 様\r\n\r\nご注文の商品を発送いたしました。\r\n\r\n" +
		"ご注文番号: 2026112312345\r\n" +
		"商品名: " + product + "\r\n" +
		"配送業者: ヤマト運輸\r\n" +
		"お問い合わせ伝票番号: " + number[:4] + "-" + number[4:8] + "-" + number[8:] + "\r\n\r\n" +
		"今後ともよろしくお願いいたします。\r\n"
}

// failedAtYamato scripts number at the fake Yamato: accepted five hours
// ago, out for delivery, then a failed attempt an hour ago.
func failedAtYamato(site *carrierSite, number string) {
	start := time.Now().Add(-5 * time.Hour)
	site.Add(fake.Script{Carrier: "yamato", Number: number, Start: start, Steps: []fake.Step{
		{At: 0, Raw: "荷物受付", Location: "埼玉日高営業所"},
		{At: time.Hour, Raw: "輸送中", Location: "羽田クロノゲートベース"},
		{At: 3 * time.Hour, Raw: "配達中", Location: "川崎中央センター"},
		{At: 4 * time.Hour, Raw: "持戻（ご不在）", Location: "川崎中央センター"},
	}})
}

// TestMailAddsParcel is issue 12's "done when": a mailbox with a shop's
// 発送通知 makes the parcel appear within one poll of the mailbox, and
// its first delivery failure is pushed like any other. It also checks
// that a mail arriving later is picked up (IDLE), that a reload keeps
// the store-owned parcels, and that removing works for them and is
// refused for a config parcel.
func TestMailAddsParcel(t *testing.T) {
	t.Parallel()
	site := newCarrierSite(t)
	mbox := newIMAPServer(t)
	cfgParcel, first, second := trackingNumber(80), trackingNumber(81), trackingNumber(82)
	site.delivered("yamato", cfgParcel)
	failedAtYamato(site, first)
	failedAtYamato(site, second)
	mbox.deliver(t, shippingMail("first", "ミラーレス一眼カメラ", first))

	// An hourly tick: each mailed parcel must be polled at once, not at
	// the next tick.
	s := setup{Site: site, Schedule: "@every 1h", Parcels: []parcel{{cfgParcel, "config lens", "yamato"}}, Extra: mbox.yaml("")}
	in := newInstance(t, s).start(options{})

	in.eventually("the mailed parcel appears, is polled and its failure pushed", func() error {
		p, err := in.parcel(first)
		if err != nil {
			return err
		}
		if p.Origin != api.OriginMail || !p.Removable || !strings.Contains(p.Source, "first@shop.example.jp") || !strings.HasPrefix(p.Label, "ミラーレス一眼カメラ") {
			return fmt.Errorf("parcel = origin %q removable %v source %q label %q", p.Origin, p.Removable, p.Source, p.Label)
		}
		if p.Status != "delivery_failed" || p.Carrier != "yamato" {
			return fmt.Errorf("parcel status %q carrier %q, want delivery_failed at yamato", p.Status, p.Carrier)
		}
		out, err := os.ReadFile(in.out)
		if err != nil {
			return err
		}
		if !strings.Contains(string(out), "持戻（ご不在）") || !strings.Contains(string(out), "ミラーレス一眼カメラ") {
			return fmt.Errorf("no delivery-failed push in the console output:\n%s", out)
		}
		if !strings.Contains(string(out), "メールから追加") {
			return fmt.Errorf("no announcement in the console output:\n%s", out)
		}
		return nil
	})
	ps, err := in.parcels()
	if err != nil {
		t.Fatal(err)
	}
	if ps[cfgParcel].Origin != api.OriginConfig || ps[cfgParcel].Removable {
		t.Errorf("config parcel = origin %q removable %v", ps[cfgParcel].Origin, ps[cfgParcel].Removable)
	}
	for n := range ps {
		if strings.Contains(n, "2026112312345") {
			t.Errorf("the order number became a parcel: %v", n)
		}
	}

	// A mail arriving while the daemon runs is read at once (IDLE), long
	// before the 5-minute poll interval.
	mbox.deliver(t, shippingMail("second", "交換レンズ", second))
	in.eventually("the second mail's parcel appears", func() error {
		p, err := in.parcel(second)
		if err != nil {
			return err
		}
		if !p.Tracked || p.Origin != api.OriginMail {
			return fmt.Errorf("second parcel = %+v", p)
		}
		return nil
	})

	// A reload that changes the config's parcels keeps the store-owned ones.
	other := trackingNumber(83)
	site.delivered("yamato", other)
	in.write(setup{Schedule: "@every 1h", Parcels: []parcel{{other, "other", "yamato"}}, Extra: mbox.yaml("  announce: false\n")})
	in.reload <- os.Interrupt
	in.eventually("reload applied, store-owned parcels kept", func() error {
		ps, err := in.parcels()
		if err != nil {
			return err
		}
		if !ps[other].Tracked || ps[cfgParcel].Tracked {
			return fmt.Errorf("config parcels not reloaded yet: other %v, old %v", ps[other].Tracked, ps[cfgParcel].Tracked)
		}
		if !ps[first].Tracked || !ps[second].Tracked {
			return fmt.Errorf("a reload dropped a store-owned parcel: first %v, second %v", ps[first].Tracked, ps[second].Tracked)
		}
		return nil
	})

	// The reload changed the mail section (announce: false): the poller
	// was restarted and still reads new mail, now without announcing it.
	third := trackingNumber(84)
	failedAtYamato(site, third)
	mbox.deliver(t, shippingMail("third", "三脚", third))
	in.eventually("the restarted poller reads the third mail", func() error {
		p, err := in.parcel(third)
		if err != nil {
			return err
		}
		if p.Origin != api.OriginMail || p.Status != "delivery_failed" {
			return fmt.Errorf("third parcel = origin %q status %q", p.Origin, p.Status)
		}
		return nil
	})
	if out, _ := os.ReadFile(in.out); strings.Count(string(out), "メールから追加") != 2 {
		t.Errorf("want exactly two announcements (the third mail came after announce: false):\n%s", out)
	}

	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if _, err := in.client.RemoveParcel(ctx, other); !errors.Is(err, api.ErrConfigParcel) {
		t.Errorf("RemoveParcel(config parcel) = %v, want ErrConfigParcel", err)
	}
	if _, err := in.client.RemoveParcel(ctx, trackingNumber(99)); !errors.Is(err, api.ErrNotFound) {
		t.Errorf("RemoveParcel(unknown) = %v, want ErrNotFound", err)
	}
	res, err := in.client.RemoveParcel(ctx, first[:4]+"-"+first[4:8]+"-"+first[8:])
	if err != nil || !res.Removed || res.Origin != api.OriginMail || res.Number != first {
		t.Fatalf("RemoveParcel(first) = %+v, %v", res, err)
	}
	in.eventually("removed parcel hidden", func() error {
		ps, err := in.parcels()
		if err != nil {
			return err
		}
		if _, ok := ps[first]; ok {
			return fmt.Errorf("removed parcel still listed: %+v", ps[first])
		}
		if !ps[second].Tracked {
			return errors.New("the other mail parcel went with it")
		}
		return nil
	})
	// Its history stays.
	if p, err := in.parcel(first); err != nil || len(p.History) == 0 || p.Tracked {
		t.Errorf("removed parcel = %+v, %v; want its history kept, untracked", p, err)
	}
}
