package kpi

import (
	"context"
	"slices"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/timescale"
	"golang.org/x/sync/errgroup"
)

// PopulationSetting is the council setting that holds its population aged 0 to 17, the denominator of every rate
// per 10,000; PopulationSetting+":"+district holds a district's.
const PopulationSetting = "child_population"

// Reads are the record kinds the indicators are made from (the person's record is always read); a breakdown by
// team reads the allocations too.
var Reads = []casework.Kind{casework.KindEpisode, casework.KindAssessment, casework.KindStrategy, casework.KindSection47,
	casework.KindConference, casework.KindCPPlan, casework.KindLegalStatus, casework.KindPlacement, casework.KindMissing,
	casework.KindCareLeaver, casework.KindEarlyHelp, casework.KindTransition}

// NotKnown names the group of a child with no district recorded or no team holding their case, and of staff
// in no team.
const NotKnown = "not known"

// Breakdowns an indicator can be split by.
const (
	ByDistrict = "district" // the district the child lives in
	ByTeam     = "team"     // the team holding the child's case at the end of the year (the last to, if closed)
)

// Group is the indicators for the council, or for one district or team of it.
type Group struct {
	Name   string
	Values []Value
}

// Population is the council's children aged 0 to 17, and each district's where known.
type Population struct {
	Council   int
	Districts map[string]int
}

// Compute works out every indicator for year y from the store: the files of the children with an episode of
// need, early help or a legal status under way in the year, or a care leaver's contact in it, each read audited
// as one report; the workforce as its user accounts now stand; and the due items that fell due in the year. With
// by set, each district or team follows the council; rates per 10,000 need the district's population, and are
// not given for a team. A team's workforce is its members, its due items those of the cases it now holds.
func Compute(ctx context.Context, s *store.Store, actor store.Actor, y returns.Year, pop Population, by string) ([]Group, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	teams, err := s.Teams(ctx)
	if err != nil {
		return nil, err
	}
	// groupOfTeam names the group a team's staff and due items count in.
	teamNames := map[string]store.Team{}
	for _, t := range teams {
		teamNames[t.ID] = t
	}
	groupOfTeam := func(id string) string {
		name := teamNames[id].Name
		if by == ByDistrict {
			name = teamNames[id].District
		}
		if name == "" {
			return NotKnown
		}
		return name
	}
	staff := map[string][]Staff{}
	for _, u := range users {
		if !u.Disabled {
			st := Staff{ID: u.ID, Role: u.Role, FTE: u.FTE, Agency: u.Agency}
			staff[""] = append(staff[""], st)
			if by != "" {
				staff[groupOfTeam(u.TeamID)] = append(staff[groupOfTeam(u.TeamID)], st)
			}
		}
	}
	held, err := s.CasesHeld(ctx, y.End)
	if err != nil {
		return nil, err
	}
	counters := map[string]*Counter{}
	counter := func(group string) *Counter {
		k := counters[group]
		if k == nil {
			children := pop.Council
			if group != "" {
				children = pop.Districts[group] // none for a team
			}
			k = NewCounter(y, children, cal, Council{Staff: staff[group], Held: held})
			counters[group] = k
		}
		return k
	}
	counter("")
	for group := range staff {
		counter(group)
	}
	// In a year not yet over, what falls due after today is not yet late. The due items are counted while the
	// children's files are read; only Values needs them.
	to := y.End
	if today := casework.Today(s.Now()); today.Before(to) {
		to = today
	}
	var due errgroup.Group
	var byTeam map[string]map[string]map[timescale.Status]int
	due.Go(func() (err error) {
		byTeam, err = s.DueByStatus(ctx, y.Start, to)
		return err
	})
	scopes := []store.Scope{
		{Kind: casework.KindEpisode, From: y.Start, To: y.End},
		{Kind: casework.KindEarlyHelp, From: y.Start, To: y.End},
		{Kind: casework.KindLegalStatus, From: y.Start, To: y.End},
		{Kind: casework.KindCareLeaver, From: y.Start, To: y.End, Day: true},
	}
	reads := Reads
	if by == ByTeam {
		reads = append(slices.Clip(reads), casework.KindAllocation)
	}
	err = s.EachChildIn(ctx, actor, "indicators "+y.String(), store.ByFile, scopes, reads, func(f *casework.File) error {
		counter("").Observe(f)
		if by != "" {
			counter(groupOf(f, by, y.End, groupOfTeam)).Observe(f)
		}
		return nil
	})
	if derr := due.Wait(); err == nil {
		err = derr
	}
	if err != nil {
		return nil, err
	}
	for team, rules := range byTeam {
		groups := []string{""}
		if by != "" {
			groups = append(groups, groupOfTeam(team))
		}
		for _, g := range groups {
			k := counter(g)
			if k.council.Due == nil {
				k.council.Due = map[string]map[timescale.Status]int{}
			}
			for rule, statuses := range rules {
				if k.council.Due[rule] == nil {
					k.council.Due[rule] = map[timescale.Status]int{}
				}
				for status, n := range statuses {
					k.council.Due[rule][status] += n
				}
			}
		}
	}
	out := []Group{{Name: "", Values: counters[""].Values()}}
	var names []string
	for name := range counters {
		if name != "" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		out = append(out, Group{Name: name, Values: counters[name].Values()})
	}
	return out, nil
}

// groupOf is the district a child lives in, or the team that held their case at the end of the year: the last
// allocation of an episode of need begun by then.
func groupOf(f *casework.File, by string, end civil.Date, groupOfTeam func(string) string) string {
	if by == ByDistrict {
		if d := f.Person().Address.District; d != "" {
			return d
		}
		return NotKnown
	}
	var team string
	var from civil.Date
	for _, a := range casework.All[*casework.Allocation](f) {
		if r, ok := f.Get(a.CaseID); ok && r.Kind() == casework.KindEpisode && !a.Start.After(end) && !a.Start.Before(from) {
			team, from = a.TeamID, a.Start
		}
	}
	return groupOfTeam(team)
}
