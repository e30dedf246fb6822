package lesson_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/internal/interop"
	"github.com/metaacademy/ota/packaging/lesson"
	"github.com/metaacademy/ota/packaging/scorm"
)

// TestGitLessonSCORM exports the ModernStats Git lesson to SCORM 1.2 and
// 2004 4th Edition: each manifest passes xmllint against the official
// XSDs and, unless -short, every SCO of the 2004 package initializes,
// reports completion and terminates in scorm-again inside headless
// Chromium (packaging/scorm runs its launch page under both versions).
func TestGitLessonSCORM(t *testing.T) {
	dir := interop.Reference(t, "lessons/ModernStats_Git")
	l, _, err := lesson.OpenFS(os.DirFS(dir), lesson.Options{})
	require.NoError(t, err)
	tree := l.Asset()
	for _, v := range []scorm.Version{scorm.Version12, scorm.Version2004Ed4} {
		t.Run(string(v), func(t *testing.T) {
			var buf bytes.Buffer
			_, err := scorm.Export(&buf, tree, l.Content(), scorm.ExportOptions{Version: v})
			require.NoError(t, err)
			out := interop.Unzip(t, buf.Bytes())

			interop.RequireXMLLint(t)
			schema, catalog := interop.SCORMSchema(t, string(v))
			require.NoError(t, interop.XMLLint(schema, catalog, filepath.Join(out, "imsmanifest.xml")))
			for _, f := range []string{"episodes/05-track_changes.html", "ota-lesson.css", "index.html"} {
				assert.FileExists(t, filepath.Join(out, filepath.FromSlash(f)))
			}

			if testing.Short() || v != scorm.Version2004Ed4 {
				return // the launch page is the same code for both versions; one run shows it
			}
			b := interop.RequireBrowser(t)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			rep, err := b.RunSCORM(ctx, out, interop.SCORMOptions{Idle: 1500 * time.Millisecond, Settle: 500 * time.Millisecond, Timeout: 15 * time.Second})
			require.NoError(t, err)
			// The course page and 13 episodes, plus the 5 challenges.
			assert.Len(t, rep.SCOs, 19)
			for _, r := range rep.SCOs {
				assert.Empty(t, r.Problems(), "SCO %s %q", r.Item, r.Title)
				status := r.Final["completion_status"]
				if v == scorm.Version12 {
					status = r.Final["lesson_status"]
				}
				assert.Equal(t, "completed", status, "SCO %s %q", r.Item, r.Title)
				assert.Empty(t, r.Blocked, "SCO %s fetched something from outside the package", r.Item)
			}
		})
	}
}
