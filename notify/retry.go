package notify

import (
	"math/rand/v2"
	"time"
)

// Retry spacing for failed sends, after Pushover's "no sooner than 5
// seconds" rule.
const (
	MinRetryDelay = 5 * time.Second
	MaxRetryDelay = 15 * time.Minute
)

// RetryDelay returns how long to wait before retry number attempt (1 for
// the first retry) of a send that failed with a retryable error:
// exponential from 5 s (5, 10, 20 … s), capped at 15 min, with up to +25%
// jitter, and never less than 5 s.
func RetryDelay(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := MaxRetryDelay
	if attempt <= 16 { // 5s<<8 already exceeds the cap
		if e := MinRetryDelay << (attempt - 1); e < MaxRetryDelay {
			d = e
		}
	}
	d += time.Duration(rand.Int64N(int64(d)/4 + 1))
	return max(MinRetryDelay, min(d, MaxRetryDelay))
}
