package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrations embed.FS

// LatestSchema is the version of the newest migration this binary carries; a database at an older version needs
// migrate before the application can serve it.
func LatestSchema() int {
	latest := 0
	for _, dialect := range []string{"sqlite", "postgres"} {
		entries, _ := fs.ReadDir(migrations, "migrations/"+dialect)
		for _, e := range entries {
			if v, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0]); err == nil && v > latest {
				latest = v
			}
		}
	}
	return latest
}

// Migrate brings the schema up to date, applying each migration not yet applied in its own transaction, and
// builds any index a bulk load deferred and never rebuilt. On PostgreSQL an advisory lock lets several servers
// start at once.
func (s *Store) Migrate(ctx context.Context) error {
	dir := "migrations/" + s.dialect.name
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, name := range names {
		version, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", name)
		}
		body, err := migrations.ReadFile(dir + "/" + name)
		if err != nil {
			return err
		}
		err = s.inTx(ctx, func(tx *txn) error {
			if s.dialect == postgres {
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7242026)`); err != nil {
					return err
				}
			}
			var n int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
				version, name, instant(s.Now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	// A bulk load that died before rebuilding the indexes it deferred leaves them to be built here.
	if err := s.rebuildIndexes(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// SchemaVersion returns the newest migration applied, or 0 on an empty database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return int(v.Int64), nil
}
