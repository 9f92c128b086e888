package geo

import (
	"math"
	"testing"
)

func TestMiles(t *testing.T) {
	// Aylesbury to Milton Keynes is about 16 miles as the crow flies; Aylesbury to Exeter about 140.
	for _, c := range []struct {
		a, b     string
		min, max float64
	}{
		{"HP19 8FF", "MK9 2AB", 14, 18},
		{"hp19 8ff", "EX1 1AA", 130, 150},
		{"SL7 1AA", "SL7 2BB", 0, 0},
	} {
		got, ok := Miles(c.a, c.b)
		if !ok || got < c.min || got > c.max {
			t.Errorf("Miles(%s, %s) = %.1f %v, want %v–%v", c.a, c.b, got, ok, c.min, c.max)
		}
	}
	if _, ok := Miles("ZZ99 1AA", "HP19 8FF"); ok {
		t.Error("an unknown district has a distance")
	}
	if d, ok := Lookup("HP19"); !ok || d.Council != "Buckinghamshire" || math.Abs(d.Lat-51.8) > 0.1 {
		t.Errorf("Lookup(HP19) = %+v %v", d, ok)
	}
	if n := len(InCouncil("Buckinghamshire")); n < 20 {
		t.Errorf("%d Buckinghamshire districts", n)
	}
}
