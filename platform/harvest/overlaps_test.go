package harvest

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/platform/store"
)

func TestHarvestFindsOverlaps(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	course := func(id, title string, kw ...string) *asset.Asset {
		return &asset.Asset{ID: id, Kind: asset.KindCourse, Title: asset.LangString{"en": title}, Keywords: asset.LangList{"en": kw}, License: "CC-BY-4.0",
			Alignments: []asset.Alignment{{Framework: "gsbpm", Version: "5.1", Code: "5.3"}}}
	}
	a, b := newTestPublisher(t, "stat-a"), newTestPublisher(t, "stat-b")
	a.put(course("urn:uuid:00000000-0000-4000-8000-00000000000a", "Seasonal adjustment with JDemetra+", "seasonal adjustment", "jdemetra"))
	b.put(course("urn:uuid:00000000-0000-4000-8000-00000000000b", "Seasonal adjustment of monthly series using JDemetra+", "jdemetra", "seasonal adjustment"))
	b.put(course("urn:uuid:00000000-0000-4000-8000-00000000000c", "Writing statistical news releases", "dissemination"))
	h := New(st, Options{AllowPrivate: true})
	if _, err := h.HarvestAll(ctx, &Sources{Sources: []Source{a.source(), b.source()}}); err != nil {
		t.Fatal(err)
	}
	ovs, total, err := st.Overlaps(ctx, store.OverlapQuery{})
	if err != nil || total != 1 {
		t.Fatalf("overlaps: %v %d %v", ovs, total, err)
	}
	o := ovs[0]
	if o.A.Source != "stat-a" || o.B.Source != "stat-b" || o.Score < 0.5 {
		t.Errorf("overlap %+v", o)
	}
	var ev store.Evidence
	if err := json.Unmarshal(o.Evidence, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Alignments == nil || len(ev.Alignments.Shared) != 1 || ev.Alignments.Shared[0].Code != "5.3" ||
		ev.Title == nil || !slices.Contains(ev.Title.Shared, "jdemetra") || ev.Keywords == nil || len(ev.Keywords.Shared) != 2 {
		t.Errorf("evidence %s", o.Evidence)
	}
	// Withdrawing one side removes the overlap.
	b.withdraw("urn:uuid:00000000-0000-4000-8000-00000000000b", true)
	if _, err := h.HarvestAll(ctx, &Sources{Sources: []Source{a.source(), b.source()}}); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := st.Overlaps(ctx, store.OverlapQuery{}); total != 0 {
		t.Errorf("%d overlaps after the withdrawal", total)
	}
}
