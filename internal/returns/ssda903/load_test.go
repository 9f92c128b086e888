package ssda903

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/returns/cin"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth/synthtest"
)

// emptyCouncil is a new council's store with its clock at at, with the accounts (and their teams) of the social
// workers of from who have a Social Work England number, as a migration would set up its staff first.
func emptyCouncil(t testing.TB, from *store.Store, at time.Time) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "to.db"), store.WithClock(func() time.Time { return at }))
	must(t, err)
	t.Cleanup(func() { s.Close() })
	must(t, s.Migrate(ctx))
	registrations, err := from.Registrations(ctx)
	must(t, err)
	all, err := from.Teams(ctx)
	must(t, err)
	byID := map[string]store.Team{}
	for _, team := range all {
		byID[team.ID] = team
	}
	teams := map[string]string{}
	for id, number := range registrations {
		u, err := from.UserByID(ctx, id)
		must(t, err)
		if _, ok := teams[u.TeamID]; !ok && u.TeamID != "" {
			team := byID[u.TeamID]
			added, err := s.AddTeam(ctx, store.System, store.Team{Name: team.Name, Service: team.Service})
			must(t, err)
			teams[u.TeamID] = added.ID
		}
		_, err = s.AddUser(ctx, store.System, store.User{Email: u.Email, Name: u.Name, Role: u.Role, TeamID: teams[u.TeamID],
			FTE: u.FTE, Registration: number})
		must(t, err)
	}
	return s
}

func exportDir(t testing.TB, s *store.Store, name string) (string, int) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	must(t, os.Mkdir(dir, 0o700))
	n, err := Export(context.Background(), s, store.System, year, dir)
	must(t, err)
	return dir, n
}

func exportDirOf(t testing.TB, s *store.Store, name string) string {
	dir, _ := exportDir(t, s, name)
	return dir
}

// sameFiles reports each of the eleven files that differs between two returns, at its first differing line.
func sameFiles(t *testing.T, first, again string) {
	t.Helper()
	for _, tb := range Tables {
		a, b := readFile(t, filepath.Join(first, tb.File)), readFile(t, filepath.Join(again, tb.File))
		if bytes.Equal(a, b) {
			continue
		}
		al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
		for i := range min(len(al), len(bl)) {
			if al[i] != bl[i] {
				t.Errorf("%s line %d differs after the round trip:\n%s\n%s", tb.File, i+1, al[i], bl[i])
				break
			}
		}
		if len(al) != len(bl) {
			t.Errorf("%s: %d lines, then %d", tb.File, len(al), len(bl))
		}
	}
}

// TestImportRoundTrip: a return exported, imported into an empty council and exported again is the same eleven
// files.
func TestImportRoundTrip(t *testing.T) {
	roundTrip(t, synthtest.Small(t, now, 4, 5), now)
}

func roundTrip(t *testing.T, from *store.Store, at time.Time) {
	ctx := context.Background()
	first, n := exportDir(t, from, "first")
	to := emptyCouncil(t, from, at)
	r, err := Read(first)
	must(t, err)
	imported, err := Import(ctx, to, store.System, r, year)
	must(t, err)
	if imported != n {
		t.Errorf("imported %d children of %d", imported, n)
	}
	sameFiles(t, first, exportDirOf(t, to, "again"))
	check, err := to.VerifyAudit(ctx)
	must(t, err)
	if check.BrokenAt != 0 {
		t.Errorf("audit after import: %+v", check)
	}
}

// TestImportOntoTheCensus: a council's CIN census and SSDA903 return read together make one file per child, the
// return's care under the census's episodes of need, and export as the same census and the same eleven files.
func TestImportOntoTheCensus(t *testing.T) {
	ctx := context.Background()
	from := synthtest.Small(t, now, 4, 5)
	source := cin.Source{LA: "825"}
	var census bytes.Buffer
	_, err := cin.Export(ctx, from, store.System, year, source, &census)
	must(t, err)
	first, n := exportDir(t, from, "first")
	to := emptyCouncil(t, from, now)
	files, err := cin.Files(ctx, to, bytes.NewReader(census.Bytes()))
	must(t, err)
	r, err := Read(first)
	must(t, err)
	added, err := Files(ctx, to, r, year, files)
	must(t, err)
	if both := len(files) + len(added) - n; both == 0 || len(added) == 0 {
		t.Fatalf("%d census children, %d more from the return of %d: the test needs children in both and in one", len(files), len(added), n)
	}
	must(t, to.LoadFiles(ctx, store.System, append(files, added...)))
	var again bytes.Buffer
	_, err = cin.Export(ctx, to, store.System, year, source, &again)
	must(t, err)
	if !bytes.Equal(census.Bytes(), again.Bytes()) {
		t.Error("the census differs once the return is added to its children")
	}
	sameFiles(t, first, exportDirOf(t, to, "again"))

	// A child whose date of birth differs between the two is refused, naming the field.
	r.Header[0].DOB = "01/01/1990"
	files, err = cin.Files(ctx, to, bytes.NewReader(census.Bytes()))
	must(t, err)
	if _, err := Files(ctx, to, r, year, files); err == nil || !strings.Contains(err.Error(), "DOB") {
		t.Errorf("a child born on another day in the census: %v", err)
	}
}

// TestImportIsAllOrNothing: a return with one bad row stores nothing and names the file, line and field.
func TestImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	from := synthtest.Small(t, now, 4, 5)
	first, _ := exportDir(t, from, "first")
	r, err := Read(first)
	must(t, err)
	cases := []struct {
		name  string
		spoil func(r *Return)
		want  string
	}{
		{"a bad date", func(r *Return) { r.Episodes[3].DECOM = "31/02/2025" }, `episodes.csv line 5: child "`},
		{"a social worker not here", func(r *Return) { r.SWEpisodes[0].SWID = "SW999999" }, `SW_ID: "SW999999" is no account`},
		{"a placement change that is not one", func(r *Return) {
			for i := range r.Episodes {
				if r.Episodes[i].RNE == "L" {
					r.Episodes[i].Place = "K2"
					return
				}
			}
		}, `PLACE: the placement differs`},
		{"a bad code", func(r *Return) { r.Episodes[0].LS = "Q9" }, `LS:`},
		{"a second previous permanence row", func(r *Return) {
			p := r.PrevPerm[0]
			p.Line = 99
			r.PrevPerm = append(r.PrevPerm, p)
		}, `previous_permanence.csv line 99: child "`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			to := emptyCouncil(t, from, now)
			bad, err := Read(first)
			must(t, err)
			c.spoil(bad)
			_, err = Import(ctx, to, store.System, bad, year)
			var re *ReadError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error naming %q", err, c.want)
			}
			counts, err := to.Counts(ctx)
			must(t, err)
			if len(counts) != 0 {
				t.Errorf("something was stored: %v", counts)
			}
		})
	}
	// Children already held are refused, and nothing more is stored.
	to := emptyCouncil(t, from, now)
	_, err = Import(ctx, to, store.System, r, year)
	must(t, err)
	before, err := to.Counts(ctx)
	must(t, err)
	if _, err := Import(ctx, to, store.System, r, year); err == nil {
		t.Error("the same children imported twice")
	}
	after, err := to.Counts(ctx)
	must(t, err)
	if len(before) != len(after) {
		t.Errorf("a refused import changed the counts: %v, then %v", before, after)
	}
}

// FuzzImportChild builds children from any episodes and social worker rows: a bad row is an error, never a panic.
func FuzzImportChild(f *testing.F) {
	f.Add("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n" +
		"1,01/05/2025,S,C2,N1,U1,PR1,,,,HP20 1AA,HP20 1AB,SC123456\n")
	f.Add("CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n" +
		"1,01/05/2024,P,C2,N1,U1,PR1,01/06/2025,X1,CARPL,,,\n1,01/06/2025,L,V2,N2,U1,PR1,02/06/2025,E4A,,,,\n")
	header := "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,01/01/2012,WBRI,UN1,,\n"
	f.Fuzz(func(t *testing.T, episodes string) {
		r := &Return{}
		if _, err := ReadTable("header.csv", strings.NewReader(header), r); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadTable("episodes.csv", strings.NewReader(episodes), r); err != nil {
			return
		}
		for _, k := range group(r, year, func(*Header) {}) {
			b := &builder{k: k, now: now, workers: map[string]worker{}}
			_ = b.build()
		}
	})
}

// BenchmarkImportCounty imports the county's return into an empty council with its social workers' accounts.
func BenchmarkImportCounty(b *testing.B) {
	from := synthtest.County(b, now)
	dir, n := exportDir(b, from, "county")
	r, err := Read(dir)
	must(b, err)
	for b.Loop() {
		b.StopTimer()
		to := emptyCouncil(b, from, time.Now()) // the county is made as at today
		b.StartTimer()
		if got, err := Import(context.Background(), to, store.System, r, year); err != nil || got != n {
			b.Fatalf("imported %d of %d: %v", got, n, err)
		}
	}
	b.ReportMetric(float64(n), "children")
}

// BenchmarkImportWithCensusCounty reads the county's CIN census and SSDA903 return together into an empty council,
// then checks that both export again unchanged.
func BenchmarkImportWithCensusCounty(b *testing.B) {
	ctx := context.Background()
	from := synthtest.County(b, now)
	source := cin.Source{LA: "825"}
	var census bytes.Buffer
	_, err := cin.Export(ctx, from, store.System, year, source, &census)
	must(b, err)
	dir, n := exportDir(b, from, "county")
	r, err := Read(dir)
	must(b, err)
	var to *store.Store
	for b.Loop() {
		b.StopTimer()
		to = emptyCouncil(b, from, time.Now()) // the county is made as at today
		b.StartTimer()
		files, err := cin.Files(ctx, to, bytes.NewReader(census.Bytes()))
		must(b, err)
		added, err := Files(ctx, to, r, year, files)
		must(b, err)
		must(b, to.LoadFiles(ctx, store.System, append(files, added...)))
		b.ReportMetric(float64(len(files)+len(added)), "children")
		b.ReportMetric(float64(n-len(added)), "in-both")
	}
	b.StopTimer()
	var again bytes.Buffer
	_, err = cin.Export(ctx, to, store.System, year, source, &again)
	must(b, err)
	if !bytes.Equal(census.Bytes(), again.Bytes()) {
		b.Error("the county's census differs after the import")
	}
	second, _ := exportDir(b, to, "again")
	for _, tb := range Tables {
		if !bytes.Equal(readFile(b, filepath.Join(dir, tb.File)), readFile(b, filepath.Join(second, tb.File))) {
			b.Errorf("%s differs after the import", tb.File)
		}
	}
}
