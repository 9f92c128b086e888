package synth

import (
	"context"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/timescale"
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

// TestMain runs with the collector set as the continuum command sets it (cmd/continuum), unless GOGC is set, and
// removes the benchmarks' council, which runs to hundreds of megabytes, once they have run.
func TestMain(m *testing.M) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
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
	measureQueue(b, s, store.QueueScope{TeamID: busiest})
	b.ReportMetric(float64(cases), "team-cases")
}

// BenchmarkServiceQueue reads the queue of the whole child in need and protection service, every locality's
// units together: a head of service's view, and a team of any size.
func BenchmarkServiceQueue(b *testing.B) {
	measureQueue(b, countyStore(b), store.QueueScope{Service: "cin_cp"})
}

// measureQueue reads a queue's counts and its 100 most urgent items, as its page does, and reports the 95th
// percentile and how many items are due by the end of the week.
func measureQueue(b *testing.B, s *store.Store, scope store.QueueScope) {
	ctx := b.Context()
	var took []time.Duration
	var items int
	for b.Loop() {
		start := time.Now()
		q, err := s.Queue(ctx, store.System, scope, benchNow, 100)
		if err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		items = q.Overdue + q.Today + q.ThisWeek
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(items), "queued")
}

// BenchmarkRecomputeDue changes a local rule that touches most open cases — manager oversight (S1), every two
// months or every six weeks, turn about — and so derives every file's due items again under it, writing those
// that changed.
func BenchmarkRecomputeDue(b *testing.B) {
	s := countyStore(b)
	ctx := b.Context()
	before, err := s.Rules(ctx)
	if err != nil {
		b.Fatal(err)
	}
	was, _ := before.Rule("S1")
	defer s.SetLocalRule(context.Background(), store.System, "S1", was.Amount, was.Unit)
	six := true
	for b.Loop() {
		amount, unit := 2, timescale.Months
		if six {
			amount, unit = 6, timescale.Weeks
		}
		six = !six
		if _, err := s.SetLocalRule(ctx, store.System, "S1", amount, unit); err != nil {
			b.Fatal(err)
		}
	}
	files, err := s.RecomputeDue(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(files), "files")
}

// BenchmarkAuditTrail reads a page of the auditor's view of the trail: the newest events, one person's, one
// day's, and the search that reads furthest, for an action that never happened.
func BenchmarkAuditTrail(b *testing.B) {
	s := countyStore(b)
	ctx := b.Context()
	newest, _, err := s.AuditTrail(ctx, store.System, store.TrailQuery{Limit: 1})
	if err != nil || len(newest) == 0 {
		b.Fatal("no audit trail to read", err)
	}
	day := casework.Today(newest[0].At).AddDays(-400)
	for _, c := range []struct {
		name string
		q    store.TrailQuery
	}{
		{"newest", store.TrailQuery{}},
		{"person", store.TrailQuery{UserID: newest[0].Actor}},
		{"day", store.TrailQuery{From: day, To: day}},
		{"absent-action", store.TrailQuery{Action: store.ActionBreakGlass}},
	} {
		b.Run(c.name, func(b *testing.B) {
			c.q.Limit = 100
			for b.Loop() {
				if _, _, err := s.AuditTrail(ctx, store.System, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
