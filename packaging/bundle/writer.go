package bundle

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"slices"
	"strings"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/atomicfile"
	"github.com/metaacademy/ota/internal/zipw"
)

// WriterOptions configure a [Writer]. The zero value is ready to use.
type WriterOptions struct {
	// Generator is written to the manifest's "generator" member, such as
	// "ota 1.2.0"; empty leaves it out. It is informational.
	Generator string
}

// Writer streams an OTA bundle to an io.Writer. Entries are written in
// the order they are added, after the "mimetype" entry; the manifest is
// written by Close, last, because only then are all sizes and digests
// known. Each file's size and SHA-256 digest are computed in the same pass
// that compresses it, so no file is read twice. Files are read to the end
// by the call that adds them, in pieces of 1 MiB, and compressed and
// hashed on other goroutines, several at once, while the next files are
// read; only a few pieces per core are held in memory. An error writing
// to the destination may therefore be returned by a later call than the
// one that added the file, at the latest by Close.
//
// The output is deterministic: every entry has the same fixed timestamp
// (1980-01-01 00:00), no extra fields and no file modes; files are
// compressed at a fixed deflate level (or stored when their media type is
// already compressed); the manifest lists files sorted by path. The same
// calls with the same data give the same bytes.
//
// The first error is sticky: every later call returns it. A Writer is not
// safe for concurrent use.
type Writer struct {
	zw        *zipw.Writer
	opts      WriterOptions
	files     []File
	written   map[string]bool // names in files
	assets    []AssetRef
	resources []resourceRef
	err       error
}

// resourceRef is a resource named by an added asset, for AddFS.
type resourceRef struct {
	path, mediaType string
}

// NewWriter starts a bundle on w and writes its "mimetype" entry. Errors
// writing it are returned by the next call.
func NewWriter(w io.Writer, opts WriterOptions) *Writer {
	bw := &Writer{zw: zipw.NewWriter(w), opts: opts, written: map[string]bool{}}
	bw.err = bw.zw.WriteStored(mimetypeName, []byte(MediaType))
	return bw
}

// AddAsset writes doc as canonical JSON to "assets/NNNN.ota.json" (NNNN
// counting from 0001 in the order of the calls) and remembers the
// resources it names for [Writer.AddFS]. Resource paths are relative to
// the bundle's "content/" folder.
func (w *Writer) AddAsset(doc *asset.Document) error {
	if w.err != nil {
		return w.err
	}
	if doc == nil {
		return errors.New("bundle: AddAsset with a nil document")
	}
	data, err := asset.Marshal(doc)
	if err != nil {
		return fmt.Errorf("bundle: encoding asset %q: %w", doc.Asset.ID, err)
	}
	name := fmt.Sprintf("%s%04d.ota.json", assetsDir, len(w.assets)+1)
	if err := w.add(context.Background(), name, bytes.NewReader(data), asset.MediaType); err != nil {
		return err
	}
	w.assets = append(w.assets, AssetRef{Path: name, ID: doc.Asset.ID})
	for _, a := range doc.Asset.All() {
		for _, r := range a.Resources {
			w.resources = append(w.resources, resourceRef{r.Path, r.MediaType})
		}
	}
	return nil
}

// AddFile writes the content file "content/"+p from r. p is a clean
// relative slash path, as a resource's path is. mediaType may be empty: it
// is then guessed from p's extension, with a built-in table, and
// application/octet-stream when unknown. Files whose media type is
// already compressed (raster images, audio, video, PDF, archives,
// WOFF fonts) are stored, others deflated. A path that is already in the
// bundle, or that differs from one only in case, is refused with
// [ErrPath]. AddFile stops with ctx's error when ctx is cancelled.
func (w *Writer) AddFile(ctx context.Context, p string, r io.Reader, mediaType string) error {
	if w.err != nil {
		return w.err
	}
	if err := zipw.CheckName(p); err != nil {
		return fmt.Errorf("%w: %w", ErrPath, err)
	}
	if mediaType == "" {
		mediaType = zipw.MediaType(p)
	}
	return w.add(ctx, contentDir+p, r, mediaType)
}

// AddFS adds, from fsys, every file that the resources of the assets added
// so far name and that is not in the bundle yet, in sorted order. fsys is
// the folder the documents' resource paths are relative to (the
// document's folder). A resource's media type is used when it has one. A
// missing file, or one that is a folder, is an error. AddFS reads what
// fsys gives: os.DirFS follows symbolic links, even out of the folder, and
// opens named pipes (which may block for ever), so for a folder from
// outside use an fs.FS that refuses them, as the ota command does
// (docs/security.md).
func (w *Writer) AddFS(ctx context.Context, fsys fs.FS) error {
	if w.err != nil {
		return w.err
	}
	refs := slices.Clone(w.resources)
	slices.SortStableFunc(refs, func(a, b resourceRef) int { return strings.Compare(a.path, b.path) })
	for i, r := range refs {
		if i > 0 && refs[i-1].path == r.path {
			continue
		}
		if w.has(contentDir + r.path) {
			continue
		}
		if err := w.addFromFS(ctx, fsys, r); err != nil {
			return err
		}
	}
	return nil
}

// has reports whether name has been written.
func (w *Writer) has(name string) bool {
	return w.written[name]
}

func (w *Writer) addFromFS(ctx context.Context, fsys fs.FS, r resourceRef) error {
	if err := zipw.CheckName(r.path); err != nil {
		return fmt.Errorf("%w: %w", ErrPath, err)
	}
	f, err := fsys.Open(r.path)
	if err != nil {
		return fmt.Errorf("bundle: resource %s: %w", r.path, err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return fmt.Errorf("%w: resource %s is a folder; a resource names a file", ErrPath, r.path)
	}
	return w.AddFile(ctx, r.path, f, r.mediaType)
}

// add writes one entry, hashing and counting it on the way.
func (w *Writer) add(ctx context.Context, name string, r io.Reader, mediaType string) error {
	if _, _, err := mime.ParseMediaType(mediaType); err != nil || !hasMediaTypeStart(mediaType) {
		return fmt.Errorf("bundle: %s: media type %q is not of the form type/subtype", name, mediaType)
	}
	_, err := w.zw.Add(ctx, name, r, zipw.Compressed(mediaType), func(s zipw.Sum) {
		w.files = append(w.files, File{Path: name, Size: s.Size, MediaType: mediaType, SHA256: hex.EncodeToString(s.SHA256[:])})
	})
	if err != nil {
		if errors.Is(err, zipw.ErrName) {
			return fmt.Errorf("%w: %w", ErrPath, err)
		}
		return w.fail(fmt.Errorf("bundle: %w", err))
	}
	w.written[name] = true
	return nil
}

// fail makes err sticky.
func (w *Writer) fail(err error) error {
	if w.err == nil {
		w.err = err
	}
	return err
}

// Manifest returns a copy of the manifest as it stands: the files added
// so far, sorted by path. It waits until they are written.
func (w *Writer) Manifest() *Manifest {
	_ = w.zw.Flush() // an error is sticky: the next call returns it
	files := slices.Clone(w.files)
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return &Manifest{Format: FormatVersion, Generator: w.opts.Generator, Assets: slices.Clone(w.assets), Files: files}
}

// Close writes the manifest and the zip central directory. It does not
// close the underlying writer. A bundle needs at least one asset. After
// Close every call returns [ErrClosed].
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if len(w.assets) == 0 {
		return w.fail(errors.New("bundle: no asset added; a bundle holds at least one OTA document"))
	}
	if err := w.zw.Flush(); err != nil {
		return w.fail(fmt.Errorf("bundle: %w", err))
	}
	data, err := marshalManifest(w.Manifest())
	if err != nil {
		return w.fail(err)
	}
	_, err = w.zw.Copy(context.Background(), manifestName, bytes.NewReader(data), false, nil)
	if err == nil {
		err = w.zw.Close()
	}
	if err != nil {
		return w.fail(err)
	}
	w.err = ErrClosed
	return nil
}

// WriteFile writes a bundle to path atomically: fill adds assets and files
// to a Writer on a temporary file beside path, which is closed, synced and
// renamed to path only when fill and Close succeed and ctx is not
// cancelled. Otherwise the temporary file is removed and path is left as
// it was.
func WriteFile(ctx context.Context, path string, opts WriterOptions, fill func(w *Writer) error) error {
	return atomicfile.Write(path, 0o644, func(f io.Writer) error {
		w := NewWriter(f, opts)
		if err := fill(w); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return w.Close()
	})
}
