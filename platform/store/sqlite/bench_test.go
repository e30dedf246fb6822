package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/metaacademy/ota/platform/store/storetest"
)

// BenchmarkSearch: search latency (p50, p95) at 10k and 100k assets, and
// the peak heap of filling and searching, which should not grow with the
// hub. Not run in CI; filling 100k takes minutes:
//
//	go test -run '^$' -bench Search -benchtime 20x ./platform/store/sqlite
func BenchmarkSearch(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("assets=%d", n), func(b *testing.B) {
			s, err := Open(context.Background(), filepath.Join(b.TempDir(), "hub.db"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			storetest.BenchSearch(b, s, n)
		})
	}
}

// BenchmarkPut: one record stored (a transaction with its index rows) on
// top of 2,000:
//
//	go test -run '^$' -bench Put ./platform/store/sqlite
func BenchmarkPut(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "hub.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchPut(b, s, 2000)
}
