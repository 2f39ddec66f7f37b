// Package tracker is todoku's engine: it decides which parcels are due,
// asks each carrier politely (batched, rate-limited, with backoff, a
// circuit breaker and a pause when a page layout changes), turns the
// answers into stored events and outbox entries in one transaction, and
// drains the outbox through a notifier.
//
// # Basics
//
// [New] builds an [Engine] from a store, the carrier registry and a
// [Runtime] (policy, limits, notifier). [Engine.Run] schedules ticks with
// robfig/cron (panic recovery and skip-if-still-running on), polls parcels
// that were overdue at start-up once, runs the outbox sender, and returns
// only when every goroutine it started has ended. [Engine.Tick] and
// [Engine.Drain] do one pass each and are what the demo and the
// benchmarks drive with a [Virtual] clock.
//
// # Caveats
//
// Delivery of notifications is at-least-once: a crash after Pushover
// accepted a message but before the store recorded it sends it again on
// restart. Nothing else is sent twice: outbox entries carry a dedup key
// that the sent-ledger remembers.
//
// robfig/cron does not catch up missed runs; Run polls every overdue parcel
// once at start-up instead.
package tracker
