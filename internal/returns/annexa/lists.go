package annexa

import (
	"slices"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/geo"
)

// A Window is the period an Annex A covers, ending on the day the data is taken (the inspection's notice day, or
// 31 March for a year's lists). Lists 1-7 cover the six months to that day; lists 8-10 the twelve.
type Window struct {
	AsAt        civil.Date
	Six, Twelve civil.Date // the first days of the six and twelve months
}

// WindowTo is the window ending on asAt.
func WindowTo(asAt civil.Date) Window {
	return Window{AsAt: asAt, Six: asAt.AddMonths(-6).AddDays(1), Twelve: asAt.AddMonths(-12).AddDays(1)}
}

func (w Window) inSix(d civil.Date) bool { return !d.IsZero() && !d.Before(w.Six) && !d.After(w.AsAt) }
func (w Window) inTwelve(d civil.Date) bool {
	return !d.IsZero() && !d.Before(w.Twelve) && !d.After(w.AsAt)
}

// overlaps tells whether something running from start to end (zero while it runs) was under way on some day
// from from to the window's end.
func (w Window) overlaps(start, end, from civil.Date) bool {
	return !start.IsZero() && !start.After(w.AsAt) && (end.IsZero() || !end.Before(from))
}

// upTo is d if it falls on or before the window's end, else nothing: what happened after the data was taken is
// not reported.
func (w Window) upTo(d civil.Date) civil.Date {
	if d.After(w.AsAt) {
		return civil.Date{}
	}
	return d
}

// A Row is one line of a list: column heading to value (a string, a civil.Date or an int).
type Row map[string]any

// Staff names the council's teams and workers, for the allocated team and worker columns.
type Staff struct {
	Teams, Workers map[string]string // ID to name
}

// child is what the lists are made from for one child.
type child struct {
	w     Window
	p     *casework.Person
	f     *casework.File
	staff Staff
	alloc []*casework.Allocation
}

// rows adds the child's rows to each list they belong in.
func rows(f *casework.File, w Window, staff Staff, add func(list int, r Row)) {
	p := f.Person()
	if p == nil || p.Role != casework.RoleChild {
		return
	}
	c := &child{w: w, p: p, f: f, staff: staff, alloc: casework.All[*casework.Allocation](f)}
	slices.SortStableFunc(c.alloc, func(a, b *casework.Allocation) int { return a.Start.Compare(b.Start) })
	c.contacts(func(r Row) { add(1, r) })
	c.earlyHelp(func(r Row) { add(2, r) })
	c.referrals(func(r Row) { add(3, r) })
	c.assessments(func(r Row) { add(4, r) })
	c.section47s(func(r Row) { add(5, r) })
	c.childrenInNeed(func(r Row) { add(6, r) })
	c.protection(func(r Row) { add(7, r) })
	c.lookedAfter(func(r Row) { add(8, r) })
	c.careLeaver(func(r Row) { add(9, r) })
	c.adoption(func(r Row) { add(10, r) })
}

// common is the block of columns most lists start with; disability is added for lists 4-10.
func (c *child) common(disability bool) Row {
	r := Row{"Child Unique ID": c.p.LAChildID, "Sex": option("sex", c.p.Sex), "Ethnicity": option("ethnicity", c.p.Ethnicity),
		"Date of Birth": c.p.BirthDate, "Age": ""}
	if !c.p.BirthDate.IsZero() && !c.p.BirthDate.After(c.w.AsAt) {
		r["Age"] = civil.Age(c.p.BirthDate, c.w.AsAt)
	}
	if disability {
		r["Does the Child have a Disability"] = yesNo(disabled(c.p))
	}
	return r
}

func disabled(p *casework.Person) bool {
	return len(p.Disabilities) > 0 && !slices.Equal(p.Disabilities, []string{"NONE"})
}

// allocated fills the allocated team and worker as they were on day d: the allocation under way then, or the
// last one before it.
func (c *child) allocated(r Row, d civil.Date) Row {
	var team, worker string
	for _, a := range c.alloc {
		if a.Start.After(d) {
			break
		}
		team, worker = c.staff.Teams[a.TeamID], c.staff.Workers[a.WorkerID]
	}
	r["Allocated Team"], r["Allocated Worker"] = team, worker
	return r
}

// until is the earlier of the window's end and end, the day a case's allocation is reported as at.
func (c *child) until(end civil.Date) civil.Date {
	if !end.IsZero() && end.Before(c.w.AsAt) {
		return end
	}
	return c.w.AsAt
}

func (c *child) contacts(add func(Row)) {
	for _, ct := range casework.All[*casework.Contact](c.f) {
		if day := ct.Index().Start; c.w.inSix(day) {
			r := c.common(false)
			r["Date of Contact"], r["Contact Source"] = day, option("source", ct.Source)
			add(r)
		}
	}
}

func (c *child) earlyHelp(add func(Row)) {
	for _, eh := range casework.All[*casework.EarlyHelp](c.f) {
		if !c.w.inSix(eh.EHAStart) && !c.w.inSix(eh.EHACompleted) {
			continue
		}
		r := c.common(false)
		r["Assessment start date"], r["Assessment completion date"] = eh.EHAStart, c.w.upTo(eh.EHACompleted)
		r["Organisation completing assessment"] = eh.LeadProfessional.Agency
		add(r)
	}
}

func (c *child) referrals(add func(Row)) {
	episodes := casework.All[*casework.Episode](c.f)
	for _, e := range episodes {
		if !c.w.inSix(e.ReferralDate) {
			continue
		}
		recent := 0
		for _, other := range episodes {
			if !other.ReferralDate.After(e.ReferralDate) && other.ReferralDate.After(e.ReferralDate.AddMonths(-12)) {
				recent++
			}
		}
		r := c.common(false)
		r["Date of Referral"], r["Referral Source"], r["Referral NFA?"] = e.ReferralDate, option("source", e.Source), yesNo(e.NFA)
		r["Number of Referrals in Last 12 Months"] = recent
		add(c.allocated(r, c.until(e.ClosureDate)))
	}
}

func (c *child) assessments(add func(Row)) {
	for _, a := range casework.All[*casework.Assessment](c.f) {
		open := a.Authorised.IsZero() || a.Authorised.After(c.w.AsAt)
		if !c.w.inSix(a.Start) && !c.w.inSix(a.Authorised) && !(open && !a.Start.After(c.w.AsAt)) {
			continue
		}
		r := c.common(true)
		r["Continuous Assessment Start Date"], r["Child Seen During Continuous Assessment"] = a.Start, yesNo(a.ChildSeen)
		r["Continuous Assessment Date of Authorisation"] = c.w.upTo(a.Authorised)
		r["Was the child assessed as requiring LA children's social care support?"] = ""
		if !open {
			r["Was the child assessed as requiring LA children's social care support?"] = yesNo(a.NeedsServices)
		}
		add(c.allocated(r, c.until(a.Authorised)))
	}
}

func (c *child) section47s(add func(Row)) {
	strategies := map[string]civil.Date{}
	for _, sd := range casework.All[*casework.StrategyDiscussion](c.f) {
		strategies[sd.ID] = sd.Date
	}
	var initial []*casework.Conference
	for _, conf := range casework.All[*casework.Conference](c.f) {
		if conf.Type == casework.ConferenceInitial && !conf.Date.After(c.w.AsAt) {
			initial = append(initial, conf)
		}
	}
	all := casework.All[*casework.Section47](c.f)
	lastYear := func(d civil.Date) bool { return c.w.inTwelve(d) }
	s47s, icpcs := 0, 0
	for _, s := range all {
		if lastYear(s.Start) {
			s47s++
		}
	}
	for _, conf := range initial {
		if lastYear(conf.Date) {
			icpcs++
		}
	}
	for _, s := range all {
		if !c.w.inSix(s.Start) {
			continue
		}
		r := c.common(true)
		r["Strategy discussion initiating Section 47 Enquiry Start Date"] = strategies[s.StrategyDiscussionID]
		r["Was an Initial Child Protection Conference deemed unnecessary?"] = ""
		if ended := c.w.upTo(s.End); !ended.IsZero() {
			r["Was an Initial Child Protection Conference deemed unnecessary?"] = yesNo(!s.ConferenceRequired)
		}
		r["Date of Initial Child Protection Conference"] = civil.Date{}
		r["Did the Initial Child Protection Conference Result in a Child Protection Plan"] = ""
		for _, conf := range initial {
			if conf.Section47ID == s.ID {
				r["Date of Initial Child Protection Conference"] = conf.Date
				r["Did the Initial Child Protection Conference Result in a Child Protection Plan"] = yesNo(conf.PlanRequired)
			}
		}
		r["Number of Section 47 Enquiries in the last 12 months"], r["Number of ICPCs in the last 12 months"] = s47s, icpcs
		add(c.allocated(r, c.until(s.End)))
	}
}

// lastVisit is the last visit of the given type ("" for any), from from to to, on which the child was seen.
func (c *child) lastVisit(kind string, from, to civil.Date) *casework.Visit {
	var last *casework.Visit
	for _, v := range casework.All[*casework.Visit](c.f) {
		if (kind == "" || v.Type == kind) && v.ChildSeen && !v.Date.Before(from) && !v.Date.After(to) &&
			(last == nil || v.Date.After(last.Date)) {
			last = v
		}
	}
	return last
}

// covering is whether some record of type T on the file was under way on day d.
func covering[T casework.Record](f *casework.File, d civil.Date) bool {
	for _, r := range casework.All[T](f) {
		ix := r.Index()
		if !ix.Start.IsZero() && !d.Before(ix.Start) && (ix.End.IsZero() || d.Before(ix.End)) {
			return true
		}
	}
	return false
}

func (c *child) childrenInNeed(add func(Row)) {
	for _, e := range casework.All[*casework.Episode](c.f) {
		if e.NFA || !c.w.overlaps(e.ReferralDate, e.ClosureDate, c.w.Six) {
			continue
		}
		r := c.common(true)
		closed := c.w.upTo(e.ClosureDate)
		r["CIN Start Date"], r["Primary Need Code"] = e.ReferralDate, option("need", e.PrimaryNeed)
		r["Date Child Was Last Seen"] = civil.Date{}
		if v := c.lastVisit("", e.ReferralDate, c.until(e.ClosureDate)); v != nil {
			r["Date Child Was Last Seen"] = v.Date
		}
		r["CIN Closure Date"], r["Reason for Closure"] = closed, ""
		if !closed.IsZero() {
			r["Reason for Closure"] = option("closure", e.ClosureReason)
		}
		on := c.until(e.ClosureDate)
		if !closed.IsZero() {
			on = closed.AddDays(-1)
		}
		status := "CINP"
		switch {
		case !closed.IsZero():
			status = "CLOSED"
		case covering[*casework.LegalStatus](c.f, on):
			status = "LAC"
		case covering[*casework.CPPlan](c.f, on):
			status = "CPP"
		case covering[*casework.Assessment](c.f, on) && !covering[*casework.CINPlan](c.f, on):
			status = "ASSESSMENT"
		}
		r["Case Status"] = option("status", status)
		add(c.allocated(r, on))
	}
}

func (c *child) protection(add func(Row)) {
	for _, plan := range casework.All[*casework.CPPlan](c.f) {
		if !c.w.overlaps(plan.Start, plan.End, c.w.Six) {
			continue
		}
		r := c.common(true)
		ended := c.w.upTo(plan.End)
		to := c.until(plan.End)
		r["Child Protection Plan Start Date"] = plan.Start
		r["Initial Category of Abuse"], r["Latest Category of Abuse"] = option("abuse", plan.InitialCategory), option("abuse", plan.LatestCategory)
		r["Date of the Last Statutory Visit"], r["Was the Child Seen Alone?"] = civil.Date{}, ""
		if v := c.lastVisit("cp", plan.Start, to); v != nil {
			r["Date of the Last Statutory Visit"], r["Was the Child Seen Alone?"] = v.Date, yesNo(v.SeenAlone)
		}
		var review civil.Date
		for _, conf := range casework.All[*casework.Conference](c.f) {
			if conf.Type == casework.ConferenceReview && !conf.Date.Before(plan.Start) && !conf.Date.After(to) && conf.Date.After(review) {
				review = conf.Date
			}
		}
		r["Date of latest review conference"], r["Child Protection Plan End Date"] = review, ended
		emergency := false
		for _, ls := range casework.All[*casework.LegalStatus](c.f) {
			emergency = emergency || (ls.Code == "L1" || ls.Code == "L2") && c.w.inSix(ls.Start)
		}
		r["Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)"] = yesNo(emergency)
		r["Number of Previous Child Protection Plans"] = plan.PriorPlans
		add(c.allocated(r, to))
	}
}

// careSpell is a period of care: legal statuses that follow one another without a gap.
type careSpell struct{ statuses []*casework.LegalStatus }

func (s careSpell) start() civil.Date { return s.statuses[0].Start }
func (s careSpell) end() civil.Date   { return s.statuses[len(s.statuses)-1].End }

func spells(f *casework.File) []careSpell {
	statuses := casework.All[*casework.LegalStatus](f)
	slices.SortStableFunc(statuses, func(a, b *casework.LegalStatus) int { return a.Start.Compare(b.Start) })
	var out []careSpell
	for _, ls := range statuses {
		if n := len(out); n > 0 && out[n-1].end() == ls.Start {
			out[n-1].statuses = append(out[n-1].statuses, ls)
			continue
		}
		out = append(out, careSpell{[]*casework.LegalStatus{ls}})
	}
	return out
}

func (c *child) lookedAfter(add func(Row)) {
	all := spells(c.f)
	var spell *careSpell
	earlier := false
	for i := range all {
		if c.w.overlaps(all[i].start(), all[i].end(), c.w.Twelve) {
			if spell != nil {
				earlier = true
			}
			spell = &all[i]
		}
	}
	if spell == nil {
		return
	}
	// The spell before this one, if it ended within the twelve months, makes this a second period.
	for i := range all {
		if &all[i] != spell && all[i].start().Before(spell.start()) && c.w.inTwelve(all[i].end()) {
			earlier = true
		}
	}
	to := c.until(spell.end())
	if ended := c.w.upTo(spell.end()); !ended.IsZero() {
		to = ended.AddDays(-1)
	}
	status := spell.statuses[0]
	for _, ls := range spell.statuses {
		if !ls.Start.After(to) {
			status = ls
		}
	}
	r := c.common(true)
	r["Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N))"] =
		yesNo(c.p.UASC && (c.p.UASCCeased.IsZero() || !c.p.UASCCeased.Before(c.w.Twelve)))
	r["Date Started to be Looked After"] = spell.start()
	r["Child's Category of Need"] = ""
	if e, ok := c.f.Get(status.EpisodeID); ok {
		r["Child's Category of Need"] = option("need", e.(*casework.Episode).PrimaryNeed)
	}
	r["Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)"] = yesNo(earlier)
	r["Start date of current legal status"], r["Child's Legal Status"] = status.Start, option("legal", status.Code)
	var review civil.Date
	for _, rv := range casework.All[*casework.CLAReview](c.f) {
		if !rv.Date.Before(spell.start()) && !rv.Date.After(to) && rv.Date.After(review) {
			review = rv.Date
		}
	}
	r["Date of Latest Statutory Review"], r["Date of Last Social Work Visit"] = review, civil.Date{}
	if v := c.lastVisit("cla", spell.start(), to); v != nil {
		r["Date of Last Social Work Visit"] = v.Date
	}
	// Not yet recorded: the permanence plan, IRO contact, health assessments and dental checks.
	for _, col := range []string{"What is the permanence plan for this child?", "Date of Last IRO Visit / Contact to the Child",
		"Date of Last Health Assessment", "Date of Last Dental Check"} {
		r[col] = ""
	}
	moves, latest := 0, (*casework.Placement)(nil)
	for _, pl := range casework.All[*casework.Placement](c.f) {
		if casework.TemporaryPlacement(pl.Type) || !c.w.overlaps(pl.Start, pl.End, c.w.Twelve) {
			continue
		}
		moves++
		if !pl.Start.After(to) && (latest == nil || pl.Start.After(latest.Start)) {
			latest = pl
		}
	}
	r["Number of Placements in the Last 12 months"] = moves
	ended := c.w.upTo(spell.end())
	r["Date Ceased to be Looked After"], r["Reason Ceased to be Looked After"] = ended, ""
	if !ended.IsZero() {
		r["Reason Ceased to be Looked After"] = option("ceased", spell.statuses[len(spell.statuses)-1].CeasedReason)
	}
	for _, col := range []string{"Start Date of Most Recent Placement", "Placement Type", "Placement Provider",
		"Placement postcode", "URN of Placement", "Placement Location", "LA of Placement"} {
		r[col] = ""
	}
	if latest != nil {
		r["Start Date of Most Recent Placement"], r["Placement Type"] = latest.Start, option("place", latest.Type)
		r["Placement Provider"], r["Placement postcode"], r["URN of Placement"] = option("provider", latest.Provider), latest.Postcode, latest.URN
		r["Placement Location"] = option("location", map[bool]string{true: "IN", false: "OUT"}[latest.InArea])
		if d, ok := geo.Lookup(latest.Postcode); ok {
			r["LA of Placement"] = d.Council
		}
	}
	missing, away := 0, 0
	var last *casework.Missing
	for _, m := range casework.All[*casework.Missing](c.f) {
		if !c.w.inTwelve(m.Start) {
			continue
		}
		if m.Type == "M" {
			missing++
			if last == nil || m.Start.After(last.Start) {
				last = m
			}
		} else {
			away++
		}
	}
	r["Number of Episodes the Child has been ‘Missing’ from their Placement in the last 12 months"] = missing
	r["Number of Episodes the Child has been ‘Absent’ from their Placement in the last 12 months"] = away
	r["Was the child offered a Return Interview after their last missing episode (Y/N)?"] = ""
	r["Did the child accept a Return Interview after their last missing episode (Y/N)?"] = ""
	if last != nil {
		r["Was the child offered a Return Interview after their last missing episode (Y/N)?"] = yesNo(last.RHIOffered)
		r["Did the child accept a Return Interview after their last missing episode (Y/N)?"] = yesNo(last.RHIAccepted)
	}
	add(c.allocated(r, to))
}

func (c *child) careLeaver(add func(Row)) {
	var latest *casework.CareLeaver
	for _, cl := range casework.All[*casework.CareLeaver](c.f) {
		if c.w.inTwelve(cl.ContactDate) && (latest == nil || cl.ContactDate.After(latest.ContactDate)) {
			latest = cl
		}
	}
	if latest == nil {
		return
	}
	r := c.common(true)
	r["Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)"] = yesNo(c.p.UASC)
	c.allocated(r, c.w.AsAt)
	r["Allocated Personal Advisor"] = latest.PersonalAdviser
	r["Eligibility Category"] = option("eligibility", latest.Category)
	r["Latest Pathway Plan Review Date"] = c.w.upTo(latest.PathwayPlanReviewed)
	r["LA in Touch"], r["Latest Date of Contact"] = option("intouch", latest.InTouch), latest.ContactDate
	r["Type of Accommodation"], r["Suitability of Accommodation"] = "", ""
	if a := latest.Accommodation; len(a) == 2 {
		r["Type of Accommodation"], r["Suitability of Accommodation"] = option("accommodation", a[:1]), option("suitability", a[1:])
	}
	r["Activity Status"] = option("activity", latest.Activity)
	add(r)
}

func (c *child) adoption(add func(Row)) {
	for _, a := range casework.All[*casework.Adoption](c.f) {
		if !c.w.overlaps(a.Decision, a.Ceased, c.w.Twelve) {
			continue
		}
		var spell *careSpell
		all := spells(c.f)
		for i := range all {
			if !all[i].start().After(a.Decision) {
				spell = &all[i]
			}
		}
		var entered, order, adopted civil.Date
		if spell != nil {
			entered = spell.start()
			for _, ls := range spell.statuses {
				if ls.Code == "E1" && !ls.Start.After(c.w.AsAt) {
					order = ls.Start
				}
			}
			if last := spell.statuses[len(spell.statuses)-1]; last.CeasedReason == "E11" || last.CeasedReason == "E12" {
				adopted = c.w.upTo(last.End)
			}
		}
		// A child adopted before the twelve months is no longer of interest.
		if !adopted.IsZero() && adopted.Before(c.w.Twelve) {
			continue
		}
		r := c.common(true)
		r["Age of Child (Years)"] = r["Age"]
		delete(r, "Age")
		r["Family identifier"] = ""
		r["Date the Child Entered Care"], r["Date of Placement Order"], r["Date of Adoption Order"] = entered, order, adopted
		r["Date of Decision that Child Should be Placed for Adoption"] = a.Decision
		r["Date of Matching Child and Prospective Adopters"] = c.w.upTo(a.Matched)
		var placed, fostering civil.Date
		for _, pl := range casework.All[*casework.Placement](c.f) {
			if pl.Start.Before(a.Decision.AddMonths(-24)) || pl.Start.After(c.w.AsAt) {
				continue
			}
			switch pl.Type {
			case "A3", "A4", "A5", "A6":
				if placed.IsZero() && !pl.Start.Before(a.Decision) {
					placed = pl.Start
				}
			case "U2", "U5":
				if fostering.IsZero() {
					fostering = pl.Start
				}
			}
		}
		r["Date Placed for Adoption"] = placed
		ceased := c.w.upTo(a.Ceased)
		r["Date of Decision that Child Should No Longer be Placed for Adoption"], r["Reason Why Child No Longer Placed for Adoption"] = ceased, ""
		if !ceased.IsZero() {
			r["Reason Why Child No Longer Placed for Adoption"] = option("rd", a.CeasedReason)
		}
		r["Date the child was placed for fostering in FFA or concurrent planning placement"] = fostering
		add(r)
	}
}
