package notify

import (
	"testing"
	"time"
)

func TestRetryDelay(t *testing.T) {
	tests := []struct {
		attempt  int
		min, max time.Duration
	}{
		{0, 5 * time.Second, 6250 * time.Millisecond},
		{1, 5 * time.Second, 6250 * time.Millisecond},
		{2, 10 * time.Second, 12500 * time.Millisecond},
		{3, 20 * time.Second, 25 * time.Second},
		{8, 10*time.Minute + 40*time.Second, MaxRetryDelay},
		{9, MaxRetryDelay, MaxRetryDelay},
		{100, MaxRetryDelay, MaxRetryDelay},
	}
	for _, tt := range tests {
		for range 50 {
			if got := RetryDelay(tt.attempt); got < tt.min || got > tt.max {
				t.Fatalf("RetryDelay(%d) = %s, want in [%s, %s]", tt.attempt, got, tt.min, tt.max)
			}
		}
	}
	seen := map[time.Duration]bool{}
	for range 50 {
		seen[RetryDelay(3)] = true
	}
	if len(seen) < 2 {
		t.Errorf("RetryDelay(3) has no jitter: %v", seen)
	}
}
