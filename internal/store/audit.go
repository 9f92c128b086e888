package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// Audit actions.
const (
	ActionCreate  = "create"
	ActionChange  = "change"
	ActionRetract = "retract"
	ActionRead    = "read"
	ActionHistory = "read_history"
	ActionList    = "list"
	ActionAdmin   = "admin"
)

// AuditEvent is one entry of the audit trail. Detail holds identifiers and kinds only, never personal details,
// because the trail is read by auditors who may not see case content.
type AuditEvent struct {
	Seq      int64
	At       time.Time
	Actor    string
	Action   string
	FileID   string
	RecordID string
	Detail   string
	PrevHash string
	Hash     string
}

// hashEvent chains an event to the one before it: any change to an event, or a removed event, breaks every link
// after it.
func hashEvent(e AuditEvent) string {
	h := sha256.New()
	for _, part := range []string{e.PrevHash, strconv.FormatInt(e.Seq, 10), instant(e.At), e.Actor, e.Action,
		e.FileID, e.RecordID, e.Detail} {
		// Length prefixes keep ("ab","c") and ("a","bc") apart.
		fmt.Fprintf(h, "%d:%s|", len(part), part)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// appendAudit adds events to the trail inside tx. Taking the head row first serialises appends across
// transactions, so the chain has no forks.
func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, at time.Time, events []AuditEvent) error {
	if len(events) == 0 {
		return nil
	}
	var last int64
	var prev string
	err := tx.QueryRowContext(ctx, s.q(`UPDATE audit_head SET seq = seq + ? WHERE id = 1 RETURNING seq, hash`),
		len(events)).Scan(&last, &prev)
	if err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, s.q(`INSERT INTO audit_events
		(seq, at, actor, action, file_id, record_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	defer stmt.Close()
	seq := last - int64(len(events))
	for _, e := range events {
		seq++
		e.Seq, e.At, e.PrevHash = seq, at, prev
		e.Hash = hashEvent(e)
		if _, err := stmt.ExecContext(ctx, e.Seq, instant(e.At), e.Actor, e.Action, e.FileID, e.RecordID, e.Detail,
			e.PrevHash, e.Hash); err != nil {
			return fmt.Errorf("audit: %w", err)
		}
		prev = e.Hash
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE audit_head SET hash = ? WHERE id = 1`), prev); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	return nil
}

// Audit records events in their own transaction, for reads and sign-ins that change nothing else.
func (s *Store) Audit(ctx context.Context, events ...AuditEvent) error {
	return s.inTx(ctx, func(tx *sql.Tx) error { return s.appendAudit(ctx, tx, s.Now(), events) })
}

// AuditCheck is the result of verifying the chain.
type AuditCheck struct {
	Events int64
	// BrokenAt is the first event whose link does not hold, or 0 when the chain is intact.
	BrokenAt int64
	Problem  string
}

// VerifyAudit walks the whole trail and reports the first broken link: an event whose hash does not match its
// content, whose previous hash is not its predecessor's, or a gap in the sequence.
func (s *Store) VerifyAudit(ctx context.Context) (AuditCheck, error) {
	var c AuditCheck
	rows, err := s.db.QueryContext(ctx, `SELECT seq, at, actor, action, file_id, record_id, detail, prev_hash, hash
		FROM audit_events ORDER BY seq`)
	if err != nil {
		return c, fmt.Errorf("read audit trail: %w", err)
	}
	defer rows.Close()
	prev, want := "", int64(1)
	for rows.Next() {
		var e AuditEvent
		if err := rows.Scan(&e.Seq, scanInstant{&e.At}, &e.Actor, &e.Action, &e.FileID, &e.RecordID, &e.Detail,
			&e.PrevHash, &e.Hash); err != nil {
			return c, fmt.Errorf("read audit trail: %w", err)
		}
		c.Events++
		switch {
		case e.Seq != want:
			c.BrokenAt, c.Problem = e.Seq, fmt.Sprintf("event %d follows event %d: events are missing", e.Seq, want-1)
		case e.PrevHash != prev:
			c.BrokenAt, c.Problem = e.Seq, "its link to the previous event does not match"
		case hashEvent(e) != e.Hash:
			c.BrokenAt, c.Problem = e.Seq, "its content does not match its hash"
		}
		if c.BrokenAt != 0 {
			return c, nil
		}
		prev, want = e.Hash, e.Seq+1
	}
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("read audit trail: %w", err)
	}
	var headSeq int64
	var headHash string
	if err := s.db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return c, fmt.Errorf("read audit head: %w", err)
	}
	if headSeq != want-1 || headHash != prev {
		c.BrokenAt, c.Problem = want, fmt.Sprintf("the trail ends at event %d but the head says %d: the newest events are missing", want-1, headSeq)
	}
	return c, nil
}

// FileAudit returns the audit events about one file, newest first: who has looked at or changed this child's record.
func (s *Store) FileAudit(ctx context.Context, fileID string, limit int) ([]AuditEvent, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT seq, at, actor, action, file_id, record_id, detail, prev_hash, hash
		FROM audit_events WHERE file_id = ? ORDER BY seq DESC LIMIT ?`), fileID, limit)
	if err != nil {
		return nil, fmt.Errorf("file audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		var e AuditEvent
		if err := rows.Scan(&e.Seq, scanInstant{&e.At}, &e.Actor, &e.Action, &e.FileID, &e.RecordID, &e.Detail,
			&e.PrevHash, &e.Hash); err != nil {
			return nil, fmt.Errorf("file audit: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
