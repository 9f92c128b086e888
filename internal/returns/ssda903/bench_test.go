package ssda903

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth/synthtest"
)

// BenchmarkExportCounty writes the county's 2025-26 return as its eleven files (budget ≤ 2 s, issue 6).
func BenchmarkExportCounty(b *testing.B) {
	s := synthtest.County(b, now)
	dir := b.TempDir()
	var children int
	var err error
	for b.Loop() {
		if children, err = Export(b.Context(), s, store.System, year, dir); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(children), "children")
}

// BenchmarkValidateCounty reads the county's return back from its files and checks every rule.
func BenchmarkValidateCounty(b *testing.B) {
	dir := b.TempDir()
	if _, err := Export(b.Context(), synthtest.County(b, now), store.System, year, dir); err != nil {
		b.Fatal(err)
	}
	var size int64
	for _, t := range Tables {
		if st, err := os.Stat(filepath.Join(dir, t.File)); err == nil {
			size += st.Size()
		}
	}
	b.SetBytes(size)
	for b.Loop() {
		r, err := Read(dir)
		if err != nil {
			b.Fatal(err)
		}
		Validate(r, nil, year, func(Finding) {})
	}
}
