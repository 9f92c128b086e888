package casework

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The embedded code lists must be the spec's, byte for byte; when the spec is updated, copy it again.
func TestCodeListsMatchSpec(t *testing.T) {
	for embedded, spec := range map[string]string{
		"codelists/cin_codelists_2025_26.csv":     "cin/cin_codelists_2025_26.csv",
		"codelists/ssda903_codelists_2025_26.csv": "ssda903/ssda903_codelists_2025_26.csv",
	} {
		want, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "spec", spec))
		if err != nil {
			t.Skipf("shared spec not beside the repository: %v", err)
		}
		got, err := os.ReadFile(embedded)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from shared/spec/%s", embedded, spec)
		}
	}
}

func TestCodeLists(t *testing.T) {
	tests := []struct {
		list CodeList
		code string
		ok   bool
	}{
		{ListLegalStatus, "C2", true},
		{ListPlacementType, "U4", true},
		{ListPlacementType, "Z1", false}, // retired after 2024-25
		{ListPlacementType, "Z11", true},
		{ListReferralSource, "5D", true},
		{ListPrimaryNeed, "N9", true},
		{ListPrimaryNeed, "N10", false},
		{ListAssessmentFactor, "21", true},
		{ListAbuseCategory, "MUL", true},
		{ListEthnicity, "WBRI", true},
		{ListEpisodeCeased, "E4A", true},
	}
	for _, tt := range tests {
		if got := checkCode(tt.list, tt.code) == nil; got != tt.ok {
			t.Errorf("%s %q valid = %v, want %v", tt.list, tt.code, got, tt.ok)
		}
	}
	if n := len(Codes(ListAssessmentFactor)); n < 30 {
		t.Errorf("only %d assessment factors loaded", n)
	}
}
