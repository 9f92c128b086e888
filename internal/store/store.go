// Package store keeps Continuum's records in SQL: SQLite embedded by default, PostgreSQL in production. One
// implementation serves both; the differences (placeholders, column types, connection set-up) live in the dialect
// and in the per-dialect migrations. Every write keeps the full history and appends to the hash-chained audit
// trail in the same transaction.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Actor is who is doing something, as the audit trail records them.
type Actor struct {
	UserID string
	Role   string
	// TeamID is the user's team, by which they are related to the children their team and service hold.
	TeamID string
}

// System is the actor for work the application does itself (migrations, demo data).
var System = Actor{UserID: "system", Role: "system"}

// Store is a connection pool to one database.
type Store struct {
	db      *sql.DB
	dialect dialect
	// now is the clock; tests replace it.
	now func() time.Time
	// stmts caches the hot write statements, prepared once per pool connection and reused by every transaction
	// that runs on it: query text → *sql.Stmt.
	stmts sync.Map
	// preparing marks the statements whose pool copy is being prepared.
	preparing sync.Map
	// ruleCache holds the timescale rules last built, with what they were built from.
	ruleCache atomic.Pointer[ruleSet]
}

// dialect holds what differs between SQLite and PostgreSQL.
type dialect struct {
	name string
	// numbered placeholders ($1) instead of question marks.
	numbered bool
}

var (
	sqlite   = dialect{name: "sqlite"}
	postgres = dialect{name: "postgres", numbered: true}
)

// Option configures a Store.
type Option func(*Store)

// WithClock makes the store take the time from now instead of the system clock.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// Open connects to the database named by a URL: sqlite:PATH or postgres://… (postgresql:// too).
func Open(ctx context.Context, databaseURL string, opts ...Option) (*Store, error) {
	s := &Store{now: time.Now}
	for _, o := range opts {
		o(s)
	}
	var err error
	switch {
	case strings.HasPrefix(databaseURL, "sqlite:"):
		s.dialect = sqlite
		s.db, err = openSQLite(strings.TrimPrefix(databaseURL, "sqlite:"))
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		s.dialect = postgres
		s.db, err = sql.Open("pgx", databaseURL)
		if err == nil {
			s.db.SetMaxOpenConns(20)
			s.db.SetMaxIdleConns(10)
			s.db.SetConnMaxIdleTime(5 * time.Minute)
		}
	default:
		return nil, fmt.Errorf("database %q: want sqlite:PATH or a postgres:// URL", redact(databaseURL))
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", s.dialect.name, err)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("connect to %s database %s: %w", s.dialect.name, redact(databaseURL), err)
	}
	return s, nil
}

// openSQLite opens a SQLite file with the pragmas set on every connection the pool opens: write-ahead logging,
// full sync so an acknowledged commit survives a crash, foreign keys, a busy timeout, and immediate write
// transactions so two writers never deadlock upgrading a read lock.
func openSQLite(path string) (*sql.DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: needs a file path, as in sqlite:./continuum.db")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, err
		}
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)", "busy_timeout(10000)",
		"cache_size(-65536)", "temp_store(2)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	// Writers take the database lock one at a time anyway; a small pool keeps readers concurrent under WAL.
	db.SetMaxOpenConns(4)
	return db, nil
}

// redact hides a password in a database URL before it is shown or logged.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Dialect names the database behind the store: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect.name }

// Close closes the cached statements and the pool.
func (s *Store) Close() error {
	s.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	return s.db.Close()
}

// stmt returns query, written with ? placeholders, as a statement of tx. Once the pool holds the statement,
// database/sql keeps it prepared on each connection it runs on, so a transaction pays no parse or prepare round
// trip for it after the connection's first use. The first transactions to ask prepare their own copy instead and
// the pool's is made in the background: preparing on the pool needs a second connection while this transaction
// holds one, and with every connection of SQLite's small pool held by a transaction waiting for the write lock
// this one holds, that wait would last until the busy timeout.
func (s *Store) stmt(ctx context.Context, tx *txn, query string) (*sql.Stmt, error) {
	if cached, ok := s.stmts.Load(query); ok {
		return tx.StmtContext(ctx, cached.(*sql.Stmt)), nil
	}
	if _, started := s.preparing.LoadOrStore(query, true); !started {
		go func() {
			st, err := s.db.PrepareContext(context.Background(), s.q(query))
			if err != nil {
				s.preparing.Delete(query) // the next transaction to ask tries again
				return
			}
			s.stmts.Store(query, st)
		}()
	}
	st, err := tx.PrepareContext(ctx, s.q(query))
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	return st, nil
}

// Analyze refreshes PostgreSQL's statistics after a bulk load, so that its planner reads a few hundred files
// through their indexes rather than scanning whole tables it still believes empty; autovacuum would get there, but
// only later. SQLite plans well without statistics and is left as it is.
func (s *Store) Analyze(ctx context.Context) error {
	if s.dialect.name != postgres.name {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

// Ping checks that the database answers, for readiness probes.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Now returns the store's clock reading, in UTC.
func (s *Store) Now() time.Time { return s.now().UTC() }

// q rewrites a query written with ? placeholders for the dialect. Queries here never contain a literal ?.
func (s *Store) q(query string) string {
	if !s.dialect.numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// txn is a transaction together with the connection it runs on, so a PostgreSQL transaction can pipeline its
// writes (see flush).
type txn struct {
	*sql.Tx
	conn *sql.Conn
}

// inTx runs fn in a transaction, committing if it returns nil and rolling back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(tx *txn) error) error {
	return s.runTx(ctx, nil, fn)
}

// inReadTx runs fn in a read-only transaction, for reads that write nothing, not even audit. On SQLite it
// begins without the write lock that every other transaction takes first, so under write-ahead logging it reads
// a consistent snapshot while a writer goes on.
func (s *Store) inReadTx(ctx context.Context, fn func(tx *txn) error) error {
	return s.runTx(ctx, &sql.TxOptions{ReadOnly: true}, fn)
}

func (s *Store) runTx(ctx context.Context, opts *sql.TxOptions, fn func(tx *txn) error) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	sqlTx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &txn{Tx: sqlTx, conn: conn}
	defer func() {
		if err != nil {
			_ = tx.Rollback() // the error that made us roll back is the one worth reporting
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// optionalInstant scans an instant that may be NULL into the zero time.
type optionalInstant struct{ t *time.Time }

func (o optionalInstant) Scan(src any) error {
	if src == nil {
		*o.t = time.Time{}
		return nil
	}
	return scanInstant{o.t}.Scan(src)
}

// nullableInstant stores the zero time as NULL.
func nullableInstant(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return stamp(t)
}

// stamp is an instant as a column value: the fixed-width text of instant to SQLite, and a timestamptz to
// PostgreSQL, which COPY needs because it takes no text.
type stamp time.Time

func (t stamp) Value() (driver.Value, error) { return instant(time.Time(t)), nil }

func (t stamp) TimestamptzValue() (pgtype.Timestamptz, error) {
	return pgtype.Timestamptz{Time: time.Time(t).UTC(), Valid: true}, nil
}

// instantLayout writes instants as fixed-width UTC text, which sorts correctly in SQLite and which PostgreSQL
// reads into TIMESTAMPTZ.
const instantLayout = "2006-01-02T15:04:05.000000Z"

func instant(t time.Time) string { return t.UTC().Format(instantLayout) }

// scanInstant reads an instant stored by either dialect.
type scanInstant struct{ t *time.Time }

func (s scanInstant) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*s.t = v.UTC()
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	default:
		return fmt.Errorf("cannot scan %T into an instant", src)
	}
	return nil
}

func (s scanInstant) parse(v string) error {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return fmt.Errorf("stored instant %q: %w", v, err)
	}
	*s.t = t.UTC()
	return nil
}

// nullable turns "" into NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
