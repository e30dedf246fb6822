package scorm

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
)

// sourceNamed returns the export source of a reference package, or skips.
func sourceNamed(t *testing.T, name string) source {
	t.Helper()
	for _, s := range exportSources(t) {
		if s.name == name {
			return s
		}
	}
	t.Skipf("reference package %s is absent", name)
	return source{}
}

func lossCodes(rep ota.Report) []string {
	var out []string
	for _, l := range rep.Losses {
		out = append(out, l.Code)
	}
	return out
}

// TestExportKeepsFileMetadata: the LOM inside a <file> element of a
// SCORM 2004 package is written back on export to 2004 (both editions),
// and reported as lost on export to 1.2.
func TestExportKeepsFileMetadata(t *testing.T) {
	s := sourceNamed(t, "golf_scorm2004_3rd_metadata")
	var withMeta []*File
	src, _, err := OpenFS(s.content, Options{})
	require.NoError(t, err)
	for _, r := range src.Resources {
		for _, f := range r.Files {
			if f.Metadata != nil {
				withMeta = append(withMeta, f)
			}
		}
	}
	require.NotEmpty(t, withMeta, "the reference package has file metadata")
	for _, v := range []Version{Version2004Ed3, Version2004Ed4} {
		t.Run(string(v), func(t *testing.T) {
			data, rep := export(t, s, ExportOptions{Version: v})
			assert.NotContains(t, lossCodes(rep), "scorm.lost.file-metadata")
			p, _, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
			require.NoError(t, err)
			var back []*File
			for _, r := range p.Resources {
				for _, f := range r.Files {
					if f.Metadata != nil {
						back = append(back, f)
					}
				}
			}
			require.Len(t, back, len(withMeta))
			for i, f := range back {
				assert.Equal(t, withMeta[i].Href, f.Href)
				assert.Equal(t, len(withMeta[i].Metadata.Records), len(f.Metadata.Records))
				assert.Equal(t, withMeta[i].Metadata.Locations, f.Metadata.Locations)
			}
		})
	}
	t.Run("1.2", func(t *testing.T) {
		_, rep := export(t, s, ExportOptions{Version: Version12})
		n := 0
		for _, l := range rep.Losses {
			if l.Code == "scorm.lost.file-metadata" {
				n++
				assert.Contains(t, l.What, withMeta[0].Href[:strings.IndexByte(withMeta[0].Href, '.')])
			}
		}
		assert.Equal(t, len(withMeta), n, "one loss per file with metadata")
	})
}

// TestExportSchemaLocation: a package's xsi:schemaLocation, naming its own
// XSDs, is written back on export to the same version, and reported as
// lost on export to another edition or family; --schemas replaces it.
func TestExportSchemaLocation(t *testing.T) {
	for _, s := range exportSources(t) {
		if s.version == "" {
			continue
		}
		src, _, err := OpenFS(s.content, Options{})
		require.NoError(t, err)
		t.Run(s.name, func(t *testing.T) {
			for _, v := range targets {
				data, rep := export(t, s, ExportOptions{Version: v})
				p, _, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
				require.NoError(t, err)
				switch {
				case src.SchemaLocation == "":
					assert.Empty(t, p.SchemaLocation, "%s", v)
				case v == s.version:
					assert.Equal(t, src.SchemaLocation, p.SchemaLocation, "%s: the same version names its own XSDs again", v)
					assert.NotContains(t, lossCodes(rep), "scorm.lost.schema-location")
				default:
					assert.Empty(t, p.SchemaLocation, "%s", v)
					assert.Contains(t, lossCodes(rep), "scorm.lost.schema-location", "%s", v)
				}
			}
		})
	}
}
