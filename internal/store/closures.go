package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/workday"
)

// AddClosure records a day the council is closed, checked against the bank holidays and the closures already
// recorded and audited, then derives every file's due items again.
func (s *Store) AddClosure(ctx context.Context, actor Actor, c workday.Closure) error {
	if strings.TrimSpace(c.Name) == "" {
		return casework.Invalid("name", "say why the council is closed, for example \"Christmas closure\"")
	}
	return s.thenRecompute(ctx, s.inTx(ctx, func(tx *txn) error {
		current, err := s.closures(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := workday.EnglandAndWales().WithClosures(append(current, c)...); err != nil {
			return casework.Invalid("date", "%s", err.Error())
		}
		p := s.pipeline(tx)
		// A withdrawn closure on the same day is reinstated under the new name; the audit trail keeps both.
		p.add("add closure", `INSERT INTO closure_days (day, name, added_by, added_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (day) DO UPDATE SET name = excluded.name, added_by = excluded.added_by,
			added_at = excluded.added_at, withdrawn_by = NULL, withdrawn_at = NULL
			WHERE closure_days.withdrawn_at IS NOT NULL`, nil,
			c.Date, c.Name, actor.UserID, instant(s.Now()))
		return s.finishAudit(ctx, p, &auditHead{}, s.Now(), []AuditEvent{{Actor: actor.UserID, Action: ActionAdmin,
			RecordID: c.Date.String(), Detail: "closure day added"}})
	}))
}

// thenRecompute derives due items again after a change to the calendar or the rules committed without error.
func (s *Store) thenRecompute(ctx context.Context, err error) error {
	if err != nil {
		return err
	}
	_, err = s.RecomputeDue(ctx)
	return err
}

// WithdrawClosure reopens a closure day (the record of it stays) and derives due items again.
func (s *Store) WithdrawClosure(ctx context.Context, actor Actor, day civil.Date) error {
	return s.thenRecompute(ctx, s.inTx(ctx, func(tx *txn) error {
		p := s.pipeline(tx)
		p.add("withdraw closure", `UPDATE closure_days SET withdrawn_by = ?, withdrawn_at = ? WHERE day = ? AND withdrawn_at IS NULL`,
			func(rows int64, err error) error {
				if err != nil {
					return fmt.Errorf("withdraw closure: %w", err)
				}
				if rows == 0 {
					return fmt.Errorf("no closure on %s: %w", day, casework.ErrNotFound)
				}
				return nil
			}, actor.UserID, instant(s.Now()), day)
		return s.finishAudit(ctx, p, &auditHead{}, s.Now(), []AuditEvent{{Actor: actor.UserID, Action: ActionAdmin,
			RecordID: day.String(), Detail: "closure day withdrawn"}})
	}))
}

// Closures lists the council's closure days in force, in date order.
func (s *Store) Closures(ctx context.Context) ([]workday.Closure, error) {
	var out []workday.Closure
	err := s.inTx(ctx, func(tx *txn) error {
		var err error
		out, err = s.closures(ctx, tx)
		return err
	})
	return out, err
}

func (s *Store) closures(ctx context.Context, tx *txn) ([]workday.Closure, error) {
	var in ruleInputs
	p := s.pipeline(tx)
	p.queueRuleInputs(&in)
	return in.closures, p.flush(ctx)
}

// Calendar is the working-day calendar in force: bank holidays and the council's closure days.
func (s *Store) Calendar(ctx context.Context) (*workday.Calendar, error) {
	rules, err := s.Rules(ctx)
	if err != nil {
		return nil, err
	}
	return rules.Calendar(), nil
}
