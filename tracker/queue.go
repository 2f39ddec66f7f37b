package tracker

import "github.com/todoku/todoku/store"

// Queue puts notices that arise outside a poll (the daemon's
// announcement of a parcel added from a mail) into the outbox, where
// they are sent like every notice: quiet hours, retries, held while
// Pushover is down. A key already queued or sent is skipped; a write
// that fails is kept and queued again at the next tick.
func (e *Engine) Queue(entries ...store.OutboxEntry) { e.enqueue(entries...) }
