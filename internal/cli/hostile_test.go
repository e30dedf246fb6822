// The hostile inputs here run the command in-process, to measure what it
// allocates and to feed it endless streams; the hostile-input suite over
// every input kind, which runs the built command as a separate process
// and checks links, FIFOs, outside bytes, deadlines and peak RSS, is in
// internal/hostile.

package cli_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/asset"
)

// hostileCase is an input the command must refuse with a clear message and
// a non-zero exit, without panicking and in bounded memory.
type hostileCase struct {
	name string
	data []byte
	as   string   // --as KIND, when set
	code int      // the exit code
	want []string // each must appear in the output (stdout and stderr together)
}

// memLimit bounds the bytes allocated by one run on a small (≤ 1 MB)
// hostile input: a reader that materialises a tree per byte, or a
// quadratic copy, would blow far past it.
const memLimit = 64 << 20

// watchdog bounds the wall time of one run on a small hostile input. It is
// not a benchmark: the runs take milliseconds, and the bound is there so
// that quadratic or never-ending work fails the test instead of hanging it.
const watchdog = 60 * time.Second

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func hostileCases() []hostileCase {
	garbage := randomBytes(1, 64<<10)
	garbage[0] = 0xC3 // not '{', '[', whitespace or a BOM: the detection path
	zip := append([]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), randomBytes(2, 4<<10)...)
	brackets := bytes.Repeat([]byte("["), 1<<20)
	nested := bytes.Repeat([]byte(`{"a":`), (1<<20)/5)
	valid := []byte(`{"ota":"1.0","id":"urn:x","kind":"course","title":{"en":"A title"},"license":"CC-BY-4.0"}`)
	return []hostileCase{
		{name: "empty", data: nil, code: 2, want: []string{"empty"}},
		{name: "whitespace only", data: []byte(" \t\r\n \n\n\t "), code: 2, want: []string{"empty"}},
		{name: "whitespace only as ota", data: []byte(" \t\r\n \n\n\t "), as: "ota", code: 2, want: []string{"unexpected end"}},
		{name: "BOM only", data: []byte("\xEF\xBB\xBF"), code: 2, want: []string{"OTA document"}},
		{name: "random bytes", data: garbage, code: 2, want: []string{"not an OTA document"}},
		{name: "random bytes as ota", data: garbage, as: "ota", code: 2, want: []string{"asset.json.syntax"}},
		{name: "zip signature", data: zip, code: 2, want: []string{"zip"}},
		{name: "zip signature as ota", data: zip, as: "ota", code: 2, want: []string{"asset.json.syntax"}},
		{name: "1 MB of [", data: brackets, code: 2, want: []string{"JSON array"}},
		{name: "1 MB of [ as ota", data: brackets, as: "ota", code: 2, want: []string{"maximum depth is 256"}},
		{name: "1 MB of {\"a\": nesting", data: nested, code: 2, want: []string{"maximum depth is 256"}},
		{name: "invalid UTF-8 in a string", data: []byte(`{"ota":"1.0","id":"urn:x","kind":"course","title":{"en":"a` + "\xff\xfe" + `b"}}`), code: 2, want: []string{"UTF-8", "/title/en"}},
		{name: "overlong UTF-8 in a key", data: []byte(`{"ota":"1.0","` + "\xc0\xaf" + `":1}`), code: 2, want: []string{"UTF-8"}},
		{name: "lone {", data: []byte("{"), code: 2, want: []string{"unexpected end"}},
		{name: "truncated document", data: valid[:len(valid)/2], code: 2, want: []string{"unexpected end"}},
		{name: "NUL byte in an object", data: []byte("{\"ota\":\"1.0\",\x00\"id\":\"urn:x\"}"), code: 2, want: []string{"U+0000"}},
		{name: "NUL byte in a string", data: []byte("{\"ota\":\"1.0\",\"id\":\"urn:\x00x\"}"), code: 2, want: []string{"U+0000"}},
		{name: "NUL bytes only", data: make([]byte, 8<<10), code: 2, want: []string{"not an OTA document"}},
		{name: "JSON array root", data: []byte(`[{"ota":"1.0"}]`), code: 2, want: []string{"JSON array"}},
		{name: "JSON array root as ota", data: []byte(`[{"ota":"1.0"}]`), as: "ota", code: 2, want: []string{"array", "JSON object"}},
		{name: "JSON string root", data: []byte(`"ota"`), code: 2, want: []string{"not an OTA document"}},
		{name: "JSON string root as ota", data: []byte(`"ota"`), as: "ota", code: 2, want: []string{"string", "JSON object"}},
		{name: "JSON null root as ota", data: []byte(`null`), as: "ota", code: 2, want: []string{"null", "JSON object"}},
		{name: "JSON number root as ota", data: []byte(`42`), as: "ota", code: 2, want: []string{"number", "JSON object"}},
		{name: "two documents", data: append(append([]byte{}, valid...), valid...), code: 2, want: []string{"asset.json.syntax"}},
		{name: "duplicate key", data: []byte(`{"ota":"1.0","ota":"1.0"}`), code: 2, want: []string{"duplicate"}},
		{name: "format 9.0", data: []byte(`{"ota":"9.0","id":"urn:x","kind":"course","title":{"en":"x"}}`), code: 2, want: []string{"9.0", "asset.format.unsupported"}},
		{name: "format 10.0", data: []byte(`{"ota":"10.0"}`), code: 2, want: []string{"10.0"}},
	}
}

// measured is one run with what it cost.
type measured struct {
	result
	alloc   uint64 // bytes allocated during the run (TotalAlloc delta)
	elapsed time.Duration
}

// runMeasured runs the command under a watchdog and measures allocation.
// Tests that call it must not run in parallel with others.
func runMeasured(t *testing.T, stdin io.Reader, args ...string) measured {
	t.Helper()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	start := time.Now()
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		code := runCLI(args, stdin, &out, &errb)
		done <- result{code: code, stdout: out.String(), stderr: errb.String()}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(watchdog):
		t.Fatalf("ota %s did not finish within %v", strings.Join(args, " "), watchdog)
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&m1)
	assertNoPanic(t, r)
	return measured{result: r, alloc: m1.TotalAlloc - m0.TotalAlloc, elapsed: elapsed}
}

func TestHostileInputs(t *testing.T) {
	dir := t.TempDir()
	for i, tc := range hostileCases() {
		path := filepath.Join(dir, "input-"+itoa3(i)+".json")
		require.NoError(t, os.WriteFile(path, tc.data, 0o644))
		for _, cmd := range []string{"validate", "inspect"} {
			for _, via := range []string{"path", "stdin"} {
				t.Run(cmd+"/"+via+"/"+tc.name, func(t *testing.T) {
					args := []string{cmd}
					if tc.as != "" {
						args = append(args, "--as", tc.as)
					}
					var stdin io.Reader
					name := path
					if via == "stdin" {
						stdin = bytes.NewReader(tc.data)
						name = "-"
					}
					m := runMeasured(t, stdin, append(args, name)...)
					checkHostile(t, cmd, tc.code, tc.want, m)
				})
			}
		}
	}
}

func itoa3(i int) string {
	return string([]byte{byte('0' + i/100%10), byte('0' + i/10%10), byte('0' + i%10)})
}

// checkHostile checks a refused input: the exit code, a message that says
// why, the output contract, and the cost.
func checkHostile(t *testing.T, cmd string, code int, want []string, m measured) {
	t.Helper()
	assert.Equal(t, code, m.code, "%s", m.result)
	all := m.stdout + m.stderr
	for _, w := range want {
		assert.Contains(t, all, w, "the message says why\n%s", m.result)
	}
	switch cmd {
	case "validate":
		issues, valid, invalid := checkValidateText(t, m.stdout)
		assert.Equal(t, 0, valid)
		assert.Equal(t, 1, invalid)
		assert.NotEmpty(t, issues, "the reason is an issue line")
		for _, l := range issues {
			assert.LessOrEqual(t, len(l), 4096, "issue lines stay readable")
		}
	case "inspect":
		assert.Empty(t, m.stdout, "no partial tree on stdout")
		assert.NotEmpty(t, m.stderr)
		for _, l := range lines(m.stderr) {
			assert.LessOrEqual(t, len(l), 4096, "messages stay readable")
		}
	}
	assert.Less(t, m.alloc, uint64(memLimit), "allocated %d bytes", m.alloc)
	t.Logf("exit %d in %v, %d KiB allocated", m.code, m.elapsed.Round(time.Microsecond), m.alloc>>10)
}

func TestHostilePaths(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "folder")
	require.NoError(t, os.Mkdir(folder, 0o755))
	missing := filepath.Join(dir, "missing.json")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"folder", []string{folder}, []string{"folder"}},
		{"folder as ota", []string{"--as", "ota", folder}, []string{"folder"}},
		{"missing file", []string{missing}, []string{"no such file"}},
		{"missing file as ota", []string{"--as", "ota", missing}, []string{"no such file"}},
	}
	for _, tc := range tests {
		for _, cmd := range []string{"validate", "inspect"} {
			t.Run(cmd+"/"+tc.name, func(t *testing.T) {
				m := runMeasured(t, nil, append([]string{cmd}, tc.args...)...)
				checkHostile(t, cmd, 2, tc.want, m)
			})
		}
		t.Run("convert/"+tc.name, func(t *testing.T) {
			out := filepath.Join(dir, "out.json")
			m := runMeasured(t, nil, append([]string{"convert"}, append(tc.args, out)...)...)
			assert.Equal(t, 2, m.code, "%s", m.result)
			assert.NoFileExists(t, out)
		})
	}
}

// TestHostileStdinError: standard input that fails to read is an
// unreadable input, exit 2, with the cause.
func TestHostileStdinError(t *testing.T) {
	failing := func() io.Reader {
		return io.MultiReader(strings.NewReader(`{"ota":"1.0","id":`), iotest.ErrReader(errors.New("device on fire")))
	}
	for _, cmd := range []string{"validate", "inspect"} {
		for _, stdin := range []struct {
			name string
			r    func() io.Reader
		}{
			{"fails at once", func() io.Reader { return iotest.ErrReader(errors.New("device on fire")) }},
			{"fails midway", failing},
			{"fails after the sniffed head", func() io.Reader {
				return io.MultiReader(strings.NewReader(`{"ota":"1.0","x":"`+strings.Repeat("a", 10<<10)), iotest.ErrReader(errors.New("device on fire")))
			}},
		} {
			t.Run(cmd+"/"+stdin.name, func(t *testing.T) {
				m := runMeasured(t, stdin.r(), cmd, "-")
				checkHostile(t, cmd, 2, []string{"device on fire"}, m)
			})
		}
	}
}

// TestDeepButWithinLimits: an asset tree as deep as the nesting limit
// allows is read, validated and printed.
func TestDeepButWithinLimits(t *testing.T) {
	const levels = 127 // each asset is an object inside a "parts" array
	var b strings.Builder
	b.WriteString(`{"ota":"1.0","license":"CC-BY-4.0",`)
	for i := range levels {
		if i > 0 {
			b.WriteString(`,"parts":[{`)
		}
		b.WriteString(`"id":"urn:x:` + itoa3(i) + `","kind":"module","title":{"en":"level ` + itoa3(i) + `"}`)
	}
	for i := 1; i < levels; i++ {
		b.WriteString("}]")
	}
	b.WriteString("}")
	doc := b.String()
	for _, cmd := range []string{"validate", "inspect"} {
		t.Run(cmd, func(t *testing.T) {
			m := runMeasured(t, strings.NewReader(doc), cmd, "-")
			assert.Equal(t, 0, m.code, "%s", m.result)
			if cmd == "inspect" {
				assert.Contains(t, m.stdout, `level 126`)
				assert.Contains(t, m.stdout, "127 assets, 1 leaves")
			}
		})
	}
	// The deepest asset object is at depth 2*126+1 = 253, its
	// "extensions" object at 254: an extension value of two nested arrays
	// reaches the limit, three pass it.
	for _, tc := range []struct {
		value string
		code  int
	}{{"[[]]", 0}, {"[[[]]]", 2}} {
		t.Run("extension "+tc.value, func(t *testing.T) {
			deeper := strings.Replace(doc, `"title":{"en":"level 126"}`, `"title":{"en":"level 126"},"extensions":{"urn:x":`+tc.value+`}`, 1)
			m := runMeasured(t, strings.NewReader(deeper), "validate", "-")
			assert.Equal(t, tc.code, m.code, "%s", m.result)
			if tc.code == 2 {
				assert.Contains(t, m.stdout, "maximum depth is 256")
			}
		})
	}
}

// --- The 500 MB cases ---

const (
	hugeFill  = 500 << 20 // bytes of 'a' in the title
	hugeLimit = asset.DefaultMaxBytes
	// hugeSlack is how far past the limit the command may read: its
	// buffered reader's one sniffing buffer, and some more.
	hugeSlack = 64 << 10
	// hugeMem bounds the heap a huge input may cost: the limit's worth of
	// buffer, grown by doubling, and the copies that growth makes.
	hugeMem = 400 << 20
)

var (
	hugePrefix = []byte(`{"ota":"1.0","id":"urn:x","kind":"course","title":{"en":"`)
	hugeSuffix = []byte(`"}}`)
)

// hugeReader generates a document of len(hugePrefix)+fill+len(hugeSuffix)
// bytes on the fly, never holding more than a small block, and counts what
// was read from it.
type hugeReader struct {
	fill  int64
	off   int64 // bytes produced so far
	block []byte
}

func newHugeReader(fill int64) *hugeReader {
	return &hugeReader{fill: fill, block: bytes.Repeat([]byte("a"), 64<<10)}
}

func (g *hugeReader) size() int64 { return int64(len(hugePrefix)) + g.fill + int64(len(hugeSuffix)) }

func (g *hugeReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		pre, fillEnd := int64(len(hugePrefix)), int64(len(hugePrefix))+g.fill
		var c int
		switch {
		case g.off < pre:
			c = copy(p[n:], hugePrefix[g.off:])
		case g.off < fillEnd:
			c = copy(p[n:], g.block[:min(int64(len(g.block)), fillEnd-g.off)])
		case g.off < g.size():
			c = copy(p[n:], hugeSuffix[g.off-fillEnd:])
		default:
			if n == 0 {
				return 0, io.EOF
			}
			return n, nil
		}
		n += c
		g.off += int64(c)
	}
	return n, nil
}

func TestHugeReaderGenerates(t *testing.T) {
	g := newHugeReader(100_000)
	b, err := io.ReadAll(iotest.OneByteReader(g))
	require.NoError(t, err)
	require.Len(t, b, int(g.size()))
	want := string(hugePrefix) + strings.Repeat("a", 100_000) + string(hugeSuffix)
	assert.Equal(t, want, string(b))
	_, _, err = asset.Read(newHugeReader(100_000), asset.ReadOptions{})
	assert.NoError(t, err, "the generated document is well-formed")
}

// heapPeak samples the live heap until stop is called and returns the
// highest value seen.
func heapPeak() (stop func() uint64) {
	const name = "/memory/classes/heap/objects:bytes"
	sample := []metrics.Sample{{Name: name}}
	var peak uint64
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				peak = max(peak, sample[0].Value.Uint64())
			}
			select {
			case <-quit:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 {
		close(quit)
		wg.Wait()
		return peak
	}
}

func TestHostileHugeStdin(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the 500 MB input under -short: it reads 64 MiB per run")
	}
	for _, cmd := range []string{"validate", "inspect"} {
		t.Run(cmd, func(t *testing.T) {
			g := newHugeReader(hugeFill)
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			stop := heapPeak()
			start := time.Now()
			var out, errb bytes.Buffer
			code := runCLI([]string{cmd, "-"}, g, &out, &errb)
			elapsed := time.Since(start)
			peak := stop()
			runtime.ReadMemStats(&m1)
			r := result{code: code, stdout: out.String(), stderr: errb.String()}
			assertNoPanic(t, r)

			assert.Equal(t, 2, r.code, "%s", r)
			all := r.stdout + r.stderr
			assert.Contains(t, all, "limit", "the message mentions the size limit")
			assert.Contains(t, all, fmt.Sprint(asset.DefaultMaxBytes), "the message gives the limit")
			if cmd == "validate" {
				issues, valid, invalid := checkValidateText(t, r.stdout)
				assert.Equal(t, []int{0, 1}, []int{valid, invalid})
				if assert.Len(t, issues, 1) {
					assert.Contains(t, issues[0], "asset.json.too-large")
				}
			}

			assert.Less(t, g.off, g.size(), "the reader is not drained")
			assert.GreaterOrEqual(t, g.off, int64(hugeLimit)+1, "the command reads up to the limit before refusing")
			assert.LessOrEqual(t, g.off, int64(hugeLimit)+1+hugeSlack, "the command stops shortly after the limit")
			alloc := m1.TotalAlloc - m0.TotalAlloc
			growth := peak - min(peak, m0.HeapAlloc)
			assert.Less(t, alloc, uint64(hugeMem), "TotalAlloc grew by %d MiB", alloc>>20)
			assert.Less(t, int64(m1.HeapAlloc)-int64(m0.HeapAlloc), int64(hugeMem), "HeapAlloc grew by %d MiB", (int64(m1.HeapAlloc)-int64(m0.HeapAlloc))>>20)
			assert.Less(t, growth, uint64(hugeMem), "the heap peaked %d MiB above where it started", growth>>20)
			t.Logf("%s: read %d of %d bytes (limit+1 = %d) in %v; allocated %d MiB; live heap peaked %d MiB above the start (sampled every ms)",
				cmd, g.off, g.size(), hugeLimit+1, elapsed.Round(time.Millisecond), alloc>>20, growth>>20)
		})
	}
}

func TestHostileHugeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the 500 MB sparse file under -short")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "huge.ota.json")
	f, err := os.Create(path)
	require.NoError(t, err)
	_, err = f.Write(hugePrefix)
	require.NoError(t, err)
	size := int64(len(hugePrefix)) + hugeFill + int64(len(hugeSuffix))
	require.NoError(t, f.Truncate(size), "a sparse file: nothing is written")
	require.NoError(t, f.Close())

	for _, args := range [][]string{
		{"validate", path},
		{"validate", "--as", "ota", path},
		{"inspect", path},
		{"inspect", "--format", "json", path},
	} {
		t.Run(strings.Join(args[:len(args)-1], " "), func(t *testing.T) {
			m := runMeasured(t, nil, args...)
			assert.Equal(t, 2, m.code, "%s", m.result)
			all := m.stdout + m.stderr
			// The size check on the file, before any reading, says this.
			assert.Contains(t, all, fmt.Sprintf("the file is %d bytes, larger than the limit of %d bytes", size, hugeLimit))
			assert.Less(t, m.alloc, uint64(1<<20), "refused before reading: %d bytes allocated", m.alloc)
			t.Logf("exit %d in %v, %d KiB allocated", m.code, m.elapsed.Round(time.Microsecond), m.alloc>>10)
		})
	}
	t.Run("convert", func(t *testing.T) {
		out := filepath.Join(dir, "out.json")
		m := runMeasured(t, nil, "convert", path, out)
		assert.Equal(t, 2, m.code, "%s", m.result)
		assert.Contains(t, m.stderr, "larger than the limit")
		assert.NoFileExists(t, out)
		assert.Less(t, m.alloc, uint64(1<<20))
	})
}

// TestHostileEndlessDevice: a path to a device that never ends is refused
// before it is read: only regular files are content (standard input,
// "-", is read up to the limit: TestHostileHugeStdin).
func TestHostileEndlessDevice(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	for _, args := range [][]string{{"validate", "/dev/zero"}, {"validate", "--as", "ota", "/dev/zero"}, {"inspect", "/dev/zero"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			m := runMeasured(t, nil, args...)
			checkHostile(t, args[0], 2, []string{"not a regular file"}, m)
			assert.Less(t, m.alloc, uint64(1<<20), "refused before reading")
		})
	}
}

func BenchmarkHostileBrackets(b *testing.B) {
	data := bytes.Repeat([]byte("["), 1<<20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if code := runCLI([]string{"validate", "--as", "ota", "-"}, bytes.NewReader(data), io.Discard, io.Discard); code != 2 {
			b.Fatalf("exit %d", code)
		}
	}
}
