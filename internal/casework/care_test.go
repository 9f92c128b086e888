package casework

import (
	"testing"

	"github.com/continuum-cs/continuum/internal/civil"
)

// TestLookedAfterDetails: what the SSDA903 needs beyond statuses and placements is checked as it is recorded.
func TestLookedAfterDetails(t *testing.T) {
	today := d("2026-05-01")
	yes, no, score := true, false, 41
	for _, c := range []struct {
		name         string
		r            interface{ Validate(civil.Date) error }
		field, wants string
	}{
		{"adoption without a decision", &Adoption{EpisodeID: "e"}, "decision", "is required"},
		{"ceased without a reason", &Adoption{Decision: d("2025-01-01"), Ceased: d("2025-06-01")}, "ceased_reason", "is given with"},
		{"matched before the decision", &Adoption{Decision: d("2025-01-01"), Matched: d("2024-12-01")}, "matched", "must not be before"},
		{"a couple of one", &Adoption{Decision: d("2025-01-01"), Matched: d("2025-02-01"), Adopters: 1, AdoptersSex: "MF", AdoptersStatus: "L0"}, "adopters_sex", "does not describe"},
		{"adopters unmatched", &Adoption{Decision: d("2025-01-01"), Adopters: 2, AdoptersSex: "MF", AdoptersStatus: "L11"}, "matched", "is required"},
		{"unknown permanence", &PreviousPermanence{Option: "P9"}, "option", ""},
		{"Z1 with a council", &PreviousPermanence{Option: "Z1", LA: "825"}, "option", "takes no council"},
		{"a council that is no council", &PreviousPermanence{Option: "P2", LA: "ABC"}, "la", "not a local authority"},
		{"a day without a month", &PreviousPermanence{Option: "P2", Year: 2020, Day: 4}, "year", "needs its month"},
		{"31 February", &PreviousPermanence{Option: "P2", Year: 2020, Month: 2, Day: 31}, "day", "is not a date"},
		{"outcomes not at 31 March", &CareOutcomes{AsAt: d("2025-04-01")}, "as_at", "not a 31 March"},
		{"SDQ score out of range", &CareOutcomes{AsAt: d("2026-03-31"), SDQScore: &score}, "sdq_score", "0 to 40"},
		{"intervention without misuse", &CareOutcomes{AsAt: d("2026-03-31"), SubstanceMisuse: &no, InterventionReceived: &yes}, "intervention_received", "substance misuse"},
		{"offered when received", &CareOutcomes{AsAt: d("2026-03-31"), SubstanceMisuse: &yes, InterventionReceived: &yes, InterventionOffered: &no}, "intervention_offered", "only when no intervention"},
		{"unknown reason for a new worker", &Allocation{CaseID: "c", TeamID: "t", Start: d("2025-01-01"), WorkerChange: "BORED"}, "worker_change", ""},
	} {
		t.Run(c.name, func(t *testing.T) { wantInvalid(t, c.r.Validate(today), c.field, c.wants) })
	}
	boy := &Person{Role: RoleChild, LAChildID: "C1", Name: Name{Given: "A", Family: "B"}, BirthDate: d("2010-01-01"), Sex: "M",
		Mother: true}
	wantInvalid(t, boy.Validate(today), "mother", "only recorded for a girl")
	boy.Mother, boy.UASCCeased = false, d("2028-01-01")
	wantInvalid(t, boy.Validate(today), "uasc_ceased", "only given for an unaccompanied")
}
