package bundle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/metaacademy/ota"
)

// Verify checks the bundle's content against its manifest and reports
// every problem at once, one issue each:
//
//   - bundle.file.missing: a file the manifest lists is not in the zip;
//   - bundle.file.size-mismatch: a file's length differs from the
//     manifest's size (its digest is then not compared);
//   - bundle.file.digest-mismatch: a file's SHA-256 differs from the
//     manifest's;
//   - bundle.file.unreadable: a file cannot be read (its zip CRC-32 or
//     sizes are wrong, or it is corrupt);
//   - bundle.file.unlisted: an entry the manifest does not list (a
//     warning under META-INF/, reserved for future use; an error
//     elsewhere);
//   - bundle.resource.missing, bundle.resource.size-mismatch,
//     bundle.resource.digest-mismatch: a resource of an asset is not in
//     the manifest, or declares a size or digest that differs from it;
//   - bundle.verify.cancelled: ctx was cancelled before the end.
//
// The issues found while decoding the asset documents (the report of
// opening) come first; the Options' Policy is applied to all of them. Pointers are "/files/N" for a
// manifest file, the entry name for an unlisted entry, and the document's
// path, "#" and a JSON Pointer for an asset. Files are read and hashed
// on as many goroutines as GOMAXPROCS allows, each through its own
// fixed buffer, so memory does not grow with their sizes; the issues come
// in manifest order whatever the number of cores.
func (b *Bundle) Verify(ctx context.Context) ota.Report {
	var rep ota.Report
	rep.Merge(b.docIssues)
	listed := make(map[string]int, len(b.manifest.Files))
	for i, f := range b.manifest.Files {
		listed[f.Path] = i
	}
	found, stopped := b.verifyFiles(ctx)
	for _, is := range found {
		if is != nil {
			rep.Add(*is)
		}
	}
	if stopped != nil {
		rep.Add(cancelled(stopped))
		rep.Apply(b.policy)
		return rep
	}
	for _, e := range b.a.Entries() {
		if _, ok := listed[e.Name]; ok || e.IsDir || isReserved(e.Name) {
			continue
		}
		sev := ota.Error
		if strings.HasPrefix(e.Name, "META-INF/") {
			sev = ota.Warning
		}
		rep.Add(ota.Issue{Pointer: e.Name, Code: "bundle.file.unlisted", Severity: sev,
			Message: fmt.Sprintf("%s is in the zip but not in the manifest; list it in manifest.json or remove it", e.Name)})
	}
	rep.Add(b.checkResources(listed)...)
	rep.Apply(b.policy)
	return rep
}

// verifyFiles checks every listed file, several at once, and returns the
// issue of each (nil when it is sound) and ctx's error when it was
// cancelled before the end.
func (b *Bundle) verifyFiles(ctx context.Context) ([]*ota.Issue, error) {
	files := b.manifest.Files
	found := make([]*ota.Issue, len(files))
	var next, checked atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			buf := make([]byte, 256<<10)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(files) || ctx.Err() != nil {
					return
				}
				is, ok := b.verifyFile(ctx, i, files[i], buf)
				if ok && is.Code == cancelledCode {
					return
				}
				if ok {
					found[i] = &is
				}
				checked.Add(1)
			}
		})
	}
	wg.Wait()
	if int(checked.Load()) < len(files) {
		return found, context.Cause(ctx)
	}
	return found, nil
}

const cancelledCode = "bundle.verify.cancelled"

func cancelled(err error) ota.Issue {
	return ota.Issue{Code: cancelledCode, Severity: ota.Error, Message: "verification stopped before the end: " + err.Error()}
}

// verifyFile reads one listed file and returns the issue it has, if any.
func (b *Bundle) verifyFile(ctx context.Context, i int, f File, buf []byte) (ota.Issue, bool) {
	ptr := "/files/" + strconv.Itoa(i)
	issue := func(code, format string, args ...any) (ota.Issue, bool) {
		return ota.Issue{Pointer: ptr, Code: code, Severity: ota.Error, Message: fmt.Sprintf(format, args...)}, true
	}
	r, err := b.a.Open(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return issue("bundle.file.missing", "%s is listed in the manifest but not in the zip", f.Path)
	}
	if err != nil {
		return issue("bundle.file.unreadable", "%s cannot be opened: %v", f.Path, err)
	}
	defer r.Close()
	h := sha256.New()
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return cancelled(err), true
		}
		k, rerr := r.Read(buf)
		h.Write(buf[:k])
		n += int64(k)
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return issue("bundle.file.unreadable", "%s cannot be read: %v", f.Path, rerr)
		}
	}
	if n != f.Size {
		return issue("bundle.file.size-mismatch", "%s holds %d bytes; the manifest says %d", f.Path, n, f.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA256 {
		return issue("bundle.file.digest-mismatch", "%s has sha256 %s; the manifest says %s", f.Path, got, f.SHA256)
	}
	return ota.Issue{}, false
}

// checkResources compares the assets' resources with the manifest.
func (b *Bundle) checkResources(listed map[string]int) []ota.Issue {
	var out []ota.Issue
	for d, doc := range b.docs {
		docPath := b.manifest.Assets[d].Path
		for ptr, a := range doc.Asset.All() {
			for j, r := range a.Resources {
				p := docPath + "#" + ptr + "/resources/" + strconv.Itoa(j)
				i, ok := listed[contentDir+r.Path]
				if !ok {
					out = append(out, ota.Issue{Pointer: p + "/path", Code: "bundle.resource.missing", Severity: ota.Error,
						Message: fmt.Sprintf("resource %q is not in the bundle; add %s%s", r.Path, contentDir, r.Path)})
					continue
				}
				f := b.manifest.Files[i]
				if r.Size != 0 && r.Size != f.Size {
					out = append(out, ota.Issue{Pointer: p + "/size", Code: "bundle.resource.size-mismatch", Severity: ota.Error,
						Message: fmt.Sprintf("resource %q declares %d bytes; the bundle's file has %d", r.Path, r.Size, f.Size)})
				}
				if r.SHA256 != "" && r.SHA256 != f.SHA256 {
					out = append(out, ota.Issue{Pointer: p + "/sha256", Code: "bundle.resource.digest-mismatch", Severity: ota.Error,
						Message: fmt.Sprintf("resource %q declares sha256 %s; the bundle's file has %s", r.Path, r.SHA256, f.SHA256)})
				}
			}
		}
	}
	return out
}
