package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
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
	ActionReport  = "report"
	// ActionBreakGlass is a file opened outside the relationship rule, with a reason; ActionReviewAccess is a
	// manager's review of one.
	ActionBreakGlass   = "break_glass"
	ActionReviewAccess = "review_access"
	// ActionAudit is a read of who has looked at a file, or of the whole trail.
	ActionAudit = "read_audit"
	// ActionSignIn is a sign-in, with how in the detail.
	ActionSignIn = "sign_in"
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

// auditHead is the trail's last link, read under a lock held to the end of the transaction so that appends
// across transactions take turns and the chain never forks.
type auditHead struct {
	seq    int64
	hash   string
	locked bool
}

// lockAuditHead queues the lock and read of the head.
func (p *pipeline) lockAuditHead(h *auditHead) {
	p.query("audit head", `UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash`, func(rows rowScanner) error {
		for rows.Next() {
			if err := rows.Scan(&h.seq, &h.hash); err != nil {
				return fmt.Errorf("audit head: %w", err)
			}
			h.locked = true
		}
		return nil
	})
}

// finishAudit appends events to the trail after whatever p holds, locking the head first if the caller has not,
// and flushes p.
func (s *Store) finishAudit(ctx context.Context, p *pipeline, h *auditHead, at time.Time, events []AuditEvent) error {
	if len(events) == 0 {
		return p.flush(ctx)
	}
	if !h.locked {
		p.lockAuditHead(h)
		if err := p.flush(ctx); err != nil {
			return err
		}
		if !h.locked {
			return errors.New("audit head: missing; run migrate")
		}
	}
	for _, e := range events {
		p.add("audit", `INSERT INTO audit_events (seq, at, actor, action, file_id, record_id, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, nil, h.link(at, e).row()...)
	}
	p.queueHead(h)
	return p.flush(ctx)
}

// link chains e to the head at the instant at and makes it the new head.
func (h *auditHead) link(at time.Time, e AuditEvent) AuditEvent {
	h.seq++
	e.Seq, e.At, e.PrevHash = h.seq, at, h.hash
	e.Hash = hashEvent(e)
	h.hash = e.Hash
	return e
}

// auditColumns are the columns of an audit event row, in the order row gives them.
var auditColumns = []string{"seq", "at", "actor", "action", "file_id", "record_id", "detail", "prev_hash", "hash"}

func (e AuditEvent) row() []any {
	return []any{e.Seq, stamp(e.At), e.Actor, e.Action, e.FileID, e.RecordID, e.Detail, e.PrevHash, e.Hash}
}

// queueHead queues the write of the head after the events linked to it.
func (p *pipeline) queueHead(h *auditHead) {
	p.add("audit head", `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, nil, h.seq, h.hash)
}

// appendAudit adds events to the trail inside tx.
func (s *Store) appendAudit(ctx context.Context, tx *txn, at time.Time, events []AuditEvent) error {
	return s.finishAudit(ctx, s.pipeline(tx), &auditHead{}, at, events)
}

// Audit records events in their own transaction, for reads and sign-ins that change nothing else.
func (s *Store) Audit(ctx context.Context, events ...AuditEvent) error {
	return s.inTx(ctx, func(tx *txn) error { return s.appendAudit(ctx, tx, s.Now(), events) })
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

// FileAudit returns the audit events about one file, newest first, for the application's own use.
func (s *Store) FileAudit(ctx context.Context, fileID string, limit int) ([]AuditEvent, error) {
	return s.fileAudit(ctx, s.db, fileID, limit)
}

// LookedAt returns the person whose file it is and who has looked at or changed it, newest first, to someone
// who may open the file; reading it is audited in turn.
func (s *Store) LookedAt(ctx context.Context, actor Actor, fileID string, limit int) (*casework.Person, []AuditEvent, error) {
	var out []AuditEvent
	var person *casework.Person
	err := s.inTx(ctx, func(tx *txn) error {
		if err := s.checkAccess(ctx, tx, actor, fileID); err != nil {
			return err
		}
		roots, err := s.roots(ctx, tx, []string{fileID})
		if err != nil {
			return err
		}
		if person, _ = roots[fileID].(*casework.Person); person == nil {
			return fmt.Errorf("person %s: %w", fileID, casework.ErrNotFound)
		}
		if out, err = s.fileAudit(ctx, tx, fileID, limit); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, s.Now(), []AuditEvent{{Actor: actor.UserID, Action: ActionAudit, FileID: fileID}})
	})
	return person, out, err
}

func (s *Store) fileAudit(ctx context.Context, q querier, fileID string, limit int) ([]AuditEvent, error) {
	rows, err := q.QueryContext(ctx, s.q(`SELECT seq, at, actor, action, file_id, record_id, detail, prev_hash, hash
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
