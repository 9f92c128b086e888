package synth

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
)

// The demo council must hold every kind of record the domain knows, all accepted by the domain's own checks.
func TestSmallCouncilHasEveryKindOfRecord(t *testing.T) {
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
	res, err := Generate(ctx, s, Options{Children: 400, Seed: 1, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []casework.Kind{casework.KindPerson, casework.KindRelationship, casework.KindHousehold,
		casework.KindHouseholdMember, casework.KindContact, casework.KindThreshold, casework.KindEarlyHelp,
		casework.KindEpisode, casework.KindReopening, casework.KindAssessment, casework.KindCINPlan,
		casework.KindStrategy, casework.KindSection47, casework.KindConference, casework.KindCPPlan,
		casework.KindLegalStatus, casework.KindPlacement, casework.KindCLAReview, casework.KindVisit,
		casework.KindMissing, casework.KindCareLeaver, casework.KindAllocation} {
		if counts[k] == 0 {
			t.Errorf("no %s records in the demo council", k)
		}
	}
	if res.Files != 1200 {
		t.Errorf("%d files, want 1200 (household, parent and child for each of 400 children)", res.Files)
	}
	check, err := s.VerifyAudit(ctx)
	if err != nil || check.BrokenAt != 0 {
		t.Fatalf("audit after generation: %+v %v", check, err)
	}
}
