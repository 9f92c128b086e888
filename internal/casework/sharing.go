package casework

import (
	"github.com/continuum-cs/continuum/internal/civil"
)

// Sharing records that the council shares what it knows about a child with one partner agency's team (a health
// visiting team, a school's safeguarding leads, the police's child protection unit), on what basis and how much.
// Partner agency practitioners see a child only while a sharing naming their team is in force, and then only
// what its scope allows: never the case notes, the chronology, the family or the history.
type Sharing struct {
	Meta `json:"-"`
	// TeamID is the partner agency's team the council shares with.
	TeamID string `json:"team_id"`
	// Basis is consent, or a decision to share without it because asking would put the child at risk or the
	// child needs protecting (a code of ListSharingBasis).
	Basis string `json:"basis"`
	// ConsentBy is who consented, for sharing with consent (a code of ListConsentBy).
	ConsentBy string `json:"consent_by,omitempty"`
	// Scope is how much the partner sees (a code of ListSharingScope).
	Scope string `json:"scope"`
	// Justification says why the council shares without consent; it is required then. (Not Reason, which is
	// why a version of any record was recorded.)
	Justification string     `json:"justification,omitempty"`
	Start         civil.Date `json:"start"`
	// End is the day sharing stopped: consent withdrawn, or no longer needed. An ended sharing stays on the
	// file's history.
	End civil.Date `json:"end,omitzero"`
}

// Code lists of sharing, local rather than statutory.
const (
	ListSharingBasis CodeList = "sharing_basis"
	ListConsentBy    CodeList = "consent_by"
	ListSharingScope CodeList = "sharing_scope"
)

// Bases and scopes of sharing.
const (
	BasisConsent      = "consent"
	BasisSafeguarding = "safeguarding"
	// ScopeInvolvement shares that the council is involved, how, since when and who to contact.
	ScopeInvolvement = "involvement"
	// ScopePlan adds the child's plan and when it is next reviewed, for agencies that work to it.
	ScopePlan = "plan"
)

func init() {
	addCode(ListSharingBasis, BasisConsent, "With consent")
	addCode(ListSharingBasis, BasisSafeguarding, "Without consent, to protect the child")
	addCode(ListConsentBy, "parent", "A parent or carer with parental responsibility")
	addCode(ListConsentBy, "child", "The child, who understands what they agree to")
	addCode(ListConsentBy, "both", "Both the child and a parent or carer")
	addCode(ListSharingScope, ScopeInvolvement, "Our involvement and who to contact")
	addCode(ListSharingScope, ScopePlan, "Our involvement, the plan and when it is next reviewed")
}

func (*Sharing) Kind() Kind { return KindSharing }
func (s *Sharing) Index() Index {
	return Index{RelatedID: s.TeamID, Start: s.Start, End: s.End, Code: s.Basis}
}

func (s *Sharing) Validate(today civil.Date) error {
	var p problems
	if s.TeamID == "" {
		p.add("team_id", "choose the partner agency's team to share with")
	}
	code(&p, "basis", ListSharingBasis, s.Basis)
	switch s.Basis {
	case BasisConsent:
		code(&p, "consent_by", ListConsentBy, s.ConsentBy)
		optionalText(&p, "justification", s.Justification, 2000)
	case BasisSafeguarding:
		if s.ConsentBy != "" {
			p.add("consent_by", "leave blank when sharing without consent")
		}
		text(&p, "justification", s.Justification, 2000)
	}
	code(&p, "scope", ListSharingScope, s.Scope)
	required(&p, "start", s.Start)
	notFuture(&p, "start", s.Start, today)
	notFuture(&p, "end", s.End, today)
	ordered(&p, "start", s.Start, "end", s.End)
	return p.err()
}

// InForce reports whether the council still shares on this record.
func (s *Sharing) InForce() bool { return s.End.IsZero() && !s.Retracted }

// SharedView is all a partner agency's team sees of a child shared with it. It is built from the file here, so
// what a partner may see is decided in one place and a page cannot show more by mistake.
type SharedView struct {
	FileID    string
	Name      Name
	BirthDate civil.Date
	// Involvement is the council's current involvement in words, and Since when it began; "" when none is open.
	Involvement string
	Since       civil.Date
	// WorkerID and TeamID hold the open case: who the partner should contact.
	WorkerID, TeamID string
	// Plan, PlanStart and the plan's next review are shown only when the sharing's scope is the plan.
	Plan      string
	PlanStart civil.Date
	Sharing   *Sharing
}

// SharedWith returns what teamID may see of the child's file, and false when nothing on the file is shared with
// that team.
func SharedWith(f *File, teamID string) (SharedView, bool) {
	var v SharedView
	p := f.Person()
	if p == nil || p.Role != RoleChild || teamID == "" {
		return v, false
	}
	for _, s := range All[*Sharing](f) {
		if s.InForce() && s.TeamID == teamID && (v.Sharing == nil || s.Scope == ScopePlan) {
			v.Sharing = s
		}
	}
	if v.Sharing == nil {
		return v, false
	}
	v.FileID, v.Name, v.BirthDate = p.ID, p.Name, p.BirthDate
	involvement, since, plan, planStart := involvementOf(f)
	v.Involvement, v.Since = involvement, since
	if v.Sharing.Scope == ScopePlan {
		v.Plan, v.PlanStart = plan, planStart
	}
	v.WorkerID, v.TeamID = f.Holder()
	return v, true
}

// involvementOf names the council's most intensive open involvement with the child, when it began, and the plan
// that goes with it.
func involvementOf(f *File) (involvement string, since civil.Date, plan string, planStart civil.Date) {
	openNow := func(r Record) bool { return r.Index().End.IsZero() }
	for _, l := range All[*LegalStatus](f) {
		if openNow(l) {
			return "Looked after by the council", l.Start, "Care plan", l.Start
		}
	}
	for _, p := range All[*CPPlan](f) {
		if openNow(p) {
			return "Child protection", p.Start, "Child protection plan", p.Start
		}
	}
	if ep, ok := f.OpenEpisode(); ok {
		for _, p := range All[*CINPlan](f) {
			if openNow(p) {
				return "Child in need", ep.ReferralDate, "Child in need plan", p.Start
			}
		}
		return "Children's social care assessment or support", ep.ReferralDate, "", civil.Date{}
	}
	for _, eh := range All[*EarlyHelp](f) {
		if openNow(eh) {
			return "Early help", eh.Start, "Early help plan", eh.Start
		}
	}
	return "", civil.Date{}, "", civil.Date{}
}
