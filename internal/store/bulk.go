package store

import (
	"context"
	"fmt"

	"github.com/continuum-cs/continuum/internal/casework"
)

// LoadFiles writes many new files in one transaction: a migration from another system, or a synthetic council.
// Each file must be new and built through the domain (casework.NewFile and Save), so nothing is stored that a
// practitioner could not have recorded. History and audit are written exactly as for single writes. Any error
// stores nothing.
func (s *Store) LoadFiles(ctx context.Context, actor Actor, files []*casework.File) error {
	return s.inTx(ctx, func(tx *txn) error {
		now := s.Now()
		rules, _, err := s.rulesIn(ctx, tx)
		if err != nil {
			return err
		}
		p := s.pipeline(tx)
		// Files first, so relationships between files of the same batch find each other.
		for i, f := range files {
			pending := f.Pending()
			if len(pending) == 0 {
				return fmt.Errorf("file %d of %d has no records: %w", i+1, len(files), casework.ErrInvalid)
			}
			root := pending[0]
			if root.Kind() != casework.KindPerson && root.Kind() != casework.KindHousehold {
				return fmt.Errorf("file %d of %d is not new: a batch holds only new files: %w", i+1, len(files), casework.ErrInvalid)
			}
			for j, r := range pending {
				// A file built in memory may have changed a record before it was ever stored (an episode closed
				// after its plan was recorded); what is stored is the record's first stored version.
				r.Base().Version = 1
				r.Base().Seq = int64(j + 1)
			}
			p.add(fmt.Sprintf("file %d of %d", i+1, len(files)),
				`INSERT INTO files (id, kind, seq, created_at) VALUES (?, ?, ?, ?)`, nil,
				root.Base().ID, string(root.Kind()), len(pending), instant(now))
			if err := p.flushIfFull(ctx); err != nil {
				return err
			}
		}
		if err := p.flush(ctx); err != nil {
			return err
		}
		var events []AuditEvent
		for i, f := range files {
			fileID := f.Pending()[0].Base().ID
			if err := s.checkLinks(ctx, tx, fileID, f.Pending()); err != nil {
				return fmt.Errorf("file %d of %d: %w", i+1, len(files), err)
			}
			for _, r := range f.Pending() {
				m := r.Base()
				m.RecordedBy = actor.UserID
				if m.Reason == "" {
					m.Reason = "recorded"
				}
				if err := queueRecord(p, fileID, r); err != nil {
					return fmt.Errorf("file %d of %d: %w", i+1, len(files), err)
				}
				events = append(events, AuditEvent{Actor: actor.UserID, Action: ActionCreate, FileID: fileID,
					RecordID: m.ID, Detail: fmt.Sprintf("%s v1 (batch)", r.Kind())})
			}
			queueDerived(p, rules, fileID, f, newDerived())
			if err := p.flushIfFull(ctx); err != nil {
				return err
			}
		}
		return s.finishAudit(ctx, p, &auditHead{}, now, events)
	})
}
