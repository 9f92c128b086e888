package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// SetStepPolicy records a new version of the council's step-up and step-down policy. It applies to changes made
// from now on; records already made are not re-judged.
func (s *Store) SetStepPolicy(ctx context.Context, actor Actor, policy casework.StepPolicy) (int, error) {
	value, err := json.Marshal(policy)
	if err != nil {
		return 0, err
	}
	return s.SetSetting(ctx, actor, "step_policy", string(value))
}

// StepPolicy returns the council's step-up and step-down policy in force and its version (0: the default).
func (s *Store) StepPolicy(ctx context.Context) (casework.StepPolicy, int, error) {
	var in *ruleInputs
	err := s.inTx(ctx, func(tx *txn) error {
		var err error
		_, in, err = s.rulesIn(ctx, tx)
		return err
	})
	if err != nil {
		return casework.StepPolicy{}, 0, err
	}
	return in.policy, in.policyVersion, nil
}

// BorderReport is the traffic across the border between early help and social care over a period.
type BorderReport struct {
	From, To           civil.Date
	StepUps, StepDowns int
	// BouncedBack counts moves in the period that reversed a move the other way for the same child within the
	// 12 months before.
	BouncedBack int
	// Waits are the days from each decision in the period to the start of the case that took the child on;
	// StillWaiting counts decisions with no receiving case yet.
	Waits        []int
	StillWaiting int
	// Criteria counts the criteria the decisions rested on.
	Criteria map[string]int
}

// MedianWait is the middle of Waits, in days (0 when there are none).
func (b BorderReport) MedianWait() int {
	if len(b.Waits) == 0 {
		return 0
	}
	w := slices.Clone(b.Waits)
	slices.Sort(w)
	return w[len(w)/2]
}

// Border reports step-ups, step-downs, moves bounced back within 12 months and the wait between services for
// decisions dated from from to to. It lists no child, and is audited as a report.
func (s *Store) Border(ctx context.Context, actor Actor, from, to civil.Date) (BorderReport, error) {
	r := BorderReport{From: from, To: to, Criteria: map[string]int{}}
	if to.Before(from) {
		return r, casework.Invalid("to", "must not be before from (%s)", from)
	}
	err := s.inTx(ctx, func(tx *txn) error {
		type move struct {
			file string
			t    *casework.Transition
		}
		var moves []move
		p := s.pipeline(tx)
		p.query("transitions", `SELECT file_id, `+recordColumns+` FROM records WHERE kind = 'transition'
			AND retracted = 0 AND start_date >= ? AND start_date <= ? ORDER BY start_date`, func(rows rowScanner) error {
			for rows.Next() {
				var fileID string
				rec, err := scanRecord(rows, &fileID)
				if err != nil {
					return err
				}
				moves = append(moves, move{fileID, rec.(*casework.Transition)})
			}
			return nil
		}, from.AddMonths(-12), to)
		if err := p.flush(ctx); err != nil {
			return err
		}
		starts := map[string]civil.Date{}
		var receiving []any
		for _, m := range moves {
			if m.t.ToID != "" {
				receiving = append(receiving, m.t.ToID)
			}
		}
		if len(receiving) > 0 {
			var cases []casework.Record
			p.queueRecords("receiving cases", `SELECT `+recordColumns+` FROM records WHERE id IN (`+
				placeholders(len(receiving))+`)`, &cases, receiving...)
			if err := p.flush(ctx); err != nil {
				return err
			}
			for _, c := range cases {
				switch v := c.(type) {
				case *casework.Episode:
					starts[v.ID] = v.ReferralDate
				case *casework.EarlyHelp:
					starts[v.ID] = v.Start
				}
			}
		}
		for i, m := range moves {
			t := m.t
			if t.Date.Before(from) {
				continue
			}
			if t.Direction == casework.StepUp {
				r.StepUps++
			} else {
				r.StepDowns++
			}
			for _, c := range t.Criteria {
				r.Criteria[c]++
			}
			for _, earlier := range moves[:i] {
				if earlier.file == m.file && earlier.t.Direction != t.Direction && !earlier.t.Date.Before(t.Date.AddMonths(-12)) {
					r.BouncedBack++
					break
				}
			}
			if start, ok := starts[t.ToID]; ok {
				r.Waits = append(r.Waits, max(0, start.DaysSince(t.Date)))
			} else {
				r.StillWaiting++
			}
		}
		return s.appendAudit(ctx, tx, s.Now(), []AuditEvent{{Actor: actor.UserID, Action: ActionReport,
			Detail: fmt.Sprintf("border report %s to %s", from, to)}})
	})
	return r, err
}
