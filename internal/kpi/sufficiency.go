package kpi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/geo"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
)

// DistanceBands are how far, in a straight line, children are placed from the homes they came from; the last is
// for a child whose home or placement postcode is not known.
var DistanceBands = []string{"under 5 miles", "5 to 10 miles", "10 to 20 miles", "more than 20 miles", "not known"}

// InHouse is the provider code of the council's own provision (SSDA903 PLACE_PROVIDER PR1): its own foster
// carers and homes. Every other provider but parents (PR0) is external, bought from another council, the NHS, a
// private or a voluntary provider.
const InHouse = "PR1"

// Placed is how the children looked after stood at the end of one day: where they lived, how far from home, in
// what kind of placement and with whose provision. Children on short breaks are not counted.
type Placed struct {
	Day      civil.Date
	Children int // looked after and placed
	InArea   int
	Distance []int          // children in each of DistanceBands
	Type     map[string]int // by placement type (SSDA903 PLACE)
	Provider map[string]int // by provider (SSDA903 PLACE_PROVIDER)
}

// InAreaPercent is the share of the children placed inside the council's area.
func (p Placed) InAreaPercent() float64 { return percent(p.InArea, p.Children) }

// External counts the children placed with providers other than the council and their parents.
func (p Placed) External() int {
	n := 0
	for code, k := range p.Provider {
		if code != InHouse && code != "PR0" {
			n += k
		}
	}
	return n
}

func percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of) * 100
}

// Sufficiency reads where the children looked after were placed at the end of each day, reading each child's
// file once; the reading is audited as one report.
func Sufficiency(ctx context.Context, s *store.Store, actor store.Actor, days []civil.Date) ([]Placed, error) {
	if len(days) == 0 {
		return nil, nil
	}
	out := make([]Placed, len(days))
	span := returns.Year{Start: days[0], End: days[0]}
	for i, d := range days {
		out[i] = newPlaced(d)
		span.Start, span.End = earlier(span.Start, d), later(span.End, d)
	}
	scopes := []store.Scope{{Kind: casework.KindLegalStatus, From: span.Start, To: span.End}}
	kinds := []casework.Kind{casework.KindLegalStatus, casework.KindPlacement}
	what := fmt.Sprintf("placement sufficiency, %d days from %s to %s", len(days), span.Start, span.End)
	err := s.EachChildIn(ctx, actor, what, store.ByFile, scopes, kinds, func(f *casework.File) error {
		p := f.Person()
		if p == nil || p.Role != casework.RoleChild {
			return nil
		}
		c := newChild(f, p, span, nil)
		for i := range out {
			out[i].add(c)
		}
		return nil
	})
	return out, err
}

func newPlaced(d civil.Date) Placed {
	return Placed{Day: d, Distance: make([]int, len(DistanceBands)), Type: map[string]int{}, Provider: map[string]int{}}
}

// add counts a child if they were looked after and placed at the end of the day.
func (o *Placed) add(c *child) {
	pl := c.placementAt(o.Day)
	if pl == nil || !c.lookedAfterAt(o.Day) {
		return
	}
	o.Children++
	if pl.InArea {
		o.InArea++
	}
	o.Distance[distanceBand(c.p.Address.Postcode, pl.Postcode)]++
	o.Type[pl.Type]++
	o.Provider[pl.Provider]++
}

func distanceBand(home, placed string) int {
	miles, ok := geo.Miles(home, placed)
	switch {
	case !ok:
		return 4
	case miles < 5:
		return 0
	case miles < 10:
		return 1
	case miles <= 20:
		return 2
	}
	return 3
}

func earlier(a, b civil.Date) civil.Date {
	if b.Before(a) {
		return b
	}
	return a
}

func later(a, b civil.Date) civil.Date {
	if b.After(a) {
		return b
	}
	return a
}

// TrajectorySetting holds the council's target trajectory for children placed inside its area: points of a
// date and a percentage, such as "2026-03-31 50; 2027-03-31 55; 2028-03-31 60".
const TrajectorySetting = "sufficiency_trajectory"

// A Trajectory is the share of children looked after the council aims to place inside its area, by date.
type Trajectory []TrajectoryPoint

// TrajectoryPoint is one date's aim.
type TrajectoryPoint struct {
	Day     civil.Date
	Percent float64
}

// At is the aim on day d: straight lines between the points, the first point's aim before it and the last's
// after it; false when there are no points.
func (t Trajectory) At(d civil.Date) (float64, bool) {
	if len(t) == 0 {
		return 0, false
	}
	if !d.After(t[0].Day) {
		return t[0].Percent, true
	}
	for i := 1; i < len(t); i++ {
		if !d.After(t[i].Day) {
			a, b := t[i-1], t[i]
			f := float64(d.DaysSince(a.Day)) / float64(b.Day.DaysSince(a.Day))
			return a.Percent + f*(b.Percent-a.Percent), true
		}
	}
	return t[len(t)-1].Percent, true
}

func (t Trajectory) String() string {
	parts := make([]string, len(t))
	for i, p := range t {
		parts[i] = p.Day.String() + " " + strconv.FormatFloat(p.Percent, 'f', -1, 64)
	}
	return strings.Join(parts, "; ")
}

// ParseTrajectory reads points written as "DATE PERCENT", separated by semicolons or new lines; the dates must
// rise and each percentage lie from 0 to 100. Its errors name the point that is wrong.
func ParseTrajectory(s string) (Trajectory, error) {
	var t Trajectory
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' })
	for i, field := range fields {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		day, pct, ok := strings.Cut(field, " ")
		d, err1 := civil.Parse(strings.TrimSpace(day))
		v, err2 := strconv.ParseFloat(strings.TrimSpace(pct), 64)
		switch {
		case !ok || err1 != nil || err2 != nil:
			return nil, fmt.Errorf("point %d, %q: write a date and a percentage, like 2027-03-31 55", i+1, field)
		case v < 0 || v > 100:
			return nil, fmt.Errorf("point %d, %q: the percentage must be from 0 to 100", i+1, field)
		case len(t) > 0 && !d.After(t[len(t)-1].Day):
			return nil, fmt.Errorf("point %d, %q: the dates must rise", i+1, field)
		}
		t = append(t, TrajectoryPoint{d, v})
	}
	return t, nil
}

// LoadTrajectory is the council's trajectory in force; empty when none is set.
func LoadTrajectory(ctx context.Context, s *store.Store) (Trajectory, error) {
	value, ok, err := s.Setting(ctx, TrajectorySetting)
	if err != nil || !ok {
		return nil, err
	}
	t, err := ParseTrajectory(value)
	if err != nil {
		return nil, fmt.Errorf("setting %s: %w", TrajectorySetting, err)
	}
	return t, nil
}

// SetTrajectory records a new trajectory; each change is a new version of the setting, audited.
func SetTrajectory(ctx context.Context, s *store.Store, actor store.Actor, t Trajectory) error {
	if len(t) == 0 {
		return errors.New("a trajectory needs at least one point")
	}
	if !slices.IsSortedFunc(t, func(a, b TrajectoryPoint) int { return a.Day.Compare(b.Day) }) {
		return errors.New("a trajectory's dates must rise")
	}
	_, err := s.SetSetting(ctx, actor, TrajectorySetting, t.String())
	return err
}
