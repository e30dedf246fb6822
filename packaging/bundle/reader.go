package bundle

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/archive"
)

// DefaultMaxManifestSize bounds manifest.json, 8 MiB: a manifest entry
// takes about 150 bytes, so this allows some 55,000 files, more than the
// archive reader's default entry limit, while the parsed manifest and one
// issue per file it lists stay within a few tens of megabytes.
const DefaultMaxManifestSize = 8 << 20

// Options configure [Open], [OpenFS] and [OpenFile]. The zero value
// applies every check with the default limits. For each numeric limit, 0
// means the default and a negative value means no limit.
type Options struct {
	// Limits are the hostile-archive checks of the zip or folder (entry
	// count, sizes, compression ratio, links…). MaxRatio caps an entry's
	// uncompressed size divided by its compressed size (entries above
	// 1 MiB), and the same for the whole bundle; highly repetitive data
	// files (a large CSV of zeros) can exceed the default of 200
	// legitimately: raise it for trusted sources. Junk entries
	// (__MACOSX/…) are kept whatever KeepJunk says, so that [Bundle.Verify]
	// reports them as unlisted.
	archive.Limits
	// MaxManifestSize caps manifest.json; 0 means
	// [DefaultMaxManifestSize].
	MaxManifestSize int64
	// Asset configures the reading of the OTA documents. Its limits
	// (MaxBytes, MaxAssets, MaxValues) hold for all the documents of the
	// bundle together, not for each: a bundle holds no more asset data
	// than one document may, so that opening one takes no more memory.
	Asset asset.ReadOptions
	// Policy changes the severity of issues by code, in the report of
	// opening and in that of [Bundle.Verify].
	Policy ota.Policy
}

// Bundle is an open OTA bundle. Opening reads the zip central directory,
// the manifest and the asset documents; content is read only when asked
// for. A Bundle is safe for concurrent use; files opened from it are not.
type Bundle struct {
	a         *archive.Archive
	manifest  *Manifest
	rawSum    [sha256.Size]byte // digest of manifest.json as stored
	docs      []*asset.Document
	docIssues ota.Report
	policy    ota.Policy
	closer    io.Closer
}

// Open reads a bundle from r, which holds size bytes. The archive is
// checked as hostile first (paths leaving the root, links, duplicates,
// size and ratio limits: errors of package [archive], whose classes
// errors.Is matches); then the first entry must be a stored "mimetype"
// entry without extra field holding [MediaType] ([ErrNotBundle]); then
// manifest.json is read and checked ([ErrManifest], [ErrFormatVersion])
// and every asset document is decoded ([ErrAsset]). The report holds the
// issues found while decoding the documents (unknown members, a newer
// minor format version…), each pointer prefixed with the document's path
// and "#". Sizes and digests are not checked: call [Bundle.Verify], which
// reads r from several goroutines at once, as the io.ReaderAt contract
// allows.
func Open(r io.ReaderAt, size int64, opts Options) (*Bundle, ota.Report, error) {
	a, err := archive.Open(r, size, archiveLimits(opts))
	if err != nil {
		return nil, ota.Report{}, err
	}
	if err := sniff(r, a); err != nil {
		return nil, ota.Report{}, err
	}
	return load(a, opts)
}

// OpenFS reads an unpacked bundle: the folder tree fsys holding the
// entries a bundle's zip holds (a mimetype file holding [MediaType],
// manifest.json, assets/, content/), checked as an archive is (see
// [archive.OpenDir]). The rest is as for [Open].
func OpenFS(fsys fs.FS, opts Options) (*Bundle, ota.Report, error) {
	a, err := archive.OpenDir(fsys, archiveLimits(opts))
	if err != nil {
		return nil, ota.Report{}, err
	}
	return openUnpacked(a, opts)
}

// openUnpacked reads a bundle from a checked folder.
func openUnpacked(a *archive.Archive, opts Options) (*Bundle, ota.Report, error) {
	data, err := readSmall(a, mimetypeName, int64(len(MediaType)))
	if err != nil || string(data) != MediaType {
		return nil, ota.Report{}, fmt.Errorf("%w: the folder has no %q file holding %s", ErrNotBundle, mimetypeName, MediaType)
	}
	return load(a, opts)
}

// OpenFile opens the bundle at path, a zip file as [Open] does or an
// unpacked bundle's folder as [OpenFS] does. Close releases the file or
// folder.
func OpenFile(path string, opts Options) (*Bundle, ota.Report, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, ota.Report{}, err
	}
	if fi.IsDir() {
		a, err := archive.OpenFolder(path, archiveLimits(opts))
		if err != nil {
			return nil, ota.Report{}, err
		}
		b, rep, err := openUnpacked(a, opts)
		if err != nil {
			_ = a.Close()
			return nil, rep, err
		}
		b.closer = a
		return b, rep, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, ota.Report{}, err
	}
	if fi, err = f.Stat(); err == nil && !fi.Mode().IsRegular() {
		err = &fs.PathError{Op: "open", Path: path, Err: errors.New("not a regular file")}
	}
	var (
		b   *Bundle
		rep ota.Report
	)
	if err == nil {
		b, rep, err = Open(f, fi.Size(), opts)
	}
	if err != nil {
		_ = f.Close()
		return nil, rep, err
	}
	b.closer = f
	return b, rep, nil
}

func archiveLimits(o Options) archive.Limits {
	l := o.Limits
	l.KeepJunk = true
	return l
}

// sniff checks the mimetype entry: first in the central directory and at
// offset 0, stored, no extra field, holding exactly MediaType.
func sniff(r io.ReaderAt, a *archive.Archive) error {
	es := a.Entries()
	if len(es) == 0 || es[0].Name != mimetypeName || es[0].Index != 0 {
		return fmt.Errorf("%w: the first entry is not %q", ErrNotBundle, mimetypeName)
	}
	if es[0].Method != 0 || es[0].Size != int64(len(MediaType)) {
		return fmt.Errorf("%w: %q is compressed or has the wrong size", ErrNotBundle, mimetypeName)
	}
	var hdr [SniffLen]byte
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return fmt.Errorf("%w: reading the first local header: %v", ErrNotBundle, err)
	}
	if !Sniff(hdr[:]) {
		return fmt.Errorf("%w: the file does not start with a stored %q entry without extra field holding %s", ErrNotBundle, mimetypeName, MediaType)
	}
	return nil
}

// load reads the manifest and the asset documents of a checked archive.
func load(a *archive.Archive, opts Options) (*Bundle, ota.Report, error) {
	b := &Bundle{a: a, policy: opts.Policy}
	if err := b.load(opts); err != nil {
		return nil, ota.Report{}, err
	}
	rep := b.docIssues
	rep.Apply(opts.Policy)
	return b, rep, nil
}

// load reads the manifest and the asset documents.
func (b *Bundle) load(opts Options) error {
	limit := opts.MaxManifestSize
	if limit == 0 {
		limit = DefaultMaxManifestSize
	}
	data, err := readSmall(b.a, manifestName, limit)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrManifest, err)
	}
	m, err := ParseManifest(data)
	if err != nil {
		return err
	}
	b.manifest, b.rawSum = m, sha256.Sum256(data)
	budget := newDocBudget(opts.Asset)
	for _, ref := range m.Assets {
		f, err := b.a.Open(ref.Path)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrAsset, ref.Path, err)
		}
		ro, err := budget.next(ref.Path, f)
		if err != nil {
			_ = f.Close()
			return err
		}
		doc, rep, err := asset.Read(f, ro)
		_ = f.Close()
		if err != nil && errors.Is(err, asset.ErrTooLarge) && budget.spent() {
			return fmt.Errorf("%w: %s: %w; the asset limits hold for the bundle's documents together", ErrAsset, ref.Path, err)
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrAsset, ref.Path, err)
		}
		if err := budget.spend(ref.Path, doc, len(rep.Issues)); err != nil {
			return err
		}
		for _, is := range rep.Issues {
			is.Pointer = ref.Path + "#" + is.Pointer
			b.docIssues.Add(is)
		}
		b.docs = append(b.docs, doc)
	}
	return nil
}

// readSmall reads a whole entry of at most limit bytes (no limit when
// negative).
func readSmall(a *archive.Archive, name string, limit int64) ([]byte, error) {
	f, err := a.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := io.Reader(f)
	if limit >= 0 {
		r = io.LimitReader(f, limit+1)
	}
	var buf bytes.Buffer
	if fi, err := f.Stat(); err == nil { // the declared size, held to by the archive reader
		n := min(fi.Size(), 16<<20)
		if limit >= 0 {
			n = min(n, limit)
		}
		buf.Grow(int(n) + 1) // +1: the read that sees the end
	}
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if limit >= 0 && int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes (Options.MaxManifestSize)", name, limit)
	}
	return data, nil
}

// Manifest returns the bundle's manifest. The caller must not modify it.
func (b *Bundle) Manifest() *Manifest { return b.manifest }

// Assets returns the OTA documents in manifest order. Their resource paths
// are relative to [Bundle.Content].
func (b *Bundle) Assets() []*asset.Document { return b.docs }

// Asset returns the asset tree of the bundle's first document, or nil when
// it holds none; [Bundle.Assets] returns them all.
func (b *Bundle) Asset() *asset.Asset {
	if len(b.docs) == 0 {
		return nil
	}
	return &b.docs[0].Asset
}

// Content returns the bundle's "content/" folder as a file system: the
// files that resource paths name. Reads go through the archive reader's
// checks (declared sizes, CRC-32) but not through the manifest's digests;
// see [Bundle.Verify].
func (b *Bundle) Content() fs.FS {
	sub, err := fs.Sub(b.a, "content")
	if err != nil { // cannot happen: "content" is a valid path
		return b.a
	}
	return sub
}

// FS returns the whole bundle as a file system, reserved entries
// included.
func (b *Bundle) FS() fs.FS { return b.a }

// ManifestSHA256 returns the SHA-256 digest of manifest.json as stored,
// the digest a signature covers.
func (b *Bundle) ManifestSHA256() [sha256.Size]byte { return b.rawSum }

// Extract writes every entry of the bundle (reserved entries included)
// into dir, which must be empty or not exist, through the archive reader's
// safe extraction: nothing lands outside dir, and everything written is
// removed on failure or cancellation. Extract does not check digests;
// call [Bundle.Verify] first.
func (b *Bundle) Extract(ctx context.Context, dir string) error {
	return archive.Extract(ctx, b.a, dir, archive.ExtractOptions{})
}

// Close releases the file opened by [OpenFile]; for bundles from [Open]
// it does nothing.
func (b *Bundle) Close() error {
	if b.closer != nil {
		return b.closer.Close()
	}
	return nil
}

// isReserved reports whether name is an entry the manifest does not list.
func isReserved(name string) bool {
	return name == mimetypeName || name == manifestName || name == signatureName
}
