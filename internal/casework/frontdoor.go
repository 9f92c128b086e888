package casework

import (
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
)

// Contact outcomes: what the front door decided to do with a contact.
const (
	OutcomeNFA        = "nfa"
	OutcomeAdvice     = "advice"
	OutcomeEarlyHelp  = "early_help"
	OutcomeAssessment = "assessment"
	OutcomeStrategy   = "strategy_discussion"
)

// Contact is anything the front door receives about a child: a call, an email, a referral form. Most contacts do
// not become referrals.
type Contact struct {
	Meta       `json:"-"`
	ReceivedAt time.Time `json:"received_at"`
	// Source uses the CIN census referral source codes (1A family member … 10 unknown).
	Source  string `json:"source"`
	Reason  string `json:"reason"`
	Outcome string `json:"outcome,omitempty"`
	// Priority is the rating given at screening (red, amber or green), which sets how soon the front door must
	// decide. It may be re-rated as information arrives.
	Priority string `json:"priority,omitempty"`
}

// Front-door priority ratings.
const (
	PriorityRed   = "red"
	PriorityAmber = "amber"
	PriorityGreen = "green"
)

func (*Contact) Kind() Kind { return KindContact }
func (c *Contact) Index() Index {
	return Index{Start: civil.Of(c.ReceivedAt.In(london)), Code: c.Source}
}

func (c *Contact) Validate(today civil.Date) error {
	var p problems
	if c.ReceivedAt.IsZero() {
		p.add("received_at", "is required")
	}
	notFuture(&p, "received_at", civil.Of(c.ReceivedAt.In(london)), today)
	code(&p, "source", ListReferralSource, c.Source)
	text(&p, "reason", c.Reason, 2000)
	if c.Outcome != "" {
		oneOf(&p, "outcome", c.Outcome, OutcomeNFA, OutcomeAdvice, OutcomeEarlyHelp, OutcomeAssessment, OutcomeStrategy)
	}
	if c.Priority != "" {
		oneOf(&p, "priority", c.Priority, PriorityRed, PriorityAmber, PriorityGreen)
	}
	return p.err()
}

// Owning services: the level of need and the service that owns the work are recorded separately, because level 3
// straddles early help and social care.
const (
	ServiceEarlyHelp  = "early_help"
	ServiceSocialCare = "social_care"
)

// ThresholdDecision is the recorded decision on a contact: the level of need on the continuum (1 universal to 4
// specialist), which service owns the work, who decided, why, and when.
type ThresholdDecision struct {
	Meta          `json:"-"`
	ContactID     string    `json:"contact_id"`
	Level         int       `json:"level"`
	Service       string    `json:"service,omitempty"`
	DecisionMaker string    `json:"decision_maker"`
	Rationale     string    `json:"rationale"`
	DecidedAt     time.Time `json:"decided_at"`
}

func (*ThresholdDecision) Kind() Kind { return KindThreshold }
func (d *ThresholdDecision) Index() Index {
	return Index{ParentID: d.ContactID, Start: civil.Of(d.DecidedAt.In(london)), Code: d.Service}
}

func (d *ThresholdDecision) Validate(today civil.Date) error {
	var p problems
	if d.ContactID == "" {
		p.add("contact_id", "is required")
	}
	if d.Level < 1 || d.Level > 4 {
		p.add("level", "must be 1 to 4, not %d", d.Level)
	}
	if d.Level >= 3 {
		oneOf(&p, "service", d.Service, ServiceEarlyHelp, ServiceSocialCare)
	} else if d.Service == ServiceSocialCare {
		p.add("service", "level %d needs are not owned by social care", d.Level)
	}
	if d.Level == 4 && d.Service != ServiceSocialCare {
		p.add("service", "level 4 needs are owned by social care")
	}
	text(&p, "decision_maker", d.DecisionMaker, 100)
	text(&p, "rationale", d.Rationale, 4000)
	if d.DecidedAt.IsZero() {
		p.add("decided_at", "is required")
	}
	notFuture(&p, "decided_at", civil.Of(d.DecidedAt.In(london)), today)
	return p.err()
}

// Professional is someone from any agency named on a case: a lead professional or a member of the team around the
// family.
type Professional struct {
	Name   string `json:"name"`
	Agency string `json:"agency"`
	Role   string `json:"role,omitempty"`
}

// Early help outcomes.
var earlyHelpOutcomes = []string{"needs_met", "step_up", "family_declined", "moved_away", "universal_services", "other"}

// EarlyHelp is an early help episode: consent-based support coordinated by a lead professional with a team around
// the family (TAF), starting from an early help assessment (EHA).
type EarlyHelp struct {
	Meta  `json:"-"`
	Start civil.Date `json:"start"`
	// ConsentDate is when the family consented to early help and to sharing information; early help needs it.
	ConsentDate      civil.Date     `json:"consent_date,omitzero"`
	EHAStart         civil.Date     `json:"eha_start,omitzero"`
	EHACompleted     civil.Date     `json:"eha_completed,omitzero"`
	LeadProfessional Professional   `json:"lead_professional"`
	TeamAroundFamily []Professional `json:"team_around_family,omitempty"`
	End              civil.Date     `json:"end,omitzero"`
	Outcome          string         `json:"outcome,omitempty"`
}

func (*EarlyHelp) Kind() Kind { return KindEarlyHelp }
func (e *EarlyHelp) Index() Index {
	return Index{Start: e.Start, End: e.End, Code: e.Outcome}
}

func (e *EarlyHelp) Validate(today civil.Date) error {
	var p problems
	required(&p, "start", e.Start)
	notFuture(&p, "start", e.Start, today)
	notFuture(&p, "eha_completed", e.EHACompleted, today)
	notFuture(&p, "end", e.End, today)
	ordered(&p, "start", e.Start, "end", e.End)
	ordered(&p, "eha_start", e.EHAStart, "eha_completed", e.EHACompleted)
	if !e.EHACompleted.IsZero() && e.EHAStart.IsZero() {
		p.add("eha_start", "is required when the assessment is completed")
	}
	if e.LeadProfessional.Name != "" || e.LeadProfessional.Agency != "" {
		text(&p, "lead_professional.name", e.LeadProfessional.Name, 100)
		text(&p, "lead_professional.agency", e.LeadProfessional.Agency, 100)
	}
	for i, m := range e.TeamAroundFamily {
		text(&p, fieldAt("team_around_family", i)+".name", m.Name, 100)
		text(&p, fieldAt("team_around_family", i)+".agency", m.Agency, 100)
	}
	switch {
	case !e.End.IsZero() && e.Outcome == "":
		p.add("outcome", "is required when the episode ends")
	case e.End.IsZero() && e.Outcome != "":
		p.add("end", "is required when an outcome is given")
	case e.Outcome != "":
		oneOf(&p, "outcome", e.Outcome, earlyHelpOutcomes...)
	}
	return p.err()
}

// Allocation assigns a case (an episode of need or of early help) to a worker and team from Start to End.
// Reallocation ends one allocation and starts another, so the history of who held the case is kept.
type Allocation struct {
	Meta     `json:"-"`
	CaseID   string     `json:"case_id"`
	WorkerID string     `json:"worker_id,omitempty"`
	TeamID   string     `json:"team_id"`
	Start    civil.Date `json:"start"`
	End      civil.Date `json:"end,omitzero"`
	// WorkerChange says why the child has this worker now (SSDA903 SW_REASON: first contact, the last worker
	// left, …).
	WorkerChange string `json:"worker_change,omitempty"`
}

func (*Allocation) Kind() Kind { return KindAllocation }
func (a *Allocation) Index() Index {
	return Index{ParentID: a.CaseID, RelatedID: a.WorkerID, Start: a.Start, End: a.End, Code: a.TeamID}
}

func (a *Allocation) Validate(today civil.Date) error {
	var p problems
	if a.CaseID == "" {
		p.add("case_id", "is required")
	}
	if a.TeamID == "" {
		p.add("team_id", "is required")
	}
	required(&p, "start", a.Start)
	notFuture(&p, "start", a.Start, today)
	notFuture(&p, "end", a.End, today)
	ordered(&p, "start", a.Start, "end", a.End)
	optionalCode(&p, "worker_change", ListWorkerChange, a.WorkerChange)
	return p.err()
}
