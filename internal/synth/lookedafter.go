package synth

import (
	"fmt"
	"slices"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// lookedAfter adds what the SSDA903 asks of a looked-after child beyond their statuses and placements: whether
// they are an unaccompanied asylum-seeking child or a mother, the plan for adoption, any previous permanence,
// the outcomes at each 31 March after a year in care, and why each social worker took the case. It draws from a
// stream of its own, after the journey, so adding it changed none of the journeys.
func (ch *child) lookedAfter() {
	c := ch.c
	r := newRNG(c.opt.Seed^0x903, uint64(ch.number))
	var statuses []*casework.LegalStatus
	var placements []*casework.Placement
	for _, rec := range ch.records {
		switch v := rec.(type) {
		case *casework.LegalStatus:
			statuses = append(statuses, v)
		case *casework.Placement:
			placements = append(placements, v)
		}
	}
	ch.workerChanges(r)
	if len(statuses) == 0 {
		return
	}
	first := statuses[0]
	entry := ch.age(first.Start)
	p := ch.person
	// Most unaccompanied children arrive at 16 or 17, boys, accommodated under section 20.
	if first.Code == "V2" && entry >= 14 && p.Sex == "M" && r.chance(0.4) {
		p.UASC = true
		if eighteen := ch.birthday(18); !eighteen.After(c.last) {
			p.UASCCeased = eighteen
		}
	}
	if p.Sex == "F" && ch.age(c.last) >= 16 && r.chance(0.04) {
		p.Mother = true
		from := later(ch.birthday(15), first.Start)
		if span := c.last.DaysSince(from); span > 0 {
			p.FirstChildBorn = from.AddDays(r.IntN(span))
		} else {
			p.Mother = false // no time yet to have become one
		}
	}
	for i, ls := range statuses {
		if i == 0 || statuses[i-1].End != ls.Start {
			ch.permanence(r, ls)
		}
	}
	ch.adoption(r, statuses, placements)
	ch.outcomes(r, statuses)
	ch.urns(r, placements)
	// A child who came into care from an episode of need has a category of need the SSDA903 takes (N1-N8).
	for _, rec := range ch.records {
		if ep, ok := rec.(*casework.Episode); ok && ep.ID == first.EpisodeID && (ep.PrimaryNeed == "N9" || ep.PrimaryNeed == "N0" || ep.PrimaryNeed == "") {
			ep.PrimaryNeed = r.code([]weightedCode{{"N1", 63}, {"N5", 15}, {"N4", 8}, {"N8", 6}, {"N2", 4}, {"N3", 4}})
		}
	}
	// A young person who left care before 18, at 16 or over after thirteen weeks since their 14th birthday, is a
	// relevant child: a care leaver with a personal adviser. Those who left at 18 already are.
	last := statuses[len(statuses)-1]
	sixteen, eighteen := ch.birthday(16), ch.birthday(18)
	if left := last.End; !left.IsZero() && !left.Before(sixteen) && left.Before(eighteen) &&
		!slices.Contains([]string{"E11", "E12", "E2"}, last.CeasedReason) && ch.inCareThrough(statuses, left.AddDays(-91), left.AddDays(-1)) {
		ch.careLeaver(r, left)
	}
}

// urns gives each placement that is registered with Ofsted the URN of its setting or agency: the council's own
// fostering and adoption services for its own placements, an agency's otherwise.
func (ch *child) urns(r rng, placements []*casework.Placement) {
	const ownFostering, ownAdoption = "SC825001", "SC825002"
	for _, pl := range placements {
		if pl.URN != "" || slices.Contains([]string{"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"}, pl.Type) {
			continue
		}
		switch {
		case pl.Provider == "PR1" && (pl.Type == "A5" || pl.Type == "A6"):
			pl.URN = ownAdoption
		case pl.Provider == "PR1":
			pl.URN = ownFostering
		default:
			pl.URN = fmt.Sprintf("SC%06d", r.IntN(1000000))
		}
	}
}

// workerChanges gives each allocation the SSDA903 reason for the change of worker: a first allocation follows
// the contact or re-referral, a later one the case's move between teams, or now and then another reason.
func (ch *child) workerChanges(r rng) {
	seen := map[string]bool{}
	for _, ref := range ch.allocs {
		a := ref.rec.(*casework.Allocation)
		switch {
		case !seen[a.CaseID]:
			a.WorkerChange = "FCONTA"
		case r.chance(0.8):
			a.WorkerChange = "TSPROC"
		default:
			a.WorkerChange = r.code([]weightedCode{{"LEFTRL", 40}, {"MANAGE", 30}, {"ABSENC", 15}, {"ORGRST", 10}, {"OTHERS", 5}})
		}
		seen[a.CaseID] = true
	}
}

// permanence records whether a child starting a period of care had left care before to a permanent home: about
// one in eight had, most through a special guardianship or child arrangements order.
func (ch *child) permanence(r rng, ls *casework.LegalStatus) {
	pp := &casework.PreviousPermanence{EpisodeID: ls.EpisodeID,
		Option: r.code([]weightedCode{{"Z1", 86}, {"P2", 5}, {"P3", 4}, {"P1", 3}, {"P4", 2}})}
	if pp.Option != "Z1" && pp.Option != "P4" {
		pp.LA = r.code([]weightedCode{{"825", 60}, {"826", 10}, {"931", 10}, {"310", 10}, {"WAL", 10}})
		order := ch.person.BirthDate.AddDays(r.IntN(max(1, ls.Start.DaysSince(ch.person.BirthDate))))
		pp.Year = order.Year
		if r.chance(0.8) {
			pp.Month = int(order.Month)
			if r.chance(0.7) {
				pp.Day = order.Day
			}
		}
	}
	ch.add(pp)
}

// adoption records the plan for a child whose care ends, or is to end, in adoption: the decision that the child
// should be placed some weeks before the placement order, the match before the adoptive placement, and the
// adopters.
func (ch *child) adoption(r rng, statuses []*casework.LegalStatus, placements []*casework.Placement) {
	var order *casework.LegalStatus
	for _, ls := range statuses {
		if ls.Code == "E1" {
			order = ls
		}
	}
	if order == nil {
		return
	}
	// The decision falls in the period of care that holds the placement order.
	start := order.Start
	for i := slices.Index(statuses, order); i > 0 && statuses[i-1].End == statuses[i].Start; i-- {
		start = statuses[i-1].Start
	}
	a := &casework.Adoption{EpisodeID: order.EpisodeID, Decision: later(start, order.Start.AddDays(-r.between(20, 90)))}
	i := slices.IndexFunc(placements, func(pl *casework.Placement) bool { return pl.Type == "A5" || pl.Type == "A6" })
	if i >= 0 {
		a.Matched = later(a.Decision, placements[i].Start.AddDays(-r.between(0, 30)))
		a.FosterCarers = placements[i].Type == "A5" // adopted by the foster carers they were placed with (rule 335)
		a.Adopters = 2
		if r.chance(0.15) {
			a.Adopters = 1
		}
		if a.Adopters == 1 {
			a.AdoptersSex, a.AdoptersStatus = r.code([]weightedCode{{"F1", 90}, {"M1", 10}}), "L0"
		} else {
			a.AdoptersSex = r.code([]weightedCode{{"MF", 84}, {"MM", 8}, {"FF", 8}})
			if a.AdoptersSex == "MF" {
				a.AdoptersStatus = r.code([]weightedCode{{"L11", 80}, {"L3", 20}})
			} else {
				a.AdoptersStatus = r.code([]weightedCode{{"L12", 50}, {"L2", 30}, {"L4", 20}})
			}
		}
	}
	ch.add(a)
}

// outcomes records, at each 31 March in the period, the outcomes of a child then looked after for a year or
// more: a strengths and difficulties score for children of 4 to 16, health checks, and for older children
// offending and substance misuse.
func (ch *child) outcomes(r rng, statuses []*casework.LegalStatus) {
	c := ch.c
	yes := func(p float64) *bool { b := r.chance(p); return &b }
	for year := c.start.Year; year <= c.last.Year; year++ {
		march := civil.New(year, 3, 31)
		// The twelve months to 31 March, from 1 April, as the return counts them.
		april := march.AddMonths(-12).AddDays(1)
		if march.Before(c.start) || march.After(c.last) || !ch.inCareThrough(statuses, april, march) {
			continue
		}
		age := ch.age(march)
		o := &casework.CareOutcomes{AsAt: march, Immunisations: yes(0.86), TeethCheck: yes(0.82), HealthAssessment: yes(0.9)}
		if age < 5 {
			o.HealthCheck = yes(0.88)
		}
		score := func() {
			n := min(40, max(0, int(r.NormFloat64()*7+14)))
			o.SDQScore = &n
		}
		// One who turned 17 in the year had their latest questionnaire at 16, or none since (rule 197B); one 17 by
		// 1 April is past it (189).
		turned17 := age == 17 && ch.birthday(17).After(april)
		switch {
		case turned17 && r.chance(0.5):
			score()
		case turned17:
			o.SDQReason = "SDQ1"
		case age >= 4 && age <= 16 && r.chance(0.8):
			score()
		case age >= 4 && age <= 16:
			o.SDQReason = r.code([]weightedCode{{"SDQ2", 30}, {"SDQ3", 15}, {"SDQ4", 30}, {"SDQ5", 25}})
		}
		o.SubstanceMisuse = new(bool)
		if age >= 10 {
			o.Convicted = yes(0.03)
			o.SubstanceMisuse = yes(0.05)
			if *o.SubstanceMisuse {
				o.InterventionReceived = yes(0.6)
				if !*o.InterventionReceived {
					o.InterventionOffered = yes(0.7)
				}
			}
		}
		ch.add(o)
	}
}

// inCareThrough reports whether the child was looked after, other than on short breaks, every day from one date
// to another: the statuses chain without a gap.
func (ch *child) inCareThrough(statuses []*casework.LegalStatus, from, to civil.Date) bool {
	covered := from
	for _, ls := range statuses {
		if casework.ShortBreaks(ls.Code) {
			continue
		}
		if !ls.Start.After(covered) && (ls.End.IsZero() || ls.End.After(covered)) {
			if ls.End.IsZero() || ls.End.After(to) {
				return true
			}
			covered = ls.End
		}
	}
	return false
}

// later is the later of two dates.
func later(a, b civil.Date) civil.Date {
	if a.After(b) {
		return a
	}
	return b
}
