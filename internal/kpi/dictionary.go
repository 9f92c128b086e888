package kpi

import (
	"slices"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/geo"
	"github.com/continuum-cs/continuum/internal/timescale"
)

// Dictionary is every indicator, in the order reports show them. England's figures are those the brief quotes,
// each with its year and source (mostly the DfE's statistical releases).
var Dictionary = []Indicator{
	{Code: "referrals", Name: "Referrals per 10,000 children", Unit: PerTenThousand, Better: Neither,
		Population: "children referred to children's social care",
		Numerator:  "referrals received in the year (episodes of need by referral date), including those with no further action",
		England:    &Comparator{518, "2023-24", "DfE Children in need 2024"},
		observe: func(c *child, t *tally) {
			for _, e := range c.episodes {
				if c.y.Contains(e.ReferralDate) {
					t.num++
				}
			}
		}},
	{Code: "rereferrals", Name: "Re-referrals within 12 months", Unit: Percent, Better: Lower,
		Population:  "referrals received in the year",
		Numerator:   "those where the child had another referral in the 12 months before this one's date",
		Denominator: "referrals received in the year",
		England:     &Comparator{22, "2023-24", "DfE Children in need 2024"},
		observe: func(c *child, t *tally) {
			for i, e := range c.episodes {
				if !c.y.Contains(e.ReferralDate) {
					continue
				}
				t.den++
				if i > 0 && !c.episodes[i-1].ReferralDate.Before(e.ReferralDate.AddMonths(-12)) {
					t.num++
				}
			}
		}},
	{Code: "nfa", Name: "Referrals with no further action", Unit: Percent, Better: Neither,
		Population: "referrals received in the year", Numerator: "those marked no further action",
		Denominator: "referrals received in the year",
		England:     &Comparator{7.1, "2022-23", "DfE Children in need 2023"},
		observe: func(c *child, t *tally) {
			for _, e := range c.episodes {
				if c.y.Contains(e.ReferralDate) {
					t.den++
					if e.NFA {
						t.num++
					}
				}
			}
		}},
	{Code: "assessments45", Name: "Assessments completed within 45 working days", Unit: Percent, Better: Higher,
		Population:  "social work assessments completed in the year",
		Numerator:   "those completed no more than 45 working days after the referral, on the council's calendar",
		Denominator: "assessments completed in the year",
		England:     &Comparator{85.7, "2024-25", "DfE Children in need 2025"},
		observe: func(c *child, t *tally) {
			for _, a := range casework.All[*casework.Assessment](c.f) {
				if !c.y.Contains(a.Completed) {
					continue
				}
				t.den++
				if e := c.byID[a.EpisodeID]; e != nil {
					if wd, ok := c.workingDays(e.ReferralDate, a.Completed); ok && wd <= 45 {
						t.num++
					}
				}
			}
		}},
	{Code: "s47", Name: "Section 47 enquiries per 10,000 children", Unit: PerTenThousand, Better: Neither,
		Population: "children the subject of a section 47 enquiry", Numerator: "section 47 enquiries started in the year",
		England: &Comparator{191, "2024-25", "DfE Children in need 2025"},
		observe: func(c *child, t *tally) {
			for _, s := range casework.All[*casework.Section47](c.f) {
				if c.y.Contains(s.Start) {
					t.num++
				}
			}
		}},
	{Code: "icpcs", Name: "Initial child protection conferences per 10,000 children", Unit: PerTenThousand, Better: Neither,
		Population: "children the subject of an initial conference", Numerator: "initial conferences held in the year",
		England: &Comparator{63.2, "2022-23", "DfE Children in need 2023"},
		observe: func(c *child, t *tally) {
			for _, conf := range casework.All[*casework.Conference](c.f) {
				if conf.Type == casework.ConferenceInitial && c.y.Contains(conf.Date) {
					t.num++
				}
			}
		}},
	{Code: "icpc15", Name: "Initial conferences within 15 working days", Unit: Percent, Better: Higher,
		Population:  "initial child protection conferences held in the year",
		Numerator:   "those held no more than 15 working days after the strategy discussion that began the enquiry",
		Denominator: "initial conferences held in the year",
		England:     &Comparator{81.4, "2024-25", "DfE Children in need 2025"},
		observe: func(c *child, t *tally) {
			strategies := map[string]civil.Date{}
			for _, sd := range casework.All[*casework.StrategyDiscussion](c.f) {
				strategies[sd.ID] = sd.Date
			}
			began := map[string]civil.Date{}
			for _, s := range casework.All[*casework.Section47](c.f) {
				began[s.ID] = strategies[s.StrategyDiscussionID]
			}
			for _, conf := range casework.All[*casework.Conference](c.f) {
				if conf.Type != casework.ConferenceInitial || !c.y.Contains(conf.Date) {
					continue
				}
				t.den++
				if wd, ok := c.workingDays(began[conf.Section47ID], conf.Date); ok && wd <= 15 {
					t.num++
				}
			}
		}},
	{Code: "cpp", Name: "Children on a child protection plan at 31 March, per 10,000", Unit: PerTenThousand, Better: Neither,
		Population: "children", Numerator: "children with a child protection plan open at the end of 31 March",
		England: &Comparator{42.8, "2019-20", "DfE Children in need 2020"},
		observe: func(c *child, t *tally) {
			for _, plan := range casework.All[*casework.CPPlan](c.f) {
				if openOn(plan.Start, plan.End, c.y.End) {
					t.num++
					return
				}
			}
		}},
	{Code: "cppSecond", Name: "Child protection plans for a second or subsequent time", Unit: Percent, Better: Lower,
		Population:  "child protection plans started in the year",
		Numerator:   "those for a child who had had a plan before, here or elsewhere",
		Denominator: "plans started in the year",
		England:     &Comparator{16.6, "2014-15", "DfE Children in need 2015"},
		observe: func(c *child, t *tally) {
			plans := casework.All[*casework.CPPlan](c.f)
			for _, plan := range plans {
				if !c.y.Contains(plan.Start) {
					continue
				}
				t.den++
				if plan.PriorPlans > 0 || slices.ContainsFunc(plans, func(o *casework.CPPlan) bool { return o.Start.Before(plan.Start) }) {
					t.num++
				}
			}
		}},
	{Code: "cpp2y", Name: "Child protection plans lasting two years or more", Unit: Percent, Better: Lower,
		Population:  "child protection plans that ended in the year",
		Numerator:   "those that had lasted two years or more",
		Denominator: "plans ended in the year",
		England:     &Comparator{4.4, "2024-25", "DfE Children in need 2025"},
		observe: func(c *child, t *tally) {
			for _, plan := range casework.All[*casework.CPPlan](c.f) {
				if c.y.Contains(plan.End) {
					t.den++
					if !plan.End.Before(plan.Start.AddMonths(24)) {
						t.num++
					}
				}
			}
		}},
	{Code: "cin", Name: "Children in need at 31 March, per 10,000", Unit: PerTenThousand, Better: Neither,
		Population: "children",
		Numerator:  "children with an episode of need open at the end of 31 March (including those on plans and in care; not referrals closed with no further action)",
		England:    &Comparator{332.9, "2023-24", "DfE Children in need 2024"},
		observe: func(c *child, t *tally) {
			for _, e := range c.episodes {
				if !e.NFA && openOn(e.ReferralDate, e.ClosureDate, c.y.End) {
					t.num++
					return
				}
			}
		}},
	{Code: "cla", Name: "Children looked after at 31 March, per 10,000", Unit: PerTenThousand, Better: Neither,
		Population: "children",
		Numerator:  "children looked after at the end of 31 March, other than on a series of short breaks (V3, V4)",
		England:    &Comparator{67, "2024-25", "DfE Children looked after 2025"},
		observe: func(c *child, t *tally) {
			if c.lookedAfterAt(c.y.End) {
				t.num++
			}
		}},
	{Code: "placements3", Name: "Children looked after with three or more placements in the year", Unit: Percent, Better: Lower,
		Population:  "children looked after at 31 March, other than on short breaks",
		Numerator:   "those who had three or more placements in the year (temporary placements, T0-T4, not counted)",
		Denominator: "children looked after at 31 March",
		England:     &Comparator{10, "2023-24", "DfE Children looked after 2024"},
		observe: func(c *child, t *tally) {
			if !c.lookedAfterAt(c.y.End) {
				return
			}
			t.den++
			n := 0
			for _, pl := range casework.All[*casework.Placement](c.f) {
				if !casework.TemporaryPlacement(pl.Type) && c.y.Touches(pl.Start, pl.End) {
					n++
				}
			}
			if n >= 3 {
				t.num++
			}
		}},
	{Code: "stability", Name: "Long-term placement stability", Unit: Percent, Better: Higher,
		Population:  "children under 16 at 31 March looked after continuously for two and a half years or more",
		Numerator:   "those who have lived with the same carers for two years or more (temporary placements not breaking it; placed for adoption with their foster carers counting as the same carers)",
		Denominator: "those children",
		England:     &Comparator{68, "2023-24", "DfE Children looked after 2024, placement stability"},
		observe: func(c *child, t *tally) {
			if civil.Age(c.p.BirthDate, c.y.End) >= 16 || !c.inCareSince(c.y.End.AddMonths(-30)) {
				return
			}
			t.den++
			if since := c.sameCarerSince(c.y.End); !since.IsZero() && !since.After(c.y.End.AddMonths(-24)) {
				t.num++
			}
		}},
	{Code: "inArea", Name: "Children looked after placed inside the council's area", Unit: Percent, Better: Higher,
		Population:  "children looked after at 31 March, other than on short breaks",
		Numerator:   "those whose placement on 31 March is inside the council's area",
		Denominator: "children looked after at 31 March",
		England:     &Comparator{60, "2014-15", "DfE Children looked after 2015"},
		observe: func(c *child, t *tally) {
			if pl := c.placementAt(c.y.End); pl != nil && c.lookedAfterAt(c.y.End) {
				t.den++
				if pl.InArea {
					t.num++
				}
			}
		}},
	{Code: "miles20", Name: "Children looked after placed more than 20 miles from home", Unit: Percent, Better: Lower,
		Population:  "children looked after at 31 March, other than on short breaks, with both postcodes known",
		Numerator:   "those placed more than 20 miles, in a straight line, from the home they came from",
		Denominator: "children looked after at 31 March with both postcodes known",
		England:     &Comparator{22, "2023-24", "DfE Children looked after 2024"},
		observe: func(c *child, t *tally) {
			pl := c.placementAt(c.y.End)
			if pl == nil || !c.lookedAfterAt(c.y.End) {
				return
			}
			if miles, ok := geo.Miles(c.p.Address.Postcode, pl.Postcode); ok {
				t.den++
				if miles > 20 {
					t.num++
				}
			}
		}},
	{Code: "rhi72", Name: "Return home interviews within 72 hours", Unit: Percent, Better: Higher,
		Population:  "missing episodes of children looked after that ended in the year",
		Numerator:   "those after which a return home interview was held within three days of the child's return",
		Denominator: "missing episodes ended in the year",
		England:     &Comparator{63, "2023-24", "Missing People, FOI to councils"},
		observe: func(c *child, t *tally) {
			for _, m := range casework.All[*casework.Missing](c.f) {
				if m.Type != "M" || !c.y.Contains(m.End) {
					continue
				}
				t.den++
				if !m.RHIDate.IsZero() && m.RHIDate.DaysSince(m.End) <= 3 {
					t.num++
				}
			}
		}},
	{Code: "leaversEET", Name: "Care leavers aged 19 to 21 in education, employment or training", Unit: Percent, Better: Higher,
		Population:  "care leavers aged 19 to 21 on 31 March with a contact recorded in the year",
		Numerator:   "those whose latest contact found them in education, employment or training (F or P activity codes)",
		Denominator: "those care leavers",
		England:     &Comparator{62, "2021-22", "Independent Review of Children's Social Care, 2022: 38% not in education, employment or training"},
		observe: func(c *child, t *tally) {
			if cl := c.latestLeaverContact(); cl != nil && cl.Activity != "" {
				t.den++
				if strings.HasPrefix(cl.Activity, "F") || strings.HasPrefix(cl.Activity, "P") {
					t.num++
				}
			}
		}},
	{Code: "leaversSuitable", Name: "Care leavers aged 19 to 21 in suitable accommodation", Unit: Percent, Better: Higher,
		Population:  "care leavers aged 19 to 21 on 31 March with a contact recorded in the year",
		Numerator:   "those whose latest contact found their accommodation suitable (accommodation codes ending 1)",
		Denominator: "those care leavers",
		England:     &Comparator{85, "2018-19", "DfE Children looked after 2019"},
		observe: func(c *child, t *tally) {
			if cl := c.latestLeaverContact(); cl != nil && len(cl.Accommodation) == 2 {
				t.den++
				if cl.Accommodation[1] == '1' {
					t.num++
				}
			}
		}},
	{Code: "stepUp", Name: "Early help stepped up to social care", Unit: Percent, Better: Neither,
		Population:  "children given early help at some time in the year",
		Numerator:   "those stepped up from early help to children's social care in the year",
		Denominator: "those children",
		observe: func(c *child, t *tally) {
			if !slices.ContainsFunc(casework.All[*casework.EarlyHelp](c.f), func(eh *casework.EarlyHelp) bool { return c.y.Touches(eh.Start, eh.End) }) {
				return
			}
			t.den++
			if c.stepped(casework.StepUp) {
				t.num++
			}
		}},
	{Code: "stepDown", Name: "Social care stepped down to early help", Unit: Percent, Better: Neither,
		Population:  "children whose episode of need closed in the year (not referrals closed with no further action)",
		Numerator:   "those stepped down from children's social care to early help in the year",
		Denominator: "those children",
		observe: func(c *child, t *tally) {
			if !slices.ContainsFunc(c.episodes, func(e *casework.Episode) bool { return !e.NFA && c.y.Contains(e.ClosureDate) }) {
				return
			}
			t.den++
			if c.stepped(casework.StepDown) {
				t.num++
			}
		}},
	{Code: "caseload", Name: "Cases per social worker", Unit: Cases, Better: Lower,
		Population:  "social workers in the workforce and holding cases at 31 March",
		Numerator:   "episodes of need allocated to a named social worker and open at the end of 31 March",
		Denominator: "the full-time equivalent of the social workers holding them",
		England:     &Comparator{16.0, "2022-23", "DfE Children's social work workforce 2023"},
		finish: func(k *Counter, t *tally) {
			for _, s := range k.council.Staff {
				if n := k.council.Held[s.ID]; s.socialWorkerOn(k.y.End) && n > 0 {
					t.num += float64(n)
					t.den += s.FTE
				}
			}
		}},
	{Code: "agency", Name: "Agency social workers", Unit: Percent, Better: Lower,
		Population:  "social workers in the workforce at 31 March (started by then, not yet left)",
		Numerator:   "the full-time equivalent of agency social workers",
		Denominator: "the full-time equivalent of all social workers, agency and employed",
		England:     &Comparator{17.8, "2022-23", "DfE Children's social work workforce 2023"},
		finish: func(k *Counter, t *tally) {
			for _, s := range k.council.Staff {
				if s.socialWorkerOn(k.y.End) {
					t.den += s.FTE
					if s.Agency {
						t.num += s.FTE
					}
				}
			}
		}},
	{Code: "visits", Name: "Statutory visits in timescale", Unit: Percent, Better: Higher,
		Population:  "statutory visits that fell due in the year: to children on a protection plan (R9), in need (R10) and looked after (R16-R18)",
		Numerator:   "those made, with the child seen, by the day they were due",
		Denominator: "visits due in the year, whether made on time, late, not at all, or still not made",
		finish:      dueInTime("R9", "R10", "R16", "R17", "R18")},
	{Code: "reviews", Name: "Reviews in timescale", Unit: Percent, Better: Higher,
		Population:  "child protection review conferences (R7, R8) and looked-after reviews (R13-R15) that fell due in the year",
		Numerator:   "those held by the day they were due",
		Denominator: "reviews due in the year, whether held on time, late, not at all, or still not held",
		England:     &Comparator{94.0, "2014-15", "DfE Children in need 2015 (child protection reviews)"},
		finish:      dueInTime("R7", "R8", "R13", "R14", "R15")},
}

// dueInTime counts the due items of the rules given that fell due in the year: met over all.
func dueInTime(rules ...string) func(k *Counter, t *tally) {
	return func(k *Counter, t *tally) {
		for _, rule := range rules {
			for status, n := range k.council.Due[rule] {
				t.den += float64(n)
				if status == timescale.Met {
					t.num += float64(n)
				}
			}
		}
	}
}

// lookedAfterAt tells whether the child was looked after at the end of day d, other than on short breaks.
func (c *child) lookedAfterAt(d civil.Date) bool {
	for _, ls := range casework.All[*casework.LegalStatus](c.f) {
		if !casework.ShortBreaks(ls.Code) && openOn(ls.Start, ls.End, d) {
			return true
		}
	}
	return false
}

// placementAt is the placement the child was in at the end of day d, other than a temporary one.
func (c *child) placementAt(d civil.Date) *casework.Placement {
	for _, pl := range casework.All[*casework.Placement](c.f) {
		if !casework.TemporaryPlacement(pl.Type) && openOn(pl.Start, pl.End, d) {
			return pl
		}
	}
	return nil
}

// inCareSince tells whether the child has been looked after, other than on short breaks, without a break from day
// from to the end of the year.
func (c *child) inCareSince(from civil.Date) bool {
	if !c.lookedAfterAt(c.y.End) {
		return false
	}
	statuses := casework.All[*casework.LegalStatus](c.f)
	sortBy(statuses, func(ls *casework.LegalStatus) civil.Date { return ls.Start })
	var start, end civil.Date
	for _, ls := range statuses {
		if casework.ShortBreaks(ls.Code) || ls.Start.After(c.y.End) {
			continue
		}
		if start.IsZero() || ls.Start != end {
			start = ls.Start // a new period of care
		}
		end = ls.End
	}
	return !start.IsZero() && !start.After(from)
}

// sameCarerSince is the day the child began living with the carers they were with at the end of day d, going back
// over moves that kept the same carers and over temporary placements; zero when not placed or the carers are not
// known.
func (c *child) sameCarerSince(d civil.Date) civil.Date {
	placements := casework.All[*casework.Placement](c.f)
	sortBy(placements, func(p *casework.Placement) civil.Date { return p.Start })
	current := c.placementAt(d)
	if current == nil || current.CarerID == "" {
		return civil.Date{}
	}
	since := current.Start
	for i := slices.Index(placements, current) - 1; i >= 0; i-- {
		p := placements[i]
		if casework.TemporaryPlacement(p.Type) {
			continue
		}
		if p.CarerID != current.CarerID || p.End != since && !c.onlyTemporaryBetween(placements, p.End, since) {
			break
		}
		since = p.Start
	}
	return since
}

// onlyTemporaryBetween tells whether the days from from to to were spent in temporary placements.
func (c *child) onlyTemporaryBetween(placements []*casework.Placement, from, to civil.Date) bool {
	for day := from; day.Before(to); {
		next := civil.Date{}
		for _, p := range placements {
			if casework.TemporaryPlacement(p.Type) && p.Start == day && !p.End.IsZero() {
				next = p.End
			}
		}
		if next.IsZero() {
			return false
		}
		day = next
	}
	return true
}

// stepped tells whether the child was stepped in the direction given during the year.
func (c *child) stepped(direction string) bool {
	return slices.ContainsFunc(casework.All[*casework.Transition](c.f), func(tr *casework.Transition) bool {
		return tr.Direction == direction && c.y.Contains(tr.Date)
	})
}

// latestLeaverContact is the last contact in the year with a care leaver aged 19 to 21 on 31 March.
func (c *child) latestLeaverContact() *casework.CareLeaver {
	if c.p.BirthDate.IsZero() {
		return nil
	}
	if age := civil.Age(c.p.BirthDate, c.y.End); age < 19 || age > 21 {
		return nil
	}
	var latest *casework.CareLeaver
	for _, cl := range casework.All[*casework.CareLeaver](c.f) {
		if c.y.Contains(cl.ContactDate) && (latest == nil || cl.ContactDate.After(latest.ContactDate)) {
			latest = cl
		}
	}
	return latest
}

func sortBy[T any](s []T, key func(T) civil.Date) {
	slices.SortStableFunc(s, func(a, b T) int { return key(a).Compare(key(b)) })
}
