package publish

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/atomicfile"
	"github.com/metaacademy/ota/packaging/bundle"
	"github.com/metaacademy/ota/packaging/cmi5"
	"github.com/metaacademy/ota/packaging/scorm"
	"github.com/metaacademy/ota/platform/feed"
)

// slugWord is what a slug keeps of an ID: letters, digits and dashes.
var slugWord = regexp.MustCompile(`[^a-z0-9]+`)

// slugOf names an asset's files: the last segment of its ID (the last two
// when the last is shorter than four characters, as in ".../course/2"),
// reduced to lower-case letters, digits and dashes and at most 40
// characters, then "-" and 8 hexadecimal digits of the ID's SHA-256, so
// that names are stable and distinct.
func slugOf(id string) string {
	trimmed := strings.TrimRight(id, "/#")
	last := trimmed
	if i := strings.LastIndexAny(trimmed, "/:#"); i >= 0 {
		last = trimmed[i+1:]
		if len(last) < 4 {
			if j := strings.LastIndexAny(trimmed[:i], "/:#"); j >= 0 {
				last = trimmed[j+1:]
			}
		}
	}
	word := strings.Trim(slugWord.ReplaceAllString(strings.ToLower(last), "-"), "-")
	if len(word) > 40 {
		word = strings.TrimRight(word[:40], "-")
	}
	sum := sha256.Sum256([]byte(id))
	h := hex.EncodeToString(sum[:4])
	if word == "" {
		return h
	}
	return word + "-" + h
}

// writeFile writes data to out/rel atomically and records it.
func (s *site) writeFile(rel string, data []byte) error {
	if err := s.put(rel, data); err != nil {
		return err
	}
	s.record(rel)
	return nil
}

// put writes data to out/rel atomically, without recording it: asset
// pages are known written by their page's written flag.
func (s *site) put(rel string, data []byte) error {
	p := filepath.Join(s.out, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("%w: %w", ErrOutput, err)
	}
	if err := atomicfile.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("%w: %w", ErrOutput, err)
	}
	return nil
}

// downloadFormat is a kind of download made for each tree.
type downloadFormat struct {
	format, label, suffix, mediaType string
}

// formats are the downloads made for each tree, in the order pages list
// them.
var formats = []downloadFormat{
	{feed.FormatOTA, "OTA bundle", ".ota", bundle.MediaType},
	{feed.FormatSCORM12, "SCORM 1.2", ".scorm12.zip", "application/zip"},
	{feed.FormatSCORM2004, "SCORM 2004 4th Edition", ".scorm2004.zip", "application/zip"},
	{feed.FormatCMI5, "cmi5", ".cmi5.zip", "application/zip"},
}

// packageTree makes a tree's downloads from its full tree root (the
// tree's entry may hold a summary). Failures of single formats are issues;
// the error is for the output folder and cancellation.
func (s *site) packageTree(ctx context.Context, t *tree, root *asset.Asset) error {
	loc := t.loc
	content := s.content(t)
	if content == nil {
		content = emptyFS{}
	}
	if err := os.MkdirAll(filepath.Join(s.out, "downloads"), 0o755); err != nil {
		return fmt.Errorf("%w: %w", ErrOutput, err)
	}
	var losses []ota.Loss
	var nothing []string // formats not made because the tree has nothing to launch
	for i, f := range formats {
		rel := "downloads/" + t.slug + f.suffix
		p := filepath.Join(s.out, filepath.FromSlash(rel))
		var rep ota.Report
		var err error
		switch f.format {
		case feed.FormatOTA:
			err = s.writeBundle(ctx, p, root, content)
		case feed.FormatSCORM12:
			rep, err = scorm.ExportFile(ctx, p, root, content, scorm.ExportOptions{Version: scorm.Version12})
		case feed.FormatSCORM2004:
			rep, err = scorm.ExportFile(ctx, p, root, content, scorm.ExportOptions{Version: scorm.Version2004Ed4})
		case feed.FormatCMI5:
			rep, err = cmi5.ExportFile(ctx, p, root, content, cmi5.ExportOptions{})
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if err != nil && f.format != feed.FormatOTA && nothingToLaunch(err) {
			nothing = append(nothing, f.label)
			continue
		}
		if err != nil {
			code, sev := CodeDownloadSkipped, ota.Warning
			if f.format == feed.FormatOTA {
				code, sev = CodeBundleFailed, ota.Error
			}
			msg := fmt.Sprintf("no %s download: %v", f.label, firstLine(err))
			s.addIssue(ota.Issue{Pointer: loc, Code: code, Severity: sev, Message: msg})
			if f.format == feed.FormatOTA {
				return nil // without its bundle the tree has no digest: no other downloads, no feed entry
			}
			continue
		}
		for _, l := range rep.Losses {
			l.Pointer = joinPointer(loc, l.Pointer) + " (" + f.label + ")"
			losses = append(losses, l)
		}
		size, sum, err := hashFile(p)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrOutput, err)
		}
		t.downloads = append(t.downloads, download{format: i, size: size, sum: sum})
	}
	if len(nothing) > 0 {
		s.addIssue(ota.Issue{Pointer: loc, Code: CodeNothingToLaunch, Severity: ota.Info,
			Message: fmt.Sprintf("no %s download: no asset of the tree has a launch resource (a catalogue entry without content); the OTA bundle is the download", strings.Join(nothing, ", "))})
	}
	s.addLosses(losses)
	return nil
}

// writeBundle writes the tree and its content files as an OTA bundle, and
// signs it when there is a key.
func (s *site) writeBundle(ctx context.Context, p string, root *asset.Asset, content fs.FS) error {
	doc := asset.NewDocument(*root)
	err := bundle.WriteFile(ctx, p, bundle.WriterOptions{Generator: "ota publish"}, func(w *bundle.Writer) error {
		if err := w.AddAsset(doc); err != nil {
			return err
		}
		return w.AddFS(ctx, content)
	})
	if err != nil || s.opts.Key == nil {
		return err
	}
	return bundle.SignFile(ctx, p, s.opts.Key, bundle.Options{})
}

// nothingToLaunch reports whether an export failed only because the tree
// has no content to launch.
func nothingToLaunch(err error) bool {
	issues := ota.IssuesOf(err)
	if len(issues) == 0 {
		return false
	}
	for _, is := range issues {
		if is.Severity == ota.Error && is.Code != "scorm.export.nothing" && is.Code != "cmi5.export.empty" {
			return false
		}
	}
	return true
}

// hashFile returns a file's size and SHA-256.
func hashFile(p string) (int64, [sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	f, err := os.Open(p)
	if err != nil {
		return 0, sum, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, sum, err
	}
	h.Sum(sum[:0])
	return n, sum, nil
}

// firstLine shortens an error to its first line.
func firstLine(err error) string {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

// emptyFS is a file system without files, the content of trees added in
// code.
type emptyFS struct{}

func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// writeStream writes out/rel atomically from what fill writes, through a
// buffer, and records it.
func (s *site) writeStream(rel string, fill func(w io.Writer) error) error {
	p := filepath.Join(s.out, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("%w: %w", ErrOutput, err)
	}
	err := atomicfile.Write(p, 0o644, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		if err := fill(bw); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrOutput, rel, err)
	}
	s.record(rel)
	return nil
}
