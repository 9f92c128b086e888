package synth

import (
	"fmt"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// Journey types, with rough shares of the children a council's records hold.
var (
	journeys       = []string{"contact", "early_help", "referral_nfa", "assessment", "cin", "cp", "cla", "care_leaver"}
	journeyWeights = []float64{20, 18, 8, 16, 14, 11, 10, 3}
)

// family builds one child's files: a household, a parent, and the child with their journey.
func (g *generator) family(i int) ([]*casework.File, error) {
	dist := districts[g.rng.IntN(len(districts))]
	addr := casework.Address{
		Lines: []string{fmt.Sprintf("%d %s", g.between(1, 120), g.pick(streets))},
		Town:  g.pick(dist.towns), Postcode: g.postcode(dist.outward), District: dist.name,
		Locality: g.pick(dist.localities),
	}
	family := g.pick(familyNames)
	journey := g.weighted(journeys, journeyWeights)

	home := casework.NewFile(g.now, nil)
	if err := home.Save(&casework.Household{Meta: casework.Meta{ID: g.id()}, Address: addr}); err != nil {
		return nil, err
	}
	parent := casework.NewFile(g.now, nil)
	if err := parent.Save(&casework.Person{Meta: casework.Meta{ID: g.id()}, Role: casework.RoleAdult,
		Name: casework.Name{Given: g.pick(adultGivenNames), Family: family}, Address: addr}); err != nil {
		return nil, err
	}

	age := g.between(0, 17)
	if journey == "care_leaver" {
		age = g.between(18, 20)
	}
	born := g.today.AddDays(-age*365 - g.between(30, 360))
	p := &casework.Person{Meta: casework.Meta{ID: g.id()}, Role: casework.RoleChild,
		LAChildID: fmt.Sprintf("BC%06d", i+1), NHSNumber: g.nhsNumber(),
		Name: casework.Name{Given: g.pick(givenNames), Family: family}, BirthDate: born,
		Sex: g.weighted([]string{"M", "F"}, []float64{52, 48}),
		Ethnicity: g.weighted([]string{"WBRI", "WOTH", "MWBC", "MWAS", "APKN", "AIND", "BCRB", "BAFR", "OOTH", "NOBT"},
			[]float64{70, 5, 3, 3, 7, 3, 2, 3, 2, 2}),
		Disabilities: []string{"NONE"}, Address: addr}
	if g.chance(0.1) {
		p.Disabilities = []string{g.pick([]string{"AUT", "LD", "COMM", "BEH", "MOB"})}
	}
	if age >= 4 {
		p.UPN = g.upn()
	} else {
		p.UPNUnknown = "UN1"
	}
	child := casework.NewFile(g.now, nil)
	err := child.Save(p,
		&casework.Relationship{Meta: casework.Meta{ID: g.id()}, OtherID: parent.Person().ID,
			Type: g.weighted([]string{"mother", "father"}, []float64{80, 20}), ParentalResponsibility: true},
		&casework.HouseholdMember{Meta: casework.Meta{ID: g.id()}, HouseholdID: home.Records()[0].Base().ID, Start: born})
	if err != nil {
		return nil, err
	}
	if err := g.journey(child, journey, dist); err != nil {
		return nil, fmt.Errorf("%s journey: %w", journey, err)
	}
	return []*casework.File{home, parent, child}, nil
}

// journey records what happened to the child, from the first contact on.
func (g *generator) journey(f *casework.File, kind string, dist district) error {
	born := f.Person().BirthDate
	earliest := g.today.AddDays(-700)
	if born.After(earliest) {
		earliest = born.AddDays(7)
	}
	span := g.today.DaysSince(earliest)
	// Leave room for the journey to unfold before today.
	start := earliest.AddDays(g.rng.IntN(max(1, span-200)))
	if kind == "care_leaver" {
		return g.careLeaver(f)
	}
	contact := &casework.Contact{Meta: g.meta(), ReceivedAt: start.In(casework.London()).Add(time.Duration(9*3600+g.rng.IntN(8*3600)) * time.Second),
		Source: g.weighted([]string{"6", "2A", "3A", "3E", "1A", "5D", "8", "9"}, []float64{27, 16, 8, 6, 10, 8, 15, 10}),
		Reason: "concern raised by the referrer"}
	level, service, outcome := 2, casework.ServiceEarlyHelp, casework.OutcomeAdvice
	switch kind {
	case "early_help":
		level, outcome = 3, casework.OutcomeEarlyHelp
	case "contact":
	default:
		level, service, outcome = 4, casework.ServiceSocialCare, casework.OutcomeAssessment
		if kind == "cp" || kind == "cla" {
			outcome = casework.OutcomeStrategy
		}
	}
	contact.Outcome = outcome
	decision := &casework.ThresholdDecision{Meta: g.meta(), ContactID: contact.ID, Level: level, Service: service,
		DecisionMaker: g.workers["Front Door (First Response)"][0].ID, Rationale: "threshold applied",
		DecidedAt: contact.ReceivedAt.Add(3 * time.Hour)}
	if kind == "contact" {
		decision.Service = ""
	}
	if err := f.Save(contact, decision); err != nil {
		return err
	}
	switch kind {
	case "contact":
		return nil
	case "early_help":
		return g.earlyHelp(f, start.AddDays(2), dist)
	}
	return g.socialCare(f, kind, contact, start, dist)
}

func (g *generator) meta() casework.Meta { return casework.Meta{ID: g.id()} }

func (g *generator) earlyHelp(f *casework.File, start civil.Date, dist district) error {
	eh := &casework.EarlyHelp{Meta: g.meta(), Start: start, ConsentDate: start, EHAStart: start,
		EHACompleted:     start.AddDays(g.between(10, 30)),
		LeadProfessional: casework.Professional{Name: g.pick(adultGivenNames) + " " + g.pick(familyNames), Agency: "School"},
		TeamAroundFamily: []casework.Professional{{Name: g.pick(adultGivenNames) + " " + g.pick(familyNames), Agency: "Health visiting"}}}
	if end := start.AddDays(g.between(60, 240)); end.Before(g.today) {
		eh.End, eh.Outcome = end, g.pick([]string{"needs_met", "needs_met", "family_declined", "universal_services"})
	}
	if eh.EHACompleted.After(g.today) {
		eh.EHACompleted = civil.Date{}
	}
	if err := f.Save(eh); err != nil {
		return err
	}
	team := dist.name + " Early Help"
	alloc := &casework.Allocation{Meta: g.meta(), CaseID: eh.ID, WorkerID: g.worker(team), TeamID: g.teams[team].ID,
		Start: start, End: eh.End}
	return f.Save(alloc)
}

func (g *generator) worker(team string) string {
	ws := g.workers[team]
	return ws[1+g.rng.IntN(len(ws)-1)].ID
}

// socialCare records a referral and what followed it.
func (g *generator) socialCare(f *casework.File, kind string, contact *casework.Contact, referred civil.Date, dist district) error {
	ep := &casework.Episode{Meta: g.meta(), ContactID: contact.ID, ReferralDate: referred, Source: contact.Source,
		PrimaryNeed: g.weighted([]string{"N1", "N5", "N2", "N4", "N3", "N8", "N6", "N9"}, []float64{50, 17, 10, 8, 4, 5, 2, 3})}
	if kind == "referral_nfa" {
		ep.NFA, ep.PrimaryNeed = true, ""
		ep.ClosureDate, ep.ClosureReason = referred.AddDays(1), "RC8"
		return f.Save(ep)
	}
	team := dist.name + " Child in Need and Protection"
	if err := f.Save(ep); err != nil {
		return err
	}
	if err := f.Save(&casework.Allocation{Meta: g.meta(), CaseID: ep.ID, WorkerID: g.worker(team),
		TeamID: g.teams[team].ID, Start: referred}); err != nil {
		return err
	}
	day := referred
	if kind == "cp" || kind == "cla" {
		if err := g.protection(f, ep, &day); err != nil {
			return err
		}
	}
	a := &casework.Assessment{Meta: g.meta(), EpisodeID: ep.ID, Start: referred, ChildSeen: true}
	if done := referred.AddDays(g.between(10, 63)); done.Before(g.today) {
		a.Completed, a.Authorised, a.AuthorisedBy = done, done.AddDays(g.between(0, 3)), g.workers[team][0].ID
		if a.Authorised.After(g.today.AddDays(-1)) {
			a.Authorised = civil.Date{}
			a.AuthorisedBy = ""
		} else {
			a.Factors = g.factors()
			a.NeedsServices = kind != "assessment"
		}
	}
	if err := f.Save(a); err != nil {
		return err
	}
	if err := g.episodeEnd(f, kind, ep, a); err != nil {
		return err
	}
	if kind == "cla" {
		return g.lookedAfter(f, ep, day)
	}
	return nil
}

// episodeEnd records the visits of an episode and, for journeys that end, the plan and the closure.
func (g *generator) episodeEnd(f *casework.File, kind string, ep *casework.Episode, a *casework.Assessment) error {
	until := g.today.AddDays(-1)
	var closeOn civil.Date
	var reason string
	var plan *casework.CINPlan
	switch kind {
	case "assessment":
		if !a.Authorised.IsZero() {
			closeOn, reason = a.Authorised, g.pick([]string{"RC8", "RC9"})
		}
	case "cin":
		if !a.Authorised.IsZero() {
			plan = &casework.CINPlan{Meta: g.meta(), EpisodeID: ep.ID, Start: a.Authorised.AddDays(g.between(1, 10))}
			if end := plan.Start.AddDays(g.between(90, 400)); end.Before(g.today) {
				closeOn, reason = end, "RC7"
			}
		}
	}
	if !closeOn.IsZero() {
		until = closeOn
	}
	for v := ep.ReferralDate.AddDays(g.between(3, 10)); !v.After(until) && v.Before(ep.ReferralDate.AddDays(400)); v = v.AddDays(g.between(10, 30)) {
		if err := f.Save(&casework.Visit{Meta: g.meta(), EpisodeID: ep.ID, Date: v, Type: visitType(kind),
			ChildSeen: g.chance(0.92)}); err != nil {
			return err
		}
	}
	if plan != nil && plan.Start.Before(g.today) {
		if err := f.Save(plan); err != nil {
			return err
		}
	}
	if closeOn.IsZero() {
		return nil
	}
	if err := g.close(f, ep, closeOn, reason); err != nil {
		return err
	}
	if kind == "cin" && g.chance(0.15) && closeOn.AddDays(20).Before(g.today) {
		// Some closures are reopened when new information arrives soon after.
		r, _ := f.Get(ep.ID)
		return f.Reopen(ep.ID, r.Base().Version, closeOn.AddDays(g.between(1, 20)), "new information from school soon after closure")
	}
	return nil
}

func visitType(kind string) string {
	switch kind {
	case "cp":
		return "cp"
	case "cla":
		return "cla"
	}
	return "cin"
}

func (g *generator) factors() []string {
	pool := []string{"3A", "4A", "2A", "1A", "6A", "21", "22A", "8B", "18B", "19B", "5A", "20"}
	n := g.between(1, 4)
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		f := g.pick(pool)
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// protection records a strategy discussion, a section 47 enquiry, an initial conference and, usually, a plan with
// its reviews. day moves on to the last event recorded.
func (g *generator) protection(f *casework.File, ep *casework.Episode, day *civil.Date) error {
	sd := &casework.StrategyDiscussion{Meta: g.meta(), EpisodeID: ep.ID, Date: ep.ReferralDate.AddDays(g.between(0, 2)),
		Decision: "section 47 enquiry"}
	s47 := &casework.Section47{Meta: g.meta(), EpisodeID: ep.ID, StrategyDiscussionID: sd.ID, Start: sd.Date,
		End: sd.Date.AddDays(g.between(5, 12)), ConferenceRequired: true}
	cat := g.weighted([]string{"NEG", "EMO", "PHY", "SAB", "MUL"}, []float64{50, 36, 7, 4, 3})
	icpc := &casework.Conference{Meta: g.meta(), EpisodeID: ep.ID, Type: casework.ConferenceInitial,
		Date: sd.Date.AddDays(g.between(12, 22)), Section47ID: s47.ID, PlanRequired: g.chance(0.85), Chair: "IRO"}
	if icpc.PlanRequired {
		icpc.Category = cat
	}
	if err := f.Save(sd, s47, icpc); err != nil {
		return err
	}
	*day = icpc.Date
	if !icpc.PlanRequired {
		return nil
	}
	plan := &casework.CPPlan{Meta: g.meta(), EpisodeID: ep.ID, ConferenceID: icpc.ID, Start: icpc.Date,
		InitialCategory: cat, LatestCategory: cat}
	if err := f.Save(plan); err != nil {
		return err
	}
	for r := icpc.Date.AddDays(90); r.Before(g.today) && r.Before(icpc.Date.AddDays(g.between(120, 500))); r = r.AddDays(180) {
		if err := f.Save(&casework.Conference{Meta: g.meta(), EpisodeID: ep.ID, Type: casework.ConferenceReview, Date: r, Chair: "IRO"}); err != nil {
			return err
		}
		*day = r
	}
	return nil
}

// lookedAfter records a child coming into care after protection work, with legal status and placement changes,
// reviews and missing episodes.
func (g *generator) lookedAfter(f *casework.File, ep *casework.Episode, after civil.Date) error {
	start := after.AddDays(g.between(1, 30))
	if !start.Before(g.today.AddDays(-2)) {
		return nil
	}
	inArea := g.chance(0.48)
	ls := &casework.LegalStatus{Meta: g.meta(), EpisodeID: ep.ID, Code: g.weighted([]string{"V2", "L2", "C1"}, []float64{40, 20, 40}), Start: start}
	pl := g.placement(inArea)
	if err := f.BecomeLookedAfter(ls, pl); err != nil {
		return err
	}
	if ls.Code != "C1" && start.AddDays(30).Before(g.today) && g.chance(0.6) {
		if err := f.ChangeLegalStatus(ls.ID, 1, &casework.LegalStatus{Meta: g.meta(), Code: "C1", Start: start.AddDays(g.between(3, 30))}); err != nil {
			return err
		}
	}
	if move := start.AddDays(g.between(40, 300)); move.Before(g.today) && g.chance(0.4) {
		next := g.placement(g.chance(0.5))
		next.Start = move
		cur := casework.All[*casework.Placement](f)[0]
		if err := f.ChangePlacement(cur.ID, cur.Version, g.pick([]string{"CARPL", "CREQB", "CHILD", "LAREQ"}), next); err != nil {
			return err
		}
	}
	for r, n := start.AddDays(18), 0; r.Before(g.today); r, n = r.AddDays(map[bool]int{true: 90, false: 180}[n == 0]), n+1 {
		if err := f.Save(&casework.CLAReview{Meta: g.meta(), EpisodeID: ep.ID, Date: r, Participation: g.pick([]string{"PN1", "PN1", "PN2", "PN5", "PN6"})}); err != nil {
			return err
		}
	}
	if m := start.AddDays(g.between(20, 200)); m.AddDays(3).Before(g.today) && g.chance(0.35) {
		back := m.AddDays(g.between(0, 2))
		if err := f.Save(&casework.Missing{Meta: g.meta(), EpisodeID: ep.ID, Type: g.pick([]string{"M", "M", "A"}), Start: m, End: back,
			RHIOffered: true, RHIAccepted: g.chance(0.6)}); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) placement(inArea bool) *casework.Placement {
	t := g.weighted([]string{"U4", "U6", "U1", "U3", "K2", "P1", "K3"}, []float64{30, 25, 8, 8, 14, 7, 8})
	pc := g.postcode(districts[g.rng.IntN(len(districts))].outward)
	if !inArea {
		pc = g.postcode(outOfAreaPostcodes)
	}
	provider := g.weighted([]string{"PR1", "PR4", "PR5"}, []float64{45, 45, 10})
	if t == "P1" {
		provider = "PR0"
	}
	pl := &casework.Placement{Meta: g.meta(), Type: t, Provider: provider, CarerID: "C" + g.id()[:8], Postcode: pc, InArea: inArea}
	if t == "K2" || t == "K3" {
		pl.URN = fmt.Sprintf("SC%06d", g.rng.IntN(1000000))
	}
	return pl
}

// careLeaver records a young person who was in care until 18 and is now supported as a care leaver.
func (g *generator) careLeaver(f *casework.File) error {
	born := f.Person().BirthDate
	eighteen := civil.New(born.Year+18, born.Month, born.Day)
	start := eighteen.AddDays(-g.between(400, 1500))
	ep := &casework.Episode{Meta: g.meta(), ReferralDate: start.AddDays(-30), Source: "6", PrimaryNeed: "N1"}
	if err := f.Save(ep); err != nil {
		return err
	}
	ls := &casework.LegalStatus{Meta: g.meta(), EpisodeID: ep.ID, Code: "C2", Start: start}
	if err := f.BecomeLookedAfter(ls, g.placement(g.chance(0.5))); err != nil {
		return err
	}
	if err := f.CeaseCare(eighteen, g.pick([]string{"E17", "E5", "E6"})); err != nil {
		return err
	}
	if err := g.close(f, ep, eighteen, "RC7"); err != nil {
		return err
	}
	for c := eighteen.AddDays(g.between(20, 60)); c.Before(g.today); c = c.AddDays(g.between(60, 120)) {
		if err := f.Save(&casework.CareLeaver{Meta: g.meta(), ContactDate: c, Category: "former_relevant", InTouch: "YES",
			Activity: g.pick([]string{"F2", "P5", "F1", "G5", "F4"}), Accommodation: g.pick([]string{"U1", "D1", "Z1", "B1", "E1"}),
			PersonalAdviser: g.pick(adultGivenNames) + " " + g.pick(familyNames)}); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) close(f *casework.File, ep *casework.Episode, date civil.Date, reason string) error {
	if !date.Before(g.today) {
		return nil
	}
	r, _ := f.Get(ep.ID)
	return f.CloseEpisode(ep.ID, r.Base().Version, date, reason)
}
