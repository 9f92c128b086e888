package casework

import (
	"regexp"

	"github.com/continuum-cs/continuum/internal/civil"
)

// LegalStatus is one span of a looked-after legal status (SSDA903 LS: C1 interim care order, V2 section 20, …).
// Legal statuses and placements are kept as two separate histories; the SSDA903 episodes are derived by splitting
// at every change of either. Consecutive statuses in one period of care chain on the same day: one ends on the date
// the next starts.
type LegalStatus struct {
	Meta      `json:"-"`
	EpisodeID string     `json:"episode_id"`
	Code      string     `json:"code"`
	Start     civil.Date `json:"start"`
	End       civil.Date `json:"end,omitzero"`
	// CeasedReason (SSDA903 REC) is given when this status ends the period of care; a change of status within
	// the period has none.
	CeasedReason string `json:"ceased_reason,omitempty"`
}

func (*LegalStatus) Kind() Kind { return KindLegalStatus }
func (l *LegalStatus) Index() Index {
	return Index{ParentID: l.EpisodeID, Start: l.Start, End: l.End, Code: l.Code}
}

func (l *LegalStatus) Validate(today civil.Date) error {
	var p problems
	code(&p, "code", ListLegalStatus, l.Code)
	p.merge("", span(l.Start, l.End, today))
	if l.CeasedReason != "" {
		code(&p, "ceased_reason", ListEpisodeCeased, l.CeasedReason)
		if l.CeasedReason == "X1" {
			p.add("ceased_reason", "X1 is derived for the SSDA903, not recorded")
		}
		if l.End.IsZero() {
			p.add("end", "is required when a reason care ceased is given")
		}
	}
	return p.err()
}

// urnRE is the shape of an Ofsted unique reference number: SC or EY followed by digits, or six or seven digits.
var urnRE = regexp.MustCompile(`^(SC|EY)?[0-9]{6,7}$`)

// Placement is where a looked-after child lives: the placement type and provider codes of the SSDA903, the
// carer, the postcode, the Ofsted URN of the setting, and whether it is inside the council's area.
type Placement struct {
	Meta      `json:"-"`
	EpisodeID string `json:"episode_id"`
	Type      string `json:"type"`
	Provider  string `json:"provider"`
	// CarerID identifies the carer (a foster carer's or home's reference); a move with the same carer is a
	// different kind of change for the SSDA903 than one with a new carer.
	CarerID  string `json:"carer_id,omitempty"`
	Carer    string `json:"carer,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	URN      string `json:"urn,omitempty"`
	InArea   bool   `json:"in_area"`
	// LongTerm marks a placement intended to last until the child is 18, which lets visits after its first year
	// be three-monthly (CPPCR reg 28(2)(c)).
	LongTerm bool       `json:"long_term,omitempty"`
	Start    civil.Date `json:"start"`
	End      civil.Date `json:"end,omitzero"`
	// ChangeReason (SSDA903 REASON_PLACE_CHANGE) is given when the placement ends and the child moves to another.
	ChangeReason string `json:"change_reason,omitempty"`
}

func (*Placement) Kind() Kind { return KindPlacement }
func (pl *Placement) Index() Index {
	return Index{ParentID: pl.EpisodeID, RelatedID: pl.CarerID, Start: pl.Start, End: pl.End, Code: pl.Type}
}

func (pl *Placement) Validate(today civil.Date) error {
	var p problems
	pl.Postcode = NormalisePostcode(pl.Postcode)
	code(&p, "type", ListPlacementType, pl.Type)
	code(&p, "provider", ListProvider, pl.Provider)
	checkPostcode(&p, "postcode", pl.Postcode)
	if pl.URN != "" && !urnRE.MatchString(pl.URN) {
		p.add("urn", "%q is not an Ofsted URN such as SC123456", pl.URN)
	}
	optionalText(&p, "carer", pl.Carer, 100)
	p.merge("", span(pl.Start, pl.End, today))
	optionalCode(&p, "change_reason", ListPlacementChange, pl.ChangeReason)
	if pl.ChangeReason != "" && pl.End.IsZero() {
		p.add("end", "is required when a reason for the change is given")
	}
	return p.err()
}

// CLAReview is a looked-after child's review chaired by the independent reviewing officer.
type CLAReview struct {
	Meta      `json:"-"`
	EpisodeID string     `json:"episode_id"`
	Date      civil.Date `json:"date"`
	// Participation uses the SSDA903 review codes PN0 to PN7.
	Participation string `json:"participation"`
}

func (*CLAReview) Kind() Kind { return KindCLAReview }
func (r *CLAReview) Index() Index {
	return Index{ParentID: r.EpisodeID, Start: r.Date, Code: r.Participation}
}

func (r *CLAReview) Validate(today civil.Date) error {
	var p problems
	required(&p, "date", r.Date)
	notFuture(&p, "date", r.Date, today)
	code(&p, "participation", ListReviewCode, r.Participation)
	return p.err()
}

// Missing is a period missing (M: whereabouts unknown) or away without authorisation (A: whereabouts known), with
// the return home interview offered on return.
type Missing struct {
	Meta      `json:"-"`
	EpisodeID string     `json:"episode_id"`
	Type      string     `json:"type"`
	Start     civil.Date `json:"start"`
	End       civil.Date `json:"end,omitzero"`
	// RHIOffered and RHIAccepted record the return home interview; RHIDate is when it took place.
	RHIOffered  bool       `json:"rhi_offered,omitempty"`
	RHIAccepted bool       `json:"rhi_accepted,omitempty"`
	RHIDate     civil.Date `json:"rhi_date,omitzero"`
}

func (*Missing) Kind() Kind { return KindMissing }
func (m *Missing) Index() Index {
	return Index{ParentID: m.EpisodeID, Start: m.Start, End: m.End, Code: m.Type}
}

func (m *Missing) Validate(today civil.Date) error {
	var p problems
	code(&p, "type", ListMissing, m.Type)
	p.merge("", span(m.Start, m.End, today))
	if (m.RHIOffered || m.RHIAccepted || !m.RHIDate.IsZero()) && m.End.IsZero() {
		p.add("end", "is required before a return home interview is recorded")
	}
	if m.RHIAccepted && !m.RHIOffered {
		p.add("rhi_accepted", "cannot be true when no interview was offered")
	}
	if !m.RHIDate.IsZero() && !m.RHIAccepted {
		p.add("rhi_date", "is only given when the interview was accepted")
	}
	notFuture(&p, "rhi_date", m.RHIDate, today)
	ordered(&p, "end", m.End, "rhi_date", m.RHIDate)
	return p.err()
}

// Care leaver eligibility categories under the Children (Leaving Care) Act.
var careLeaverCategories = []string{"eligible", "relevant", "former_relevant", "qualifying"}

// CareLeaver records contact with a young person leaving care: whether the council is in touch, their activity and
// accommodation (SSDA903 OC3 codes), their personal adviser and pathway plan.
type CareLeaver struct {
	Meta                `json:"-"`
	ContactDate         civil.Date `json:"contact_date"`
	Category            string     `json:"category"`
	InTouch             string     `json:"in_touch"`
	Activity            string     `json:"activity,omitempty"`
	Accommodation       string     `json:"accommodation,omitempty"`
	PersonalAdviser     string     `json:"personal_adviser,omitempty"`
	PathwayPlanReviewed civil.Date `json:"pathway_plan_reviewed,omitzero"`
}

func (*CareLeaver) Kind() Kind { return KindCareLeaver }
func (c *CareLeaver) Index() Index {
	return Index{Start: c.ContactDate, Code: c.InTouch}
}

func (c *CareLeaver) Validate(today civil.Date) error {
	var p problems
	required(&p, "contact_date", c.ContactDate)
	notFuture(&p, "contact_date", c.ContactDate, today)
	notFuture(&p, "pathway_plan_reviewed", c.PathwayPlanReviewed, today)
	oneOf(&p, "category", c.Category, careLeaverCategories...)
	code(&p, "in_touch", ListInTouch, c.InTouch)
	optionalCode(&p, "activity", ListActivity, c.Activity)
	optionalCode(&p, "accommodation", ListAccommodation, c.Accommodation)
	optionalText(&p, "personal_adviser", c.PersonalAdviser, 100)
	return p.err()
}
