package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// otaBin is the ota binary, built once for the whole test binary by
// TestMain.
var otaBin string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "ota-cmd-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "creating a folder for the binary:", err)
		return 2
	}
	defer os.RemoveAll(dir)
	// go test puts its own go first on PATH.
	goTool, err := exec.LookPath("go")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot build ota: no go command on PATH:", err)
		return 2
	}
	otaBin = filepath.Join(dir, "ota")
	build := exec.Command(goTool, "build", "-o", otaBin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build ./cmd/ota: %v\n%s", err, out)
		return 2
	}
	return m.Run()
}

type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s\n--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// ota runs the binary with args and stdin (which may be nil).
func ota(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	cmd := exec.Command(otaBin, args...)
	cmd.Stdin = stdin
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee) && ee.Exited():
		r.code = ee.ExitCode()
	default:
		t.Fatalf("running ota %s: %v\n%s", strings.Join(args, " "), err, r)
	}
	for _, s := range []string{r.stdout, r.stderr} {
		if strings.Contains(s, "goroutine ") || strings.Contains(s, "panic:") || strings.Contains(s, "internal error") {
			t.Errorf("ota %s panicked:\n%s", strings.Join(args, " "), r)
			break
		}
	}
	return r
}

const (
	validDoc = `{
  "ota": "1.0",
  "id": "urn:example:course",
  "kind": "course",
  "title": {"en": "A course", "fr": "Un cours"},
  "license": "CC-BY-4.0",
  "parts": [{"id": "urn:example:course:m1", "kind": "module", "title": {"en": "Module one"}, "duration": "PT1H"}]
}
`
	invalidDoc = `{
  "ota": "1.0",
  "id": "relative",
  "kind": "nonsense",
  "title": {"en": "Invalid"},
  "license": "CC-BY-4.0"
}
`
)

var (
	issueLineRE = regexp.MustCompile(`^(.+?)(:\d+)?: (error|warning|info) [a-z0-9.-]+ at (/\S*): .+$`)
	summaryRE   = regexp.MustCompile(`(?m)^\d+ valid, \d+ invalid\n\z`)
)

func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkIssueLines checks validate's text output against the contract.
func checkIssueLines(t *testing.T, r result) {
	t.Helper()
	if !summaryRE.MatchString(r.stdout) {
		t.Errorf("stdout does not end with %q:\n%s", "N valid, M invalid", r)
		return
	}
	ls := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	for _, l := range ls[:len(ls)-1] {
		if !issueLineRE.MatchString(l) {
			t.Errorf("issue line %q breaks the contract", l)
		}
	}
}

func TestCommand(t *testing.T) {
	dir := t.TempDir()
	valid := write(t, dir, "valid.ota.json", []byte(validDoc))
	invalid := write(t, dir, "invalid.ota.json", []byte(invalidDoc))
	garbage := write(t, dir, "garbage.bin", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"))
	missing := filepath.Join(dir, "missing.json")

	tests := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stdout string // a substring of stdout
	}{
		{"valid", []string{"validate", valid}, "", 0, "1 valid, 0 invalid\n"},
		{"invalid", []string{"validate", invalid}, "", 1, "0 valid, 1 invalid\n"},
		{"garbage", []string{"validate", garbage}, "", 2, "0 valid, 1 invalid\n"},
		{"missing", []string{"validate", missing}, "", 2, "0 valid, 1 invalid\n"},
		{"highest wins", []string{"validate", valid, invalid, garbage}, "", 2, "1 valid, 2 invalid\n"},
		{"stdin", []string{"validate", "-"}, validDoc, 0, "1 valid, 0 invalid\n"},
		{"stdin invalid", []string{"validate", "-"}, invalidDoc, 1, "-:4: error asset.kind.unknown at /kind: "},
		{"json after the path", []string{"validate", invalid, "--format", "json"}, "", 1, `"invalid": 1`},
		{"inspect", []string{"inspect", valid}, "", 0, `└── module "Module one" PT1H`},
		{"inspect stdin fr", []string{"inspect", "--lang", "fr", "-"}, validDoc, 0, `course "Un cours"`},
		{"convert to stdout", []string{"convert", valid, "-", "--to", "json"}, "", 0, `"id": "urn:example:course"`},
		{"schema", []string{"schema", "asset"}, "", 0, `"$schema": "https://json-schema.org/draft/2020-12/schema"`},
		{"version", []string{"version"}, "", 0, "ota "},
		{"help", []string{"help"}, "", 0, "Usage: ota COMMAND"},
		{"no args", nil, "", 2, ""},
		{"unknown command", []string{"frobnicate"}, "", 2, ""},
		{"unknown flag", []string{"validate", valid, "--frob"}, "", 2, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdin io.Reader
			if tc.stdin != "" {
				stdin = strings.NewReader(tc.stdin)
			}
			r := ota(t, stdin, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\n%s", r.code, tc.code, r)
			}
			if !strings.Contains(r.stdout, tc.stdout) {
				t.Errorf("stdout lacks %q\n%s", tc.stdout, r)
			}
			if strings.HasSuffix(tc.stdout, " invalid\n") {
				checkIssueLines(t, r)
			}
			if r.code == 2 && !strings.HasSuffix(tc.stdout, " invalid\n") && r.stderr == "" {
				t.Errorf("a usage error says why on stderr\n%s", r)
			}
		})
	}

	t.Run("convert to a file", func(t *testing.T) {
		outDir := t.TempDir()
		out := filepath.Join(outDir, "out.json")
		r := ota(t, nil, "convert", valid, out)
		if r.code != 0 {
			t.Fatalf("%s", r)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		want := ota(t, nil, "inspect", "--format", "json", valid)
		if string(got) != want.stdout {
			t.Errorf("convert wrote\n%s\ninspect --format json prints\n%s", got, want.stdout)
		}
		if es, _ := os.ReadDir(outDir); len(es) != 1 {
			t.Errorf("%d entries in the output folder, want only out.json", len(es))
		}
	})
}

// TestCommandHostile runs a few hostile inputs through the real binary:
// each must exit 2 with a message, and never print a panic.
func TestCommandHostile(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "folder")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data []byte
		as   string
		path string // instead of data
	}{
		{name: "empty", data: nil},
		{name: "whitespace", data: []byte(" \n\t\r\n")},
		{name: "zip signature", data: append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0xA5, 0x00, 0x7F}, 1000)...)},
		{name: "binary garbage", data: bytes.Repeat([]byte{0xDE, 0xAD, 0xBE, 0xEF, 0x00}, 2000)},
		{name: "1 MB of [", data: bytes.Repeat([]byte("["), 1<<20), as: "ota"},
		{name: "1 MB of {\"a\":", data: bytes.Repeat([]byte(`{"a":`), (1<<20)/5)},
		{name: "invalid UTF-8", data: []byte(`{"ota":"1.0","id":"urn:x","kind":"course","title":{"en":"` + "\xff" + `"}}`)},
		{name: "lone {", data: []byte("{")},
		{name: "truncated", data: []byte(validDoc[:len(validDoc)/2])},
		{name: "NUL bytes", data: []byte("{\"ota\":\x00\"1.0\"}")},
		{name: "array root", data: []byte(`[]`), as: "ota"},
		{name: "string root", data: []byte(`"x"`)},
		{name: "format 9.0", data: []byte(`{"ota":"9.0"}`)},
		{name: "folder", path: folder},
		{name: "folder as ota", path: folder, as: "ota"},
	}
	for i, tc := range cases {
		path := tc.path
		if path == "" {
			path = write(t, dir, fmt.Sprintf("hostile-%02d.json", i), tc.data)
		}
		for _, cmd := range []string{"validate", "inspect"} {
			for _, via := range []string{"path", "stdin"} {
				if via == "stdin" && tc.path != "" {
					continue
				}
				t.Run(cmd+"/"+via+"/"+tc.name, func(t *testing.T) {
					args := []string{cmd}
					if tc.as != "" {
						args = append(args, "--as", tc.as)
					}
					var stdin io.Reader
					if via == "stdin" {
						args = append(args, "-")
						stdin = bytes.NewReader(tc.data)
					} else {
						args = append(args, path)
					}
					r := ota(t, stdin, args...)
					if r.code != 2 {
						t.Errorf("exit %d, want 2\n%s", r.code, r)
					}
					msg := r.stderr
					if cmd == "validate" {
						msg = r.stdout
						checkIssueLines(t, r)
					}
					if strings.TrimSpace(msg) == "" {
						t.Errorf("no message says why\n%s", r)
					}
				})
			}
		}
	}
}
