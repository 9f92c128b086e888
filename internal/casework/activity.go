package casework

import (
	"regexp"

	"github.com/continuum-cs/continuum/internal/civil"
)

// Activity types: meetings, plans and checks that statutory and local timescales ask for and that have no record
// of their own.
const (
	ActivityCoreGroup          = "core_group"
	ActivityCINReview          = "cin_review"
	ActivityCarePlan           = "care_plan"
	ActivityPlacementPlan      = "placement_plan"
	ActivityHealthAssessment   = "health_assessment"
	ActivitySDQ                = "sdq"
	ActivityPEP                = "pep"
	ActivityPathwayAssessment  = "pathway_assessment"
	ActivityPathwayPlanReview  = "pathway_plan_review"
	ActivityPrivateFostering   = "private_fostering_notification"
	ActivitySupervision        = "supervision"
	ActivityManagerOversight   = "manager_oversight"
	ActivityPrivateFosterVisit = "private_fostering_visit"
)

// ActivityTypes lists the activity types in the order forms offer them.
var ActivityTypes = []string{ActivityCoreGroup, ActivityCINReview, ActivityCarePlan, ActivityPlacementPlan,
	ActivityHealthAssessment, ActivitySDQ, ActivityPEP, ActivityPathwayAssessment, ActivityPathwayPlanReview,
	ActivityPrivateFostering, ActivityPrivateFosterVisit, ActivitySupervision, ActivityManagerOversight}

// Activity is a dated piece of work on the child's file: a core group meeting, a care plan, a health assessment,
// a personal education plan, a supervision discussion. It belongs to an episode when it is part of one.
type Activity struct {
	Meta      `json:"-"`
	EpisodeID string     `json:"episode_id,omitempty"`
	Type      string     `json:"type"`
	Date      civil.Date `json:"date"`
	// By names who did it: the chair of a meeting, the manager who gave oversight.
	By      string `json:"by,omitempty"`
	Summary string `json:"summary,omitempty"`
}

func (*Activity) Kind() Kind { return KindActivity }
func (a *Activity) Index() Index {
	return Index{ParentID: a.EpisodeID, Start: a.Date, Code: a.Type}
}

func (a *Activity) Validate(today civil.Date) error {
	var p problems
	oneOf(&p, "type", a.Type, ActivityTypes...)
	required(&p, "date", a.Date)
	notFuture(&p, "date", a.Date, today)
	optionalText(&p, "by", a.By, 200)
	optionalText(&p, "summary", a.Summary, 4000)
	return p.err()
}

// ruleCode is the shape of a timescale rule's code: R2, R10.2, F1.
var ruleCode = regexp.MustCompile(`^[A-Z][0-9]{1,2}(\.[0-9]{1,2})?$`)

// LateReason explains why something a timescale asked for was done late, or not done: the rule, the record that
// started its clock, and the reason in the practitioner's or manager's words.
type LateReason struct {
	Meta      `json:"-"`
	Rule      string `json:"rule"`
	SubjectID string `json:"subject_id"`
	Reason    string `json:"reason"`
}

func (*LateReason) Kind() Kind { return KindLateReason }
func (l *LateReason) Index() Index {
	return Index{RelatedID: l.SubjectID, Code: l.Rule}
}

func (l *LateReason) Validate(civil.Date) error {
	var p problems
	if !ruleCode.MatchString(l.Rule) {
		p.add("rule", "%q is not a rule code such as R2 or R10.2", l.Rule)
	}
	if l.SubjectID == "" {
		p.add("subject_id", "is required")
	}
	text(&p, "reason", l.Reason, 2000)
	return p.err()
}
