package kpi

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/timescale"
	"github.com/continuum-cs/continuum/internal/workday"
)

var now = time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC)

func d(s string) civil.Date { return civil.MustParse(s) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func person(id, born string) *casework.Person {
	return &casework.Person{Role: casework.RoleChild, LAChildID: id, Name: casework.Name{Given: "A", Family: "B"},
		BirthDate: d(born), Sex: "F", Ethnicity: "WBRI", Address: casework.Address{Postcode: "HP20 1AA"}}
}

// The children below are worked by hand for 2025-26 in a council of 10,000 children, so a rate per 10,000 is
// the count itself.
//
// A: referred 1 May 2025, seven months after a referral closed with no further action; assessed by 27 June (39
// working days: 19 in May after the 1st, with the two bank holidays, and 20 in June); an enquiry from a strategy
// discussion on 1 July to an initial conference on 22 July (15 working days); a plan from then to 20 January,
// when she came into care, placed in Newcastle, out of the area and 220 miles from home; missing 1-2 February,
// interviewed on the 4th.
func childA(t *testing.T) *casework.File {
	f := casework.NewFile(now, nil)
	must(t, f.Save(person("A", "2017-06-01")))
	must(t, f.Save(&casework.Episode{ReferralDate: d("2024-09-01"), Source: "2A", NFA: true, ClosureDate: d("2024-09-01"),
		ClosureReason: "RC8"}))
	ep := &casework.Episode{ReferralDate: d("2025-05-01"), Source: "6", PrimaryNeed: "N1"}
	must(t, f.Save(ep))
	must(t, f.Save(&casework.Assessment{EpisodeID: ep.ID, Start: d("2025-05-01"), Completed: d("2025-06-27"),
		Authorised: d("2025-06-27"), AuthorisedBy: "M", ChildSeen: true, Factors: []string{"3A"}, NeedsServices: true}))
	sd := &casework.StrategyDiscussion{EpisodeID: ep.ID, Date: d("2025-07-01")}
	must(t, f.Save(sd))
	s47 := &casework.Section47{EpisodeID: ep.ID, StrategyDiscussionID: sd.ID, Start: d("2025-07-01"), End: d("2025-07-10"),
		ConferenceRequired: true}
	must(t, f.Save(s47))
	icpc := &casework.Conference{EpisodeID: ep.ID, Type: casework.ConferenceInitial, Date: d("2025-07-22"), Section47ID: s47.ID,
		PlanRequired: true, Category: "NEG"}
	must(t, f.Save(icpc))
	must(t, f.Save(&casework.CPPlan{EpisodeID: ep.ID, ConferenceID: icpc.ID, Start: d("2025-07-22"), InitialCategory: "NEG",
		LatestCategory: "NEG", End: d("2026-01-20")}))
	must(t, f.Save(&casework.LegalStatus{EpisodeID: ep.ID, Code: "C2", Start: d("2026-01-20")},
		&casework.Placement{EpisodeID: ep.ID, Type: "U6", Provider: "PR4", Postcode: "NE1 4XX", URN: "SC123456", Start: d("2026-01-20")}))
	must(t, f.Save(&casework.Missing{EpisodeID: ep.ID, Type: "M", Start: d("2026-02-01"), End: d("2026-02-02"),
		RHIOffered: true, RHIAccepted: true, RHIDate: d("2026-02-04")}))
	return f
}

// B: referred 9 April 2025 and assessed 30 September (far beyond 45 working days); in care from 10 April with
// three homes in the year, all in the area a mile from home.
func childB(t *testing.T) *casework.File {
	f := casework.NewFile(now, nil)
	must(t, f.Save(person("B", "2015-03-01")))
	ep := &casework.Episode{ReferralDate: d("2025-04-09"), Source: "3A", PrimaryNeed: "N1"}
	must(t, f.Save(ep))
	must(t, f.Save(&casework.Assessment{EpisodeID: ep.ID, Start: d("2025-04-09"), Completed: d("2025-09-30"),
		Authorised: d("2025-09-30"), AuthorisedBy: "M", ChildSeen: true, Factors: []string{"3A"}, NeedsServices: true}))
	must(t, f.Save(&casework.LegalStatus{EpisodeID: ep.ID, Code: "V2", Start: d("2025-04-10")},
		&casework.Placement{EpisodeID: ep.ID, Type: "U6", Provider: "PR1", Postcode: "HP21 2BB", URN: "SC825001", InArea: true,
			Start: d("2025-04-10"), End: d("2025-08-01"), ChangeReason: "CARPL"},
		&casework.Placement{EpisodeID: ep.ID, Type: "U4", Provider: "PR1", Postcode: "HP21 3BB", URN: "SC825001", InArea: true,
			Start: d("2025-08-01"), End: d("2025-12-01"), ChangeReason: "CARPL"},
		&casework.Placement{EpisodeID: ep.ID, Type: "U4", Provider: "PR1", Postcode: "HP21 4BB", URN: "SC825001", InArea: true,
			Start: d("2025-12-01")}))
	return f
}

// D: on a plan from March 2023 to 15 April 2025 (over two years), and on a second from an initial conference on
// 10 June 2025, open at 31 March; no enquiry is recorded before that conference, so it cannot count as in time.
func childD(t *testing.T) *casework.File {
	f := casework.NewFile(now, nil)
	must(t, f.Save(person("D", "2020-11-01")))
	ep := &casework.Episode{ReferralDate: d("2023-02-01"), Source: "6", PrimaryNeed: "N1"}
	must(t, f.Save(ep))
	for _, p := range []struct{ start, end string }{{"2023-03-01", "2025-04-15"}, {"2025-06-10", ""}} {
		icpc := &casework.Conference{EpisodeID: ep.ID, Type: casework.ConferenceInitial, Date: d(p.start), PlanRequired: true,
			Category: "EMO"}
		must(t, f.Save(icpc))
		plan := &casework.CPPlan{EpisodeID: ep.ID, ConferenceID: icpc.ID, Start: d(p.start), InitialCategory: "EMO", LatestCategory: "EMO"}
		if p.end != "" {
			plan.End = d(p.end)
		}
		must(t, f.Save(plan))
	}
	return f
}

// C: a care leaver of 20, last seen on 1 December 2025 in education and in suitable accommodation (an earlier
// contact in May found her not in education).
func childC(t *testing.T) *casework.File {
	f := casework.NewFile(now, nil)
	must(t, f.Save(person("C", "2005-08-01")))
	must(t, f.Save(&casework.CareLeaver{ContactDate: d("2025-05-01"), Category: "former_relevant", InTouch: "YES", Activity: "G5", Accommodation: "T1"},
		&casework.CareLeaver{ContactDate: d("2025-12-01"), Category: "former_relevant", InTouch: "YES", Activity: "F2", Accommodation: "T1"}))
	return f
}

// E: in care since June 2022 with the same foster carers, through a holiday placement in August 2023: looked
// after two and a half years or more at 31 March 2026, and with the same carers for two years or more.
func childE(t *testing.T) *casework.File {
	f := casework.NewFile(now, nil)
	must(t, f.Save(person("E", "2018-01-15")))
	ep := &casework.Episode{ReferralDate: d("2022-05-01"), Source: "6", PrimaryNeed: "N1"}
	must(t, f.Save(ep))
	must(t, f.Save(&casework.LegalStatus{EpisodeID: ep.ID, Code: "C1", Start: d("2022-06-01"), End: d("2022-12-01")},
		&casework.LegalStatus{EpisodeID: ep.ID, Code: "C2", Start: d("2022-12-01")},
		&casework.Placement{EpisodeID: ep.ID, Type: "U4", Provider: "PR1", CarerID: "F1", Postcode: "HP21 2BB", URN: "SC825001",
			InArea: true, Start: d("2022-06-01"), End: d("2023-08-01"), ChangeReason: "CREQB"},
		&casework.Placement{EpisodeID: ep.ID, Type: "T2", Provider: "PR1", CarerID: "F9", Postcode: "HP21 2BB", Start: d("2023-08-01"), End: d("2023-08-15"),
			ChangeReason: "CREQB"},
		&casework.Placement{EpisodeID: ep.ID, Type: "U4", Provider: "PR1", CarerID: "F1", Postcode: "HP21 2BB", URN: "SC825001",
			InArea: true, Start: d("2023-08-15")}))
	return f
}

// F: in care since January 2023, but with new carers since January 2025: in care long enough, with the same
// carers not long enough.
func childF(t *testing.T) *casework.File {
	f := casework.NewFile(now, nil)
	must(t, f.Save(person("F", "2016-02-01")))
	ep := &casework.Episode{ReferralDate: d("2022-12-01"), Source: "6", PrimaryNeed: "N1"}
	must(t, f.Save(ep))
	must(t, f.Save(&casework.LegalStatus{EpisodeID: ep.ID, Code: "C2", Start: d("2023-01-02")},
		&casework.Placement{EpisodeID: ep.ID, Type: "U4", Provider: "PR1", CarerID: "G1", Postcode: "HP21 2BB", URN: "SC825001",
			InArea: true, Start: d("2023-01-02"), End: d("2025-01-06"), ChangeReason: "CARPL"},
		&casework.Placement{EpisodeID: ep.ID, Type: "U4", Provider: "PR1", CarerID: "G2", Postcode: "HP21 3BB", URN: "SC825001",
			InArea: true, Start: d("2025-01-06")}))
	return f
}

// G has early help from May 2025 and is stepped up to social care in July; H's episode of need closes in
// September 2025 with a step down to early help, which H then has without stepping up.
func childGH(t *testing.T) (*casework.File, *casework.File) {
	g := casework.NewFile(now, nil)
	must(t, g.Save(person("G", "2014-09-01")))
	eh := &casework.EarlyHelp{Start: d("2025-05-01"), End: d("2025-07-01"), Outcome: "step_up",
		LeadProfessional: casework.Professional{Name: "L", Agency: "school"}}
	must(t, g.Save(eh))
	ep := &casework.Episode{ReferralDate: d("2025-07-01"), Source: "5D", PrimaryNeed: "N5"}
	must(t, g.Save(ep))
	must(t, g.Save(&casework.Transition{Direction: casework.StepUp, Date: d("2025-07-01"), FromID: eh.ID, ToID: ep.ID,
		Criteria: []string{"needs_not_met_by_early_help"}, DecisionMaker: "M", Rationale: "r"}))
	h := casework.NewFile(now, nil)
	must(t, h.Save(person("H", "2013-09-01")))
	hep := &casework.Episode{ReferralDate: d("2025-01-06"), Source: "2A", PrimaryNeed: "N5", ClosureDate: d("2025-09-01"),
		ClosureReason: "RC7"}
	must(t, h.Save(hep))
	heh := &casework.EarlyHelp{Start: d("2025-09-01"), LeadProfessional: casework.Professional{Name: "L", Agency: "school"}}
	must(t, h.Save(heh))
	must(t, h.Save(&casework.Transition{Direction: casework.StepDown, Date: d("2025-09-01"), FromID: hep.ID, ToID: heh.ID,
		Criteria: []string{"plan_outcomes_met"}, DecisionMaker: "M", Rationale: "r", ConsentDate: d("2025-08-28"),
		LeadProfessional: casework.Professional{Name: "L", Agency: "school"}}))
	return g, h
}

func TestIndicatorsWorkedByHand(t *testing.T) {
	// W1, a half-time agency social worker, holds A's and B's cases; W2 holds D's; W3 holds none, and their
	// manager holds none either: 3 cases over 1.5 FTE holding them, and 0.5 of 2.5 social worker FTE from agencies.
	staff := []Staff{{ID: "W1", Role: casework.RoleSocialWorker, FTE: 0.5, Agency: true},
		{ID: "W2", Role: casework.RoleSocialWorker, FTE: 1}, {ID: "W3", Role: casework.RoleSocialWorker, FTE: 1},
		{ID: "M1", Role: casework.RoleTeamManager, FTE: 1}}
	k := NewCounter(returns.YearOf(d("2025-04-01")), 10000, workday.EnglandAndWales(),
		Council{Staff: staff, Held: map[string]int{"W1": 2, "W2": 1, "M1": 0},
			// Visits: 6 of 8 on time (R9: 3 met, 1 late; R17: 3 met, 1 still open and overdue); reviews: 3 of 4 (R15's
			// one missed). Other rules' items do not count.
			Due: map[string]map[timescale.Status]int{
				"R9":  {timescale.Met: 3, timescale.Late: 1},
				"R17": {timescale.Met: 3, timescale.Open: 1},
				"R7":  {timescale.Met: 1}, "R15": {timescale.Met: 2, timescale.Missed: 1},
				"R2": {timescale.Late: 5},
			}})
	g, h := childGH(t)
	for _, f := range []*casework.File{childA(t), childB(t), childC(t), childD(t), childE(t), childF(t), g, h} {
		k.Observe(f)
	}
	// Referrals in the year: A, B and G (A's is a re-referral). Open in need at 31 March: A, B, D, E, F and G.
	// Looked after: A, B, E and F (B with three homes; A placed far away, out of the area). Under 16 and in care
	// two and a half years: E and F (E with the same carers two years). Early help in the year: G (stepped up) and
	// H; episodes of need closed in the year: H's (stepped down).
	want := map[string]float64{
		"referrals": 3, "rereferrals": 100.0 / 3, "nfa": 0, "assessments45": 50, "s47": 1, "icpcs": 2, "icpc15": 50,
		"cpp": 1, "cppSecond": 50, "cpp2y": 50, "cin": 6, "cla": 4, "placements3": 25, "stability": 50, "inArea": 75,
		"miles20": 25, "rhi72": 100, "leaversEET": 100, "leaversSuitable": 100, "stepUp": 50, "stepDown": 100,
		"caseload": 2, "agency": 20, "visits": 75, "reviews": 75,
	}

	seen := map[string]bool{}
	for _, v := range k.Values() {
		seen[v.Code] = true
		w, ok := want[v.Code]
		if !ok {
			t.Errorf("%s has no worked answer", v.Code)
			continue
		}
		if math.Abs(v.Value-w) > 1e-9 {
			t.Errorf("%s = %v (%v / %v), want %v", v.Code, v.Value, v.Numerator, v.Denominator, w)
		}
	}
	for code := range want {
		if !seen[code] {
			t.Errorf("%s is not in the dictionary", code)
		}
	}
}

var update = flag.Bool("update", false, "rewrite docs/KPIS.md from the dictionary")

// TestDocs keeps docs/KPIS.md the dictionary's own words.
func TestDocs(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "KPIS.md")
	if *update {
		must(t, os.WriteFile(path, []byte(Markdown()), 0o644))
	}
	got, err := os.ReadFile(path)
	must(t, err)
	if string(got) != Markdown() {
		t.Error("docs/KPIS.md differs from the dictionary: run go test ./internal/kpi -run TestDocs -update")
	}
	for _, ind := range Dictionary {
		if ind.Name == "" || ind.Population == "" || ind.Numerator == "" || (ind.Unit == Percent && ind.Denominator == "") {
			t.Errorf("%s is not fully defined", ind.Code)
		}
	}
}

func TestTargetAgainst(t *testing.T) {
	higher := Value{Indicator: Indicator{Better: Higher}}
	lower := Value{Indicator: Indicator{Better: Lower}}
	context := Value{Indicator: Indicator{Better: Neither}, Value: 50}
	target := Target{Value: 80, Tolerance: 5}
	for _, c := range []struct {
		v    Value
		at   float64
		want RAG
	}{
		{higher, 80, Green}, {higher, 91, Green}, {higher, 75, Amber}, {higher, 74.9, Red},
		// For an indicator where lower is better, the same target reads the other way.
		{lower, 80, Green}, {lower, 60, Green}, {lower, 85, Amber}, {lower, 85.1, Red},
		{higher, math.NaN(), ""}, {context, 50, ""},
	} {
		c.v.Value = c.at
		if got := target.Against(c.v); got != c.want {
			t.Errorf("%s %v against 80 ± 5: %q, want %q", c.v.Better, c.at, got, c.want)
		}
	}
	for in, ok := range map[string]bool{"85/5": true, "85": false, "x/5": false, "85/": false} {
		if _, err := parseTarget(in); (err == nil) != ok {
			t.Errorf("parseTarget(%q): %v", in, err)
		}
	}
}

// TestWorkforceAtEachYearEnd: the workforce indicators count the social workers there at each year's end. W1, a
// full-time agency worker, left in June 2025; W2, employed, was there throughout; W3, a half-time agency worker,
// started in September 2025.
func TestWorkforceAtEachYearEnd(t *testing.T) {
	staff := []Staff{
		{ID: "W1", Role: casework.RoleSocialWorker, FTE: 1, Agency: true, Started: d("2020-01-06"), Left: d("2025-06-30")},
		{ID: "W2", Role: casework.RoleSocialWorker, FTE: 1, Started: d("2019-05-01")},
		{ID: "W3", Role: casework.RoleSocialWorker, FTE: 0.5, Agency: true, Started: d("2025-09-01")},
	}
	value := func(k *Counter, code string) float64 {
		for _, v := range k.Values() {
			if v.Code == code {
				return v.Value
			}
		}
		t.Fatalf("no %s", code)
		return 0
	}
	cal := workday.EnglandAndWales()
	// 31 March 2025: W1 and W2, one of two FTE from an agency; 8 cases over 2 FTE.
	before := NewCounter(returns.YearOf(d("2024-04-01")), 10000, cal, Council{Staff: staff, Held: map[string]int{"W1": 3, "W2": 5}})
	// 31 March 2026: W2 and W3, a third of 1.5 FTE from an agency; W1's cases not yet moved are not
	// counted against anyone there: 8 over 1.5 FTE.
	after := NewCounter(returns.YearOf(d("2025-04-01")), 10000, cal, Council{Staff: staff, Held: map[string]int{"W1": 4, "W2": 6, "W3": 2}})
	for _, c := range []struct {
		k    *Counter
		code string
		want float64
	}{{before, "agency", 50}, {before, "caseload", 4}, {after, "agency", 100.0 / 3}, {after, "caseload", 8 / 1.5}} {
		if got := value(c.k, c.code); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s for %s: %v, want %v", c.code, c.k.y, got, c.want)
		}
	}
}
