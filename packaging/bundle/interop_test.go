package bundle

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestInteropTools checks a signed bundle, a bundle of files compressed
// in several pieces, and the key files with tools that are not ours:
// Info-ZIP's unzip inflates every entry and tests its CRC, and
// OpenSSL reads both key files. Each is skipped when not installed.
func TestInteropTools(t *testing.T) {
	if testing.Short() {
		t.Skip("runs external tools; not under -short")
	}
	dir := t.TempDir()
	bundlePath := filepath.Join(dir, "course.ota")
	if err := os.WriteFile(bundlePath, writeTestBundle(t), 0o644); err != nil {
		t.Fatal(err)
	}
	pub, priv := mustKey(t)
	if err := SignFile(t.Context(), bundlePath, priv, Options{}); err != nil {
		t.Fatal(err)
	}
	// Files larger than the writer's 1 MiB pieces: zlib must read the
	// joined pieces as one deflate stream.
	bigPath := filepath.Join(dir, "big.ota")
	doc, fsys := bigTree()
	if err := os.WriteFile(bigPath, writeBundle(t, fsys, doc), 0o644); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(dir, "nso")
	if err := WriteKeyFiles(prefix, pub, priv); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		label, name string
		args        []string
	}{
		{"unzip test", "unzip", []string{"-t", "-q", bundlePath}},
		{"unzip test of pieces", "unzip", []string{"-t", "-q", bigPath}},
		{"openssl private key", "openssl", []string{"pkey", "-in", prefix + ".key", "-noout"}},
		{"openssl public key", "openssl", []string{"pkey", "-pubin", "-in", prefix + ".pub", "-noout"}},
	} {
		t.Run(tc.label, func(t *testing.T) {
			if _, err := exec.LookPath(tc.name); err != nil {
				t.Skipf("%s not installed", tc.name)
			}
			if out, err := exec.Command(tc.name, tc.args...).CombinedOutput(); err != nil {
				t.Fatalf("%s %v: %v\n%s", tc.name, tc.args, err, out)
			}
		})
	}
}
