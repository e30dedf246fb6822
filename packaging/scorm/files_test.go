package scorm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
)

func TestFileMatching(t *testing.T) {
	manifest := func(href string) string {
		return `<manifest identifier="m" xmlns="` + NSCP2004 + `" xmlns:adlcp="` + NSADLCP2004 + `"><metadata><schemaversion>2004 3rd Edition</schemaversion></metadata>` +
			`<organizations default="o"><organization identifier="o"><title>t</title><item identifier="i" identifierref="r"><title>i</title></item></organization></organizations>` +
			`<resources><resource identifier="r" type="webcontent" adlcp:scormType="sco" href="index.html"><file href="index.html"/><file href="` + href + `"/></resource></resources></manifest>`
	}
	tests := []struct {
		name, href, entry string
		wantPath          string
		wantCode          string
		sev               ota.Severity
	}{
		{"exact", "img/a.png", "img/a.png", "img/a.png", "", ""},
		{"percent-encoded space", "img/Four%20Vs.png", "img/Four Vs.png", "img/Four Vs.png", "", ""},
		{"raw space", "SCORM deneme 3.html", "SCORM deneme 3.html", "SCORM deneme 3.html", "", ""},
		{"literal percent", "100%25.html", "100%.html", "100%.html", "", ""},
		{"invalid escape kept literally", "a%zz.html", "a%zz.html", "a%zz.html", "", ""},
		{"encoded non-ASCII", "caf%C3%A9.html", "café.html", "café.html", "", ""},
		{"query and fragment ignored", "page.html?x=1#top", "page.html", "page.html", "", ""},
		{"case fallback", "IMG/A.PNG", "img/a.png", "img/a.png", "scorm.file.case", ota.Warning},
		{"dot segments", "./img/../img/a.png", "img/a.png", "img/a.png", "", ""},
		{"missing", "img/b.png", "img/a.png", "", "scorm.file.missing", ota.Error},
		{"outside", "../../etc/passwd", "img/a.png", "", "scorm.file.outside", ota.Error},
		{"absolute URL not checked", "https://cdn.example/lib.js", "img/a.png", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, rep, err := openZip(t, map[string]string{"imsmanifest.xml": manifest(tc.href), "index.html": "x", tc.entry: "y"}, Options{})
			require.NoError(t, err)
			assert.Equal(t, tc.wantPath, p.Resources[0].Files[1].Path)
			var got []ota.Issue
			for _, is := range rep.Issues {
				if is.Code != "scorm.file.unlisted" {
					got = append(got, is)
				}
			}
			if tc.wantCode == "" {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			assert.Equal(t, tc.wantCode, got[0].Code)
			assert.Equal(t, tc.sev, got[0].Severity)
			assert.Equal(t, "manifest/resources[0]/resource[0]/file[1]", got[0].Pointer)
		})
	}
}
