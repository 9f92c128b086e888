package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/timescale"
	"github.com/continuum-cs/continuum/internal/workday"
)

// ruleSet is the rules in force and what they were built from: the council's closure days and local rule
// changes, read in every write so that every server process computes with the same rules.
type ruleSet struct {
	key   string
	rules *timescale.Rules
}

// ruleInputs collects the closure days and local rule changes queued on a pipeline.
type ruleInputs struct {
	closures  []workday.Closure
	overrides []timescale.Override
	// policy is the council's step-up and step-down policy, and policyVersion its version (0: the default).
	policy        casework.StepPolicy
	policyVersion int
}

// queueRuleInputs queues the reads the rules in force are built from, and the council's step policy.
func (p *pipeline) queueRuleInputs(in *ruleInputs) {
	in.policy = casework.DefaultStepPolicy
	p.query("step policy", `SELECT version, value FROM council_settings WHERE key = 'step_policy'
		ORDER BY version DESC LIMIT 1`, func(rows rowScanner) error {
		for rows.Next() {
			var value string
			if err := rows.Scan(&in.policyVersion, &value); err != nil {
				return fmt.Errorf("step policy: %w", err)
			}
			if err := json.Unmarshal([]byte(value), &in.policy); err != nil {
				return fmt.Errorf("step policy version %d: %w", in.policyVersion, err)
			}
		}
		return nil
	})
	p.query("closure days", `SELECT day, name FROM closure_days WHERE withdrawn_at IS NULL ORDER BY day`,
		func(rows rowScanner) error {
			for rows.Next() {
				var c workday.Closure
				if err := rows.Scan(&c.Date, &c.Name); err != nil {
					return fmt.Errorf("closure days: %w", err)
				}
				in.closures = append(in.closures, c)
			}
			return nil
		})
	p.query("local rules", `SELECT code, version, amount, unit FROM local_rules l
		WHERE version = (SELECT MAX(version) FROM local_rules m WHERE m.code = l.code) ORDER BY code`,
		func(rows rowScanner) error {
			for rows.Next() {
				var o timescale.Override
				var unit string
				if err := rows.Scan(&o.Code, &o.Version, &o.Amount, &unit); err != nil {
					return fmt.Errorf("local rules: %w", err)
				}
				o.Unit = timescale.Unit(unit)
				in.overrides = append(in.overrides, o)
			}
			return nil
		})
}

// rulesIn reads the rules in force within tx, in a round trip of their own.
func (s *Store) rulesIn(ctx context.Context, tx *txn) (*timescale.Rules, *ruleInputs, error) {
	var in ruleInputs
	p := s.pipeline(tx)
	p.queueRuleInputs(&in)
	if err := p.flush(ctx); err != nil {
		return nil, nil, err
	}
	rules, err := s.rulesFor(&in)
	return rules, &in, err
}

// rulesFor returns the rules built from in, reusing the last ones built when nothing has changed.
func (s *Store) rulesFor(in *ruleInputs) (*timescale.Rules, error) {
	var key strings.Builder
	for _, c := range in.closures {
		key.WriteString(c.Date.String() + ";")
	}
	for _, o := range in.overrides {
		fmt.Fprintf(&key, "%s/%d/%d/%s;", o.Code, o.Version, o.Amount, o.Unit)
	}
	if cached := s.ruleCache.Load(); cached != nil && cached.key == key.String() {
		return cached.rules, nil
	}
	cal, err := workday.EnglandAndWales().WithClosures(in.closures...)
	if err != nil {
		return nil, fmt.Errorf("closure days: %w", err)
	}
	rules, err := timescale.New(cal, in.overrides...)
	if err != nil {
		return nil, fmt.Errorf("local rules: %w", err)
	}
	s.ruleCache.Store(&ruleSet{key: key.String(), rules: rules})
	return rules, nil
}

// dueKey identifies a due item within its file.
type dueKey struct{ rule, subject string }

// derived is what is stored about a file that comes from its records: its due items, its risk and its owner.
type derived struct {
	items        map[dueKey]timescale.Due
	risk         int
	worker, team string
}

// newDerived is what a new file starts with.
func newDerived() *derived {
	return &derived{items: map[dueKey]timescale.Due{}, risk: int(timescale.RiskOther)}
}

// setOwner keeps a file's stored risk, worker and team.
func (d *derived) setOwner(risk int, worker, team sql.NullString) {
	d.risk, d.worker, d.team = risk, worker.String, team.String
}

// queueDueItems queues the read of a file's stored due items into out.
func (p *pipeline) queueDueItems(fileID string, out map[dueKey]timescale.Due) {
	p.query("due items", `SELECT `+dueColumns+` FROM due_items WHERE file_id = ?`, func(rows rowScanner) error {
		for rows.Next() {
			d, err := scanDue(rows)
			if err != nil {
				return err
			}
			out[dueKey{d.Rule, d.SubjectID}] = d
		}
		return nil
	}, fileID)
}

// dueColumns are the columns scanDue reads.
const dueColumns = `rule, subject_id, rule_version, episode_id, trigger_date, due_date, due_at, status, completed_id,
	completed_date, late_reason`

func scanDue(rows rowScanner, first ...any) (timescale.Due, error) {
	var d timescale.Due
	var episode, completed, reason sql.NullString
	var status string
	dest := append(first, &d.Rule, &d.SubjectID, &d.RuleVersion, &episode, &d.Trigger, &d.DueDate,
		optionalInstant{&d.DueAt}, &status, &completed, &d.Completed, &reason)
	if err := rows.Scan(dest...); err != nil {
		return d, fmt.Errorf("due items: %w", err)
	}
	d.EpisodeID, d.CompletedID, d.LateReason, d.Status = episode.String, completed.String, reason.String, timescale.Status(status)
	return d, nil
}

// queueDerived queues what a file's change means for its due items and its owner: the items that changed are
// written, those no longer owed removed, and the file's risk and allocation updated if they changed.
func queueDerived(p *pipeline, rules *timescale.Rules, fileID string, f *casework.File, old *derived) {
	if f.Person() == nil {
		return // a household's file owes nothing itself
	}
	items := rules.ComputeWork(f)
	worker, team := timescale.Owner(f)
	risk := int(timescale.RiskOf(f))
	ownerChanged := risk != old.risk || worker != old.worker || team != old.team
	seen := make(map[dueKey]bool, len(items))
	for _, d := range items {
		k := dueKey{d.Rule, d.SubjectID}
		if seen[k] {
			continue // a rule has one item per subject; the first (earliest due) stands
		}
		seen[k] = true
		if prev, ok := old.items[k]; ok && prev == d && !ownerChanged {
			continue
		}
		p.add("due item", `INSERT INTO due_items (file_id, rule, subject_id, rule_version, episode_id, trigger_date,
			due_date, due_at, status, completed_id, completed_date, late_reason, risk, worker_id, team_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (file_id, rule, subject_id) DO UPDATE SET rule_version = excluded.rule_version,
			episode_id = excluded.episode_id, trigger_date = excluded.trigger_date, due_date = excluded.due_date,
			due_at = excluded.due_at, status = excluded.status, completed_id = excluded.completed_id, completed_date = excluded.completed_date,
			late_reason = excluded.late_reason, risk = excluded.risk, worker_id = excluded.worker_id,
			team_id = excluded.team_id`, nil,
			fileID, d.Rule, d.SubjectID, d.RuleVersion, nullable(d.EpisodeID), d.Trigger, d.DueDate, nullableInstant(d.DueAt),
			string(d.Status),
			nullable(d.CompletedID), d.Completed, nullable(d.LateReason), risk, nullable(worker), nullable(team))
	}
	for k := range old.items {
		if !seen[k] {
			p.add("due item", `DELETE FROM due_items WHERE file_id = ? AND rule = ? AND subject_id = ?`, nil,
				fileID, k.rule, k.subject)
		}
	}
	if ownerChanged {
		p.add("file owner", `UPDATE files SET risk = ?, worker_id = ?, team_id = ? WHERE id = ?`, nil,
			risk, nullable(worker), nullable(team), fileID)
	}
}

// RecomputeDue derives every file's due items again, after the rules or the calendar change, in batches of
// files each in its own transaction. It returns the number of files.
func (s *Store) RecomputeDue(ctx context.Context) (int, error) {
	const batch = 500
	done, after := 0, ""
	for {
		var ids []string
		old := map[string]*derived{}
		n := 0
		err := s.inTx(ctx, func(tx *txn) error {
			p := s.pipeline(tx)
			// Only files that can owe anything: those with a contact, an episode, early help or an activity (every
			// rule starts from one of those or from something inside an episode), or with items already stored.
			p.query("files", `SELECT id FROM files f WHERE kind = 'person' AND id > ?
				AND (EXISTS (SELECT 1 FROM records r WHERE r.file_id = f.id AND r.retracted = 0
					AND r.kind IN ('contact', 'episode', 'early_help', 'activity'))
				OR EXISTS (SELECT 1 FROM due_items d WHERE d.file_id = f.id))
				ORDER BY id LIMIT ?`, func(rows rowScanner) error {
				for rows.Next() {
					var id string
					if err := rows.Scan(&id); err != nil {
						return err
					}
					ids, old[id] = append(ids, id), newDerived()
				}
				return nil
			}, after, batch)
			var in ruleInputs
			p.queueRuleInputs(&in)
			if err := p.flush(ctx); err != nil {
				return err
			}
			if len(ids) == 0 {
				return nil
			}
			rules, err := s.rulesFor(&in)
			if err != nil {
				return err
			}
			records := map[string][]casework.Record{}
			args := make([]any, len(ids))
			for i, id := range ids {
				args[i] = id
			}
			in2 := placeholders(len(ids))
			// Lock the batch's files as a single write does, so a change made meanwhile is either seen here or
			// waits for this batch, and read what is stored about them under the lock.
			p.add("lock files", `UPDATE files SET seq = seq WHERE id IN (`+in2+`)`, nil, args...)
			p.query("files", `SELECT id, risk, worker_id, team_id FROM files WHERE id IN (`+in2+`)`,
				func(rows rowScanner) error {
					for rows.Next() {
						var id string
						var risk int
						var worker, team sql.NullString
						if err := rows.Scan(&id, &risk, &worker, &team); err != nil {
							return err
						}
						old[id].setOwner(risk, worker, team)
					}
					return nil
				}, args...)
			p.query("load files", `SELECT file_id, `+recordColumns+` FROM records WHERE retracted = 0
				AND file_id IN (`+in2+`) ORDER BY file_id, seq`, func(rows rowScanner) error {
				for rows.Next() {
					var fileID string
					r, err := scanRecord(rows, &fileID)
					if err != nil {
						return err
					}
					records[fileID] = append(records[fileID], r)
				}
				return nil
			}, args...)
			p.query("due items", `SELECT file_id, `+dueColumns+` FROM due_items WHERE file_id IN (`+in2+`)`,
				func(rows rowScanner) error {
					for rows.Next() {
						var fileID string
						d, err := scanDue(rows, &fileID)
						if err != nil {
							return err
						}
						old[fileID].items[dueKey{d.Rule, d.SubjectID}] = d
					}
					return nil
				}, args...)
			if err := p.flush(ctx); err != nil {
				return err
			}
			now := s.Now()
			for _, id := range ids {
				queueDerived(p, rules, id, casework.NewFile(now, records[id]), old[id])
				if err := p.flushIfFull(ctx); err != nil {
					return err
				}
			}
			n = len(ids)
			return p.flush(ctx)
		})
		if err != nil {
			return done, err
		}
		if n == 0 {
			return done, nil
		}
		done += n
		after = ids[len(ids)-1]
	}
}
