package synth

import (
	"fmt"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/workday"
)

// Options choose the council to generate.
type Options struct {
	Scale Scale
	// Years is the length of the period the journeys run over, ending yesterday.
	Years int
	Seed  uint64
	// Now is the moment the data is generated as of.
	Now time.Time
}

// council is a simulated council: its teams and the chances its children's journeys follow.
type council struct {
	opt         Options
	start, last civil.Date
	cal         *workday.Calendar
	p           chances
	teams       []*team
	teamByKey   map[string]*team
	// partners are the partner agencies' teams by key, once stored; children are shared with them.
	partners     map[string]string
	childCounter int
	// firstReferrals and otherContacts are the children a year whose journeys start with a referral, and those
	// with only contacts.
	firstReferrals, otherContacts float64
}

// chances are the probabilities that turn the scale's rates into branches of a child's journey.
type chances struct {
	again       float64 // a closed episode is followed by another referral
	s47         float64 // a referral (not NFA) leads to a strategy discussion and section 47 enquiry
	icpc        float64 // a section 47 enquiry leads to an initial conference
	careFromCP  float64 // a child protection plan ends with the child coming into care
	careFromCIN float64 // a child in need plan ends with the child coming into care
	careDirect  float64 // a referral (not NFA) brings the child straight into care
	stepUp      float64 // an early help episode steps up to social care
	contactEH   float64 // a contact that is not a referral starts early help
}

// newCouncil lays out a council's teams and works out the chances its children's journeys follow.
func newCouncil(opt Options) (*council, error) {
	if opt.Years < 1 || opt.Years > 20 {
		return nil, fmt.Errorf("years must be 1 to 20, not %d", opt.Years)
	}
	today := casework.Today(opt.Now)
	c := &council{opt: opt, last: today.AddDays(-1), start: today.AddMonths(-12 * opt.Years),
		cal: workday.EnglandAndWales(), teamByKey: map[string]*team{}}
	if c.start.Year < workday.First.Year+1 || today.Year > workday.Last.Year {
		return nil, fmt.Errorf("the period %s to %s is outside the working-day calendar", c.start, c.last)
	}
	c.organisation()
	r, sc := opt.Scale.Rates, opt.Scale
	referrals := sc.perYear(r.Referrals)
	assessed := referrals * (1 - r.NFA)
	planStarts := sc.perYear(r.ICPCs) * r.PlanAfterICPC
	// Some children come into care twice, or by more than one of the routes below: a fifth fewer per route keeps
	// the starts on target.
	careStarts := 0.8 * sc.perYear(r.CLAStarts)
	// Within 12 months is about 74% of re-referrals (the gaps of the brief's A4 table).
	c.p = chances{
		again: r.ReReferral / 0.738, s47: r.Section47s / (r.Referrals * (1 - r.NFA)), icpc: r.ICPCs / r.Section47s,
		careFromCP: 0.45 * careStarts / planStarts, careDirect: 0.30 * careStarts / assessed,
		careFromCIN: 0.25 * careStarts / (assessed * (1 - r.NotInNeed) * 0.55),
		stepUp:      0.10,
	}
	earlyHelp := sc.perYear(r.EarlyHelp)
	// Each referred child's chain of referrals averages 1/(1-again); a tenth of early help steps up into one.
	// Chains cut off by the end of the period, and children aging out, lose about a tenth: made up here.
	c.firstReferrals = 1.09 * (referrals - c.p.stepUp*earlyHelp*0.8) * (1 - c.p.again)
	// Contacts that are not referrals: one before a quarter of referrals, the rest about children never referred.
	c.otherContacts = sc.perYear(r.Contacts) - referrals*1.25
	c.p.contactEH = 0.8 * earlyHelp / c.otherContacts
	return c, nil
}

// simulate runs the children's journeys one child at a time and hands each child to fn. The same options give
// the same children, every time, and nothing is kept: a council of any size simulates in one child's memory.
func (c *council) simulate(fn func(*child) error) error {
	c.childCounter = 0
	sc, years := c.opt.Scale, float64(c.opt.Years)
	stream := uint64(0)
	next := func() rng { stream++; return newRNG(c.opt.Seed, stream) }
	each := func(n int, journey func(ch *child)) error {
		for range n {
			ch := c.newChild(next())
			journey(ch)
			if ch.err != nil {
				return fmt.Errorf("child %s: %w", ch.person.LAChildID, ch.err)
			}
			if err := fn(ch); err != nil {
				return err
			}
		}
		return nil
	}
	day := func(ch *child) civil.Date { return c.start.AddDays(ch.rng.IntN(c.last.DaysSince(c.start) + 1)) }
	if err := each(count(c.firstReferrals*years, next()), func(ch *child) { ch.referredChain(c, day(ch)) }); err != nil {
		return err
	}
	if err := each(count(c.otherContacts/1.1*years, next()), func(ch *child) { ch.contactsOnly(c, day(ch)) }); err != nil {
		return err
	}
	return each(count(sc.perYear(sc.Rates.CLAStock), next()), func(ch *child) { ch.alreadyInCare(c) })
}

// staffed simulates a council once to learn how many cases each team holds at the end, and staffs the teams to
// match. Its children are simulated again, the same, to be stored or measured.
func staffed(opt Options) (*council, error) {
	c, err := newCouncil(opt)
	if err != nil {
		return nil, err
	}
	if err := c.simulate(func(ch *child) error { c.tally(ch); return nil }); err != nil {
		return nil, err
	}
	// Stream 0 is the staff's: the children's streams count up from 1.
	c.staff(newRNG(opt.Seed, 0))
	return c, nil
}

// count rounds an expected number to a whole one, at random, so small scales keep their rates on average.
func count(expected float64, r rng) int {
	n := int(expected)
	if r.chance(expected - float64(n)) {
		n++
	}
	return n
}

// newChild creates a child living somewhere in the council's area.
func (c *council) newChild(r rng) *child {
	c.childCounter++
	ch := &child{rng: r, c: c, number: c.childCounter}
	ch.home(c.childCounter)
	return ch
}

// child is one child's simulated journey: the records of their file and of their family's.
type child struct {
	c   *council
	rng rng
	err error
	// number is the child's place in the council, and ids how many IDs their records have taken.
	number, ids int
	dist        *district
	loc         *locality
	person      *casework.Person
	adult       *casework.Person
	house       *casework.Household
	// records are the child's file after the person; allocations name a team that is staffed later.
	records []casework.Record
	allocs  []teamRef
	// open is the open episode of need, if any.
	open *casework.Episode
	// missingUntil is the day the child's latest missing period ended.
	missingUntil civil.Date
}

// teamRef is a record that names a worker or manager of a team once the team is staffed.
type teamRef struct {
	rec  casework.Record
	team string
}

func (ch *child) add(rs ...casework.Record) {
	for _, r := range rs {
		r.Base().ID = ch.id()
		ch.records = append(ch.records, r)
	}
}

// id makes record IDs from the child's number and random source, so the same seed gives the same IDs. Like the
// IDs a live system makes, which begin with the time, they rise in the order the records are stored: each insert
// lands at the end of its index instead of on a random page of it.
func (ch *child) id() string {
	const hex = "0123456789abcdef"
	b := make([]byte, 32)
	for i := range b {
		b[i] = hex[ch.rng.IntN(16)]
	}
	ch.ids++
	copy(b, fmt.Sprintf("%08x%06x", ch.number, ch.ids))
	return string(b)
}

func (ch *child) fail(err error) {
	if ch.err == nil && err != nil {
		ch.err = err
	}
}

// wd adds n working days.
func (ch *child) wd(d civil.Date, n int) civil.Date {
	out, err := ch.c.cal.Add(d, n)
	ch.fail(err)
	return out
}

// birthday is the day the child turns n.
func (ch *child) birthday(n int) civil.Date { return civil.Birthday(ch.person.BirthDate, n) }

func (ch *child) age(on civil.Date) int { return civil.Age(ch.person.BirthDate, on) }

// home places the child and a parent in a household in one of the districts, weighted by population.
func (ch *child) home(n int) {
	r := ch.rng
	ch.dist = &area[r.weighted(len(area), func(i int) float64 { return area[i].share })]
	ch.loc = &ch.dist.localities[r.IntN(len(ch.dist.localities))]
	addr := casework.Address{Lines: []string{fmt.Sprintf("%d %s", r.between(1, 140), r.pick(streets))},
		Postcode: postcode(r, r.pick(ch.loc.outward)), District: ch.dist.name, Locality: ch.loc.name}
	addr.Town = townOf(addr.Postcode)
	family := r.pick(familyNames)
	if r.chance(0.04) {
		family += "-" + r.pick(familyNames)
	}
	sex := "F"
	given := r.pick(girlsNames)
	if r.chance(0.53) {
		sex, given = "M", r.pick(boysNames)
	}
	ch.house = &casework.Household{Address: addr}
	ch.house.ID = ch.id()
	ch.adult = &casework.Person{Role: casework.RoleAdult, Name: casework.Name{Given: r.pick(adultNames), Family: family},
		Address: addr}
	ch.adult.ID = ch.id()
	ch.person = &casework.Person{Role: casework.RoleChild, LAChildID: fmt.Sprintf("BC%07d", n), NHSNumber: nhsNumber(r),
		Name: casework.Name{Given: given, Family: family}, Sex: sex, Ethnicity: r.code(ethnicities),
		Disabilities: []string{"NONE"}, Address: addr}
	ch.person.ID = ch.id()
	if r.chance(0.11) {
		ch.person.Disabilities = []string{r.code(disabilities)}
	}
}

// born sets the child's date of birth so that they are age years old on day.
func (ch *child) born(day civil.Date, age int) {
	ch.person.BirthDate = day.AddDays(-age*365 - ch.rng.IntN(365))
	// A child of school age by the end of the period has a UPN by then (CIN query 8770Q).
	if ch.age(ch.c.last) >= 4 {
		ch.person.UPN = upn(ch.number, ch.rng)
	} else {
		ch.person.UPNUnknown = "UN1"
	}
}

// contact records a contact on day and the front door's decision on it.
func (ch *child) contact(day civil.Date, outcome string) *casework.Contact {
	r := ch.rng
	received := day.In(casework.London()).Add(time.Duration(8*3600+r.IntN(10*3600)) * time.Second)
	ct := &casework.Contact{ReceivedAt: received, Source: r.code(referralSources), Outcome: outcome,
		Reason:   r.pick([]string{"concern about care at home", "injury seen at school", "domestic abuse incident", "missing from home", "concern about neglect", "request for support"}),
		Priority: r.code([]weightedCode{{casework.PriorityRed, 15}, {casework.PriorityAmber, 45}, {casework.PriorityGreen, 40}})}
	ch.add(ct)
	level, service := 2, ""
	switch outcome {
	case casework.OutcomeEarlyHelp:
		level, service = 3, casework.ServiceEarlyHelp
	case casework.OutcomeAssessment, casework.OutcomeStrategy:
		level, service = 4, casework.ServiceSocialCare
	case casework.OutcomeNFA:
		level = 1
	}
	window := map[string]time.Duration{casework.PriorityRed: 2 * time.Hour, casework.PriorityAmber: 6 * time.Hour}[ct.Priority]
	if window == 0 {
		window = 20 * time.Hour
	}
	if r.chance(0.1) {
		window *= 2
	}
	decided := received.Add(time.Duration(r.Int64N(int64(window))))
	if civil.Of(decided.In(casework.London())).After(ch.c.last) {
		decided = received
	}
	ch.add(&casework.ThresholdDecision{ContactID: ct.ID, Level: level, Service: service, DecisionMaker: "front door manager",
		Rationale: "threshold applied to the information known", DecidedAt: decided})
	return ct
}

// allocate gives a case to a team (a worker is chosen when the team is staffed) from a day until another.
func (ch *child) allocate(caseID, team string, from, until civil.Date) {
	a := &casework.Allocation{CaseID: caseID, Start: from, End: until}
	ch.add(a)
	ch.allocs = append(ch.allocs, teamRef{a, team})
}

// reallocate ends the case's current allocation on day and gives it to another team.
func (ch *child) reallocate(caseID, team string, day civil.Date) {
	for _, ref := range ch.allocs {
		a := ref.rec.(*casework.Allocation)
		if a.CaseID == caseID && a.End.IsZero() {
			if ref.team == team {
				return
			}
			a.End = day
		}
	}
	ch.allocate(caseID, team, day, civil.Date{})
}

// every records an activity from first on, roughly every interval days, until end (or the period's end); one
// in ten is late by up to a fortnight.
func (ch *child) every(first civil.Date, interval int, end civil.Date, make func(civil.Date)) {
	if end.IsZero() || end.After(ch.c.last) {
		end = ch.c.last
	}
	for d := first; !d.After(end); {
		make(d)
		step := interval - ch.rng.IntN(max(1, interval/6))
		if ch.rng.chance(0.1) {
			step = interval + ch.rng.between(1, 14)
		}
		d = d.AddDays(step)
	}
}

// nextWorkingDay is d, or the first working day after it.
func (ch *child) nextWorkingDay(d civil.Date) civil.Date {
	if ok, err := ch.c.cal.IsWorkingDay(d); ok || err != nil {
		ch.fail(err)
		return d
	}
	return ch.wd(d, 1)
}

// visit records a visit on day: the child seen with chance seen and, if five or over, seen alone with chance alone.
func (ch *child) visit(ep *casework.Episode, day civil.Date, kind string, seen, alone float64) {
	if day.After(ch.c.last) || (!ep.ClosureDate.IsZero() && day.After(ep.ClosureDate)) {
		return
	}
	v := &casework.Visit{EpisodeID: ep.ID, Date: day, Type: kind, ChildSeen: ch.rng.chance(seen)}
	v.SeenAlone = v.ChildSeen && ch.age(day) >= 5 && ch.rng.chance(alone)
	ch.add(v)
}
