package cin

import (
	"bytes"
	"io"
	"testing"

	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth/synthtest"
	"github.com/continuum-cs/continuum/internal/workday"
)

// BenchmarkExportCounty writes the 2025-26 census of the county (budget ≤ 2 s, issue 6).
func BenchmarkExportCounty(b *testing.B) {
	s := county(b)
	var children int
	var err error
	for b.Loop() {
		if children, err = Export(b.Context(), s, store.System, year, Source{LA: "825", Produced: now}, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(children), "children")
}

// BenchmarkValidateCounty checks the county's census against every rule (budget ≤ 1 s).
func BenchmarkValidateCounty(b *testing.B) {
	var buf bytes.Buffer
	if _, err := Export(b.Context(), county(b), store.System, year, Source{LA: "825", Produced: now}, &buf); err != nil {
		b.Fatal(err)
	}
	doc := buf.Bytes()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := Validate(bytes.NewReader(doc), workday.EnglandAndWales(), func(Finding) {}); err != nil {
			b.Fatal(err)
		}
	}
}

func county(b *testing.B) *store.Store { return synthtest.County(b, now) }
