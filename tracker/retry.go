package tracker

import (
	"time"

	"github.com/todoku/todoku/carriers"
	"github.com/todoku/todoku/store"
)

// pendingPoll is an answer that could not be stored (the disk was full):
// it is applied again, against the store as it is then, at the next tick.
type pendingPoll struct {
	carrier string
	parcel  store.Parcel
	result  carriers.Result
	at      time.Time
}

// keep remembers answers whose write failed. A newer answer about the
// same parcel replaces an older one.
func (e *Engine) keep(carrier string, batch []store.Parcel, results []carriers.Result, at time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, p := range batch {
		e.pending[p.Number] = pendingPoll{carrier: carrier, parcel: p, result: results[i], at: at}
	}
}

// forget drops kept answers about numbers whose newer answer is stored.
func (e *Engine) forget(numbers []string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, n := range numbers {
		delete(e.pending, n)
	}
}

// enqueue queues outbox entries; if the write fails they are kept and
// queued again at the next tick, so no notice is lost to a full disk.
func (e *Engine) enqueue(entries ...store.OutboxEntry) {
	if len(entries) == 0 {
		return
	}
	n, err := e.store.Enqueue(entries...)
	if err != nil {
		e.log.Error("queue notices (kept to retry)", "err", err, "notices", len(entries))
		e.mu.Lock()
		e.unqueued = append(e.unqueued, entries...)
		e.mu.Unlock()
		return
	}
	if n > 0 {
		e.Kick()
	}
}

// retryWrites applies the kept answers and queues the kept notices.
func (e *Engine) retryWrites(rt *Runtime) {
	e.mu.Lock()
	pend := e.pending
	notices := e.unqueued
	if len(pend) == 0 && len(notices) == 0 {
		e.mu.Unlock()
		return
	}
	e.pending = map[string]pendingPoll{}
	e.unqueued = nil
	e.mu.Unlock()
	if len(notices) > 0 {
		e.enqueue(notices...)
	}
	for _, pp := range pend {
		log := e.log.With("carrier", pp.carrier)
		if err := e.applyResults(rt, pp.carrier, []store.Parcel{pp.parcel}, []carriers.Result{pp.result}, pp.at, true, log); err != nil {
			log.Error("store poll result again (kept)", "number", pp.parcel.Number, "err", err)
		} else {
			log.Info("poll result stored after an earlier write failure", "number", pp.parcel.Number)
		}
	}
}

// Unstored returns how many answers and notices (queued, or sent and not
// recorded as sent) wait to be written again.
func (e *Engine) Unstored() (answers, notices int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.pending), len(e.unqueued) + len(e.unsaved)
}

// sentUnmarked remembers outbox entry id as sent at at although the
// store could not record it; Drain records it before anything else and
// never sends it again.
func (e *Engine) sentUnmarked(id uint64, at time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.unsaved == nil {
		e.unsaved = map[uint64]time.Time{}
	}
	e.unsaved[id] = at
}

// unmarked reports whether entry id was sent but not yet recorded.
func (e *Engine) unmarked(id uint64) (time.Time, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	at, ok := e.unsaved[id]
	return at, ok
}

// marked forgets entry id once its sending is recorded.
func (e *Engine) marked(id uint64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.unsaved, id)
}
