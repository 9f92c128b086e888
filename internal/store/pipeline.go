package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// pipeline collects a transaction's writes that need nothing back but a row count, and sends them together:
// PostgreSQL runs them as one batch, so a write costs one network round trip instead of one per statement; SQLite
// runs in process and takes them one after another through the cached statements.
type pipeline struct {
	s     *Store
	tx    *txn
	steps []step
}

type step struct {
	query string
	args  []any
	// done turns a statement's outcome into the step's error, or nil.
	done func(rows int64, err error) error
	// each, for a query, reads its rows.
	each func(rows rowScanner) error
}

// rowScanner is what a step reads rows through: *sql.Rows or pgx.Rows.
type rowScanner interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// flushEvery bounds the steps held in memory by a large batch.
const flushEvery = 2000

func (s *Store) pipeline(tx *txn) *pipeline { return &pipeline{s: s, tx: tx} }

// add queues a statement. A nil done wraps any error with what.
func (p *pipeline) add(what, query string, done func(rows int64, err error) error, args ...any) {
	if done == nil {
		done = func(_ int64, err error) error {
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			return nil
		}
	}
	p.steps = append(p.steps, step{query: query, args: args, done: done})
}

// query queues a query whose rows each reads. Its error, or the rows', is wrapped with what.
func (p *pipeline) query(what, query string, each func(rows rowScanner) error, args ...any) {
	p.steps = append(p.steps, step{query: query, args: args, each: func(rows rowScanner) error {
		if err := each(rows); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}, done: func(_ int64, err error) error { return fmt.Errorf("%s: %w", what, err) }})
}

// flushIfFull flushes once enough steps are queued.
func (p *pipeline) flushIfFull(ctx context.Context) error {
	if len(p.steps) < flushEvery {
		return nil
	}
	return p.flush(ctx)
}

// flush runs the queued steps in order and stops at the first error.
func (p *pipeline) flush(ctx context.Context) error {
	steps := p.steps
	p.steps = nil
	if len(steps) == 0 {
		return nil
	}
	if p.s.dialect.numbered {
		return p.tx.conn.Raw(func(driverConn any) error {
			var b pgx.Batch
			for _, st := range steps {
				b.Queue(p.s.q(st.query), st.args...)
			}
			results := driverConn.(*stdlib.Conn).Conn().SendBatch(ctx, &b)
			for _, st := range steps {
				if err := pgxStep(results, st); err != nil {
					results.Close()
					return err
				}
			}
			return results.Close()
		})
	}
	for _, st := range steps {
		if err := p.sqlStep(ctx, st); err != nil {
			return err
		}
	}
	return nil
}

func pgxStep(results pgx.BatchResults, st step) error {
	if st.each == nil {
		tag, err := results.Exec()
		return st.done(tag.RowsAffected(), err)
	}
	rows, err := results.Query()
	if err != nil {
		return st.done(0, err)
	}
	defer rows.Close()
	return st.each(rows)
}

func (p *pipeline) sqlStep(ctx context.Context, st step) error {
	stmt, err := p.s.stmt(ctx, p.tx, st.query)
	if err != nil {
		return err
	}
	if st.each != nil {
		rows, err := stmt.QueryContext(ctx, st.args...)
		if err != nil {
			return st.done(0, err)
		}
		defer rows.Close()
		return st.each(rows)
	}
	var n int64
	res, err := stmt.ExecContext(ctx, st.args...)
	if err == nil {
		n, err = res.RowsAffected()
	}
	return st.done(n, err)
}
