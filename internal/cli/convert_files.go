package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

// What convert says about the files an asset tree names: those an OTA
// document names but that are not beside it, and those a conversion to
// OTA JSON does not write.

// resourcePaths returns the distinct paths the resources of the tree name,
// sorted.
func resourcePaths(a *asset.Asset) []string {
	var out []string
	for _, x := range a.All() {
		for _, r := range x.Resources {
			out = append(out, r.Path)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// missingFiles checks, before anything is written, that every file the
// resources of an OTA document name is in content (the document's folder).
// It returns "" when they are all there, and otherwise one line saying
// which are not and what to do.
func missingFiles(src string, doc *asset.Document, content fs.FS) string {
	var missing []string
	for _, p := range resourcePaths(&doc.Asset) {
		// Only files that are not there count: a link, a special file or a
		// folder is refused by the conversion itself, with its own message.
		if _, err := fs.Stat(content, p); errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	all := len(resourcePaths(&doc.Asset))
	what := fmt.Sprintf("%d of the %d files its resources name are", len(missing), all)
	switch {
	case len(missing) == all && all > 1:
		what = fmt.Sprintf("the %d files its resources name are", all)
	case len(missing) == 1 && all > 1:
		what = fmt.Sprintf("1 of the %d files its resources name is", all)
	case len(missing) == 1:
		what = "the file its resources name is"
	}
	do := "put them in the document's folder, or convert the OTA bundle (.ota) that holds them instead"
	if b := bundleBeside(src); b != "" {
		do = "convert " + b + ", the bundle beside it, which holds them, or put the files in the document's folder"
	}
	return fmt.Sprintf("%s: %s not beside it (%s); %s", src, what, sample(missing), do)
}

// sample names up to three paths, and how many more there are.
func sample(paths []string) string {
	if len(paths) <= 3 {
		return strings.Join(paths, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(paths[:3], ", "), len(paths)-3)
}

// bundleBeside returns the path of an OTA bundle named like the document
// (course.ota beside course.ota.json), or "".
func bundleBeside(src string) string {
	if src == "-" || !strings.HasSuffix(src, ".json") {
		return ""
	}
	b := strings.TrimSuffix(src, ".json")
	if !strings.HasSuffix(b, ".ota") {
		b += ".ota"
	}
	if st, err := os.Stat(b); err == nil && st.Mode().IsRegular() {
		return b
	}
	return ""
}

// filesNotWritten returns the loss of a conversion to OTA JSON: the tree's
// content files are not written. For an OTA document written into its own
// folder the files are already beside it, and nothing is lost.
func filesNotWritten(src, out string, doc *asset.Document, in *input) (ota.Loss, bool) {
	n := len(resourcePaths(&doc.Asset))
	if n == 0 {
		return ota.Loss{}, false
	}
	l := ota.Loss{Code: "ota.lost.content-files", Pointer: "/", AssetID: doc.Asset.ID, What: plural(n, "content file")}
	if in.kind != nil && in.kind.name == "ota" {
		if src == "-" || out == "-" || sameDir(src, out) {
			return ota.Loss{}, false
		}
		l.Why = "OTA JSON names the files relative to its own folder, and they stay beside " + src + "; copy them, or convert with --to ota (an .ota bundle) to keep them together"
		return l, true
	}
	l.Why = "OTA JSON holds the asset tree, not its files; convert with --to ota (an .ota bundle) to keep them"
	return l, true
}

// sameDir reports whether two file paths are in the same folder.
func sameDir(a, b string) bool {
	da, err1 := filepath.Abs(filepath.Dir(a))
	db, err2 := filepath.Abs(filepath.Dir(b))
	return err1 == nil && err2 == nil && da == db
}

// convertSpecial converts inputs whose kind has its own convert (inputs
// that are not asset trees, such as CASE frameworks). done is false for
// every other input, which the caller then reads as an asset tree.
func convertSpecial(env *Env, src, out, to string, opts *convertOpts, ro *readOpts) (code int, done bool) {
	if src == "-" && opts.as == "" {
		return 0, false // standard input can be read once only; detection reads it as an asset tree
	}
	in := openSpecial(env, src, opts.as, func(k *kind) bool { return k.convert != nil })
	if in == nil {
		return 0, false
	}
	defer in.Close()
	return in.kind.convert(env, in, out, to, opts, ro), true
}
