package store

import (
	"errors"
	"testing"

	"github.com/continuum-cs/continuum/internal/casework"
)

func TestBorderReportAndStepPolicy(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		id := newChild(t, s, "BORDER1")
		lead := casework.Professional{Name: "Sam Lead", Agency: "School"}
		eh := &casework.EarlyHelp{Start: d("2025-01-06"), ConsentDate: d("2025-01-06"), LeadProfessional: lead}
		ep := &casework.Episode{ReferralDate: d("2025-02-05"), Source: "2A", PrimaryNeed: "N1"}
		up := &casework.Transition{Direction: casework.StepUp, Date: d("2025-02-03"), FromID: "", Criteria: []string{"risk_escalating"},
			DecisionMaker: "tm1", Rationale: "escalating"}
		must(t, s.UpdateFile(ctx, worker, id, func(f *casework.File) error {
			if err := f.Save(eh); err != nil {
				return err
			}
			up.FromID = eh.ID
			if err := f.Save(up); err != nil {
				return err
			}
			endEH := *eh
			endEH.End, endEH.Outcome, endEH.Reason = d("2025-02-05"), "step_up", "stepped up"
			if err := f.Save(&endEH, ep); err != nil {
				return err
			}
			linked := *up
			linked.ToID, linked.Reason = ep.ID, "referral accepted"
			return f.Save(&linked)
		}))
		down := &casework.Transition{Direction: casework.StepDown, Date: d("2025-05-01"), Criteria: []string{"plan_outcomes_met"},
			DecisionMaker: "tm1", Rationale: "needs met at level 3"}
		// Without consent, the default policy refuses the step down, naming it.
		err := s.UpdateFile(ctx, worker, id, func(f *casework.File) error {
			down.FromID = ep.ID
			return f.Save(down)
		})
		if !errors.Is(err, casework.ErrInvalid) {
			t.Fatalf("step down without consent: %v", err)
		}
		down.ID = ""
		down.ConsentDate, down.LeadProfessional = d("2025-04-30"), lead
		eh2 := &casework.EarlyHelp{Start: d("2025-05-12"), ConsentDate: d("2025-04-30"), LeadProfessional: lead}
		must(t, s.UpdateFile(ctx, worker, id, func(f *casework.File) error {
			if err := f.Save(down); err != nil {
				return err
			}
			r, _ := f.Get(ep.ID)
			if err := f.CloseEpisode(ep.ID, r.Base().Version, d("2025-05-09"), "RC9"); err != nil {
				return err
			}
			if err := f.Save(eh2); err != nil {
				return err
			}
			linked := *down
			linked.ToID, linked.Reason = eh2.ID, "early help started"
			return f.Save(&linked)
		}))
		must(t, s.UpdateFile(ctx, worker, id, func(f *casework.File) error {
			return f.Save(&casework.Transition{Direction: casework.StepUp, Date: d("2025-08-01"), FromID: eh2.ID,
				Criteria: []string{"needs_not_met_by_early_help"}, DecisionMaker: "tm1", Rationale: "not improving"})
		}))

		r, err := s.Border(ctx, worker, d("2025-04-01"), d("2026-03-31"))
		must(t, err)
		if r.StepUps != 1 || r.StepDowns != 1 || r.BouncedBack != 2 || r.StillWaiting != 1 || len(r.Waits) != 1 ||
			r.Waits[0] != 11 || r.Criteria["plan_outcomes_met"] != 1 {
			t.Errorf("border report: %+v", r)
		}

		// A council that does not ask for consent at step down can say so; the change is versioned.
		v, err := s.SetStepPolicy(ctx, System, casework.StepPolicy{NoProtectionToEarlyHelp: true, LeadBeforeClosure: true})
		must(t, err)
		if v != 1 {
			t.Errorf("policy version %d, want 1", v)
		}
		if got, gv, err := s.StepPolicy(ctx); err != nil || gv != 1 || got.ConsentForStepDown || !got.LeadBeforeClosure {
			t.Errorf("policy in force: %+v v%d %v", got, gv, err)
		}
		id2 := newChild(t, s, "BORDER2")
		must(t, s.UpdateFile(ctx, worker, id2, func(f *casework.File) error {
			e := &casework.Episode{ReferralDate: d("2025-06-02"), Source: "2A", PrimaryNeed: "N1"}
			if err := f.Save(e); err != nil {
				return err
			}
			return f.Save(&casework.Transition{Direction: casework.StepDown, Date: d("2025-07-01"), FromID: e.ID,
				Criteria: []string{"needs_now_level_3"}, DecisionMaker: "tm1", Rationale: "needs met"})
		}))
	})
}
