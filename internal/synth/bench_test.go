package synth

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/store"
)

// Budgets (issue 3): a team's queue on county-scale data, p95 ≤ 20 ms; recomputing every due date after a rule
// change, ≤ 10 s. The council generated here has CONTINUUM_BENCH_CHILDREN children with case histories (40,000
// by default, about the files six years of a county's contacts leave); figures are in docs/PERFORMANCE.md.

var (
	benchOnce  sync.Once
	benchDir   string
	benchStore *store.Store
	benchNow   = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	benchErr   error
)

func countyStore(b *testing.B) *store.Store {
	benchOnce.Do(func() {
		children := 40000
		if v, err := strconv.Atoi(os.Getenv("CONTINUUM_BENCH_CHILDREN")); err == nil && v > 0 {
			children = v
		}
		ctx := context.Background()
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
		_, benchErr = Generate(ctx, benchStore, Options{Children: children, Seed: 7, Now: benchNow})
		b.Logf("generated %d children in %s", children, time.Since(start).Round(time.Second))
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

// BenchmarkTeamQueue reads the queue of the team holding the most open work, as its manager would.
func BenchmarkTeamQueue(b *testing.B) {
	s := countyStore(b)
	ctx := b.Context()
	loads, err := s.Caseloads(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	perTeam := map[string]int{}
	for _, l := range loads {
		perTeam[l.TeamID] += l.Cases
	}
	busiest, most := "", -1
	for team, n := range perTeam {
		if n > most {
			busiest, most = team, n
		}
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
	b.ReportMetric(float64(most), "team-cases")
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
