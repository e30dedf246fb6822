package cli

import (
	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging"
	"github.com/metaacademy/ota/packaging/archive"
	"github.com/metaacademy/ota/packaging/lesson"
)

// Lessons: a Carpentries Workbench lesson (a folder with config.yaml and
// episodes/) or a folder of Markdown files. The content the asset's
// resources name is the lesson's files and its rendered pages.
func init() { kinds = append(kinds, lessonKind) }

var lessonKind = &kind{
	name:       "lesson",
	folders:    true,
	fileIssues: true,
	detect: func(in *input) bool {
		// A package folder is a package, whatever Markdown it also holds
		// (a README.md beside imsmanifest.xml).
		return in.dir && in.pkg().kind == packaging.KindLesson
	},
	load: func(in *input, o *readOpts) (*asset.Document, ota.Report, error) {
		l, rep, err := lesson.OpenFile(in.path, lesson.Options{Limits: archive.Limits{FollowLinks: o.followLinks}})
		if err != nil {
			return nil, rep, err
		}
		in.closers = append(in.closers, func() { l.Close() })
		a := l.Asset()
		if o.validate {
			rep.Merge(asset.Check(a, asset.CheckOptions{Policy: o.policy, Frameworks: frameworks()}))
		}
		in.content = l.Content()
		rep.Apply(o.policy)
		return asset.NewDocument(*a), rep, nil
	},
}
