package tracker

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// HeartbeatEvery is how often the scheduler proves it is alive (and reads
// the store to prove that is alive too); the systemd watchdog pings only
// while the heartbeat is fresh (see Alive).
const HeartbeatEvery = 10 * time.Second

// cronLogger adapts slog to robfig/cron's logger.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}

// Run schedules polling and sending until ctx ends, then stops the
// scheduler, lets each carrier finish the request in flight (up to the
// shutdown timeout, abandoning it after that), and returns. No goroutine
// it started outlives it. Parcels overdue at start-up are polled at once.
//
// Each tick only hands out due work: every carrier has its own queue and
// worker under its own limiter, so a slow, failing or paused carrier
// delays no other, and a tick never waits for a carrier. Work handed to a
// carrier that is still busy replaces the work it has not started.
func (e *Engine) Run(ctx context.Context) error {
	rt := e.rt.Load()
	clog := cronLogger{e.log}
	c := cron.New(
		cron.WithLocation(rt.Policy.location()),
		cron.WithLogger(clog),
		cron.WithChain(cron.Recover(clog), cron.SkipIfStillRunning(clog)),
	)
	// Requests run under work, cancelled only after the shutdown grace
	// period so in-flight polls can finish; soft ends at shutdown and
	// stops workers between requests.
	work, abandon := context.WithCancel(context.Background())
	defer abandon()
	soft, stopWork := context.WithCancel(work)
	defer stopWork()
	p := &pool{work: work, soft: soft, workers: map[string]*worker{}}
	var wg sync.WaitGroup
	tickJob := cron.FuncJob(func() {
		if err := e.dispatch(p); err != nil && soft.Err() == nil {
			e.log.Error("tick failed", "err", err)
		}
		e.Kick()
	})
	tickID, err := c.AddJob(scheduleSpec(rt.Schedule), tickJob)
	if err != nil {
		return fmt.Errorf("tracker: schedule %q: %w", rt.Schedule, err)
	}
	if _, err := c.AddFunc(fmt.Sprintf("@every %s", HeartbeatEvery), e.heartbeat); err != nil {
		return fmt.Errorf("tracker: heartbeat: %w", err)
	}
	if _, err := c.AddFunc("@every 6h", func() { e.archive(work) }); err != nil {
		return fmt.Errorf("tracker: archive: %w", err)
	}
	e.heartbeat()
	c.Start()
	e.log.Info("scheduler started", "schedule", scheduleSpec(rt.Schedule))

	e.setCron(c, rt.Schedule, tickJob, tickID)
	defer e.setCron(nil, "", nil, 0)

	wg.Add(2)
	go func() { defer wg.Done(); e.sender(work) }()
	go func() { // overdue at start-up: hand out now; then on every poke
		defer wg.Done()
		tickJob.Run()
		e.archive(work)
		for {
			select {
			case <-soft.Done():
				return
			case <-e.pokeCh:
				tickJob.Run()
			}
		}
	}()

	<-ctx.Done()
	e.log.Info("stopping scheduler")
	stopped := c.Stop()
	stopWork() // workers take no new batch
	polls := make(chan struct{})
	go func() { <-stopped.Done(); p.wait(); close(polls) }()
	// Give in-flight polls the grace period, then abandon them. The
	// sender stops when work is cancelled.
	grace := time.NewTimer(e.shutdown)
	defer grace.Stop()
	select {
	case <-polls:
	case <-grace.C:
		e.log.Warn("abandoning in-flight polls", "grace", e.shutdown)
	}
	abandon()
	<-polls
	wg.Wait()
	return nil
}

// pool is the running engine's per-carrier workers.
type pool struct {
	work, soft context.Context
	mu         sync.Mutex
	workers    map[string]*worker
	wg         sync.WaitGroup
	closed     bool
}

// worker polls one carrier: it runs the latest work handed to it, one
// piece at a time.
type worker struct {
	wake chan struct{}
	mu   sync.Mutex
	next *work
	rt   *Runtime
}

// dispatch plans a tick and hands each carrier its share without waiting.
func (e *Engine) dispatch(p *pool) error {
	e.tickMu.Lock()
	defer e.tickMu.Unlock()
	rt := e.rt.Load()
	defer func() { e.lastTick.Store(e.clock.Now().UnixNano()) }()
	if p.soft.Err() != nil {
		return nil
	}
	e.retryWrites(rt)
	plan, err := e.plan(rt, e.clock.Now())
	if err != nil {
		return fmt.Errorf("tracker: tick: %w", err)
	}
	for name, w := range plan {
		p.offer(e, rt, name, w)
	}
	return nil
}

// offer hands w to the carrier's worker, starting it if needed. Work it
// has not started yet is replaced: w is newer and covers it.
func (p *pool) offer(e *Engine, rt *Runtime, name string, w work) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.soft.Err() != nil {
		return
	}
	wk, ok := p.workers[name]
	if !ok {
		wk = &worker{wake: make(chan struct{}, 1)}
		p.workers[name] = wk
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			wk.loop(e, p, name)
		}()
	}
	wk.mu.Lock()
	wk.next, wk.rt = &w, rt
	wk.mu.Unlock()
	select {
	case wk.wake <- struct{}{}:
	default:
	}
}

func (wk *worker) loop(e *Engine, p *pool, name string) {
	for {
		select {
		case <-p.soft.Done():
			return
		case <-wk.wake:
		}
		wk.mu.Lock()
		w, rt := wk.next, wk.rt
		wk.next = nil
		wk.mu.Unlock()
		if w != nil {
			e.runWork(p.work, p.soft, rt, name, *w)
		}
	}
}

// wait closes the pool and waits for its workers.
func (p *pool) wait() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.wg.Wait()
}

// setCron remembers the running scheduler so SetRuntime can move the tick
// to a new schedule.
func (e *Engine) setCron(c *cron.Cron, spec string, job cron.Job, id cron.EntryID) {
	e.cronMu.Lock()
	defer e.cronMu.Unlock()
	e.cron, e.cronSpec, e.cronJob, e.cronEntry = c, scheduleSpec(spec), job, id
}

// reschedule moves the tick to spec if the scheduler runs and spec changed.
func (e *Engine) reschedule(spec string) error {
	e.cronMu.Lock()
	defer e.cronMu.Unlock()
	spec = scheduleSpec(spec)
	if e.cron == nil || spec == e.cronSpec {
		return nil
	}
	id, err := e.cron.AddJob(spec, e.cronJob)
	if err != nil {
		return fmt.Errorf("tracker: schedule %q: %w", spec, err)
	}
	e.cron.Remove(e.cronEntry)
	e.cronEntry, e.cronSpec = id, spec
	e.log.Info("schedule changed", "schedule", spec)
	return nil
}

// scheduleSpec returns the tick's cron spec (default every 5 minutes).
func scheduleSpec(s string) string {
	if s == "" {
		return "*/5 * * * *"
	}
	return s
}

// ValidateSchedule checks a cron spec the way Run will use it, including
// that it ever fires (0 0 30 2 * parses but never runs).
func ValidateSchedule(s string) error {
	sched, err := cron.ParseStandard(scheduleSpec(s))
	if err != nil {
		return err
	}
	if sched.Next(time.Now()).IsZero() {
		return fmt.Errorf("tracker: schedule %q never fires", s)
	}
	return nil
}

func (e *Engine) heartbeat() {
	if err := e.store.Ping(); err != nil {
		e.log.Error("store check failed", "err", err)
		return
	}
	e.lastBeat.Store(time.Now().UnixNano())
}

// Alive reports an error unless the scheduler ran its heartbeat (which
// also reads the store) within maxAge.
func (e *Engine) Alive(maxAge time.Duration) error {
	last := time.Unix(0, e.lastBeat.Load())
	if age := time.Since(last); age > maxAge {
		return fmt.Errorf("tracker: no heartbeat for %v", age.Round(time.Second))
	}
	return nil
}

// LastTick returns when the last polling tick finished (engine clock).
func (e *Engine) LastTick() time.Time {
	n := e.lastTick.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func (e *Engine) archive(ctx context.Context) {
	rt := e.rt.Load()
	if rt.ArchiveAfter <= 0 || ctx.Err() != nil {
		return
	}
	n, err := e.store.Archive(e.clock.Now(), rt.ArchiveAfter, rt.PruneHistory)
	if err != nil {
		e.log.Error("archive parcels", "err", err)
		return
	}
	if n > 0 {
		e.log.Info("parcels archived", "count", n, "history_pruned", rt.PruneHistory)
	}
}
