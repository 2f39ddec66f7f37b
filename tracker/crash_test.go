package tracker

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/all"
	"github.com/todoku/todoku/carriers/fake"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// The crash test runs the engine in a child process (this test binary,
// re-executed) against a fake carrier and a fake Pushover living in the
// parent, kills it with SIGKILL at random moments, restarts it, and then
// checks that every event the carrier published is stored exactly once
// and every notice was sent once or is still pending.

const (
	envChild    = "TODOKU_CRASH_CHILD"
	envDB       = "TODOKU_CRASH_DB"
	envCarrier  = "TODOKU_CRASH_CARRIER_URL"
	envPushover = "TODOKU_CRASH_PUSHOVER_URL"
	envNumbers  = "TODOKU_CRASH_NUMBERS"
	envFinish   = "TODOKU_CRASH_FINISH"
	crashToken  = "azGDORePK8gMaC0QOYAMyEEuzJnyUi"
	crashUser   = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG"
)

// crashSteps are the rows each crash-test parcel goes through, one every
// stepEvery; every row has distinct words so minute-precision times never
// make two rows look alike.
var crashSteps = map[string][]string{
	"yamato":    {"荷物受付", "輸送中", "配達店到着", "配達中", "持戻（ご不在）", "配達完了"},
	"japanpost": {"引受", "通過", "到着", "持ち出し中", "ご不在のため持ち戻り", "お届け先にお届け済み"},
	"sagawa":    {"集荷", "輸送中", "配達中", "保管中", "配達完了"},
}

const stepEvery = 700 * time.Millisecond

// pushoverSink is a fake Pushover that counts every accepted message.
type pushoverSink struct {
	mu       sync.Mutex
	received map[string]int
}

func (p *pushoverSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id := r.PostForm.Get("title") + "|" + r.PostForm.Get("timestamp") + "|" + r.PostForm.Get("message")
	p.mu.Lock()
	p.received[id]++
	p.mu.Unlock()
	w.Header().Set("X-Limit-App-Limit", "10000")
	w.Header().Set("X-Limit-App-Remaining", "9000")
	w.Header().Set("X-Limit-App-Reset", fmt.Sprint(time.Now().Add(24*time.Hour).Unix()))
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"status":1,"request":"e460545a-8e4e-4fd9-a0c7-bd9b2b0f1b1e"}`)
}

func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process 20 times")
	}
	if os.Getenv(envChild) != "" {
		t.Skip("running as the child")
	}
	begin := time.Now()
	srv := fake.NewServer(time.Now, all.Sites()...)
	carrierHTTP := httptest.NewServer(srv)
	defer carrierHTTP.Close()
	sink := &pushoverSink{received: map[string]int{}}
	pushHTTP := httptest.NewServer(sink)
	defer pushHTTP.Close()

	var numbers []string
	i := 0
	for _, carrier := range []string{"yamato", "japanpost", "sagawa"} {
		for k := 0; k < 3; k++ {
			n := num(int64(95000000000 + i))
			i++
			sc := fake.Script{Carrier: carrier, Number: n, Start: begin.Add(time.Duration(i) * 150 * time.Millisecond)}
			for j, raw := range crashSteps[carrier] {
				sc.Steps = append(sc.Steps, fake.Step{At: time.Duration(j) * stepEvery, Raw: raw, Location: carrier + "センター"})
			}
			srv.Add(sc)
			numbers = append(numbers, carrier+":"+n)
		}
	}
	db := filepath.Join(t.TempDir(), "crash.db")
	numbersJSON, _ := json.Marshal(numbers)
	env := append(os.Environ(), envChild+"=1", envDB+"="+db, envCarrier+"="+carrierHTTP.URL,
		envPushover+"="+pushHTTP.URL, envNumbers+"="+string(numbersJSON))

	rng := rand.New(rand.NewPCG(uint64(begin.UnixNano()), 1))
	const kills = 20
	killed := 0
	for killed < kills {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v")
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(150+rng.IntN(900)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatalf("kill: %v", err)
		}
		_ = cmd.Wait()
		killed++
	}
	// Let the timelines finish, then one clean run drains everything.
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.v")
	cmd.Env = append(env, envFinish+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("final run: %v\n%s", err, out)
	}

	st, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	for _, cn := range numbers {
		n := cn[len(cn)-12:]
		h, err := st.History(n)
		if err != nil {
			t.Fatal(err)
		}
		pub := srv.Published(n, now)
		if len(h) != len(pub) {
			t.Errorf("%s: %d events stored, %d published", cn, len(h), len(pub))
			continue
		}
		for j := range pub {
			if h[j].Raw != pub[j].Raw || !h[j].Time.Equal(pub[j].Time) {
				t.Errorf("%s: event %d stored %q at %v, published %q at %v", cn, j, h[j].Raw, h[j].Time, pub[j].Raw, pub[j].Time)
			}
		}
	}
	pending, err := st.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 0 {
		t.Errorf("%d notices still pending after the clean run", len(pending))
	}
	ledger, err := st.Ledger()
	if err != nil {
		t.Fatal(err)
	}
	sentKeys := 0
	delivered := map[string]int{}
	for _, le := range ledger {
		if !le.Failed {
			sentKeys++
		}
		if n, _, ok := strings.Cut(le.Key, "/"+string(notify.KindDelivered)+"/"); ok && !le.Failed {
			delivered[n]++
		}
	}
	// Every timeline ends in a delivery: each parcel's delivered notice was
	// queued and sent exactly once, whatever the kills interrupted.
	for _, cn := range numbers {
		if n := cn[len(cn)-12:]; delivered[n] != 1 {
			t.Errorf("%s: %d delivered notices in the ledger, want 1", cn, delivered[n])
		}
	}
	sink.mu.Lock()
	defer sink.mu.Unlock()
	dups := 0
	for id, c := range sink.received {
		if c > 2 {
			t.Errorf("message sent %d times: %s", c, id)
		}
		dups += c - 1
	}
	if len(sink.received) != sentKeys {
		t.Errorf("%d distinct messages reached Pushover, the ledger records %d as sent", len(sink.received), sentKeys)
	}
	// A duplicate is possible only when a kill lands between Pushover
	// accepting a message and the store recording it.
	if dups > killed {
		t.Errorf("%d duplicate messages for %d kills", dups, killed)
	}
	if sentKeys == 0 {
		t.Error("nothing was sent: the test proves nothing")
	}
	t.Logf("%d kills, %d parcel histories checked, %d messages sent, %d duplicates (crash between accept and record)", killed, len(numbers), sentKeys, dups)
}

// TestCrashChild is the engine process of TestCrashRecovery.
func TestCrashChild(t *testing.T) {
	if os.Getenv(envChild) == "" {
		t.Skip("only run by TestCrashRecovery")
	}
	st, err := store.Open(os.Getenv(envDB), store.Options{LockTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reg := all.Registry(carriers.Options{BaseURL: os.Getenv(envCarrier), Timeout: 2 * time.Second}, nil)
	push, err := notify.NewPushover(notify.PushoverConfig{Token: crashToken, User: crashUser, APIURL: os.Getenv(envPushover), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	settings := notify.DefaultSettings()
	settings.QuietStart, settings.QuietEnd = "", ""
	for k, v := range settings.Events {
		v.Enabled = true
		settings.Events[k] = v
	}
	rt := &Runtime{
		Schedule: "@every 1s",
		Policy:   FixedPolicy(300 * time.Millisecond),
		Limits:   map[string]Limit{"yamato": {Interval: 10 * time.Millisecond}, "japanpost": {Interval: 10 * time.Millisecond}, "sagawa": {Interval: 10 * time.Millisecond}},
		Notifier: push,
		Composer: notify.Composer{Settings: settings, Contacts: notify.Directory(all.Contacts()...)},
	}
	eng, err := New(Options{Store: st, Registry: reg, Runtime: rt, ShutdownTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var cn []string
	if err := json.Unmarshal([]byte(os.Getenv(envNumbers)), &cn); err != nil {
		t.Fatal(err)
	}
	var specs []Spec
	for _, s := range cn {
		specs = append(specs, Spec{Number: s[len(s)-12:], Carrier: s[:len(s)-13]})
	}
	if err := eng.Sync(specs); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	if os.Getenv(envFinish) == "" {
		<-done // killed before this returns
		return
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		if finished(t, st) {
			break
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !finished(t, st) {
		t.Fatal("parcels or outbox not finished within 60 s")
	}
}

// finished reports whether every parcel is done and the outbox is empty.
func finished(t *testing.T, st *store.Store) bool {
	ps, err := st.Parcels()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if !p.Done {
			return false
		}
	}
	out, err := st.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	return len(out) == 0
}
