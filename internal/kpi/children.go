package kpi

import (
	"context"
	"fmt"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
)

// Counted is a child behind an indicator's figure: how much their file adds to its numerator and denominator.
type Counted struct {
	FileID, LAChildID      string
	Name                   casework.Name
	Numerator, Denominator float64
}

// ErrNotByChild is returned for an indicator that counts staff or due items, not children's files.
var ErrNotByChild = fmt.Errorf("this indicator is not counted child by child")

// Children lists the children an indicator counts for a period, in the council or in one group of a breakdown
// (by and group as Compute names them), each with what their file adds; a child who adds nothing is not listed.
// The reading is audited as a report; the caller audits each child it shows.
func Children(ctx context.Context, s *store.Store, actor store.Actor, y returns.Year, code, by, group string) ([]Counted, error) {
	ind, err := Lookup(code)
	if err != nil {
		return nil, err
	}
	if ind.observe == nil {
		return nil, fmt.Errorf("%s: %w", code, ErrNotByChild)
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	groupOfTeam, err := teamGroups(ctx, s, by)
	if err != nil {
		return nil, err
	}
	var out []Counted
	err = s.EachChildIn(ctx, actor, "indicator "+code+" "+y.Start.String()+" to "+y.End.String(), store.ByFile,
		yearScopes(y), reads(by), func(f *casework.File) error {
			p := f.Person()
			if p == nil || p.Role != casework.RoleChild || (by != "" && groupOf(f, by, y.End, groupOfTeam) != group) {
				return nil
			}
			var t tally
			ind.observe(newChild(f, p, y, cal), &t)
			if t != (tally{}) {
				out = append(out, Counted{FileID: p.ID, LAChildID: p.LAChildID, Name: p.Name, Numerator: t.num, Denominator: t.den})
			}
			return nil
		})
	return out, err
}

// ByChild tells whether an indicator is counted child by child, so that the children behind it can be listed.
func ByChild(ind Indicator) bool { return ind.observe != nil }
