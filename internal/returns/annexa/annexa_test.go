package annexa

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth/synthtest"
	"github.com/xuri/excelize/v2"
)

var now = time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC)

func d(s string) civil.Date { return civil.MustParse(s) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestTemplateCopyMatchesSpec(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "spec", "annex_a", "annex_a_columns_2024.csv"))
	if err != nil {
		t.Skipf("shared spec not beside the repository: %v", err)
	}
	got, err := os.ReadFile("template/annex_a_columns_2024.csv")
	must(t, err)
	if !bytes.Equal(got, want) {
		t.Error("template/annex_a_columns_2024.csv differs from the spec's")
	}
}

func TestTemplate(t *testing.T) {
	if len(Lists) != 11 {
		t.Fatalf("%d lists, want 11", len(Lists))
	}
	for _, l := range Lists {
		if l.Columns[0] != "Child Unique ID" && l.Name != "List 11" {
			t.Errorf("%s starts with %q", l.Name, l.Columns[0])
		}
		if slices.Contains(l.Columns, "Gender") {
			t.Errorf("%s still has Gender, which the 2026 template calls Sex", l.Name)
		}
	}
	for set, codes := range map[string][]string{"sex": {"M", "F", "U"}, "source": {"1A", "6", "10"}, "place": {"U6", "K2"}} {
		for _, code := range codes {
			if label := option(set, code); !strings.Contains(label, ") ") {
				t.Errorf("%s %s has no lettered label: %q", set, code, label)
			}
		}
	}
	// A code newer than the template is written with its description rather than dropped.
	if got := option("place", "K3"); !strings.HasPrefix(got, "K3: Supported accommodation") {
		t.Errorf("K3 written as %q", got)
	}
}

// TestChildInEveryList follows one child, worked by hand, from a police contact to care, and checks what each
// list says of them on 31 March 2026.
func TestChildInEveryList(t *testing.T) {
	f := casework.NewFile(now, nil)
	must(t, f.Save(&casework.Person{Role: casework.RoleChild, LAChildID: "C1", Name: casework.Name{Given: "A", Family: "B"},
		BirthDate: d("2014-05-02"), Sex: "F", Ethnicity: "WBRI", Disabilities: []string{"NONE"}, UPNUnknown: "UN5",
		Address: casework.Address{Postcode: "HP20 1AA"}}))
	contact := &casework.Contact{ReceivedAt: time.Date(2025, 10, 6, 10, 0, 0, 0, time.UTC), Source: "6", Reason: "police report"}
	must(t, f.Save(contact))
	earlier := &casework.Episode{ReferralDate: d("2025-02-01"), Source: "2A", PrimaryNeed: "N5", NFA: true,
		ClosureDate: d("2025-02-01"), ClosureReason: "RC8"}
	ep := &casework.Episode{ContactID: contact.ID, ReferralDate: d("2025-10-07"), Source: "6", PrimaryNeed: "N1"}
	must(t, f.Save(earlier, ep))
	must(t, f.Save(&casework.Assessment{EpisodeID: ep.ID, Start: d("2025-10-07"), Completed: d("2025-11-20"),
		Authorised: d("2025-11-21"), AuthorisedBy: "M", ChildSeen: true, Factors: []string{"3A"}, NeedsServices: true}))
	sd := &casework.StrategyDiscussion{EpisodeID: ep.ID, Date: d("2025-10-08")}
	must(t, f.Save(sd))
	s47 := &casework.Section47{EpisodeID: ep.ID, StrategyDiscussionID: sd.ID, Start: d("2025-10-08"), End: d("2025-10-20"),
		ConferenceRequired: true}
	must(t, f.Save(s47))
	icpc := &casework.Conference{EpisodeID: ep.ID, Type: casework.ConferenceInitial, Date: d("2025-10-27"), Section47ID: s47.ID,
		PlanRequired: true, Category: "NEG"}
	must(t, f.Save(icpc))
	must(t, f.Save(&casework.CPPlan{EpisodeID: ep.ID, ConferenceID: icpc.ID, Start: d("2025-10-27"), InitialCategory: "NEG",
		LatestCategory: "NEG", End: d("2026-01-12"), PriorPlans: 1}))
	must(t, f.Save(&casework.Visit{EpisodeID: ep.ID, Date: d("2025-11-03"), Type: "cp", ChildSeen: true, SeenAlone: true}))
	must(t, f.Save(&casework.LegalStatus{EpisodeID: ep.ID, Code: "C2", Start: d("2026-01-12")},
		&casework.Placement{EpisodeID: ep.ID, Type: "U6", Provider: "PR4", Postcode: "MK9 3CC", URN: "SC123456",
			Start: d("2026-01-12")}))
	must(t, f.Save(&casework.Missing{EpisodeID: ep.ID, Type: "M", Start: d("2026-02-02"), End: d("2026-02-03"),
		RHIOffered: true}))

	lists := map[int][]Row{}
	rows(f, WindowTo(d("2026-03-31")), Staff{}, func(list int, r Row) { lists[list] = append(lists[list], r) })
	for list, want := range map[int]int{1: 1, 2: 0, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 0, 10: 0} {
		if len(lists[list]) != want {
			t.Errorf("List %d has %d rows, want %d", list, len(lists[list]), want)
		}
	}
	check := func(list int, col string, want any) {
		t.Helper()
		if len(lists[list]) == 0 {
			return
		}
		if got := lists[list][0][col]; got != want {
			t.Errorf("List %d %q = %#v, want %#v", list, col, got, want)
		}
	}
	check(1, "Sex", "b) Female")
	check(1, "Age", 11)
	check(1, "Contact Source", "q) 6: Police")
	check(1, "Date of Contact", d("2025-10-06"))
	// The referral in February, though outside the six months, counts among the last twelve months'.
	check(3, "Number of Referrals in Last 12 Months", 2)
	check(3, "Referral NFA?", "b) No")
	check(4, "Was the child assessed as requiring LA children's social care support?", "a) Yes")
	check(4, "Does the Child have a Disability", "b) No")
	check(5, "Strategy discussion initiating Section 47 Enquiry Start Date", d("2025-10-08"))
	check(5, "Was an Initial Child Protection Conference deemed unnecessary?", "b) No")
	check(5, "Did the Initial Child Protection Conference Result in a Child Protection Plan", "a) Yes")
	check(5, "Number of ICPCs in the last 12 months", 1)
	// On 31 March she is looked after, so that is her case status.
	check(6, "Case Status", "a) Looked after child")
	check(6, "Date Child Was Last Seen", d("2025-11-03"))
	check(7, "Initial Category of Abuse", "a) Neglect")
	check(7, "Was the Child Seen Alone?", "a) Yes")
	check(7, "Child Protection Plan End Date", d("2026-01-12"))
	check(7, "Number of Previous Child Protection Plans", 1)
	check(8, "Child's Legal Status", "C2: FCO")
	check(8, "Child's Category of Need", "N1 - Abuse or neglect")
	check(8, "Placement Type", "f) U6: Foster placement - not FFA")
	check(8, "Placement Provider", "e) PR4 - Private provision")
	check(8, "Placement Location", "b) Out")
	check(8, "LA of Placement", "Milton Keynes")
	check(8, "Number of Episodes the Child has been ‘Missing’ from their Placement in the last 12 months", 1)
	check(8, "Was the child offered a Return Interview after their last missing episode (Y/N)?", "a) Yes")
	check(8, "Did the child accept a Return Interview after their last missing episode (Y/N)?", "b) No")
}

// TestCouncilWorkbook writes the lists of a synthetic council and reads the workbook back: a sheet per list
// headed by the template's columns, as many rows as were made, dates stored as dates.
func TestCouncilWorkbook(t *testing.T) {
	ctx := context.Background()
	s := synthtest.Small(t, now, 3, 3)
	wb, err := Build(ctx, s, store.System, WindowTo(d("2026-03-31")))
	must(t, err)
	var buf bytes.Buffer
	must(t, wb.Write(&buf))
	x, err := excelize.OpenReader(&buf)
	must(t, err)
	defer x.Close()
	if got := x.GetSheetList(); len(got) != len(Lists) {
		t.Fatalf("sheets %v", got)
	}
	for i, l := range Lists {
		rows, err := x.GetRows(l.Sheet)
		must(t, err)
		if len(rows) == 0 || !slices.Equal(rows[0], l.Columns) {
			t.Errorf("%s heading %v", l.Name, rows)
			continue
		}
		if len(rows)-1 != len(wb.Rows[i]) {
			t.Errorf("%s has %d rows in the workbook, %d made", l.Name, len(rows)-1, len(wb.Rows[i]))
		}
		if i < 9 && len(wb.Rows[i]) == 0 && i != 1 {
			t.Errorf("%s is empty for a council of thousands", l.Name)
		}
	}
	// The first contact's date is a date cell shown as dd/mm/yyyy.
	first := wb.Rows[0][0]["Date of Contact"].(civil.Date)
	at, err := excelize.CoordinatesToCellName(slices.Index(Lists[0].Columns, "Date of Contact")+1, 2)
	must(t, err)
	shown, err := x.GetCellValue(Lists[0].Sheet, at)
	must(t, err)
	if want := first.In(time.UTC).Format("02/01/2006"); shown != want {
		t.Errorf("date shown as %q, want %q", shown, want)
	}
	if typ, _ := x.GetCellType(Lists[0].Sheet, at); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("the date is stored as text")
	}
}

// TestAdoptionList: a child placed for adoption in the year is on list 10 with their dates; one adopted years
// before is not.
func TestAdoptionList(t *testing.T) {
	build := func(id string, decided, ordered, adopted string) *casework.File {
		f := casework.NewFile(now, nil)
		must(t, f.Save(&casework.Person{Role: casework.RoleChild, LAChildID: id, Name: casework.Name{Given: "A", Family: "B"},
			BirthDate: d("2020-01-10"), Sex: "M", Ethnicity: "WBRI", Address: casework.Address{Postcode: "HP20 1AA"}}))
		ep := &casework.Episode{ReferralDate: d("2020-03-01"), Source: "3A", PrimaryNeed: "N1"}
		must(t, f.Save(ep))
		end := civil.Date{}
		if adopted != "" {
			end = d(adopted)
		}
		must(t, f.Save(
			&casework.LegalStatus{EpisodeID: ep.ID, Code: "C2", Start: d("2020-03-02"), End: d(ordered)},
			&casework.LegalStatus{EpisodeID: ep.ID, Code: "E1", Start: d(ordered), End: end, CeasedReason: map[bool]string{true: "E11"}[adopted != ""]},
			&casework.Placement{EpisodeID: ep.ID, Type: "U6", Provider: "PR1", Postcode: "HP21 2BB", URN: "SC825001", InArea: true,
				Start: d("2020-03-02"), End: d(ordered), ChangeReason: "APPRR"},
			&casework.Placement{EpisodeID: ep.ID, Type: "A6", Provider: "PR1", Postcode: "OX1 1AA", URN: "SC825002",
				Start: d(ordered), End: end}))
		must(t, f.Save(&casework.Adoption{EpisodeID: ep.ID, Decision: d(decided), Matched: d(ordered)}))
		return f
	}
	lists := map[int][]Row{}
	add := func(list int, r Row) { lists[list] = append(lists[list], r) }
	w := WindowTo(d("2026-03-31"))
	rows(build("NOW", "2025-06-02", "2025-09-01", ""), w, Staff{}, add)
	rows(build("BEFORE", "2021-01-04", "2021-03-01", "2022-02-01"), w, Staff{}, add)
	if len(lists[10]) != 1 || lists[10][0]["Child Unique ID"] != "NOW" {
		t.Fatalf("list 10: %v", lists[10])
	}
	r := lists[10][0]
	for col, want := range map[string]any{"Date the Child Entered Care": d("2020-03-02"),
		"Date of Decision that Child Should be Placed for Adoption": d("2025-06-02"), "Date of Placement Order": d("2025-09-01"),
		"Date Placed for Adoption": d("2025-09-01"), "Date of Adoption Order": civil.Date{}, "Age of Child (Years)": 6} {
		if r[col] != want {
			t.Errorf("%s = %v, want %v", col, r[col], want)
		}
	}
}
