package harvest

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/metaacademy/ota/platform/hub"
	"github.com/metaacademy/ota/platform/oaipmh"
	"github.com/metaacademy/ota/platform/store"
	"github.com/metaacademy/ota/platform/store/storetest"
)

// TestHarvestOAI harvests one hub from another over OAI-PMH ("ota"
// format): everything, then only what changed, deletions included.
func TestHarvestOAI(t *testing.T) {
	ctx := context.Background()
	upstream := openStore(t)
	for src, as := range storetest.Assets() {
		for _, a := range as {
			if _, err := upstream.Put(ctx, storetest.RecordOf(src, a, time.Now())); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The upstream's lists end a second before each request; its clock
	// runs a minute ahead so that records stored just now are listed.
	h, err := hub.New(upstream, hub.Options{OAI: oaipmh.HandlerOptions{Now: func() time.Time { return time.Now().Add(time.Minute) }, PageSize: 2}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	st := openStore(t)
	src := Source{Name: "upstream", OAI: srv.URL + "/oai", AllowUnsigned: true}
	hv := New(st, Options{AllowPrivate: true})
	res, err := hv.Harvest(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 4 || len(res.Rejected) != 0 {
		t.Fatalf("first run: %v %v", res, res.Rejected)
	}
	rec, err := st.Get(ctx, store.Key{Source: "upstream", ID: storetest.IDModule})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a part became a record: %v %v", rec, err)
	}
	rec, err = st.Get(ctx, store.Key{Source: "upstream", ID: storetest.IDSeasonal})
	if err != nil || rec.Protocol != "oai-pmh" || rec.Origin != src.OAI {
		t.Fatalf("record: %+v %v", rec.Provenance, err)
	}
	state, _ := st.HarvestState(ctx, "upstream", src.OAI)
	if state.From == "" || state.LastError != "" {
		t.Errorf("state after the first run: %+v", state)
	}

	// A deletion upstream reaches the hub. (Records changed in the two
	// seconds before the previous run are listed again, and unchanged.)
	time.Sleep(2100 * time.Millisecond) // past the "from" of the next run
	if _, err := upstream.Delete(ctx, store.Key{Source: "ons-uk", ID: storetest.IDDigital}, time.Now()); err != nil {
		t.Fatal(err)
	}
	res, err = hv.Harvest(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if res.Deleted != 1 || res.Added+res.Updated != 0 {
		t.Errorf("second run: %v", res)
	}
	if g, _ := st.Get(ctx, store.Key{Source: "upstream", ID: storetest.IDDigital}); !g.Deleted {
		t.Errorf("the deletion did not propagate")
	}

	// Without allowUnsigned, OAI-PMH is refused.
	if _, err := hv.Harvest(ctx, Source{Name: "strict", OAI: srv.URL + "/oai"}); !errors.Is(err, ErrUntrusted) {
		t.Errorf("unsigned OAI-PMH source: %v", err)
	}
}
