package cli

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/metaacademy/ota/internal/atomicfile"
)

// cleanupOnSignal makes an interrupt (Ctrl-C) or a termination request
// remove every temporary file of a write in progress before the process
// ends, so that no half-written ".OUT.tmp-*" file is left behind, and then
// end the process as the signal would have. stop undoes it.
func cleanupOnSignal(stderr *os.File) (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	quit := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			if n := atomicfile.Cleanup(); n > 0 {
				fmt.Fprintf(stderr, "ota: %v; removed %d partial output file(s)\n", sig, n)
			}
			reraise(sig)
		case <-quit:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(quit)
	}
}
