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
// context) to the package variable pushover.APIEndpoint, and reads its
// answers without a limit. This package therefore wraps
// http.DefaultClient's transport once, when it is initialised (see
// transport.go): the library's request in flight gets the send's
// context, so it ends at the send's deadline, and its answer is read
// here, at most [MaxResponseBody] (64 KiB) bytes, with its HTTP status
// and headers recorded, which the library hides. Other requests through
// http.DefaultClient pass through untouched. At most one library call is
// in flight in the whole process (a one-slot semaphore also guards the
// APIEndpoint variable); while one is, further sends wait for the slot
// until their context ends ([ErrSendInFlight], retryable). After a
// retryable failure, Send refuses (retryably, [ErrTooSoon]) to try again
// within 5 s.
//
// How an answer is taken (Pushover API, https://pushover.net/api
// "Response" and "Being Friendly to our API"):
//
//   - any 2xx means sent, even when its body cannot be read or is cut
//     off: it is never sent again;
//   - 429 is a pause, never a drop: [Pushover.Send] answers with a
//     [*QuotaError] until Retry-After (or the limit headers'
//     X-Limit-App-Reset, or the monthly reset when Pushover says the
//     quota is spent), and the sender keeps every notice until then;
//   - a 4xx about the credentials (401, 403, "token":"invalid" or
//     "user":"invalid" in the body, "application token is invalid", "user
//     identifier is not a valid user …") holds every notice: Send answers
//     with a [*QuotaError] a minute ahead, makes one request every
//     [CredentialRecheck] to see whether the credentials work again, and
//     says so in the log, in an operator notice and in [Pushover.Problem]
//     (the daemon's health); a reload with new credentials builds a new
//     notifier, which sends the held notices, oldest first, each with its
//     delay (see [Notice.Queued]);
//   - any other 4xx rejects that one message ([ErrRejected]); the message
//     is logged with its text;
//   - 5xx, network errors and timeouts are retried (a 5xx with
//     Retry-After pauses sending like a 429).
//
// A successful send whose quota headers are missing or malformed is a
// success, never a retry.
package notify
