package synth

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
)

// The small council, stored, must hold every kind of record the domain knows, all accepted by the domain's own
// checks, with an intact audit chain; and reading it back must give the figures measured in memory.
func TestSmallCouncilStored(t *testing.T) {
	ctx := t.Context()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "synth.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	opt := Options{Scale: Scales["small"], Years: 6, Seed: 1, Now: now}
	res, err := Generate(ctx, s, opt)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []casework.Kind{casework.KindPerson, casework.KindRelationship, casework.KindHousehold,
		casework.KindHouseholdMember, casework.KindContact, casework.KindThreshold, casework.KindEarlyHelp,
		casework.KindEpisode, casework.KindAssessment, casework.KindCINPlan, casework.KindTransition,
		casework.KindStrategy, casework.KindSection47, casework.KindConference, casework.KindCPPlan,
		casework.KindLegalStatus, casework.KindPlacement, casework.KindCLAReview, casework.KindVisit,
		casework.KindMissing, casework.KindCareLeaver, casework.KindAllocation, casework.KindActivity} {
		if counts[k] == 0 {
			t.Errorf("no %s records in the small council", k)
		}
	}
	if res.Files != 3*res.Children || counts[casework.KindPerson] != 2*res.Children {
		t.Errorf("%d files and %d people for %d children", res.Files, counts[casework.KindPerson], res.Children)
	}
	check, err := s.VerifyAudit(ctx)
	if err != nil || check.BrokenAt != 0 {
		t.Fatalf("audit after generation: %+v %v", check, err)
	}
	stored, err := Calibrate(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range measureInMemory(t, opt) {
		bothNaN := math.IsNaN(f.Got) && math.IsNaN(stored[i].Got)
		if f.Got != stored[i].Got && !bothNaN {
			t.Errorf("%s: %v in memory, %v stored", f.Name, f.Got, stored[i].Got)
		}
	}
}
