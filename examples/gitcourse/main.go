// Gitcourse is the Meta Academy's first use case, end to end: it reads a
// Carpentries Workbench lesson about Git, aligns it to GSBPM and DigComp,
// and writes everything a training team needs to share it and an LMS
// needs to run it:
//
//   - course.ota.json: the course as a canonical OTA document, with the
//     files its resources name (rendered pages, figures) beside it, so
//     that 'ota convert course.ota.json' finds them;
//   - course.ota: an OTA bundle, the document and every file it names;
//   - course-scorm12.zip and course-scorm2004.zip: SCORM 1.2 and SCORM
//     2004 4th Edition packages;
//   - course-cmi5.zip: a cmi5 package;
//   - statements.ndjson: the xAPI statements of one simulated learner
//     going through the course, one per line;
//   - gsbpm-coverage.svg and digcomp-coverage.svg: what the course covers
//     of each framework, as heatmaps.
//
// It then prints what it wrote and which GSBPM sub-processes and DigComp
// competences the course covers.
//
//	go run ./examples/gitcourse                        # the small lesson under testdata/lesson
//	go run ./examples/gitcourse -o out path/to/lesson  # any Workbench lesson, into out/
//
// The output is reproducible: IDs are derived from the lesson's source,
// and the learner's statements have fixed timestamps and derived UUIDs.
package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/mapping"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/packaging/cmi5"
	"github.com/metaacademy/ota/packaging/lesson"
	"github.com/metaacademy/ota/packaging/scorm"
)

// The default lesson is embedded, so that the example runs from any folder.
//
//go:embed testdata/lesson
var builtin embed.FS

// The names of the files run writes in the output folder.
const (
	docFile       = "course.ota.json"
	bundleFile    = "course.ota"
	scorm12File   = "course-scorm12.zip"
	scorm2004File = "course-scorm2004.zip"
	cmi5File      = "course-cmi5.zip"
	xapiFile      = "statements.ndjson"
)

func main() {
	out := flag.String("o", "", "the folder to write into (default: a new temporary folder)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: gitcourse [-o DIR] [LESSON]")
		fmt.Fprintln(os.Stderr, "LESSON is a Carpentries Workbench lesson folder; by default the example's own small lesson.")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 1 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg := config{Lesson: flag.Arg(0), Out: *out, Stdout: os.Stdout, Stderr: os.Stderr}
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "gitcourse:", err)
		os.Exit(1)
	}
}

// config is what run needs: where to read and write, and where to talk.
type config struct {
	Lesson string // lesson folder; "" for the built-in lesson
	Out    string // output folder; "" for a new temporary one
	Stdout io.Writer
	Stderr io.Writer
}

func run(ctx context.Context, cfg config) error {
	// 1. Read the lesson and map it onto an asset tree.
	fsys, name, err := lessonFS(cfg.Lesson)
	if err != nil {
		return err
	}
	l, rep, err := lesson.OpenFS(fsys, lesson.Options{})
	if err != nil {
		return err
	}
	course := l.Asset()
	brief(cfg.Stderr, "reading the lesson", rep)
	if rep.HasErrors() {
		return fmt.Errorf("%s: the lesson has %d errors", name, len(rep.Errors()))
	}
	content := l.Content()

	// 2. Align it to GSBPM and DigComp, and check the alignments against
	// the built-in frameworks together with every other rule of the format.
	n := align(course)
	reg := mapping.Default()
	check := asset.Check(course, asset.CheckOptions{Frameworks: reg})
	brief(cfg.Stderr, "checking the course", check)
	if err := check.Err(); err != nil {
		return err
	}
	episodes, challenges := 0, 0
	for _, a := range course.All() {
		switch a.Kind {
		case asset.KindLesson:
			episodes++
		case asset.KindActivity:
			challenges++
		}
	}
	fmt.Fprintf(cfg.Stdout, "%q from %s: %d episodes, %d challenges, %s; %d alignments added\n",
		course.Title[l.Language], name, episodes, challenges, course.Duration, n)

	// 3. Write it out in every format, then a learner's statements and
	// the coverage heatmaps.
	dir, err := outputDir(cfg.Out)
	if err != nil {
		return err
	}
	files, err := write(ctx, cfg.Stderr, dir, course, content, l.Language)
	if err != nil {
		return err
	}
	covs, err := coverages(reg, course)
	if err != nil {
		return err
	}
	for _, c := range covs {
		if err := writeFile(filepath.Join(dir, c.file), c.cov.WriteSVG); err != nil {
			return err
		}
		files = append(files, output{c.file, c.label + " coverage heatmap"})
	}

	// 4. Say what was written and what the course covers.
	fmt.Fprintf(cfg.Stdout, "\nwrote %s:\n", dir)
	for _, f := range files {
		fi, err := os.Stat(filepath.Join(dir, f.file))
		if err != nil {
			return err
		}
		fmt.Fprintf(cfg.Stdout, "  %-22s %9d bytes  %s\n", f.file, fi.Size(), f.what)
	}
	printCoverage(cfg.Stdout, covs)
	fmt.Fprintf(cfg.Stdout, "\nnext: go run ./cmd/ota inspect %s\n", filepath.Join(dir, bundleFile))
	return nil
}

// output is a file written and what it is.
type output struct{ file, what string }

// write writes the course in every format into dir, and the statements
// of a learner going through it; it prints to stderr what each export
// could not carry over.
func write(ctx context.Context, stderr io.Writer, dir string, course *asset.Asset, content fs.FS, lang string) ([]output, error) {
	doc := asset.NewDocument(*course)
	data, err := asset.Marshal(doc)
	if err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(dir, docFile), func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return nil, err
	}
	nfiles, err := writeContent(dir, course, content)
	if err != nil {
		return nil, err
	}
	files := []output{{docFile, fmt.Sprintf("OTA document (canonical JSON); the %d files it names are beside it", nfiles)}}

	err = bundle.WriteFile(ctx, filepath.Join(dir, bundleFile), bundle.WriterOptions{Generator: "ota examples/gitcourse"},
		func(w *bundle.Writer) error {
			if err := w.AddAsset(doc); err != nil {
				return err
			}
			return w.AddFS(ctx, content)
		})
	if err != nil {
		return nil, err
	}
	files = append(files, output{bundleFile, "OTA bundle: the document and every file it names"})

	// The packages an LMS imports. What they cannot hold (alignments,
	// extensions…) is reported as losses; the bundle keeps everything.
	for _, e := range []struct {
		file, what string
		v          scorm.Version
	}{{scorm12File, "SCORM 1.2 package", scorm.Version12}, {scorm2004File, "SCORM 2004 4th Edition package", scorm.Version2004Ed4}} {
		rep, err := scorm.ExportFile(ctx, filepath.Join(dir, e.file), course, content, scorm.ExportOptions{Version: e.v})
		brief(stderr, e.file, rep)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.file, err)
		}
		files = append(files, output{e.file, e.what})
	}
	rep, err := cmi5.ExportFile(ctx, filepath.Join(dir, cmi5File), course, content, cmi5.ExportOptions{})
	brief(stderr, cmi5File, rep)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmi5File, err)
	}
	files = append(files, output{cmi5File, "cmi5 package"})

	// A learner goes through the course: the xAPI statements an LRS
	// would receive, each validated before it is written.
	n, err := simulate(filepath.Join(dir, xapiFile), course, lang)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", xapiFile, err)
	}
	files = append(files, output{xapiFile, fmt.Sprintf("%d xAPI 1.0.3 statements of one learner, all valid", n)})
	return files, nil
}

// writeContent copies the files the course's resources name from content
// into dir, at the paths the resources give: an OTA document's files are
// read from the folder it is in, so course.ota.json converts and validates
// where it is written. It returns how many files it wrote.
func writeContent(dir string, course *asset.Asset, content fs.FS) (int, error) {
	var paths []string
	for _, a := range course.All() {
		for _, r := range a.Resources {
			paths = append(paths, r.Path)
		}
	}
	slices.Sort(paths)
	paths = slices.Compact(paths)
	for _, p := range paths {
		if !fs.ValidPath(p) || p == "." {
			return 0, fmt.Errorf("resource path %q is not a clean relative path", p)
		}
		target := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return 0, err
		}
		err := writeFile(target, func(w io.Writer) error {
			f, err := content.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(w, f)
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("writing %s beside %s: %w", p, docFile, err)
		}
	}
	return len(paths), nil
}

// lessonFS returns the lesson folder to read and a name to show for it.
func lessonFS(dir string) (fs.FS, string, error) {
	if dir == "" {
		sub, err := fs.Sub(builtin, "testdata/lesson")
		return sub, "the built-in lesson (examples/gitcourse/testdata/lesson)", err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, "", err
	}
	if !fi.IsDir() {
		return nil, "", fmt.Errorf("%s is not a folder: give a lesson folder (holding config.yaml or episodes/)", dir)
	}
	return os.DirFS(dir), dir, nil
}

// outputDir creates the output folder, or a new temporary one.
func outputDir(dir string) (string, error) {
	if dir == "" {
		return os.MkdirTemp("", "ota-gitcourse-")
	}
	return dir, os.MkdirAll(dir, 0o755)
}

// brief prints a one-line summary of a report to w: issue counts and the
// things a conversion could not carry over, grouped, not one per line.
func brief(w io.Writer, step string, rep ota.Report) {
	errs, warns := len(rep.Errors()), len(rep.Warnings())
	if errs+warns == 0 && len(rep.Losses) == 0 {
		return
	}
	var parts []string
	if errs > 0 {
		parts = append(parts, plural(errs, "error")+" (first: "+rep.Errors()[0].Error()+")")
	}
	if warns > 0 {
		parts = append(parts, plural(warns, "warning"))
	}
	if len(rep.Losses) > 0 {
		parts = append(parts, plural(len(rep.Losses), "loss")+" ("+lossKinds(rep.Losses, 5)+")")
	}
	fmt.Fprintf(w, "%s: %s\n", step, strings.Join(parts, "; "))
}

// lossKinds names the most frequent kinds of loss by their codes (see
// docs/losses.md), most frequent first, with counts.
func lossKinds(losses []ota.Loss, max int) string {
	groups := ota.Report{Losses: losses}.LossGroups()
	slices.SortStableFunc(groups, func(a, b ota.LossGroup) int { return len(b.Losses) - len(a.Losses) })
	var out []string
	for i, g := range groups {
		if i == max {
			out = append(out, "…")
			break
		}
		out = append(out, fmt.Sprintf("%s ×%d", g.Code, len(g.Losses)))
	}
	return strings.Join(out, ", ")
}

// plural returns "1 loss", "2 losses", "3 warnings".
func plural(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "s"):
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
