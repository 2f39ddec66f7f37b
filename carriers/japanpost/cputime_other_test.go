//go:build !unix

package japanpost

import "time"

// cpuTime is unavailable here; the benchmarks then report 0 cpu-ns/op.
func cpuTime() time.Duration { return 0 }
