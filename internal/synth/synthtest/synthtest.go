// Package synthtest gives benchmarks a synthetic county council to run against.
package synthtest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth"
)

// County opens the council CONTINUUM_BENCH_DB names (made with continuum synth --scale county), or makes one as
// at now, which takes about a minute.
func County(tb testing.TB, now time.Time) *store.Store {
	ctx := context.Background()
	url := os.Getenv("CONTINUUM_BENCH_DB")
	if url == "" {
		url = "sqlite:" + filepath.Join(tb.TempDir(), "county.db")
	}
	s, err := store.Open(ctx, url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if os.Getenv("CONTINUUM_BENCH_DB") == "" {
		if err := s.Migrate(ctx); err != nil {
			tb.Fatal(err)
		}
		if _, err := synth.Generate(ctx, s, synth.Options{Scale: synth.Scales["county"], Years: 6, Seed: 1, Now: now}); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// Small makes a small synthetic council of the given years and seed as at now, in a database of the test's own
// whose clock stands at now: a second or two's work.
func Small(tb testing.TB, now time.Time, years int, seed uint64) *store.Store {
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(tb.TempDir(), "small.db"), store.WithClock(func() time.Time { return now }))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	if _, err := synth.Generate(ctx, s, synth.Options{Scale: synth.Scales["small"], Years: years, Seed: seed, Now: now}); err != nil {
		tb.Fatal(err)
	}
	return s
}
