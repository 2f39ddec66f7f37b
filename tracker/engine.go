package tracker

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/carriers/quota"
	"github.com/todoku/todoku/notify"
	"github.com/todoku/todoku/store"
)

// Runtime is the part of the engine's setup that a config reload swaps.
type Runtime struct {
	// Schedule is the cron spec of the polling tick (default every 5 minutes).
	Schedule string
	Policy   Policy
	// Limits per carrier name; missing carriers get DefaultLimit.
	Limits map[string]Limit
	// Notifier sends composed messages; Composer builds them.
	Notifier notify.Notifier
	Composer notify.Composer
	// ParcelSettings overrides Composer.Settings for single parcels.
	ParcelSettings map[string]notify.Settings
	// StaleAfter and NotFoundTooLong raise notices after that long
	// without news, or not found.
	StaleAfter      time.Duration
	NotFoundTooLong time.Duration
	// PollTimeout bounds one request to a carrier (default 60 s).
	PollTimeout time.Duration
	// SendTimeout bounds one notification (default 30 s).
	SendTimeout time.Duration
	// ArchiveAfter archives delivered/returned parcels (0 = never);
	// PruneHistory deletes their history then.
	ArchiveAfter time.Duration
	PruneHistory bool
}

func (rt *Runtime) limit(carrier string) Limit {
	if l, ok := rt.Limits[carrier]; ok && l.Interval > 0 {
		if l.Burst <= 0 {
			l.Burst = 1
		}
		return l
	}
	return defaultLimit
}

func (rt *Runtime) settings(number string) notify.Settings {
	if s, ok := rt.ParcelSettings[number]; ok {
		return s
	}
	return rt.Composer.Settings
}

// Options configure New.
type Options struct {
	Store    *store.Store
	Registry *carriers.Registry
	Runtime  *Runtime
	// Clock defaults to RealClock.
	Clock  Clock
	Logger *slog.Logger
	// Seed makes jitter reproducible (tests, benchmarks); 0 = random.
	Seed uint64
	// ShutdownTimeout is how long Run waits for in-flight polls and sends
	// after its context ends before abandoning them (default 10 s).
	ShutdownTimeout time.Duration
	// Quotas are the daily allowances the registry's API adapters spend,
	// by carrier name (dhl.Config.Quota): New loads their counts from the
	// store and each poll saves them (see quota.go).
	Quotas map[string]*quota.Daily
}

// Engine polls carriers and feeds the outbox. Its methods are safe for
// concurrent use.
type Engine struct {
	store    *store.Store
	reg      *carriers.Registry
	clock    Clock
	log      *slog.Logger
	shutdown time.Duration

	rt atomic.Pointer[Runtime]

	mu       sync.Mutex // guards rng, gates, unknown, stats, pending and unqueued
	rng      *rand.Rand
	gates    map[string]*gate
	unknown  map[string]bool // carrier words already logged
	stats    map[string]*stats
	pending  map[string]pendingPoll // answers whose write failed, by number
	unqueued []store.OutboxEntry    // notices whose write failed
	unsaved  map[uint64]time.Time   // outbox entries sent but not recorded as sent
	pokeCh   chan struct{}          // hand out due work now (Run)

	quotas     map[string]*quota.Daily // read-only after New
	quotaSaved map[string][]byte       // last written quota state, guarded by mu

	cronMu    sync.Mutex // guards the running scheduler
	cron      *cron.Cron
	cronSpec  string
	cronJob   cron.Job
	cronEntry cron.EntryID

	tickMu    sync.Mutex // one Tick at a time
	sendMu    sync.Mutex // one Drain at a time
	kick      chan struct{}
	lastBeat  atomic.Int64 // unix nanos of the last heartbeat
	lastWatch atomic.Int64 // engine-clock unix nanos of the last watch pass
	lastTick  atomic.Int64
}

// New returns an engine. It does not start anything.
func New(opts Options) (*Engine, error) {
	if opts.Store == nil || opts.Registry == nil || opts.Runtime == nil {
		return nil, errors.New("tracker: store, registry and runtime are required")
	}
	if err := opts.Runtime.Policy.Validate(); err != nil {
		return nil, err
	}
	if opts.Runtime.Notifier == nil {
		return nil, errors.New("tracker: runtime has no notifier")
	}
	if opts.Clock == nil {
		opts.Clock = RealClock{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = 10 * time.Second
	}
	seed := opts.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	e := &Engine{
		store:    opts.Store,
		reg:      opts.Registry,
		clock:    opts.Clock,
		log:      opts.Logger,
		shutdown: opts.ShutdownTimeout,
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		gates:    map[string]*gate{},
		unknown:  map[string]bool{},
		stats:    map[string]*stats{},
		pending:  map[string]pendingPoll{},
		kick:     make(chan struct{}, 1),
		pokeCh:   make(chan struct{}, 1),

		quotas:     opts.Quotas,
		quotaSaved: map[string][]byte{},
	}
	e.loadQuotas()
	e.rt.Store(opts.Runtime)
	// A new engine is a restart, often after an upgrade that reads a
	// changed layout: carriers paused for one are checked again at once.
	e.recheckPaused("engine started")
	return e, nil
}

// Runtime returns the runtime in force.
func (e *Engine) Runtime() *Runtime { return e.rt.Load() }

// SetRuntime swaps in a new runtime (config reload). Polls in flight
// finish under the runtime they started with.
func (e *Engine) SetRuntime(rt *Runtime) error {
	if err := rt.Policy.Validate(); err != nil {
		return err
	}
	if rt.Notifier == nil {
		return errors.New("tracker: runtime has no notifier")
	}
	if err := ValidateSchedule(rt.Schedule); err != nil {
		return fmt.Errorf("tracker: schedule %q: %w", rt.Schedule, err)
	}
	if err := e.reschedule(rt.Schedule); err != nil {
		return err
	}
	e.rt.Store(rt)
	now := e.clock.Now()
	e.mu.Lock()
	for name, g := range e.gates {
		g.setLimit(rt.limit(name), now)
	}
	e.mu.Unlock()
	e.recheckPaused("config reloaded")
	return nil
}

// Store returns the engine's store.
func (e *Engine) Store() *store.Store { return e.store }

// Registry returns the carrier registry.
func (e *Engine) Registry() *carriers.Registry { return e.reg }

func (e *Engine) gate(carrier string) *gate {
	e.mu.Lock()
	defer e.mu.Unlock()
	g, ok := e.gates[carrier]
	if !ok {
		g = newGate(carrier, e.rt.Load().limit(carrier))
		e.gates[carrier] = g
	}
	return g
}

// withRand runs fn with the engine's random source, under its lock.
func (e *Engine) withRand(fn func(*rand.Rand)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	fn(e.rng)
}

// Spec is a parcel as the config lists it.
type Spec struct {
	Number     string
	Label      string
	Carrier    string   // pinned carrier, or ""
	Candidates []string // ranked, when not pinned
}

// digest identifies what the config says about a parcel: a parcel whose
// digest is unchanged since the last sync is not even read.
func (s Spec) digest() []byte {
	h := sha256.New()
	for _, f := range append([]string{s.Number, s.Label, s.Carrier}, s.Candidates...) {
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return h.Sum(nil)[:16]
}

// Sync makes the store's tracked parcels match specs in one transaction
// that writes only what changed (entries unchanged since the last sync
// are not even read): new ones are added and due at once, labels and
// pins are updated, parcels the config no longer lists stop being
// tracked (their history stays).
func (e *Engine) Sync(specs []Spec) error {
	now := e.clock.Now()
	items := make([]store.SyncItem, len(specs))
	byNumber := make(map[string]Spec, len(specs))
	for i, s := range specs {
		items[i] = store.SyncItem{Number: s.Number, Digest: s.digest()}
		byNumber[s.Number] = s
	}
	n, err := e.store.SyncParcels(items,
		func(p *store.Parcel, exists bool) bool { return syncParcel(p, exists, byNumber[p.Number], now) },
		func(p *store.Parcel) bool {
			if !p.Tracked {
				return false
			}
			p.Tracked = false
			return true
		})
	if err != nil {
		return fmt.Errorf("tracker: sync: %w", err)
	}
	e.log.Debug("config parcels synced", "parcels", len(specs), "written", n)
	return nil
}

// syncParcel makes p match its config entry s and reports whether it
// changed. A change of pin restarts polling.
func syncParcel(p *store.Parcel, exists bool, s Spec, now time.Time) bool {
	changed := false
	if !exists {
		*p = store.Parcel{Number: s.Number, Added: now, NextDue: now, Tracked: true}
		changed = true
	}
	if !p.Tracked {
		p.Tracked, p.NextDue, changed = true, now, true
	}
	if p.Label != s.Label {
		p.Label, changed = s.Label, true
	}
	switch {
	case s.Carrier != "" && (p.Carrier != s.Carrier || !p.Pinned):
		p.Carrier, p.Pinned, p.Candidates = s.Carrier, true, nil
		p.Untrackable, p.Done, p.NextDue = false, false, now
		changed = true
	case s.Carrier == "" && p.Pinned:
		p.Pinned, p.Carrier, p.Candidates = false, "", s.Candidates
		p.Untrackable, p.Done, p.NextDue = false, false, now
		changed = true
	case s.Carrier == "" && p.Carrier == "" && len(p.Candidates) == 0 && len(s.Candidates) > 0:
		p.Candidates, changed = s.Candidates, true
	}
	return changed
}

// askOf is the carrier to ask about p next.
func askOf(p store.Parcel) string {
	if p.Carrier != "" {
		return p.Carrier
	}
	if len(p.Candidates) > 0 {
		return p.Candidates[0]
	}
	return ""
}

// dueSlack is how early a parcel may be polled to stay on its cadence.
const dueSlack = time.Minute

// farFuture is further ahead than any next poll the policy schedules: a
// NextDue beyond it was computed while the system clock was wrong (set
// ahead, then corrected), and the parcel is polled now.
const farFuture = 48 * time.Hour

// Watch settings.
const (
	watchEvery  = time.Hour      // how often watch runs
	outageAfter = 12 * time.Hour // a carrier failing this long raises an operator notice
)

// watch raises, at most hourly, the notices that must not wait for a
// successful poll: "stale" and "not found too long" for parcels whose
// carrier is down or refuses them (a successful poll raises them too),
// and one operator notice per carrier that has failed for outageAfter.
// Each is keyed by the moment its condition began, so it is sent once.
// active are the active parcels (archived ones are never read).
func (e *Engine) watch(rt *Runtime, active []store.Parcel, now time.Time) {
	if last := e.lastWatch.Load(); last != 0 && now.Sub(time.Unix(0, last)) < watchEvery {
		return
	}
	e.lastWatch.Store(now.UnixNano())
	var entries []store.OutboxEntry
	in := diffInput{now: now, staleAfter: rt.StaleAfter, notFoundTooLong: rt.NotFoundTooLong}
	for _, p := range active {
		if !p.Active() || neverAsked(p) {
			continue // a parcel waiting for an API key was never asked
		}
		var last carriers.Event
		if p.Last != nil {
			last = *p.Last
		}
		entries = append(entries, withNote(overdue(p, last, in), WaitingNote(p))...)
	}
	health, err := e.store.AllHealth()
	if err != nil {
		e.log.Error("read carrier health", "err", err)
	}
	for _, h := range health {
		if h.Failures == 0 || h.FailingSince.IsZero() || now.Sub(h.FailingSince) < outageAfter {
			continue
		}
		entries = append(entries, store.OutboxEntry{
			Key:  fmt.Sprintf("operator/outage/%s/%d", h.Carrier, h.FailingSince.Unix()),
			Kind: string(notify.KindOperator), Carrier: h.Carrier, Created: now, NotBefore: now,
			Text: fmt.Sprintf("%s has not answered since %s (%d failures in a row; last error: %s). todoku keeps retrying with backoff.",
				h.Carrier, h.FailingSince.In(carriers.Tokyo).Format("2006-01-02 15:04"), h.Failures, h.LastError),
		})
	}
	e.enqueue(entries...)
}

// dueParcels returns the tracked, unfinished parcels to poll at now, in
// due order. A parcel due within the next minute is due now: its NextDue
// was computed from the moment its last answer arrived, a little after
// the tick, and without this slack a 10-minute cadence would slip to the
// next 5-minute tick every time (15 minutes).
func dueParcels(all []store.Parcel, now time.Time) []store.Parcel {
	var due []store.Parcel
	for _, p := range all {
		if !p.Active() {
			continue
		}
		if isDue(p, now) {
			due = append(due, p)
		}
	}
	sort.SliceStable(due, func(i, j int) bool { return due[i].NextDue.Before(due[j].NextDue) })
	return due
}

func isDue(p store.Parcel, now time.Time) bool {
	return !p.NextDue.After(now.Add(dueSlack)) || p.NextDue.After(now.Add(farFuture))
}

// work is what one carrier is handed by a tick: its due parcels in due
// order, and parcels due soon to fill batches that go out anyway.
type work struct {
	due, extra []store.Parcel
}

// plan reads the active parcels (through the store's due-time index,
// never the archived ones), raises overdue notices and groups the due
// parcels by the carrier to ask. At night it plans nothing.
func (e *Engine) plan(rt *Runtime, now time.Time) (map[string]work, error) {
	if rt.Policy.Night(now) {
		return nil, nil
	}
	active, err := e.store.ActiveParcels()
	if err != nil {
		return nil, err
	}
	e.watch(rt, active, now)
	due := dueParcels(active, now)
	if len(due) == 0 {
		return nil, nil
	}
	health, err := e.store.AllHealth()
	if err != nil {
		return nil, err
	}
	blockedNow := map[string]bool{}
	for _, h := range health {
		if stop, _ := blocked(h, now); stop {
			blockedNow[h.Carrier] = true
		}
	}
	groups := map[string][]store.Parcel{}
	for _, p := range due {
		if p.Carrier == "" && len(p.Candidates) == 0 {
			p.Candidates = e.candidates(p.Number)
		}
		if p.Carrier == "" {
			// An API carrier without a key is never asked (candidates.go).
			if p.Candidates = e.registered(p.Candidates); len(p.Candidates) == 0 {
				p.Candidates = e.candidates(p.Number)
			}
		}
		if msg := e.missingKey(p); msg != "" {
			e.waitForKey(p, msg)
			continue
		}
		if p.Carrier == "" {
			// An ambiguous number is not held up by a candidate that is
			// paused or cooling down: ask the next one that can be asked.
			p.Candidates = available(p.Candidates, blockedNow)
		}
		if c := askOf(p); c != "" {
			groups[c] = append(groups[c], p)
		}
	}
	out := make(map[string]work, len(groups))
	for name, ps := range groups {
		out[name] = work{due: ps, extra: piggyback(rt.Policy, name, ps, active, now)}
	}
	return out, nil
}

// Tick polls every parcel that is due now and returns when every carrier
// has been asked (carriers in parallel, each carrier's batches one after
// another under its limits). The demo, the tests and the benchmarks drive
// the engine with it; the daemon's Run hands the same work to each
// carrier's own worker instead and never waits. At night it does nothing.
func (e *Engine) Tick(ctx context.Context) error {
	e.tickMu.Lock()
	defer e.tickMu.Unlock()
	rt := e.rt.Load()
	defer func() { e.lastTick.Store(e.clock.Now().UnixNano()) }()
	e.retryWrites(rt)
	plan, err := e.plan(rt, e.clock.Now())
	if err != nil {
		return fmt.Errorf("tracker: tick: %w", err)
	}
	var wg sync.WaitGroup
	for name, w := range plan {
		wg.Go(func() { e.runWork(ctx, ctx, rt, name, w) })
	}
	wg.Wait()
	return ctx.Err()
}

// available moves the candidates that cannot be asked now behind the ones
// that can, keeping the rank order within each group.
func available(cands []string, blocked map[string]bool) []string {
	if len(blocked) == 0 {
		return cands
	}
	out := make([]string, 0, len(cands))
	for _, c := range cands {
		if !blocked[c] {
			out = append(out, c)
		}
	}
	for _, c := range cands {
		if blocked[c] {
			out = append(out, c)
		}
	}
	return out
}

// piggyback lists parcels of carrier that are not due yet but soon, in
// due order, to fill batches that go out anyway.
func piggyback(p Policy, carrier string, due, all []store.Parcel, now time.Time) []store.Parcel {
	isDue := make(map[string]bool, len(due))
	for _, d := range due {
		isDue[d.Number] = true
	}
	var out []store.Parcel
	for _, q := range all {
		if isDue[q.Number] || !q.Active() || askOf(q) != carrier {
			continue
		}
		if w := p.PiggybackWindow(q); w > 0 && !q.NextDue.After(now.Add(w)) {
			out = append(out, q)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NextDue.Before(out[j].NextDue) })
	return out
}

// runWork polls one carrier's share of a tick. ctx bounds requests;
// soft ends the work between batches (shutdown: no new request starts,
// the one in flight finishes).
func (e *Engine) runWork(ctx, soft context.Context, rt *Runtime, name string, w work) {
	defer e.recoverCarrier(rt, name)
	e.busy(name, len(w.due))
	defer e.idle(name)
	e.pollCarrier(ctx, soft, rt, name, w.due, w.extra)
}

func (e *Engine) pollCarrier(ctx, soft context.Context, rt *Runtime, name string, due, extra []store.Parcel) {
	log := e.log.With("carrier", name)
	c, err := e.reg.Get(name)
	if err != nil {
		log.Error("no adapter for carrier", "err", err)
		return
	}
	size := max(c.BatchSize(), 1)
	g := e.gate(name)
	for len(due) > 0 {
		if soft.Err() != nil {
			return
		}
		n := min(size, len(due))
		batch := append([]store.Parcel(nil), due[:n]...)
		due = due[n:]
		for len(batch) < size && len(due) == 0 && len(extra) > 0 {
			batch, extra = append(batch, extra[0]), extra[1:]
		}
		e.left(name, len(due))
		batch = e.unchanged(batch, log)
		if len(batch) == 0 {
			continue
		}
		h, err := e.store.Health(name)
		if err != nil {
			log.Error("read carrier health", "err", err)
			return
		}
		if stop, why := blocked(h, e.clock.Now()); stop {
			log.Debug("carrier skipped", "reason", why, "parcels", len(batch)+len(due))
			return
		}
		if err := g.wait(soft, e.clock); err != nil {
			return
		}
		if !e.pollBatch(ctx, soft, rt, c, batch, false, log) {
			return
		}
	}
}

// unchanged drops the parcels of batch that changed since the tick read
// them (polled meanwhile by a batch of an earlier tick, finished, removed
// from the config): work handed to a busy carrier may wait a while.
func (e *Engine) unchanged(batch []store.Parcel, log *slog.Logger) []store.Parcel {
	numbers := make([]string, len(batch))
	for i, p := range batch {
		numbers[i] = p.Number
	}
	cur, err := e.store.ParcelsOf(numbers)
	if err != nil {
		log.Error("read parcels", "err", err)
		return batch
	}
	out := batch[:0]
	for _, p := range batch {
		c, ok := cur[p.Number]
		if ok && c.Active() && c.LastPoll.Equal(p.LastPoll) && c.NextDue.Equal(p.NextDue) {
			out = append(out, p)
		}
	}
	return out
}

// recoverCarrier turns a panic while polling a carrier (an adapter bug on
// a page it did not expect) into a layout error, instead of a crashed
// daemon that would crash again on the same page: the second one in a row
// pauses the carrier with one operator notice.
func (e *Engine) recoverCarrier(rt *Runtime, name string) {
	r := recover()
	if r == nil {
		return
	}
	err := &carriers.LayoutError{Carrier: name, Missing: fmt.Sprintf("a page the adapter can read (it panicked: %v)", r)}
	log := e.log.With("carrier", name)
	log.Error("carrier adapter panicked", "panic", r, "stack", string(debug.Stack()))
	e.layout(context.Background(), context.Background(), rt, nil, name, nil, err, false, e.clock.Now(), log)
}

// pollBatch asks the carrier about one batch and applies the answer. It
// reports whether the carrier may be asked again in this tick. confirm
// is set on the re-fetch that confirms a layout change.
func (e *Engine) pollBatch(ctx, soft context.Context, rt *Runtime, c carriers.Carrier, batch []store.Parcel, confirm bool, log *slog.Logger) bool {
	numbers := make([]string, len(batch))
	for i, p := range batch {
		numbers[i] = p.Number
	}
	timeout := rt.PollTimeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	name := c.Name()
	pctx, cancel := context.WithTimeout(ctx, timeout)
	began := e.clock.Now()
	results, err := c.Track(pctx, numbers)
	cancel()
	now := e.clock.Now()
	e.took(name, now.Sub(began))
	e.saveQuota(name, log)
	if err != nil {
		kind := classify(err)
		if kind == "cancelled" && ctx.Err() != nil {
			return false // shutting down: nothing happened
		}
		switch kind {
		case "other":
			// The carrier answered but refused the request (a number it
			// rejects, a page about another number): one bad number must
			// not hold up the others or trip the breaker. Ask one by one.
			return e.split(ctx, soft, rt, c, batch, err, now, log)
		case "layout":
			return e.layout(ctx, soft, rt, c, name, batch, err, !confirm, now, log)
		}
		return e.failed(rt, name, kind, err, batch, now, log)
	}
	got, rest, bad := match(batch, results)
	if bad != "" || len(got) == 0 {
		if bad == "" {
			bad = fmt.Sprintf("one result per number (asked %d, got %d)", len(batch), len(results))
		}
		return e.layout(ctx, soft, rt, c, name, batch, &carriers.LayoutError{Carrier: name, Missing: bad}, !confirm, now, log)
	}
	asked := make([]store.Parcel, 0, len(got))
	answers := make([]carriers.Result, 0, len(got))
	for i, p := range batch {
		if r, ok := got[i]; ok {
			asked, answers = append(asked, p), append(answers, r)
		}
	}
	if err := e.applyResults(rt, name, asked, answers, now, false, log); err != nil {
		log.Error("store poll results (kept to retry)", "err", err, "parcels", len(asked))
	}
	// Numbers the page answered for without naming them (a batch with
	// numbers the carrier does not know yet) are asked alone; the rest
	// of the batch has counted.
	for _, p := range rest {
		log.Info("no result for a number in the batch: asking it alone", "number", p.Number)
		if werr := e.gate(name).wait(soft, e.clock); werr != nil {
			return false
		}
		if !e.pollBatch(ctx, soft, rt, c, []store.Parcel{p}, false, log) {
			return false
		}
	}
	return true
}

// match pairs results with the asked parcels: by number, or by position
// when a result names no number and the page kept the asked order.
// It returns the results by batch index, the parcels left without one,
// and a non-empty description when a result is about a number that was
// not asked (the page is about something else).
func match(batch []store.Parcel, results []carriers.Result) (map[int]carriers.Result, []store.Parcel, string) {
	index := make(map[string]int, len(batch))
	for i, p := range batch {
		index[p.Number] = i
	}
	// Unnamed results are placed by position only when the page keeps
	// the asked order: one result per number, each named one where its
	// number was asked.
	inOrder := len(results) == len(batch)
	for i, r := range results {
		if inOrder && r.Number != "" && r.Number != batch[i].Number {
			inOrder = false
		}
	}
	got := make(map[int]carriers.Result, len(results))
	for i, r := range results {
		n := r.Number
		if n == "" && inOrder {
			n = batch[i].Number
			r.Number = n
		}
		if n == "" {
			continue
		}
		j, ok := index[n]
		if !ok {
			want := batch[min(i, len(batch)-1)].Number
			return nil, nil, fmt.Sprintf("the result for %s (got %s)", want, r.Number)
		}
		if _, dup := got[j]; !dup {
			got[j] = r
		}
	}
	var rest []store.Parcel
	if len(got) > 0 {
		for i, p := range batch {
			if _, ok := got[i]; !ok {
				rest = append(rest, p)
			}
		}
	}
	return got, rest, ""
}

// applyResults writes a batch's answers, the carrier's health and, when
// the answers come from the adapter's layout-free reader, the operator
// notice about it, in ONE store transaction. If the write fails (a full
// disk) the answers are kept and applied again at the next tick.
func (e *Engine) applyResults(rt *Runtime, name string, batch []store.Parcel, results []carriers.Result, now time.Time, kept bool, log *slog.Logger) error {
	h, err := e.store.Health(name)
	if err != nil {
		e.keep(name, batch, results, now)
		return err
	}
	nh := onSuccess(h, now)
	degraded, readable := false, false
	for _, r := range results {
		degraded = degraded || r.Degraded
		readable = readable || (r.Found && !r.Degraded)
	}
	var extra []store.OutboxEntry
	switch {
	case degraded && h.DegradedSince.IsZero():
		nh.DegradedSince = now
		log.Warn("carrier page layout changed: reading the page text instead")
		extra = append(extra, store.OutboxEntry{
			Key:  fmt.Sprintf("operator/degraded/%s/%d", name, now.Unix()),
			Kind: string(notify.KindOperator), Carrier: name, Created: now, NotBefore: now, Degraded: true,
			Text: fmt.Sprintf("%s: the result page layout changed. todoku is reading the page text instead, so parcels are still tracked; update todoku when you can.", name),
		})
	case !degraded && readable && !h.DegradedSince.IsZero():
		nh.DegradedSince = time.Time{}
		log.Info("carrier page layout recognised again")
	}
	if h.Paused {
		log.Info("carrier page readable again: polling resumes")
	}
	var health *store.Health
	// An answer kept through a failed write (kept) can be older than what
	// the carrier did since: it does not clear a later pause, cooldown or
	// breaker (it still counts for its parcels).
	older := kept && (h.PausedAt.After(now) || h.FailingSince.After(now) || h.LastOK.After(now))
	if older {
		extra = nil
	} else if nh.DegradedSince != h.DegradedSince || h.Failures > 0 || h.Paused || h.BreakerOpen || h.LayoutStrikes > 0 ||
		!h.CooldownUntil.IsZero() || h.LastOK.IsZero() || now.Sub(h.LastOK) > time.Hour || h.LastError != "" {
		health = &nh
	}
	numbers := make([]string, len(batch))
	for i, p := range batch {
		numbers[i] = p.Number
	}
	res, err := e.store.ApplyBatch(store.Batch{
		Numbers: numbers,
		Plan: func(i int, cur store.Parcel, exists bool, known func(carriers.Event) bool) (store.Update, bool) {
			if exists && (cur.Carrier != batch[i].Carrier || cur.Pinned != batch[i].Pinned) {
				// Pinned elsewhere (a reload) or resolved by another
				// answer while this carrier was asked: that stands, and
				// this answer is about a carrier no longer asked.
				return store.Update{}, false
			}
			if kept && exists && cur.LastPoll.After(now) {
				return store.Update{}, false // a newer answer is stored
			}
			return e.update(rt, batch[i], cur, exists, known, results[i], now), true
		},
		Health: health,
		Outbox: extra,
	})
	if err != nil {
		e.keep(name, batch, results, now)
		return err
	}
	e.forget(numbers)
	for i, a := range res.Applied {
		for _, ev := range a.Events {
			e.log.Debug("new event", "number", numbers[i], "carrier", ev.Carrier, "status", ev.Status, "raw", ev.Raw)
			if ev.Status == carriers.StatusUnknown {
				e.unknownWord(ev.Carrier, ev.Raw)
			}
		}
	}
	if res.Queued > 0 {
		e.Kick()
	}
	return nil
}

// update turns one result into the parcel's store update. snap is the
// parcel as the tick planned it (its candidates for this tick), cur as
// stored now.
func (e *Engine) update(rt *Runtime, snap, cur store.Parcel, exists bool, known func(carriers.Event) bool, res carriers.Result, now time.Time) store.Update {
	p := snap
	if exists {
		cur.Candidates = snap.Candidates // candidates computed for this tick
		p = cur
	}
	// An ambiguous number that this candidate does not know: try the next.
	if p.Carrier == "" && !res.Found && len(p.Candidates) > 1 {
		p.Candidates = p.Candidates[1:]
		p.LastPoll, p.NextDue = now, now
		return store.Update{Parcel: p}
	}
	if p.Carrier == "" && !res.Found {
		// Nobody knows it (yet): start over with every candidate.
		res.Carrier = ""
		p.Candidates = e.candidates(p.Number)
	}
	u := diff(p, res, diffInput{now: now, known: known,
		staleAfter: rt.StaleAfter, notFoundTooLong: rt.NotFoundTooLong})
	if !p.Tracked {
		u.Outbox = nil // removed from the config while the poll was in flight
	}
	if !res.Found && p.Carrier == "" {
		u.Parcel.Carrier = ""
		// Not found by every registered candidate: say which carrier
		// was not asked for want of a key, on the parcel and in a
		// not-found-too-long notice.
		if msg := e.notAsked(p.Number); msg != "" {
			u.Parcel.LastError = msg
			u.Outbox = withNote(u.Outbox, msg)
		}
	}
	if res.Degraded {
		for i := range u.Outbox {
			u.Outbox[i].Degraded = true
		}
	}
	e.withRand(func(r *rand.Rand) { u.Parcel.NextDue = rt.Policy.Next(u.Parcel, now, r) })
	u.Parcel.Done = rt.Policy.Done(u.Parcel)
	return u
}

// failed handles a batch-level error other than a layout change.
func (e *Engine) failed(rt *Runtime, name, kind string, err error, batch []store.Parcel, now time.Time, log *slog.Logger) bool {
	h, herr := e.store.Health(name)
	if herr != nil {
		log.Error("read carrier health", "err", herr)
		return false
	}
	switch kind {
	case "untrackable":
		for _, p := range batch {
			e.untrackable(rt, p, err, now, log)
		}
		return true
	default: // transient, other, a poll timeout
		if e.quotaSpent(name, err, now, log) {
			return false
		}
		e.withRand(func(r *rand.Rand) { h = onFailure(h, err, now, r) })
		if perr := e.store.PutHealth(h); perr != nil {
			log.Error("write carrier health", "err", perr)
		}
		log.Warn("carrier request failed", "err", err, "failures", h.Failures, "cooldown_until", h.CooldownUntil, "breaker_open", h.BreakerOpen)
		return false
	}
}

// split handles a refusal that is neither transient nor a layout change.
// A batch is asked again one number at a time (under the limiter); a
// single number that is refused moves an ambiguous parcel on to its next
// candidate, or else records the error on the parcel and backs it off like
// a number that is not found.
func (e *Engine) split(ctx, soft context.Context, rt *Runtime, c carriers.Carrier, batch []store.Parcel, err error, now time.Time, log *slog.Logger) bool {
	if len(batch) > 1 {
		log.Warn("carrier refused a batch: asking one number at a time", "err", err, "parcels", len(batch))
		g := e.gate(c.Name())
		for _, p := range batch {
			if werr := g.wait(soft, e.clock); werr != nil {
				return false
			}
			if !e.pollBatch(ctx, soft, rt, c, []store.Parcel{p}, false, log) {
				return false
			}
		}
		return true
	}
	snap := batch[0]
	// Read, change and write in one transaction: a reload that removed or
	// re-pinned the parcel meanwhile is not undone by a stale copy.
	perr := e.store.UpdateParcel(snap.Number, func(p *store.Parcel, exists bool) error {
		if !stillAsked(snap, *p, exists) {
			return store.ErrSkip
		}
		p.Candidates = snap.Candidates
		p.LastPoll = now
		if p.Carrier == "" && len(p.Candidates) > 1 {
			p.Candidates = p.Candidates[1:]
			p.NextDue = now
			return nil
		}
		log.Warn("carrier refused a number", "number", p.Number, "err", err)
		p.LastError = err.Error()
		if p.NotFoundSince.IsZero() {
			p.NotFoundSince = now
		}
		probe := *p
		probe.Status = carriers.StatusNotFound
		e.withRand(func(r *rand.Rand) { p.NextDue = rt.Policy.Next(probe, now, r) })
		return nil
	})
	if perr != nil {
		log.Error("write parcel", "number", snap.Number, "err", perr)
	}
	return true
}

// stillAsked reports whether the stored parcel cur is still the one the
// tick handed out as snap: tracked, active and asked of the same carrier
// (a reload may have removed or re-pinned it while it was being polled).
func stillAsked(snap, cur store.Parcel, exists bool) bool {
	return exists && cur.Active() && cur.Carrier == snap.Carrier && cur.Pinned == snap.Pinned
}

// untrackable handles ErrNotTrackable for one parcel: an ambiguous number
// moves on to its next candidate, a resolved one stops being polled.
func (e *Engine) untrackable(rt *Runtime, p store.Parcel, err error, now time.Time, log *slog.Logger) {
	if p.Carrier == "" && len(p.Candidates) <= 1 && !slices.Equal(e.candidates(p.Number), p.Candidates) {
		// A number that fits both Amazon and carriers with public tracking
		// (99…), which none of them knows yet: it is not found, and the
		// trackable carriers keep being asked.
		if aerr := e.applyResults(rt, askOf(p), []store.Parcel{p}, []carriers.Result{carriers.NotFound("", p.Number)}, now, false, log); aerr != nil {
			log.Error("write parcel", "number", p.Number, "err", aerr)
		}
		return
	}
	snap := p
	// One transaction over the stored parcel, not the tick's snapshot: a
	// reload during the request (the parcel removed or re-pinned) stands.
	perr := e.store.UpdateParcel(snap.Number, func(p *store.Parcel, exists bool) error {
		if !stillAsked(snap, *p, exists) {
			return store.ErrSkip
		}
		p.Candidates = snap.Candidates
		if p.Carrier == "" && len(p.Candidates) > 1 {
			p.Candidates = p.Candidates[1:]
			p.NextDue = now
		} else {
			p.Untrackable, p.Done, p.LastError = true, true, err.Error()
			if p.Carrier == "" && len(p.Candidates) == 1 {
				p.Carrier, p.Candidates = p.Candidates[0], nil
			}
		}
		p.LastPoll = now
		return nil
	})
	if perr != nil {
		log.Error("write parcel", "number", snap.Number, "err", perr)
	}
}

// unknownWord logs, once per carrier and wording for the life of the
// engine, carrier words the adapter does not know: the earliest sign that
// a carrier changed its vocabulary. The event keeps the words and the
// status "unknown"; nothing is guessed.
func (e *Engine) unknownWord(carrier, raw string) {
	e.mu.Lock()
	key := carrier + "\x00" + raw
	seen := e.unknown[key]
	e.unknown[key] = true
	e.mu.Unlock()
	if !seen {
		e.log.Warn("carrier used words todoku does not know", "carrier", carrier, "raw", raw)
	}
}

// operator queues an operator notice.
func (e *Engine) operator(key, carrier, text string, now time.Time) {
	e.enqueue(store.OutboxEntry{
		Key: key, Kind: string(notify.KindOperator), Carrier: carrier, Text: text,
		Created: now, NotBefore: now,
	})
}

// Kick wakes the outbox sender.
func (e *Engine) Kick() {
	select {
	case e.kick <- struct{}{}:
	default:
	}
}
