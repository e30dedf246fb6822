package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/metaacademy/ota/framework/casepkg"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
	"github.com/metaacademy/ota/packaging"
	"github.com/metaacademy/ota/packaging/archive"
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
	name: "bundle",
	detect: func(in *input) bool {
		return bundle.Sniff(in.head) || in.isZip() && in.pkg().kind == packaging.KindBundle
	},
	load: func(in *input, o *readOpts) (*asset.Document, ota.Report, error) {
		if in.path == "-" {
			return nil, ota.Report{}, errStdinArchive
		}
		ro := asset.ReadOptions{Validate: o.validate, Check: asset.CheckOptions{Policy: o.policy}}
		if o.validate {
			ro.Check.Frameworks = frameworks()
		}
		b, rep, err := bundle.OpenFile(in.path, bundle.Options{Asset: ro})
		if err != nil {
			return nil, rep, err
		}
		in.closers = append(in.closers, func() { b.Close() })
		in.content = b.Content()
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
		if in.dir && in.pkg().kind == packaging.KindCMI5 {
			// cmi5 wins, but --as scorm reads the folder's SCORM manifest.
			d, err := packaging.DetectFS(noCMI5{os.DirFS(in.path)})
			return err == nil && d == packaging.KindSCORM
		}
		return (in.dir || in.isZip() && !bundle.Sniff(in.head)) && in.pkg().kind == packaging.KindSCORM
	},
	load: func(in *input, o *readOpts) (*asset.Document, ota.Report, error) {
		if in.path == "-" {
			return nil, ota.Report{}, errStdinArchive
		}
		policy := withDefaults(o.policy, importDefaults)
		pkg, rep, err := scorm.OpenFile(in.path, scorm.Options{Policy: policy, Limits: archive.Limits{FollowLinks: o.followLinks}})
		if err != nil {
			return nil, rep, err
		}
		in.closers = append(in.closers, func() { pkg.Close() })
		a := pkg.Asset()
		if o.validate {
			rep.Merge(asset.Check(a, asset.CheckOptions{Policy: policy, Frameworks: frameworks()}))
		}
		if o.checkData {
			verifyData(pkg.Verify, &rep)
		}
		in.content = pkg.Content()
		return asset.NewDocument(*a), rep, nil
	},
}

// noCMI5 is a folder with its cmi5.xml hidden, to tell what else it is.
type noCMI5 struct{ fs.FS }

func (f noCMI5) Open(name string) (fs.File, error) {
	if name == "cmi5.xml" {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return f.FS.Open(name)
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
