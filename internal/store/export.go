package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"golang.org/x/sync/errgroup"
)

// exportBatch is how many files a report reads at a time.
const exportBatch = 500

// EachChildFile calls fn with every child's file as it stands, a batch of files at a time, for reports over the
// whole council. The run is audited as one report naming how many files it read; fn must not keep the files.
func (s *Store) EachChildFile(ctx context.Context, actor Actor, what string, fn func(*casework.File) error) error {
	total := 0
	err := s.personPages(ctx, exportBatch, func(ids []string) error {
		n, err := s.eachOf(ctx, ids, nil, fn)
		total += n
		return err
	})
	if err != nil {
		return err
	}
	return s.Audit(ctx, AuditEvent{Actor: actor.UserID, Action: ActionReport, Detail: fmt.Sprintf("%s: read %d children's files", what, total)})
}

// personPages calls fn with the IDs of every person's file, in order, size at a time, each page read in a
// read-only transaction of its own.
func (s *Store) personPages(ctx context.Context, size int, fn func(ids []string) error) error {
	after := ""
	for {
		var ids []string
		err := s.inReadTx(ctx, func(tx *txn) error {
			var err error
			ids, err = s.ids(ctx, tx, personFilesAfter, after, size)
			return err
		})
		if err != nil || len(ids) == 0 {
			return err
		}
		if err := fn(ids); err != nil {
			return err
		}
		after = ids[len(ids)-1]
	}
}

// EachChildWith calls fn with the file of every child who had a record of the kind scope (an episode of need, a
// legal status) under way at some point from from to to, for the returns, in order of LA child ID: only those
// files are read, and of them only the records of the kinds named (the person's always). Audited as EachChildFile
// is.
func (s *Store) EachChildWith(ctx context.Context, actor Actor, what string, scope casework.Kind, from, to civil.Date,
	kinds []casework.Kind, fn func(*casework.File) error) error {
	return s.EachChildIn(ctx, actor, what, ByLAChildID, []Scope{{Kind: scope, From: from, To: to}}, kinds, fn)
}

// Order is the order EachChildIn hands children over in.
type Order int

const (
	// ByFile is the cheapest: the order files are stored in.
	ByFile Order = iota
	// ByLAChildID is the order a return lists children in, so the same records give the same file.
	ByLAChildID
)

// A Scope picks the children with a record of one kind in a window of days: under way at some point in it, or,
// for a record of a single day (a contact), dated in it.
type Scope struct {
	Kind     casework.Kind
	From, To civil.Date
	Day      bool
}

// EachChildIn is EachChildWith for a child in any of several scopes, in the order asked for; each child is read
// once.
func (s *Store) EachChildIn(ctx context.Context, actor Actor, what string, order Order, scopes []Scope, kinds []casework.Kind,
	fn func(*casework.File) error) error {
	var ids []string
	err := s.inReadTx(ctx, func(tx *txn) error {
		var where []string
		var args []any
		for _, sc := range scopes {
			if sc.Day {
				where = append(where, `(e.kind = ? AND e.start_date >= ? AND e.start_date <= ?)`)
				args = append(args, string(sc.Kind), sc.From, sc.To)
				continue
			}
			where = append(where, `(e.kind = ? AND e.start_date <= ? AND (e.end_date IS NULL OR e.end_date >= ?))`)
			args = append(args, string(sc.Kind), sc.To, sc.From)
		}
		var err error
		if order == ByFile {
			ids, err = s.ids(ctx, tx, `SELECT DISTINCT e.file_id FROM records e
				WHERE e.retracted = 0 AND (`+strings.Join(where, " OR ")+`) ORDER BY e.file_id`, args...)
			return err
		}
		// A person's record has the ID of their file.
		ids, err = s.ids(ctx, tx, `SELECT e.file_id FROM records e JOIN records p ON p.id = e.file_id
			WHERE e.retracted = 0 AND (`+strings.Join(where, " OR ")+`)
			GROUP BY e.file_id, p.code ORDER BY p.code, e.file_id`, args...)
		return err
	})
	if err != nil {
		return err
	}
	// The next batch is read from the database while the last is decoded and handed over.
	g, gctx := errgroup.WithContext(ctx)
	type batch struct {
		ids  []string
		rows []rawRow
	}
	read := make(chan batch, 1)
	g.Go(func() error {
		defer close(read)
		for len(ids) > 0 {
			b := batch{ids: ids[:min(exportBatch, len(ids))]}
			ids = ids[len(b.ids):]
			var err error
			if b.rows, err = s.readRaw(gctx, b.ids, kinds); err != nil {
				return err
			}
			select {
			case read <- b:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	total := 0
	g.Go(func() error {
		for b := range read {
			n, err := s.handOver(b.ids, b.rows, fn)
			total += n
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return err
	}
	return s.Audit(ctx, AuditEvent{Actor: actor.UserID, Action: ActionReport, Detail: fmt.Sprintf("%s: read %d children's files", what, total)})
}

// personFilesAfter pages through every person's file in order of ID: the page after ID ?, of at most ? files.
const personFilesAfter = `SELECT id FROM files WHERE kind = 'person' AND id > ? ORDER BY id LIMIT ?`

// queueIDs queues a query whose one column of identifiers is appended to out.
func (p *pipeline) queueIDs(query string, out *[]string, args ...any) {
	p.query("files", query, func(rows rowScanner) error {
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			*out = append(*out, id)
		}
		return nil
	}, args...)
}

// ids reads a column of identifiers.
func (s *Store) ids(ctx context.Context, tx *txn, query string, args ...any) ([]string, error) {
	var ids []string
	p := s.pipeline(tx)
	p.queueIDs(query, &ids, args...)
	return ids, p.flush(ctx)
}

// eachOf calls fn with each of the files ids names, children only, reading only the kinds of record given (all
// when none are).
func (s *Store) eachOf(ctx context.Context, ids []string, kinds []casework.Kind, fn func(*casework.File) error) (int, error) {
	rows, err := s.readRaw(ctx, ids, kinds)
	if err != nil {
		return 0, err
	}
	return s.handOver(ids, rows, fn)
}

// rawRow is a record as read for eachOf, with its file, before it is decoded.
type rawRow struct {
	fileID string
	raw    rawRecord
}

// readRaw reads the records of the files ids names, of the kinds given (all when none are), in file order.
func (s *Store) readRaw(ctx context.Context, ids []string, kinds []casework.Kind) ([]rawRow, error) {
	var out []rawRow
	err := s.inReadTx(ctx, func(tx *txn) error {
		p := s.pipeline(tx)
		s.queueRaw(p, ids, kinds, &out)
		return p.flush(ctx)
	})
	return out, err
}

// queueRaw queues readRaw's read on p.
func (s *Store) queueRaw(p *pipeline, ids []string, kinds []casework.Kind, out *[]rawRow) {
	args := idArgs(ids)
	query := `SELECT file_id, ` + recordColumns + ` FROM records WHERE retracted = 0
		AND file_id IN (` + placeholders(len(ids)) + `)`
	if len(kinds) > 0 {
		// Only the kinds asked for are read. Offered a list of kinds, both databases' planners reach for the index
		// by kind and read far more than the batch's files (on PostgreSQL at England scale, five times as long
		// a batch): an expression over the column keeps them on the index by file. SQLite's is the unary plus.
		column := "(kind || '')"
		if !s.dialect.numbered {
			column = "+kind"
		}
		query += ` AND ` + column + ` IN (` + placeholders(len(kinds)+1) + `)`
		args = append(args, string(casework.KindPerson))
		for _, k := range kinds {
			args = append(args, string(k))
		}
	}
	p.query("load files", query+` ORDER BY file_id, seq`, func(rows rowScanner) error {
		for rows.Next() {
			var r rawRow
			var err error
			if r.raw, err = scanRaw(rows, &r.fileID); err != nil {
				return err
			}
			*out = append(*out, r)
		}
		return nil
	}, args...)
}

// handOver decodes the rows read for the files ids names and calls fn with each child's file, in ids' order.
func (s *Store) handOver(ids []string, rows []rawRow, fn func(*casework.File) error) (int, error) {
	byFile := make(map[string][]casework.Record, len(ids))
	for _, r := range rows {
		rec, err := r.raw.decode()
		if err != nil {
			return 0, err
		}
		byFile[r.fileID] = append(byFile[r.fileID], rec)
	}
	n, now := 0, s.Now()
	for _, id := range ids {
		f := casework.NewFile(now, byFile[id])
		if p := f.Person(); p == nil || p.Role != casework.RoleChild {
			continue
		}
		if err := fn(f); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Teams lists every team.
func (s *Store) Teams(ctx context.Context) ([]Team, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, service, district, locality FROM teams ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Team
	for rows.Next() {
		var t Team
		if err := rows.Scan(&t.ID, &t.Name, &t.Service, &t.District, &t.Locality); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
