package synth

import (
	"fmt"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/geo"
)

// referredChain is a child referred to social care on day, and re-referred after each closure with the chance
// and gaps the brief gives.
func (ch *child) referredChain(c *council, day civil.Date) {
	ch.born(day, ch.rng.band(referralAge))
	if ch.rng.chance(0.25) {
		if before := day.AddDays(-ch.rng.between(20, 200)); before.After(ch.person.BirthDate) {
			ch.contact(before, casework.OutcomeAdvice)
		}
	}
	for !day.After(c.last) && ch.age(day) < 17 {
		closed := ch.referral(day, "")
		// A step down may have led to early help and a step back up: the chain goes on from the latest episode.
		if latest := ch.lastEpisode(); latest.Open() {
			return
		} else if latest.ClosureDate.After(closed) {
			closed = latest.ClosureDate
		}
		// Quick closures (no further action, no services) come back sooner and more often than long cases.
		again, gaps := c.p.again*1.25, quickReReferralDays
		if closed.DaysSince(day) > 100 {
			again, gaps = c.p.again*0.75, reReferralDays[1:]
		}
		if !ch.rng.chance(again) {
			return
		}
		next := day.AddDays(ch.rng.band(gaps))
		if !next.After(closed) {
			next = closed.AddDays(ch.rng.between(7, 45))
		}
		day = next
	}
}

// contactsOnly is a child the front door hears about once or twice without a referral: advice, signposting or
// early help.
func (ch *child) contactsOnly(c *council, day civil.Date) {
	ch.born(day, ch.rng.between(0, 17))
	for n := 0; n < 3 && !day.After(c.last) && ch.age(day) < 18; n++ {
		if ch.rng.chance(c.p.contactEH) {
			ct := ch.contact(day, casework.OutcomeEarlyHelp)
			ch.earlyHelp(civil.Of(ct.ReceivedAt.In(casework.London())).AddDays(ch.rng.between(1, 10)), nil)
			return
		}
		ch.contact(day, ch.rng.code([]weightedCode{{casework.OutcomeAdvice, 55}, {casework.OutcomeNFA, 45}}))
		if !ch.rng.chance(0.2) {
			return
		}
		day = day.AddDays(ch.rng.between(30, 500))
	}
}

// referral records a contact that becomes a referral on day (or a step up from early help, when from is given),
// then everything that follows. It returns the day the episode closed, or zero if it is still open.
func (ch *child) referral(day civil.Date, fromEarlyHelp string) civil.Date {
	c, r := ch.c, ch.rng
	ep := &casework.Episode{ReferralDate: day, PrimaryNeed: r.code(primaryNeeds)}
	if fromEarlyHelp == "" {
		ct := ch.contact(day, casework.OutcomeAssessment)
		ep.ContactID, ep.Source = ct.ID, ct.Source
	} else {
		ep.Source = "5D"
	}
	ch.add(ep)
	ch.open = ep
	assessTeam := "assess:" + ch.dist.name
	if r.chance(c.opt.Scale.Rates.NFA) {
		ep.NFA, ep.PrimaryNeed = true, ""
		return ch.close(day.AddDays(r.between(0, 1)), "RC8")
	}
	ch.allocate(ep.ID, assessTeam, day, civil.Date{})
	ch.supervise(ep, day)
	a := &casework.Assessment{EpisodeID: ep.ID, Start: day, ChildSeen: true}
	ch.add(a)
	ch.visit(ep, day.AddDays(r.between(1, 7)), "other", 1, 0.9)
	if done := ch.wd(day, r.band(assessmentDays)); !done.After(c.last) {
		a.Completed, a.Authorised, a.AuthorisedBy = done, done, "team manager"
		if r.chance(0.2) {
			a.Authorised = ch.wd(done, 1)
		}
		if a.Authorised.After(c.last) {
			a.Authorised, a.AuthorisedBy = civil.Date{}, ""
		} else {
			a.Factors = ch.factors()
		}
	}
	if r.chance(c.p.careDirect) {
		a.NeedsServices = true
		return ch.care(day.AddDays(r.between(0, 3)))
	}
	decidedOn, closing := a.Authorised, [2]string{"RC8", "RC9"}
	if r.chance(c.p.s47) {
		// After an enquiry the case closes as any other whose services cease: the DfE keeps RC8 and RC9 (rule
		// 2990) for cases closed on the assessment alone.
		closing = [2]string{"RC7", "RC7"}
		end, decided, enquiryEnd := ch.protection(ep, day)
		if decided {
			return end
		}
		if enquiryEnd.IsZero() {
			return civil.Date{}
		}
		if enquiryEnd.After(decidedOn) {
			decidedOn = enquiryEnd
		}
	}
	if a.Authorised.IsZero() {
		return civil.Date{}
	}
	if r.chance(c.opt.Scale.Rates.NotInNeed) {
		if r.chance(0.3) {
			return ch.stepDown(decidedOn, closing[1], "assessment_no_statutory_need")
		}
		return ch.close(decidedOn, closing[0])
	}
	a.NeedsServices = true
	return ch.childInNeed(ep, a.Authorised.AddDays(r.between(1, 10)), ch.cinPlanDays())
}

func (ch *child) factors() []string {
	n := ch.rng.between(1, 4)
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		if f := ch.rng.code(factorWeights); !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// supervise records managers' supervision of a social care case every two months while it is open; the manager
// is the one of the team holding the case that day, named when teams are staffed.
func (ch *child) supervise(ep *casework.Episode, from civil.Date) {
	ch.every(from.AddDays(ch.rng.between(20, 55)), 60, civil.Date{}, func(d civil.Date) {
		ch.add(&casework.Activity{EpisodeID: ep.ID, Type: casework.ActivitySupervision, Date: d})
	})
}

// close closes the open episode on day (if that is not after the period) and returns the closure day.
func (ch *child) close(day civil.Date, reason string) civil.Date {
	ep := ch.open
	if ep == nil || day.After(ch.c.last) {
		return civil.Date{}
	}
	ep.ClosureDate, ep.ClosureReason = day, reason
	for _, ref := range ch.allocs {
		if a := ref.rec.(*casework.Allocation); a.CaseID == ep.ID && a.End.IsZero() {
			a.End = day
		}
	}
	// Everything recorded after the closure belongs to what never happened, and work still under way ends with
	// the episode.
	kept := ch.records[:0]
	for _, r := range ch.records {
		if after(r, ep.ID, day) {
			continue
		}
		switch v := r.(type) {
		case *casework.Assessment:
			if v.EpisodeID == ep.ID && v.Authorised.After(day) {
				v.Authorised = day
				if v.Completed.After(day) {
					v.Completed = day
				}
			}
		case *casework.Section47:
			if v.EpisodeID == ep.ID && v.End.After(day) {
				v.End = day
			}
		case *casework.CINPlan:
			if v.EpisodeID == ep.ID && v.End.After(day) {
				v.End = day
			}
		case *casework.CPPlan:
			if v.EpisodeID == ep.ID && v.End.After(day) {
				v.End = day
			}
		}
		kept = append(kept, r)
	}
	ch.records = kept
	ch.open = nil
	return day
}

// after reports whether r belongs to the episode and starts after day.
func after(r casework.Record, episodeID string, day civil.Date) bool {
	ix := r.Index()
	switch r.(type) {
	case *casework.Visit, *casework.Activity, *casework.Conference, *casework.CLAReview:
		return ix.ParentID == episodeID && ix.Start.After(day)
	}
	return false
}

// stepDown closes the episode with an early help case taking the child on: a recorded step-down decision.
func (ch *child) stepDown(day civil.Date, reason, criterion string) civil.Date {
	ep := ch.open
	if day.After(ch.c.last) {
		return civil.Date{}
	}
	lead := casework.Professional{Name: ch.rng.pick(adultNames) + " " + ch.rng.pick(familyNames), Agency: "School"}
	t := &casework.Transition{Direction: casework.StepDown, Date: day, FromID: ep.ID, Criteria: []string{criterion},
		DecisionMaker: "team manager", Rationale: "needs can be met by early help with the family's agreement",
		ConsentDate: day, LeadProfessional: lead}
	ch.add(t)
	closed := ch.close(day, reason)
	if eh := ch.earlyHelp(day.AddDays(ch.rng.exp(12)), &lead); eh != nil {
		t.ToID = eh.ID
	}
	return closed
}

// earlyHelp records an early help episode from day, which may step up to social care.
func (ch *child) earlyHelp(day civil.Date, lead *casework.Professional) *casework.EarlyHelp {
	c, r := ch.c, ch.rng
	if day.After(c.last) || ch.inEarlyHelp(day) {
		return nil
	}
	if lead == nil {
		lead = &casework.Professional{Name: r.pick(adultNames) + " " + r.pick(familyNames),
			Agency: r.pick([]string{"School", "Health visiting", "Family support", "Children's centre"})}
	}
	eh := &casework.EarlyHelp{Start: day, ConsentDate: day, EHAStart: day, LeadProfessional: *lead,
		TeamAroundFamily: []casework.Professional{{Name: r.pick(adultNames) + " " + r.pick(familyNames), Agency: "Health visiting"}}}
	if done := day.AddDays(r.between(10, 40)); !done.After(c.last) {
		eh.EHACompleted = done
	}
	ch.add(eh)
	team := "eh:" + ch.dist.name
	end := day.AddDays(r.between(60, 300))
	if r.chance(c.p.stepUp) {
		up := day.AddDays(r.between(30, 200))
		if !up.After(c.last) && ch.open == nil && ch.age(up) < 17 {
			eh.End, eh.Outcome = up, "step_up"
			ch.allocate(eh.ID, team, day, up)
			t := &casework.Transition{Direction: casework.StepUp, Date: up, FromID: eh.ID,
				Criteria: []string{r.pick(casework.StepUpCriteria)}, DecisionMaker: "early help manager",
				Rationale: "needs are not being met at this level"}
			ch.add(t)
			referred := up.AddDays(r.exp(5))
			if !referred.After(c.last) {
				ch.referral(referred, eh.ID)
				t.ToID = ch.lastEpisode().ID
			}
			return eh
		}
	}
	if !end.After(c.last) {
		eh.End, eh.Outcome = end, r.code([]weightedCode{{"needs_met", 70}, {"family_declined", 12}, {"universal_services", 10}, {"moved_away", 8}})
	}
	ch.allocate(eh.ID, team, day, eh.End)
	return eh
}

// inEarlyHelp reports whether an early help episode is open on day or after it.
func (ch *child) inEarlyHelp(day civil.Date) bool {
	for _, r := range ch.records {
		if eh, ok := r.(*casework.EarlyHelp); ok && (eh.End.IsZero() || !eh.End.Before(day)) {
			return true
		}
	}
	return false
}

func (ch *child) lastEpisode() *casework.Episode {
	for i := len(ch.records) - 1; i >= 0; i-- {
		if ep, ok := ch.records[i].(*casework.Episode); ok {
			return ep
		}
	}
	return nil
}

// protection records a strategy discussion and section 47 enquiry from the referral on day and, when the
// enquiry leads to one, the initial conference and plan. decided is false when the enquiry ends without a
// conference (on enquiryEnd, zero while it goes on), leaving the assessment to decide.
func (ch *child) protection(ep *casework.Episode, day civil.Date) (closed civil.Date, decided bool, enquiryEnd civil.Date) {
	c, r := ch.c, ch.rng
	sd := &casework.StrategyDiscussion{EpisodeID: ep.ID, Date: ch.nextWorkingDay(day.AddDays(r.between(0, 1))),
		Decision: "section 47 enquiry", Attendees: []string{"social care", "police", "health"}}
	if sd.Date.After(c.last) {
		return civil.Date{}, true, civil.Date{}
	}
	s47 := &casework.Section47{EpisodeID: ep.ID, Start: sd.Date}
	ch.add(sd, s47)
	s47.StrategyDiscussionID = sd.ID
	if !r.chance(c.p.icpc) {
		if end := ch.wd(sd.Date, r.between(5, 15)); !end.After(c.last) {
			s47.End = end
		}
		return civil.Date{}, false, s47.End
	}
	icpc := ch.wd(sd.Date, r.band(icpcDays))
	if icpc.After(c.last) {
		return civil.Date{}, true, civil.Date{}
	}
	s47.End, s47.ConferenceRequired = ch.wd(sd.Date, r.between(3, 8)), true
	if s47.End.After(icpc) {
		s47.End = icpc
	}
	conf := &casework.Conference{EpisodeID: ep.ID, Type: casework.ConferenceInitial, Date: icpc, Section47ID: s47.ID,
		Chair: "independent chair"}
	ch.add(conf)
	ch.reallocate(ep.ID, "cin:"+ch.loc.name, icpc)
	if !r.chance(c.opt.Scale.Rates.PlanAfterICPC) {
		return ch.childInNeed(ep, icpc.AddDays(r.between(1, 10)), ch.cinPlanDays()), true, s47.End
	}
	conf.PlanRequired, conf.Category = true, r.code(cpCategories)
	plan := &casework.CPPlan{EpisodeID: ep.ID, Start: icpc, InitialCategory: conf.Category, LatestCategory: conf.Category}
	// Some children had a plan before the records begin, or in another council: England's plans for a second or
	// subsequent time, less the repeats the simulation makes itself. The draw has its own stream, so adding it
	// changed nothing else the simulation draws.
	if newRNG(c.opt.Seed^0xc9, uint64(ch.number)<<16^uint64(icpc.Days())).chance(priorPlan) {
		plan.PriorPlans = 1
	}
	ch.add(plan)
	plan.ConferenceID = conf.ID
	end := icpc.AddDays(r.band(planDays))
	if end.After(c.last) {
		end = civil.Date{}
	}
	ch.protectionWork(ep, plan, end)
	if end.IsZero() {
		return civil.Date{}, true, s47.End
	}
	plan.End = end
	switch {
	case r.chance(c.p.careFromCP):
		return ch.care(end), true, s47.End
	case r.chance(0.7):
		return ch.childInNeed(ep, end, ch.cinPlanDays()), true, s47.End
	}
	return ch.close(end, "RC7"), true, s47.End
}

// priorPlan is the chance that a child starting a plan had one before the records begin or elsewhere: England's
// 16.6% of plans for a second or subsequent time (2014-15, the latest confirmed figure) less the two points or so
// the simulation's own re-referrals give.
const priorPlan = 0.145

// protectionWork records the visits, core groups and review conferences of a plan from start until end.
func (ch *child) protectionWork(ep *casework.Episode, plan *casework.CPPlan, end civil.Date) {
	r := ch.rng
	until := end
	if !until.IsZero() {
		until = until.AddDays(-1)
	}
	ch.every(ch.wd(plan.Start, r.between(3, 9)), 13, until, func(d civil.Date) {
		ch.visit(ep, d, "cp", 0.95, 0.8)
	})
	ch.every(ch.wd(plan.Start, r.between(5, 10)), 40, until, func(d civil.Date) {
		ch.add(&casework.Activity{EpisodeID: ep.ID, Type: casework.ActivityCoreGroup, Date: d, By: "core group chair"})
	})
	review := plan.Start.AddMonths(3).AddDays(-r.between(0, 10))
	for (until.IsZero() || review.Before(until)) && !review.After(ch.c.last) {
		ch.add(&casework.Conference{EpisodeID: ep.ID, Type: casework.ConferenceReview, Date: review, Chair: "independent chair"})
		review = review.AddMonths(6).AddDays(-r.between(0, 10))
	}
}

// cinPlanDays draws how long a child in need plan lasts: at least a month, the scale's mean on average.
func (ch *child) cinPlanDays() int {
	mean := ch.c.opt.Scale.Rates.CINPlanDays
	return 30 + ch.rng.exp(float64(mean-30))
}

// childInNeed records a child in need plan from day lasting about days, with its visits and reviews, ending in
// closure, a step down or care.
func (ch *child) childInNeed(ep *casework.Episode, day civil.Date, days int) civil.Date {
	c, r := ch.c, ch.rng
	if day.After(c.last) {
		return civil.Date{}
	}
	ch.reallocate(ep.ID, "cin:"+ch.loc.name, day)
	plan := &casework.CINPlan{EpisodeID: ep.ID, Start: day}
	ch.add(plan)
	end := day.AddDays(days)
	if end.After(c.last) {
		end = civil.Date{}
	}
	until := end
	if !until.IsZero() {
		until = until.AddDays(-1)
	}
	ch.every(day.AddDays(r.between(5, 20)), 26, until, func(d civil.Date) {
		ch.visit(ep, d, "cin", 0.93, 0.7)
	})
	ch.every(day.AddMonths(3).AddDays(-r.between(0, 10)), 88, until, func(d civil.Date) {
		ch.add(&casework.Activity{EpisodeID: ep.ID, Type: casework.ActivityCINReview, Date: d, By: "social worker"})
	})
	if end.IsZero() {
		return civil.Date{}
	}
	plan.End = end
	switch {
	case r.chance(c.p.careFromCIN):
		return ch.care(end)
	case r.chance(0.15):
		return ch.stepDown(end, "RC7", r.pick([]string{"plan_outcomes_met", "needs_now_level_3", "cin_review_decision"}))
	}
	return ch.close(end, "RC7")
}

// postcode returns a postcode of the right shape in the outward district.
func postcode(r rng, outward string) string {
	const inwardLetters = "ABDEFGHJLNPQRSTUWXYZ"
	return fmt.Sprintf("%s %d%c%c", outward, r.IntN(10), inwardLetters[r.IntN(len(inwardLetters))],
		inwardLetters[r.IntN(len(inwardLetters))])
}

func townOf(pc string) string {
	d, _ := geo.Lookup(pc)
	return d.Town
}

// nhsNumber returns a valid NHS number in the 999 range kept for testing, so none is real.
func nhsNumber(r rng) string {
	for {
		n := fmt.Sprintf("999%06d", r.IntN(1000000))
		for c := range 10 {
			if s := n + fmt.Sprint(c); casework.CheckNHSNumber(s) == nil {
				return s
			}
		}
	}
}

// upn returns a valid UPN issued by the council's DfE number (825 for Buckinghamshire), unique to the child: its
// eight digits are the child's number, so no two children share one (CIN rule 1520).
func upn(number int, r rng) string {
	rest := fmt.Sprintf("825%08d%d", number%100000000, r.IntN(10))
	l, _ := casework.UPNCheckLetter(rest)
	return string(l) + rest
}
