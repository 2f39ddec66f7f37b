// Package notify turns what the tracker noticed about a parcel into a push
// notification and sends it: the [Notifier] contract, message composition
// in Japanese or English ([Composer]), the per-event policy with quiet
// hours ([Settings.Plan]), a Pushover notifier that wraps
// github.com/gregdel/pushover ([Pushover]), a console notifier for the demo
// and --dry-run ([Console]), and the phone-number directory behind
// `todoku whois` ([Whois]).
//
// # Basics
//
// The tracker converts each outbox entry into a [Notice], asks
// [Settings.Plan] whether and when to send it, calls [Composer.Compose] and
// then [Notifier.Send], and records the result (and the dedup key from
// [DedupKey]) in the store; after a retryable failure it waits
// [RetryDelay] (at least 5 s, exponential with jitter). This package never
// imports the store or the tracker; it only uses the shared model types
// from carriers. [Directory] builds the Composer's contact lookup from the
// carriers' Contacts().
//
// Quiet hours are counted in [Settings.Location] (Asia/Tokyo when nil), the
// user's time zone; during them the configured priority decides, not the
// kind: priority 2 is sent, urgent news (priority 1) is sent at -1 or
// deferred as [Settings.QuietFailure] says, and anything else waits until
// they end. Event times and carrier opening hours in messages are always
// Asia/Tokyo, the Japanese carriers' times.
//
// A composed [Message] always fits Pushover's limits (message 1024, title
// 250, url 512, url_title 100 characters, counted in runes): text is
// truncated, never rejected, and the phone line sits near the top of the
// body so that it survives truncation. Links only ever point at a
// carrier's official domains; any other link is dropped.
//
// # Caveats
//
// gregdel/pushover sends through http.DefaultClient (no timeout, no
// context) to the package variable pushover.APIEndpoint. [Pushover.Send]
// therefore runs the library call in a goroutine and waits for it only
// until the context or the configured timeout ends. At most one library
// call is in flight in the whole process (a one-slot semaphore also guards
// the APIEndpoint variable): while an abandoned call is still hanging,
// further sends fail fast with a retryable [ErrSendInFlight] instead of
// piling up goroutines. If an abandoned call later turns out to have been
// accepted, a retry of the same message is answered as sent without a
// second request. A request that never ends at all (a server that
// accepts the connection and never answers) keeps the slot until the
// process restarts, unless the process bounds http.DefaultClient itself.
// After a retryable failure, Send refuses (retryably, [ErrTooSoon]) to try
// again within 5 s.
//
// The library hides the HTTP status of errors: a 429 (monthly quota spent)
// is recognised from Pushover's error text or from a remaining quota of
// zero seen earlier, and reported as a [*QuotaError]. A successful send
// whose quota headers are missing or malformed is a success, never a
// retry.
package notify
