package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

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
	return s.inTx(ctx, func(tx *txn) error {
		now := s.Now()
		rules, _, err := s.rulesIn(ctx, tx)
		if err != nil {
			return err
		}
		where := func(i int) string { return fmt.Sprintf("file %d of %d", i+1, len(files)) }
		kinds := make(map[string]casework.Kind, len(files))
		for i, f := range files {
			pending := f.Pending()
			if len(pending) == 0 {
				return fmt.Errorf("%s has no records: %w", where(i), casework.ErrInvalid)
			}
			root := pending[0]
			if root.Kind() != casework.KindPerson && root.Kind() != casework.KindHousehold {
				return fmt.Errorf("%s is not new: a batch holds only new files: %w", where(i), casework.ErrInvalid)
			}
			kinds[root.Base().ID] = root.Kind()
		}
		if err := s.checkBatch(ctx, tx, files, kinds, where); err != nil {
			return err
		}
		var fileRows, recordRows, versionRows, dueRows, auditRows [][]any
		head := auditHead{}
		p := s.pipeline(tx)
		p.lockAuditHead(&head)
		if err := p.flush(ctx); err != nil {
			return err
		}
		for i, f := range files {
			pending := f.Pending()
			fileID := pending[0].Base().ID
			owner := newDerived()
			if f.Person() != nil {
				var items []timescale.Due
				items, owner = workOf(rules, f)
				for _, d := range items {
					dueRows = append(dueRows, dueItemRow(fileID, d, owner))
				}
			}
			fileRows = append(fileRows, []any{fileID, string(pending[0].Kind()), len(pending), stamp(now), owner.risk,
				nullable(owner.worker), nullable(owner.team)})
			for j, r := range pending {
				m := r.Base()
				// A file built in memory may have changed a record before it was ever stored (an episode closed
				// after its plan was recorded); what is stored is the record's first stored version.
				m.Version, m.Seq, m.RecordedBy = 1, int64(j+1), actor.UserID
				if m.Reason == "" {
					m.Reason = "recorded"
				}
				record, version, err := rowsOf(fileID, r)
				if err != nil {
					return fmt.Errorf("%s: %w", where(i), err)
				}
				recordRows, versionRows = append(recordRows, record), append(versionRows, version)
			}
			e := head.link(now, AuditEvent{Actor: actor.UserID, Action: ActionCreate, FileID: fileID,
				Detail: fmt.Sprintf("%s file with %d records (batch)", pending[0].Kind(), len(pending))})
			auditRows = append(auditRows, e.row())
		}
		for _, t := range []struct {
			table   string
			columns []string
			rows    [][]any
		}{
			{"files", []string{"id", "kind", "seq", "created_at", "risk", "worker_id", "team_id"}, fileRows},
			{"records", recordColumnsIn, recordRows},
			{"record_versions", versionColumns, versionRows},
			{"due_items", dueItemColumns, dueRows},
			{"audit_events", auditColumns, auditRows},
		} {
			err := s.insertRows(ctx, tx, t.table, t.columns, t.rows)
			if t.table == "records" && isUniqueViolation(err) {
				if taken := s.takenCode(ctx, files, where); taken != nil {
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

// checkBatch checks the batch's links, to files in the batch or already stored, and that no two of its children
// share an LA child ID, so that a rejected batch says which file is at fault.
func (s *Store) checkBatch(ctx context.Context, tx *txn, files []*casework.File, kinds map[string]casework.Kind,
	where func(int) string) error {
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
func (s *Store) takenCode(ctx context.Context, files []*casework.File, where func(int) string) error {
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
