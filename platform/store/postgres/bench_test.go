package postgres

import (
	"context"
	"fmt"
	"testing"

	"github.com/metaacademy/ota/platform/store/postgres/pgtest"
	"github.com/metaacademy/ota/platform/store/storetest"
)

// BenchmarkSearch: as the SQLite store's, on a throw-away PostgreSQL
// cluster (pgtest). Not run in CI:
//
//	go test -run '^$' -bench Search -benchtime 20x ./platform/store/postgres
func BenchmarkSearch(b *testing.B) {
	c := pgtest.Start(b)
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("assets=%d", n), func(b *testing.B) {
			s, err := Open(context.Background(), c.NewDatabase(b), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			storetest.BenchSearch(b, s, n)
		})
	}
}
