package bundle

import (
	"fmt"
	"io/fs"

	"github.com/metaacademy/ota/asset"
)

// docBudget is what is left of the asset limits for the documents of a
// bundle still to be read: the limits hold for all of them together.
// The parsed tree of a document is dropped once it is decoded, so each
// document keeps its own MaxValues; what stays in memory — the documents'
// bytes (kept members, texts), their assets and their issues — is what
// the budget counts.
type docBudget struct {
	base           asset.ReadOptions
	bytes          int64 // -1: no limit
	size           int64 // size of the document being read
	assets, issues int   // -1: no limit
}

func newDocBudget(o asset.ReadOptions) *docBudget {
	return &docBudget{
		base:   o,
		bytes:  pick(o.MaxBytes, asset.DefaultMaxBytes),
		assets: pick(o.MaxAssets, asset.DefaultMaxAssets),
		// The issues a document keeps (about one per value at worst)
		// stay in memory with it.
		issues: pick(o.MaxValues, asset.DefaultMaxValues),
	}
}

// pick resolves a limit option: 0 is def, a negative value no limit (-1).
func pick[T int | int64](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return -1
	}
	return v
}

// spent reports whether earlier documents used some of the budget.
func (d *docBudget) spent() bool {
	return d.bytes != pick(d.base.MaxBytes, asset.DefaultMaxBytes) || d.assets != pick(d.base.MaxAssets, asset.DefaultMaxAssets)
}

// next returns the options for reading the document at name, opened as
// f, with what is left of the limits.
func (d *docBudget) next(name string, f fs.File) (asset.ReadOptions, error) {
	ro := d.base
	d.size = 0
	if fi, err := f.Stat(); err == nil {
		d.size = fi.Size()
	}
	if d.bytes >= 0 {
		if d.size > d.bytes {
			return ro, d.exceeded(name, "bytes")
		}
		ro.MaxBytes = max(d.bytes, 1)
	}
	if d.assets >= 0 {
		ro.MaxAssets = max(d.assets, 1)
	}
	return ro, nil
}

// spend charges a document read from name to the budget.
func (d *docBudget) spend(name string, doc *asset.Document, issues int) error {
	if d.assets >= 0 {
		if d.assets -= doc.Asset.Count(); d.assets < 0 {
			return d.exceeded(name, "assets")
		}
	}
	if d.issues >= 0 {
		if d.issues -= issues; d.issues < 0 {
			return d.exceeded(name, "issues")
		}
	}
	if d.bytes >= 0 {
		d.bytes -= d.size
	}
	return nil
}

func (d *docBudget) exceeded(name, what string) error {
	return fmt.Errorf("%w: %s: the bundle's documents together hold too many %s; the asset limits hold for the bundle's documents together", ErrAsset, name, what)
}
