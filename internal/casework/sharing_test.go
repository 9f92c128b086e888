package casework

import (
	"testing"
)

func TestSharingValidation(t *testing.T) {
	ok := Sharing{TeamID: "hv", Basis: BasisConsent, ConsentBy: "parent", Scope: ScopeInvolvement, Start: d("2026-03-01")}
	for _, c := range []struct {
		name       string
		change     func(s *Sharing)
		field, msg string
	}{
		{"no team", func(s *Sharing) { s.TeamID = "" }, "team_id", "partner agency's team"},
		{"no basis", func(s *Sharing) { s.Basis = "" }, "basis", "required"},
		{"consent without who gave it", func(s *Sharing) { s.ConsentBy = "" }, "consent_by", "required"},
		{"without consent, no reason", func(s *Sharing) { s.Basis, s.ConsentBy = BasisSafeguarding, "" }, "justification", "required"},
		{"without consent, yet someone consented", func(s *Sharing) { s.Basis, s.Justification = BasisSafeguarding, "risk" }, "consent_by", "leave blank"},
		{"unknown scope", func(s *Sharing) { s.Scope = "everything" }, "scope", "everything"},
		{"starts tomorrow", func(s *Sharing) { s.Start = d("2026-03-21") }, "start", "future"},
		{"ends before it starts", func(s *Sharing) { s.End = d("2026-02-01") }, "end", "before"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := ok
			c.change(&s)
			wantInvalid(t, s.Validate(Today(testNow)), c.field, c.msg)
		})
	}
	if err := ok.Validate(Today(testNow)); err != nil {
		t.Fatal(err)
	}
}

// TestSharedWith checks what a partner's team sees: nothing unless shared with that team and in force, the plan
// only when the scope is the plan, and the widest scope when a child is shared twice.
func TestSharedWith(t *testing.T) {
	j := newJourney(t)
	must(t, j.f.Allocate(j.ep.ID, "sw1", "cin1", d("2025-05-01"), "FCONTA"))
	if _, ok := SharedWith(j.f, "hv"); ok {
		t.Fatal("a child shared with nobody is seen")
	}
	consent := &Sharing{TeamID: "hv", Basis: BasisConsent, ConsentBy: "parent", Scope: ScopeInvolvement, Start: d("2026-01-05")}
	must(t, j.f.Save(consent))
	if _, ok := SharedWith(j.f, "school"); ok {
		t.Fatal("a child shared with the health visitors is seen by the school")
	}
	v, ok := SharedWith(j.f, "hv")
	if !ok || v.Involvement != "Child protection" || v.Since != d("2025-05-20") || v.WorkerID != "sw1" || v.TeamID != "cin1" {
		t.Fatalf("shared view %+v, %v", v, ok)
	}
	if v.Plan != "" {
		t.Errorf("the involvement scope shows the plan: %q", v.Plan)
	}
	if v.Name.Given != "Amy" || v.BirthDate != d("2015-06-01") {
		t.Errorf("shared view names %+v born %s", v.Name, v.BirthDate)
	}
	must(t, j.f.Save(&Sharing{TeamID: "hv", Basis: BasisSafeguarding, Justification: "the plan needs the health visitor",
		Scope: ScopePlan, Start: d("2026-02-01")}))
	if v, _ = SharedWith(j.f, "hv"); v.Plan != "Child protection plan" || v.PlanStart != d("2025-05-20") {
		t.Errorf("the plan scope shows plan %q from %s", v.Plan, v.PlanStart)
	}
	for _, s := range All[*Sharing](j.f) {
		ended := Clone(s)
		ended.End, ended.Reason = d("2026-03-01"), "the mother withdrew consent"
		must(t, j.f.Save(ended))
	}
	if _, ok := SharedWith(j.f, "hv"); ok {
		t.Error("sharing ended, yet the child is still seen")
	}
}
