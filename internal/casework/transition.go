package casework

import (
	"slices"

	"github.com/continuum-cs/continuum/internal/civil"
)

// Directions of a move between early help and social care.
const (
	StepUp   = "step_up"   // early help to children's social care
	StepDown = "step_down" // children's social care to early help
)

// Criteria a step up or down may rest on; a decision names at least one.
var (
	StepUpCriteria = []string{"needs_not_met_by_early_help", "significant_harm_concern", "risk_escalating",
		"family_not_engaging", "new_information"}
	StepDownCriteria = []string{"plan_outcomes_met", "needs_now_level_3", "cin_review_decision",
		"assessment_no_statutory_need", "family_requests_early_help"}
)

// Transition is the recorded decision to move a child between early help and social care: which way, from which
// case, on what criteria, who decided and why, with the family's consent where early help needs it and the early
// help lead professional named for a step down. ToID links the case that took the child on, once it exists, so the
// wait between services can be measured.
type Transition struct {
	Meta          `json:"-"`
	Direction     string     `json:"direction"`
	Date          civil.Date `json:"date"`
	FromID        string     `json:"from_id"`
	ToID          string     `json:"to_id,omitempty"`
	Criteria      []string   `json:"criteria"`
	DecisionMaker string     `json:"decision_maker"`
	Rationale     string     `json:"rationale"`
	// ConsentDate is when the family agreed to early help; a step down needs it.
	ConsentDate      civil.Date   `json:"consent_date,omitzero"`
	LeadProfessional Professional `json:"lead_professional"`
}

func (*Transition) Kind() Kind { return KindTransition }
func (t *Transition) Index() Index {
	return Index{ParentID: t.FromID, RelatedID: t.ToID, Start: t.Date, Code: t.Direction}
}

func (t *Transition) Validate(today civil.Date) error {
	var p problems
	oneOf(&p, "direction", t.Direction, StepUp, StepDown)
	required(&p, "date", t.Date)
	notFuture(&p, "date", t.Date, today)
	if t.FromID == "" {
		p.add("from_id", "is required: the case the child is moving from")
	}
	allowed := StepUpCriteria
	if t.Direction == StepDown {
		allowed = StepDownCriteria
	}
	if len(t.Criteria) == 0 {
		p.add("criteria", "name at least one criterion the decision rests on")
	}
	for i, c := range t.Criteria {
		if !slices.Contains(allowed, c) {
			p.add(fieldAt("criteria", i), "%q is not a %s criterion: one of %v", c, t.Direction, allowed)
		}
	}
	text(&p, "decision_maker", t.DecisionMaker, 100)
	text(&p, "rationale", t.Rationale, 4000)
	notFuture(&p, "consent_date", t.ConsentDate, today)
	optionalText(&p, "lead_professional.name", t.LeadProfessional.Name, 200)
	return p.err()
}

// StepPolicy is a council's rules for moving children between early help and social care. Every rule is on by
// default; a council may turn one off where its threshold document says otherwise.
type StepPolicy struct {
	// NoProtectionToEarlyHelp: a child on a child protection plan cannot step straight down to early help; the
	// plan ends to child in need first.
	NoProtectionToEarlyHelp bool `json:"no_protection_to_early_help"`
	// ConsentForStepDown: a step down records the family's consent, because early help is consent-based.
	ConsentForStepDown bool `json:"consent_for_step_down"`
	// LeadBeforeClosure: social care cannot close a case it stepped down until the early help lead professional
	// is named.
	LeadBeforeClosure bool `json:"lead_before_closure"`
}

// DefaultStepPolicy is every rule on.
var DefaultStepPolicy = StepPolicy{NoProtectionToEarlyHelp: true, ConsentForStepDown: true, LeadBeforeClosure: true}

// StepRule is one rule of a step policy: its name as stored, what it asks, and whether it is on.
type StepRule struct {
	Name, Description string
	On                bool
}

// stepRules names each rule of the policy, in the order pages and commands list them.
var stepRules = []struct {
	name, description string
	field             func(*StepPolicy) *bool
}{
	{"no_protection_to_early_help", "A child on a child protection plan cannot step straight down to early help",
		func(p *StepPolicy) *bool { return &p.NoProtectionToEarlyHelp }},
	{"consent_for_step_down", "A step down records the family's consent to early help",
		func(p *StepPolicy) *bool { return &p.ConsentForStepDown }},
	{"lead_before_closure", "Social care cannot close a stepped-down case until the lead professional is named",
		func(p *StepPolicy) *bool { return &p.LeadBeforeClosure }},
}

// Rules lists the policy's rules and whether each is on.
func (p StepPolicy) Rules() []StepRule {
	out := make([]StepRule, len(stepRules))
	for i, r := range stepRules {
		out[i] = StepRule{Name: r.name, Description: r.description, On: *r.field(&p)}
	}
	return out
}

// Set turns the named rule on or off; an unknown name is invalid.
func (p *StepPolicy) Set(name string, on bool) error {
	for _, r := range stepRules {
		if r.name == name {
			*r.field(p) = on
			return nil
		}
	}
	return Invalid("rule", "no step policy rule is called %q", name)
}

// SetStepPolicy sets the council's step-up and step-down policy the file's changes are checked against.
func (f *File) SetStepPolicy(p StepPolicy) { f.policy = p }

// checkTransitions: a step up leaves an early help episode and a step down an episode of need, on a day the case
// was open; ToID names a case of the other service; and the council's step policy holds.
func (f *File) checkTransitions(p *problems) {
	for _, t := range All[*Transition](f) {
		var from civil.Date
		var until civil.Date
		switch c := f.byID[t.FromID].(type) {
		case *EarlyHelp:
			if t.Direction != StepUp {
				p.add("from_id", "a step down is from a social care episode, not from early help")
				continue
			}
			from, until = c.Start, c.End
		case *Episode:
			if t.Direction != StepDown {
				p.add("from_id", "a step up is from early help, not from a social care episode")
				continue
			}
			from, until = c.ReferralDate, c.ClosureDate
		default:
			p.add("from_id", "no such early help or social care case on this child's file")
			continue
		}
		if t.Date.Before(from) || (!until.IsZero() && t.Date.After(until)) {
			p.add("date", "%s is not while the case it moves from was open", t.Date)
		}
		if t.ToID != "" {
			_, toEpisode := f.byID[t.ToID].(*Episode)
			_, toEarlyHelp := f.byID[t.ToID].(*EarlyHelp)
			if (t.Direction == StepUp && !toEpisode) || (t.Direction == StepDown && !toEarlyHelp) {
				p.add("to_id", "must name the %s case that took the child on", map[string]string{StepUp: "social care", StepDown: "early help"}[t.Direction])
			}
		}
		if t.Direction != StepDown {
			continue
		}
		if f.policy.NoProtectionToEarlyHelp {
			for _, plan := range All[*CPPlan](f) {
				if plan.EpisodeID == t.FromID && !plan.Start.After(t.Date) && (plan.End.IsZero() || plan.End.After(t.Date)) {
					p.add("direction", "local policy: a child on a child protection plan cannot step straight down to early "+
						"help; end the plan to child in need first")
				}
			}
		}
		if f.policy.ConsentForStepDown && t.ConsentDate.IsZero() {
			p.add("consent_date", "local policy: early help needs the family's consent; record when they gave it")
		}
		if f.policy.LeadBeforeClosure && t.LeadProfessional.Name == "" {
			if ep := f.byID[t.FromID].(*Episode); !ep.Open() {
				p.add("lead_professional.name", "local policy: name the early help lead professional before social care "+
					"closes the case it stepped down")
			}
		}
	}
}
