package cin

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth/synthtest"
	"github.com/continuum-cs/continuum/internal/workday"
)

var (
	now  = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	year = returns.Year{Start: civil.MustParse("2025-04-01"), End: civil.MustParse("2026-03-31")}
)

func d(s string) civil.Date { return civil.MustParse(s) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func child(t *testing.T) *casework.File {
	f := casework.NewFile(now, nil)
	must(t, f.Save(&casework.Person{Role: casework.RoleChild, LAChildID: "CIN1", Name: casework.Name{Given: "Test", Family: "Child"},
		BirthDate: d("2015-06-01"), Sex: "F", Ethnicity: "WBRI"}))
	return f
}

// TestScope: an episode closed before the year is left out; one referred before it and open into it is in, with
// only the work under way in the year; what happens after 31 March is not known to the census.
func TestScope(t *testing.T) {
	f := child(t)
	old := &casework.Episode{ReferralDate: d("2024-05-01"), Source: "6", PrimaryNeed: "N1"}
	must(t, f.Save(old))
	must(t, f.Save(&casework.Assessment{EpisodeID: old.ID, Start: d("2024-05-02"), Completed: d("2024-06-20"), Factors: []string{"3A"}}))
	old.ClosureDate, old.ClosureReason, old.Reason = d("2024-09-30"), "RC8", "closed"
	must(t, f.Save(old))
	if _, ok := ChildOf(f, year, workday.EnglandAndWales()); ok {
		t.Fatal("a child whose only episode closed before the year is in scope")
	}

	ep := &casework.Episode{ReferralDate: d("2025-02-03"), Source: "2A", PrimaryNeed: "N1"}
	must(t, f.Save(ep))
	done := &casework.Assessment{EpisodeID: ep.ID, Start: d("2025-02-04"), Completed: d("2025-03-20"), Factors: []string{"3A"}}
	late := &casework.Assessment{EpisodeID: ep.ID, Start: d("2025-03-21"), Completed: d("2025-05-01"), Factors: []string{"4B", "1B"}}
	sd := &casework.StrategyDiscussion{EpisodeID: ep.ID, Date: d("2025-08-04")}
	must(t, f.Save(done, late, sd))
	s47 := &casework.Section47{EpisodeID: ep.ID, StrategyDiscussionID: sd.ID, Start: d("2025-08-04"), End: d("2025-08-15"), ConferenceRequired: true}
	must(t, f.Save(s47))
	icpc := &casework.Conference{EpisodeID: ep.ID, Type: casework.ConferenceInitial, Date: d("2025-08-22"), Section47ID: s47.ID, PlanRequired: true, Category: "NEG"}
	must(t, f.Save(icpc))
	plan := &casework.CPPlan{EpisodeID: ep.ID, ConferenceID: icpc.ID, Start: d("2025-08-22"), InitialCategory: "NEG", LatestCategory: "NEG"}
	must(t, f.Save(plan))
	must(t, f.Save(&casework.Conference{EpisodeID: ep.ID, Type: casework.ConferenceReview, Date: d("2025-11-21"), PlanRequired: true, Category: "EMO"},
		&casework.Conference{EpisodeID: ep.ID, Type: casework.ConferenceReview, Date: d("2026-05-21"), PlanRequired: true, Category: "EMO"}))
	plan.End, plan.LatestCategory, plan.Reason = d("2026-05-21"), "EMO", "plan ended at review"
	must(t, f.Save(plan))

	c, ok := ChildOf(f, year, workday.EnglandAndWales())
	if !ok || len(c.Episodes) != 1 {
		t.Fatalf("in scope: %v, episodes %+v", ok, c)
	}
	got := c.Episodes[0]
	if len(got.Assessments) != 1 || got.Assessments[0].Start != d("2025-03-21") ||
		*got.Assessments[0].Authorised != d("2025-05-01") || len(got.Assessments[0].Factors.Codes) != 2 {
		t.Errorf("assessments: want only the one completed in the year, with its factors: %+v", got.Assessments)
	}
	if len(got.Section47s) != 1 {
		t.Fatalf("section 47s: %+v", got.Section47s)
	}
	// 15 working days from Monday 4 August 2025, with the summer bank holiday on the 25th: Tuesday 26 August.
	if s := got.Section47s[0]; *s.Target != d("2025-08-26") || *s.InitialCPC != d("2025-08-22") || s.ICPCNotNeeded {
		t.Errorf("section 47: %+v", s)
	}
	if len(got.Plans) != 1 {
		t.Fatalf("plans: %+v", got.Plans)
	}
	// The plan ended in May 2026, after the year: at 31 March it was open, with one review.
	if p := got.Plans[0]; p.End != nil || p.Reviews == nil || len(p.Reviews.Dates) != 1 || p.PreviousPlans != 0 {
		t.Errorf("plan: %+v", p)
	}
	if got.ClosureDate != nil || got.InitialCPC != nil || got.NFA.yes() {
		t.Errorf("episode: %+v", got)
	}
}

// TestWriterRefusesBadInput: a census without an LA number, or without children, is not written.
func TestWriterRefusesBadInput(t *testing.T) {
	var buf bytes.Buffer
	if _, err := NewWriter(&buf, year, Source{LA: "E10000002"}); err == nil || !strings.Contains(err.Error(), "LA number") {
		t.Errorf("an ONS code as the LA number: %v", err)
	}
	w, err := NewWriter(&buf, year, Source{LA: "825", Produced: now})
	must(t, err)
	if err := w.Close(); err == nil {
		t.Error("a census with no children was closed without complaint")
	}
}

// TestCountyCensusValidates exports the census from a stored synthetic council and validates it against the
// schema with xmllint, as the DfE's loader would check its shape.
func TestCountyCensusValidates(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is needed under CI (apt-get install libxml2-utils)")
		}
		t.Skip("xmllint is not installed")
	}
	ctx := context.Background()
	dir := t.TempDir()
	s := synthtest.Small(t, now, 3, 3)
	out := filepath.Join(dir, "cin.xml")
	file, err := os.Create(out)
	must(t, err)
	n, err := Export(ctx, s, store.System, year, Source{LA: "825", Software: "Continuum", Release: "test", Produced: now}, file)
	must(t, err)
	must(t, file.Close())
	if n < 100 {
		t.Errorf("only %d children in the census of a council of 5,000", n)
	}
	if msg, err := exec.Command(xmllint, "--noout", "--schema", schemaFile, out).CombinedOutput(); err != nil {
		t.Fatalf("the census does not validate: %v\n%s", err, firstLines(string(msg), 20))
	}

	// Synthetic data breaks none of the DfE's rules that are errors.
	in, err := os.Open(out)
	must(t, err)
	defer in.Close()
	sum, err := Validate(in, workday.EnglandAndWales(), func(f Finding) {
		if f.Severity == Error {
			t.Errorf("synthetic census: %s", f)
		}
	})
	must(t, err)
	if sum.Children != n {
		t.Errorf("validated %d children of %d", sum.Children, n)
	}

	// Every child appears once, each with at least one episode.
	body, err := os.ReadFile(out)
	must(t, err)
	var msg struct {
		Children []Child `xml:"Children>Child"`
	}
	must(t, xml.Unmarshal(body, &msg))
	seen := map[string]bool{}
	for _, c := range msg.Children {
		if seen[c.Identifiers.LAChildID] {
			t.Errorf("child %s appears twice", c.Identifiers.LAChildID)
		}
		seen[c.Identifiers.LAChildID] = true
	}
	if len(msg.Children) != n {
		t.Errorf("wrote %d children, read back %d", n, len(msg.Children))
	}
}

// schemaFile is the 2025-26 schema, copied from shared/spec/cin so the tests run on a clone of this repository
// alone.
const schemaFile = "schema/CIN_schema_2026.xsd"

// TestSpecCopiesMatch: the schema and the rule catalogue copied here must be the spec's, byte for byte; when the
// spec is updated, copy them again.
func TestSpecCopiesMatch(t *testing.T) {
	for copied, spec := range map[string]string{
		schemaFile:                     "cin/CIN_schema_2026.xsd",
		"schema/cin_rules_2025_26.tsv": "rules/cin_rules_2025_26.tsv",
	} {
		want, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "spec", spec))
		if err != nil {
			t.Skipf("shared spec not beside the repository: %v", err)
		}
		got, err := os.ReadFile(copied)
		must(t, err)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from shared/spec/%s", copied, spec)
		}
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
