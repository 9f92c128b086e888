package casework

import (
	"slices"

	"github.com/continuum-cs/continuum/internal/civil"
)

// check enforces the rules that involve more than one record. Each problem names the field a practitioner would
// correct and the record it clashes with.
func (f *File) check(today civil.Date) error {
	var p problems
	if f.person == nil {
		// A household's file holds only the household itself.
		for _, r := range f.records {
			if r.Kind() != KindHousehold {
				p.add("kind", "a household's file cannot hold a %s", r.Kind())
			}
		}
		return p.err()
	}
	if f.person.Role != RoleChild {
		f.checkAdult(&p)
		return p.err()
	}
	episodes := All[*Episode](f)
	f.checkEpisodes(&p, episodes)
	f.checkEpisodeMembers(&p)
	f.checkProtection(&p)
	f.checkLookedAfter(&p)
	f.checkFrontDoor(&p)
	f.checkAllocations(&p)
	f.checkTransitions(&p)
	f.checkLife(&p)
	return p.err()
}

// checkAdult allows an adult's file to hold only family links.
func (f *File) checkAdult(p *problems) {
	for _, r := range f.records {
		switch r.Kind() {
		case KindPerson, KindRelationship, KindHouseholdMember:
		default:
			p.add("kind", "an adult's file cannot hold a %s; record it on the child's file", r.Kind())
		}
	}
}

// checkEpisodes: episodes of need for one child never overlap, so at most one is open and each starts after the
// one before it closed.
func (f *File) checkEpisodes(p *problems, episodes []*Episode) {
	sorted := slices.Clone(episodes)
	slices.SortStableFunc(sorted, func(a, b *Episode) int { return a.ReferralDate.Compare(b.ReferralDate) })
	for i := 1; i < len(sorted); i++ {
		prev, next := sorted[i-1], sorted[i]
		switch {
		case prev.Open():
			p.add("referral_date", "the child already has an open episode of need, referred on %s; "+
				"record new information on it, or close it first", prev.ReferralDate)
		case !next.ReferralDate.After(prev.ClosureDate):
			p.add("referral_date", "%s overlaps the episode of need from %s to %s; episodes must not overlap",
				next.ReferralDate, prev.ReferralDate, prev.ClosureDate)
		}
	}
}

// dated is a record's span as checked against its episode.
func span2(r Record) (civil.Date, civil.Date) {
	ix := r.Index()
	return ix.Start, ix.End
}

// checkEpisodeMembers: every record that belongs to an episode names one on this file, falls inside it, and has
// ended by the time the episode closed.
func (f *File) checkEpisodeMembers(p *problems) {
	for _, r := range f.records {
		epID := episodeOf(r)
		if epID == "" {
			switch r.(type) {
			case *Reopening, *PreviousPermanence:
				if _, found := f.byID[r.Index().ParentID].(*Episode); !found {
					p.add("episode_id", "no such episode on this child's file")
				}
			}
			continue
		}
		ep, ok := f.byID[epID].(*Episode)
		if !ok {
			p.add("episode_id", "%s: no such episode on this child's file", r.Kind())
			continue
		}
		start, end := span2(r)
		if start.Before(ep.ReferralDate) {
			p.add(startField(r), "%s must not be before the referral on %s", start, ep.ReferralDate)
		}
		if ep.Open() {
			continue
		}
		if start.After(ep.ClosureDate) {
			p.add(startField(r), "%s is after the episode closed on %s", start, ep.ClosureDate)
		}
		if hasEnd(r) {
			switch {
			case end.IsZero():
				p.add("end", "a %s must end by the time its episode closes (%s)", r.Kind(), ep.ClosureDate)
			case end.After(ep.ClosureDate):
				p.add("end", "%s is after the episode closed on %s", end, ep.ClosureDate)
			}
		}
	}
}

// hasEnd reports whether a kind of record runs over a span that must end (plans, statuses, placements).
func hasEnd(r Record) bool {
	switch r.Kind() {
	case KindCINPlan, KindCPPlan, KindLegalStatus, KindPlacement, KindSection47, KindMissing:
		return true
	}
	return false
}

// startField names the date field that starts a record, for messages.
func startField(r Record) string {
	switch r.Kind() {
	case KindStrategy, KindConference, KindCLAReview, KindVisit, KindReopening, KindActivity:
		return "date"
	}
	return "start"
}

// checkProtection: a section 47 follows the strategy discussion that initiated it; a conference follows its
// enquiry; a child protection plan starts at the conference that decided on it; plans do not overlap; review
// conferences happen while a plan is in force.
func (f *File) checkProtection(p *problems) {
	for _, s := range All[*Section47](f) {
		sd, ok := f.byID[s.StrategyDiscussionID].(*StrategyDiscussion)
		switch {
		case !ok:
			p.add("strategy_discussion_id", "no such strategy discussion on this child's file")
		case sd.EpisodeID != s.EpisodeID:
			p.add("strategy_discussion_id", "the strategy discussion belongs to another episode")
		case s.Start.Before(sd.Date):
			p.add("start", "%s is before the strategy discussion on %s that initiated the enquiry", s.Start, sd.Date)
		}
	}
	plans := All[*CPPlan](f)
	for _, c := range All[*Conference](f) {
		if c.Section47ID != "" {
			s, ok := f.byID[c.Section47ID].(*Section47)
			switch {
			case !ok:
				p.add("section47_id", "no such section 47 enquiry on this child's file")
			case s.EpisodeID != c.EpisodeID:
				p.add("section47_id", "the section 47 enquiry belongs to another episode")
			case c.Date.Before(s.Start):
				p.add("date", "%s is before the section 47 enquiry started on %s", c.Date, s.Start)
			}
		}
		if c.Type == ConferenceReview && !slices.ContainsFunc(plans, func(pl *CPPlan) bool {
			return pl.EpisodeID == c.EpisodeID && c.Date.After(pl.Start) && (pl.End.IsZero() || !c.Date.After(pl.End))
		}) {
			p.add("date", "a review conference on %s needs a child protection plan in force that day", c.Date)
		}
	}
	for _, pl := range plans {
		c, ok := f.byID[pl.ConferenceID].(*Conference)
		switch {
		case !ok:
			p.add("conference_id", "no such conference on this child's file")
		case c.EpisodeID != pl.EpisodeID:
			p.add("conference_id", "the conference belongs to another episode")
		case c.Type == ConferenceReview || !c.PlanRequired:
			p.add("conference_id", "a plan starts at an initial or transfer-in conference that decided on a plan")
		case pl.Start != c.Date:
			p.add("start", "must be the date of the conference that decided on the plan (%s), not %s", c.Date, pl.Start)
		case pl.InitialCategory != c.Category:
			p.add("initial_category", "must be the category the conference decided (%s)", c.Category)
		}
	}
	checkNoOverlap(p, plans, "child protection plan")
	checkNoOverlap(p, All[*CINPlan](f), "child in need plan")
}

// checkNoOverlap reports overlapping spans among records of one kind. A span that ends on the day the next starts
// does not overlap it.
func checkNoOverlap[T Record](p *problems, records []T, what string) {
	sorted := slices.Clone(records)
	slices.SortStableFunc(sorted, func(a, b T) int { return a.Index().Start.Compare(b.Index().Start) })
	for i := 1; i < len(sorted); i++ {
		prev, next := sorted[i-1].Index(), sorted[i].Index()
		if prev.End.IsZero() || next.Start.Before(prev.End) {
			end := prev.End.String()
			if end == "" {
				end = "now (still open)"
			}
			p.add("start", "%s overlaps the %s from %s to %s", next.Start, what, prev.Start, end)
		}
	}
}

// period is a period of care: legal statuses that chain on the same day.
type period struct {
	start, end civil.Date // end is zero while the child is looked after
	statuses   []*LegalStatus
}

// Period is a period of care: from the day a child becomes looked after to the day care ceases (zero while it
// continues), through however many legal statuses.
type Period struct {
	Start, End civil.Date
	EpisodeID  string
}

// PeriodsOfCare returns the file's periods of care in date order.
func (f *File) PeriodsOfCare() []Period {
	statuses := All[*LegalStatus](f)
	slices.SortStableFunc(statuses, func(a, b *LegalStatus) int { return a.Start.Compare(b.Start) })
	var out []Period
	for _, per := range periodsOfCare(statuses) {
		out = append(out, Period{Start: per.start, End: per.end, EpisodeID: per.statuses[0].EpisodeID})
	}
	return out
}

// periodsOfCare chains sorted legal statuses into periods of care.
func periodsOfCare(statuses []*LegalStatus) []period {
	var out []period
	for _, ls := range statuses {
		if n := len(out); n > 0 && !out[n-1].end.IsZero() && out[n-1].end == ls.Start {
			out[n-1].end = ls.End
			out[n-1].statuses = append(out[n-1].statuses, ls)
			continue
		}
		out = append(out, period{start: ls.Start, end: ls.End, statuses: []*LegalStatus{ls}})
	}
	return out
}

// checkLookedAfter: legal statuses never overlap and chain on the same day within a period of care; a period of
// care always has a placement, with each placement change on the same day as the previous placement ended; a
// placement or review lies inside a period of care.
func (f *File) checkLookedAfter(p *problems) {
	statuses := All[*LegalStatus](f)
	slices.SortStableFunc(statuses, func(a, b *LegalStatus) int { return a.Start.Compare(b.Start) })
	checkNoOverlap(p, statuses, "legal status")
	placements := All[*Placement](f)
	slices.SortStableFunc(placements, func(a, b *Placement) int { return a.Start.Compare(b.Start) })
	checkNoOverlap(p, placements, "placement")
	if p.err() != nil {
		return
	}
	periods := periodsOfCare(statuses)
	for _, per := range periods {
		for i, ls := range per.statuses {
			last := i == len(per.statuses)-1
			switch {
			case !last && ls.CeasedReason != "":
				p.add("ceased_reason", "the legal status %s changes to another on %s, so care did not cease", ls.Code, ls.End)
			case last && !ls.End.IsZero() && ls.CeasedReason == "":
				p.add("ceased_reason", "is required: care ends on %s with no new legal status the same day", ls.End)
			}
		}
		var inPeriod []*Placement
		for _, pl := range placements {
			if !pl.Start.Before(per.start) && (per.end.IsZero() || pl.Start.Before(per.end)) {
				inPeriod = append(inPeriod, pl)
			}
		}
		checkPlacementChain(p, per, inPeriod)
	}
	within := func(d civil.Date) bool {
		return slices.ContainsFunc(periods, func(per period) bool {
			return !d.Before(per.start) && (per.end.IsZero() || !d.After(per.end))
		})
	}
	for _, pl := range placements {
		if !within(pl.Start) || (!pl.End.IsZero() && !within(pl.End)) {
			p.add("start", "the placement from %s is not within a period of care; record the legal status too", pl.Start)
		}
	}
	for _, r := range All[*CLAReview](f) {
		if !within(r.Date) {
			p.add("date", "%s is not while the child was looked after", r.Date)
		}
	}
}

// checkPlacementChain: the placements of a period of care start with it, follow each other on the same day, and
// end with it.
func checkPlacementChain(p *problems, per period, pls []*Placement) {
	if len(pls) == 0 || pls[0].Start != per.start {
		p.add("placement", "a child who becomes looked after on %s needs a placement starting that day", per.start)
		return
	}
	for i, pl := range pls {
		if i == len(pls)-1 {
			if pl.End != per.end {
				p.add("end", "the last placement must end when care ends (%s), not %s", orOpen(per.end), orOpen(pl.End))
			}
			if pl.ChangeReason != "" && pl.End == per.end {
				p.add("change_reason", "is given only when the child moves to another placement")
			}
			continue
		}
		next := pls[i+1]
		if pl.End != next.Start {
			p.add("start", "the placement from %s must start the day the one before it ended (%s)", next.Start, orOpen(pl.End))
		}
		if pl.ChangeReason == "" {
			p.add("change_reason", "is required when the child moves from the placement that started on %s", pl.Start)
		}
	}
}

func orOpen(d civil.Date) string {
	if d.IsZero() {
		return "still open"
	}
	return d.String()
}

// checkFrontDoor: a threshold decision is about a contact on this file and comes after it; early help episodes do
// not overlap.
func (f *File) checkFrontDoor(p *problems) {
	for _, d := range All[*ThresholdDecision](f) {
		c, ok := f.byID[d.ContactID].(*Contact)
		switch {
		case !ok:
			p.add("contact_id", "no such contact on this child's file")
		case d.DecidedAt.Before(c.ReceivedAt):
			p.add("decided_at", "the decision cannot come before the contact was received (%s)",
				c.ReceivedAt.In(london).Format("2006-01-02 15:04"))
		}
	}
	for _, e := range All[*Episode](f) {
		if e.ContactID == "" {
			continue
		}
		if c, ok := f.byID[e.ContactID].(*Contact); !ok {
			p.add("contact_id", "no such contact on this child's file")
		} else if e.ReferralDate.Before(civil.Of(c.ReceivedAt.In(london))) {
			p.add("referral_date", "must not be before the contact it came from")
		}
	}
	checkNoOverlap(p, All[*EarlyHelp](f), "early help episode")
}

// checkAllocations: an allocation is to a case on this file, within it, and a case has one allocation at a time.
func (f *File) checkAllocations(p *problems) {
	byCase := map[string][]*Allocation{}
	for _, a := range All[*Allocation](f) {
		var start, end civil.Date
		switch c := f.byID[a.CaseID].(type) {
		case *Episode:
			start, end = c.ReferralDate, c.ClosureDate
		case *EarlyHelp:
			start, end = c.Start, c.End
		default:
			p.add("case_id", "no such episode of need or early help on this child's file")
			continue
		}
		if a.Start.Before(start) {
			p.add("start", "%s is before the case began on %s", a.Start, start)
		}
		if !end.IsZero() && (a.End.IsZero() || a.End.After(end)) {
			p.add("end", "the allocation must end when the case closed (%s)", end)
		}
		byCase[a.CaseID] = append(byCase[a.CaseID], a)
	}
	for _, as := range byCase {
		checkNoOverlap(p, as, "allocation")
	}
}

// checkLife: nothing happens to a child more than 40 weeks before birth, nor after death.
func (f *File) checkLife(p *problems) {
	born := f.person.BirthDate
	if born.IsZero() {
		born = f.person.ExpectedBirthDate
	}
	earliest := born.AddDays(-280)
	for _, r := range f.records {
		if r.Kind() == KindPerson || r.Kind() == KindRelationship || r.Kind() == KindHouseholdMember {
			continue
		}
		start := r.Index().Start
		if start.IsZero() {
			continue
		}
		if start.Before(earliest) {
			p.add(startField(r), "%s is more than 40 weeks before the child's birth", start)
		}
		if d := f.person.DeathDate; !d.IsZero() && start.After(d) {
			p.add(startField(r), "%s is after the child's death", start)
		}
	}
}
