package kpi_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/kpi"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth/synthtest"
)

func TestRolling(t *testing.T) {
	got := kpi.Rolling(civil.New(2026, time.March, 31), 3)
	want := []returns.Year{
		{Start: civil.New(2025, time.February, 1), End: civil.New(2026, time.January, 31)},
		{Start: civil.New(2025, time.March, 1), End: civil.New(2026, time.February, 28)},
		{Start: civil.New(2025, time.April, 1), End: civil.New(2026, time.March, 31)},
	}
	if len(got) != len(want) {
		t.Fatalf("Rolling = %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("period %d = %v to %v, want %v to %v", i, got[i].Start, got[i].End, want[i].Start, want[i].End)
		}
	}
	// A day in the middle of a month stands for its month; the periods cross the year's turn.
	if got := kpi.Rolling(civil.New(2026, time.January, 15), 2); got[0].Start != civil.New(2025, time.January, 1) ||
		got[0].End != civil.New(2025, time.December, 31) || got[1].End != civil.New(2026, time.January, 31) {
		t.Errorf("Rolling from 15 January = %v", got)
	}
}

// TestSeriesAgreesWithCompute checks that one reading for several periods gives each period what reading it on
// its own gives, for the council and for each team.
func TestSeriesAgreesWithCompute(t *testing.T) {
	now := time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC)
	s := synthtest.Small(t, now, 3, 7)
	ctx := t.Context()
	periods := append(kpi.Rolling(civil.New(2025, time.October, 31), 2), returns.YearOf(civil.New(2025, time.April, 1)))
	pop := kpi.Population{Council: 5000}
	for _, by := range []string{"", kpi.ByTeam} {
		series, err := kpi.Series(ctx, s, store.System, periods, pop, by)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range periods {
			alone, err := kpi.Compute(ctx, s, store.System, p, pop, by)
			if err != nil {
				t.Fatal(err)
			}
			if len(alone) != len(series[i]) {
				t.Fatalf("by %q, %v: %d groups in the series, %d alone", by, p.End, len(series[i]), len(alone))
			}
			for g := range alone {
				for j, v := range alone[g].Values {
					w := series[i][g].Values[j]
					if w.Numerator != v.Numerator || w.Denominator != v.Denominator || !same(w.Value, v.Value) {
						t.Errorf("by %q, %s, period to %v, %s: series %v/%v, alone %v/%v", by, alone[g].Name, p.End,
							v.Code, w.Numerator, w.Denominator, v.Numerator, v.Denominator)
					}
				}
			}
		}
		// The periods differ, or the test shows nothing.
		if series[0][0].Values[0].Numerator == series[2][0].Values[0].Numerator &&
			series[0][0].Values[1].Numerator == series[2][0].Values[1].Numerator {
			t.Errorf("by %q: the first and last periods count the same referrals", by)
		}
	}
}

func same(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

// TestChildrenAddUp checks that the children listed behind a figure add up to it, for the council and for a
// district, and that an indicator of the workforce has no such list.
func TestChildrenAddUp(t *testing.T) {
	now := time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC)
	s := synthtest.Small(t, now, 3, 7)
	ctx := t.Context()
	y := returns.YearOf(civil.New(2025, time.April, 1))
	pop := kpi.Population{Council: 5000}
	groups, err := kpi.Compute(ctx, s, store.System, y, pop, kpi.ByDistrict)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []kpi.Group{groups[0], groups[1]} {
		for _, v := range g.Values {
			if v.Code != "assessments45" && v.Code != "cla" && v.Code != "stepDown" {
				continue
			}
			by := kpi.ByDistrict
			if g.Name == "" {
				by = ""
			}
			children, err := kpi.Children(ctx, s, store.System, y, v.Code, by, g.Name)
			if err != nil {
				t.Fatal(err)
			}
			var num, den float64
			for _, c := range children {
				num += c.Numerator
				den += c.Denominator
				if c.FileID == "" || c.LAChildID == "" {
					t.Errorf("%s: a child with no file or LA child ID: %+v", v.Code, c)
				}
			}
			if num != v.Numerator || (v.Unit != kpi.PerTenThousand && den != v.Denominator) || num == 0 {
				t.Errorf("%s in %q: children add up to %v/%v, the figure is %v/%v", v.Code, g.Name, num, den, v.Numerator, v.Denominator)
			}
		}
	}
	if _, err := kpi.Children(ctx, s, store.System, y, "caseload", "", ""); !errors.Is(err, kpi.ErrNotByChild) {
		t.Errorf("caseload's children: %v", err)
	}
}
