package hub

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/metaacademy/ota/platform/store"
	"github.com/metaacademy/ota/platform/store/sqlite"
	"github.com/metaacademy/ota/platform/store/storetest"
)

func TestThousands(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1,000"}, {1234567, "1,234,567"}, {-1000, "-1,000"}} {
		if got := thousands(c.n); got != c.want {
			t.Errorf("thousands(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

// cappedStore answers every search as a hub too large to count would.
type cappedStore struct{ store.Store }

func (s cappedStore) Search(ctx context.Context, q store.Query) (*store.Results, error) {
	res, err := s.Store.Search(ctx, q)
	if err == nil {
		res.Total, res.Capped = store.MaxTotal, true
	}
	return res, err
}

// A capped total is shown as a lower bound.
func TestSearchCappedTotal(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hub.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := storetest.Assets()["ons-uk"][0]
	if _, err := st.Put(ctx, storetest.RecordOf("ons-uk", a, t0)); err != nil {
		t.Fatal(err)
	}
	h, err := New(cappedStore{st}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	status, body, _ := get(t, srv.URL+"/")
	if status != 200 || !strings.Contains(body, `<h2 id="results-heading">1,000+ assets</h2>`) {
		t.Errorf("status %d; the heading does not say 1,000+ assets:\n%s", status, body)
	}
}
