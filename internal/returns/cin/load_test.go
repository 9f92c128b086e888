package cin

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth"
)

func emptyStore(t *testing.T, name string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), name), store.WithClock(func() time.Time { return now }))
	must(t, err)
	t.Cleanup(func() { s.Close() })
	must(t, s.Migrate(context.Background()))
	return s
}

func exported(t *testing.T, s *store.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	_, err := Export(context.Background(), s, store.System, year, Source{LA: "825", Software: "Continuum", Release: "test", Produced: now}, &buf)
	must(t, err)
	return buf.Bytes()
}

// TestImportRoundTrip: a census exported, imported into an empty council and exported again is the same file.
func TestImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	from := emptyStore(t, "from.db")
	_, err := synth.Generate(ctx, from, synth.Options{Scale: synth.Scales["small"], Years: 3, Seed: 5, Now: now})
	must(t, err)
	first := exported(t, from)
	to := emptyStore(t, "to.db")
	n, err := Import(ctx, to, store.System, bytes.NewReader(first))
	must(t, err)
	if n < 100 {
		t.Fatalf("imported %d children", n)
	}
	if again := exported(t, to); !bytes.Equal(first, again) {
		a, b := strings.Split(string(first), "\n"), strings.Split(string(again), "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("line %d differs after the round trip:\n%s\n%s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("the round trip changed the length: %d lines, then %d", len(a), len(b))
	}
	check, err := to.VerifyAudit(ctx)
	must(t, err)
	if check.BrokenAt != 0 {
		t.Errorf("audit after import: %+v", check)
	}
}

// TestImportIsAllOrNothing: a census with one bad child stores nothing, and says which child on which line; so
// does importing children already held.
func TestImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := emptyStore(t, "council.db")
	bad := goodChild()
	bad.Identifiers.LAChildID, bad.Identifiers.UPN = "BAD2", ""
	bad.Episodes[0].Assessments[0].Start = bad.Episodes[0].ReferralDate.AddDays(-400)
	third := goodChild()
	third.Identifiers.LAChildID, third.Identifiers.UPN = "GOOD3", ""
	doc := census(t, goodChild(), bad, third)
	_, err := Import(ctx, s, store.System, bytes.NewReader(doc))
	var re *ReadError
	if !errors.As(err, &re) || re.Line < 20 || !strings.Contains(err.Error(), `child "BAD2"`) {
		t.Fatalf("a bad child: %v", err)
	}
	// What the validator reports rather than refusing to read, the importer refuses, naming the field.
	for field, spoil := range map[string]func(c *Child){
		"ReferralNFA":   func(c *Child) { c.Episodes[0].NFA = "maybe" },
		"CPPreviewDate": func(c *Child) { c.Episodes[0].Plans[0].Reviews.Dates[0] = civil.Date{} },
	} {
		c := goodChild()
		spoil(c)
		if _, err := Import(ctx, s, store.System, bytes.NewReader(census(t, goodChild(), c))); err == nil ||
			!strings.Contains(err.Error(), field) {
			t.Errorf("a child with a bad %s: %v", field, err)
		}
	}
	counts, err := s.Counts(ctx)
	must(t, err)
	if len(counts) != 0 {
		t.Fatalf("a failed import stored %v", counts)
	}
	good := census(t, goodChild())
	_, err = Import(ctx, s, store.System, bytes.NewReader(good))
	must(t, err)
	if _, err := Import(ctx, s, store.System, bytes.NewReader(good)); err == nil || !strings.Contains(err.Error(), "already used") {
		t.Fatalf("importing a child already held: %v", err)
	}
}
