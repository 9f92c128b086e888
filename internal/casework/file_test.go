package casework

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
)

var testNow = time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC)

func d(s string) civil.Date { return civil.MustParse(s) }

func testChild() *Person {
	return &Person{
		Role: RoleChild, LAChildID: "BUCK0001", NHSNumber: "943 476 5919", UPN: "N873401225001",
		Name: Name{Given: "Amy", Family: "Example"}, BirthDate: d("2015-06-01"), Sex: "F",
		Ethnicity: "WBRI", Disabilities: []string{"NONE"}, Address: Address{Postcode: "hp201ua"},
	}
}

// journey builds a file through referral, assessment, strategy discussion, section 47, conference and plan.
type journey struct {
	f    *File
	ep   *Episode
	sd   *StrategyDiscussion
	s47  *Section47
	icpc *Conference
	plan *CPPlan
}

func newJourney(t *testing.T) *journey {
	t.Helper()
	j := &journey{f: NewFile(testNow, nil)}
	must(t, j.f.Save(testChild()))
	j.ep = &Episode{ReferralDate: d("2025-05-01"), Source: "6", PrimaryNeed: "N1"}
	must(t, j.f.Save(j.ep))
	j.sd = &StrategyDiscussion{EpisodeID: j.ep.ID, Date: d("2025-05-02")}
	must(t, j.f.Save(j.sd))
	j.s47 = &Section47{EpisodeID: j.ep.ID, StrategyDiscussionID: j.sd.ID, Start: d("2025-05-02"), End: d("2025-05-12"), ConferenceRequired: true}
	must(t, j.f.Save(j.s47))
	j.icpc = &Conference{EpisodeID: j.ep.ID, Type: ConferenceInitial, Date: d("2025-05-20"), Section47ID: j.s47.ID, PlanRequired: true, Category: "NEG"}
	j.plan = &CPPlan{EpisodeID: j.ep.ID, Start: d("2025-05-20"), InitialCategory: "NEG", LatestCategory: "NEG"}
	must(t, j.f.Save(j.icpc))
	j.plan.ConferenceID = j.icpc.ID
	must(t, j.f.Save(j.plan))
	return j
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantInvalid checks that err is a validation error naming field with a message containing msg.
func wantInvalid(t *testing.T, err error, field, msg string) {
	t.Helper()
	var v *ValidationError
	if !errors.As(err, &v) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("got %v, want a validation error on %s", err, field)
	}
	for _, fe := range v.Fields {
		if fe.Field == field && strings.Contains(fe.Message, msg) {
			return
		}
	}
	t.Fatalf("got %v, want %s: …%s…", err, field, msg)
}

func TestPersonValidation(t *testing.T) {
	tests := []struct {
		name       string
		edit       func(p *Person)
		field, msg string
	}{
		{"bad NHS number", func(p *Person) { p.NHSNumber = "9434765918" }, "nhs_number", "check digit does not match"},
		{"bad UPN", func(p *Person) { p.UPN = "A873401225001" }, "upn", "check letter"},
		{"UPN and unknown code", func(p *Person) { p.UPNUnknown = "UN1" }, "upn_unknown", "must be empty"},
		{"long child ID", func(p *Person) { p.LAChildID = strings.Repeat("A", 21) }, "la_child_id", "at most 20"},
		{"no birth date", func(p *Person) { p.BirthDate = civil.Date{} }, "birth_date", "is required"},
		{"born in future", func(p *Person) { p.BirthDate = d("2026-04-01") }, "birth_date", "future"},
		{"unborn not U", func(p *Person) {
			p.BirthDate, p.ExpectedBirthDate, p.UPN, p.UPNUnknown = civil.Date{}, d("2026-06-01"), "", "UN1"
		}, "sex", "must be U"},
		{"bad sex", func(p *Person) { p.Sex = "X" }, "sex", "not one of"},
		{"bad ethnicity", func(p *Person) { p.Ethnicity = "ZZZZ" }, "ethnicity", "not a valid code"},
		{"NONE with others", func(p *Person) { p.Disabilities = []string{"NONE", "AUT"} }, "disabilities", "NONE cannot"},
		{"repeated disability", func(p *Person) { p.Disabilities = []string{"AUT", "AUT"} }, "disabilities[1]", "twice"},
		{"bad postcode", func(p *Person) { p.Address.Postcode = "NOT A CODE" }, "address.postcode", "UK postcode"},
		{"no family name", func(p *Person) { p.Name.Family = " " }, "name.family", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testChild()
			tt.edit(p)
			f := NewFile(testNow, nil)
			wantInvalid(t, f.Save(p), tt.field, tt.msg)
			if f.Person() != nil || len(f.Pending()) != 0 {
				t.Fatal("a rejected save left the person on the file")
			}
		})
	}
	t.Run("normalised", func(t *testing.T) {
		f := NewFile(testNow, nil)
		must(t, f.Save(testChild()))
		if p := f.Person(); p.NHSNumber != "9434765919" || p.Address.Postcode != "HP20 1UA" {
			t.Fatalf("not normalised: %q %q", p.NHSNumber, p.Address.Postcode)
		}
	})
}

func TestEpisodesNeverOverlap(t *testing.T) {
	j := newJourney(t)
	wantInvalid(t, j.f.Save(&Episode{ReferralDate: d("2025-09-01"), Source: "2A", PrimaryNeed: "N5"}),
		"referral_date", "already has an open episode")

	must(t, j.f.CloseEpisode(j.ep.ID, 1, d("2025-12-01"), "RC7"))
	wantInvalid(t, j.f.Save(&Episode{ReferralDate: d("2025-12-01"), Source: "2A", PrimaryNeed: "N5"}),
		"referral_date", "overlaps the episode of need")
	wantInvalid(t, j.f.Save(&Episode{ReferralDate: d("2025-04-01"), Source: "2A", PrimaryNeed: "N5"}),
		"referral_date", "open episode")
	must(t, j.f.Save(&Episode{ReferralDate: d("2025-12-02"), Source: "2A", PrimaryNeed: "N5"}))
}

func TestClosedEpisodeNeedsReopening(t *testing.T) {
	j := newJourney(t)
	must(t, j.f.CloseEpisode(j.ep.ID, 1, d("2025-12-01"), "RC7"))
	if j.plan.End.IsZero() {
		// The file's copy of the plan is replaced, not the caller's; check the file.
		if pl := All[*CPPlan](j.f)[0]; pl.End != d("2025-12-01") {
			t.Fatalf("closing the episode did not end the plan: %v", pl.End)
		}
	}
	// A file loaded after the closure refuses new records on the episode.
	g := NewFile(testNow, j.f.Records())
	wantInvalid(t, g.Save(&Visit{EpisodeID: j.ep.ID, Date: d("2025-11-30"), Type: "cp", ChildSeen: true}),
		"episode_id", "record a reopening")
	must(t, g.Reopen(j.ep.ID, 2, d("2026-01-05"), "new concerns from school"))
	must(t, g.Save(&Visit{EpisodeID: j.ep.ID, Date: d("2026-01-06"), Type: "cin", ChildSeen: true}))
	if len(All[*Reopening](g)) != 1 {
		t.Fatal("reopening not recorded")
	}
}

func TestProtectionChain(t *testing.T) {
	j := newJourney(t)
	tests := []struct {
		name       string
		rec        func() Record
		field, msg string
	}{
		{"plan not at conference date", func() Record {
			return &CPPlan{EpisodeID: j.ep.ID, ConferenceID: j.icpc.ID, Start: d("2025-05-21"), InitialCategory: "NEG", LatestCategory: "NEG"}
		}, "start", "must be the date of the conference"},
		{"plan without conference", func() Record {
			return &CPPlan{EpisodeID: j.ep.ID, ConferenceID: "nope", Start: d("2025-05-20"), InitialCategory: "NEG", LatestCategory: "NEG"}
		}, "conference_id", "no such conference"},
		{"s47 before strategy", func() Record {
			return &Section47{EpisodeID: j.ep.ID, StrategyDiscussionID: j.sd.ID, Start: d("2025-05-01")}
		}, "start", "before the strategy discussion"},
		{"review with no plan in force", func() Record {
			return &Conference{EpisodeID: j.ep.ID, Type: ConferenceReview, Date: d("2025-05-10")}
		}, "date", "needs a child protection plan in force"},
		{"second overlapping plan", func() Record {
			c := &Conference{EpisodeID: j.ep.ID, Type: ConferenceInitial, Date: d("2025-06-20"), PlanRequired: true, Category: "EMO"}
			must(t, j.f.Save(c))
			return &CPPlan{EpisodeID: j.ep.ID, ConferenceID: c.ID, Start: d("2025-06-20"), InitialCategory: "EMO", LatestCategory: "EMO"}
		}, "start", "overlaps the child protection plan"},
		{"assessment before referral", func() Record {
			return &Assessment{EpisodeID: j.ep.ID, Start: d("2025-04-30")}
		}, "start", "before the referral"},
		{"authorised without factors", func() Record {
			return &Assessment{EpisodeID: j.ep.ID, Start: d("2025-05-01"), Completed: d("2025-06-01"), Authorised: d("2025-06-02"), AuthorisedBy: "tm1"}
		}, "factors", "at least one factor"},
		{"visit in future", func() Record {
			return &Visit{EpisodeID: j.ep.ID, Date: d("2026-03-21"), Type: "cp"}
		}, "date", "future"},
		{"seen alone but not seen", func() Record {
			return &Visit{EpisodeID: j.ep.ID, Date: d("2025-06-01"), Type: "cp", SeenAlone: true}
		}, "seen_alone", "not seen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := tt.rec()
			before := len(j.f.Records())
			wantInvalid(t, j.f.Save(rec), tt.field, tt.msg)
			if got := len(j.f.Records()); got != before {
				t.Fatalf("rejected save changed the file: %d records, had %d", got, before)
			}
		})
	}
	must(t, j.f.Save(&Conference{EpisodeID: j.ep.ID, Type: ConferenceReview, Date: d("2025-08-20"), Chair: "IRO"}))
}

func TestLookedAfterChains(t *testing.T) {
	j := newJourney(t)
	ls := &LegalStatus{EpisodeID: j.ep.ID, Code: "L2", Start: d("2025-06-01")}
	pl := &Placement{Type: "U6", Provider: "PR1", Postcode: "HP19 8FF", InArea: true, CarerID: "FC1"}

	// A legal status alone leaves the child with nowhere to live.
	wantInvalid(t, j.f.Save(ls), "placement", "needs a placement starting that day")
	ls.ID = ""
	must(t, j.f.BecomeLookedAfter(ls, pl))

	// A placement change on another day than the old one ended breaks the chain.
	gap := &Placement{EpisodeID: j.ep.ID, Type: "U4", Provider: "PR4", Start: d("2025-07-02"), CarerID: "FC2"}
	old := Clone(pl)
	old.End, old.ChangeReason, old.Reason = d("2025-07-01"), "CARPL", "moved"
	wantInvalid(t, j.f.Save(old, gap), "start", "must start the day the one before it ended")

	must(t, j.f.ChangePlacement(pl.ID, 1, "CARPL", &Placement{Type: "U4", Provider: "PR4", Start: d("2025-07-01"), CarerID: "FC2"}))
	must(t, j.f.ChangeLegalStatus(ls.ID, 1, &LegalStatus{Code: "C1", Start: d("2025-06-08")}))
	wantInvalid(t, j.f.Save(&Placement{EpisodeID: j.ep.ID, Type: "K2", Provider: "PR4", Start: d("2025-08-01")}),
		"start", "overlaps the placement")
	must(t, j.f.Save(&CLAReview{EpisodeID: j.ep.ID, Date: d("2025-06-25"), Participation: "PN1"}))
	wantInvalid(t, j.f.Save(&CLAReview{EpisodeID: j.ep.ID, Date: d("2025-05-25"), Participation: "PN1"}),
		"date", "not while the child was looked after")

	// Ceasing care needs a reason and ends placement and status together.
	must(t, j.f.CeaseCare(d("2026-01-10"), "E4A"))
	for _, s := range All[*LegalStatus](j.f) {
		if s.Code == "C1" && (s.End != d("2026-01-10") || s.CeasedReason != "E4A") {
			t.Fatalf("legal status not ended: %+v", s)
		}
	}
	if len(periodsOfCare(All[*LegalStatus](j.f))) != 1 {
		t.Fatal("L2 then C1 the same day should be one period of care")
	}
}

func TestStaleChangeConflicts(t *testing.T) {
	j := newJourney(t)
	p := Clone(j.f.Person())
	p.Reason = "name spelt wrongly"
	p.Name.Given = "Amie"
	must(t, j.f.Save(p))
	if v := j.f.Person().Version; v != 2 {
		t.Fatalf("saved change left version %d, want 2", v)
	}
	// A second change based on the version before that must conflict.
	stale := Clone(j.f.Person())
	stale.Version, stale.Reason = 1, "another edit"
	if err := j.f.Save(stale); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale change: got %v, want conflict", err)
	}
	noReason := Clone(j.f.Person())
	noReason.Reason = ""
	wantInvalid(t, j.f.Save(noReason), "reason", "say why")
}

func TestAllocationHistory(t *testing.T) {
	j := newJourney(t)
	must(t, j.f.Allocate(j.ep.ID, "sw1", "team1", d("2025-05-01"), "FCONTA"))
	must(t, j.f.Allocate(j.ep.ID, "sw2", "team1", d("2025-09-01"), "LEFTRL"))
	all := All[*Allocation](j.f)
	if len(all) != 2 || all[0].End != d("2025-09-01") || !all[1].End.IsZero() {
		t.Fatalf("reallocation did not keep history: %+v", all)
	}
	wantInvalid(t, j.f.Save(&Allocation{CaseID: j.ep.ID, TeamID: "t", Start: d("2025-10-01")}), "start", "overlaps the allocation")
	wantInvalid(t, j.f.Save(&Allocation{CaseID: "nope", TeamID: "t", Start: d("2025-10-01")}), "case_id", "no such episode")
}

func TestFrontDoor(t *testing.T) {
	f := NewFile(testNow, nil)
	must(t, f.Save(testChild()))
	c := &Contact{ReceivedAt: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC), Source: "2A", Reason: "bruising seen at school"}
	must(t, f.Save(c))
	wantInvalid(t, f.Save(&ThresholdDecision{ContactID: c.ID, Level: 4, Service: ServiceEarlyHelp, DecisionMaker: "tm", Rationale: "r", DecidedAt: c.ReceivedAt}),
		"service", "level 4 needs are owned by social care")
	wantInvalid(t, f.Save(&ThresholdDecision{ContactID: c.ID, Level: 4, Service: ServiceSocialCare, DecisionMaker: "tm", Rationale: "r", DecidedAt: c.ReceivedAt.Add(-time.Hour)}),
		"decided_at", "cannot come before")
	must(t, f.Save(&ThresholdDecision{ContactID: c.ID, Level: 3, Service: ServiceEarlyHelp, DecisionMaker: "tm", Rationale: "r", DecidedAt: c.ReceivedAt.Add(time.Hour)}))
	eh := &EarlyHelp{Start: d("2025-05-05"), ConsentDate: d("2025-05-05"), LeadProfessional: Professional{Name: "Sam", Agency: "School"}}
	must(t, f.Save(eh))
	wantInvalid(t, f.Save(&EarlyHelp{Start: d("2025-06-05")}), "start", "overlaps the early help episode")
	end := Clone(eh)
	end.End, end.Reason = d("2025-09-01"), "closed"
	wantInvalid(t, f.Save(end), "outcome", "required when the episode ends")
}
