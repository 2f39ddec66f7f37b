package daemon_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers/fake"
)

// TestEndToEndEveryPageCarrier runs the real daemon against the fake sites
// of every page carrier (Yamato, Sagawa, Japan Post, Seino, Fukuyama):
// each parcel reaches the status its timeline ends in, a failed Yamato
// delivery is pushed with the number first (Yamato's link is its search
// page), an ambiguous number is found at the carrier that knows it, and
// Japan Post is asked one number per request.
func TestEndToEndEveryPageCarrier(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: skipped with -short")
	}
	site := newCarrierSite(t)
	start := time.Now().Add(-30 * time.Hour) // past the first attempt, before the redelivery
	yamatoFailed := trackingNumber(1)
	sagawaAmbiguous := trackingNumber(2)
	jp := []string{trackingNumber(3), trackingNumber(4), trackingNumber(5)}
	const seinoNumber, fukuyamaNumber = "1234567890", "9876543210"

	site.Add(fake.Timeline("yamato", yamatoFailed, fake.FailedDelivered, start))
	site.Add(fake.Timeline("sagawa", sagawaAmbiguous, fake.Delivered, start.Add(-48*time.Hour)))
	for _, n := range jp {
		site.Add(fake.Timeline("japanpost", n, fake.Delivered, start.Add(-48*time.Hour)))
	}
	site.Add(fake.Timeline("seino", seinoNumber, fake.FailedDelivered, start))
	site.Add(fake.Timeline("fukuyama", fukuyamaNumber, fake.Delivered, start.Add(-48*time.Hour)))

	parcels := []parcel{
		{Number: yamatoFailed, Label: "カメラレンズ", Carrier: "yamato"},
		{Number: sagawaAmbiguous, Label: "インク"},
		{Number: seinoNumber, Label: "本棚", Carrier: "seino"},
		{Number: fukuyamaNumber, Label: "タイヤ", Carrier: "fukuyama"},
	}
	for i, n := range jp {
		parcels = append(parcels, parcel{Number: n, Label: fmt.Sprintf("ゆうパック%d", i), Carrier: "japanpost"})
	}
	in := newInstance(t, setup{Site: site, Parcels: parcels}).start(options{})

	want := map[string]string{
		yamatoFailed: "delivery_failed", sagawaAmbiguous: "delivered",
		seinoNumber: "delivery_failed", fukuyamaNumber: "delivered",
	}
	for _, n := range jp {
		want[n] = "delivered"
	}
	in.eventually("every parcel at its carrier's status", func() error {
		got, err := in.parcels()
		if err != nil {
			return err
		}
		for n, st := range want {
			if got[n].Status != st {
				return fmt.Errorf("%s (%s): %q, want %q", n, got[n].Carrier, got[n].Status, st)
			}
		}
		if got[sagawaAmbiguous].Carrier != "sagawa" {
			return fmt.Errorf("ambiguous number settled on %q, want sagawa", got[sagawaAmbiguous].Carrier)
		}
		return nil
	})

	if r, a := site.Requests("japanpost"), site.Asked("japanpost"); r < len(jp) || r != a {
		t.Errorf("japan post: %d requests for %d numbers asked, want one number per request", r, a)
	}

	in.eventually("the failed Yamato delivery pushed, number first", func() error {
		out, err := os.ReadFile(in.out)
		if err != nil {
			return err
		}
		text := string(out)
		i := strings.Index(text, "カメラレンズ")
		if i < 0 {
			return fmt.Errorf("no push for the Yamato parcel yet:\n%s", text)
		}
		msg := text[i:]
		disp := yamatoFailed[:4] + "-" + yamatoFailed[4:8] + "-" + yamatoFailed[8:]
		n, w := strings.Index(msg, disp), strings.Index(msg, "持戻")
		if n < 0 || w < 0 || n > w {
			return fmt.Errorf("the number %s does not come before the carrier's words:\n%s", disp, msg)
		}
		return nil
	})
}
