//go:build unix

package cli

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

// reraise ends the process by sig, with its default action, so that the
// caller sees the process killed by the signal; exit code 2 (internal
// failure) if that fails.
func reraise(sig os.Signal) {
	if s, ok := sig.(syscall.Signal); ok {
		signal.Reset(s)
		_ = syscall.Kill(os.Getpid(), s)
		time.Sleep(time.Second) // delivery to oneself is immediate; this is a fallback
	}
	os.Exit(ExitUsage)
}
