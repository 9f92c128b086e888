package store

import (
	"context"
	"fmt"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
)

// Entry is one version of an entry of the improvement plan or the challenge log: its kind (priority, action,
// challenge), its body as JSON, and who made this version and when.
type Entry struct {
	ID      string
	Kind    string
	Version int
	Body    string
	By      string
	At      time.Time
}

// SaveEntry records a new version of an entry, audited, and returns it. A new entry has no ID and base 0; a
// change names the version it was made from, and gets a conflict when someone else changed it since.
func (s *Store) SaveEntry(ctx context.Context, actor Actor, e Entry, base int) (Entry, error) {
	now := s.Now()
	err := s.inTx(ctx, func(tx *txn) error {
		if e.ID == "" {
			if base != 0 {
				return casework.Invalid("version", "a new entry has no version")
			}
			e.ID = casework.NewID(now)
		}
		var current int
		var kind string
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COALESCE(MAX(version), 0), COALESCE(MAX(kind), '') FROM improvement_entries
			WHERE id = ?`), e.ID).Scan(&current, &kind); err != nil {
			return fmt.Errorf("entry %s: %w", e.ID, err)
		}
		switch {
		case current != base:
			return fmt.Errorf("%s %s was changed by someone else since version %d: %w", e.Kind, e.ID, base, casework.ErrConflict)
		case current > 0 && kind != e.Kind:
			return fmt.Errorf("entry %s is a %s, not a %s: %w", e.ID, kind, e.Kind, casework.ErrInvalid)
		}
		e.Version, e.By, e.At = current+1, actor.UserID, now
		p := s.pipeline(tx)
		p.add("entry "+e.ID, `INSERT INTO improvement_entries (id, version, kind, body, changed_by, changed_at)
			VALUES (?, ?, ?, ?, ?, ?)`, nil, e.ID, e.Version, e.Kind, e.Body, e.By, instant(now))
		return s.finishAudit(ctx, p, &auditHead{}, now, []AuditEvent{{Actor: actor.UserID, Action: ActionAdmin,
			RecordID: e.ID, Detail: fmt.Sprintf("improvement %s v%d", e.Kind, e.Version)}})
	})
	return e, err
}

// Entries are the entries of a kind as they now stand, oldest first.
func (s *Store) Entries(ctx context.Context, kind string) ([]Entry, error) {
	return s.entries(ctx, `SELECT e.id, e.kind, e.version, e.body, e.changed_by, e.changed_at FROM improvement_entries e
		WHERE e.kind = ? AND e.version = (SELECT MAX(version) FROM improvement_entries WHERE id = e.id)
		ORDER BY e.id`, kind)
}

// EntryHistory is every version of an entry, newest first; none when there is no such entry.
func (s *Store) EntryHistory(ctx context.Context, id string) ([]Entry, error) {
	return s.entries(ctx, `SELECT id, kind, version, body, changed_by, changed_at FROM improvement_entries
		WHERE id = ? ORDER BY version DESC`, id)
}

func (s *Store) entries(ctx context.Context, query string, arg string) ([]Entry, error) {
	rows, err := s.db.QueryContext(ctx, s.q(query), arg)
	if err != nil {
		return nil, fmt.Errorf("improvement entries: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.Kind, &e.Version, &e.Body, &e.By, scanInstant{&e.At}); err != nil {
			return nil, fmt.Errorf("improvement entries: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
