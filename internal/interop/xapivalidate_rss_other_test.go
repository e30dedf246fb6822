//go:build !unix

package interop

import "os"

// peakRSS returns 0: the peak resident set size is not known here.
func peakRSS(*os.ProcessState) int64 { return 0 }
