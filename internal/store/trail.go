package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// TrailQuery narrows the whole audit trail for an auditor. Empty fields do not narrow it.
type TrailQuery struct {
	// UserID is who acted.
	UserID string
	// Child is a child's LA child ID or file ID.
	Child  string
	Action string
	// From and To are London days, both included.
	From, To civil.Date
	// Before continues a search from the event before this sequence number; 0 starts from the newest.
	Before int64
	Limit  int
}

// TrailEvent is an event of the trail with who acted and which child it was about, as an auditor reads them.
type TrailEvent struct {
	AuditEvent
	ActorName, ActorRole string
	LAChildID            string
}

// AuditTrail searches the whole audit trail, newest first: at most q.Limit events, and whether older ones match
// too. The search is audited in turn, against the child's file when it names one.
func (s *Store) AuditTrail(ctx context.Context, actor Actor, q TrailQuery) ([]TrailEvent, bool, error) {
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return nil, false, casework.Invalid("to", "must not be before the first day (%s is before %s)", q.To, q.From)
	}
	var out []TrailEvent
	more := false
	err := s.inTx(ctx, func(tx *txn) error {
		var where []string
		var args []any
		fileID := ""
		if child := strings.TrimSpace(q.Child); child != "" {
			err := tx.QueryRowContext(ctx, s.q(`SELECT id FROM records WHERE kind = 'person' AND (id = ? OR code = ?)`),
				child, strings.ToUpper(child)).Scan(&fileID)
			if errors.Is(err, sql.ErrNoRows) {
				return casework.Invalid("child", "matches no child's LA child ID or record ID (%s)", child)
			}
			if err != nil {
				return fmt.Errorf("audit trail: %w", err)
			}
			where, args = append(where, "a.file_id = ?"), append(args, fileID)
		}
		if q.UserID != "" {
			where, args = append(where, "a.actor = ?"), append(args, q.UserID)
		}
		if q.Action != "" {
			where, args = append(where, "a.action = ?"), append(args, q.Action)
		}
		if !q.From.IsZero() {
			where, args = append(where, "a.at >= ?"), append(args, stamp(q.From.In(casework.London())))
		}
		if !q.To.IsZero() {
			where, args = append(where, "a.at < ?"), append(args, stamp(q.To.AddDays(1).In(casework.London())))
		}
		if q.Before > 0 {
			where, args = append(where, "a.seq < ?"), append(args, q.Before)
		}
		query := `SELECT a.seq, a.at, a.actor, a.action, a.file_id, a.record_id, a.detail, a.prev_hash, a.hash,
			COALESCE(u.name, ''), COALESCE(u.role, ''), COALESCE(p.code, '')
			FROM audit_events a LEFT JOIN users u ON u.id = a.actor
			LEFT JOIN records p ON p.id = a.file_id AND p.kind = 'person'`
		if len(where) > 0 {
			query += ` WHERE ` + strings.Join(where, " AND ")
		}
		rows, err := tx.QueryContext(ctx, s.q(query+` ORDER BY a.seq DESC LIMIT ?`), append(args, q.Limit+1)...)
		if err != nil {
			return fmt.Errorf("audit trail: %w", err)
		}
		for rows.Next() {
			var e TrailEvent
			if err := rows.Scan(&e.Seq, scanInstant{&e.At}, &e.Actor, &e.Action, &e.FileID, &e.RecordID, &e.Detail,
				&e.PrevHash, &e.Hash, &e.ActorName, &e.ActorRole, &e.LAChildID); err != nil {
				rows.Close()
				return fmt.Errorf("audit trail: %w", err)
			}
			out = append(out, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("audit trail: %w", err)
		}
		if more = len(out) > q.Limit; more {
			out = out[:q.Limit]
		}
		return s.appendAudit(ctx, tx, s.Now(), []AuditEvent{{Actor: actor.UserID, Action: ActionAudit, FileID: fileID,
			RecordID: q.UserID, Detail: "trail"}})
	})
	return out, more, err
}
