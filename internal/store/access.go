package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
)

// The store applies the two rules of the access policy that depend on the file and not only on the role:
// restrictions, which hide a file from everyone they do not name, everywhere; and the relationship rule
// (casework.Related), which refuses a practitioner a file held outside their service unless they break the glass.
// Every read of a file, every change to one and every list of children goes through them, so no page or API
// route can forget them. The application's own work (System) is bound by neither.

// restrictedTo is the stored form of who may see a restricted file: their IDs between spaces, or NULL.
func restrictedTo(f *casework.File) any {
	named := casework.RestrictedTo(f)
	if named == nil {
		return nil
	}
	return " " + strings.Join(named, " ") + " "
}

// visibleClause is a condition, for a query whose rows carry a file's ID in col, that leaves out files restricted
// to other people. It takes one argument, namedPattern(actor).
func visibleClause(col string) string {
	return `NOT EXISTS (SELECT 1 FROM files rf WHERE rf.id = ` + col +
		` AND rf.restricted_to IS NOT NULL AND rf.restricted_to NOT LIKE ?)`
}

// namedPattern matches the stored restricted_to of files that name actor. The application itself matches every
// file.
func namedPattern(actor Actor) string {
	if actor.Role == System.Role {
		return "%"
	}
	return "% " + actor.UserID + " %"
}

// checkAccess refuses actor the file fileID: not found when it is restricted to others (so its existence is not
// given away), and casework.ErrNoRelationship when the relationship rule refuses. A file that does not exist is
// not found.
func (s *Store) checkAccess(ctx context.Context, q querier, actor Actor, fileID string) error {
	if actor.Role == System.Role {
		return nil
	}
	var restricted, worker, team, service, ownService sql.NullString
	var protected, glass bool
	err := q.QueryRowContext(ctx, s.q(`SELECT f.restricted_to, f.worker_id, f.team_id, t.service,
			(SELECT service FROM teams WHERE id = ?),
			EXISTS (SELECT 1 FROM records r WHERE r.file_id = f.id AND r.kind IN ('cp_plan', 'legal_status')
				AND r.retracted = 0 AND r.end_date IS NULL),
			EXISTS (SELECT 1 FROM break_glass b WHERE b.user_id = ? AND b.file_id = f.id AND b.expires_at > ?)
		FROM files f LEFT JOIN teams t ON t.id = f.team_id WHERE f.id = ?`),
		actor.TeamID, actor.UserID, instant(s.Now()), fileID).Scan(&restricted, &worker, &team, &service, &ownService, &protected, &glass)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("file %s: %w", fileID, casework.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("access to file %s: %w", fileID, err)
	}
	if restricted.Valid && !strings.Contains(restricted.String, " "+actor.UserID+" ") {
		return fmt.Errorf("file %s: %w", fileID, casework.ErrNotFound)
	}
	return casework.Related(casework.Viewer{UserID: actor.UserID, Role: actor.Role, TeamID: actor.TeamID, Service: ownService.String},
		casework.Holding{WorkerID: worker.String, TeamID: team.String, Service: service.String, Protected: protected, BrokenGlass: glass})
}

// querier is a transaction or the database.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Hidden returns which of the files ids are restricted to people other than actor, for lists worked out
// elsewhere (the children behind a figure, data quality issues) to leave out before they are shown.
func (s *Store) Hidden(ctx context.Context, actor Actor, ids []string) (map[string]bool, error) {
	return s.hidden(ctx, s.db, actor, ids)
}

func (s *Store) hidden(ctx context.Context, q querier, actor Actor, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 || actor.Role == System.Role {
		return out, nil
	}
	for start := 0; start < len(ids); start += 500 {
		batch := ids[start:min(start+500, len(ids))]
		args := []any{namedPattern(actor)}
		for _, id := range batch {
			args = append(args, id)
		}
		rows, err := q.QueryContext(ctx, s.q(`SELECT id FROM files WHERE restricted_to IS NOT NULL
			AND restricted_to NOT LIKE ? AND id IN (`+placeholders(len(batch))+`)`), args...)
		if err != nil {
			return nil, fmt.Errorf("restricted files: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// breakGlassFor is how long a break-glass opening lasts: a working day.
const breakGlassFor = 8 * time.Hour

// BreakGlassUse is one break-glass opening of a file, waiting for review.
type BreakGlassUse struct {
	ID, UserName, FileID, Reason string
	At                           time.Time
}

// BreakGlass lets actor open a file the relationship rule refuses them, for breakGlassFor, with the reason they
// give; the opening is audited and waits for a manager's review. A restricted file cannot be opened this way.
func (s *Store) BreakGlass(ctx context.Context, actor Actor, fileID, reason string) error {
	reason = strings.TrimSpace(reason)
	return s.inTx(ctx, func(tx *txn) error {
		// The file first, so a restricted or missing file is not found whatever the reason says.
		err := s.checkAccess(ctx, tx, actor, fileID)
		switch {
		case err == nil:
			return casework.Invalid("reason", "you can already open this record")
		case !casework.IsNoRelationship(err):
			return err
		case len(reason) < 10:
			return casework.Invalid("reason", "say why you need to open this record, in a sentence your manager will review")
		case len(reason) > 2000:
			return casework.Invalid("reason", "must be 2,000 characters or fewer")
		}
		now := s.Now()
		id := casework.NewID(now)
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO break_glass (id, user_id, file_id, reason, at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`), id, actor.UserID, fileID, reason, instant(now), instant(now.Add(breakGlassFor))); err != nil {
			return fmt.Errorf("break glass: %w", err)
		}
		return s.appendAudit(ctx, tx, now, []AuditEvent{{Actor: actor.UserID, Action: ActionBreakGlass, FileID: fileID, RecordID: id}})
	})
}

// BreakGlassUses lists the break-glass openings by members of team still waiting for review, newest first.
func (s *Store) BreakGlassUses(ctx context.Context, teamID string, limit int) ([]BreakGlassUse, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT b.id, u.name, b.file_id, b.reason, b.at
		FROM break_glass b JOIN users u ON u.id = b.user_id
		WHERE u.team_id = ? AND b.reviewed_at IS NULL ORDER BY b.at DESC LIMIT ?`), teamID, limit)
	if err != nil {
		return nil, fmt.Errorf("break-glass openings: %w", err)
	}
	defer rows.Close()
	var out []BreakGlassUse
	for rows.Next() {
		var b BreakGlassUse
		if err := rows.Scan(&b.ID, &b.UserName, &b.FileID, &b.Reason, scanInstant{&b.At}); err != nil {
			return nil, fmt.Errorf("break-glass openings: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// ReviewBreakGlass records a manager's review of a break-glass opening by a member of their team, with what they
// found. An opening is reviewed once, and never by the person who made it.
func (s *Store) ReviewBreakGlass(ctx context.Context, actor Actor, id, note string) error {
	note = strings.TrimSpace(note)
	if note == "" {
		return casework.Invalid("note", "say what you found: whether the opening was needed for the child's care")
	}
	return s.inTx(ctx, func(tx *txn) error {
		var user, fileID string
		var reviewed sql.NullString
		err := tx.QueryRowContext(ctx, s.q(`SELECT b.user_id, b.file_id, b.reviewed_by FROM break_glass b
			JOIN users u ON u.id = b.user_id WHERE b.id = ? AND u.team_id = ?`), id, actor.TeamID).Scan(&user, &fileID, &reviewed)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("break-glass opening %s in your team: %w", id, casework.ErrNotFound)
		case err != nil:
			return fmt.Errorf("review break-glass: %w", err)
		case user == actor.UserID:
			return fmt.Errorf("your own break-glass opening is reviewed by another manager: %w", casework.ErrForbidden)
		case reviewed.Valid:
			return fmt.Errorf("this opening has already been reviewed: %w", casework.ErrConflict)
		}
		now := s.Now()
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE break_glass SET reviewed_by = ?, reviewed_at = ?, review_note = ?
			WHERE id = ?`), actor.UserID, instant(now), note, id); err != nil {
			return fmt.Errorf("review break-glass: %w", err)
		}
		return s.appendAudit(ctx, tx, now, []AuditEvent{{Actor: actor.UserID, Action: ActionReviewAccess, FileID: fileID, RecordID: id}})
	})
}
