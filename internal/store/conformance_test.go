package store

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

var worker = Actor{UserID: "sw1", Role: casework.RoleSocialWorker}

func d(s string) civil.Date { return civil.MustParse(s) }

func child(id string) *casework.Person {
	return &casework.Person{
		Role: casework.RoleChild, LAChildID: id, Name: casework.Name{Given: "Amy", Family: "Example"},
		BirthDate: d("2015-06-01"), Sex: "F", Ethnicity: "WBRI", Disabilities: []string{"NONE"},
		UPNUnknown: "UN4", Address: casework.Address{Postcode: "HP20 1UA", District: "Aylesbury Vale"},
	}
}

func newChild(t *testing.T, s *Store, id string) string {
	t.Helper()
	fileID, err := s.CreateFile(t.Context(), worker, func(f *casework.File) error { return f.Save(child(id)) })
	if err != nil {
		t.Fatal(err)
	}
	return fileID
}

// openEpisode refers the child and returns the episode ID.
func openEpisode(t *testing.T, s *Store, fileID string, referred civil.Date) string {
	t.Helper()
	ep := &casework.Episode{ReferralDate: referred, Source: "6", PrimaryNeed: "N1"}
	must(t, s.UpdateFile(t.Context(), worker, fileID, func(f *casework.File) error { return f.Save(ep) }))
	return ep.ID
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func countRows(t *testing.T, s *Store, table string) int {
	t.Helper()
	return countWhere(t, s, table, "1 = 1")
}

func countWhere(t *testing.T, s *Store, table, where string) int {
	t.Helper()
	var n int
	must(t, s.db.QueryRow(`SELECT count(*) FROM `+table+` WHERE `+where).Scan(&n))
	return n
}

func TestMigrateIsIdempotent(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		must(t, s.Migrate(t.Context()))
		v, err := s.SchemaVersion(t.Context())
		must(t, err)
		if v != LatestSchema() {
			t.Fatalf("schema version %d, want %d", v, LatestSchema())
		}
	})
}

func TestRecordRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		id := newChild(t, s, "BUCK1")
		epID := openEpisode(t, s, id, d("2025-05-01"))
		a := &casework.Assessment{EpisodeID: epID, Start: d("2025-05-01"), Completed: d("2025-06-20"),
			Authorised: d("2025-06-23"), AuthorisedBy: "tm1", ChildSeen: true, Factors: []string{"3A", "21"}}
		must(t, s.UpdateFile(t.Context(), worker, id, func(f *casework.File) error { return f.Save(a) }))
		f, err := s.File(t.Context(), worker, id)
		must(t, err)
		got := casework.All[*casework.Assessment](f)
		if len(got) != 1 {
			t.Fatalf("%d assessments, want 1", len(got))
		}
		if diff := cmp.Diff(a, got[0], cmpopts.EquateApproxTime(time.Microsecond)); diff != "" {
			t.Errorf("assessment changed on the way through the store (-saved +read):\n%s", diff)
		}
		if p := f.Person(); p.LAChildID != "BUCK1" || p.Address.Postcode != "HP20 1UA" || p.Version != 1 {
			t.Errorf("person read back as %+v", p)
		}
		// Dates are stored so that range queries compare them as dates on both backends.
		var n int
		must(t, s.db.QueryRow(s.q(`SELECT count(*) FROM records WHERE kind = 'assessment' AND start_date >= ? AND end_date < ?`),
			d("2025-04-30"), d("2025-07-01")).Scan(&n))
		if n != 1 {
			t.Errorf("date range query found %d assessments, want 1", n)
		}
	})
}

func TestFailedChangeStoresNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		id := newChild(t, s, "BUCK1")
		epID := openEpisode(t, s, id, d("2025-05-01"))
		before := [3]int{countRows(t, s, "records"), countRows(t, s, "record_versions"), countRows(t, s, "audit_events")}

		// The domain rejects the second record, so the first must not be stored either.
		err := s.UpdateFile(t.Context(), worker, id, func(f *casework.File) error {
			return f.Save(&casework.Visit{EpisodeID: epID, Date: d("2025-05-02"), Type: "cin", ChildSeen: true},
				&casework.CINPlan{EpisodeID: epID, Start: d("2025-04-01")})
		})
		if !errors.Is(err, casework.ErrInvalid) || !strings.Contains(err.Error(), "before the referral") {
			t.Fatalf("got %v, want the plan rejected for starting before the referral", err)
		}
		// The store rejects a link to a person who does not exist, after the domain accepted the change.
		err = s.UpdateFile(t.Context(), worker, id, func(f *casework.File) error {
			return f.Save(&casework.Visit{EpisodeID: epID, Date: d("2025-05-02"), Type: "cin"},
				&casework.Relationship{OtherID: "nobody", Type: "mother"})
		})
		if !errors.Is(err, casework.ErrInvalid) || !strings.Contains(err.Error(), "other_id") {
			t.Fatalf("got %v, want other_id rejected", err)
		}
		after := [3]int{countRows(t, s, "records"), countRows(t, s, "record_versions"), countRows(t, s, "audit_events")}
		if before != after {
			t.Fatalf("rows (records, versions, audit) went from %v to %v after failed changes", before, after)
		}
	})
}

func TestStaleWriteConflicts(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		id := newChild(t, s, "BUCK1")
		rename := func(given string, base int) error {
			return s.UpdateFile(t.Context(), worker, id, func(f *casework.File) error {
				p := *f.Person()
				p.Name.Given, p.Version, p.Reason = given, base, "name corrected"
				return f.Save(&p)
			})
		}
		must(t, rename("Amie", 1))
		err := rename("Aimee", 1)
		if !errors.Is(err, casework.ErrConflict) {
			t.Fatalf("second change based on version 1: got %v, want conflict", err)
		}
		f, err := s.File(t.Context(), worker, id)
		must(t, err)
		if p := f.Person(); p.Name.Given != "Amie" || p.Version != 2 {
			t.Fatalf("after the conflict the person is %q v%d, want Amie v2", p.Name.Given, p.Version)
		}
	})
}

func TestConcurrentWritersTakeTurns(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		id := newChild(t, s, "BUCK1")
		epID := openEpisode(t, s, id, d("2025-05-01"))
		const n = 8
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				errs <- s.UpdateFile(t.Context(), worker, id, func(f *casework.File) error {
					return f.Save(&casework.Visit{EpisodeID: epID, Date: d("2025-05-02").AddDays(i), Type: "cin", ChildSeen: true})
				})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			must(t, err)
		}
		f, err := s.File(t.Context(), worker, id)
		must(t, err)
		seqs := map[int64]bool{}
		for _, r := range f.Records() {
			if seqs[r.Base().Seq] {
				t.Fatalf("two records share seq %d", r.Base().Seq)
			}
			seqs[r.Base().Seq] = true
		}
		if got := len(casework.All[*casework.Visit](f)); got != n {
			t.Fatalf("%d visits stored, want %d", got, n)
		}

		// Two workers opening an episode at once: the invariant holds, so exactly one succeeds.
		other := newChild(t, s, "BUCK2")
		results := make(chan error, 2)
		for _, day := range []string{"2025-06-01", "2025-06-02"} {
			wg.Go(func() {
				results <- s.UpdateFile(t.Context(), worker, other, func(f *casework.File) error {
					return f.Save(&casework.Episode{ReferralDate: d(day), Source: "2A", PrimaryNeed: "N5"})
				})
			})
		}
		wg.Wait()
		close(results)
		var ok, invalid int
		for err := range results {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, casework.ErrInvalid):
				invalid++
			default:
				t.Fatal(err)
			}
		}
		if ok != 1 || invalid != 1 {
			t.Fatalf("concurrent referrals: %d stored, %d rejected; want 1 and 1", ok, invalid)
		}
	})
}

func TestHistoryAndAsAt(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		id := newChild(t, s, "BUCK1")
		epID := openEpisode(t, s, id, d("2025-05-01"))
		visit := &casework.Visit{EpisodeID: epID, Date: d("2025-05-03"), Type: "cin", ChildSeen: true}
		must(t, s.UpdateFile(t.Context(), worker, id, func(f *casework.File) error { return f.Save(visit) }))
		beforeRename := s.Now()
		must(t, s.UpdateFile(t.Context(), Actor{UserID: "tm1", Role: casework.RoleTeamManager}, id, func(f *casework.File) error {
			p := *f.Person()
			p.Name.Family, p.Reason = "Sample", "surname changed by deed poll"
			p.FormerNames = []casework.Name{{Given: "Amy", Family: "Example"}}
			return f.Save(&p)
		}))
		beforeRetraction := s.Now()
		must(t, s.UpdateFile(t.Context(), worker, id, func(f *casework.File) error {
			r, _ := f.Get(visit.ID)
			v := *r.(*casework.Visit)
			v.Retracted, v.Reason = true, "recorded on the wrong child"
			return f.Save(&v)
		}))

		now, err := s.File(t.Context(), worker, id)
		must(t, err)
		if now.Person().Name.Family != "Sample" || len(casework.All[*casework.Visit](now)) != 0 {
			t.Fatalf("current file: family %q, %d visits; want Sample and the visit retracted",
				now.Person().Name.Family, len(casework.All[*casework.Visit](now)))
		}
		then, err := s.FileAsAt(t.Context(), worker, id, beforeRename)
		must(t, err)
		if then.Person().Name.Family != "Example" || len(casework.All[*casework.Visit](then)) != 1 {
			t.Fatalf("as at before the rename: family %q, %d visits; want Example and 1",
				then.Person().Name.Family, len(casework.All[*casework.Visit](then)))
		}
		mid, err := s.FileAsAt(t.Context(), worker, id, beforeRetraction)
		must(t, err)
		if mid.Person().Name.Family != "Sample" || len(casework.All[*casework.Visit](mid)) != 1 {
			t.Fatal("as at between the rename and the retraction is wrong")
		}
		if _, err := s.FileAsAt(t.Context(), worker, id, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)); !errors.Is(err, casework.ErrNotFound) {
			t.Fatalf("as at before the file existed: got %v, want not found", err)
		}

		hist, err := s.History(t.Context(), worker, id)
		must(t, err)
		var lines []string
		for _, r := range hist {
			m := r.Base()
			lines = append(lines, fmt.Sprintf("%s v%d by %s: %s retracted=%v", r.Kind(), m.Version, m.RecordedBy, m.Reason, m.Retracted))
		}
		want := []string{
			"person v1 by sw1: recorded retracted=false",
			"episode v1 by sw1: recorded retracted=false",
			"visit v1 by sw1: recorded retracted=false",
			"person v2 by tm1: surname changed by deed poll retracted=false",
			"visit v2 by sw1: recorded on the wrong child retracted=true",
		}
		if diff := cmp.Diff(want, lines); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
		// History cannot be rewritten, even by hand.
		if _, err := s.db.Exec(`UPDATE record_versions SET reason = 'tampered'`); err == nil {
			t.Error("updating record_versions succeeded; history must be append-only")
		}
		if _, err := s.db.Exec(`DELETE FROM records`); err == nil {
			t.Error("deleting records succeeded; records are retracted, never deleted")
		}
	})
}

func TestClosedEpisodeAcrossLoads(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		id := newChild(t, s, "BUCK1")
		epID := openEpisode(t, s, id, d("2025-05-01"))
		must(t, s.UpdateFile(t.Context(), worker, id, func(f *casework.File) error {
			return f.CloseEpisode(epID, 1, d("2025-06-01"), "RC8")
		}))
		visit := func() error {
			return s.UpdateFile(t.Context(), worker, id, func(f *casework.File) error {
				return f.Save(&casework.Visit{EpisodeID: epID, Date: d("2025-05-20"), Type: "cin"})
			})
		}
		if err := visit(); !errors.Is(err, casework.ErrInvalid) {
			t.Fatalf("visit on a closed episode: got %v, want invalid", err)
		}
		must(t, s.UpdateFile(t.Context(), worker, id, func(f *casework.File) error {
			return f.Reopen(epID, 2, d("2025-06-03"), "closed in error")
		}))
		must(t, visit())
	})
}

func TestUniqueChildID(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		newChild(t, s, "BUCK1")
		_, err := s.CreateFile(t.Context(), worker, func(f *casework.File) error { return f.Save(child("BUCK1")) })
		var v *casework.ValidationError
		if !errors.As(err, &v) || v.Fields[0].Field != "la_child_id" {
			t.Fatalf("second child with the same ID: got %v, want la_child_id rejected", err)
		}
		if n := countRows(t, s, "files"); n != 1 {
			t.Fatalf("%d files after the rejected create, want 1", n)
		}
	})
}

func TestFamily(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		amy := newChild(t, s, "BUCK1")
		ben, err := s.CreateFile(t.Context(), worker, func(f *casework.File) error {
			p := child("BUCK2")
			p.Name.Given = "Ben"
			return f.Save(p)
		})
		must(t, err)
		mum, err := s.CreateFile(t.Context(), worker, func(f *casework.File) error {
			return f.Save(&casework.Person{Role: casework.RoleAdult, Name: casework.Name{Given: "Jo", Family: "Example"}})
		})
		must(t, err)
		home, err := s.CreateFile(t.Context(), worker, func(f *casework.File) error {
			return f.Save(&casework.Household{Address: casework.Address{Lines: []string{"1 High St"}, Postcode: "hp201ua"}})
		})
		must(t, err)
		must(t, s.UpdateFile(t.Context(), worker, amy, func(f *casework.File) error {
			return f.Save(&casework.Relationship{OtherID: mum, Type: "mother", ParentalResponsibility: true},
				&casework.HouseholdMember{HouseholdID: home, Start: d("2020-01-01")})
		}))
		// Ben's file says Amy is his sister; Amy's family view finds him from his side.
		must(t, s.UpdateFile(t.Context(), worker, ben, func(f *casework.File) error {
			return f.Save(&casework.Relationship{OtherID: amy, Type: "sibling"},
				&casework.HouseholdMember{HouseholdID: home, Start: d("2021-01-01")})
		}))
		_, fam, err := s.FileWithFamily(t.Context(), worker, amy)
		must(t, err)
		var got []string
		for _, m := range fam.Members {
			got = append(got, m.Link+" "+m.Person.Name.Given)
		}
		if diff := cmp.Diff([]string{"mother Jo", "sibling Ben"}, got); diff != "" {
			t.Errorf("family (-want +got):\n%s", diff)
		}
		if len(fam.Households) != 1 || fam.Households[0].Address.Postcode != "HP20 1UA" {
			t.Errorf("households: %+v", fam.Households)
		}
		// An adult's file holds only family links.
		err = s.UpdateFile(t.Context(), worker, mum, func(f *casework.File) error {
			return f.Save(&casework.Episode{ReferralDate: d("2025-01-01"), Source: "6", PrimaryNeed: "N1"})
		})
		if !errors.Is(err, casework.ErrInvalid) {
			t.Fatalf("episode on an adult's file: got %v, want invalid", err)
		}
	})
}

func TestAuditChain(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		id := newChild(t, s, "BUCK1")
		openEpisode(t, s, id, d("2025-05-01"))
		_, err := s.File(t.Context(), Actor{UserID: "tm1", Role: casework.RoleTeamManager}, id)
		must(t, err)
		_, _, err = s.FindChildren(t.Context(), Actor{UserID: "fd1", Role: casework.RoleFrontDoor}, "amy example", 0, 10)
		must(t, err)

		events, err := s.FileAudit(t.Context(), id, 10)
		must(t, err)
		var got []string
		for _, e := range events {
			got = append(got, e.Actor+" "+e.Action)
		}
		want := []string{"fd1 list", "tm1 read", "sw1 create", "sw1 create"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("who has looked at this child (-want +got):\n%s", diff)
		}
		check, err := s.VerifyAudit(t.Context())
		must(t, err)
		if check.BrokenAt != 0 || check.Events != 4 {
			t.Fatalf("intact chain: %+v", check)
		}
		// Tampering needs the append-only trigger out of the way first; the chain still gives it away.
		dropAuditTrigger(t, s)
		must(t, execSQL(s, `UPDATE audit_events SET actor = 'someone-else' WHERE seq = 2`))
		check, err = s.VerifyAudit(t.Context())
		must(t, err)
		if check.BrokenAt != 2 {
			t.Fatalf("tampered event 2: verify says %+v", check)
		}
		must(t, execSQL(s, `UPDATE audit_events SET actor = 'sw1' WHERE seq = 2`))
		must(t, execSQL(s, `DELETE FROM audit_events WHERE seq = 4`))
		check, err = s.VerifyAudit(t.Context())
		must(t, err)
		if check.BrokenAt != 4 {
			t.Fatalf("deleted newest event: verify says %+v", check)
		}
	})
}

// TestFindChildrenPages: a search of two words pages through every child matching both, even when many more
// share the first word and sort ahead of them.
func TestFindChildrenPages(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		add := func(id, given string) {
			p := child(id)
			p.Name.Given = given
			_, err := s.CreateFile(t.Context(), worker, func(f *casework.File) error { return f.Save(p) })
			must(t, err)
		}
		for i := range 12 {
			add(fmt.Sprintf("A%02d", i), "Amy")
		}
		for i := range 3 {
			add(fmt.Sprintf("Z%02d", i), "Zara")
		}
		front := Actor{UserID: "fd1", Role: casework.RoleFrontDoor}
		var got []string
		for offset := 0; ; offset++ {
			page, more, err := s.FindChildren(t.Context(), front, "example zara", offset, 1)
			must(t, err)
			for _, p := range page {
				got = append(got, p.LAChildID)
			}
			if !more {
				break
			}
		}
		slices.Sort(got)
		if diff := cmp.Diff([]string{"Z00", "Z01", "Z02"}, got); diff != "" {
			t.Errorf("pages of 'example zara' (-want +got):\n%s", diff)
		}
	})
}

func execSQL(s *Store, q string) error { _, err := s.db.Exec(q); return err }

func dropAuditTrigger(t *testing.T, s *Store) {
	if s.Dialect() == "postgres" {
		must(t, execSQL(s, `DROP TRIGGER audit_events_append_only ON audit_events`))
		return
	}
	must(t, execSQL(s, `DROP TRIGGER audit_events_append_only_u`))
	must(t, execSQL(s, `DROP TRIGGER audit_events_append_only_d`))
}

func TestLoadFiles(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		now := s.Now()
		var files []*casework.File
		for i := range 3 {
			f := casework.NewFile(now, nil)
			must(t, f.Save(child(fmt.Sprintf("LOAD%d", i))))
			ep := &casework.Episode{ReferralDate: d("2025-05-01"), Source: "6", PrimaryNeed: "N1"}
			must(t, f.Save(ep))
			must(t, f.Save(&casework.Visit{EpisodeID: ep.ID, Date: d("2025-05-02"), Type: "cin", ChildSeen: true}))
			files = append(files, f)
		}
		// A link to a person outside the batch and the store fails the whole batch.
		bad := casework.NewFile(now, nil)
		must(t, bad.Save(child("LOADBAD")))
		must(t, bad.Save(&casework.Relationship{OtherID: "missing", Type: "father"}))
		err := s.LoadFiles(t.Context(), System, append(files, bad))
		if !errors.Is(err, casework.ErrInvalid) || !strings.Contains(err.Error(), "file 4 of 4") {
			t.Fatalf("batch with a bad file: got %v", err)
		}
		if n := countRows(t, s, "records"); n != 0 {
			t.Fatalf("failed batch left %d records", n)
		}
		must(t, s.LoadFiles(t.Context(), System, files))
		counts, err := s.Counts(t.Context())
		must(t, err)
		if counts[casework.KindVisit] != 3 || countRows(t, s, "record_versions") != 9 || countRows(t, s, "audit_events") != 3 {
			t.Fatalf("after the batch: counts %v, %d versions, %d audit events", counts,
				countRows(t, s, "record_versions"), countRows(t, s, "audit_events"))
		}
		check, err := s.VerifyAudit(t.Context())
		must(t, err)
		if check.BrokenAt != 0 {
			t.Fatalf("audit after batch: %+v", check)
		}
		items := countRows(t, s, "due_items")
		if items == 0 {
			t.Fatal("the batch's episodes owe nothing")
		}

		// Each rejection names the file at fault and stores nothing.
		fresh := func(code string) *casework.File {
			f := casework.NewFile(now, nil)
			must(t, f.Save(child(code)))
			return f
		}
		household := casework.NewFile(now, nil)
		must(t, household.Save(&casework.Household{Address: casework.Address{Lines: []string{"1 High Street"}, Postcode: "HP19 8FF"}}))
		wrongLink := fresh("LOADX3")
		must(t, wrongLink.Save(&casework.Relationship{OtherID: household.Records()[0].Base().ID, Type: "mother"}))
		for name, tc := range map[string]struct {
			files []*casework.File
			want  string
		}{
			"an LA child ID already stored":  {[]*casework.File{fresh("LOADX1"), fresh("LOAD1")}, `file 2 of 2: la_child_id: "LOAD1" is already used`},
			"an LA child ID twice":           {[]*casework.File{fresh("LOADX2"), fresh("LOADX2")}, `file 2 of 2: la_child_id: "LOADX2" is also the LA child ID of file 1 of 2`},
			"a person linked to a household": {[]*casework.File{household, wrongLink}, "file 2 of 2: other_id: no such person"},
		} {
			err := s.LoadFiles(t.Context(), System, tc.files)
			if !errors.Is(err, casework.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: got %v, want %q", name, err, tc.want)
			}
		}
		if n := countRows(t, s, "records"); n != 9 || countRows(t, s, "due_items") != items || countRows(t, s, "audit_events") != 3 {
			t.Fatalf("rejected batches left rows behind: %d records", n)
		}
	})
}

// TestDeferredIndexes checks that the indexes a bulk load defers come back, whether the load finishes or dies
// first and the next Migrate builds them, and that the load in between stores and finds the same.
func TestDeferredIndexes(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		catalog := `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'records_kind_start'`
		if s.dialect.numbered {
			catalog = `SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'records_kind_start'`
		}
		indexed := func() bool {
			var n int
			must(t, s.db.QueryRow(catalog).Scan(&n))
			return n == 1
		}
		for _, finish := range []string{"rebuild", "migrate"} {
			rebuild, err := s.DeferIndexes(t.Context())
			must(t, err)
			if indexed() {
				t.Fatal("the deferred index is still there")
			}
			f := casework.NewFile(s.Now(), nil)
			must(t, f.Save(child("DEFER"+strings.ToUpper(finish[:1]))))
			must(t, s.LoadFiles(t.Context(), System, []*casework.File{f}))
			if finish == "rebuild" {
				must(t, rebuild(t.Context()))
			} else {
				must(t, s.Migrate(t.Context()))
			}
			if !indexed() {
				t.Fatalf("after %s the index is missing", finish)
			}
			if v, _, err := s.Setting(t.Context(), deferredSetting); err != nil || v != "" {
				t.Fatalf("after %s the setting still says %q (%v)", finish, v, err)
			}
			must(t, rebuild(t.Context())) // nothing left to build
		}
		matches, err := s.MatchChildren(t.Context(), System, casework.MatchQuery{BirthDate: d("2015-06-01"), Family: "Example"}, 10)
		must(t, err)
		if len(matches) != 2 {
			t.Fatalf("children found by birth date through the rebuilt index: %d, want 2", len(matches))
		}
	})
}

func TestUsersAndTeams(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		team, err := s.AddTeam(t.Context(), System, Team{Name: "Wycombe CIN/CP 1", Service: "cin_cp", District: "Wycombe"})
		must(t, err)
		again, err := s.AddTeam(t.Context(), System, Team{Name: "Wycombe CIN/CP 1", Service: "cin_cp"})
		must(t, err)
		if again.ID != team.ID {
			t.Fatal("adding a team twice made two teams")
		}
		u, err := s.AddUser(t.Context(), System, User{Email: " SW@Example.org ", Role: casework.RoleSocialWorker, TeamID: team.ID,
			Registration: "sw123456"})
		must(t, err)
		got, err := s.UserByEmail(t.Context(), "sw@example.org")
		must(t, err)
		if got.ID != u.ID || got.TeamID != team.ID || got.FTE != 1 || got.Registration != "SW123456" {
			t.Fatalf("user read back as %+v", got)
		}
		if regs, err := s.Registrations(t.Context()); err != nil || regs[u.ID] != "SW123456" || len(regs) != 1 {
			t.Errorf("registrations %v, %v", regs, err)
		}
		for _, bad := range []User{
			{Email: "sw@example.org", Role: casework.RoleSocialWorker},
			{Email: "not-an-email", Role: casework.RoleSocialWorker},
			{Email: "x@example.org", Role: "superuser"},
			{Email: "y@example.org", Role: casework.RoleSocialWorker, TeamID: "no-such-team"},
			{Email: "z@example.org", Role: casework.RoleSocialWorker, Registration: "HCPC12345"},
		} {
			if _, err := s.AddUser(t.Context(), System, bad); !errors.Is(err, casework.ErrInvalid) {
				t.Errorf("AddUser(%+v): got %v, want invalid", bad, err)
			}
		}
		if _, err := s.UserByEmail(t.Context(), "nobody@example.org"); !errors.Is(err, casework.ErrNotFound) {
			t.Errorf("unknown user: got %v", err)
		}
	})
}

// TestFirstRecordedAtSurvivesChanges: a record's first recording time stays when it is changed, in the current
// record and in the history.
func TestFirstRecordedAtSurvivesChanges(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		id := newChild(t, s, "FIRST1")
		epID := openEpisode(t, s, id, d("2025-01-06"))
		f, err := s.File(t.Context(), worker, id)
		must(t, err)
		ep, _ := f.Get(epID)
		first := ep.Base().FirstRecordedAt
		if first.IsZero() || !first.Equal(ep.Base().RecordedAt) {
			t.Fatalf("first recorded %v, recorded %v", first, ep.Base().RecordedAt)
		}
		must(t, s.UpdateFile(t.Context(), worker, id, func(f *casework.File) error {
			r, _ := f.Get(epID)
			changed := *r.(*casework.Episode)
			changed.PrimaryNeed, changed.Reason = "N2", "need was abuse"
			return f.Save(&changed)
		}))
		f, err = s.File(t.Context(), worker, id)
		must(t, err)
		ep, _ = f.Get(epID)
		if !ep.Base().FirstRecordedAt.Equal(first) || !ep.Base().RecordedAt.After(first) {
			t.Errorf("after a change: first %v (want %v), recorded %v", ep.Base().FirstRecordedAt, first, ep.Base().RecordedAt)
		}
		h, err := s.History(t.Context(), worker, id)
		must(t, err)
		for _, r := range h {
			if r.Base().ID == epID && !r.Base().FirstRecordedAt.Equal(first) {
				t.Errorf("history version %d: first recorded %v, want %v", r.Base().Version, r.Base().FirstRecordedAt, first)
			}
		}
	})
}

func TestEachChildWith(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		now := s.Now()
		file := func(code, referred, closed string) *casework.File {
			f := casework.NewFile(now, nil)
			must(t, f.Save(child(code)))
			if referred != "" {
				ep := &casework.Episode{ReferralDate: d(referred), Source: "6", PrimaryNeed: "N1"}
				must(t, f.Save(ep))
				must(t, f.Save(&casework.Visit{EpisodeID: ep.ID, Date: d(referred).AddDays(1), Type: "cin", ChildSeen: true}))
				if closed != "" {
					ep.ClosureDate, ep.ClosureReason, ep.Reason = d(closed), "RC7", "closed"
					must(t, f.Save(ep))
				}
			}
			return f
		}
		must(t, s.LoadFiles(t.Context(), System, []*casework.File{
			file("NEED1", "2024-01-10", "2024-06-01"), // closed before the period
			file("NEED2", "2025-05-01", ""),           // referred in it
			file("NEED3", "", ""),                     // never referred
			file("NEED4", "2024-11-01", "2025-04-01"), // closed on its first day
		}))
		var got []string
		err := s.EachChildWith(t.Context(), System, "test", casework.KindEpisode, d("2025-04-01"), d("2026-03-31"),
			[]casework.Kind{casework.KindEpisode}, func(f *casework.File) error {
				got = append(got, f.Person().LAChildID)
				for _, r := range f.Records() {
					if r.Kind() != casework.KindPerson && r.Kind() != casework.KindEpisode {
						t.Errorf("%s: read a %s, which was not asked for", f.Person().LAChildID, r.Kind())
					}
				}
				return nil
			})
		must(t, err)
		slices.Sort(got)
		if !slices.Equal(got, []string{"NEED2", "NEED4"}) {
			t.Errorf("children in need in 2025-26: %v", got)
		}
	})
}

func TestSubmissions(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		file := []byte(strings.Repeat("<Child>a census</Child>\n", 1000))
		sub, err := s.Submit(t.Context(), System, "cin", "2025-26", bytes.NewReader(file))
		must(t, err)
		if sub.ID == 0 || sub.Size != int64(len(file)) || len(sub.SHA256) != 64 {
			t.Fatalf("kept: %+v", sub)
		}
		list, err := s.Submissions(t.Context())
		must(t, err)
		if len(list) != 1 || list[0].SHA256 != sub.SHA256 || list[0].Year != "2025-26" || !list[0].At.Equal(sub.At) {
			t.Fatalf("list: %+v, want %+v", list, sub)
		}
		var again bytes.Buffer
		_, err = s.SubmissionFile(t.Context(), System, sub.ID, &again)
		must(t, err)
		if !bytes.Equal(again.Bytes(), file) {
			t.Error("the return read back differs from the one kept")
		}
		if err := execSQL(s, `UPDATE submissions SET year = '2024-25'`); err == nil {
			t.Error("a kept return was changed")
		}
		if _, err := s.SubmissionFile(t.Context(), System, sub.ID+1, &again); !errors.Is(err, casework.ErrNotFound) {
			t.Errorf("a return never kept: %v", err)
		}
	})
}
