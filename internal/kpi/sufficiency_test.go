package kpi

import (
	"maps"
	"slices"
	"testing"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/returns"
)

// TestPlacedWorkedByHand counts the children of TestIndicatorsWorkedByHand by where they lived. At 31 March 2026
// A, B, E and F are looked after (C is a care leaver, D in need, G and H never in care): A out of the area in a
// private children's home in Newcastle, B, E and F with the council's own foster carers in Aylesbury, a mile or
// two from home. A year earlier only E and F were.
func TestPlacedWorkedByHand(t *testing.T) {
	g, h := childGH(t)
	files := []*casework.File{childA(t), childB(t), childC(t), childD(t), childE(t), childF(t), g, h}
	for _, tc := range []struct {
		day                       string
		children, inArea, outside int
		distance                  []int
		types, providers          map[string]int
	}{
		{"2026-03-31", 4, 3, 1, []int{3, 0, 0, 1, 0}, map[string]int{"U4": 3, "U6": 1}, map[string]int{"PR1": 3, "PR4": 1}},
		{"2025-03-31", 2, 2, 0, []int{2, 0, 0, 0, 0}, map[string]int{"U4": 2}, map[string]int{"PR1": 2}},
	} {
		o := newPlaced(d(tc.day))
		for _, f := range files {
			o.add(newChild(f, f.Person(), returns.YearOf(d(tc.day)), nil))
		}
		if o.Children != tc.children || o.InArea != tc.inArea || o.External() != tc.outside ||
			!slices.Equal(o.Distance, tc.distance) || !maps.Equal(o.Type, tc.types) || !maps.Equal(o.Provider, tc.providers) {
			t.Errorf("%s: %+v, external %d", tc.day, o, o.External())
		}
	}
}

func TestTrajectory(t *testing.T) {
	tr, err := ParseTrajectory("2026-03-31 50; 2027-03-31 60\n")
	must(t, err)
	for day, want := range map[string]float64{"2025-01-01": 50, "2026-03-31": 50, "2026-09-30": 50 + 10*183.0/365, "2027-03-31": 60, "2030-01-01": 60} {
		if got, ok := tr.At(d(day)); !ok || got != want {
			t.Errorf("aim on %s = %v, want %v", day, got, want)
		}
	}
	if _, ok := Trajectory(nil).At(d("2026-01-01")); ok {
		t.Error("an empty trajectory has an aim")
	}
	if back, err := ParseTrajectory(tr.String()); err != nil || !slices.Equal(back, tr) {
		t.Errorf("round trip: %v, %v", back, err)
	}
	for _, bad := range []string{"2026-03-31", "2026-03-31 fifty", "2026-02-30 50", "2026-03-31 101", "2026-03-31 50; 2026-03-31 55"} {
		if _, err := ParseTrajectory(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// FuzzParseTrajectory: any text is refused or read into rising points that read back the same.
func FuzzParseTrajectory(f *testing.F) {
	for _, seed := range []string{"2026-03-31 50; 2027-03-31 60", "2026-03-31 50\n", "", ";;", "2026-02-30 1", "2026-03-31 1e400"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tr, err := ParseTrajectory(s)
		if err != nil {
			return
		}
		for i, p := range tr {
			if p.Percent < 0 || p.Percent > 100 || (i > 0 && !p.Day.After(tr[i-1].Day)) {
				t.Fatalf("%q read as %v", s, tr)
			}
		}
		back, err := ParseTrajectory(tr.String())
		if err != nil || !slices.Equal(back, tr) {
			t.Fatalf("%q read as %v, which reads back as %v, %v", s, tr, back, err)
		}
	})
}
