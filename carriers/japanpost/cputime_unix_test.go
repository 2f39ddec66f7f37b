//go:build unix

package japanpost

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user+system) the process has used. The
// benchmarks report it per op because the shared test machine is heavily
// loaded, which makes wall-clock ns/op meaningless.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
