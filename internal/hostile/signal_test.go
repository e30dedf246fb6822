package hostile

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalRemovesTemporaryFiles interrupts convert while it writes a
// bundle and checks that nothing is left in the output folder: the
// temporary file is removed on SIGTERM and SIGINT as on any error.
func TestSignalRemovesTemporaryFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 64 MiB; skipped under -short")
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			s := newSandbox(t)
			// Random bytes do not compress: writing them takes long
			// enough to be interrupted.
			data := make([]byte, 64<<20)
			r := rand.NewChaCha8([32]byte{byte(sig)})
			_, _ = r.Read(data)
			writeFile(t, s.in, "data.bin", string(data))
			writeFile(t, s.in, "page.html", page)
			in := writeFile(t, s.in, "doc.json", otaWith("page.html", "data.bin"))
			out := filepath.Join(s.out, "out.ota")

			cmd := exec.Command(otaBin, "convert", in, out)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			tmp := waitForTemporary(t, s.out, 60*time.Second)
			if tmp == "" {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				t.Skip("the conversion ended before a temporary file was seen; the machine is too fast for this test")
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(deadline):
				_ = cmd.Process.Kill()
				t.Fatalf("ota did not end after %v", sig)
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("ota ended with %v after %v; want it ended by the signal", err, sig)
			}
			if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != sig {
				t.Errorf("ota ended with %v; want it ended by %v", err, sig)
			}
			if left := s.outputs(t); len(left) > 0 {
				t.Errorf("left in the output folder: %v", left)
			}
			if !strings.Contains(stderr.String(), "removed 1 partial output") {
				t.Errorf("stderr does not say the partial output was removed:\n%s", stderr.String())
			}
		})
	}
}

// waitForTemporary waits until a temporary file with some data appears
// in dir and returns its path, or "" after timeout.
func waitForTemporary(t *testing.T, dir string, timeout time.Duration) string {
	t.Helper()
	for end := time.Now().Add(timeout); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !strings.Contains(e.Name(), ".tmp-") {
				continue
			}
			if fi, err := e.Info(); err == nil && fi.Size() > 0 {
				return filepath.Join(dir, e.Name())
			}
		}
	}
	return ""
}
