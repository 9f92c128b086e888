package casework

import (
	"github.com/continuum-cs/continuum/internal/civil"
)

// Episode is an episode of need: it opens with a referral to social care and ends with a closure. It is the CIN
// census's CINdetails. Everything social care records about the child hangs off an episode.
type Episode struct {
	Meta         `json:"-"`
	ContactID    string     `json:"contact_id,omitempty"`
	ReferralDate civil.Date `json:"referral_date"`
	// Source and PrimaryNeed use the CIN census codes.
	Source      string `json:"source"`
	PrimaryNeed string `json:"primary_need,omitempty"`
	// NFA marks a referral that led to no further action.
	NFA           bool       `json:"nfa,omitempty"`
	ClosureDate   civil.Date `json:"closure_date,omitzero"`
	ClosureReason string     `json:"closure_reason,omitempty"`
}

func (*Episode) Kind() Kind { return KindEpisode }
func (e *Episode) Index() Index {
	return Index{ParentID: e.ContactID, Start: e.ReferralDate, End: e.ClosureDate, Code: e.PrimaryNeed}
}

// Open reports whether the episode has not been closed.
func (e *Episode) Open() bool { return e.ClosureDate.IsZero() }

func (e *Episode) Validate(today civil.Date) error {
	var p problems
	required(&p, "referral_date", e.ReferralDate)
	notFuture(&p, "referral_date", e.ReferralDate, today)
	code(&p, "source", ListReferralSource, e.Source)
	if e.NFA {
		optionalCode(&p, "primary_need", ListPrimaryNeed, e.PrimaryNeed)
	} else {
		code(&p, "primary_need", ListPrimaryNeed, e.PrimaryNeed)
	}
	notFuture(&p, "closure_date", e.ClosureDate, today)
	ordered(&p, "referral_date", e.ReferralDate, "closure_date", e.ClosureDate)
	switch {
	case !e.ClosureDate.IsZero():
		code(&p, "closure_reason", ListClosureReason, e.ClosureReason)
	case e.ClosureReason != "":
		p.add("closure_date", "is required when a closure reason is given")
	}
	return p.err()
}

// Reopening records that a closed episode was opened again, when and why. It is the only record a closed episode
// accepts.
type Reopening struct {
	Meta      `json:"-"`
	EpisodeID string     `json:"episode_id"`
	Date      civil.Date `json:"date"`
	// PreviousClosureDate and PreviousClosureReason keep what the reopening undid.
	PreviousClosureDate   civil.Date `json:"previous_closure_date"`
	PreviousClosureReason string     `json:"previous_closure_reason"`
	Why                   string     `json:"why"`
}

func (*Reopening) Kind() Kind { return KindReopening }
func (r *Reopening) Index() Index {
	return Index{ParentID: r.EpisodeID, Start: r.Date}
}

func (r *Reopening) Validate(today civil.Date) error {
	var p problems
	required(&p, "date", r.Date)
	notFuture(&p, "date", r.Date, today)
	text(&p, "why", r.Why, 2000)
	return p.err()
}

// Assessment is a child and family assessment (section 17), due within 45 working days of the referral.
// Authorisation by a manager completes it; the factors identified are recorded at completion.
type Assessment struct {
	Meta         `json:"-"`
	EpisodeID    string     `json:"episode_id"`
	Start        civil.Date `json:"start"`
	Completed    civil.Date `json:"completed,omitzero"`
	Authorised   civil.Date `json:"authorised,omitzero"`
	AuthorisedBy string     `json:"authorised_by,omitempty"`
	ChildSeen    bool       `json:"child_seen,omitempty"`
	Factors      []string   `json:"factors,omitempty"`
	// NeedsServices is the assessment's conclusion: whether the child needs social care services.
	NeedsServices bool `json:"needs_services,omitempty"`
}

func (*Assessment) Kind() Kind { return KindAssessment }
func (a *Assessment) Index() Index {
	return Index{ParentID: a.EpisodeID, Start: a.Start, End: a.Authorised}
}

func (a *Assessment) Validate(today civil.Date) error {
	var p problems
	required(&p, "start", a.Start)
	notFuture(&p, "start", a.Start, today)
	notFuture(&p, "completed", a.Completed, today)
	notFuture(&p, "authorised", a.Authorised, today)
	ordered(&p, "start", a.Start, "completed", a.Completed)
	ordered(&p, "completed", a.Completed, "authorised", a.Authorised)
	if !a.Authorised.IsZero() {
		if a.Completed.IsZero() {
			p.add("completed", "is required before the assessment is authorised")
		}
		text(&p, "authorised_by", a.AuthorisedBy, 100)
		if len(a.Factors) == 0 {
			p.add("factors", "at least one factor identified is required when the assessment is authorised")
		}
	} else if len(a.Factors) > 0 && a.Completed.IsZero() {
		p.add("factors", "are recorded only when the assessment is completed")
	}
	seen := map[string]bool{}
	for i, f := range a.Factors {
		code(&p, fieldAt("factors", i), ListAssessmentFactor, f)
		if seen[f] {
			p.add(fieldAt("factors", i), "%q is listed twice", f)
		}
		seen[f] = true
	}
	return p.err()
}

// CINPlan is a child in need plan under section 17.
type CINPlan struct {
	Meta      `json:"-"`
	EpisodeID string     `json:"episode_id"`
	Start     civil.Date `json:"start"`
	End       civil.Date `json:"end,omitzero"`
}

func (*CINPlan) Kind() Kind     { return KindCINPlan }
func (c *CINPlan) Index() Index { return Index{ParentID: c.EpisodeID, Start: c.Start, End: c.End} }

func (c *CINPlan) Validate(today civil.Date) error { return span(c.Start, c.End, today) }

// span checks the common start-and-optional-end pair.
func span(start, end, today civil.Date) error {
	var p problems
	required(&p, "start", start)
	notFuture(&p, "start", start, today)
	notFuture(&p, "end", end, today)
	ordered(&p, "start", start, "end", end)
	return p.err()
}

// StrategyDiscussion is held when there is reasonable cause to suspect significant harm. The one that initiates a
// section 47 enquiry starts the 15-working-day clock to the initial conference.
type StrategyDiscussion struct {
	Meta      `json:"-"`
	EpisodeID string     `json:"episode_id"`
	Date      civil.Date `json:"date"`
	Attendees []string   `json:"attendees,omitempty"`
	Decision  string     `json:"decision,omitempty"`
}

func (*StrategyDiscussion) Kind() Kind { return KindStrategy }
func (s *StrategyDiscussion) Index() Index {
	return Index{ParentID: s.EpisodeID, Start: s.Date}
}

func (s *StrategyDiscussion) Validate(today civil.Date) error {
	var p problems
	required(&p, "date", s.Date)
	notFuture(&p, "date", s.Date, today)
	optionalText(&p, "decision", s.Decision, 4000)
	return p.err()
}

// Section47 is an enquiry under section 47: initiated at a strategy discussion, ending with an outcome that decides
// whether an initial child protection conference is needed.
type Section47 struct {
	Meta                 `json:"-"`
	EpisodeID            string     `json:"episode_id"`
	StrategyDiscussionID string     `json:"strategy_discussion_id"`
	Start                civil.Date `json:"start"`
	End                  civil.Date `json:"end,omitzero"`
	// ConferenceRequired is the outcome: true when an initial conference is to be held.
	ConferenceRequired bool `json:"conference_required,omitempty"`
}

func (*Section47) Kind() Kind { return KindSection47 }
func (s *Section47) Index() Index {
	return Index{ParentID: s.EpisodeID, RelatedID: s.StrategyDiscussionID, Start: s.Start, End: s.End}
}

func (s *Section47) Validate(today civil.Date) error {
	var p problems
	if s.StrategyDiscussionID == "" {
		p.add("strategy_discussion_id", "is required: a section 47 enquiry is initiated at a strategy discussion")
	}
	p.merge("", span(s.Start, s.End, today))
	if s.ConferenceRequired && s.End.IsZero() {
		p.add("end", "is required when the outcome is a conference")
	}
	return p.err()
}

// Conference types.
const (
	ConferenceInitial    = "initial"
	ConferenceReview     = "review"
	ConferenceTransferIn = "transfer_in"
)

// Conference is a child protection conference: initial (ICPC), review (RCPC) or transfer-in.
type Conference struct {
	Meta      `json:"-"`
	EpisodeID string     `json:"episode_id"`
	Type      string     `json:"type"`
	Date      civil.Date `json:"date"`
	// Section47ID links an initial conference to the enquiry it followed; empty when it followed none.
	Section47ID string `json:"section47_id,omitempty"`
	// PlanRequired is the decision of an initial or transfer-in conference; a review conference decides whether the
	// plan continues.
	PlanRequired bool   `json:"plan_required,omitempty"`
	Category     string `json:"category,omitempty"`
	Chair        string `json:"chair,omitempty"`
}

func (*Conference) Kind() Kind { return KindConference }
func (c *Conference) Index() Index {
	return Index{ParentID: c.EpisodeID, RelatedID: c.Section47ID, Start: c.Date, Code: c.Type}
}

func (c *Conference) Validate(today civil.Date) error {
	var p problems
	oneOf(&p, "type", c.Type, ConferenceInitial, ConferenceReview, ConferenceTransferIn)
	required(&p, "date", c.Date)
	notFuture(&p, "date", c.Date, today)
	if c.Type == ConferenceReview && c.Section47ID != "" {
		p.add("section47_id", "is only given for an initial conference")
	}
	if c.PlanRequired {
		code(&p, "category", ListAbuseCategory, c.Category)
	} else if c.Category != "" {
		p.add("category", "is only given when a plan is required")
	}
	optionalText(&p, "chair", c.Chair, 100)
	return p.err()
}

// CPPlan is a child protection plan. It starts at the conference that decided on it; its category can change at
// review conferences.
type CPPlan struct {
	Meta            `json:"-"`
	EpisodeID       string     `json:"episode_id"`
	ConferenceID    string     `json:"conference_id"`
	Start           civil.Date `json:"start"`
	InitialCategory string     `json:"initial_category"`
	LatestCategory  string     `json:"latest_category"`
	End             civil.Date `json:"end,omitzero"`
	// PriorPlans counts the child's plans before this one that are not on this file: those another system held,
	// as its return counted them, when the child's records came from it.
	PriorPlans int `json:"prior_plans,omitempty"`
}

func (*CPPlan) Kind() Kind { return KindCPPlan }
func (c *CPPlan) Index() Index {
	return Index{ParentID: c.EpisodeID, RelatedID: c.ConferenceID, Start: c.Start, End: c.End, Code: c.LatestCategory}
}

func (c *CPPlan) Validate(today civil.Date) error {
	var p problems
	if c.ConferenceID == "" {
		p.add("conference_id", "is required: a child protection plan starts at a conference")
	}
	p.merge("", span(c.Start, c.End, today))
	code(&p, "initial_category", ListAbuseCategory, c.InitialCategory)
	code(&p, "latest_category", ListAbuseCategory, c.LatestCategory)
	if c.PriorPlans < 0 {
		p.add("prior_plans", "must not be negative")
	}
	return p.err()
}

// Visit types: which statutory standard a visit counts towards.
var visitTypes = []string{"cp", "cla", "cin", "other"}

// Visit is a visit to the child. A statutory visit counts only if the child was seen, and seen alone where
// required.
type Visit struct {
	Meta        `json:"-"`
	EpisodeID   string     `json:"episode_id"`
	Date        civil.Date `json:"date"`
	Type        string     `json:"type"`
	ChildSeen   bool       `json:"child_seen,omitempty"`
	SeenAlone   bool       `json:"seen_alone,omitempty"`
	BedroomSeen bool       `json:"bedroom_seen,omitempty"`
	Unannounced bool       `json:"unannounced,omitempty"`
}

func (*Visit) Kind() Kind { return KindVisit }
func (v *Visit) Index() Index {
	return Index{ParentID: v.EpisodeID, Start: v.Date, Code: v.Type}
}

func (v *Visit) Validate(today civil.Date) error {
	var p problems
	required(&p, "date", v.Date)
	notFuture(&p, "date", v.Date, today)
	oneOf(&p, "type", v.Type, visitTypes...)
	if v.SeenAlone && !v.ChildSeen {
		p.add("seen_alone", "cannot be true when the child was not seen")
	}
	return p.err()
}
