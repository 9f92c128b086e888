package store

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// Budgets (issue 2): recording one event ≤ 2 ms median; reading a child's full record with 200 events and their
// history ≤ 5 ms; loading 100,000 events in a batch ≤ 10 s on SQLite. Figures are in docs/PERFORMANCE.md.

func eachBench(b *testing.B, fn func(b *testing.B, s *Store)) {
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) { fn(b, openTest(b, be.url(b))) })
	}
}

var benchFiles int

// fileWithVisits creates a child with an open episode and n visits.
func fileWithVisits(b *testing.B, s *Store, n int) (string, string) {
	benchFiles++
	id, err := s.CreateFile(b.Context(), worker, func(f *casework.File) error { return f.Save(child(fmt.Sprintf("BENCH%d", benchFiles))) })
	if err != nil {
		b.Fatal(err)
	}
	// Events are recent, as a practitioner records them, so the file owes what a live case owes and no more.
	today := casework.Today(s.Now())
	ep := &casework.Episode{ReferralDate: today.AddDays(-n - 1), Source: "6", PrimaryNeed: "N1"}
	err = s.UpdateFile(b.Context(), worker, id, func(f *casework.File) error {
		if err := f.Save(ep); err != nil {
			return err
		}
		for i := range n {
			if err := f.Save(&casework.Visit{EpisodeID: ep.ID, Date: ep.ReferralDate.AddDays(1 + i), Type: "cin", ChildSeen: true}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return id, ep.ID
}

// BenchmarkRecordEvent records one visit on a file that holds 50 to 100 events: lock, load, validate the whole
// file, write current and history rows and the audit event, commit. A fresh file is started (off the clock) every
// 50 writes so the file does not grow with b.N. It reports the median and 95th percentile as well as the mean.
func BenchmarkRecordEvent(b *testing.B) {
	eachBench(b, func(b *testing.B, s *Store) {
		var id, epID string
		var took []time.Duration
		i := 0
		for b.Loop() {
			if i%50 == 0 {
				b.StopTimer()
				id, epID = fileWithVisits(b, s, 50)
				b.StartTimer()
			}
			i++
			start := time.Now()
			err := s.UpdateFile(b.Context(), worker, id, func(f *casework.File) error {
				return f.Save(&casework.Visit{EpisodeID: epID, Date: casework.Today(s.Now()).AddDays(-(i % 50)), Type: "cin", ChildSeen: true})
			})
			if err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(start))
		}
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median-ms")
		b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
	})
}

// BenchmarkReadRecordWithHistory reads a child's file of 200 events (audited) and its full history.
func BenchmarkReadRecordWithHistory(b *testing.B) {
	eachBench(b, func(b *testing.B, s *Store) {
		id, _ := fileWithVisits(b, s, 198)
		for b.Loop() {
			f, err := s.File(b.Context(), worker, id)
			if err != nil {
				b.Fatal(err)
			}
			h, err := s.History(b.Context(), worker, id)
			if err != nil {
				b.Fatal(err)
			}
			if len(f.Records()) != 200 || len(h) != 200 {
				b.Fatalf("%d records, %d versions", len(f.Records()), len(h))
			}
		}
	})
}

// BenchmarkLoad100kEvents loads 100,000 records (1,000 children with 99 events each) in one batch.
func BenchmarkLoad100kEvents(b *testing.B) {
	eachBench(b, func(b *testing.B, s *Store) {
		round := 0
		for b.Loop() {
			b.StopTimer()
			files := make([]*casework.File, 1000)
			now := s.Now()
			for i := range files {
				f := casework.NewFile(now, nil)
				if err := f.Save(child(fmt.Sprintf("L%dC%d", round, i))); err != nil {
					b.Fatal(err)
				}
				ep := &casework.Episode{ReferralDate: d("2020-01-01"), Source: "6", PrimaryNeed: "N1"}
				recs := []casework.Record{ep}
				for j := range 98 {
					recs = append(recs, &casework.Visit{EpisodeID: ep.ID, Date: civil.MustParse("2020-01-02").AddDays(j * 7), Type: "cin"})
				}
				if err := f.Save(recs...); err != nil {
					b.Fatal(err)
				}
				files[i] = f
			}
			round++
			b.StartTimer()
			if err := s.LoadFiles(b.Context(), System, files); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(100000, "events/op")
	})
}
