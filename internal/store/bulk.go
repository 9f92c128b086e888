package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/timescale"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// LoadFiles writes many new files in one transaction: a migration from another system, or a synthetic council.
// Each file must be new and built through the domain (casework.NewFile and Save), so nothing is stored that a
// practitioner could not have recorded. Every record gets its history row and every file its due items, as
// single writes do; the audit trail gets one event per file, naming how many records it was created with. Rows
// go in table by table: COPY on PostgreSQL, multi-row inserts on SQLite. Any error stores nothing.
func (s *Store) LoadFiles(ctx context.Context, actor Actor, files []*casework.File) error {
	l, err := s.PrepareLoad(ctx, actor, files)
	if err != nil {
		return err
	}
	return s.StoreLoad(ctx, l)
}

// A Load is a batch of new files turned into rows, with their work derived, outside any transaction, so that a
// loader can prepare one batch while the last is being written.
type Load struct {
	actor                                      Actor
	at                                         time.Time
	files                                      []*casework.File
	kinds                                      map[string]casework.Kind
	rules                                      *timescale.Rules
	fileRows, recordRows, versionRows, dueRows [][]any
}

// PrepareLoad checks that every file is new and encodes its records and due items, for StoreLoad.
func (s *Store) PrepareLoad(ctx context.Context, actor Actor, files []*casework.File) (*Load, error) {
	// The rules last built will almost always be the ones StoreLoad finds; reading them here would wait for the
	// batch being written.
	var rules *timescale.Rules
	if cached := s.ruleCache.Load(); cached != nil {
		rules = cached.rules
	} else {
		var err error
		if rules, err = s.Rules(ctx); err != nil {
			return nil, err
		}
	}
	l := &Load{actor: actor, at: s.Now(), files: files, kinds: make(map[string]casework.Kind, len(files))}
	for i, f := range files {
		pending := f.Pending()
		if len(pending) == 0 {
			return nil, fmt.Errorf("%s has no records: %w", whereIn(files, i), casework.ErrInvalid)
		}
		root := pending[0]
		if root.Kind() != casework.KindPerson && root.Kind() != casework.KindHousehold {
			return nil, fmt.Errorf("%s is not new: a batch holds only new files: %w", whereIn(files, i), casework.ErrInvalid)
		}
		l.kinds[root.Base().ID] = root.Kind()
		owner := l.derive(rules, f)
		l.fileRows = append(l.fileRows, []any{root.Base().ID, string(root.Kind()), len(pending), stamp(l.at),
			owner.risk, nullable(owner.worker), nullable(owner.team)})
		for j, r := range pending {
			m := r.Base()
			// A file built in memory may have changed a record before it was ever stored (an episode closed
			// after its plan was recorded); what is stored is the record's first stored version.
			m.Version, m.Seq, m.RecordedBy = 1, int64(j+1), actor.UserID
			if m.Reason == "" {
				m.Reason = "recorded"
			}
			record, version, err := rowsOf(root.Base().ID, r)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", whereIn(files, i), err)
			}
			l.recordRows, l.versionRows = append(l.recordRows, record), append(l.versionRows, version)
		}
	}
	l.rules = rules
	return l, nil
}

// derive adds a file's due items to the load and returns its owner.
func (l *Load) derive(rules *timescale.Rules, f *casework.File) *derived {
	if f.Person() == nil {
		return newDerived()
	}
	items, owner := workOf(rules, f)
	fileID := f.Pending()[0].Base().ID
	for _, d := range items {
		l.dueRows = append(l.dueRows, dueItemRow(fileID, d, owner))
	}
	return owner
}

// StoreLoad writes a prepared batch in one transaction. Due items are derived again if the rules changed since
// the batch was prepared.
func (s *Store) StoreLoad(ctx context.Context, l *Load) error {
	return s.inTx(ctx, func(tx *txn) error {
		rules, _, err := s.rulesIn(ctx, tx)
		if err != nil {
			return err
		}
		if rules != l.rules {
			l.dueRows = nil
			for _, f := range l.files {
				l.derive(rules, f)
			}
			l.rules = rules
		}
		if err := s.checkBatch(ctx, tx, l.files, l.kinds); err != nil {
			return err
		}
		head := auditHead{}
		p := s.pipeline(tx)
		p.lockAuditHead(&head)
		if err := p.flush(ctx); err != nil {
			return err
		}
		auditRows := make([][]any, len(l.files))
		for i, f := range l.files {
			root := f.Pending()[0]
			e := head.link(l.at, AuditEvent{Actor: l.actor.UserID, Action: ActionCreate, FileID: root.Base().ID,
				Detail: fmt.Sprintf("%s file with %d records (batch)", root.Kind(), len(f.Pending()))})
			auditRows[i] = e.row()
		}
		for _, t := range []struct {
			table   string
			columns []string
			rows    [][]any
		}{
			{"files", []string{"id", "kind", "seq", "created_at", "risk", "worker_id", "team_id"}, l.fileRows},
			{"records", recordColumnsIn, l.recordRows},
			{"record_versions", versionColumns, l.versionRows},
			{"due_items", dueItemColumns, l.dueRows},
			{"audit_events", auditColumns, auditRows},
		} {
			err := s.insertRows(ctx, tx, t.table, t.columns, t.rows)
			if t.table == "records" && isUniqueViolation(err) {
				if taken := s.takenCode(ctx, l.files); taken != nil {
					return taken
				}
			}
			if err != nil {
				return err
			}
		}
		p.queueHead(&head)
		return p.flush(ctx)
	})
}

// whereIn names the i'th file of a batch in an error.
func whereIn(files []*casework.File, i int) string {
	return fmt.Sprintf("file %d of %d", i+1, len(files))
}

// deferrable are the indexes a bulk load into an empty council builds once at the end rather than row by row.
// Their keys arrive in no useful order (every kind of record, dated across years), so keeping them up batch by
// batch dirties most of their pages in every commit: on the county that was a third of the load's time.
var deferrable = []string{"records_kind_start"}

// deferredSetting remembers, until they are rebuilt, the definitions of the indexes DeferIndexes dropped.
const deferredSetting = "deferred_indexes"

// DeferIndexes drops the deferrable indexes before a bulk load into an empty council and returns the function
// that builds them again when it is done. What was dropped is recorded in the same transaction, so that if the
// load dies first, the next Migrate rebuilds them.
func (s *Store) DeferIndexes(ctx context.Context) (rebuild func(context.Context) error, err error) {
	err = s.inTx(ctx, func(tx *txn) error {
		catalog := `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`
		if s.dialect.numbered {
			catalog = `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?`
		}
		var definitions []string
		for _, name := range deferrable {
			var ddl string
			if err := tx.QueryRowContext(ctx, s.q(catalog), name).Scan(&ddl); err != nil {
				return fmt.Errorf("index %s: %w", name, err)
			}
			definitions = append(definitions, ddl)
			if _, err := tx.ExecContext(ctx, `DROP INDEX `+name); err != nil {
				return fmt.Errorf("drop index %s: %w", name, err)
			}
		}
		_, err := s.setSetting(ctx, tx, System, deferredSetting, strings.Join(definitions, ";\n"))
		return err
	})
	return s.rebuildIndexes, err
}

// rebuildIndexes builds the indexes DeferIndexes dropped, if any are still to build.
func (s *Store) rebuildIndexes(ctx context.Context) error {
	return s.inTx(ctx, func(tx *txn) error {
		var definitions string
		err := tx.QueryRowContext(ctx, s.q(`SELECT value FROM council_settings WHERE key = ? ORDER BY version DESC LIMIT 1`),
			deferredSetting).Scan(&definitions)
		if errors.Is(err, sql.ErrNoRows) || err == nil && definitions == "" {
			return nil
		}
		if err != nil {
			return err
		}
		for ddl := range strings.SplitSeq(definitions, ";\n") {
			if _, err := tx.ExecContext(ctx, ddl); err != nil {
				return fmt.Errorf("rebuild index: %w", err)
			}
		}
		_, err = s.setSetting(ctx, tx, System, deferredSetting, "")
		return err
	})
}

// checkBatch checks the batch's links, to files in the batch or already stored, and that no two of its children
// share an LA child ID, so that a rejected batch says which file is at fault.
func (s *Store) checkBatch(ctx context.Context, tx *txn, files []*casework.File, kinds map[string]casework.Kind) error {
	where := func(i int) string { return whereIn(files, i) }
	type use struct {
		file  int
		field string
		want  string
	}
	links, codes := map[string]use{}, map[string]int{}
	for i, f := range files {
		fileID := f.Pending()[0].Base().ID
		for _, r := range f.Pending() {
			if field, want, other, ok := linkOf(r); ok {
				if other == fileID {
					return fmt.Errorf("%s: %w", where(i), casework.Invalid(field, "a person cannot be linked to themselves"))
				}
				if kind, in := kinds[other]; in {
					if string(kind) != want {
						return fmt.Errorf("%s: %w", where(i), casework.Invalid(field, "no such %s: %s", want, other))
					}
					continue
				}
				links[other] = use{i, field, want}
			}
			if code := r.Index().Code; r.Kind() == casework.KindPerson && code != "" {
				if first, dup := codes[code]; dup {
					return fmt.Errorf("%s: %w", where(i), casework.Invalid("la_child_id",
						"%q is also the LA child ID of %s", code, where(first)))
				}
				codes[code] = i
			}
		}
	}
	stored := map[string]string{}
	if err := s.inChunks(ctx, tx, keys(links), `SELECT id, kind FROM files WHERE id IN (%s)`, stored); err != nil {
		return fmt.Errorf("check links: %w", err)
	}
	for _, other := range keys(links) {
		if u := links[other]; stored[other] != u.want {
			return fmt.Errorf("%s: %w", where(u.file), casework.Invalid(u.field, "no such %s: %s", u.want, other))
		}
	}
	return nil
}

// takenCode finds, once a batch has failed on a unique index, which of its files has an LA child ID another child
// already has, if any. The failed transaction can read nothing more, so this reads outside it.
func (s *Store) takenCode(ctx context.Context, files []*casework.File) error {
	where := func(i int) string { return whereIn(files, i) }
	for i, f := range files {
		code := f.Pending()[0].Index().Code
		if f.Person() == nil || code == "" {
			continue
		}
		var id string
		err := s.db.QueryRowContext(ctx, s.q(`SELECT id FROM records WHERE kind = 'person' AND code = ?`), code).Scan(&id)
		if err == nil {
			return fmt.Errorf("%s: %w", where(i), casework.Invalid("la_child_id", "%q is already used by another child", code))
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("check LA child IDs: %w", err)
		}
	}
	return nil
}

// inChunks runs query, whose %s takes a list of placeholders, for the values a few hundred at a time, and puts
// the two columns of each row it returns into out.
func (s *Store) inChunks(ctx context.Context, tx *txn, values []string, query string, out map[string]string) error {
	const chunk = 500
	for len(values) > 0 {
		n := min(chunk, len(values))
		args := make([]any, n)
		for i, v := range values[:n] {
			args[i] = v
		}
		values = values[n:]
		rows, err := tx.QueryContext(ctx, s.q(fmt.Sprintf(query, placeholders(n))), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return err
			}
			out[k] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// insertRows writes rows into a table in as few statements as the database allows: one COPY on PostgreSQL, and
// on SQLite inserts of many rows each.
func (s *Store) insertRows(ctx context.Context, tx *txn, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if s.dialect.numbered {
		err := tx.conn.Raw(func(driverConn any) error {
			_, err := driverConn.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
			return err
		})
		if err != nil {
			return fmt.Errorf("write %s: %w", table, err)
		}
		return nil
	}
	// SQLite binds at most 32,766 values to a statement; a few thousand keeps each statement's work small.
	perStatement := max(1, 4000/len(columns))
	row := "(" + placeholders(len(columns)) + ")"
	insert := func(n int) string {
		return "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
	}
	full := insert(perStatement)
	args := make([]any, 0, perStatement*len(columns))
	for len(rows) > 0 {
		n := min(perStatement, len(rows))
		args = args[:0]
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		rows = rows[n:]
		var err error
		if n == perStatement {
			var stmt *sql.Stmt
			if stmt, err = s.stmt(ctx, tx, full); err == nil {
				_, err = stmt.ExecContext(ctx, args...)
			}
		} else {
			_, err = tx.ExecContext(ctx, insert(n), args...)
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", table, err)
		}
	}
	return nil
}
