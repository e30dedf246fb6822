package asset_test

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/metaacademy/ota/asset"
)

func mustDuration(t *testing.T, s string) asset.Duration {
	t.Helper()
	d, err := asset.ParseDuration(s)
	require.NoError(t, err)
	return d
}

// tree returns a small course:
//
//	course
//	├── m1 (module)
//	│   ├── l1 (lesson)
//	│   └── l2 (lesson)
//	│       └── a1 (activity)
//	└── m2 (module)
func tree() asset.Asset {
	node := func(name string, kind asset.Kind, parts ...asset.Asset) asset.Asset {
		return asset.Asset{ID: "https://example.org/ota/" + name, Kind: kind, Title: asset.LangString{"en": name}, Parts: parts}
	}
	return node("course", asset.KindCourse,
		node("m1", asset.KindModule,
			node("l1", asset.KindLesson),
			node("l2", asset.KindLesson, node("a1", asset.KindActivity))),
		node("m2", asset.KindModule))
}

func name(a *asset.Asset) string { return a.Title["en"] }

func TestWalk(t *testing.T) {
	root := tree()
	t.Run("order, pointers and parents", func(t *testing.T) {
		type visit struct{ name, ptr, parent string }
		var got []visit
		err := root.Walk(func(a *asset.Asset, ptr string, parent *asset.Asset) error {
			p := ""
			if parent != nil {
				p = name(parent)
			}
			got = append(got, visit{name(a), ptr, p})
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, []visit{
			{"course", "", ""},
			{"m1", "/parts/0", "course"},
			{"l1", "/parts/0/parts/0", "m1"},
			{"l2", "/parts/0/parts/1", "m1"},
			{"a1", "/parts/0/parts/1/parts/0", "l2"},
			{"m2", "/parts/1", "course"},
		}, got)
	})
	t.Run("SkipParts", func(t *testing.T) {
		var got []string
		err := root.Walk(func(a *asset.Asset, _ string, _ *asset.Asset) error {
			got = append(got, name(a))
			if name(a) == "m1" {
				return asset.SkipParts
			}
			return nil
		})
		require.NoError(t, err, "SkipParts is not returned")
		assert.Equal(t, []string{"course", "m1", "m2"}, got)
	})
	t.Run("SkipParts at the root", func(t *testing.T) {
		n := 0
		err := root.Walk(func(*asset.Asset, string, *asset.Asset) error { n++; return asset.SkipParts })
		require.NoError(t, err)
		assert.Equal(t, 1, n)
	})
	t.Run("an error stops the walk", func(t *testing.T) {
		stop := errors.New("stop here")
		var got []string
		err := root.Walk(func(a *asset.Asset, _ string, _ *asset.Asset) error {
			got = append(got, name(a))
			if name(a) == "l2" {
				return stop
			}
			return nil
		})
		assert.ErrorIs(t, err, stop)
		assert.Equal(t, []string{"course", "m1", "l1", "l2"}, got)
	})
	t.Run("changes through the pointer stick", func(t *testing.T) {
		c := tree()
		require.NoError(t, c.Walk(func(a *asset.Asset, _ string, _ *asset.Asset) error {
			a.License = "CC-BY-4.0"
			return nil
		}))
		assert.Equal(t, "CC-BY-4.0", c.Parts[0].Parts[1].Parts[0].License)
	})
	t.Run("deep trees", func(t *testing.T) {
		// Walk keeps its own stack, so a degenerate tree far deeper than
		// any document may nest is fine.
		deep := asset.Asset{Title: asset.LangString{"en": "leaf"}}
		for range 5000 {
			deep = asset.Asset{Parts: []asset.Asset{deep}}
		}
		n := 0
		require.NoError(t, deep.Walk(func(*asset.Asset, string, *asset.Asset) error { n++; return nil }))
		assert.Equal(t, 5001, n)
		assert.Equal(t, 1, deep.CountLeaves())
	})
}

func TestAll(t *testing.T) {
	root := tree()
	var names, ptrs []string
	for ptr, a := range root.All() {
		names = append(names, name(a))
		ptrs = append(ptrs, ptr)
	}
	assert.Equal(t, []string{"course", "m1", "l1", "l2", "a1", "m2"}, names)
	assert.Equal(t, []string{"", "/parts/0", "/parts/0/parts/0", "/parts/0/parts/1", "/parts/0/parts/1/parts/0", "/parts/1"}, ptrs)

	// Breaking out of the loop stops the iteration.
	names = nil
	for _, a := range root.All() {
		names = append(names, name(a))
		if name(a) == "l1" {
			break
		}
	}
	assert.Equal(t, []string{"course", "m1", "l1"}, names)
}

func TestFind(t *testing.T) {
	root := tree()
	for _, tt := range []struct{ id, ptr string }{
		{"https://example.org/ota/course", ""},
		{"https://example.org/ota/l2", "/parts/0/parts/1"},
		{"https://example.org/ota/a1", "/parts/0/parts/1/parts/0"},
		{"https://example.org/ota/m2", "/parts/1"},
	} {
		t.Run(tt.id, func(t *testing.T) {
			a, ptr := root.Find(tt.id)
			require.NotNil(t, a)
			assert.Equal(t, tt.id, a.ID)
			assert.Equal(t, tt.ptr, ptr)
		})
	}
	t.Run("missing", func(t *testing.T) {
		a, ptr := root.Find("https://example.org/ota/nowhere")
		assert.Nil(t, a)
		assert.Empty(t, ptr)
	})
	t.Run("returns a pointer into the tree", func(t *testing.T) {
		a, _ := root.Find("https://example.org/ota/a1")
		a.Level = asset.LevelExpert
		assert.Equal(t, asset.LevelExpert, root.Parts[0].Parts[1].Parts[0].Level)
	})
}

func TestLeavesAndCounts(t *testing.T) {
	root := tree()
	var leaves []string
	for _, l := range root.Leaves() {
		leaves = append(leaves, name(l))
	}
	assert.Equal(t, []string{"l1", "a1", "m2"}, leaves)
	assert.Equal(t, 3, root.CountLeaves())
	assert.Equal(t, 6, root.Count())

	single := asset.Asset{Kind: asset.KindActivity}
	assert.Equal(t, 1, single.Count())
	assert.Equal(t, 1, single.CountLeaves())
	require.Len(t, single.Leaves(), 1)
	assert.Same(t, &single, single.Leaves()[0])
}

func TestTotalDuration(t *testing.T) {
	d := func(s string) asset.Duration { return mustDuration(t, s) }
	leaf := func(dur string) asset.Asset {
		a := asset.Asset{Kind: asset.KindLesson}
		if dur != "" {
			a.Duration = d(dur)
		}
		return a
	}
	withParts := func(dur string, parts ...asset.Asset) asset.Asset {
		a := leaf(dur)
		a.Kind = asset.KindModule
		a.Parts = parts
		return a
	}
	tests := []struct {
		name string
		a    asset.Asset
		want string
	}{
		{"no duration anywhere", withParts("", leaf(""), leaf("")), "PT0S"},
		{"a leaf", leaf("PT45M"), "PT45M"},
		{"parts sum", withParts("", leaf("PT45M"), leaf("PT30M")), "PT1H15M"},
		{"parts sum, parent's own ignored", withParts("PT10H", leaf("PT45M"), leaf("PT30M")), "PT1H15M"},
		{"parts that say nothing fall back to the parent", withParts("PT2H", leaf(""), leaf("")), "PT2H"},
		{"parts that say something win even if some are silent", withParts("PT2H", leaf("PT20M"), leaf("")), "PT20M"},
		{"days and hours stay apart", withParts("", leaf("P1D"), leaf("PT3H")), "P1DT3H"},
		{"sums are normalised", withParts("", leaf("PT45M"), leaf("PT45M"), leaf("PT90S")), "PT1H31M30S"},
		{"nested fallback", withParts("",
			withParts("PT3H", leaf(""), leaf("")),         // no durations below: 3h
			withParts("PT9H", leaf("PT1H"), leaf("PT1H")), // parts win: 2h
			leaf("PT30M")), "PT5H30M"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.a.TotalDuration()
			assert.Equal(t, tt.want, got.String())
			assert.Zero(t, d(tt.want).Compare(got))
		})
	}
	t.Run("fixture", func(t *testing.T) {
		doc, _ := readFixture(t, validDir+"/git-for-official-statistics.ota.json", asset.ReadOptions{})
		assert.Equal(t, "PT5H30M", doc.Asset.TotalDuration().String(), "the sum of the leaves, not the stated PT6H")
	})
}

// mutateEverything changes every slice element and map entry of the tree,
// at every level, the way a careless caller of a shared clone might.
func mutateEverything(a *asset.Asset) {
	_ = a.Walk(func(x *asset.Asset, _ string, _ *asset.Asset) error {
		x.ID += "#changed"
		for _, m := range []asset.LangString{x.Title, x.Description, x.Audience, x.Accessibility} {
			for k := range m {
				m[k] = "changed"
			}
			if m != nil {
				m["zz"] = "added"
			}
		}
		for k := range x.Keywords {
			x.Keywords[k][0] = "changed"
		}
		for i := range x.Languages {
			x.Languages[i] = "changed"
		}
		for i := range x.DeliveryModes {
			x.DeliveryModes[i] = "changed"
		}
		for i := range x.Prerequisites {
			x.Prerequisites[i] = "changed"
		}
		for i := range x.Contributors {
			c := &x.Contributors[i]
			c.Name = "changed"
			c.Roles[0] = "changed"
			c.Unknown["x"][0] = 'X'
			c.Unknown["added"] = json.RawMessage(`1`)
		}
		for i := range x.Objectives {
			o := &x.Objectives[i]
			o.ID = "changed"
			o.Text["en"] = "changed"
			o.Alignments[0].Code = "changed"
			o.Alignments[0].Unknown["x"][0] = 'X'
			o.Unknown["x"][0] = 'X'
		}
		for i := range x.Alignments {
			x.Alignments[i].Code = "changed"
			x.Alignments[i].Unknown["x"][0] = 'X'
		}
		for i := range x.Resources {
			r := &x.Resources[i]
			r.Path = "changed"
			r.Title["en"] = "changed"
			r.Unknown["x"][0] = 'X'
		}
		for i := range x.Relations {
			x.Relations[i].Target = "changed"
			x.Relations[i].Unknown["x"][0] = 'X'
		}
		for k := range x.Extensions {
			x.Extensions[k][0] = 'X'
		}
		x.Extensions["https://example.org/added"] = json.RawMessage(`true`)
		for k := range x.Unknown {
			x.Unknown[k][0] = 'X'
		}
		x.Unknown["added"] = json.RawMessage(`true`)
		if len(x.Parts) > 0 {
			x.Parts[0].Kind = "changed"
		}
		return nil
	})
}

func richAsset(id string, parts ...asset.Asset) asset.Asset {
	raw := func(s string) map[string]json.RawMessage { return map[string]json.RawMessage{"x": json.RawMessage(s)} }
	return asset.Asset{
		ID:            id,
		Kind:          asset.KindModule,
		Title:         asset.LangString{"en": "Title", "fr": "Titre"},
		Description:   asset.LangString{"en": "Description"},
		Keywords:      asset.LangList{"en": {"sdmx", "gsbpm"}},
		Languages:     []string{"en", "fr"},
		Contributors:  []asset.Contributor{{Name: "Eurostat", Roles: []asset.Role{asset.RolePublisher}, Unknown: raw(`"c"`)}},
		Audience:      asset.LangString{"en": "Audience"},
		DeliveryModes: []asset.DeliveryMode{asset.DeliverySelfPaced},
		Accessibility: asset.LangString{"en": "Captions"},
		Objectives: []asset.Objective{{
			ID: "obj-1", Text: asset.LangString{"en": "Objective"},
			Alignments: []asset.Alignment{{Framework: "gsbpm", Code: "5.3", Unknown: raw(`"oa"`)}},
			Unknown:    raw(`"o"`),
		}},
		Alignments:    []asset.Alignment{{Framework: "digcomp", Code: "3.4", Unknown: raw(`"a"`)}},
		Prerequisites: []string{"https://example.org/pre"},
		Resources:     []asset.Resource{{Path: "index.html", Title: asset.LangString{"en": "Page"}, Unknown: raw(`"r"`)}},
		Relations:     []asset.Relation{{Type: asset.IsBasedOn, Target: "https://example.org/src", Unknown: raw(`"rel"`)}},
		Extensions:    map[string]json.RawMessage{"https://example.org/ext": json.RawMessage(`{"k":"v"}`)},
		Unknown:       map[string]json.RawMessage{"x-member": json.RawMessage(`"u"`)},
		Parts:         parts,
	}
}

func TestClone(t *testing.T) {
	orig := richAsset("https://example.org/root",
		richAsset("https://example.org/p0", richAsset("https://example.org/p00")),
		richAsset("https://example.org/p1"))
	snapshot, err := asset.Marshal(asset.NewDocument(orig))
	require.NoError(t, err)

	c := orig.Clone()
	require.NotSame(t, &orig, c)
	assert.Equal(t, orig, *c, "a clone is equal")

	mutateEverything(c)
	after, err := asset.Marshal(asset.NewDocument(orig))
	require.NoError(t, err)
	assert.Equal(t, string(snapshot), string(after), "changing the clone changed the original")

	// And the other way round.
	c2 := orig.Clone()
	mutateEverything(&orig)
	assert.Equal(t, string(snapshot), string(mustMarshal(asset.NewDocument(*c2))), "changing the original changed the clone")

	// Appending to a clone's slices does not write into the original's
	// backing arrays either.
	o3 := richAsset("https://example.org/o3")
	o3.Languages = append(make([]string, 0, 10), "en")
	c3 := o3.Clone()
	c3.Languages = append(c3.Languages, "fr")
	_ = append(o3.Languages, "de")
	assert.Equal(t, []string{"en", "fr"}, c3.Languages)

	// Nil stays nil; empty stays empty.
	empty := asset.Asset{Languages: []string{}}
	ce := empty.Clone()
	assert.Nil(t, ce.Title)
	assert.Nil(t, ce.Parts)
	assert.NotNil(t, ce.Languages)
	assert.Empty(t, ce.Languages)
}

func TestCloneFixtures(t *testing.T) {
	for _, path := range fixtures(t, validDir) {
		doc, _ := readFixture(t, path, asset.ReadOptions{})
		before := mustMarshal(doc)
		c := doc.Asset.Clone()
		assert.Equal(t, string(before), string(mustMarshal(&asset.Document{Format: doc.Format, Schema: doc.Schema, Asset: *c})), path)
		mutateEverythingPresent(c)
		assert.Equal(t, string(before), string(mustMarshal(doc)), path)
	}
}

// mutateEverythingPresent is mutateEverything for trees read from files,
// where members may be missing.
func mutateEverythingPresent(a *asset.Asset) {
	_ = a.Walk(func(x *asset.Asset, _ string, _ *asset.Asset) error {
		for _, m := range []asset.LangString{x.Title, x.Description, x.Audience, x.Accessibility} {
			for k := range m {
				m[k] = "changed"
			}
		}
		for _, l := range x.Keywords {
			for i := range l {
				l[i] = "changed"
			}
		}
		for _, m := range []map[string]json.RawMessage{x.Extensions, x.Unknown} {
			for _, v := range m {
				for i := range v {
					v[i] = ' '
				}
			}
		}
		for i := range x.Contributors {
			for j := range x.Contributors[i].Roles {
				x.Contributors[i].Roles[j] = "changed"
			}
			for _, v := range x.Contributors[i].Unknown {
				v[0] = ' '
			}
		}
		for i := range x.Objectives {
			for k := range x.Objectives[i].Text {
				x.Objectives[i].Text[k] = "changed"
			}
			for j := range x.Objectives[i].Alignments {
				x.Objectives[i].Alignments[j].Code = "changed"
			}
		}
		for i := range x.Resources {
			for k := range x.Resources[i].Title {
				x.Resources[i].Title[k] = "changed"
			}
		}
		for i := range x.Prerequisites {
			x.Prerequisites[i] = "changed"
		}
		return nil
	})
}

var urnUUID = regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestDeriveID(t *testing.T) {
	a := asset.DeriveID("scorm", "com.example.sdmx", "item-1")
	assert.Equal(t, a, asset.DeriveID("scorm", "com.example.sdmx", "item-1"), "deterministic")
	require.Regexp(t, urnUUID, a)
	u, err := uuid.Parse(strings.TrimPrefix(a, "urn:uuid:"))
	require.NoError(t, err)
	assert.Equal(t, uuid.Version(5), u.Version())
	assert.Equal(t, uuid.RFC4122, u.Variant())

	distinct := map[string][]string{}
	for _, parts := range [][]string{
		{"ab", "c"}, {"a", "bc"}, {"abc"}, {"a", "b", "c"}, {"", "abc"}, {"abc", ""},
		{}, {""}, {"", ""},
		{"scorm", "x"}, {"lesson", "x"}, {"scorm", "x", ""},
		{"1:a;", ""}, {"1:a;"}, {"a"},
	} {
		id := asset.DeriveID(parts...)
		assert.Regexp(t, urnUUID, id)
		assert.NotContains(t, distinct, id, "%q collides with %q", parts, distinct[id])
		distinct[id] = parts
	}
	assert.NotEqual(t, asset.DeriveID("ab", "c"), asset.DeriveID("a", "bc"))

	// A known value pins the namespace and the encoding: changing either
	// would change every derived ID and detach learner records.
	assert.Equal(t, "urn:uuid:d2caa15c-d153-5faa-9998-15cad6c5ede7", asset.DeriveID("scorm", "x"))
	assert.Equal(t, uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/metaacademy/ota")), asset.Namespace)

	// Derived IDs are valid asset IDs.
	x := asset.Asset{ID: a, Kind: asset.KindLesson, Title: asset.LangString{"en": "x"}, License: "CC0-1.0"}
	assert.NoError(t, asset.Validate(&x, asset.CheckOptions{}))
}

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := asset.NewID()
		require.Regexp(t, urnUUID, id)
		u, err := uuid.Parse(strings.TrimPrefix(id, "urn:uuid:"))
		require.NoError(t, err)
		assert.Equal(t, uuid.Version(4), u.Version())
		require.False(t, seen[id], "NewID repeated %s", id)
		seen[id] = true
	}
	x := asset.Asset{ID: asset.NewID(), Kind: asset.KindLesson, Title: asset.LangString{"en": "x"}, License: "CC0-1.0"}
	assert.NoError(t, asset.Validate(&x, asset.CheckOptions{}))
}
