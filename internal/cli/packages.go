package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/metaacademy/ota/framework/casepkg"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/internal/archive"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/packaging/scorm"
)

// The package kinds: OTA bundles and SCORM packages (zip files, and SCORM
// folders), and CASE frameworks (JSON). CASE comes first, because a CASE
// document is a JSON object too.
func init() {
	kinds = append([]*kind{caseKind}, kinds...)
	kinds = append(kinds, bundleKind, scormKind)
}

var errStdinArchive = errors.New("a zip archive cannot be read from standard input; give its path")

var bundleKind = &kind{
	name:   "bundle",
	detect: func(in *input) bool { return bundle.Sniff(in.head) || in.isZip() && in.zip().bundle },
	load: func(in *input, o *readOpts) (*asset.Document, ota.Report, error) {
		if in.path == "-" {
			return nil, ota.Report{}, errStdinArchive
		}
		ro := asset.ReadOptions{Validate: o.validate, Check: asset.CheckOptions{Policy: o.policy}}
		if o.validate {
			ro.Check.Frameworks = frameworks()
		}
		b, err := bundle.OpenFile(in.path, bundle.ReadOptions{Asset: ro})
		if err != nil {
			return nil, ota.Report{}, err
		}
		in.closers = append(in.closers, func() { b.Close() })
		in.content = b.Content()
		rep := b.ReadReport()
		if o.validate {
			rep = b.Verify(context.Background()) // it holds the read report too
			rep.Add(signatureIssues(b, nil, false)...)
		}
		docs := b.Assets()
		if len(docs) == 0 {
			return nil, rep, fmt.Errorf("%w: the bundle holds no asset", bundle.ErrManifest)
		}
		if len(docs) > 1 {
			rep.Add(ota.Issue{Pointer: "manifest.json", Code: "ota.bundle.first-asset", Severity: ota.Info,
				Message: fmt.Sprintf("the bundle holds %d assets; this command shows the first", len(docs))})
		}
		rep.Apply(o.policy)
		return docs[0], rep, nil
	},
}

var scormKind = &kind{
	name:    "scorm",
	folders: true,
	detect: func(in *input) bool {
		if in.dir {
			for _, p := range []string{"imsmanifest.xml", "*/imsmanifest.xml"} {
				if m, _ := filepath.Glob(filepath.Join(in.path, p)); len(m) > 0 {
					return true
				}
			}
			return false
		}
		return in.isZip() && in.zip().scorm && !bundle.Sniff(in.head)
	},
	load: func(in *input, o *readOpts) (*asset.Document, ota.Report, error) {
		if in.path == "-" {
			return nil, ota.Report{}, errStdinArchive
		}
		policy := withDefaults(o.policy, importDefaults)
		pkg, rep, err := scorm.OpenFile(in.path, scorm.Options{Policy: policy, FollowLinks: o.followLinks})
		if err != nil {
			return nil, rep, err
		}
		a, crep := pkg.Asset()
		crep.Apply(policy)
		rep.Merge(crep)
		if o.validate {
			rep.Merge(asset.Check(a, asset.CheckOptions{Policy: policy, Frameworks: frameworks()}))
		}
		var arc *archive.Archive
		if in.dir {
			arc, err = archive.OpenFolder(in.path, archive.Options{FollowLinks: o.followLinks})
		} else {
			arc, err = archive.OpenFile(in.path, archive.Options{})
		}
		if err == nil {
			in.closers = append(in.closers, func() { arc.Close() })
			if o.checkData {
				checkArchiveData(arc, "scorm", &rep)
			}
			in.content = arc
			if dir := path.Dir(pkg.ManifestPath); dir != "." {
				if sub, err := fs.Sub(arc, dir); err == nil {
					in.content = sub
				}
			}
		}
		return asset.NewDocument(*a), rep, nil
	},
}

var caseKind = &kind{
	name: "case",
	detect: func(in *input) bool {
		if firstByte(in.head) != '{' {
			return false
		}
		// CFDocument may come after the items and associations: any
		// top-level CASE member says it is a CASE package.
		for _, key := range []string{`"CFDocument"`, `"CFItems"`, `"CFAssociations"`, `"CFDefinitions"`} {
			if bytes.Contains(in.head, []byte(key)) {
				return true
			}
		}
		return false
	},
	load: func(in *input, o *readOpts) (*asset.Document, ota.Report, error) {
		_, rep, err := casepkg.Read(in.body, casepkg.ReadOptions{Policy: o.policy})
		if err != nil {
			return nil, rep, err
		}
		if !o.validate {
			return nil, rep, errors.New("the input is a CASE competency framework, not an asset tree; 'ota inspect' shows its nodes")
		}
		return nil, rep, nil
	},
	inspect: inspectCASE,
}

// inspectCASE prints a CASE framework as a tree of nodes, or as OTA's
// framework JSON.
func inspectCASE(env *Env, in *input, o *readOpts, format string) int {
	fw, rep, err := casepkg.Read(in.body, casepkg.ReadOptions{Policy: o.policy})
	if err != nil {
		fmt.Fprintf(env.Stderr, "ota inspect: %s: %v\n", displayPath(in.path), err)
		return ExitUsage
	}
	printIssues(env.Stderr, nil, displayPath(in.path), rep.Issues, o.verbose)
	if format == "json" {
		if err := framework.Write(env.Stdout, fw); err != nil {
			fmt.Fprintf(env.Stderr, "ota inspect: %v\n", err)
			return ExitUsage
		}
	} else {
		title, _, _ := fw.Title.Best("en")
		fmt.Fprintf(env.Stdout, "framework %q %s  %s\n", title, fw.Version, fw.ID)
		for depth, n := range fw.Walk() {
			name, _, _ := n.Name.Best("en")
			fmt.Fprintf(env.Stdout, "%s%s %s  %s\n", strings.Repeat("  ", depth+1), n.Code, n.Kind, name)
		}
		fmt.Fprintf(env.Stdout, "\n%d nodes, %d associations, %d scales\n", len(fw.Nodes), len(fw.Associations), len(fw.Scales))
	}
	if rep.HasErrors() {
		return ExitInvalid
	}
	return ExitOK
}
