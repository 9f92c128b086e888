package synth

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestCountyIsCalibrated generates the county in memory, through the domain, and checks every calibrated figure
// against the brief's target and tolerance.
func TestCountyIsCalibrated(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the whole county")
	}
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	report, bad := Report(measureInMemory(t, Options{Scale: Scales["county"], Years: 6, Seed: seedFromEnv(11), Now: now}))
	t.Logf("\n%s", report)
	if bad > 0 {
		t.Errorf("%d figures outside tolerance", bad)
	}
}

// measureInMemory simulates a council, builds every file through the domain without a store, and measures it.
func measureInMemory(t *testing.T, opt Options) []Figure {
	t.Helper()
	c, err := staffed(opt)
	if err != nil {
		t.Fatal(err)
	}
	c.fakeIDs()
	m := NewMeasure(opt.Scale, opt.Years, opt.Now)
	err = c.simulate(func(ch *child) error {
		files, err := ch.files(c)
		if err != nil {
			return fmt.Errorf("child %s: %w", ch.person.LAChildID, err)
		}
		m.Observe(files[2])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m.Figures(c.roster())
}

func seedFromEnv(def uint64) uint64 {
	if v, err := strconv.ParseUint(os.Getenv("CONTINUUM_SYNTH_SEED"), 10, 64); err == nil {
		return v
	}
	return def
}
