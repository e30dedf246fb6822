package bundle

import (
	"context"
	"io"
	"io/fs"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// ExportOptions configure [Export], [ExportContext] and [ExportFile]. The
// zero value is ready to use.
type ExportOptions struct {
	// Writer configures the bundle written (the manifest's generator).
	Writer WriterOptions
}

// Export writes a bundle of the asset tree a to w: its document, then
// every file of content (nil when the tree names no files), the files its
// resources name read from content at the resource's path, as [Writer]
// writes them. The report is empty: a bundle carries the whole tree, so
// nothing is lost. It is [ExportContext] with context.Background().
func Export(w io.Writer, a *asset.Asset, content fs.FS, opts ExportOptions) (ota.Report, error) {
	return ExportContext(context.Background(), w, a, content, opts)
}

// ExportContext is [Export] with a context that cancels the copying of the
// content; w then holds a partial bundle.
func ExportContext(ctx context.Context, w io.Writer, a *asset.Asset, content fs.FS, opts ExportOptions) (ota.Report, error) {
	bw := NewWriter(w, opts.Writer)
	if err := fill(ctx, bw, a, content); err != nil {
		return ota.Report{}, err
	}
	return ota.Report{}, bw.Close()
}

// ExportFile writes the bundle [ExportContext] writes to path atomically:
// on a temporary file beside it, renamed to path only when everything was
// written; otherwise path is left as it was.
func ExportFile(ctx context.Context, path string, a *asset.Asset, content fs.FS, opts ExportOptions) (ota.Report, error) {
	err := WriteFile(ctx, path, opts.Writer, func(bw *Writer) error { return fill(ctx, bw, a, content) })
	return ota.Report{}, err
}

// fill adds a's document and the content to bw.
func fill(ctx context.Context, bw *Writer, a *asset.Asset, content fs.FS) error {
	if err := bw.AddAsset(asset.NewDocument(*a)); err != nil {
		return err
	}
	if content == nil {
		return nil
	}
	if err := bw.AddFS(ctx, content); err != nil {
		return err
	}
	return ctx.Err()
}
