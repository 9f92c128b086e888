package casework

import (
	"regexp"
	"slices"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
)

// LegalStatus is one span of a looked-after legal status (SSDA903 LS: C1 interim care order, V2 section 20, …).
// Legal statuses and placements are kept as two separate histories; the SSDA903 episodes are derived by splitting
// at every change of either. Consecutive statuses in one period of care chain on the same day: one ends on the date
// the next starts.
// ShortBreaks tells whether a legal status is a series of short breaks (V3, V4), which is not continuous care.
func ShortBreaks(code string) bool { return code == "V3" || code == "V4" }

type LegalStatus struct {
	Meta      `json:"-"`
	EpisodeID string     `json:"episode_id"`
	Code      string     `json:"code"`
	Start     civil.Date `json:"start"`
	End       civil.Date `json:"end,omitzero"`
	// CeasedReason (SSDA903 REC) is given when this status ends the period of care; a change of status within
	// the period has none.
	CeasedReason string `json:"ceased_reason,omitempty"`
	// ContinuesPeriod is set only on a status migrated from an SSDA903 return whose first episode carried on a
	// period of care that began before anything recorded: that episode's reason for new episode (P, L, T, U or
	// B), which nothing recorded here could give.
	ContinuesPeriod string `json:"continues_period,omitempty"`
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
	if l.ContinuesPeriod != "" && !slices.Contains([]string{"P", "L", "T", "U", "B"}, l.ContinuesPeriod) {
		p.add("continues_period", "%q is not a reason for a new episode within a period of care (P, L, T, U or B)", l.ContinuesPeriod)
	}
	return p.err()
}

// urnRE is the shape of an Ofsted unique reference number: SC or EY followed by digits, or six or seven digits.
var urnRE = regexp.MustCompile(`^(SC|EY)?[0-9]{6,7}$`)

// Placement is where a looked-after child lives: the placement type and provider codes of the SSDA903, the
// carer, the postcode, the Ofsted URN of the setting, and whether it is inside the council's area.
// TemporaryPlacement tells whether a placement type (SSDA903 PLACE) is a temporary move, T0 to T4: one that neither
// starts nor ends a period of care nor counts as a placement of its own.
func TemporaryPlacement(place string) bool { return len(place) == 2 && place[0] == 'T' }

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

// Adoption follows a looked-after child's plan for adoption: the decision that the child should be placed for
// adoption (SSDA903 DATE_PLACED, and DATE_INT once adopted), the match with adopters, and then either who adopted
// the child (the AD1 table, once care ends E11 or E12) or the decision that the child should no longer be placed.
type Adoption struct {
	Meta      `json:"-"`
	EpisodeID string     `json:"episode_id"`
	Decision  civil.Date `json:"decision"`
	Matched   civil.Date `json:"matched,omitzero"`
	// Ceased and CeasedReason record a decision that the child should no longer be placed for adoption.
	Ceased       civil.Date `json:"ceased,omitzero"`
	CeasedReason string     `json:"ceased_reason,omitempty"`
	// The adopters, once matched: whether they were the child's foster carers, how many, their sexes (M1, F1,
	// MM, FF, MF) and their legal status as a couple (L0 single, L11 married, …).
	FosterCarers   bool   `json:"foster_carers,omitempty"`
	Adopters       int    `json:"adopters,omitempty"`
	AdoptersSex    string `json:"adopters_sex,omitempty"`
	AdoptersStatus string `json:"adopters_status,omitempty"`
}

func (*Adoption) Kind() Kind { return KindAdoption }
func (a *Adoption) Index() Index {
	return Index{ParentID: a.EpisodeID, Start: a.Decision, End: a.Ceased, Code: a.AdoptersSex}
}

func (a *Adoption) Validate(today civil.Date) error {
	var p problems
	required(&p, "decision", a.Decision)
	for _, d := range []struct {
		field string
		date  civil.Date
	}{{"decision", a.Decision}, {"matched", a.Matched}, {"ceased", a.Ceased}} {
		notFuture(&p, d.field, d.date, today)
	}
	ordered(&p, "decision", a.Decision, "matched", a.Matched)
	ordered(&p, "decision", a.Decision, "ceased", a.Ceased)
	if a.Ceased.IsZero() != (a.CeasedReason == "") {
		p.add("ceased_reason", "is given with the date the decision ceased, and only then")
	}
	optionalCode(&p, "ceased_reason", ListAdoptionCeased, a.CeasedReason)
	if a.Adopters != 0 || a.AdoptersSex != "" || a.AdoptersStatus != "" {
		if a.Matched.IsZero() {
			p.add("matched", "is required once the adopters are recorded")
		}
		if a.Adopters != 1 && a.Adopters != 2 {
			p.add("adopters", "must be 1 or 2, not %d", a.Adopters)
		}
		code(&p, "adopters_sex", ListAdoptersSex, a.AdoptersSex)
		code(&p, "adopters_status", ListAdoptersStatus, a.AdoptersStatus)
		if single := a.AdoptersSex == "M1" || a.AdoptersSex == "F1"; single != (a.Adopters == 1) {
			p.add("adopters_sex", "%s does not describe %d adopters", a.AdoptersSex, a.Adopters)
		}
		if single := a.AdoptersStatus == "L0"; single != (a.Adopters == 1) {
			p.add("adopters_status", "%s does not describe %d adopters", a.AdoptersStatus, a.Adopters)
		}
	}
	return p.err()
}

// laCodeRE is a DfE local authority number, or one of the codes for a council outside England.
var laCodeRE = regexp.MustCompile(`^([0-9]{3}|WAL|SCO|NIR|NUK)$`)

// PreviousPermanence records, when a child starts to be looked after, whether they had left care before through
// adoption, a special guardianship order or a child arrangements order (SSDA903 PREV_PERM, LA_PERM, DATE_PERM).
// The order's date may be known only to the month or the year, so its parts are kept apart; zero is unknown.
type PreviousPermanence struct {
	Meta      `json:"-"`
	EpisodeID string `json:"episode_id"`
	Option    string `json:"option"`
	LA        string `json:"la,omitempty"`
	Year      int    `json:"year,omitempty"`
	Month     int    `json:"month,omitempty"`
	Day       int    `json:"day,omitempty"`
}

func (*PreviousPermanence) Kind() Kind { return KindPermanence }
func (pp *PreviousPermanence) Index() Index {
	return Index{ParentID: pp.EpisodeID, Code: pp.Option}
}

func (pp *PreviousPermanence) Validate(today civil.Date) error {
	var p problems
	code(&p, "option", ListPermanence, pp.Option)
	if pp.LA != "" && !laCodeRE.MatchString(pp.LA) {
		p.add("la", "%q is not a local authority number such as 825, nor WAL, SCO, NIR or NUK", pp.LA)
	}
	if pp.Option == "Z1" && (pp.LA != "" || pp.Year != 0) {
		p.add("option", "Z1 (no previous permanence) takes no council or date")
	}
	switch {
	case pp.Day != 0 && pp.Month == 0, pp.Month != 0 && pp.Year == 0:
		p.add("year", "an order's day needs its month, and its month its year")
	case pp.Year != 0 && (pp.Year < 1900 || pp.Year > today.Year):
		p.add("year", "%d is not a year of a past order", pp.Year)
	case pp.Month < 0 || pp.Month > 12:
		p.add("month", "%d is not a month", pp.Month)
	case pp.Day != 0:
		if d := civil.New(pp.Year, time.Month(pp.Month), pp.Day); d.Day != pp.Day {
			p.add("day", "%d/%d/%d is not a date", pp.Day, pp.Month, pp.Year)
		} else {
			notFuture(&p, "day", d, today)
		}
	}
	return p.err()
}

// CareOutcomes are the outcomes of a child looked after for at least a year, as at 31 March (the SSDA903 OC2
// table): the strengths and difficulties questionnaire's score or why there is none, and yes-or-no answers on
// offending, health checks and substance misuse. An answer not recorded is nil.
type CareOutcomes struct {
	Meta                 `json:"-"`
	AsAt                 civil.Date `json:"as_at"`
	SDQScore             *int       `json:"sdq_score,omitempty"`
	SDQReason            string     `json:"sdq_reason,omitempty"`
	Convicted            *bool      `json:"convicted,omitempty"`
	HealthCheck          *bool      `json:"health_check,omitempty"`
	Immunisations        *bool      `json:"immunisations,omitempty"`
	TeethCheck           *bool      `json:"teeth_check,omitempty"`
	HealthAssessment     *bool      `json:"health_assessment,omitempty"`
	SubstanceMisuse      *bool      `json:"substance_misuse,omitempty"`
	InterventionReceived *bool      `json:"intervention_received,omitempty"`
	InterventionOffered  *bool      `json:"intervention_offered,omitempty"`
}

func (*CareOutcomes) Kind() Kind     { return KindCareOutcomes }
func (o *CareOutcomes) Index() Index { return Index{Start: o.AsAt, Code: o.SDQReason} }

func (o *CareOutcomes) Validate(today civil.Date) error {
	var p problems
	required(&p, "as_at", o.AsAt)
	if !o.AsAt.IsZero() && (o.AsAt.Month != 3 || o.AsAt.Day != 31) {
		p.add("as_at", "%s is not a 31 March", o.AsAt)
	}
	notFuture(&p, "as_at", o.AsAt, today)
	if o.SDQScore != nil && (*o.SDQScore < 0 || *o.SDQScore > 40) {
		p.add("sdq_score", "%d is not a score from 0 to 40", *o.SDQScore)
	}
	optionalCode(&p, "sdq_reason", ListSDQReason, o.SDQReason)
	if o.SDQScore != nil && o.SDQReason != "" {
		p.add("sdq_reason", "is given only when there is no score")
	}
	misuse := o.SubstanceMisuse != nil && *o.SubstanceMisuse
	if !misuse && (o.InterventionReceived != nil || o.InterventionOffered != nil) {
		p.add("intervention_received", "is recorded only for a child with a substance misuse problem")
	}
	if o.InterventionReceived != nil && *o.InterventionReceived && o.InterventionOffered != nil {
		p.add("intervention_offered", "is recorded only when no intervention was received")
	}
	return p.err()
}
