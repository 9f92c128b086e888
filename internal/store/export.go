package store

import (
	"context"
	"fmt"

	"github.com/continuum-cs/continuum/internal/casework"
)

// EachChildFile calls fn with every child's file as it stands, a batch of files at a time, for reports over the
// whole council. The run is audited as one report naming how many files it read; fn must not keep the files.
func (s *Store) EachChildFile(ctx context.Context, actor Actor, what string, fn func(*casework.File) error) error {
	const batch = 500
	after, total := "", 0
	for {
		var ids []string
		byFile := map[string][]casework.Record{}
		err := s.inTx(ctx, func(tx *txn) error {
			p := s.pipeline(tx)
			p.query("files", `SELECT id FROM files WHERE kind = 'person' AND id > ? ORDER BY id LIMIT ?`,
				func(rows rowScanner) error {
					for rows.Next() {
						var id string
						if err := rows.Scan(&id); err != nil {
							return err
						}
						ids = append(ids, id)
					}
					return nil
				}, after, batch)
			if err := p.flush(ctx); err != nil || len(ids) == 0 {
				return err
			}
			args := make([]any, len(ids))
			for i, id := range ids {
				args[i] = id
			}
			p.query("load files", `SELECT file_id, `+recordColumns+` FROM records WHERE retracted = 0
				AND file_id IN (`+placeholders(len(ids))+`) ORDER BY file_id, seq`, func(rows rowScanner) error {
				for rows.Next() {
					var fileID string
					rec, err := scanRecord(rows, &fileID)
					if err != nil {
						return err
					}
					byFile[fileID] = append(byFile[fileID], rec)
				}
				return rows.Err()
			}, args...)
			return p.flush(ctx)
		})
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			break
		}
		for _, id := range ids {
			f := casework.NewFile(s.Now(), byFile[id])
			if p := f.Person(); p == nil || p.Role != casework.RoleChild {
				continue
			}
			if err := fn(f); err != nil {
				return err
			}
			total++
		}
		after = ids[len(ids)-1]
	}
	return s.Audit(ctx, AuditEvent{Actor: actor.UserID, Action: ActionReport, Detail: fmt.Sprintf("%s: read %d children's files", what, total)})
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
