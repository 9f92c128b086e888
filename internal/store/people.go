package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
)

// FindChildren finds children by LA child ID or name: the page of at most limit after the first offset, and
// whether more follow. It audits each child it returns as listed, and no other. The front door uses
// MatchChildren, which also matches NHS numbers, dates of birth and the usual variations of names.
func (s *Store) FindChildren(ctx context.Context, actor Actor, query string, offset, limit int) ([]*casework.Person, bool, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, false, casework.Invalid("q", "enter a name, LA child ID or NHS number")
	}
	var out []*casework.Person
	more, skip := false, offset
	err := s.inTx(ctx, func(tx *txn) error {
		// Every word narrows the rows in the query, so the rows read are bounded by a multiple of the page
		// (children have a parent or two on record) and a page cut short by that bound still offers the next.
		// The words are checked again here only because LIKE reads % and _ in them as wildcards.
		words := strings.Fields(strings.ToLower(query))
		args := []any{strings.ToUpper(query)}
		like := make([]string, len(words))
		for i, w := range words {
			like[i] = "search LIKE ?"
			args = append(args, "%"+w+"%")
		}
		bound := (offset + limit + 1) * 4
		args = append(args, namedPattern(actor), bound)
		rows, err := tx.QueryContext(ctx, s.q(`SELECT `+recordColumns+` FROM records
			WHERE kind = 'person' AND (code = ? OR (`+strings.Join(like, " AND ")+`)) AND `+visibleClause("records.file_id")+`
			ORDER BY search LIMIT ?`), args...)
		if err != nil {
			return fmt.Errorf("find children: %w", err)
		}
		defer rows.Close()
		var events []AuditEvent
		read := 0
		for rows.Next() {
			read++
			r, err := scanRecord(rows)
			if err != nil {
				return err
			}
			p := r.(*casework.Person)
			if p.Role != casework.RoleChild || !(p.LAChildID == strings.ToUpper(query) || matchesAll(searchText(p), words)) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			if len(out) == limit {
				more = true
				break
			}
			out = append(out, p)
			events = append(events, AuditEvent{Actor: actor.UserID, Action: ActionList, FileID: p.ID, Detail: "search result"})
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find children: %w", err)
		}
		rows.Close() // a page may end before the rows do, and the audit below needs the connection
		if read == bound && !more {
			more = true
		}
		return s.appendAudit(ctx, tx, s.Now(), events)
	})
	return out, more, err
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

// Match is a person on record who may be the child a contact is about.
type Match struct {
	Person *casework.Person
	Score  int
	Why    []string
}

// MatchThreshold is the score below which a candidate is not worth showing.
const MatchThreshold = 50

// MatchChildren looks for the child a contact is about before a new record is made, so that known children are
// not recorded twice: by NHS number, by LA child ID, and by date of birth (also with day and month swapped) and
// surname (also each part of a hyphenated one, and former surnames), scored by casework.MatchScore. Each child
// shown is audited as listed.
func (s *Store) MatchChildren(ctx context.Context, actor Actor, q casework.MatchQuery, limit int) ([]Match, error) {
	nhs := casework.NormaliseNHSNumber(q.NHSNumber)
	laID := strings.ToUpper(strings.TrimSpace(q.LAChildID))
	parts := strings.FieldsFunc(strings.ToLower(q.Family), func(r rune) bool { return r == '-' || r == ' ' })
	if nhs == "" && laID == "" && q.BirthDate.IsZero() && len(parts) == 0 {
		return nil, casework.Invalid("query", "give an NHS number, an LA child ID, a date of birth or a surname")
	}
	var out []Match
	err := s.inTx(ctx, func(tx *txn) error {
		var candidates []casework.Record
		p := s.pipeline(tx)
		const cols = `SELECT ` + recordColumns + ` FROM records WHERE kind = 'person' AND retracted = 0 AND `
		if nhs != "" {
			p.queueRecords("match", cols+`ident = ?`, &candidates, nhs)
		}
		if laID != "" {
			p.queueRecords("match", cols+`code = ?`, &candidates, laID)
		}
		if !q.BirthDate.IsZero() {
			swapped, ok := casework.Transposed(q.BirthDate)
			if !ok {
				swapped = q.BirthDate
			}
			p.queueRecords("match", cols+`start_date IN (?, ?)`, &candidates, q.BirthDate, swapped)
		}
		for _, part := range parts {
			// Former surnames are in the search text too.
			p.queueRecords("match", cols+`search LIKE ? LIMIT 500`, &candidates, "%"+part+"%")
		}
		if err := p.flush(ctx); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, r := range candidates {
			person := r.(*casework.Person)
			if seen[person.ID] || person.Role != casework.RoleChild {
				continue
			}
			seen[person.ID] = true
			if score, why := casework.MatchScore(q, person); score >= MatchThreshold {
				out = append(out, Match{Person: person, Score: score, Why: why})
			}
		}
		ids := make([]string, len(out))
		for i, m := range out {
			ids[i] = m.Person.ID
		}
		hidden, err := s.hidden(ctx, tx, actor, ids)
		if err != nil {
			return err
		}
		out = slices.DeleteFunc(out, func(m Match) bool { return hidden[m.Person.ID] })
		sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
		if len(out) > limit {
			out = out[:limit]
		}
		events := make([]AuditEvent, 0, len(out))
		for _, m := range out {
			events = append(events, AuditEvent{Actor: actor.UserID, Action: ActionList, FileID: m.Person.ID, Detail: "front door match"})
		}
		return s.appendAudit(ctx, tx, s.Now(), events)
	})
	return out, err
}

// NextLAChildID returns the LA child ID after the highest of the form prefix and digits digits ("C00000042"), for a
// child the front door records for the first time. Two front-door workers taking the same number at once collide
// on the records' unique index, and the second is told to try again.
func (s *Store) NextLAChildID(ctx context.Context, prefix string, digits int) (string, error) {
	var highest sql.NullString
	// The range walks the unique index of LA child IDs down from the top of the prefix's numbers.
	after := prefix[:len(prefix)-1] + string(prefix[len(prefix)-1]+1)
	err := s.db.QueryRowContext(ctx, s.q(`SELECT code FROM records WHERE kind = 'person' AND code IS NOT NULL
		AND code >= ? AND code < ? AND LENGTH(code) = ? ORDER BY code DESC LIMIT 1`), prefix, after,
		len(prefix)+digits).Scan(&highest)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("next LA child ID: %w", err)
	}
	n := 0
	if highest.Valid {
		if n, err = strconv.Atoi(highest.String[len(prefix):]); err != nil {
			return "", fmt.Errorf("next LA child ID: %q does not end in a number", highest.String)
		}
	}
	return fmt.Sprintf("%s%0*d", prefix, digits, n+1), nil
}
