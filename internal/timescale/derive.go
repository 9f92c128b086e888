package timescale

import (
	"slices"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// derivers holds, for each rule or family of rules, how its clocks start and what stops them. R28 (recording)
// is separate: see ComputeWork.
var derivers = []func(c *computer){
	frontDoor,        // R1, R3
	assessments,      // R2
	protection,       // R4–R9
	childInNeed,      // R10, R10.1
	lookedAfter,      // R11, R13–R15, R19, R21, R22
	placementPlans,   // R12
	placementVisits,  // R16–R18
	healthReviews,    // R20
	leavingCare,      // R23, R24
	missing,          // R25
	shortBreaks,      // R26
	privateFostering, // R27, R27.1
	oversight,        // S1
}

// events collects the dated records of one kind that pass keep.
func events[T casework.Record](f *casework.File, keep func(T) bool, date func(T) civil.Date) []event {
	var out []event
	for _, r := range casework.All[T](f) {
		if keep(r) && !date(r).IsZero() {
			out = append(out, event{id: r.Base().ID, date: date(r)})
		}
	}
	return out
}

// activities returns the activities of one type, in one episode unless episodeID is empty.
func activities(f *casework.File, typ, episodeID string) []event {
	return events(f, func(a *casework.Activity) bool {
		return a.Type == typ && (episodeID == "" || a.EpisodeID == episodeID)
	}, func(a *casework.Activity) civil.Date { return a.Date })
}

// priorityRules are the rules of each front-door priority rating.
var priorityRules = map[string]string{casework.PriorityRed: "F1", casework.PriorityAmber: "F2", casework.PriorityGreen: "F3"}

// R1: a decision on every contact within one working day of receipt; F1–F3: within the office hours of its
// priority rating. R3: where the decision is that significant
// harm is suspected, a strategy discussion.
func frontDoor(c *computer) {
	decisions := map[string]*casework.ThresholdDecision{}
	for _, d := range casework.All[*casework.ThresholdDecision](c.file) {
		decisions[d.ContactID] = d
	}
	strategies := events(c.file, func(*casework.StrategyDiscussion) bool { return true },
		func(s *casework.StrategyDiscussion) civil.Date { return s.Date })
	for _, ct := range casework.All[*casework.Contact](c.file) {
		received := londonDate(ct.ReceivedAt)
		var done *event
		d, decided := decisions[ct.ID]
		if decided {
			done = &event{id: d.ID, date: londonDate(d.DecidedAt)}
		}
		c.item("R1", ct.ID, "", received, done, civil.Date{}, false)
		if code, rated := priorityRules[ct.Priority]; rated {
			var at time.Time
			if decided {
				at = d.DecidedAt
			}
			c.itemOfficeHours(code, ct.ID, ct.ReceivedAt, done, at)
		}
		if decided && ct.Outcome == casework.OutcomeStrategy {
			at := londonDate(d.DecidedAt)
			c.item("R3", d.ID, "", at, first(strategies, at, civil.Date{}), civil.Date{}, false)
		}
	}
}

// R2: an assessment completed within 45 working days of the referral, for every referral not closed with no
// further action at the point of referral.
func assessments(c *computer) {
	for _, ep := range casework.All[*casework.Episode](c.file) {
		if ep.NFA {
			continue
		}
		done := first(events(c.file, func(a *casework.Assessment) bool { return a.EpisodeID == ep.ID },
			func(a *casework.Assessment) civil.Date { return a.Completed }), ep.ReferralDate, civil.Date{})
		c.item("R2", ep.ID, ep.ID, ep.ReferralDate, done, ep.ClosureDate, false)
	}
}

// R4–R9: section 47 enquiries, conferences, core groups and visits under a child protection plan.
func protection(c *computer) {
	strategyDate := map[string]civil.Date{}
	for _, s := range casework.All[*casework.StrategyDiscussion](c.file) {
		strategyDate[s.ID] = s.Date
	}
	conferences := casework.All[*casework.Conference](c.file)
	conferencesOf := func(episodeID, typ string) []event {
		var out []event
		for _, cf := range conferences {
			if cf.EpisodeID == episodeID && cf.Type == typ {
				out = append(out, event{id: cf.ID, date: cf.Date})
			}
		}
		return out
	}
	episodeEnd := map[string]civil.Date{}
	for _, ep := range casework.All[*casework.Episode](c.file) {
		episodeEnd[ep.ID] = ep.ClosureDate
	}
	for _, s := range casework.All[*casework.Section47](c.file) {
		began := strategyDate[s.StrategyDiscussionID]
		if began.IsZero() {
			began = s.Start
		}
		var ended *event
		if !s.End.IsZero() {
			ended = &event{id: s.ID, date: s.End}
		}
		c.item("R4", s.ID, s.EpisodeID, began, ended, episodeEnd[s.EpisodeID], false)
		// The conference is due unless the enquiry concluded that none is needed.
		if s.End.IsZero() || s.ConferenceRequired {
			icpc := first(conferencesOf(s.EpisodeID, casework.ConferenceInitial), began, civil.Date{})
			c.item("R5", s.ID, s.EpisodeID, began, icpc, episodeEnd[s.EpisodeID], false)
		}
	}
	for _, plan := range casework.All[*casework.CPPlan](c.file) {
		ep, until := plan.EpisodeID, plan.End
		start := event{id: plan.ID, date: plan.Start}
		// Core groups: the first within R6, then each within R6.1 of the one before.
		c.chain(start, activities(c.file, casework.ActivityCoreGroup, ep), ep, until, func(link int, _ event) (string, bool) {
			return map[bool]string{true: "R6", false: "R6.1"}[link == 0], false
		})
		// Review conferences: the first within R7 of the initial conference, then each within R8.
		var reviews []event
		for _, r := range conferencesOf(ep, casework.ConferenceReview) {
			if r.date.After(plan.Start) {
				reviews = append(reviews, r)
			}
		}
		c.chain(start, reviews, ep, until, func(link int, _ event) (string, bool) {
			return map[bool]string{true: "R7", false: "R8"}[link == 0], false
		})
		// Visits at which the child was seen, each within R9 of the one before, from the plan's start.
		visits := events(c.file, func(v *casework.Visit) bool { return v.EpisodeID == ep && v.Type == "cp" && v.ChildSeen },
			func(v *casework.Visit) civil.Date { return v.Date })
		c.chain(start, visits, ep, until, func(int, event) (string, bool) { return "R9", false })
	}
}

// R10 and R10.1: visits to a child in need and reviews of the plan.
func childInNeed(c *computer) {
	for _, plan := range casework.All[*casework.CINPlan](c.file) {
		ep := plan.EpisodeID
		start := event{id: plan.ID, date: plan.Start}
		visits := events(c.file, func(v *casework.Visit) bool { return v.EpisodeID == ep && v.Type == "cin" && v.ChildSeen },
			func(v *casework.Visit) civil.Date { return v.Date })
		c.chain(start, visits, ep, plan.End, func(int, event) (string, bool) { return "R10", false })
		c.chain(start, activities(c.file, casework.ActivityCINReview, ep), ep, plan.End,
			func(int, event) (string, bool) { return "R10.1", false })
	}
}

// R11–R15, R19, R21, R22: what each period of care needs.
func lookedAfter(c *computer) {
	born := c.file.Person().BirthDate
	periods := c.file.PeriodsOfCare()
	placements := casework.All[*casework.Placement](c.file)
	for i, per := range periods {
		ep := per.EpisodeID
		// Plans made since the previous period of care ended count, so a plan made before placement meets R11.
		since := civil.Date{}
		if i > 0 {
			since = periods[i-1].End
		}
		// The period's first placement is the subject of its clocks (the file's invariants make sure there is one).
		subject := ""
		for _, pl := range placements {
			if pl.Start == per.Start {
				subject = pl.ID
			}
		}
		if subject == "" {
			continue
		}
		c.item("R11", subject, ep, per.Start, first(activities(c.file, casework.ActivityCarePlan, ep), since, civil.Date{}), per.End, false)
		start := event{id: subject, date: per.Start}
		reviews := events(c.file, func(r *casework.CLAReview) bool { return r.EpisodeID == ep },
			func(r *casework.CLAReview) civil.Date { return r.Date })
		c.chain(start, reviews, ep, per.End, func(link int, _ event) (string, bool) {
			switch link {
			case 0:
				return "R13", false
			case 1:
				return "R14", false
			}
			return "R15", false
		})
		c.item("R19", subject, ep, per.Start, first(activities(c.file, casework.ActivityHealthAssessment, ep), per.Start, civil.Date{}), per.End, false)
		if !born.IsZero() {
			if due, ok := c.rules.add(per.Start, c.rules.byCode["R22"].Amount, c.rules.byCode["R22"].Unit); ok {
				if age := civil.Age(born, due); age >= 3 && age <= 17 {
					c.item("R22", subject, ep, per.Start, first(activities(c.file, casework.ActivityPEP, ep), since, civil.Date{}), per.End, false)
				}
			}
			sdqs := activities(c.file, casework.ActivitySDQ, ep)
			c.chain(start, sdqs, ep, per.End, func(_ int, prev event) (string, bool) {
				if age := civil.Age(born, prev.date.AddMonths(12)); age < 4 || age > 16 {
					return "", false
				}
				return "R21", false
			})
		}
	}
}

// R12: a placement plan within five working days of each placement's start. Each plan serves one placement: the
// earliest plan not already used, made after the previous placement began, so a plan made before a move meets it.
func placementPlans(c *computer) {
	placements := casework.All[*casework.Placement](c.file)
	slices.SortFunc(placements, func(a, b *casework.Placement) int { return a.Start.Compare(b.Start) })
	used := map[string]bool{}
	for i, pl := range placements {
		since := civil.Date{}
		if i > 0 {
			since = placements[i-1].Start.AddDays(1)
		}
		var unused []event
		for _, e := range activities(c.file, casework.ActivityPlacementPlan, pl.EpisodeID) {
			if !used[e.id] {
				unused = append(unused, e)
			}
		}
		done := first(unused, since, civil.Date{})
		if done != nil {
			used[done.id] = true
		}
		c.item("R12", pl.ID, pl.EpisodeID, pl.Start, done, pl.End, false)
	}
}

// R16–R18: visits to a looked-after child in each placement: within a week of its start, six-weekly in its first
// year, then three-monthly if it is meant to last until 18 and six-weekly if not.
func placementVisits(c *computer) {
	for _, pl := range casework.All[*casework.Placement](c.file) {
		visits := events(c.file, func(v *casework.Visit) bool { return v.EpisodeID == pl.EpisodeID && v.Type == "cla" && v.ChildSeen },
			func(v *casework.Visit) civil.Date { return v.Date })
		firstYear := pl.Start.AddMonths(12)
		c.chain(event{id: pl.ID, date: pl.Start}, visits, pl.EpisodeID, pl.End, func(link int, prev event) (string, bool) {
			switch {
			case link == 0:
				return "R16", false
			case prev.date.Before(firstYear):
				return "R17", false
			}
			return "R18", pl.LongTerm
		})
	}
}

// R20: each health assessment while looked after is followed by a review within six months for a child under 5
// on the due date, and within twelve months for an older child.
func healthReviews(c *computer) {
	born := c.file.Person().BirthDate
	for _, per := range c.file.PeriodsOfCare() {
		has := activities(c.file, casework.ActivityHealthAssessment, per.EpisodeID)
		var inPeriod []event
		for _, h := range has {
			if !h.date.Before(per.Start) && (per.End.IsZero() || !h.date.After(per.End)) {
				inPeriod = append(inPeriod, h)
			}
		}
		slices.SortFunc(inPeriod, func(a, b event) int { return a.date.Compare(b.date) })
		for i, h := range inPeriod {
			var next *event
			if i+1 < len(inPeriod) {
				next = &inPeriod[i+1]
			}
			alt := !born.IsZero() && civil.Age(born, h.date.AddMonths(6)) >= 5
			c.item("R20", h.id, per.EpisodeID, h.date, next, per.End, alt)
		}
	}
}

// R23 and R24: the pathway needs assessment within three months of a looked-after child's 16th birthday (or of
// becoming looked after at 16 or 17), then pathway plan reviews every six months until 21.
func leavingCare(c *computer) {
	born := c.file.Person().BirthDate
	if born.IsZero() {
		return
	}
	sixteen, twentyOne := born.AddMonths(16*12), born.AddMonths(21*12)
	assessments := activities(c.file, casework.ActivityPathwayAssessment, "")
	for _, per := range c.file.PeriodsOfCare() {
		var trigger civil.Date
		switch {
		case !per.Start.After(sixteen) && (per.End.IsZero() || per.End.After(sixteen)):
			trigger = sixteen
		case per.Start.After(sixteen) && per.Start.Before(born.AddMonths(18*12)):
			trigger = per.Start
		default:
			continue
		}
		done := first(assessments, trigger.AddMonths(-6), civil.Date{})
		c.item("R23", per.EpisodeID+"@"+trigger.String(), per.EpisodeID, trigger, done, per.End, false)
		if done != nil {
			// Reviews continue to the 21st birthday: nothing falls due after it.
			var reviews []event
			for _, r := range activities(c.file, casework.ActivityPathwayPlanReview, "") {
				if !r.date.After(twentyOne) {
					reviews = append(reviews, r)
				}
			}
			c.chain(*done, reviews, "", civil.Date{}, func(int, event) (string, bool) { return "R24", false })
			c.out = slices.DeleteFunc(c.out, func(d Due) bool { return d.Rule == "R24" && d.DueDate.After(twentyOne) })
		}
	}
}

// R25: a return home interview within 72 hours of the child's return.
func missing(c *computer) {
	for _, m := range casework.All[*casework.Missing](c.file) {
		if m.End.IsZero() {
			continue
		}
		var done *event
		switch {
		case !m.RHIDate.IsZero():
			done = &event{id: m.ID, date: m.RHIDate}
		case m.RHIOffered && !m.RHIAccepted:
			// Offered and declined: the duty was to offer, and it was offered on return.
			done = &event{id: m.ID, date: m.End}
		}
		c.item("R25", m.ID, m.EpisodeID, m.End, done, civil.Date{}, false)
	}
}

// R26: a short break (legal status V3 or V4) ends within 17 days, and short breaks total at most 75 days in any
// 12 months: the stay is due to end by whichever limit comes first.
func shortBreaks(c *computer) {
	rule, ok := c.rules.byCode["R26"]
	if !ok {
		return
	}
	var stays []*casework.LegalStatus
	for _, ls := range casework.All[*casework.LegalStatus](c.file) {
		if casework.ShortBreaks(ls.Code) {
			stays = append(stays, ls)
		}
	}
	for _, s := range stays {
		used := 0
		yearBefore := s.Start.AddMonths(-12)
		for _, o := range stays {
			if o == s || !o.Start.Before(s.Start) {
				continue
			}
			from, to := o.Start, o.End
			if from.Before(yearBefore) {
				from = yearBefore
			}
			if to.IsZero() || to.After(s.Start) {
				to = s.Start
			}
			if to.After(from) {
				used += to.DaysSince(from)
			}
		}
		due := s.Start.AddDays(rule.Amount)
		if left := s.Start.AddDays(rule.AltAmount - used); left.Before(due) {
			due = left
		}
		var done *event
		if !s.End.IsZero() {
			done = &event{id: s.ID, date: s.End}
		}
		c.itemDue(rule, s.ID, s.EpisodeID, s.Start, due, done, civil.Date{})
	}
}

// R27: visits to a privately fostered child: within a week of notification, then six-weekly in the first year and
// three-monthly after.
func privateFostering(c *computer) {
	visits := activities(c.file, casework.ActivityPrivateFosterVisit, "")
	for _, n := range activities(c.file, casework.ActivityPrivateFostering, "") {
		firstYear := n.date.AddMonths(12)
		c.chain(n, visits, "", civil.Date{}, func(link int, prev event) (string, bool) {
			switch {
			case link == 0:
				return "R27", false
			case prev.date.Before(firstYear):
				return "R27", true
			}
			return "R27.1", false
		})
	}
}

// R28: what happened is recorded within 24 hours for strategy discussions, section 47 enquiries, conferences and
// missing episodes, within 2 working days for visits and within the rule's amount (5 working days) for the rest.
// Only late recording becomes an item: a record written in time needs nobody's attention.
func recording(c *computer) {
	rule, ok := c.rules.byCode["R28"]
	if !ok {
		return
	}
	for _, r := range c.file.Records() {
		m := r.Base()
		first := m.FirstRecordedAt
		if first.IsZero() {
			first = m.RecordedAt
		}
		happened := r.Index().Start
		if first.IsZero() || happened.IsZero() {
			continue
		}
		var due civil.Date
		var ok bool
		switch r.Kind() {
		case casework.KindStrategy, casework.KindSection47, casework.KindConference, casework.KindMissing:
			due, ok = happened.AddDays(1), true
		case casework.KindVisit:
			due, ok = c.rules.add(happened, 2, WorkingDays)
		case casework.KindEpisode, casework.KindAssessment, casework.KindCINPlan, casework.KindCPPlan,
			casework.KindLegalStatus, casework.KindPlacement, casework.KindCLAReview, casework.KindActivity,
			casework.KindEarlyHelp:
			due, ok = c.rules.add(happened, rule.Amount, rule.Unit)
		}
		recorded := londonDate(first)
		if ok && recorded.After(due) {
			c.itemDue(rule, m.ID, "", happened, due, &event{id: m.ID, date: recorded}, civil.Date{})
		}
	}
}

// S1: manager oversight or supervision of each allocated social care case, from allocation and then from the
// last oversight.
func oversight(c *computer) {
	notes := activities(c.file, casework.ActivitySupervision, "")
	notes = append(notes, activities(c.file, casework.ActivityManagerOversight, "")...)
	for _, ep := range casework.All[*casework.Episode](c.file) {
		if ep.NFA {
			continue
		}
		c.chain(event{id: ep.ID, date: ep.ReferralDate}, notes, ep.ID, ep.ClosureDate,
			func(int, event) (string, bool) { return "S1", false })
	}
}
