package tracker

import (
	"bytes"

	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/carriers/dhl"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/carriers/quota"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// dhlNum returns a 10-digit number with a valid DHL Express (mod 7) check
// digit.
func dhlNum(first9 int64) string {
	s := fmt.Sprintf("%09d", first9)
	return s + strconv.FormatInt(first9%7, 10)
}

// syncBuffer is a log destination safe for the engine's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// logTo rebuilds w's engine logging into a buffer.
func (w *world) logTo() *syncBuffer {
	buf := &syncBuffer{}
	eng, err := New(Options{Store: w.store, Registry: w.reg, Runtime: w.rt, Clock: w.clock, Seed: 42,
		Logger: slog.New(slog.NewTextHandler(buf, nil))})
	if err != nil {
		w.t.Fatal(err)
	}
	w.eng = eng
	return buf
}

// An ambiguous number whose first candidate is an API carrier without a
// key is asked of the registered candidates, not stalled on the missing
// adapter.
func TestUnregisteredCandidateIsSkipped(t *testing.T) {
	w := newWorld(t)
	n := dhlNum(331881002)
	if _, ok := w.reg.Contacts("dhl"); ok {
		t.Fatal("the test world registers dhl")
	}
	w.srv.Add(fake.Timeline("sagawa", n, fake.Delivered, start.Add(-5*time.Hour)))
	w.sync(Spec{Number: n, Candidates: []string{"dhl", "sagawa"}})
	w.run(30 * time.Minute)
	p := w.parcel(n)
	if p.Carrier != "sagawa" || p.Status == "" || p.Status == carriers.StatusNotFound {
		t.Fatalf("carrier %q status %q error %q, want sagawa found", p.Carrier, p.Status, p.LastError)
	}
}

// A parcel that only unregistered API carriers could know is never "not
// found": it says which key is missing, once in the log, and is never
// notified about.
func TestMissingKeyIsNotNotFound(t *testing.T) {
	ups := "1Z12345E0205271686"
	fedex := num(30000000003) // pinned below
	tests := []struct {
		name string
		spec Spec
		want string
	}{
		{"ups by its number", Spec{Number: ups, Candidates: carriers.Identify(ups).Carriers()}, "UPS: add an API key in the config"},
		{"ups without candidates", Spec{Number: ups}, "UPS: add an API key in the config"},
		{"pinned fedex", Spec{Number: fedex, Carrier: "fedex"}, "FedEx: add an API key in the config"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			logs := w.logTo()
			w.sync(tt.spec)
			w.run(5 * 24 * time.Hour)
			p := w.parcel(tt.spec.Number)
			if p.Status != "" || !p.NotFoundSince.IsZero() || p.LastError != tt.want {
				t.Errorf("status %q not found since %v error %q, want no status and %q", p.Status, p.NotFoundSince, p.LastError, tt.want)
			}
			if got := WaitingNote(p); got != tt.want {
				t.Errorf("WaitingNote %q, want %q", got, tt.want)
			}
			if k := w.rec.kinds(tt.spec.Number); len(k) != 0 {
				t.Errorf("notifications %v, want none", k)
			}
			if c := strings.Count(logs.String(), "parcel waits for an API key"); c != 1 {
				t.Errorf("logged %d times, want once:\n%s", c, logs)
			}
			if !p.Active() {
				t.Errorf("parcel no longer active: it must be asked once the key is there")
			}
		})
	}
}

// A number that fits registered carriers and one without a key, that the
// registered ones do not find, is not found with a note naming the
// carrier that was not asked, also in the not-found-too-long notice.
func TestNotFoundNamesMissingKey(t *testing.T) {
	const want = "DHL: add an API key in the config to ask DHL"
	n := dhlNum(331881002)
	if got := carriers.Identify(n).Carriers(); len(got) < 2 || !slices.Contains(got, "dhl") {
		t.Fatalf("%s fits %v, want several carriers with dhl", n, got)
	}
	w := newWorld(t)
	w.sync(Spec{Number: n})
	w.run(4 * 24 * time.Hour)
	p := w.parcel(n)
	if p.Status != carriers.StatusNotFound || p.LastError != want {
		t.Fatalf("status %q error %q, want not_found and %q", p.Status, p.LastError, want)
	}
	if got := WaitingNote(p); got != want {
		t.Errorf("WaitingNote %q, want %q", got, want)
	}
	var found bool
	for _, m := range w.rec.sent() {
		if m.Number == n && m.Kind == notify.KindNotFoundTooLong {
			found = true
			if !strings.Contains(m.Body, want) {
				t.Errorf("not-found-too-long push lacks the note:\n%s", m.Body)
			}
		}
	}
	if !found {
		t.Errorf("no not-found-too-long push: %v", w.rec.kinds(n))
	}
	// A number only registered carriers fit says nothing of keys.
	other := num(40001234567)
	w.sync(Spec{Number: n}, Spec{Number: other})
	w.run(6 * time.Hour)
	if p := w.parcel(other); p.Status != carriers.StatusNotFound || p.LastError != "" || WaitingNote(p) != "" {
		t.Errorf("%s: status %q error %q note %q, want not_found without a note", other, p.Status, p.LastError, WaitingNote(p))
	}
}

// WaitingNote says nothing about parcels with other errors.
func TestWaitingNote(t *testing.T) {
	for _, p := range []store.Parcel{
		{Number: "1", Tracked: true, LastError: "sagawa: http status 500"},
		{Number: "2", Tracked: true, Status: carriers.StatusInTransit, LastError: "UPS" + missingKeySuffix},
		{Number: "3", Tracked: true, Done: true, LastError: "UPS" + missingKeySuffix},
	} {
		if got := WaitingNote(p); got != "" {
			t.Errorf("parcel %s: WaitingNote %q, want none", p.Number, got)
		}
	}
}

// dhlWorld is a world whose registry also has DHL, answered by a keyed
// fake API, with a daily quota of limit calls.
func dhlWorld(t *testing.T, w *world, limit int) (*fake.API, *quota.Daily) {
	t.Helper()
	srv := fake.NewServer(w.clock.Now, append(all.Sites(), fake.DHL{})...)
	api := fake.NewDHLAPI(srv, w.clock.Now, "test-key")
	w.srv = srv
	q := &quota.Daily{Limit: limit, Zone: time.UTC}
	client := &http.Client{Transport: fake.MuxTransport(srv, api)}
	w.reg = all.RegistryWithAPIs(carriers.Options{Client: client, BaseURL: "http://fake.invalid", Now: w.clock.Now}, nil,
		all.APIKeys{DHL: dhl.Config{APIKey: "test-key", Quota: q}})
	w.rt.Limits["dhl"] = Limit{Interval: dhl.MinInterval}
	eng, err := New(Options{Store: w.store, Registry: w.reg, Runtime: w.rt, Clock: w.clock, Seed: 42, Quotas: map[string]*quota.Daily{"dhl": q}})
	if err != nil {
		t.Fatal(err)
	}
	w.eng = eng
	return api, q
}

// DHL's daily quota is spent without the carrier counting as failing, is
// kept across a restart (a real bbolt file), and renews the next UTC day.
func TestDHLQuotaSurvivesRestart(t *testing.T) {
	w := newWorld(t)
	api, q := dhlWorld(t, w, 3)
	var specs []Spec
	for i := range 5 {
		n := dhlNum(int64(331881000 + i))
		w.srv.Add(fake.APITimeline("dhl", n, fake.Delivered, start.Add(-48*time.Hour)))
		specs = append(specs, Spec{Number: n, Carrier: "dhl"})
	}
	w.sync(specs...)
	w.run(30 * time.Minute)
	asked := w.srv.Asked("dhl")
	if asked != 3 || q.Remaining(w.clock.Now()) != 0 {
		t.Fatalf("DHL asked %d times, %d calls left; want 3 and 0", asked, q.Remaining(w.clock.Now()))
	}
	h, err := w.store.Health("dhl")
	if err != nil {
		t.Fatal(err)
	}
	nextDay := q.NextDay(w.clock.Now())
	if h.Failures != 0 || h.BreakerOpen || !h.FailingSince.IsZero() || !h.CooldownUntil.Equal(nextDay) {
		t.Errorf("health %+v: want no failures and a cooldown until %v", h, nextDay)
	}

	// Restart on the same file: a fresh quota object reads the count back.
	if err := w.store.Close(); err != nil {
		t.Fatal(err)
	}
	w.open()
	api2, q2 := dhlWorld(t, w, 3)
	for _, sc := range specsTimelines(specs) {
		w.srv.Add(sc)
	}
	if used := q2.Used(w.clock.Now()); used != 3 {
		t.Fatalf("after restart the quota shows %d calls used, want 3", used)
	}
	w.run(time.Hour) // still the same UTC day (07:30–08:30 in Tokyo)
	if a := w.srv.Asked("dhl"); a != 0 || api2.QuotaDenied() != 0 {
		t.Errorf("after restart DHL was asked %d times (%d refused) on a spent day", a, api2.QuotaDenied())
	}
	if api.QuotaDenied() != 0 {
		t.Errorf("DHL refused %d calls: the local quota should have stopped them first", api.QuotaDenied())
	}
	// 09:00 in Tokyo is 00:00 UTC: a new allowance.
	w.run(2 * time.Hour)
	if a := w.srv.Asked("dhl"); a == 0 {
		t.Errorf("DHL not asked again the next UTC day")
	}
	if p := w.parcel(specs[4].Number); p.Status != carriers.StatusDelivered && p.Status != "" {
		t.Logf("last parcel status %s", p.Status)
	}
}

// specsTimelines scripts the specs' numbers again on a new fake server.
func specsTimelines(specs []Spec) []fake.Script {
	out := make([]fake.Script, len(specs))
	for i, s := range specs {
		out[i] = fake.APITimeline("dhl", s.Number, fake.Delivered, start.Add(-48*time.Hour))
	}
	return out
}

// BenchmarkMissingKey measures the check every due parcel goes through at
// every tick: a parcel with a registered candidate (the common case) and
// one only an unregistered API carrier could know.
func BenchmarkMissingKey(b *testing.B) {
	w := newWorld(b)
	for _, bc := range []struct {
		name string
		p    store.Parcel
	}{
		{"registered", store.Parcel{Number: num(30000000003), Candidates: []string{"japanpost", "sagawa"}}},
		{"pinned", store.Parcel{Number: num(30000000003), Carrier: "sagawa"}},
		{"ups-without-key", store.Parcel{Number: "1Z12345E0205271686"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				_ = w.eng.missingKey(bc.p)
			}
		})
	}
}
