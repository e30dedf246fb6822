package cli

import (
	"bytes"
	"context"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging"
	"github.com/metaacademy/ota/packaging/archive"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/packaging/cmi5"
)

// cmi5 course structures: a cmi5.xml file, or a zip or folder holding one.
// A package holding both cmi5.xml and imsmanifest.xml is read as cmi5
// unless --as scorm, so this kind comes before scorm.
func init() {
	for i, k := range kinds {
		if k == scormKind {
			kinds = append(kinds[:i], append([]*kind{cmi5Kind}, kinds[i:]...)...)
			return
		}
	}
	kinds = append(kinds, cmi5Kind)
}

var cmi5Kind = &kind{
	name:    "cmi5",
	folders: true,
	detect: func(in *input) bool {
		switch {
		case in.dir:
			return in.pkg().kind == packaging.KindCMI5
		case bytes.HasPrefix(in.head, []byte("PK\x03\x04")):
			return in.isZip() && !bundle.Sniff(in.head) && in.pkg().kind == packaging.KindCMI5
		}
		return bytes.Contains(in.head, []byte("<courseStructure"))
	},
	load: func(in *input, o *readOpts) (*asset.Document, ota.Report, error) {
		policy := withDefaults(o.policy, importDefaults)
		opts := cmi5.Options{Policy: policy, Limits: archive.Limits{FollowLinks: o.followLinks}}
		var (
			a      *asset.Asset
			rep    ota.Report
			verify func(context.Context) ota.Report
		)
		if in.path == "-" || (!in.dir && !bytes.HasPrefix(in.head, []byte("PK\x03\x04"))) {
			course, prep, err := cmi5.Parse(in.body, opts)
			if err != nil {
				return nil, prep, err
			}
			var crep ota.Report
			a, crep = course.Asset()
			rep = prep
			rep.Merge(crep)
			if err := openBeside(in, o); err != nil {
				return nil, rep, err
			}
		} else {
			pkg, prep, err := cmi5.OpenFile(in.path, opts)
			if err != nil {
				return nil, prep, err
			}
			in.closers = append(in.closers, func() { pkg.Close() })
			a, rep = pkg.Asset(), prep
			verify = pkg.Verify
			in.content = pkg.Content()
		}
		if o.validate {
			rep.Merge(asset.Check(a, asset.CheckOptions{Policy: policy, Frameworks: frameworks()}))
		}
		if o.checkData && verify != nil {
			verifyData(verify, &rep)
		}
		rep.Apply(policy)
		return asset.NewDocument(*a), rep, nil
	},
}
