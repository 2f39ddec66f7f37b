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
// # Carriers poll independently
//
// In Run a tick only reads the active parcels (the store's due-time index;
// archived ones are never read) and hands each carrier its due parcels.
// Every carrier has its own worker and limiter: a carrier that answers in
// seconds, fails or is paused delays no other, and the tick never waits.
// Work handed to a busy carrier replaces the work it has not started, and
// parcels polled meanwhile are skipped. On shutdown the workers finish
// the request in flight (up to the shutdown timeout) and start no other.
// [Engine.CarrierStates] reports each carrier as ok, slow, paused (until
// its next check) or failing (since when) for health reports.
//
// # A layout pause that heals
//
// A page whose landmarks are missing is fetched again at once; only a
// second bad page in a row pauses the carrier, with one operator notice
// that names the next check. Re-checks come 15 minutes later, then twice
// as long each time, up to every 6 hours; any readable page clears the
// pause. A config reload, a new engine (a restart, often after an upgrade)
// and [Engine.Resume] (`todoku resume CARRIER`) re-check at once. Results
// an adapter read with its layout-free text reader (Result.Degraded) are
// used like any other; the first raises one operator notice per carrier,
// and their notices carry the Degraded flag.
//
// # Writes
//
// A polled batch is one store transaction: the parcels, their new events,
// their notices and the carrier's health. If it fails (a full disk), the
// answers are kept and applied again at the next tick, notices are queued
// again, and a notice sent but not recorded is recorded later and never
// sent twice.
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
