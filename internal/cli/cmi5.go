package cli

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
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
			_, err := os.Stat(filepath.Join(in.path, "cmi5.xml"))
			return err == nil
		case bytes.HasPrefix(in.head, []byte("PK\x03\x04")):
			return in.isZip() && !bundle.Sniff(in.head) && in.zip().cmi5
		}
		return bytes.Contains(in.head, []byte("<courseStructure"))
	},
	load: func(in *input, o *readOpts) (*asset.Document, ota.Report, error) {
		var (
			course *cmi5.Course
			rep    ota.Report
			err    error
		)
		policy := withDefaults(o.policy, importDefaults)
		if in.path == "-" || (!in.dir && !bytes.HasPrefix(in.head, []byte("PK\x03\x04"))) {
			course, rep, err = cmi5.Parse(in.body, cmi5.Options{})
		} else {
			course, rep, err = cmi5.OpenFile(in.path, cmi5.Options{FollowLinks: o.followLinks})
		}
		if err != nil {
			return nil, rep, err
		}
		a, crep := course.Asset()
		rep.Merge(crep)
		if o.validate {
			rep.Merge(asset.Check(a, asset.CheckOptions{Policy: policy, Frameworks: frameworks()}))
		}
		if in.path != "-" {
			var arc *archive.Archive
			if in.dir {
				arc, err = archive.OpenFolder(in.path, archive.Limits{FollowLinks: o.followLinks})
			} else if bytes.HasPrefix(in.head, []byte("PK\x03\x04")) {
				arc, err = archive.OpenFile(in.path, archive.Limits{})
			} else if err := openBeside(in, o); err != nil {
				return nil, rep, err
			}
			if arc != nil && err == nil {
				in.closers = append(in.closers, func() { arc.Close() })
				if o.checkData {
					checkArchiveData(arc, "cmi5", &rep)
				}
				in.content = arc
			}
		}
		rep.Apply(policy)
		return asset.NewDocument(*a), rep, nil
	},
}
