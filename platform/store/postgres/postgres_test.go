package postgres

import (
	"context"
	"errors"
	"testing"

	"github.com/metaacademy/ota/platform/store"
	"github.com/metaacademy/ota/platform/store/postgres/pgtest"
	"github.com/metaacademy/ota/platform/store/storetest"
)

func TestConformance(t *testing.T) {
	c := pgtest.Start(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), c.NewDatabase(t), Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestMigration(t *testing.T) {
	c := pgtest.Start(t)
	url := c.NewDatabase(t)
	storetest.RunMigration(t, func(t *testing.T, version int) store.Store {
		s, err := Open(context.Background(), url, Options{schemaVersion: version})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestNewerSchemaRefused(t *testing.T) {
	c := pgtest.Start(t)
	ctx := context.Background()
	url := c.NewDatabase(t)
	s, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db := s.(interface{ DB() *sqlDB }).DB()
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, applied) VALUES (99, 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(ctx, url, Options{}); !errors.Is(err, store.ErrSchema) {
		t.Errorf("Open of a newer schema: %v, want ErrSchema", err)
	}
}

func TestTSQuery(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"seasonal", `'seasonal'`},
		{`"open data" -x stat*`, `('open' <-> 'data') & !'x' & 'stat':*`},
	} {
		terms, _, err := store.ParseQuery(c.text, store.Filters{})
		if err != nil {
			t.Fatal(err)
		}
		if got := TSQuery(terms); got != c.want {
			t.Errorf("TSQuery(%q) = %s, want %s", c.text, got, c.want)
		}
	}
}

func TestCapped(t *testing.T) {
	c := pgtest.Start(t)
	storetest.RunCapped(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), c.NewDatabase(t), Options{maxTotal: 4})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
