package ssda903

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
)

// Reads are the record kinds the return is made from (the person's record is always read).
var Reads = []casework.Kind{casework.KindEpisode, casework.KindLegalStatus, casework.KindPlacement,
	casework.KindCLAReview, casework.KindMissing, casework.KindCareLeaver, casework.KindAllocation,
	casework.KindAdoption, casework.KindPermanence, casework.KindCareOutcomes}

// period is a period of care: legal statuses that follow each other without a gap.
type period struct {
	statuses []*casework.LegalStatus
}

func (p period) start() civil.Date { return p.statuses[0].Start }
func (p period) end() civil.Date   { return p.statuses[len(p.statuses)-1].End }

// ceased is how the period ended (SSDA903 REC), or "" while it runs.
func (p period) ceased() string { return p.statuses[len(p.statuses)-1].CeasedReason }

// covers tells whether the child was looked after on day d in this period.
func (p period) covers(d civil.Date) bool {
	return !d.Before(p.start()) && (p.end().IsZero() || d.Before(p.end()))
}

// noProvider are the placement types with no PLACE_PROVIDER: temporary ones and the Z1x settings.
func noProvider(place string) bool {
	return casework.TemporaryPlacement(place) || (len(place) == 3 && place[:2] == "Z1")
}

// periods chains a child's legal statuses, in date order, into periods of care.
func periods(statuses []*casework.LegalStatus) []period {
	var out []period
	for _, ls := range statuses {
		if n := len(out); n > 0 && out[n-1].end() == ls.Start && !ls.Start.IsZero() {
			out[n-1].statuses = append(out[n-1].statuses, ls)
			continue
		}
		out = append(out, period{statuses: []*casework.LegalStatus{ls}})
	}
	return out
}

// at returns the record of those given that is under way on day d.
func at[T casework.Record](records []T, d civil.Date) (T, bool) {
	var zero T
	for _, r := range records {
		ix := r.Index()
		if !d.Before(ix.Start) && (ix.End.IsZero() || d.Before(ix.End)) {
			return r, true
		}
	}
	return zero, false
}

// child is what the return is made from for one child.
type child struct {
	f             *casework.File
	p             *casework.Person
	y             returns.Year
	registrations map[string]string
	// needs maps each episode of need on the file to its category of need.
	needs      map[string]string
	statuses   []*casework.LegalStatus
	placements []*casework.Placement
	periods    []period
}

// ChildOf makes one child's part of the return for year y, and reports whether the child is in it: looked after
// at some time in the year, or a care leaver with a 17th to 21st birthday in it. registrations maps workers'
// user IDs to their Social Work England numbers.
func ChildOf(f *casework.File, y returns.Year, registrations map[string]string) (Return, bool) {
	p := f.Person()
	if p == nil || p.Role != casework.RoleChild || p.BirthDate.IsZero() {
		return Return{}, false
	}
	c := &child{f: f, p: p, y: y, registrations: registrations,
		statuses: casework.All[*casework.LegalStatus](f), placements: casework.All[*casework.Placement](f)}
	byStart := func(a, b casework.Record) int { return a.Index().Start.Compare(b.Index().Start) }
	slices.SortStableFunc(c.statuses, func(a, b *casework.LegalStatus) int { return byStart(a, b) })
	slices.SortStableFunc(c.placements, func(a, b *casework.Placement) int { return byStart(a, b) })
	c.periods = periods(c.statuses)
	c.needs = map[string]string{}
	for _, ep := range casework.All[*casework.Episode](f) {
		c.needs[ep.ID] = ep.PrimaryNeed
	}

	var r Return
	r.Episodes = c.episodes()
	r.OC3 = c.oc3()
	if len(r.Episodes) == 0 && len(r.OC3) == 0 {
		return Return{}, false
	}
	id, dob := p.LAChildID, formatDate(p.BirthDate)
	h := Header{Child: id, Sex: p.Sex, DOB: dob, Ethnic: p.Ethnicity, UPN: p.UPN}
	if h.UPN == "" {
		h.UPN = p.UPNUnknown
	}
	if p.Sex == "F" && len(r.Episodes) > 0 {
		// Motherhood only for those looked after in the year (rule 628). A mother by the end of the year, or of her care if it ended in it (rule 625); a first child born
		// later is next year's news, or not this return's.
		by := y.End
		if n := len(c.periods); n > 0 {
			if end := c.periods[n-1].end(); !end.IsZero() && end.Before(by) {
				by = end
			}
		}
		mother := p.Mother && !p.FirstChildBorn.After(by)
		h.Mother = flag(mother)
		if mother {
			h.MCDOB = formatDate(p.FirstChildBorn)
		}
	}
	r.Header = []Header{h}
	if len(r.Episodes) == 0 {
		return r, true
	}
	for _, rv := range casework.All[*casework.CLAReview](f) {
		if y.Contains(rv.Date) {
			r.Reviews = append(r.Reviews, Review{Child: id, DOB: dob, Review: formatDate(rv.Date), Code: rv.Participation})
		}
	}
	slices.SortStableFunc(r.Reviews, func(a, b Review) int { return compareDates(a.Review, b.Review) })
	for _, m := range casework.All[*casework.Missing](f) {
		if y.Touches(m.Start, m.End) {
			r.Missing = append(r.Missing, Missing{Child: id, DOB: dob, Missing: m.Type, Start: formatDate(m.Start),
				End: c.withinYear(m.End)})
		}
	}
	slices.SortStableFunc(r.Missing, func(a, b Missing) int { return compareDates(a.Start, b.Start) })
	if p.UASC && (p.UASCCeased.IsZero() || !p.UASCCeased.Before(y.Start)) {
		// The status ceasing after 31 March is next year's news (rule 205B compares the years).
		r.UASC = []UASC{{Child: id, Sex: p.Sex, DOB: dob, DUC: c.withinYear(p.UASCCeased)}}
	}
	r.OC2 = c.oc2()
	r.AD1, r.PlacedAdoption = c.adoption()
	r.PrevPerm = c.prevPerm()
	r.SWEpisodes = c.swEpisodes()
	return r, true
}

// withinYear writes an end date that falls by the end of the year; a later one is still open at 31 March.
func (c *child) withinYear(d civil.Date) string {
	if d.After(c.y.End) {
		return ""
	}
	return formatDate(d)
}

// episodes splits each period of care under way in the year at every change of legal status or placement.
func (c *child) episodes() []Episode {
	var out []Episode
	for _, per := range c.periods {
		if !c.y.Touches(per.start(), per.end()) {
			continue
		}
		var days []civil.Date
		for _, ls := range per.statuses {
			days = append(days, ls.Start)
		}
		for _, pl := range c.placements {
			if per.covers(pl.Start) {
				days = append(days, pl.Start)
			}
		}
		slices.SortFunc(days, civil.Date.Compare)
		days = slices.Compact(days)
		var prevLS *casework.LegalStatus
		var prevPL *casework.Placement
		for i, day := range days {
			ls, _ := at(per.statuses, day)
			pl, _ := at(c.placements, day)
			end := per.end()
			if i+1 < len(days) {
				end = days[i+1]
			}
			e := Episode{Child: c.p.LAChildID, DECOM: formatDate(day), RNE: "S", LS: ls.Code, CIN: c.needs[ls.EpisodeID]}
			if !c.p.UASC {
				e.HomePost = c.p.Address.Postcode // an unaccompanied child has no home here to measure from (rule 406)
			}
			if pl != nil {
				e.Place, e.Provider, e.PlacementPost, e.URN = pl.Type, pl.Provider, pl.Postcode, pl.URN
				if noProvider(pl.Type) {
					e.Provider = ""
				}
			}
			if casework.ShortBreaks(ls.Code) {
				e.HomePost, e.PlacementPost, e.URN = "", "", "" // not asked of short breaks (rules 214, 398)
			}
			if i > 0 {
				e.RNE = newEpisodeReason(prevLS != ls, prevPL, pl)
			} else if r := per.statuses[0].ContinuesPeriod; r != "" {
				e.RNE = r // migrated: the period began before what is recorded
			}
			if !end.IsZero() && !end.After(c.y.End) {
				e.DEC = formatDate(end)
				e.REC = "X1"
				if i+1 == len(days) {
					e.REC = per.ceased()
				} else if next, _ := at(c.placements, days[i+1]); pl != nil && next != pl && !casework.TemporaryPlacement(pl.Type) {
					e.ChangeReason = pl.ChangeReason
				}
			}
			prevLS, prevPL = ls, pl
			if c.y.Touches(day, end) {
				out = append(out, e)
			}
		}
	}
	return out
}

// newEpisodeReason is the SSDA903 RNE of an episode that follows another in the same period of care: whether the
// legal status changed, the placement, and with it the carer.
func newEpisodeReason(statusChanged bool, before, after *casework.Placement) string {
	moved := before != after
	sameCarer := moved && before != nil && after != nil && before.CarerID != "" && before.CarerID == after.CarerID
	switch {
	case !moved:
		return "L"
	case !statusChanged && sameCarer:
		return "T"
	case !statusChanged:
		return "P"
	case sameCarer:
		return "U"
	}
	return "B"
}

// lookedAfterAt tells whether the child was looked after on day d.
func (c *child) lookedAfterAt(d civil.Date) bool {
	for _, per := range c.periods {
		if per.covers(d) {
			return true
		}
	}
	return false
}

// oc2 is the outcomes row of a child looked after continuously, other than on short breaks, for the twelve
// months to 31 March. A child with no outcomes recorded still has a row, so the gap is found and filled.
func (c *child) oc2() []OC2 {
	from, to := c.y.End.AddMonths(-12).AddDays(1), c.y.End
	covered := false
	for _, per := range c.periods {
		if per.covers(from) && per.covers(to) && !slices.ContainsFunc(per.statuses, func(ls *casework.LegalStatus) bool {
			return casework.ShortBreaks(ls.Code) && c.y.Touches(ls.Start, ls.End)
		}) {
			covered = true
		}
	}
	if !covered {
		return nil
	}
	row := OC2{Child: c.p.LAChildID, DOB: formatDate(c.p.BirthDate)}
	for _, o := range casework.All[*casework.CareOutcomes](c.f) {
		if o.AsAt != c.y.End {
			continue
		}
		if o.SDQScore != nil {
			row.SDQScore = strconv.Itoa(*o.SDQScore)
		}
		row.SDQReason = o.SDQReason
		row.Convicted, row.HealthCheck, row.Immunisations = optFlag(o.Convicted), optFlag(o.HealthCheck), optFlag(o.Immunisations)
		row.TeethCheck, row.HealthAssessment = optFlag(o.TeethCheck), optFlag(o.HealthAssessment)
		row.SubstanceMisuse = optFlag(o.SubstanceMisuse)
		row.InterventionReceived, row.InterventionOffered = optFlag(o.InterventionReceived), optFlag(o.InterventionOffered)
	}
	return []OC2{row}
}

// oc3 is the care leaver's row for each of the 17th to 21st birthdays that falls in the year, for a young person
// who left care at 16 or over after at least thirteen weeks in care since their 14th birthday (a relevant or
// former relevant child; not one adopted or who died): what the contact nearest the birthday (three months before
// to one month after) found.
func (c *child) oc3() []OC3 {
	left := false
	var leftOn civil.Date // when they first left care as a care leaver: a birthday before it finds them none yet
	fourteen, sixteen := civil.Birthday(c.p.BirthDate, 14), civil.Birthday(c.p.BirthDate, 16)
	for _, per := range c.periods {
		end := per.end()
		if end.IsZero() || end.Before(sixteen) || oneOf(per.ceased(), "E11", "E12", "E2") {
			continue
		}
		from := per.start()
		if from.Before(fourteen) {
			from = fourteen
		}
		if !left && end.DaysSince(from) >= 91 {
			left, leftOn = true, end
		}
	}
	contacts := casework.All[*casework.CareLeaver](c.f)
	if !left && (len(c.periods) == 0 || c.periods[0].statuses[0].ContinuesPeriod != "") {
		// Care not held here from its start (a care leaver migrated from a return): what was recorded of them
		// says whether they are one.
		left = slices.ContainsFunc(contacts, func(cl *casework.CareLeaver) bool {
			return cl.Category == "relevant" || cl.Category == "former_relevant"
		})
	}
	if !left {
		return nil
	}
	var out []OC3
	for age := 17; age <= 21; age++ {
		b := civil.Birthday(c.p.BirthDate, age)
		if !c.y.Contains(b) || c.lookedAfterAt(b) || b.Before(leftOn) {
			continue
		}
		row := OC3{Child: c.p.LAChildID, DOB: formatDate(c.p.BirthDate)}
		best := -1
		for _, cl := range contacts {
			if cl.ContactDate.Before(b.AddMonths(-3)) || cl.ContactDate.After(b.AddMonths(1)) {
				continue
			}
			if gap := abs(cl.ContactDate.DaysSince(b)); best < 0 || gap < best {
				best = gap
				row.InTouch, row.Activ, row.Accom = cl.InTouch, orZero(cl.Activity), orZero(cl.Accommodation)
			}
		}
		out = append(out, row)
	}
	return out
}

// adoption is the AD1 row of a child whose care ended in adoption in the year, and a PlacedAdoption row for each
// decision that the child should be placed for adoption in force at some time in the year.
func (c *child) adoption() ([]AD1, []PlacedAdoption) {
	decisions := casework.All[*casework.Adoption](c.f)
	slices.SortStableFunc(decisions, func(a, b *casework.Adoption) int { return a.Decision.Compare(b.Decision) })
	id, dob := c.p.LAChildID, formatDate(c.p.BirthDate)
	var ad1 []AD1
	var placed []PlacedAdoption
	for _, per := range c.periods {
		if rec := per.ceased(); (rec == "E11" || rec == "E12") && c.y.Contains(per.end()) {
			row := AD1{Child: id, DOB: dob}
			for _, a := range decisions {
				if a.EpisodeID == per.statuses[0].EpisodeID && a.Ceased.IsZero() {
					row.DateInt, row.DateMatch, row.FosterCare = formatDate(a.Decision), formatDate(a.Matched), flag(a.FosterCarers)
					if a.Adopters > 0 {
						row.Adopters = strconv.Itoa(a.Adopters)
					}
					row.AdoptersSex, row.AdoptersStatus = a.AdoptersSex, a.AdoptersStatus
				}
			}
			ad1 = append(ad1, row)
		}
	}
	for _, a := range decisions {
		if c.y.Touches(a.Decision, a.Ceased) {
			placed = append(placed, PlacedAdoption{Child: id, DOB: dob, DatePlaced: formatDate(a.Decision),
				DateCeased: c.withinYear(a.Ceased), ReasonCeased: reasonIfCeased(c.withinYear(a.Ceased), a.CeasedReason)})
		}
	}
	return ad1, placed
}

func reasonIfCeased(ceased, reason string) string {
	if ceased == "" {
		return ""
	}
	return reason
}

// prevPerm is the previous permanence row of the latest period of care that began in the year: one row a child
// (INT35). A period with nothing recorded still has a row, so the gap is found.
func (c *child) prevPerm() []PrevPerm {
	for i := len(c.periods) - 1; i >= 0; i-- {
		per := c.periods[i]
		if !c.y.Contains(per.start()) {
			continue
		}
		row := PrevPerm{Child: c.p.LAChildID, DOB: formatDate(c.p.BirthDate)}
		for _, pp := range casework.All[*casework.PreviousPermanence](c.f) {
			if pp.EpisodeID == per.statuses[0].EpisodeID {
				row.PrevPerm, row.LAPerm, row.DatePerm = pp.Option, pp.LA, partialDate(pp.Year, pp.Month, pp.Day)
			}
		}
		return []PrevPerm{row}
	}
	return nil
}

// partialDate writes a date known perhaps only to the month or year, with zz for what is not known.
func partialDate(y, m, d int) string {
	if y == 0 {
		return ""
	}
	part := func(n int) string {
		if n == 0 {
			return "zz"
		}
		return fmt.Sprintf("%02d", n)
	}
	return part(d) + "/" + part(m) + "/" + strconv.Itoa(y)
}

// swEpisodes are the child's social workers through the year, for a child looked after at 31 March: every
// allocation of any of the child's cases to a worker, including while the child was not looked after.
func (c *child) swEpisodes() []SWEpisode {
	if !c.lookedAfterAt(c.y.End) {
		return nil
	}
	allocs := casework.All[*casework.Allocation](c.f)
	slices.SortStableFunc(allocs, func(a, b *casework.Allocation) int { return a.Start.Compare(b.Start) })
	var out []SWEpisode
	for _, a := range allocs {
		// Only social care's cases, the episodes of need, have social workers; early help's have other workers.
		if _, need := c.needs[a.CaseID]; !need || a.WorkerID == "" || a.Start == a.End || !c.y.Touches(a.Start, a.End) {
			continue
		}
		id := c.registrations[a.WorkerID]
		if id == "" {
			id = "XX"
		}
		out = append(out, SWEpisode{Child: c.p.LAChildID, DOB: formatDate(c.p.BirthDate), SWID: id,
			DECOM: formatDate(a.Start), DEC: c.withinYear(a.End), Reason: a.WorkerChange})
	}
	return out
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func optFlag(b *bool) string {
	if b == nil {
		return ""
	}
	return flag(*b)
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// compareDates orders two dd/mm/yyyy dates as dates.
func compareDates(a, b string) int {
	da, _ := parseDate(a)
	db, _ := parseDate(b)
	return da.Compare(db)
}
