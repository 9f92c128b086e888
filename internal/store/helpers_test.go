package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// clock is a test clock that moves on a millisecond at every reading, so every write has its own instant.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

// PostgresURL returns the server the conformance suite uses, from CONTINUUM_TEST_POSTGRES. Without it the
// PostgreSQL half is skipped, except under CI=true where a missing database fails the run.
func postgresURL(t testing.TB) string {
	u := os.Getenv("CONTINUUM_TEST_POSTGRES")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but CONTINUUM_TEST_POSTGRES is not set: the PostgreSQL conformance run is required")
		}
		t.Skip("CONTINUUM_TEST_POSTGRES not set; PostgreSQL half of the suite skipped")
	}
	return u
}

// freshPostgres creates an empty schema for one test and returns a URL whose connections use it.
func freshPostgres(t testing.TB) string {
	base := postgresURL(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema on %s: %v", base, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// backends names each database the suite runs on and how to get an empty, migrated one.
var backends = []struct {
	name string
	url  func(t testing.TB) string
}{
	{"sqlite", func(t testing.TB) string { return "sqlite:" + filepath.Join(t.TempDir(), "test.db") }},
	{"postgres", freshPostgres},
}

// eachStore runs fn against a fresh, migrated store on every backend.
func eachStore(t *testing.T, fn func(t *testing.T, s *Store)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := openTest(t, b.url(t))
			fn(t, s)
		})
	}
}

func openTest(t testing.TB, databaseURL string) *Store {
	t.Helper()
	ctx := context.Background()
	c := newClock()
	s, err := Open(ctx, databaseURL, WithClock(c.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// advance moves the clock on by d.
// openWithClock opens and migrates a store at databaseURL whose clock the test moves.
func openWithClock(t *testing.T, databaseURL string) (*Store, *clock) {
	t.Helper()
	c := newClock()
	s, err := Open(t.Context(), databaseURL, WithClock(c.now))
	must(t, err)
	t.Cleanup(func() { s.Close() })
	must(t, s.Migrate(t.Context()))
	return s, c
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
