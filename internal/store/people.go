package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
)

// FindChildren finds children by LA child ID, NHS number or name, and audits each child it returns as listed.
// (Fuzzy matching for the front door builds on this.)
func (s *Store) FindChildren(ctx context.Context, actor Actor, query string, limit int) ([]*casework.Person, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, casework.Invalid("q", "enter a name, LA child ID or NHS number")
	}
	var out []*casework.Person
	err := s.inTx(ctx, func(tx *txn) error {
		words := strings.Fields(strings.ToLower(query))
		rows, err := tx.QueryContext(ctx, s.q(`SELECT `+recordColumns+` FROM records
			WHERE kind = 'person' AND (code = ? OR search LIKE ?) ORDER BY search LIMIT ?`),
			strings.ToUpper(query), "%"+words[0]+"%", limit*4)
		if err != nil {
			return fmt.Errorf("find children: %w", err)
		}
		defer rows.Close()
		var events []AuditEvent
		for rows.Next() {
			r, err := scanRecord(rows)
			if err != nil {
				return err
			}
			p := r.(*casework.Person)
			if p.Role != casework.RoleChild || !(p.LAChildID == strings.ToUpper(query) || matchesAll(searchText(p), words)) {
				continue
			}
			if len(out) == limit {
				break
			}
			out = append(out, p)
			events = append(events, AuditEvent{Actor: actor.UserID, Action: ActionList, FileID: p.ID, Detail: "search result"})
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find children: %w", err)
		}
		return s.appendAudit(ctx, tx, s.Now(), events)
	})
	return out, err
}

func matchesAll(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// Counts is how many of each kind of current record the store holds, for the demo's summary and health pages.
func (s *Store) Counts(ctx context.Context) (map[casework.Kind]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT kind, count(*) FROM records WHERE retracted = 0 GROUP BY kind`)
	if err != nil {
		return nil, fmt.Errorf("count records: %w", err)
	}
	defer rows.Close()
	out := map[casework.Kind]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("count records: %w", err)
		}
		out[casework.Kind(k)] = n
	}
	return out, rows.Err()
}
