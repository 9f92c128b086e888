package casework

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
)

func TestStepUpAndDown(t *testing.T) {
	j := newJourney(t) // a referral on 1 May 2025 leading to a child protection plan from 20 May
	f := j.f
	down := func() *Transition {
		return &Transition{Direction: StepDown, Date: d("2025-06-10"), FromID: j.ep.ID, Criteria: []string{"plan_outcomes_met"},
			DecisionMaker: "tm1", Rationale: "risk reduced", ConsentDate: d("2025-06-09")}
	}
	// The plan is still in force: policy forbids going straight to early help.
	wantInvalid(t, f.Save(down()), "direction", "cannot step straight down to early help")
	// A council that allows it can say so.
	lenient := NewFile(testNow, f.Records())
	lenient.SetStepPolicy(StepPolicy{ConsentForStepDown: true, LeadBeforeClosure: true})
	must(t, lenient.Save(down()))

	// End the plan to child in need, then step down: consent is needed, and criteria must be step-down criteria.
	plan := Clone(j.plan)
	plan.End, plan.Reason = d("2025-06-05"), "plan ended at review"
	must(t, f.Save(plan))
	noConsent := down()
	noConsent.ConsentDate = civil.Date{}
	wantInvalid(t, f.Save(noConsent), "consent_date", "needs the family's consent")
	wrong := down()
	wrong.Criteria = []string{"significant_harm_concern"}
	wantInvalid(t, f.Save(wrong), "criteria[0]", "is not a step_down criterion")
	up := down()
	up.Direction, up.Criteria = StepUp, []string{"risk_escalating"}
	wantInvalid(t, f.Save(up), "from_id", "a step up is from early help")
	sd := down()
	must(t, f.Save(sd))

	// Social care cannot close the case until the early help lead professional is named.
	wantInvalid(t, f.CloseEpisode(j.ep.ID, 1, d("2025-06-20"), "RC9"), "lead_professional.name", "name the early help lead professional")
	named := Clone(sd)
	named.LeadProfessional, named.Reason = Professional{Name: "Sam Lead", Agency: "School"}, "lead agreed at transfer meeting"
	must(t, f.Save(named))
	ep := j.f.byID[j.ep.ID].(*Episode)
	must(t, f.CloseEpisode(j.ep.ID, ep.Version, d("2025-06-20"), "RC9"))

	// The early help that took the child on is linked, and a step up from it is a step up.
	eh := &EarlyHelp{Start: d("2025-06-23"), ConsentDate: d("2025-06-09"), LeadProfessional: named.LeadProfessional}
	must(t, f.Save(eh))
	linked := Clone(named)
	linked.ToID, linked.Reason = eh.ID, "early help started"
	must(t, f.Save(linked))
	bad := Clone(linked)
	bad.ToID, bad.Reason = j.ep.ID, "wrong link"
	wantInvalid(t, f.Save(bad), "to_id", "must name the early help case")
	must(t, f.Save(&Transition{Direction: StepUp, Date: d("2025-09-01"), FromID: eh.ID, Criteria: []string{"needs_not_met_by_early_help"},
		DecisionMaker: "tm1", Rationale: "needs not met"}))
}

func TestDecideContactRoutesTheOutcome(t *testing.T) {
	f := NewFile(testNow, nil)
	must(t, f.Save(testChild()))
	c := &Contact{ReceivedAt: time.Date(2025, 11, 21, 16, 30, 0, 0, london), Source: "2A", Reason: "injury seen at school", Priority: PriorityRed}
	must(t, f.Save(c))
	decision := func(level int, service string) *ThresholdDecision {
		return &ThresholdDecision{Level: level, Service: service, DecisionMaker: "tm1", Rationale: "reasons",
			DecidedAt: time.Date(2025, 11, 24, 10, 0, 0, 0, london)}
	}
	_, err := f.DecideContact(c.ID, 1, decision(3, ServiceEarlyHelp), OutcomeStrategy, "N1")
	wantInvalid(t, err, "outcome", "needs social care to own the work")
	_, err = f.DecideContact(c.ID, 1, decision(3, ServiceEarlyHelp), OutcomeNFA, "")
	wantInvalid(t, err, "outcome", "level 3 needs a service")
	ep, err := f.DecideContact(c.ID, 1, decision(4, ServiceSocialCare), OutcomeStrategy, "N1")
	must(t, err)
	if ep == nil || ep.ReferralDate != d("2025-11-24") || ep.ContactID != c.ID || ep.Source != "2A" {
		t.Fatalf("episode opened: %+v", ep)
	}
	got, _ := f.Get(c.ID)
	if got.(*Contact).Outcome != OutcomeStrategy || len(All[*ThresholdDecision](f)) != 1 {
		t.Errorf("contact after the decision: %+v", got)
	}
}

func TestStepPolicyRules(t *testing.T) {
	p := DefaultStepPolicy
	if err := p.Set("consent_for_step_down", false); err != nil {
		t.Fatal(err)
	}
	if p.ConsentForStepDown || !p.NoProtectionToEarlyHelp || !p.LeadBeforeClosure {
		t.Errorf("after turning consent off: %+v", p)
	}
	on := 0
	for _, r := range p.Rules() {
		if r.On {
			on++
		}
	}
	if len(p.Rules()) != 3 || on != 2 {
		t.Errorf("rules: %+v", p.Rules())
	}
	// The names are the stored policy's keys.
	stored, _ := json.Marshal(p)
	for _, r := range p.Rules() {
		if !strings.Contains(string(stored), `"`+r.Name+`"`) {
			t.Errorf("rule %s is not a key of the stored policy %s", r.Name, stored)
		}
	}
	if err := p.Set("no_such_rule", true); err == nil || !strings.Contains(err.Error(), "no_such_rule") {
		t.Errorf("unknown rule: %v", err)
	}
}
