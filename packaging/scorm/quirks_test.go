package scorm

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
)

func quirksFiles(t *testing.T) map[string]string {
	return map[string]string{
		"imsmanifest.xml":              testdata(t, "quirks12.xml"),
		"pkg/res/s1/one/index.html":    "<p>1</p>",
		"pkg/res/s1/one/Four Vs.png":   "png",
		"pkg/res/s1/one/raw name.html": "raw",
		"pkg/res/two.html":             "two",
		"shared.js":                    "js",
		"extra.txt":                    "not listed",
		"__MACOSX/._extra.txt":         "junk",
		"imscp_rootv1p1p2.xsd":         "<xs:schema/>",
	}
}

func TestQuirks12(t *testing.T) {
	p, rep, err := openZip(t, quirksFiles(t), Options{})
	require.NoError(t, err)
	assert.Empty(t, rep.Errors())
	assert.ElementsMatch(t, []string{
		"scorm.item.spelling", "scorm.resource.scormtype-case", "scorm.package.junk",
		"scorm.file.case", "scorm.file.unlisted",
	}, issueCodes(rep, ota.Warning))
	assert.Equal(t, Version12, p.Version)
	assert.Equal(t, "pkg/", p.Base)

	org := p.Default()
	require.NotNil(t, org)
	mod := org.Items[0]
	require.NotNil(t, mod.IsVisible)
	assert.False(t, *mod.IsVisible)
	i1, i2 := mod.Items[0], mod.Items[1]
	assert.Equal(t, "pkg/res/s1/one/index.html?x=1&lang=en", i1.LaunchURL)
	assert.Equal(t, "pkg/res/two.html#page3", i2.LaunchURL)
	assert.Equal(t, "manifest/organizations[0]/organization[0]/item[0]/item[1]", i2.Pointer)
	assert.Equal(t, "I0", i1.Prerequisites)
	assert.Equal(t, "aicc_script", i1.PrerequisitesType)
	assert.Equal(t, "00:30:00", i1.MaxTimeAllowed)
	assert.Equal(t, "exit,message", i1.TimeLimitAction)
	assert.Equal(t, "seed=4", i1.DataFromLMS)
	assert.Equal(t, "80", i1.MasteryScore)

	r1 := p.Resource("R1")
	assert.Equal(t, "sco", r1.ScormType)
	var paths []string
	for _, f := range p.ResourceFiles(r1) {
		paths = append(paths, f.Path)
	}
	// Percent-encoded and raw-space hrefs are found; the dependency cycle
	// SHARED → R2 → SHARED ends.
	assert.Equal(t, []string{"pkg/res/s1/one/index.html", "pkg/res/s1/one/Four Vs.png", "pkg/res/s1/one/raw name.html", "shared.js", "pkg/res/two.html"}, paths)

	a, crep := p.convert()
	require.NotNil(t, a)
	assert.Equal(t, asset.LangString{"en": "Quirky course"}, a.Title)
	assert.Equal(t, asset.LangList{"und": {"census"}}, a.Keywords)
	assert.Equal(t, "PT1H30M", a.Duration.String())
	assert.Equal(t, "CC-BY-SA-4.0", a.License)
	assert.Equal(t, []asset.Contributor{{Name: "Grace Hopper", Type: asset.Person, Affiliation: "US Navy", Roles: []asset.Role{asset.RoleAuthor}}}, a.Contributors)
	require.Len(t, crep.Losses, 1)
	assert.Equal(t, "manifest/organizations[0]/organization[1]", crep.Losses[0].Pointer)
	lesson := a.Parts[0].Parts[0]
	assert.Equal(t, asset.KindLesson, lesson.Kind)
	assert.Equal(t, asset.DeriveID("scorm", "M12", "I1"), lesson.ID)
	assert.Equal(t, asset.Resource{Path: "pkg/res/s1/one/index.html", MediaType: "text/html", Size: 8, Role: asset.RoleLaunch}, lesson.Resources[0])
	assert.Equal(t, asset.RoleMedia, lesson.Resources[1].Role)
	assert.Equal(t, asset.KindActivity, a.Parts[0].Parts[1].Kind)
	assert.Contains(t, string(lesson.Extensions[ExtensionIRI]), `"masteryScore":"80"`)
	assert.Empty(t, asset.Check(a, asset.CheckOptions{}).Errors())
}

func TestBrokenReferences(t *testing.T) {
	p, rep, err := openZip(t, map[string]string{"imsmanifest.xml": testdata(t, "refs2004.xml")}, Options{})
	require.NoError(t, err)
	assert.Equal(t, Version2004Ed3, p.Version)
	assert.ElementsMatch(t, []string{
		"scorm.organizations.default-unresolved", "scorm.item.missing-resource",
		"scorm.item.resource-without-href", "scorm.sequencing.idref", "scorm.identifier.duplicate",
		"scorm.file.missing", "scorm.dependency.unresolved",
	}, issueCodes(rep, ota.Error))
	assert.ElementsMatch(t, []string{
		"scorm.item.masteryscore-2004", "scorm.version.edition-mismatch", "scorm.metadata.misplaced",
		"scorm.resource.scormtype-case", "scorm.item.empty",
	}, issueCodes(rep, ota.Warning))
	for _, is := range rep.Issues {
		if is.Code == "scorm.item.missing-resource" {
			assert.Equal(t, "manifest/organizations[0]/organization[0]/item[0]", is.Pointer)
		}
	}
	var ve *ota.ValidationError
	require.ErrorAs(t, rep.Err(), &ve)

	// A policy can demote a rule.
	_, rep2, err := openZip(t, map[string]string{"imsmanifest.xml": testdata(t, "refs2004.xml")},
		Options{Policy: ota.Policy{"scorm.file": ota.Ignore, "scorm.item.masteryscore-2004": ota.Info}})
	require.NoError(t, err)
	assert.NotContains(t, issueCodes(rep2, ota.Error), "scorm.file.missing")
	assert.Contains(t, issueCodes(rep2, ota.Info), "scorm.item.masteryscore-2004")
}

func TestNoNamespaceLatin1(t *testing.T) {
	p, rep, err := openZip(t, map[string]string{"imsmanifest.xml": testdata(t, "nonamespace.xml"), "a.html": "a"}, Options{})
	require.NoError(t, err)
	assert.Equal(t, Version12, p.Version)
	assert.Contains(t, issueCodes(rep, ota.Warning), "scorm.manifest.namespace")
	assert.Contains(t, issueCodes(rep, ota.Warning), "scorm.resource.scormtype-missing")
	assert.Equal(t, "Café", p.Organizations[0].Title)
	assert.Equal(t, "a.html", p.Organizations[0].Items[0].LaunchURL)
}

func TestVersionDetection(t *testing.T) {
	const body = `<organizations/><resources/>`
	tests := []struct {
		name, manifest string
		want           Version
		warn           string
	}{
		{"1.2 by namespace", `<manifest identifier="x" xmlns="` + NSCP12 + `">` + body + `</manifest>`, Version12, "scorm.version.missing-schemaversion"},
		{"2004 by namespace", `<manifest identifier="x" xmlns="` + NSCP2004 + `">` + body + `</manifest>`, Version2004Ed3, "scorm.version.missing-schemaversion"},
		{"4th by feature", `<manifest identifier="x" xmlns="` + NSCP2004 + `" xmlns:adlcp="` + NSADLCP2004 + `"><organizations><organization identifier="o" adlcp:sharedDataGlobalToSystem="false"/></organizations></manifest>`, Version2004Ed4, "scorm.version.missing-schemaversion"},
		{"CAM 1.3", `<manifest identifier="x" xmlns="` + NSCP2004 + `"><metadata><schemaversion>CAM 1.3</schemaversion></metadata>` + body + `</manifest>`, Version2004Ed2, ""},
		{"disagreement", `<manifest identifier="x" xmlns="` + NSCP2004 + `"><metadata><schemaversion>1.2</schemaversion></metadata>` + body + `</manifest>`, Version12, "scorm.version.mismatch"},
		{"unknown value", `<manifest identifier="x" xmlns="` + NSCP12 + `"><metadata><schemaversion>9</schemaversion></metadata>` + body + `</manifest>`, Version12, "scorm.version.unknown-schemaversion"},
		{"mixed", `<manifest identifier="x" xmlns="` + NSCP12 + `" xmlns:adlcp="` + NSADLCP2004 + `"><metadata><schemaversion>1.2</schemaversion></metadata><resources><resource identifier="r" adlcp:scormType="sco"/></resources></manifest>`, Version12, "scorm.version.mixed-namespaces"},
		{"nothing", `<manifest identifier="x">` + body + `</manifest>`, Version12, "scorm.version.unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, rep, err := openZip(t, map[string]string{"imsmanifest.xml": tc.manifest}, Options{})
			require.NoError(t, err)
			assert.Equal(t, tc.want, p.Version)
			if tc.warn != "" {
				assert.Contains(t, issueCodes(rep, ota.Warning), tc.warn)
			}
		})
	}
}
