//go:build unix

package sagawa

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user and system) this process has used so
// far. BenchmarkParse reports it per parse: on the shared, loaded test
// machine wall-clock ns/op mostly measures waiting for a core.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
