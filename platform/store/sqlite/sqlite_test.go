package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/metaacademy/ota/platform/store"
	"github.com/metaacademy/ota/platform/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	storetest.RunMigration(t, func(t *testing.T, version int) store.Store {
		s, err := Open(context.Background(), path, Options{schemaVersion: version})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db := s.(interface{ DB() *sqlDB }).DB()
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, applied) VALUES (99, 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(ctx, path, Options{}); !errors.Is(err, store.ErrSchema) {
		t.Errorf("Open of a newer schema: %v, want ErrSchema", err)
	}
}

func TestCapped(t *testing.T) {
	storetest.RunCapped(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"), Options{maxTotal: 4})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
