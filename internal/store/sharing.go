package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// Partner agencies see a child only while a sharing record names their team, and then only the casework.SharedView
// of the file: never the file itself. Restrictions hide a file from them as from everyone else.

// SharedChild is a child as a partner agency's team sees them.
type SharedChild struct {
	casework.SharedView
	// Worker, WorkerEmail and Team are who holds the case, to contact.
	Worker, WorkerEmail, Team string
	// NextReview is when the plan is next reviewed (a conference, a review), shown with the plan.
	NextReview civil.Date
}

// reviewRules are the timescales that say when a child's plan is next reviewed.
var reviewRules = []string{"R7", "R8", "R10.1", "R13", "R14", "R15"}

// sharedFilesQuery selects the files shared with a team (the first argument), newest sharing first, leaving out
// files restricted to others (the second argument is namedPattern).
var sharedFilesQuery = `SELECT r.file_id, MAX(r.start_date) FROM records r WHERE r.kind = 'sharing'
	AND r.related_id = ? AND r.retracted = 0 AND r.end_date IS NULL AND ` + visibleClause("r.file_id")

// SharedChildren lists the children shared with the actor's team, most recently shared first: the page of at
// most limit after the first offset, and whether more follow. It audits each one listed.
func (s *Store) SharedChildren(ctx context.Context, actor Actor, offset, limit int) ([]SharedChild, bool, error) {
	var out []SharedChild
	more := false
	err := s.inTx(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, s.q(sharedFilesQuery+` GROUP BY r.file_id ORDER BY 2 DESC, 1 LIMIT ? OFFSET ?`),
			actor.TeamID, namedPattern(actor), limit+1, offset)
		if err != nil {
			return fmt.Errorf("shared children: %w", err)
		}
		var ids []string
		for rows.Next() {
			var id string
			var started any
			if err := rows.Scan(&id, &started); err != nil {
				rows.Close()
				return fmt.Errorf("shared children: %w", err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("shared children: %w", err)
		}
		if more = len(ids) > limit; more {
			ids = ids[:limit]
		}
		if out, err = s.sharedViews(ctx, tx, actor, ids); err != nil {
			return err
		}
		events := make([]AuditEvent, len(out))
		for i, c := range out {
			events[i] = AuditEvent{Actor: actor.UserID, Action: ActionList, FileID: c.FileID, Detail: "shared with partner"}
		}
		return s.appendAudit(ctx, tx, s.Now(), events)
	})
	return out, more, err
}

// SharedChildFor returns what the actor's team may see of one child, and audits the read. A child not shared with
// the team is not found, so a partner cannot learn that a child is known.
func (s *Store) SharedChildFor(ctx context.Context, actor Actor, fileID string) (SharedChild, error) {
	var out []SharedChild
	err := s.inTx(ctx, func(tx *txn) error {
		var id string
		var started any
		err := tx.QueryRowContext(ctx, s.q(sharedFilesQuery+` AND r.file_id = ? GROUP BY r.file_id`),
			actor.TeamID, namedPattern(actor), fileID).Scan(&id, &started)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("child %s shared with your team: %w", fileID, casework.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("shared child: %w", err)
		}
		if out, err = s.sharedViews(ctx, tx, actor, []string{id}); err != nil {
			return err
		}
		if len(out) == 0 {
			return fmt.Errorf("child %s shared with your team: %w", fileID, casework.ErrNotFound)
		}
		return s.appendAudit(ctx, tx, s.Now(), []AuditEvent{{Actor: actor.UserID, Action: ActionRead, FileID: fileID,
			Detail: "shared with partner"}})
	})
	if err != nil {
		return SharedChild{}, err
	}
	return out[0], nil
}

// sharedViews loads the files ids and returns, in the same order, what the actor's team may see of each, with
// the next review of each plan read in the same round trip.
func (s *Store) sharedViews(ctx context.Context, tx *txn, actor Actor, ids []string) ([]SharedChild, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []rawRow
	p := s.pipeline(tx)
	s.queueRaw(p, ids, nil, &rows)
	reviews := map[string]civil.Date{}
	p.query("next reviews", `SELECT file_id, MIN(due_date) FROM due_items WHERE file_id IN (`+placeholders(len(ids))+
		`) AND status = 'open' AND rule IN (`+placeholders(len(reviewRules))+`) GROUP BY file_id`,
		func(rows rowScanner) error {
			for rows.Next() {
				var id string
				var due civil.Date
				if err := rows.Scan(&id, &due); err != nil {
					return fmt.Errorf("next reviews: %w", err)
				}
				reviews[id] = due
			}
			return nil
		}, append(idArgs(ids), idArgs(reviewRules)...)...)
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	var out []SharedChild
	holders := map[string]bool{}
	_, err := s.handOver(ids, rows, func(f *casework.File) error {
		v, ok := casework.SharedWith(f, actor.TeamID)
		if !ok {
			return nil
		}
		c := SharedChild{SharedView: v}
		if v.Plan != "" {
			c.NextReview = reviews[v.FileID]
		}
		holders[v.WorkerID], holders[v.TeamID] = true, true
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.nameHolders(ctx, tx, holders, out)
}

// nameHolders fills in the names of the workers and teams holding the children's cases.
func (s *Store) nameHolders(ctx context.Context, tx *txn, ids map[string]bool, out []SharedChild) error {
	delete(ids, "")
	if len(ids) == 0 {
		return nil
	}
	list := keys(ids)
	args := append(idArgs(list), idArgs(list)...)
	rows, err := tx.QueryContext(ctx, s.q(`SELECT id, name, email FROM users WHERE id IN (`+placeholders(len(list))+`)
		UNION ALL SELECT id, name, '' FROM teams WHERE id IN (`+placeholders(len(list))+`)`), args...)
	if err != nil {
		return fmt.Errorf("name case holders: %w", err)
	}
	defer rows.Close()
	type holder struct{ name, email string }
	names := map[string]holder{}
	for rows.Next() {
		var id string
		var h holder
		if err := rows.Scan(&id, &h.name, &h.email); err != nil {
			return fmt.Errorf("name case holders: %w", err)
		}
		names[id] = h
	}
	for i := range out {
		out[i].Worker, out[i].WorkerEmail = names[out[i].WorkerID].name, names[out[i].WorkerID].email
		out[i].Team = names[out[i].TeamID].name
	}
	return rows.Err()
}

// checkSharing makes sure a sharing record names a partner agency's team.
func (s *Store) checkSharing(ctx context.Context, tx *txn, r *casework.Sharing) error {
	var service string
	err := tx.QueryRowContext(ctx, s.q(`SELECT service FROM teams WHERE id = ?`), r.TeamID).Scan(&service)
	switch {
	case errors.Is(err, sql.ErrNoRows), err == nil && service != "partner":
		return casework.Invalid("team_id", "choose a partner agency's team; no partner team has the ID %s", r.TeamID)
	case err != nil:
		return fmt.Errorf("check sharing: %w", err)
	}
	return nil
}
