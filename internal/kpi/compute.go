package kpi

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
	"golang.org/x/sync/errgroup"
)

// PopulationSetting is the council setting that holds its population aged 0 to 17, the denominator of every rate
// per 10,000; PopulationSetting+":"+district holds a district's.
const PopulationSetting = "child_population"

// indicatorKinds are the record kinds the indicators are made from (the person's record is always read).
var indicatorKinds = []casework.Kind{casework.KindEpisode, casework.KindAssessment, casework.KindStrategy, casework.KindSection47,
	casework.KindConference, casework.KindCPPlan, casework.KindLegalStatus, casework.KindPlacement, casework.KindMissing,
	casework.KindCareLeaver, casework.KindEarlyHelp, casework.KindTransition}

// NotKnown names the group of a child with no district recorded or no team holding their case, and of staff
// in no team.
const NotKnown = "not known"

// Breakdowns an indicator can be split by.
const (
	ByDistrict = "district" // the district the child lives in
	ByLocality = "locality" // the locality the child lives in
	ByTeam     = "team"     // the team holding the child's case at the end of the year (the last to, if closed)
)

// Group is the indicators for the council, or for one district or team of it.
type Group struct {
	Name   string
	Values []Value
}

// Population is the council's children aged 0 to 17, and each district's or locality's where known.
type Population struct {
	Council int
	Areas   map[string]int
}

// Compute works out every indicator for year y from the store: the files of the children with an episode of
// need, early help or a legal status under way in the year, or a care leaver's contact in it, each read audited
// as one report; the workforce as its user accounts now stand; and the due items that fell due in the year. With
// by set, each district, locality or team follows the council; rates per 10,000 need the area's population, and
// are not given for a team. A team's workforce is its members, its due items those of the cases it now holds.
func Compute(ctx context.Context, s *store.Store, actor store.Actor, y returns.Year, pop Population, by string) ([]Group, error) {
	series, err := Series(ctx, s, actor, []returns.Year{y}, pop, by)
	if err != nil {
		return nil, err
	}
	return series[0], nil
}

// Series works out every indicator for each of several periods, as Compute does for one, reading each child's
// file once: a trend costs one reading of the files, not one per point. Each period counts as a year does, so a
// period of the 12 months to a month's end gives that month's point of a rolling trend; what a year counts "at 31
// March" a period counts at its last day, and caseloads are the cases held then.
func Series(ctx context.Context, s *store.Store, actor store.Actor, periods []returns.Year, pop Population, by string) ([][]Group, error) {
	if len(periods) == 0 {
		return nil, nil
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	groupOfTeam, err := teamGroups(ctx, s, by)
	if err != nil {
		return nil, err
	}
	staff := map[string][]Staff{}
	for _, u := range users {
		// Those who have left count for the periods they were there; an account disabled with no day of
		// leaving is not counted at all.
		if !u.Disabled || !u.Left.IsZero() {
			st := Staff{ID: u.ID, Role: u.Role, FTE: u.FTE, Agency: u.Agency, Started: u.Started, Left: u.Left}
			staff[""] = append(staff[""], st)
			if by != "" {
				staff[groupOfTeam(u.TeamID)] = append(staff[groupOfTeam(u.TeamID)], st)
			}
		}
	}
	// Each period's caseloads and due items are read beside the children's files; only Values needs them. In a
	// period not yet over, what falls due after today is not yet late.
	today := casework.Today(s.Now())
	ends := make([]civil.Date, len(periods))
	spans := make([]store.Span, len(periods))
	for i, p := range periods {
		ends[i], spans[i] = p.End, store.Span{From: p.Start, To: p.End}
		if today.Before(p.End) {
			spans[i].To = today
		}
	}
	var held []map[string]int
	var due []store.DueCounts
	var side errgroup.Group
	side.Go(func() (err error) {
		if held, err = s.CasesHeld(ctx, ends...); err != nil {
			return err
		}
		due, err = s.DueByStatus(ctx, spans...)
		return err
	})
	counters := make([]map[string]*Counter, len(periods))
	counter := func(i int, group string) *Counter {
		k := counters[i][group]
		if k == nil {
			children := pop.Council
			if group != "" {
				children = pop.Areas[group] // none for a team
			}
			k = NewCounter(periods[i], children, cal, Council{Staff: staff[group]})
			counters[i][group] = k
		}
		return k
	}
	span := periods[0]
	for i, p := range periods {
		counters[i] = map[string]*Counter{}
		counter(i, "")
		for group := range staff {
			counter(i, group)
		}
		span.Start, span.End = earlier(span.Start, p.Start), later(span.End, p.End)
	}
	what := "indicators " + span.String()
	if len(periods) > 1 {
		what = fmt.Sprintf("indicators, %d periods from %s to %s", len(periods), span.Start, span.End)
	}
	err = s.EachChildIn(ctx, actor, what, store.ByFile, yearScopes(span), reads(by), func(f *casework.File) error {
		p := f.Person()
		if p == nil || p.Role != casework.RoleChild {
			return nil
		}
		c := newChild(f, p, span, cal)
		for i, period := range periods {
			c.y = period
			counter(i, "").observe(c)
			if by != "" {
				counter(i, groupOf(f, by, period.End, groupOfTeam)).observe(c)
			}
		}
		return nil
	})
	if serr := side.Wait(); err == nil {
		err = serr
	}
	if err != nil {
		return nil, err
	}
	out := make([][]Group, len(periods))
	for i := range periods {
		for team, rules := range due[i] {
			groups := []string{""}
			if by != "" {
				groups = append(groups, groupOfTeam(team))
			}
			for _, g := range groups {
				counter(i, g).addDue(rules)
			}
		}
		out[i] = []Group{{Name: "", Values: counters[i][""].WithHeld(held[i]).Values()}}
		var names []string
		for name := range counters[i] {
			if name != "" {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		for _, name := range names {
			out[i] = append(out[i], Group{Name: name, Values: counters[i][name].WithHeld(held[i]).Values()})
		}
	}
	return out, nil
}

// teamGroups names the group a team's staff, due items and cases count in: its district or locality, or itself.
func teamGroups(ctx context.Context, s *store.Store, by string) (func(teamID string) string, error) {
	teams, err := s.Teams(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, t := range teams {
		switch by {
		case ByDistrict:
			names[t.ID] = t.District
		case ByLocality:
			names[t.ID] = t.Locality
		default:
			names[t.ID] = t.Name
		}
	}
	return func(id string) string {
		if names[id] == "" {
			return NotKnown
		}
		return names[id]
	}, nil
}

// reads are the record kinds read for a breakdown: a breakdown by team reads the allocations too.
func reads(by string) []casework.Kind {
	if by == ByTeam {
		return append(slices.Clip(indicatorKinds), casework.KindAllocation)
	}
	return indicatorKinds
}

// yearScopes are the files the indicators read for a period: the children with an episode of need, early help or
// a legal status under way in it, or a care leaver's contact in it.
func yearScopes(y returns.Year) []store.Scope {
	return []store.Scope{
		{Kind: casework.KindEpisode, From: y.Start, To: y.End},
		{Kind: casework.KindEarlyHelp, From: y.Start, To: y.End},
		{Kind: casework.KindLegalStatus, From: y.Start, To: y.End},
		{Kind: casework.KindCareLeaver, From: y.Start, To: y.End, Day: true},
	}
}

// groupOf is the district or locality a child lives in, or the team that held their case at the end of the
// period: the last allocation of an episode of need begun by then.
func groupOf(f *casework.File, by string, end civil.Date, groupOfTeam func(string) string) string {
	if by != ByTeam {
		area := f.Person().Address.District
		if by == ByLocality {
			area = f.Person().Address.Locality
		}
		if area == "" {
			return NotKnown
		}
		return area
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

// Rolling is n periods of 12 months, the last ending with the month that holds last and each of the others a
// month earlier than the next: the points of a trend that looks through seasonal ups and downs.
func Rolling(last civil.Date, n int) []returns.Year {
	out := make([]returns.Year, n)
	for i := range n {
		first := civil.New(last.Year, last.Month-time.Month(n-1-i), 1) // the first of the period's last month
		out[i] = returns.Year{Start: first.AddMonths(-11), End: first.AddMonths(1).AddDays(-1)}
	}
	return out
}
