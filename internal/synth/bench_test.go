package synth

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/store"
)

// Budgets: a team's queue on county-scale data, p95 ≤ 20 ms, and recomputing every due date after a rule change,
// ≤ 10 s (issue 3); generating the county, six years, into SQLite, ≤ 60 s (issue 5). The council is generated once
// at CONTINUUM_BENCH_SCALE (county by default), or CONTINUUM_BENCH_DB names one made with continuum synth;
// figures are in docs/PERFORMANCE.md.

var (
	benchOnce  sync.Once
	benchDir   string
	benchStore *store.Store
	benchNow   = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	benchErr   error
)

func countyStore(b *testing.B) *store.Store {
	benchOnce.Do(func() {
		scale := Scales["county"]
		if v, ok := Scales[os.Getenv("CONTINUUM_BENCH_SCALE")]; ok {
			scale = v
		}
		ctx := context.Background()
		if path := os.Getenv("CONTINUUM_BENCH_DB"); path != "" {
			// A council generated earlier with continuum synth, kept between runs.
			benchStore, benchErr = store.Open(ctx, path)
			return
		}
		if benchDir, benchErr = os.MkdirTemp("", "continuum-bench"); benchErr != nil {
			return
		}
		if benchStore, benchErr = store.Open(ctx, "sqlite:"+filepath.Join(benchDir, "county.db")); benchErr != nil {
			return
		}
		if benchErr = benchStore.Migrate(ctx); benchErr != nil {
			return
		}
		start := time.Now()
		var res Result
		res, benchErr = Generate(ctx, benchStore, Options{Scale: scale, Years: 6, Seed: 7, Now: benchNow})
		b.Logf("generated the %s council (%d children) in %s", scale.Name, res.Children, time.Since(start).Round(time.Second))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore
}

// TestMain removes the benchmarks' council, which runs to hundreds of megabytes, once they have run.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchStore != nil {
		benchStore.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// BenchmarkTeamQueue reads the queue of the team with the most work due this week, as its manager would.
func BenchmarkTeamQueue(b *testing.B) {
	s := countyStore(b)
	ctx := b.Context()
	teams, err := s.Teams(ctx)
	if err != nil {
		b.Fatal(err)
	}
	busiest, most := "", -1
	for _, t := range teams {
		q, err := s.Queue(ctx, store.System, store.QueueScope{TeamID: t.ID}, benchNow, 1)
		if err != nil {
			b.Fatal(err)
		}
		if n := q.Overdue + q.Today + q.ThisWeek; n > most {
			busiest, most = t.ID, n
		}
	}
	loads, err := s.Caseloads(ctx, busiest)
	if err != nil {
		b.Fatal(err)
	}
	cases := 0
	for _, l := range loads {
		cases += l.Cases
	}
	var took []time.Duration
	var items int
	for b.Loop() {
		start := time.Now()
		q, err := s.Queue(ctx, store.System, store.QueueScope{TeamID: busiest}, benchNow, 100)
		if err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		items = q.Overdue + q.Today + q.ThisWeek
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(items), "queued")
	b.ReportMetric(float64(cases), "team-cases")
}

// BenchmarkRecomputeDue derives every file's due items again, as after a change to a local rule.
func BenchmarkRecomputeDue(b *testing.B) {
	s := countyStore(b)
	var files int
	for b.Loop() {
		n, err := s.RecomputeDue(b.Context())
		if err != nil {
			b.Fatal(err)
		}
		files = n
	}
	b.ReportMetric(float64(files), "files")
}
