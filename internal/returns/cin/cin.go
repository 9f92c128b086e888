// Package cin produces the Children in Need census from children's files: which children and episodes are in
// scope for a collection year, and the XML in the element order of the DfE schema (shared/spec/cin).
package cin

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/workday"
)

// The census's elements, in the schema's order. Optional dates are pointers so that an absent one is left out.

type Child struct {
	XMLName         struct{}        `xml:"Child"`
	Identifiers     Identifiers     `xml:"ChildIdentifiers"`
	Characteristics Characteristics `xml:"ChildCharacteristics"`
	Episodes        []Episode       `xml:"CINdetails"`
}

type Identifiers struct {
	LAChildID         string      `xml:"LAchildID"`
	UPN               string      `xml:"UPN,omitempty"`
	FormerUPN         string      `xml:"FormerUPN,omitempty"`
	UPNUnknown        string      `xml:"UPNunknown,omitempty"`
	BirthDate         *civil.Date `xml:"PersonBirthDate"`
	ExpectedBirthDate *civil.Date `xml:"ExpectedPersonBirthDate"`
	Sex               string      `xml:"Sex"`
	DeathDate         *civil.Date `xml:"PersonDeathDate"`
}

type Characteristics struct {
	Ethnicity    string   `xml:"Ethnicity"`
	Disabilities []string `xml:"Disabilities>Disability"`
}

type Episode struct {
	ReferralDate  civil.Date       `xml:"CINreferralDate"`
	Source        string           `xml:"ReferralSource"`
	PrimaryNeed   string           `xml:"PrimaryNeedCode,omitempty"`
	ClosureDate   *civil.Date      `xml:"CINclosureDate"`
	ClosureReason string           `xml:"ReasonForClosure,omitempty"`
	InitialCPC    *civil.Date      `xml:"DateOfInitialCPC"`
	Assessments   []Assessment     `xml:"Assessments"`
	CINPlans      []CINPlan        `xml:"CINPlanDates"`
	Section47s    []Section47      `xml:"Section47"`
	NFA           answer           `xml:"ReferralNFA"`
	Plans         []ProtectionPlan `xml:"ChildProtectionPlans"`
}

type Assessment struct {
	Start      civil.Date  `xml:"AssessmentActualStartDate"`
	Authorised *civil.Date `xml:"AssessmentAuthorisationDate"`
	Factors    *Codes      `xml:"FactorsIdentifiedAtAssessment"`
}

type CINPlan struct {
	Start civil.Date  `xml:"CINPlanStartDate"`
	End   *civil.Date `xml:"CINPlanEndDate"`
}

type Section47 struct {
	Start         civil.Date  `xml:"S47ActualStartDate"`
	Target        *civil.Date `xml:"InitialCPCtarget"`
	InitialCPC    *civil.Date `xml:"DateOfInitialCPC"`
	ICPCNotNeeded flag        `xml:"ICPCnotRequired"`
}

type ProtectionPlan struct {
	Start           civil.Date  `xml:"CPPstartDate"`
	End             *civil.Date `xml:"CPPendDate"`
	InitialCategory string      `xml:"InitialCategoryOfAbuse"`
	LatestCategory  string      `xml:"LatestCategoryOfAbuse"`
	PreviousPlans   int         `xml:"NumberOfPreviousCPP"`
	Reviews         *Reviews    `xml:"Reviews"`
}

// Codes and Reviews are lists whose wrapper the schema forbids empty: a nil one is left out altogether.
type Codes struct {
	Codes []string `xml:"AssessmentFactors"`
}

type Reviews struct {
	Dates []civil.Date `xml:"CPPreviewDate"`
}

// UnmarshalXML reads the review dates, an empty one as the zero date, so a census from elsewhere with a review
// missing its date reaches rule 8842Q rather than stopping the read.
func (r *Reviews) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var raw struct {
		Dates []string `xml:"CPPreviewDate"`
	}
	if err := d.DecodeElement(&raw, &start); err != nil {
		return err
	}
	for _, s := range raw.Dates {
		var day civil.Date
		if s = strings.TrimSpace(s); s != "" {
			if err := day.UnmarshalText([]byte(s)); err != nil {
				return fmt.Errorf("CPPreviewDate: %w", err)
			}
		}
		r.Dates = append(r.Dates, day)
	}
	return nil
}

// flag is a yes/no element, written 1 or 0.
type flag bool

// answer is the referral's no-further-action element as written: 1 or 0, or true or false as the DfE's loader
// also accepts. It is kept as text, so a census from elsewhere with it missing or malformed reaches rule 8568
// rather than stopping the read.
type answer string

func answerOf(b bool) answer {
	if b {
		return "1"
	}
	return "0"
}

func (a answer) yes() bool   { return a == "1" || a == "true" }
func (a answer) valid() bool { return a.yes() || a == "0" || a == "false" }

func (f flag) MarshalText() ([]byte, error) {
	if f {
		return []byte("1"), nil
	}
	return []byte("0"), nil
}

// icpcWorkingDays is the statutory window from the strategy discussion to the initial conference (R5).
const icpcWorkingDays = 15

// ChildOf is the census's view of a child's file for the year, and false when the child is not in scope: a
// child is in scope with an episode of need referred in the year or open at any point in it. What happened after
// the year is left out, so an episode, plan or assessment that ended after 31 March is reported as still open.
func ChildOf(f *casework.File, y returns.Year, cal *workday.Calendar) (*Child, bool) {
	p := f.Person()
	if p == nil || p.Role != casework.RoleChild {
		return nil, false
	}
	c := &Child{
		Identifiers: Identifiers{LAChildID: p.LAChildID, UPN: p.UPN, FormerUPN: p.FormerUPN, UPNUnknown: p.UPNUnknown,
			BirthDate: upTo(p.BirthDate, y), Sex: p.Sex, DeathDate: upTo(p.DeathDate, y)},
		Characteristics: Characteristics{Ethnicity: p.Ethnicity, Disabilities: p.Disabilities},
	}
	// A child born after the year was unborn at its end: their birth date is the nearest to an expected one.
	if expected := p.ExpectedBirthDate; p.BirthDate.IsZero() || p.BirthDate.After(y.End) {
		if expected.IsZero() {
			expected = p.BirthDate
		}
		if !expected.IsZero() {
			c.Identifiers.ExpectedBirthDate, c.Identifiers.Sex = &expected, "U"
		}
	}
	if c.Identifiers.Sex == "" {
		c.Identifiers.Sex = "U"
	}
	if c.Characteristics.Ethnicity == "" {
		c.Characteristics.Ethnicity = "NOBT"
	}
	if len(c.Characteristics.Disabilities) == 0 {
		c.Characteristics.Disabilities = []string{"NONE"}
	}
	episodes := casework.All[*casework.Episode](f)
	slices.SortFunc(episodes, func(a, b *casework.Episode) int { return a.ReferralDate.Compare(b.ReferralDate) })
	plans := casework.All[*casework.CPPlan](f)
	slices.SortFunc(plans, func(a, b *casework.CPPlan) int { return a.Start.Compare(b.Start) })
	for _, ep := range episodes {
		if y.Touches(ep.ReferralDate, ep.ClosureDate) {
			c.Episodes = append(c.Episodes, episodeOf(f, ep, plans, y, cal))
		}
	}
	return c, len(c.Episodes) > 0
}

func episodeOf(f *casework.File, ep *casework.Episode, plans []*casework.CPPlan, y returns.Year, cal *workday.Calendar) Episode {
	out := Episode{ReferralDate: ep.ReferralDate, Source: ep.Source, PrimaryNeed: ep.PrimaryNeed, NFA: answerOf(ep.NFA)}
	if y.Contains(ep.ClosureDate) {
		out.ClosureDate, out.ClosureReason = upTo(ep.ClosureDate, y), ep.ClosureReason
	}
	in := func(id string) bool { return id == ep.ID }
	for _, a := range casework.All[*casework.Assessment](f) {
		done := a.Authorised
		if done.IsZero() {
			done = a.Completed
		}
		if !in(a.EpisodeID) || !y.Touches(a.Start, done) {
			continue
		}
		as := Assessment{Start: a.Start, Authorised: upTo(done, y)}
		if as.Authorised != nil && len(a.Factors) > 0 {
			as.Factors = &Codes{a.Factors}
		}
		out.Assessments = append(out.Assessments, as)
	}
	for _, p := range casework.All[*casework.CINPlan](f) {
		if in(p.EpisodeID) && y.Touches(p.Start, p.End) {
			out.CINPlans = append(out.CINPlans, CINPlan{Start: p.Start, End: upTo(p.End, y)})
		}
	}
	initial := map[string]civil.Date{} // section 47 → its initial conference
	var looseICPC civil.Date
	for _, c := range casework.All[*casework.Conference](f) {
		if !in(c.EpisodeID) || c.Type != casework.ConferenceInitial {
			continue
		}
		if c.Section47ID != "" {
			initial[c.Section47ID] = c.Date
		} else if y.Contains(c.Date) {
			looseICPC = c.Date
		}
	}
	out.InitialCPC = upTo(looseICPC, y)
	for _, s := range casework.All[*casework.Section47](f) {
		if !in(s.EpisodeID) {
			continue
		}
		icpc := initial[s.ID]
		// An enquiry is under way until its conference, or until it ends without one.
		until := icpc
		if until.IsZero() {
			until = s.End
		}
		if !y.Touches(s.Start, until) {
			continue
		}
		s47 := Section47{Start: s.Start, InitialCPC: upTo(icpc, y),
			ICPCNotNeeded: flag(!s.End.IsZero() && !s.End.After(y.End) && !s.ConferenceRequired && icpc.IsZero())}
		if sd, ok := f.Get(s.StrategyDiscussionID); ok {
			if target, err := cal.Add(sd.(*casework.StrategyDiscussion).Date, icpcWorkingDays); err == nil {
				s47.Target = &target
			}
		}
		out.Section47s = append(out.Section47s, s47)
	}
	for i, p := range plans {
		if !in(p.EpisodeID) || !y.Touches(p.Start, p.End) {
			continue
		}
		plan := ProtectionPlan{Start: p.Start, End: upTo(p.End, y), InitialCategory: p.InitialCategory,
			LatestCategory: p.LatestCategory, PreviousPlans: i + p.PriorPlans}
		var reviews []civil.Date
		for _, c := range casework.All[*casework.Conference](f) {
			if c.Type == casework.ConferenceReview && in(c.EpisodeID) && c.Date.After(p.Start) && y.Contains(c.Date) &&
				(p.End.IsZero() || !c.Date.After(p.End)) {
				reviews = append(reviews, c.Date)
			}
		}
		if len(reviews) > 0 {
			slices.SortFunc(reviews, civil.Date.Compare)
			plan.Reviews = &Reviews{reviews}
		}
		out.Plans = append(out.Plans, plan)
	}
	return out
}

// upTo is d when it falls on or before the end of the year y, or nothing: the census does not know the future.
func upTo(d civil.Date, y returns.Year) *civil.Date {
	if d.IsZero() || d.After(y.End) {
		return nil
	}
	return &d
}
