package tracker

import (
	"context"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// recorder is a Notifier that keeps what it was asked to send.
type recorder struct {
	mu   sync.Mutex
	msgs []notify.Message
	fail func(m notify.Message) (bool, error)
}

func (r *recorder) Send(ctx context.Context, m notify.Message) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		if retry, err := r.fail(m); err != nil {
			return retry, err
		}
	}
	r.msgs = append(r.msgs, m)
	return false, nil
}

func (r *recorder) sent() []notify.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]notify.Message(nil), r.msgs...)
}

func (r *recorder) kinds(number string) []notify.Kind {
	var out []notify.Kind
	for _, m := range r.sent() {
		if m.Number == number {
			out = append(out, m.Kind)
		}
	}
	return out
}

// world is an engine wired to the fake carrier with a virtual clock.
type world struct {
	t     testing.TB
	clock *Virtual
	srv   *fake.Server
	store *store.Store
	reg   *carriers.Registry
	rt    *Runtime
	rec   *recorder
	eng   *Engine
	path  string
}

// start is a Monday morning in Tokyo that is not a holiday.
var start = time.Date(2026, 11, 30, 7, 0, 0, 0, carriers.Tokyo)

func newWorld(t testing.TB) *world {
	t.Helper()
	w := &world{t: t, clock: NewVirtual(start), rec: &recorder{}}
	w.srv = fake.NewServer(w.clock.Now, all.Sites()...)
	client := &http.Client{Transport: w.srv.Transport()}
	w.reg = all.Registry(carriers.Options{Client: client, BaseURL: "http://fake.invalid", Now: w.clock.Now}, nil)
	w.path = filepath.Join(t.TempDir(), "todoku.db")
	w.open()
	settings := notify.DefaultSettings()
	settings.QuietStart, settings.QuietEnd = "", "" // tests look at kinds, not quiet hours
	for k, v := range settings.Events {
		v.Enabled = true
		settings.Events[k] = v
	}
	w.rt = &Runtime{
		Policy:          DefaultPolicy(),
		Limits:          map[string]Limit{"yamato": {Interval: time.Second}, "japanpost": {Interval: time.Second}, "sagawa": {Interval: time.Second}, "amazon": {Interval: time.Second}},
		Notifier:        w.rec,
		Composer:        notify.Composer{Settings: settings, Contacts: notify.Directory(all.Contacts()...)},
		StaleAfter:      72 * time.Hour,
		NotFoundTooLong: 72 * time.Hour,
	}
	w.newEngine()
	return w
}

func (w *world) open() {
	st, err := store.Open(w.path, store.Options{LockTimeout: time.Second})
	if err != nil {
		w.t.Fatalf("open store: %v", err)
	}
	w.store = st
	w.t.Cleanup(func() { st.Close() })
}

func (w *world) newEngine() {
	eng, err := New(Options{Store: w.store, Registry: w.reg, Runtime: w.rt, Clock: w.clock, Seed: 42})
	if err != nil {
		w.t.Fatalf("new engine: %v", err)
	}
	w.eng = eng
}

// restart closes the store and builds a new engine on the same file.
func (w *world) restart() {
	if err := w.store.Close(); err != nil {
		w.t.Fatal(err)
	}
	w.open()
	w.newEngine()
}

func (w *world) sync(specs ...Spec) {
	w.t.Helper()
	if err := w.eng.Sync(specs); err != nil {
		w.t.Fatalf("sync: %v", err)
	}
}

// run advances the virtual clock in 5-minute ticks for d, ticking and
// draining at each step.
func (w *world) run(d time.Duration) {
	w.t.Helper()
	ctx := context.Background()
	end := w.clock.Now().Add(d)
	for t := w.clock.Now(); !t.After(end); t = t.Add(5 * time.Minute) {
		w.clock.Set(t)
		if err := w.eng.Tick(ctx); err != nil {
			w.t.Fatalf("tick at %v: %v", t, err)
		}
		if _, err := w.eng.Drain(ctx); err != nil {
			w.t.Fatalf("drain at %v: %v", t, err)
		}
	}
}

func (w *world) parcel(number string) store.Parcel {
	w.t.Helper()
	p, ok, err := w.store.Parcel(number)
	if err != nil || !ok {
		w.t.Fatalf("parcel %s: ok=%v err=%v", number, ok, err)
	}
	return p
}

// checkHistory asserts the stored history equals what the fake carrier
// published, each event exactly once.
func (w *world) checkHistory(number string) {
	w.t.Helper()
	h, err := w.store.History(number)
	if err != nil {
		w.t.Fatal(err)
	}
	pub := w.srv.Published(number, w.clock.Now())
	if len(h) != len(pub) {
		w.t.Fatalf("%s: %d events stored, %d published\nstored: %+v\npublished: %+v", number, len(h), len(pub), h, pub)
	}
	for i := range pub {
		if h[i].Raw != pub[i].Raw || !h[i].Time.Equal(pub[i].Time) || h[i].Location != pub[i].Location {
			w.t.Errorf("%s: event %d stored %v %q %q, published %v %q %q", number, i, h[i].Time, h[i].Raw, h[i].Location, pub[i].Time, pub[i].Raw, pub[i].Location)
		}
	}
}
