package kpi_test

import (
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/kpi"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth/synthtest"
)

// BenchmarkCounty works out every indicator for 2025-26 on the synthetic county (CONTINUUM_BENCH_DB, or one made
// first).
func BenchmarkCounty(b *testing.B) {
	s := synthtest.County(b, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	y := returns.YearOf(civil.New(2025, time.April, 1))
	for b.Loop() {
		groups, err := kpi.Compute(b.Context(), s, store.System, y, kpi.Population{Council: 124000}, "")
		if err != nil {
			b.Fatal(err)
		}
		if groups[0].Values[0].Numerator == 0 {
			b.Fatal("no referrals")
		}
	}
}

// BenchmarkCountyTrend works out every indicator for each of the 24 rolling years that make a performance page's
// trend, by district.
func BenchmarkCountyTrend(b *testing.B) {
	s := synthtest.County(b, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	periods := kpi.Rolling(civil.New(2026, time.October, 31), 24)
	for b.Loop() {
		series, err := kpi.Series(b.Context(), s, store.System, periods, kpi.Population{Council: 124000}, kpi.ByDistrict)
		if err != nil {
			b.Fatal(err)
		}
		if series[23][0].Values[0].Numerator == 0 {
			b.Fatal("no referrals")
		}
	}
}
