package mapping

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/metaacademy/ota"
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/framework"
)

func TestRegistryLookup(t *testing.T) {
	r := Default()
	tests := []struct {
		key, version string
		ok           bool
		wantVersion  string
	}{
		{"gsbpm", "", true, "5.2"},
		{"gsbpm", "5.1", true, "5.1"},
		{"gsbpm", "5.2", true, "5.2"},
		{"gsbpm", "5.0", false, ""},
		{"gsbpm-5.2", "", false, ""},
		{"http://id.unece.org/activities/gsbpm", "5.1", true, "5.1"},
		{"http://id.unece.org/activities/gamso", "", true, "1.2"},
		{"gamso", "1.2", true, "1.2"},
		{"digcomp", "", true, "2.2"},
		{"https://w3id.org/ota/frameworks/digcomp", "2.2", true, "2.2"},
		{"un-bigdata", "", true, VersionUNBigData},
		{"esco", "", false, ""},
		{"", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.key+"@"+tt.version, func(t *testing.T) {
			fw, ok := r.Lookup(tt.key, tt.version)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if ok && fw.Version != tt.wantVersion {
				t.Errorf("version %q, want %q", fw.Version, tt.wantVersion)
			}
		})
	}
	if got := r.Versions("gsbpm"); !slices.Equal(got, []string{"5.1", "5.2"}) {
		t.Errorf("Versions(gsbpm) = %q", got)
	}
	if got := r.Versions("nope"); got != nil {
		t.Errorf("Versions(nope) = %q", got)
	}
	var keys []string
	for _, fw := range r.List() {
		keys = append(keys, fw.Key+"@"+fw.Version)
	}
	want := []string{"digcomp@2.2", "gamso@1.2", "gsbpm@5.1", "gsbpm@5.2", "un-bigdata@" + VersionUNBigData}
	if !slices.Equal(keys, want) {
		t.Errorf("List() = %q, want %q", keys, want)
	}
	if got := r.Label("gsbpm", ""); got != "GSBPM 5.2" {
		t.Errorf("Label = %q", got)
	}
	if !r.SharedCodes("gsbpm") || !r.SharedCodes("digcomp") || r.SharedCodes("nope") {
		t.Errorf("SharedCodes wrong")
	}
}

func userFramework(id, key, version string) *framework.Framework {
	return &framework.Framework{
		ID: id, Key: key, Version: version,
		Title:    asset.LangString{"en": "Statistical training framework"},
		Language: "en",
		Nodes: []framework.Node{
			{Code: "A", Kind: framework.KindArea, Name: asset.LangString{"en": "Methods"}},
			{Code: "A1", Kind: framework.KindCompetence, Parent: "A", Name: asset.LangString{"en": "Sampling"}},
		},
		Scales: []framework.Scale{framework.BasicIntermediateAdvanced()},
	}
}

func TestRegistryAdd(t *testing.T) {
	r := Default()
	const id = "https://example.org/frameworks/stf"
	if err := r.Add(userFramework(id, "", "1.0")); err != nil {
		t.Fatal(err)
	}
	if fw, ok := r.Lookup(id, ""); !ok || fw.Version != "1.0" {
		t.Errorf("Lookup by ID: %v %v", fw, ok)
	}
	if err := r.Add(userFramework(id, "", "1.0")); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate Add: %v", err)
	}
	if err := r.Add(userFramework(id, "", "1.1")); err != nil {
		t.Fatal(err)
	}
	if got := r.Versions(id); !slices.Equal(got, []string{"1.0", "1.1"}) {
		t.Errorf("Versions = %q", got)
	}
	// The same ID under another key is refused.
	if err := r.Add(userFramework(id, "stf", "2.0")); !errors.Is(err, ErrDuplicate) {
		t.Errorf("ID under a second key: %v", err)
	}
	// A keyed framework can be found by key and by ID.
	if err := r.Add(userFramework("https://example.org/frameworks/ons", "ons-skills", "3")); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"ons-skills", "https://example.org/frameworks/ons"} {
		if _, ok := r.Lookup(k, "3"); !ok {
			t.Errorf("Lookup(%q) failed", k)
		}
	}
	// A new GSBPM version joins the family and becomes the newest.
	g := userFramework("http://id.unece.org/activities/gsbpm", "gsbpm", "5.10")
	if err := r.Add(g); err != nil {
		t.Fatal(err)
	}
	if fw, _ := r.Lookup("gsbpm", ""); fw != g {
		t.Errorf("newest GSBPM is %s", fw.Version)
	}
	if got := r.Versions("gsbpm"); !slices.Equal(got, []string{"5.1", "5.2", "5.10"}) {
		t.Errorf("Versions = %q", got)
	}
	// Invalid frameworks are refused with their issues.
	bad := userFramework("not an iri", "bad", "1")
	err := r.Add(bad)
	if err == nil || len(ota.IssuesOf(err)) == 0 {
		t.Errorf("invalid framework: %v", err)
	}
	if err := r.Add(nil); err == nil {
		t.Error("Add(nil) succeeded")
	}
	// The zero Registry works.
	var z Registry
	if err := z.Add(userFramework(id, "", "1.0")); err != nil {
		t.Fatal(err)
	}
	if len(z.List()) != 1 {
		t.Errorf("zero registry lists %d", len(z.List()))
	}
	// Adding to one Default does not change another.
	if _, ok := Default().Lookup(id, ""); ok {
		t.Error("Default shares state")
	}
}

func TestRegistryResolve(t *testing.T) {
	r := Default()
	tests := []struct {
		al   asset.Alignment
		err  error
		name string
	}{
		{asset.Alignment{Framework: "gsbpm", Code: "5.3"}, nil, "Review and validate"},
		{asset.Alignment{Framework: "gsbpm", Version: "5.1", Code: "7.3"}, nil, "Manage release of dissemination products"},
		{asset.Alignment{Framework: "gsbpm", Code: "7.3"}, nil, "Release dissemination products"},
		{asset.Alignment{Framework: "http://id.unece.org/activities/gamso", Code: "3.2"}, nil, "Manage Statistical Methodology"},
		{asset.Alignment{Framework: "gsbpm", Code: "5.9"}, ErrUnknownCode, ""},
		{asset.Alignment{Framework: "gsbpm", Version: "4.0", Code: "5.3"}, ErrUnknownVersion, ""},
		{asset.Alignment{Framework: "esco", Code: "S1"}, ErrUnknownFramework, ""},
	}
	for _, tt := range tests {
		t.Run(tt.al.Framework+"@"+tt.al.Version+":"+tt.al.Code, func(t *testing.T) {
			fw, n, err := r.Resolve(tt.al)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if tt.err == nil && n.Name.String() != tt.name {
				t.Errorf("name %q, want %q", n.Name, tt.name)
			}
			if errors.Is(err, ErrUnknownCode) && (fw == nil || n != nil) {
				t.Errorf("unknown code: fw %v, node %v", fw, n)
			}
		})
	}
	if _, _, err := Resolve(asset.Alignment{Framework: "digcomp", Code: "3.4"}); err != nil {
		t.Errorf("package Resolve: %v", err)
	}
}

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"5.1", "5.2", -1},
		{"5.10", "5.2", 1},
		{"5", "5.1", -1},
		{"5.1", "5.1", 0},
		{"2.2", "10", -1},
		{"ota-1", "ota-2", -1},
		{"1.0", "1.0.1", -1},
		{"", "1", -1},
	}
	for _, tt := range tests {
		if got := CompareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := CompareVersions(tt.b, tt.a); got != -tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestRegistryConcurrent(t *testing.T) {
	r := Default()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if i == 0 {
				_ = r.Add(userFramework("https://example.org/c", "", "1"))
			}
			root := &asset.Asset{Alignments: []asset.Alignment{{Framework: "gsbpm", Code: "5.3"}}}
			_ = r.CheckAlignments(root)
			_, _ = r.Lookup("gsbpm", "")
			_ = r.List()
		})
	}
	wg.Wait()
	if !strings.Contains(strings.Join(r.Versions("https://example.org/c"), ""), "1") {
		t.Error("Add lost")
	}
}
