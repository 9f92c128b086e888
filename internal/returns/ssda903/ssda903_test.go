package ssda903

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth/synthtest"
)

var now = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func d(s string) civil.Date { return civil.MustParse(s) }

// TestTablesAreTheSpecs: each table's columns, in order, are those of the spec for 2025-26 (its DoLo table
// belongs to 2026-27).
func TestTablesAreTheSpecs(t *testing.T) {
	rows, err := csv.NewReader(bytes.NewReader(readFile(t, "schema/ssda903_columns_2025_26.csv"))).ReadAll()
	must(t, err)
	want := map[string][]string{}
	files := map[string]string{}
	for _, row := range rows[1:] {
		if row[0] != "DoLo" {
			want[row[0]] = append(want[row[0]], row[3])
			files[row[0]] = row[1]
		}
	}
	if len(Tables) != len(want) {
		t.Errorf("%d tables, want %d", len(Tables), len(want))
	}
	for _, tb := range Tables {
		if !slices.Equal(tb.Columns, want[tb.Name]) {
			t.Errorf("%s: columns %v, want %v", tb.Name, tb.Columns, want[tb.Name])
		}
		if tb.File != files[tb.Name] {
			t.Errorf("%s: file %s, want %s", tb.Name, tb.File, files[tb.Name])
		}
	}
}

// TestSpecCopiesMatch: the column list and rule catalogue copied here must be the spec's, byte for byte.
func TestSpecCopiesMatch(t *testing.T) {
	for copied, spec := range map[string]string{
		"schema/ssda903_columns_2025_26.csv": "ssda903/ssda903_columns_2025_26.csv",
		"schema/ssda903_rules_2025_26.csv":   "rules/ssda903_rules_2025_26.csv",
	} {
		want, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "spec", spec))
		if err != nil {
			t.Skipf("shared spec not beside the repository: %v", err)
		}
		if !bytes.Equal(readFile(t, copied), want) {
			t.Errorf("%s differs from shared/spec/%s", copied, spec)
		}
	}
}

// TestReadsTheSpecExample: the DfE-shaped example in the spec reads as eleven tables and breaks no rule.
func TestReadsTheSpecExample(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "..", "shared", "spec", "ssda903", "example_2025_26")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared spec not beside the repository: %v", err)
	}
	r, err := Read(dir)
	must(t, err)
	if len(r.Header) != 1 || len(r.Episodes) != 1 || len(r.Reviews) != 2 || len(r.SWEpisodes) != 1 {
		t.Errorf("read %d headers, %d episodes, %d reviews, %d SW episodes", len(r.Header), len(r.Episodes),
			len(r.Reviews), len(r.SWEpisodes))
	}
	if r.Episodes[0].PlacementPost != "CB2 1AA" || r.Episodes[0].Line != 2 {
		t.Errorf("episode read as %+v", r.Episodes[0])
	}
}

// TestEpisodesFromHistories: a period of care split at each change of legal status or placement, with the reason
// for each new episode, X1 chaining on the same day, the reason for a move on the episode that ends, and nothing
// after 31 March.
func TestEpisodesFromHistories(t *testing.T) {
	f := casework.NewFile(now, nil)
	p := &casework.Person{Role: casework.RoleChild, LAChildID: "C1", Name: casework.Name{Given: "A", Family: "B"},
		BirthDate: d("2012-03-14"), Sex: "F", Ethnicity: "WBRI", UPNUnknown: "UN5",
		Address: casework.Address{Postcode: "HP20 1AA"}}
	must(t, f.Save(p))
	ep := &casework.Episode{ReferralDate: d("2024-05-01"), Source: "1A", PrimaryNeed: "N2"}
	must(t, f.Save(ep))
	statuses := []*casework.LegalStatus{
		{EpisodeID: ep.ID, Code: "V2", Start: d("2024-06-10"), End: d("2025-07-01")},
		{EpisodeID: ep.ID, Code: "C1", Start: d("2025-07-01"), End: d("2025-10-01")},
		{EpisodeID: ep.ID, Code: "C2", Start: d("2025-10-01")},
	}
	placements := []*casework.Placement{
		{EpisodeID: ep.ID, Type: "U4", Provider: "PR1", CarerID: "F1", Postcode: "HP21 2BB", URN: "SC825001", InArea: true,
			Start: d("2024-06-10"), End: d("2025-10-01"), ChangeReason: "CARPL"},
		{EpisodeID: ep.ID, Type: "U1", Provider: "PR1", CarerID: "F1", Postcode: "HP21 2BB", URN: "SC825001", InArea: true,
			Start: d("2025-10-01"), End: d("2026-01-05"), ChangeReason: "ALLEG"},
		{EpisodeID: ep.ID, Type: "K2", Provider: "PR4", CarerID: "H7", Postcode: "MK9 3CC", URN: "SC123456",
			Start: d("2026-01-05"), End: d("2026-04-20"), ChangeReason: "STAND"},
		{EpisodeID: ep.ID, Type: "U6", Provider: "PR4", CarerID: "F9", Postcode: "MK9 4DD", URN: "SC222222",
			Start: d("2026-04-20")},
	}
	care := []casework.Record{}
	for _, ls := range statuses {
		care = append(care, ls)
	}
	for _, pl := range placements {
		care = append(care, pl)
	}
	must(t, f.Save(care...))
	r, ok := ChildOf(f, year, nil)
	if !ok {
		t.Fatal("a child in care all year is not in the return")
	}
	got := make([]string, len(r.Episodes))
	for i, e := range r.Episodes {
		got[i] = strings.Join([]string{e.DECOM, e.RNE, e.LS, e.CIN, e.Place, e.DEC, e.REC, e.ChangeReason}, " ")
	}
	want := []string{
		"10/06/2024 S V2 N2 U4 01/07/2025 X1 ",
		// The move on 1 October ends this episode, so it carries the move's reason.
		"01/07/2025 L C1 N2 U4 01/10/2025 X1 CARPL",
		// Status and placement change together, with the same carer: U.
		"01/10/2025 U C2 N2 U1 05/01/2026 X1 ALLEG",
		// The move on 20 April is after the year: the episode is still open at 31 March.
		"05/01/2026 P C2 N2 K2   ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("episodes\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r.Episodes[0].ChangeReason != "" {
		t.Error("an episode ended by a change of legal status alone has no reason for a placement change")
	}
	if len(r.Header) != 1 || r.Header[0].UPN != "UN5" || r.Header[0].Mother != "0" {
		t.Errorf("header %+v", r.Header)
	}
	if len(r.OC2) != 1 || r.OC2[0].HealthAssessment != "" {
		t.Errorf("a child in care all year has an outcomes row, blank when nothing is recorded: %+v", r.OC2)
	}
	// The row's first episode began before the year, so it continues last year's.
	if r.Episodes[0].DECOM != "10/06/2024" {
		t.Error("the first episode does not keep its real start")
	}
	if len(r.PrevPerm) != 0 {
		t.Error("a child who started to be looked after before the year has no previous permanence row")
	}
}

// TestOnePreviousPermanenceRow: a child who began two periods of care in the year has one previous permanence
// row, the latest period's (INT35).
func TestOnePreviousPermanenceRow(t *testing.T) {
	f := casework.NewFile(now, nil)
	must(t, f.Save(&casework.Person{Role: casework.RoleChild, LAChildID: "C1", Name: casework.Name{Given: "A", Family: "B"},
		BirthDate: d("2012-03-14"), Sex: "F", Ethnicity: "WBRI", UPNUnknown: "UN5", Address: casework.Address{Postcode: "HP20 1AA"}}))
	for i, span := range [][2]string{{"2025-05-01", "2025-06-01"}, {"2025-09-01", ""}} {
		ep := &casework.Episode{ReferralDate: d(span[0]), Source: "1A", PrimaryNeed: "N2"}
		ls := &casework.LegalStatus{Code: "V2", Start: d(span[0])}
		pl := &casework.Placement{Type: "U4", Provider: "PR1", CarerID: "F1", Postcode: "HP21 2BB", URN: "SC825001",
			Start: d(span[0])}
		if span[1] != "" {
			ep.ClosureDate, ep.ClosureReason = d(span[1]), "RC7"
			ls.End, ls.CeasedReason, pl.End = d(span[1]), "E4A", d(span[1])
		}
		must(t, f.Save(ep))
		ls.EpisodeID, pl.EpisodeID = ep.ID, ep.ID
		must(t, f.Save(ls, pl, &casework.PreviousPermanence{EpisodeID: ep.ID, Option: []string{"P4", "Z1"}[i]}))
	}
	r, ok := ChildOf(f, year, nil)
	if !ok || len(r.PrevPerm) != 1 || r.PrevPerm[0].PrevPerm != "Z1" {
		t.Errorf("previous permanence rows %+v, want the second period's alone", r.PrevPerm)
	}
}

// TestCareLeaverRowsAfterLeaving: a young person who came into care after their 17th birthday and left it in the
// year was no care leaver on that birthday, so has no care leaver's row for it; one who left before it has.
func TestCareLeaverRowsAfterLeaving(t *testing.T) {
	for _, c := range []struct {
		name, from, to string
		rows           int
	}{
		{"in care after the birthday", "2025-08-23", "2026-01-05", 0},
		{"left before the birthday", "2024-09-01", "2025-06-01", 1},
	} {
		f := casework.NewFile(now, nil)
		must(t, f.Save(&casework.Person{Role: casework.RoleChild, LAChildID: "C1", Name: casework.Name{Given: "A", Family: "B"},
			BirthDate: d("2008-07-31"), Sex: "M", Ethnicity: "WBRI", UPNUnknown: "UN5", Address: casework.Address{Postcode: "HP20 1AA"}}))
		ep := &casework.Episode{ReferralDate: d(c.from), Source: "1A", PrimaryNeed: "N1", ClosureDate: d(c.to), ClosureReason: "RC7"}
		must(t, f.Save(ep))
		must(t, f.Save(&casework.LegalStatus{EpisodeID: ep.ID, Code: "V2", Start: d(c.from), End: d(c.to), CeasedReason: "E4A"},
			&casework.Placement{EpisodeID: ep.ID, Type: "K2", Provider: "PR4", CarerID: "H1", Postcode: "HP21 2BB",
				URN: "SC123456", Start: d(c.from), End: d(c.to)}))
		r, _ := ChildOf(f, year, nil)
		if len(r.OC3) != c.rows {
			t.Errorf("%s: %d care leaver's rows, want %d", c.name, len(r.OC3), c.rows)
		}
	}
}

// TestCountyReturnValidates: the return of a synthetic council, written as eleven files and read back, has
// exactly the spec's headings and breaks none of the rules implemented.
func TestCountyReturnValidates(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := synthtest.Small(t, now, 4, 5)
	out := filepath.Join(dir, "903")
	must(t, os.Mkdir(out, 0o700))
	n, err := Export(ctx, s, store.System, year, out)
	must(t, err)
	if n < 20 {
		t.Errorf("only %d children in the return of a council of 5,000", n)
	}
	for _, tb := range Tables {
		body := readFile(t, filepath.Join(out, tb.File))
		head, _, _ := strings.Cut(string(body), "\n")
		if head != strings.Join(tb.Columns, ",") {
			t.Errorf("%s heading %q", tb.File, head)
		}
	}
	r, err := Read(out)
	must(t, err)
	// Last year's return, from the same records, is what this year's is checked against.
	lastDir := filepath.Join(dir, "903-last")
	must(t, os.Mkdir(lastDir, 0o700))
	_, err = Export(ctx, s, store.System, returns.YearOf(year.Start.AddDays(-1)), lastDir)
	must(t, err)
	last, err := Read(lastDir)
	must(t, err)
	sum := Validate(r, last, year, func(f Finding) { t.Errorf("synthetic return: %s", f) })
	// The data-quality check makes the same return in memory and checks it against last year's kept return.
	var bundle bytes.Buffer
	must(t, Bundle(lastDir, &bundle))
	_, err = s.Submit(ctx, store.System, "ssda903", "2024-25", &bundle)
	must(t, err)
	if kept, err := lastKept(ctx, s, store.System, returns.YearOf(year.Start.AddDays(-1))); err != nil || kept == nil ||
		len(kept.Header) != len(last.Header) {
		t.Fatalf("last year's kept return not found: %v", err)
	}
	issues, checked, err := Check(ctx, s, store.System, year)
	must(t, err)
	if len(issues) != 0 || checked.Children != n {
		t.Errorf("check: %d children, %v", checked.Children, issues)
	}
	if sum.Children != n {
		t.Errorf("validated %d children of %d", sum.Children, n)
	}
	for name, rows := range map[string]int{"Episodes": len(r.Episodes), "Reviews": len(r.Reviews),
		"SWEpisodes": len(r.SWEpisodes), "OC2": len(r.OC2)} {
		if rows == 0 {
			t.Errorf("no %s rows", name)
		}
	}
	// The same data gives the same files.
	again := filepath.Join(dir, "again")
	must(t, os.Mkdir(again, 0o700))
	_, err = Export(ctx, s, store.System, year, again)
	must(t, err)
	var a, b bytes.Buffer
	must(t, Bundle(out, &a))
	must(t, Bundle(again, &b))
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("exporting the same data twice gave different files")
	}
}

func TestReadRefusesWhatIsNotATable(t *testing.T) {
	for name, tc := range map[string]struct{ body, want string }{
		"empty":      {"", "empty"},
		"unknown":    {"CHILD,COLOUR\nC1,red\n", "not those of any SSDA903 table"},
		"misspelt":   {"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MCDOB\n", "not those of any"},
		"repeated":   {"CHILD,CHILD,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n", "not those of any"},
		"short row":  {"CHILD,SEX,DOB,DUC\nC1,M\n", "line 2"},
		"bad quotes": {"CHILD,SEX,DOB,DUC\nC1,\"M,01/01/2010,\n", "line 2"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadTable("x.csv", strings.NewReader(tc.body), &Return{})
			var re *ReadError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "x.csv") {
				t.Errorf("error %v, want a ReadError naming x.csv and %q", err, tc.want)
			}
		})
	}
	// Columns in another order, a byte-order mark and spaces are the same table.
	r := &Return{}
	tb, err := ReadTable("u.csv", strings.NewReader("\ufeffDOB,CHILD,SEX,DUC\n01/01/2009, C1 ,M,\n"), r)
	must(t, err)
	if tb.Name != "UASC" || r.UASC[0].Child != "C1" || r.UASC[0].DOB != "01/01/2009" || r.UASC[0].Line != 2 {
		t.Errorf("read %s %+v", tb.Name, r.UASC)
	}
	// Two files for one table are refused.
	dir := t.TempDir()
	for _, name := range []string{"a.csv", "b.csv"} {
		must(t, os.WriteFile(filepath.Join(dir, name), []byte("CHILD,SEX,DOB,DUC\n"), 0o600))
	}
	if _, err := Read(dir); err == nil || !strings.Contains(err.Error(), "second UASC") {
		t.Errorf("two UASC files: %v", err)
	}
}

// FuzzReadTable: no input makes the reader or the validator panic.
func FuzzReadTable(f *testing.F) {
	f.Add([]byte("CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nC1,F,14/03/2012,WBRI,UN1,0,\n"))
	f.Add([]byte("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n" +
		"C1,10/06/2025,S,V2,N1,U6,PR1,,,,CB1 1AA,CB2 1AA,SC123456\nC1,01/01/2025,P,V2,N1,T1,,x,X1,,,,\n"))
	f.Add([]byte("CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\nC1,1/1/2010,SW1,01/04/2025,,OTHERS\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := &Return{}
		if _, err := ReadTable("f.csv", bytes.NewReader(body), r); err != nil {
			return
		}
		Validate(r, nil, year, func(Finding) {})
	})
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	must(t, err)
	return b
}
