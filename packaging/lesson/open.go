package lesson

import (
	"io"
	"io/fs"
	"os"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/packaging/archive"
)

// OpenFS reads the lesson at the root of fsys: a Carpentries Workbench
// lesson (config.yaml, episodes/, learners/, instructors/, profiles/) or a
// plain folder of Markdown files with front matter, each an episode in
// name order, and converts it to an asset tree ([Lesson.Asset]). The
// report lists what is wrong or cannot be carried over, the conversion's
// findings included, with file paths as pointers and lines where known,
// and the Options' Policy applied. The error is non-nil only when there is
// no lesson to return: config.yaml is not YAML ([ErrConfig]) or too large
// ([ErrTooLarge]), nothing looks like a lesson ([ErrNoLesson]), a path it
// reads is a link or a special file that fsys reports ([ErrRefused]), or
// fsys cannot be read. For a folder on disk use [OpenFile]: os.DirFS
// follows links, even out of the folder, and reports only the last part
// of a path as one.
func OpenFS(fsys fs.FS, opts Options) (*Lesson, ota.Report, error) {
	opts = opts.withDefaults()
	o := &opener{l: &Lesson{fsys: fsys, opts: opts, md: newMarkdown(),
		pages: map[string]*Episode{}, files: map[string]*fileRef{}, rendered: map[string][]byte{}}}
	err := o.open()
	if o.refused != nil {
		err = o.refused
	}
	if err != nil {
		o.rep.Apply(opts.Policy)
		return nil, o.rep, err
	}
	a, crep := o.l.convert()
	o.l.asset = a
	o.rep.Merge(crep)
	o.rep.Apply(opts.Policy)
	return o.l, o.rep, nil
}

// Open reads a zipped lesson, the zip archive r of size bytes: the
// archive is checked as hostile input first (an error of package
// [archive], whose classes errors.Is matches), then the lesson is read
// from its root as [OpenFS] does, its files through the archive's checks.
func Open(r io.ReaderAt, size int64, opts Options) (*Lesson, ota.Report, error) {
	a, err := archive.Open(r, size, opts.Limits)
	if err != nil {
		return nil, ota.Report{}, err
	}
	return OpenFS(a, opts)
}

// OpenFile reads the lesson at path: a folder, read as [OpenFS] does
// through a reader that refuses symbolic links at every depth (unless
// Options.FollowLinks, and then only those staying inside the folder) and
// every file that is not a regular file, or a zip file, read as [Open]
// does. The Lesson reads the folder or zip again for [Lesson.Content];
// Close releases it.
func OpenFile(path string, opts Options) (*Lesson, ota.Report, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, ota.Report{}, err
	}
	var src interface {
		fs.FS
		io.Closer
	}
	if fi.IsDir() {
		src, err = archive.OpenFolderFS(path, archive.FolderOptions{FollowLinks: opts.FollowLinks})
	} else {
		src, err = archive.OpenFile(path, opts.Limits)
	}
	if err != nil {
		return nil, ota.Report{}, err
	}
	l, rep, err := OpenFS(src, opts)
	if err != nil {
		_ = src.Close()
		return nil, rep, err
	}
	l.closer = src
	return l, rep, nil
}

// Asset returns the asset tree the lesson was converted to when opened:
// the lesson is a course, each episode a lesson, each challenge of an
// episode an activity. IDs are derived with asset.DeriveID from ("lesson",
// key[, file[, "challenge-N"]]) where key is config.yaml's source, or the
// title when there is none. The resources name the rendered pages, the
// stylesheet and the referenced files at the paths [Lesson.Content]
// serves, with sizes and SHA-256 digests. What the tree does not carry
// (losses) and problems met while rendering are in the report of opening.
func (l *Lesson) Asset() *asset.Asset {
	if l.asset == nil {
		l.asset, _ = l.convert()
	}
	return l.asset
}

// Close releases the folder or zip [OpenFile] opened; for a lesson from
// [Open] or [OpenFS] it does nothing. Content read after Close fails.
func (l *Lesson) Close() error {
	if l.closer == nil {
		return nil
	}
	return l.closer.Close()
}
