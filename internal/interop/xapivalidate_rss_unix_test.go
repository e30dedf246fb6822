//go:build unix

package interop

import (
	"os"
	"runtime"
	"syscall"
)

// peakRSS returns the peak resident set size of an ended process, in
// bytes, or 0 when it is not known.
func peakRSS(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss) // bytes there, kilobytes elsewhere
	}
	return int64(ru.Maxrss) << 10
}
