package synth

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/geo"
)

// alreadyInCare is a child in care when the period starts. How long they have been in care is drawn so that the
// children in care at the start look like a settled population: long stays are more likely to be found in
// progress than short ones.
func (ch *child) alreadyInCare(c *council) {
	r := ch.rng
	age := r.band(careEntryAge)
	var stay, elapsed int
	for {
		stay = ch.careLength()
		span := min(stay, (18-age)*365, 8*365)
		if r.Float64()*3000 < float64(min(span, 3000)) {
			elapsed = r.IntN(max(1, span))
			break
		}
	}
	start := c.start.AddDays(-elapsed)
	ch.born(start, age)
	ep := &casework.Episode{ReferralDate: start.AddDays(-r.between(0, 40)), Source: r.code(referralSources),
		PrimaryNeed: r.code([]weightedCode{{"N1", 63}, {"N5", 15}, {"N4", 8}, {"N8", 6}, {"N2", 4}, {"N3", 4}})}
	if ep.ReferralDate.Before(ch.person.BirthDate) {
		ep.ReferralDate = ch.person.BirthDate
	}
	ch.add(ep)
	ch.open = ep
	ch.supervise(ep, start)
	ch.careFor(start, stay)
}

// careLength draws how many days a period of care lasts: a tenth end within a fortnight, four in ten within the
// year, and a fifth last until the child is 18 (long, here).
func (ch *child) careLength() int { return ch.rng.band(careDays) }

// care brings the child of the open episode into care on day.
func (ch *child) care(day civil.Date) civil.Date {
	if day.After(ch.c.last) || ch.age(day) >= 17 {
		return ch.close(day, "RC7")
	}
	return ch.careFor(day, ch.careLength())
}

// careFor records a period of care from start lasting stay days (or until the child is 18): legal statuses,
// placements and their moves, reviews, visits, health and education checks, missing episodes, and how care ended.
// It returns the day the episode closed, or zero if it is still open.
func (ch *child) careFor(start civil.Date, stay int) civil.Date {
	c, r := ch.c, ch.rng
	ep := ch.open
	ch.reallocate(ep.ID, "cla:"+ch.half(), start)
	eighteen := ch.birthday(18)
	end := start.AddDays(stay)
	ageOut := !end.Before(eighteen)
	if ageOut {
		end = eighteen
	}
	entryAge := ch.age(start)
	adopted := entryAge < 5 && stay > 400 && !ageOut && r.chance(0.45)
	var reason string
	switch {
	case ageOut:
		reason = r.code([]weightedCode{{"E17", 30}, {"E5", 35}, {"E6", 10}, {"E8", 25}})
	case adopted:
		reason = r.pick([]string{"E11", "E12"})
	case stay < 14:
		reason = r.code([]weightedCode{{"E4A", 70}, {"E13", 30}})
	case stay < 366:
		reason = r.code([]weightedCode{{"E4A", 55}, {"E13", 10}, {"E41", 10}, {"E45", 10}, {"E47", 10}, {"E4B", 5}})
	default:
		reason = r.code([]weightedCode{{"E4A", 40}, {"E45", 25}, {"E47", 15}, {"E41", 10}, {"E13", 10}})
	}
	ended := !end.After(c.last)
	if !ended {
		end = civil.Date{}
	}
	final := ch.legalStatuses(ep, start, end, stay, adopted, entryAge)
	// Placed for adoption only under the placement order (rule 408), so only once it is made.
	var order civil.Date
	if adopted && final.Code == "E1" {
		order = final.Start
	}
	lastPlacement := ch.placements(ep, start, end, order)
	if (reason == "E45" || reason == "E46") && !strings.HasPrefix(lastPlacement.Type, "U") {
		reason = "E47" // a special guardianship order to former foster carers only from foster care (rule 516)
	}
	ch.noParentsUnderSection20()
	ch.careWork(ep, start, end)
	if !ended {
		return civil.Date{}
	}
	final.CeasedReason = reason
	closure := map[string]string{"E11": "RC1", "E12": "RC1", "E45": "RC4", "E47": "RC4", "E41": "RC3"}[reason]
	if closure == "" {
		closure = "RC7"
	}
	closed := ch.close(end, closure)
	if ageOut {
		ch.careLeaver(r, eighteen)
	}
	return closed
}

// half is the children in care team for the child's home: north (Aylesbury Vale) or south.
func (ch *child) half() string {
	if ch.dist.name == "Aylesbury Vale" {
		return "North"
	}
	return "South"
}

// legalStatuses records the legal statuses of a period of care: section 20, or an emergency order or interim
// care order leading to a full care order, and a placement order for children to be adopted.
func (ch *child) legalStatuses(ep *casework.Episode, start, end civil.Date, stay int, adopted bool, age int) *casework.LegalStatus {
	r, last := ch.rng, ch.c.last
	first := r.code([]weightedCode{{"V2", 35}, {"C1", 55}, {"L2", 7}, {"L1", 3}})
	if stay < 14 || (age >= 16 && r.chance(0.7)) {
		first = "V2"
	}
	if adopted {
		first = "C1"
	}
	type change struct {
		code string
		day  civil.Date
	}
	changes := []change{{first, start}}
	at := func(days int) civil.Date { return start.AddDays(days) }
	switch first {
	case "L1", "L2":
		// Police protection lasts at most 72 hours.
		most := 8
		if first == "L1" {
			most = 3
		}
		changes = append(changes, change{r.pick([]string{"C1", "V2"}), at(r.between(1, most))})
	case "V2":
		if stay > 120 && r.chance(0.75) {
			changes = append(changes, change{"C1", at(r.between(30, 120))})
		}
	}
	if changes[len(changes)-1].code == "C1" && stay > 300 {
		changes = append(changes, change{"C2", changes[len(changes)-1].day.AddDays(r.between(150, 280))})
	}
	if adopted {
		changes = append(changes, change{"E1", changes[len(changes)-1].day.AddDays(r.between(30, 120))})
	}
	var prev *casework.LegalStatus
	for _, ch2 := range changes {
		if ch2.day.After(last) || (!end.IsZero() && !ch2.day.Before(end)) {
			break
		}
		ls := &casework.LegalStatus{EpisodeID: ep.ID, Code: ch2.code, Start: ch2.day}
		if prev != nil {
			prev.End = ch2.day
		}
		ch.add(ls)
		prev = ls
	}
	prev.End = end
	return prev
}

// placements records where the child lived: the first placement on coming into care, moves at about one in two a
// year (more in the first year), and, for a child to be adopted, an adoptive placement after the placement order
// made on the day given (zero for none). It returns the last placement.
func (ch *child) placements(ep *casework.Episode, start, end, order civil.Date) *casework.Placement {
	r, last := ch.rng, ch.c.last
	stop := end
	if stop.IsZero() {
		stop = last.AddDays(1)
	}
	adopted := !order.IsZero()
	var adoptiveFrom civil.Date
	if adopted {
		adoptiveFrom = stop.AddDays(-r.between(120, 300))
		if !adoptiveFrom.After(order) {
			adoptiveFrom = order.AddDays(stop.DaysSince(order) / 2)
		}
	}
	var prev *casework.Placement
	day := start
	for {
		pl := ch.placement(day, adopted && !day.Before(adoptiveFrom))
		pl.EpisodeID = ep.ID
		// Placed for adoption with their foster carers only from foster care; otherwise with new adopters.
		if pl.Type == "A5" && (prev == nil || !strings.HasPrefix(prev.Type, "U")) {
			pl.Type = "A6"
		}
		// Placed for adoption with their foster carers (A5): the same carers as before.
		if prev != nil && pl.Type == "A5" && strings.HasPrefix(prev.Type, "U") {
			pl.CarerID = prev.CarerID
		}
		if prev != nil {
			prev.End, prev.ChangeReason = day, r.code(changeReasons)
		}
		ch.add(pl)
		prev = pl
		// Moves come often early in care and grow rarer as a child settles: about one in ten in care at 31 March
		// has had three or more placements in the year, and long-stayers mostly stay with their carers.
		rate := 180.0 * (1 + 10*float64(day.DaysSince(start))/365)
		next := day.AddDays(1 + r.exp(min(rate, 3000)))
		if adopted && day.Before(adoptiveFrom) && !next.Before(adoptiveFrom) {
			next = adoptiveFrom
		}
		if !next.Before(stop) || (adopted && !day.Before(adoptiveFrom)) {
			break
		}
		day = next
	}
	prev.End = end
	return prev
}

// placement chooses a placement starting on day: its type for the child's age, and whether it is inside the
// area, with the share inside moving through the period as the council brings placements home.
func (ch *child) placement(day civil.Date, adoptive bool) *casework.Placement {
	c, r := ch.c, ch.rng
	age := ch.age(day)
	t := r.code([]weightedCode{{"U1", 5}, {"U3", 8}, {"U4", 20}, {"U6", 20}, {"K2", 19}, {"P1", 12}, {"R1", 1}, {"S1", 1}})
	switch {
	case adoptive:
		// About one adoption in eight is by the child's foster carers.
		t = r.code([]weightedCode{{"A5", 13}, {"A6", 87}})
	case age >= 16 && r.chance(0.45):
		t = "K3"
	case age < 8 && (t == "K2" || t == "S1"): // no children's home or residential school for the young (rule 373)
		t = "U6"
	}
	progress := float64(day.DaysSince(c.start)) / float64(max(1, c.last.DaysSince(c.start)))
	progress = max(0, min(1, progress))
	rates := c.opt.Scale.Rates
	// New placements lead the share of all children in care, which still holds the older ones: half as far again.
	inArea := r.chance(rates.InAreaStart + (rates.InAreaEnd-rates.InAreaStart)*progress*1.5)
	var outward string
	switch {
	case inArea && r.chance(0.6):
		outward = r.pick(ch.loc.outward)
	case inArea:
		d := area[r.IntN(len(area))]
		outward = r.pick(d.localities[r.IntN(len(d.localities))].outward)
	case r.chance(0.75):
		outward = ch.nearby(neighbours, 4)
	default:
		outward = r.pick(distant)
	}
	if d, ok := geo.Lookup(outward); ok {
		inArea = d.Council == c.opt.Scale.Rates.Council
	}
	provider := r.code([]weightedCode{{"PR1", 50}, {"PR4", 38}, {"PR5", 8}, {"PR2", 4}})
	switch t {
	case "P1":
		provider = "PR0"
	case "K2", "K3", "R1", "S1":
		provider = r.code([]weightedCode{{"PR1", 20}, {"PR4", 70}, {"PR5", 10}})
	}
	where := postcode(r, outward)
	for t != "P1" && where == ch.person.Address.Postcode { // placed away from home, so not at its postcode (rule 392d)
		where = postcode(r, outward)
	}
	pl := &casework.Placement{Type: t, Provider: provider, CarerID: "C" + ch.id()[8:22], Postcode: where,
		InArea: inArea, Start: day, LongTerm: t == "U1" || t == "U4"}
	if t == "K2" || t == "K3" || t == "S1" {
		pl.URN = fmt.Sprintf("SC%06d", r.IntN(1000000))
	}
	return pl
}

// careWork records what a period of care asks for: reviews, visits, plans, health and education checks, and
// missing episodes with their return interviews.
func (ch *child) careWork(ep *casework.Episode, start, end civil.Date) {
	r := ch.rng
	until := end
	if !until.IsZero() {
		until = until.AddDays(-1)
	}
	// Reviews: 20 working days, three months, then six-monthly.
	review := ch.wd(start, r.between(12, 20))
	for n := 0; (until.IsZero() || !review.After(until)) && !review.After(ch.c.last); n++ {
		pn := "PN0"
		if ch.age(review) >= 4 {
			pn = r.code(participation)
		}
		ch.add(&casework.CLAReview{EpisodeID: ep.ID, Date: review, Participation: pn})
		months := 6
		if n == 0 {
			months = 3
		}
		review = review.AddMonths(months).AddDays(-r.between(0, 14))
		if r.chance(0.08) {
			review = review.AddDays(r.between(15, 40))
		}
	}
	ch.every(start.AddDays(r.between(2, 7)), 40, until, func(d civil.Date) {
		ch.visit(ep, d, "cla", 0.96, 0.8)
	})
	activity := func(kind string, d civil.Date) {
		if !d.After(ch.c.last) && (until.IsZero() || !d.After(until)) {
			ch.add(&casework.Activity{EpisodeID: ep.ID, Type: kind, Date: d})
		}
	}
	activity(casework.ActivityCarePlan, ch.wd(start, r.between(2, 10)))
	// A placement plan for every placement, within days of its start.
	for _, rec := range ch.records {
		if pl, ok := rec.(*casework.Placement); ok && pl.EpisodeID == ep.ID {
			activity(casework.ActivityPlacementPlan, ch.wd(pl.Start, r.between(0, 5)))
		}
	}
	ch.every(ch.wd(start, r.between(10, 20)), 175, until, func(d civil.Date) { activity(casework.ActivityHealthAssessment, d) })
	if ch.age(start) >= 4 {
		ch.every(start.AddDays(r.between(200, 360)), 355, until, func(d civil.Date) { activity(casework.ActivitySDQ, d) })
	}
	if a := ch.age(start); a >= 3 && a < 17 {
		ch.every(ch.wd(start, r.between(10, 20)), 120, until, func(d civil.Date) { activity(casework.ActivityPEP, d) })
	}
	ch.missing(ep, start, until)
}

// missing records episodes of going missing or away for children of 11 and over: about one in three such children
// in a year, several times each, most back within two days, with return interviews offered.
func (ch *child) missing(ep *casework.Episode, start, until civil.Date) {
	r, last := ch.rng, ch.c.last
	if until.IsZero() || until.After(last) {
		until = last
	}
	for year := start; year.Before(until); year = year.AddDays(365) {
		if ch.age(year) < 11 || !r.chance(0.32) {
			continue
		}
		day := year.AddDays(r.IntN(300))
		for n := 1 + r.poisson(2.5); n > 0; n-- {
			if !day.After(ch.missingUntil) {
				day = ch.missingUntil.AddDays(1) // one missing period at a time (rule 574)
			}
			if !day.Before(until) {
				break
			}
			back := day.AddDays(r.band(missingDays))
			if !back.Before(until) {
				break
			}
			m := &casework.Missing{EpisodeID: ep.ID, Type: r.code([]weightedCode{{"M", 60}, {"A", 40}}), Start: day, End: back,
				RHIOffered: true, RHIAccepted: r.chance(0.6)}
			if m.RHIAccepted {
				if rhi := back.AddDays(r.band(interviewDays)); !rhi.After(last) {
					m.RHIDate = rhi
				}
			}
			ch.add(m)
			ch.missingUntil = back
			day = back.AddDays(1 + r.exp(40))
		}
	}
}

// careLeaver records a young person who left care on a day at 16 or over: contact with their personal adviser
// every two to three months until 21, with what they are doing and where they live.
func (ch *child) careLeaver(r rng, left civil.Date) {
	rates := ch.c.opt.Scale.Rates
	// About one in fourteen contacts finds the young person not in touch; the indicators count only those whose
	// activity and accommodation are known.
	const inTouch = 0.93
	pEET, pSuitable := rates.EET, rates.Suitable
	eet, suitable := r.chance(pEET), r.chance(pSuitable)
	adviser := r.pick(adultNames) + " " + r.pick(familyNames)
	until := ch.birthday(21)
	for d := left.AddDays(r.between(7, 28)); d.Before(until) && !d.After(ch.c.last); d = d.AddDays(r.between(56, 91)) {
		if r.chance(0.15) {
			eet = r.chance(pEET)
		}
		if r.chance(0.1) {
			suitable = r.chance(pSuitable)
		}
		cl := &casework.CareLeaver{ContactDate: d, Category: "former_relevant", InTouch: "YES", PersonalAdviser: adviser}
		if ch.age(d) < 18 {
			cl.Category = "relevant"
		}
		if !r.chance(inTouch) {
			cl.InTouch = r.pick([]string{"NO", "REFU"})
		} else {
			cl.Activity, cl.Accommodation = r.code(neetActivities), r.code(unsuitable)
			if eet {
				cl.Activity = r.code(eetActivities)
			}
			if suitable {
				cl.Accommodation = r.code(suitableAccom)
			}
			// Staying with former foster carers, and foyers, are for those of 18 and over (rules 3001 and 347).
			if cl.Category == "relevant" && (cl.Accommodation == "Z1" || cl.Accommodation == "T1") {
				cl.Accommodation = "D1"
			}
		}
		ch.add(cl)
	}
}

// nearby picks one of the n places nearest the child's home.
func (ch *child) nearby(places []string, n int) string {
	home := ch.person.Address.Postcode
	sorted := slices.Clone(places)
	slices.SortFunc(sorted, func(a, b string) int {
		da, _ := geo.Miles(home, a)
		db, _ := geo.Miles(home, b)
		return cmp.Compare(da, db)
	})
	return ch.rng.pick(sorted[:min(n, len(sorted))])
}

// noParentsUnderSection20 moves a placement with parents that is under section 20 accommodation alone at any time
// to foster care: such a child is not placed with parents (SSDA903 rule 378).
func (ch *child) noParentsUnderSection20() {
	var v2 []*casework.LegalStatus
	for _, r := range ch.records {
		if ls, ok := r.(*casework.LegalStatus); ok && ls.Code == "V2" {
			v2 = append(v2, ls)
		}
	}
	for _, r := range ch.records {
		pl, ok := r.(*casework.Placement)
		if !ok || pl.Type != "P1" {
			continue
		}
		for _, ls := range v2 {
			if (ls.End.IsZero() || pl.Start.Before(ls.End)) && (pl.End.IsZero() || ls.Start.Before(pl.End)) {
				pl.Type, pl.Provider = "U6", "PR1"
				break
			}
		}
	}
}
