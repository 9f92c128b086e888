package synth

import (
	"fmt"
	"math"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/kpi"
)

// team is a kind of work in one place — assessment in Chiltern, children in care in the north — staffed once the
// simulation knows how many cases it holds, as one or more units of up to ten workers under a manager.
type team struct {
	key, name, service, district, locality string
	// open counts the cases the team holds at the end of the period.
	open  int
	units []*unit
}

// unit is one team as the store knows it: a manager and their workers.
type unit struct {
	name    string
	id      string
	manager *worker
	workers []*worker
}

// worker is a member of staff.
type worker struct {
	name, email, role string
	fte               float64
	agency            bool
	id                string
}

// organisation lays out the teams of a county children's service: a front door, early help, assessment and
// children's social work teams by district and locality, children in care north and south, care leavers and the
// independent reviewing officers.
func (c *council) organisation() {
	add := func(key, name, service, district, locality string) {
		t := &team{key: key, name: name, service: service, district: district, locality: locality}
		c.teams = append(c.teams, t)
		c.teamByKey[key] = t
	}
	add("front_door", "Front Door (First Response)", "front_door", "", "")
	for _, d := range area {
		add("eh:"+d.name, d.name+" Early Help", "early_help", d.name, "")
		add("assess:"+d.name, d.name+" Assessment", "assessment", d.name, "")
		for _, l := range d.localities {
			add("cin:"+l.name, l.name+" Child in Need and Protection", "cin_cp", d.name, l.name)
		}
	}
	add("cla:North", "Children in Care North", "looked_after", "", "")
	add("cla:South", "Children in Care South", "looked_after", "", "")
	add("leavers", "Care Leavers", "care_leavers", "", "")
	add("iro", "Independent Reviewing Service", "iro", "", "")
}

// partnerAgencies are the partner agencies' teams a county works with most, and one practitioner of each.
var partnerAgencies = []struct{ key, team, name, email string }{
	{"health", "Health Visiting and School Nursing", "Health Visitor", "partner.1@healthvisiting.example.org"},
	{"police", "Police Child Protection Unit", "Detective Constable", "partner.1@policecpu.example.org"},
}

// share records what the council shares about the child at the end of the period, as practitioners would: a
// child protection plan with the health visitors and the police, who sit in its core group, without consent
// because the plan protects the child; open early help with the health visitors, with the parent's consent.
func (ch *child) share(c *council) []casework.Record {
	if len(c.partners) == 0 {
		return nil // measured in memory, with no store to hold the partners' teams
	}
	var out []casework.Record
	for _, rec := range ch.records {
		switch r := rec.(type) {
		case *casework.CPPlan:
			if r.End.IsZero() {
				for _, p := range []string{"health", "police"} {
					out = append(out, &casework.Sharing{TeamID: c.partners[p], Basis: casework.BasisSafeguarding,
						Justification: "A member of the core group under the child protection plan",
						Scope:         casework.ScopePlan, Start: r.Start})
				}
			}
		case *casework.EarlyHelp:
			if r.End.IsZero() {
				out = append(out, &casework.Sharing{TeamID: c.partners["health"], Basis: casework.BasisConsent,
					ConsentBy: "parent", Scope: casework.ScopeInvolvement, Start: r.ConsentDate})
			}
		}
	}
	for _, r := range out {
		r.Base().ID = ch.id()
	}
	return out
}

// tally counts the child's cases still open at the end of the period against their teams.
func (c *council) tally(ch *child) {
	for _, ref := range ch.allocs {
		if ref.rec.(*casework.Allocation).End.IsZero() {
			c.teamByKey[ref.team].open++
		}
	}
}

// staff sizes each team to the work it holds at the end of the period (see tally), so caseloads come out near
// the scale's figure, and names its people. A fifth of social workers come from agencies, and some work part time.
func (c *council) staff(r rng) {
	rates := c.opt.Scale.Rates
	meanFTE := 0.85*1 + 0.15*0.7
	perYear := c.opt.Scale.perYear
	for _, t := range c.teams {
		role, load := casework.RoleSocialWorker, rates.Caseload
		switch t.service {
		case "early_help":
			role, load = casework.RoleEarlyHelp, 18
		case "front_door":
			role, load, t.open = casework.RoleFrontDoor, 1, int(perYear(rates.Contacts)/1500)
		case "care_leavers":
			load, t.open = 20, int(perYear(rates.CLAStock)*0.55)
		case "iro":
			role, load, t.open = casework.RoleIRO, 70, int(perYear(rates.CLAStock)*2)
		}
		n := max(2, int(math.Ceil(float64(t.open)/(load*meanFTE))))
		units := make([]*unit, (n+9)/10)
		for u := range units {
			un := &unit{name: t.name}
			if len(units) > 1 {
				un.name = fmt.Sprintf("%s %d", t.name, u+1)
			}
			un.manager = &worker{name: r.pick(adultNames) + " " + r.pick(familyNames),
				email: fmt.Sprintf("%s.1@%s.example.org", casework.RoleTeamManager, slug(un.name)), role: casework.RoleTeamManager, fte: 1}
			units[u] = un
		}
		for i := range n {
			un := units[i%len(units)]
			w := &worker{name: r.pick(adultNames) + " " + r.pick(familyNames), role: role, fte: 1,
				email: fmt.Sprintf("%s.%d@%s.example.org", role, len(un.workers)+1, slug(un.name))}
			if r.chance(0.15) {
				w.fte = float64(r.between(5, 8)) / 10
			}
			w.agency = role == casework.RoleSocialWorker && r.chance(rates.Agency)
			un.workers = append(un.workers, w)
		}
		t.units = units
	}
}

func slug(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b = append(b, c)
		}
	}
	return string(b)
}

// fakeIDs names units and workers without a store, for measuring a council in memory.
func (c *council) fakeIDs() {
	n := 0
	for _, t := range c.teams {
		for _, u := range t.units {
			n++
			u.id = fmt.Sprintf("team-%d", n)
			u.manager.id = u.id + "-manager"
			for j, w := range u.workers {
				w.id = fmt.Sprintf("%s-worker-%d", u.id, j+1)
			}
		}
	}
}

// files builds the child's three files — household, parent, child — through the domain, so each is checked as
// a practitioner's record would be. Each allocation goes to a worker of its team, and supervision to the manager
// of the worker holding the case that day.
func (ch *child) files(c *council) ([]*casework.File, error) {
	now := c.opt.Now
	r := newRNG(c.opt.Seed^0xa5a5, uint64(len(ch.records))*7919+uint64(ch.person.BirthDate.Days()))
	managers := map[string]string{}
	for _, ref := range ch.allocs {
		a, t := ref.rec.(*casework.Allocation), c.teamByKey[ref.team]
		u := t.units[r.IntN(len(t.units))]
		w := u.workers[r.IntN(len(u.workers))]
		a.TeamID, a.WorkerID = u.id, w.id
		managers[w.id] = u.manager.id
	}
	ch.lookedAfter()
	for _, rec := range ch.records {
		if a, ok := rec.(*casework.Activity); ok && a.Type == casework.ActivitySupervision {
			if holder := ch.holder(a.EpisodeID, a.Date); holder != nil {
				a.By = managers[holder.WorkerID]
			}
		}
	}
	home := casework.NewFile(now, nil)
	if err := home.Save(ch.house); err != nil {
		return nil, fmt.Errorf("household: %w", err)
	}
	parent := casework.NewFile(now, nil)
	if err := parent.Save(ch.adult); err != nil {
		return nil, fmt.Errorf("parent: %w", err)
	}
	rel := &casework.Relationship{OtherID: ch.adult.ID, Type: r.code([]weightedCode{{"mother", 80}, {"father", 20}}),
		ParentalResponsibility: true}
	member := &casework.HouseholdMember{HouseholdID: ch.house.ID, Start: ch.person.BirthDate}
	rel.ID, member.ID = ch.id(), ch.id()
	child := casework.NewFile(now, nil)
	all := append([]casework.Record{ch.person, rel, member}, ch.records...)
	all = append(all, ch.share(c)...)
	if err := child.Save(all...); err != nil {
		return nil, err
	}
	return []*casework.File{home, parent, child}, nil
}

// holder is the allocation holding a case on a day.
func (ch *child) holder(caseID string, day civil.Date) *casework.Allocation {
	for _, ref := range ch.allocs {
		a := ref.rec.(*casework.Allocation)
		if a.CaseID == caseID && !day.Before(a.Start) && (a.End.IsZero() || day.Before(a.End)) {
			return a
		}
	}
	return nil
}

// roster lists the staff for the workforce figures.
func (c *council) roster() []kpi.Staff {
	var out []kpi.Staff
	for _, t := range c.teams {
		for _, u := range t.units {
			for _, w := range append([]*worker{u.manager}, u.workers...) {
				out = append(out, kpi.Staff{ID: w.id, Role: w.role, FTE: w.fte, Agency: w.agency})
			}
		}
	}
	return out
}
