//go:build !unix

package cli

import "os"

// reraise ends the process with exit code 2: systems without Unix
// signals cannot end a process by one.
func reraise(os.Signal) { os.Exit(ExitUsage) }
