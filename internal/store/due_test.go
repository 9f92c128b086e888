package store

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/timescale"
	"github.com/continuum-cs/continuum/internal/workday"
)

// dueItem finds a file's stored item for a rule through the worker's queue or the team's.
func queueItem(t *testing.T, s *Store, scope QueueScope, today civil.Date, rule string) *QueueItem {
	t.Helper()
	// At noon, London time.
	page, err := s.Queue(t.Context(), worker, scope, today.In(casework.London()).Add(12*time.Hour), 100)
	must(t, err)
	buckets := map[string]int{}
	for _, q := range page.Items {
		buckets[q.Bucket]++
	}
	if buckets[BucketOverdue] != page.Overdue || buckets[BucketToday] != page.Today || buckets[BucketThisWeek] != page.ThisWeek {
		t.Errorf("queue counts %d/%d/%d, but the items are %v", page.Overdue, page.Today, page.ThisWeek, buckets)
	}
	for i := range page.Items {
		if page.Items[i].Rule == rule {
			return &page.Items[i]
		}
	}
	return nil
}

// TestDueItemsFollowTheRecord: items are derived when facts are recorded, recomputed when they are corrected,
// met when the work is done, and moved by closure days and local rule changes; queues and caseloads read them.
func TestDueItemsFollowTheRecord(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		team, err := s.AddTeam(ctx, System, Team{Name: "Wycombe CIN", Service: "cin_cp"})
		must(t, err)
		sw, err := s.AddUser(ctx, System, User{Email: "sw@example.org", Name: "Sam Worker", Role: casework.RoleSocialWorker,
			TeamID: team.ID, FTE: 0.5})
		must(t, err)
		id := newChild(t, s, "DUE1")
		ep := &casework.Episode{ReferralDate: d("2025-03-03"), Source: "2A", PrimaryNeed: "N1"}
		must(t, s.UpdateFile(ctx, Actor{UserID: sw.ID, Role: sw.Role, TeamID: team.ID}, id, func(f *casework.File) error {
			if err := f.Save(ep); err != nil {
				return err
			}
			return f.Allocate(ep.ID, sw.ID, team.ID, d("2025-03-03"), "FCONTA")
		}))
		mine := QueueScope{WorkerID: sw.ID}
		// On Tuesday 6 May 2025 the assessment (45 working days from 3 March) is due on Thursday 8 May.
		q := queueItem(t, s, mine, d("2025-05-06"), "R2")
		if q == nil || q.DueDate != d("2025-05-08") || q.Bucket != BucketThisWeek || q.Risk != timescale.RiskInNeed ||
			q.Child.Family != "Example" || q.LAChildID != "DUE1" {
			t.Fatalf("R2 in the worker's queue: %+v", q)
		}
		if q := queueItem(t, s, mine, d("2025-05-12"), "R2"); q == nil || q.Bucket != BucketOverdue || q.DaysOverdue != 4 {
			t.Errorf("R2 on 12 May: %+v", q)
		}
		if q := queueItem(t, s, QueueScope{TeamID: team.ID}, d("2025-05-08"), "R2"); q == nil || q.Bucket != BucketToday {
			t.Errorf("R2 in the team's queue on its due day: %+v", q)
		}
		if q := queueItem(t, s, QueueScope{Service: "cin_cp"}, d("2025-05-08"), "R2"); q == nil {
			t.Error("R2 missing from the service's queue")
		}
		if q := queueItem(t, s, QueueScope{Unallocated: true}, d("2025-05-08"), "R2"); q != nil {
			t.Errorf("allocated work listed as unallocated: %+v", q)
		}

		// Correcting the referral date moves the due date.
		must(t, s.UpdateFile(ctx, Actor{UserID: sw.ID, Role: sw.Role, TeamID: team.ID}, id, func(f *casework.File) error {
			r, _ := f.Get(ep.ID)
			fixed := *r.(*casework.Episode)
			fixed.ReferralDate, fixed.Reason = d("2025-02-28"), "the referral came in on the Friday"
			return f.Save(&fixed)
		}))
		if q := queueItem(t, s, mine, d("2025-05-06"), "R2"); q == nil || q.DueDate != d("2025-05-07") {
			t.Errorf("R2 after correcting the referral date: %+v", q)
		}

		// A closure day on Wednesday 7 May pushes it to Thursday 8 May.
		must(t, s.AddClosure(ctx, System, workday.Closure{Date: d("2025-05-07"), Name: "Staff day"}))
		if q := queueItem(t, s, mine, d("2025-05-08"), "R2"); q == nil || q.DueDate != d("2025-05-08") || q.Bucket != BucketToday {
			t.Errorf("R2 after a closure day: %+v", q)
		}

		// A local rule change gives a new version and new due dates.
		if q := queueItem(t, s, mine, d("2025-05-06"), "S1"); q == nil || q.DueDate != d("2025-04-28") || q.RuleVersion != 1 {
			t.Errorf("S1 before the change: %+v", q)
		}
		rule, err := s.SetLocalRule(ctx, System, "S1", 4, timescale.Weeks)
		must(t, err)
		if rule.Version != 2 {
			t.Errorf("S1 changed to version %d, want 2", rule.Version)
		}
		if q := queueItem(t, s, mine, d("2025-05-06"), "S1"); q == nil || q.DueDate != d("2025-03-28") || q.RuleVersion != 2 {
			t.Errorf("S1 after the change: %+v", q)
		}
		if _, err := s.SetLocalRule(ctx, System, "R2", 40, timescale.WorkingDays); err == nil {
			t.Error("a statutory rule was changed locally")
		}

		// A late reason must name a rule that exists.
		err = s.UpdateFile(ctx, Actor{UserID: sw.ID, Role: sw.Role, TeamID: team.ID}, id, func(f *casework.File) error {
			return f.Save(&casework.LateReason{Rule: "R99", SubjectID: ep.ID, Reason: "no such rule"})
		})
		if !errors.Is(err, casework.ErrInvalid) || !strings.Contains(err.Error(), "R99") {
			t.Errorf("late reason for R99: %v", err)
		}

		// Completing the assessment meets the item; it leaves the queue.
		must(t, s.UpdateFile(ctx, Actor{UserID: sw.ID, Role: sw.Role, TeamID: team.ID}, id, func(f *casework.File) error {
			return f.Save(&casework.Assessment{EpisodeID: ep.ID, Start: d("2025-03-05"), Completed: d("2025-05-09"), ChildSeen: true, Factors: []string{"1A"}})
		}))
		if q := queueItem(t, s, mine, d("2025-05-12"), "R2"); q != nil {
			t.Errorf("a met item is still queued: %+v", q)
		}

		// Reallocation moves the open work to the new worker's queue; the old allocation stays in the history.
		sw2, err := s.AddUser(ctx, System, User{Email: "sw2@example.org", Name: "Alex Worker", Role: casework.RoleSocialWorker,
			TeamID: team.ID, FTE: 1})
		must(t, err)
		must(t, s.UpdateFile(ctx, Actor{UserID: sw.ID, Role: sw.Role, TeamID: team.ID}, id, func(f *casework.File) error {
			return f.Allocate(ep.ID, sw2.ID, team.ID, d("2025-05-12"), "MANAGE")
		}))
		if q := queueItem(t, s, QueueScope{WorkerID: sw2.ID}, d("2025-05-12"), "S1"); q == nil {
			t.Error("S1 did not move to the new worker")
		}
		if q := queueItem(t, s, mine, d("2025-05-12"), "S1"); q != nil {
			t.Errorf("S1 is still in the old worker's queue: %+v", q)
		}
		must(t, s.UpdateFile(ctx, Actor{UserID: sw.ID, Role: sw.Role, TeamID: team.ID}, id, func(f *casework.File) error {
			return f.Allocate(ep.ID, sw.ID, team.ID, d("2025-05-13"), "MANAGE")
		}))

		loads, err := s.Caseloads(ctx, team.ID)
		must(t, err)
		if len(loads) != 2 || loads[0].WorkerID != sw.ID || loads[0].Cases != 1 || loads[0].ByRisk[timescale.RiskInNeed] != 1 ||
			loads[0].PerFTE != 2 || loads[1].Cases != 0 {
			t.Errorf("caseloads: %+v", loads)
		}

		// A red contact's window is kept to the minute and read back the same.
		received := time.Date(2025, 11, 21, 16, 30, 0, 0, casework.London())
		must(t, s.UpdateFile(ctx, Actor{UserID: sw.ID, Role: sw.Role, TeamID: team.ID}, id, func(f *casework.File) error {
			return f.Save(&casework.Contact{ReceivedAt: received, Source: "2A", Reason: "school", Priority: casework.PriorityRed})
		}))
		red := queueItem(t, s, mine, d("2025-11-24"), "F1")
		if want := time.Date(2025, 11, 24, 10, 30, 0, 0, casework.London()); red == nil || !red.DueAt.Equal(want) ||
			red.Bucket != BucketOverdue || red.DaysOverdue != 0 {
			t.Errorf("F1 at noon on its due day: %+v, want overdue since %s", red, want)
		}
		// On the Friday the contact came, its window runs into Monday: next week's work, not yet in the queue.
		if red := queueItem(t, s, mine, d("2025-11-21"), "F1"); red != nil {
			t.Errorf("F1 on the day the contact came: %+v, want it not queued until its week", red)
		}

		// Recomputing everything puts right an item that is wrong, and every item carries its signature.
		must(t, execSQL(s, `UPDATE due_items SET due_date = '2000-01-01', sig = NULL WHERE rule = 'S1'`))
		n, err := s.RecomputeDue(ctx)
		must(t, err)
		if n != 1 {
			t.Errorf("recomputed %d files, want 1", n)
		}
		if q := queueItem(t, s, mine, d("2025-05-13"), "S1"); q == nil || q.DueDate == d("2000-01-01") {
			t.Errorf("S1 after recomputing: %+v", q)
		}
		if n := countWhere(t, s, "due_items", "sig IS NULL OR sig = ''"); n != 0 {
			t.Errorf("%d due items have no signature", n)
		}
	})
}

// TestRecomputeRereadsFilesChangedMeanwhile reads a batch as a recompute does, changes its file before the batch
// is written, and checks that the write derives the file again: a correction that makes no new record, and then a
// rule changed, are kept, not overwritten by what was read before them.
func TestRecomputeRereadsFilesChangedMeanwhile(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		team, err := s.AddTeam(ctx, System, Team{Name: "Chiltern CIN", Service: "cin_cp"})
		must(t, err)
		sw, err := s.AddUser(ctx, System, User{Email: "sw@example.org", Name: "Sam Worker", Role: casework.RoleSocialWorker,
			TeamID: team.ID, FTE: 1})
		must(t, err)
		actor := Actor{UserID: sw.ID, Role: sw.Role, TeamID: team.ID}
		id := newChild(t, s, "MEANWHILE1")
		ep := &casework.Episode{ReferralDate: d("2025-03-03"), Source: "2A", PrimaryNeed: "N1"}
		must(t, s.UpdateFile(ctx, actor, id, func(f *casework.File) error {
			if err := f.Save(ep); err != nil {
				return err
			}
			return f.Allocate(ep.ID, sw.ID, team.ID, d("2025-03-03"), "FCONTA")
		}))
		mine := QueueScope{WorkerID: sw.ID}
		read := func() *derivedBatch {
			var b *derivedBatch
			must(t, s.inReadTx(ctx, func(tx *txn) error {
				var err error
				b, err = s.deriveBatch(ctx, tx, []string{id})
				return err
			}))
			return b
		}
		write := func(b *derivedBatch) { must(t, s.inTx(ctx, func(tx *txn) error { return s.writeBatch(ctx, tx, b) })) }

		// Each batch is read with the item it checks spoilt, so that the batch means to write it.
		spoil := func(rule string) {
			must(t, execSQL(s, `UPDATE due_items SET due_date = '2000-01-01', sig = NULL WHERE rule = '`+rule+`'`))
		}

		// Read while the assessment is due on Thursday 8 May; then the referral date is corrected, which moves it
		// to Wednesday 7 May without making a new record.
		spoil("R2")
		b := read()
		must(t, s.UpdateFile(ctx, actor, id, func(f *casework.File) error {
			r, _ := f.Get(ep.ID)
			fixed := *r.(*casework.Episode)
			fixed.ReferralDate, fixed.Reason = d("2025-02-28"), "the referral came in on the Friday"
			return f.Save(&fixed)
		}))
		write(b)
		if q := queueItem(t, s, mine, d("2025-05-06"), "R2"); q == nil || q.DueDate != d("2025-05-07") {
			t.Errorf("R2 after a recompute read before the correction: %+v, want due 2025-05-07", q)
		}

		// Read under S1 of one month; then S1 changes to two weeks. The change is stored without the recompute
		// that SetLocalRule runs, which would move the file's change number on: only the rules themselves show
		// the batch is stale.
		spoil("S1")
		b = read()
		must(t, execSQL(s, `INSERT INTO local_rules (code, version, amount, unit, changed_by, changed_at)
			VALUES ('S1', 2, 2, 'weeks', 'test', '2026-03-20T09:00:00Z')`))
		write(b)
		if q := queueItem(t, s, mine, d("2025-03-10"), "S1"); q == nil || q.RuleVersion != 2 {
			t.Errorf("S1 after a recompute read before the rule changed: %+v, want version 2", q)
		}
	})
}

// TestCasesHeld counts each worker's open episodes of need on a day: a reallocation moves the case, a closed
// allocation no longer counts, and early help's cases are not counted.
func TestCasesHeld(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		team, err := s.AddTeam(ctx, System, Team{Name: "Aylesbury CIN", Service: "cin_cp"})
		must(t, err)
		sw1, err := s.AddUser(ctx, System, User{Email: "one@example.org", Name: "One", Role: casework.RoleSocialWorker, TeamID: team.ID, FTE: 1})
		must(t, err)
		sw2, err := s.AddUser(ctx, System, User{Email: "two@example.org", Name: "Two", Role: casework.RoleSocialWorker, TeamID: team.ID, FTE: 1})
		must(t, err)
		for i, c := range []struct{ first, second string }{{sw1.ID, sw2.ID}, {sw1.ID, ""}} {
			id := newChild(t, s, fmt.Sprintf("HELD%d", i))
			must(t, s.UpdateFile(ctx, worker, id, func(f *casework.File) error {
				ep := &casework.Episode{ReferralDate: d("2025-03-03"), Source: "2A", PrimaryNeed: "N1"}
				eh := &casework.EarlyHelp{Start: d("2025-01-06"), LeadProfessional: casework.Professional{Name: "L", Agency: "school"}}
				if err := f.Save(ep, eh); err != nil {
					return err
				}
				if err := f.Allocate(eh.ID, c.first, team.ID, d("2025-01-06"), ""); err != nil {
					return err
				}
				if err := f.Allocate(ep.ID, c.first, team.ID, d("2025-03-03"), "FCONTA"); err != nil {
					return err
				}
				if c.second != "" {
					return f.Allocate(ep.ID, c.second, team.ID, d("2025-06-02"), "MANAGE")
				}
				return nil
			}))
		}
		days := []string{"2025-05-30", "2025-06-02", "2025-02-01"}
		want := []map[string]int{{sw1.ID: 2}, {sw1.ID: 1, sw2.ID: 1}, {}}
		got, err := s.CasesHeld(ctx, d(days[0]), d(days[1]), d(days[2]))
		must(t, err)
		for i, day := range days {
			if !maps.Equal(got[i], want[i]) {
				t.Errorf("cases held on %s: %v, want %v", day, got[i], want[i])
			}
			alone, err := s.CasesHeld(ctx, d(day))
			must(t, err)
			if !maps.Equal(alone[0], want[i]) {
				t.Errorf("cases held on %s alone: %v, want %v", day, alone[0], want[i])
			}
		}
	})
}

// TestDueByStatus counts the items that fell due in a window by the team holding the case, rule and status, as
// the indicators read them.
func TestDueByStatus(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		team, err := s.AddTeam(ctx, System, Team{Name: "Chiltern CIN", Service: "cin_cp", District: "Chiltern"})
		must(t, err)
		sw, err := s.AddUser(ctx, System, User{Email: "due@example.org", Name: "D", Role: casework.RoleSocialWorker, TeamID: team.ID, FTE: 1})
		must(t, err)
		id := newChild(t, s, "DUEBY1")
		ep := &casework.Episode{ReferralDate: d("2025-03-03"), Source: "2A", PrimaryNeed: "N1"}
		must(t, s.UpdateFile(ctx, Actor{UserID: sw.ID, Role: sw.Role, TeamID: team.ID}, id, func(f *casework.File) error {
			if err := f.Save(ep); err != nil {
				return err
			}
			return f.Allocate(ep.ID, sw.ID, team.ID, d("2025-03-03"), "FCONTA")
		}))
		// The assessment is due on 8 May 2025: open in May's window, absent from June's.
		may, june := Span{d("2025-05-01"), d("2025-05-31")}, Span{d("2025-06-01"), d("2025-06-30")}
		both, err := s.DueByStatus(ctx, may, june, Span{d("2025-04-01"), d("2026-03-31")})
		must(t, err)
		if both[0][team.ID]["R2"][timescale.Open] != 1 || len(both[0][""]) != 0 {
			t.Fatalf("May: %v", both[0])
		}
		if len(both[1][team.ID]["R2"]) != 0 {
			t.Fatalf("June: %v", both[1])
		}
		if both[2][team.ID]["R2"][timescale.Open] != 1 {
			t.Fatalf("the year: %v", both[2])
		}
		must(t, s.UpdateFile(ctx, Actor{UserID: sw.ID, Role: sw.Role, TeamID: team.ID}, id, func(f *casework.File) error {
			return f.Save(&casework.Assessment{EpisodeID: ep.ID, Start: d("2025-03-04"), Completed: d("2025-05-20"),
				Authorised: d("2025-05-20"), AuthorisedBy: "M", ChildSeen: true, Factors: []string{"3A"}, NeedsServices: true})
		}))
		both, err = s.DueByStatus(ctx, may)
		must(t, err)
		if r2 := both[0][team.ID]["R2"]; r2[timescale.Late] != 1 || r2[timescale.Open] != 0 {
			t.Fatalf("May, after a late assessment: %v", both[0])
		}
	})
}

// TestEntries keeps every version of an improvement entry, refuses a change made from a stale version, and lists
// each entry as it now stands.
func TestEntries(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		a, err := s.SaveEntry(ctx, System, Entry{Kind: "action", Body: `{"title":"one"}`}, 0)
		must(t, err)
		b, err := s.SaveEntry(ctx, System, Entry{Kind: "action", Body: `{"title":"two"}`}, 0)
		must(t, err)
		a.Body = `{"title":"one, changed"}`
		a2, err := s.SaveEntry(ctx, worker, a, 1)
		must(t, err)
		if a2.Version != 2 || a2.By != worker.UserID {
			t.Fatalf("changed: %+v", a2)
		}
		if _, err := s.SaveEntry(ctx, System, a, 1); !errors.Is(err, casework.ErrConflict) {
			t.Errorf("a change from a stale version: %v", err)
		}
		if _, err := s.SaveEntry(ctx, System, Entry{ID: b.ID, Kind: "challenge", Body: "{}"}, 1); !errors.Is(err, casework.ErrInvalid) {
			t.Errorf("a change of kind: %v", err)
		}
		list, err := s.Entries(ctx, "action")
		must(t, err)
		if len(list) != 2 || list[0].Body != `{"title":"one, changed"}` && list[1].Body != `{"title":"one, changed"}` {
			t.Errorf("entries: %+v", list)
		}
		history, err := s.EntryHistory(ctx, a.ID)
		must(t, err)
		if len(history) != 2 || history[0].Version != 2 || history[1].Body != `{"title":"one"}` {
			t.Errorf("history: %+v", history)
		}
		if none, err := s.Entries(ctx, "challenge"); err != nil || len(none) != 0 {
			t.Errorf("challenges: %v %v", none, err)
		}
	})
}
