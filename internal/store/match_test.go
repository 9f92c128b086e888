package store

import (
	"testing"

	"github.com/continuum-cs/continuum/internal/casework"
)

func TestMatchChildren(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		liz := child("MATCH1")
		liz.NHSNumber, liz.Name = "9434765919", casework.Name{Given: "Elizabeth", Family: "Smith-Jones"}
		liz.FormerNames, liz.BirthDate = []casework.Name{{Given: "Elizabeth", Family: "Brown"}}, d("2015-03-07")
		other := child("MATCH2")
		other.Name, other.BirthDate = casework.Name{Given: "John", Family: "Smith"}, d("2016-01-01")
		var lizID string
		for _, p := range []*casework.Person{liz, other} {
			id, err := s.CreateFile(ctx, worker, func(f *casework.File) error { return f.Save(p) })
			must(t, err)
			if p == liz {
				lizID = id
			}
		}
		for _, c := range []struct {
			name string
			q    casework.MatchQuery
			want string // the first match's LA child ID, or "" for none
		}{
			{"NHS number", casework.MatchQuery{NHSNumber: "943 476 5919"}, "MATCH1"},
			{"nickname, hyphen part, swapped day and month", casework.MatchQuery{Given: "Liz", Family: "Smith", BirthDate: d("2015-07-03")}, "MATCH1"},
			{"former surname", casework.MatchQuery{Given: "Beth", Family: "Brown", BirthDate: d("2015-03-07")}, "MATCH1"},
			{"nobody", casework.MatchQuery{Given: "Zed", Family: "Nobody", BirthDate: d("2010-10-10")}, ""},
		} {
			got, err := s.MatchChildren(ctx, worker, c.q, 10)
			must(t, err)
			switch {
			case c.want == "" && len(got) > 0:
				t.Errorf("%s: matched %s (%d)", c.name, got[0].Person.LAChildID, got[0].Score)
			case c.want != "" && (len(got) == 0 || got[0].Person.LAChildID != c.want):
				t.Errorf("%s: got %+v, want %s first", c.name, got, c.want)
			}
		}
		if _, err := s.MatchChildren(ctx, worker, casework.MatchQuery{Given: "Liz"}, 10); err == nil {
			t.Error("a first name alone was accepted as a search")
		}
		events, err := s.FileAudit(ctx, lizID, 50)
		must(t, err)
		listed := 0
		for _, e := range events {
			if e.Action == ActionList && e.Detail == "front door match" {
				listed++
			}
		}
		if listed != 3 {
			t.Errorf("the matched child was listed %d times in the audit, want 3", listed)
		}
	})
}

// TestNextLAChildID numbers new children after the highest of their prefix, ignoring other shapes of ID.
func TestNextLAChildID(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		next := func() string {
			id, err := s.NextLAChildID(t.Context(), "C", 8)
			must(t, err)
			return id
		}
		if got := next(); got != "C00000001" {
			t.Errorf("first: %s", got)
		}
		for _, id := range []string{"C00000041", "C00000007", "BC0000099", "C123", "D00000500"} {
			newChild(t, s, id)
		}
		if got := next(); got != "C00000042" {
			t.Errorf("after C00000041: %s", got)
		}
	})
}
