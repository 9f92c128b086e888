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
