package ssda903

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
)

// Issue is a finding in the council's own records, with the file to put it right in.
type Issue struct {
	Finding
	FileID string
}

// Check makes the return the store's records give for year y, in memory, and validates it all year round:
// against the last return kept for the year before when there is one. Errors come first.
func Check(ctx context.Context, s *store.Store, actor store.Actor, y returns.Year) ([]Issue, Summary, error) {
	r := &Return{}
	files := map[string]string{}
	err := eachChild(ctx, s, actor, "SSDA903 data quality "+y.String(), y, func(f *casework.File, c *Return) error {
		r.Append(c)
		files[f.Person().LAChildID] = f.Person().ID
		return nil
	})
	if err != nil {
		return nil, Summary{}, err
	}
	last, err := lastKept(ctx, s, actor, returns.YearOf(y.Start.AddDays(-1)))
	if err != nil {
		return nil, Summary{}, err
	}
	var issues []Issue
	sum := Validate(r, last, y, func(f Finding) { issues = append(issues, Issue{f, files[f.Child]}) })
	slices.SortStableFunc(issues, func(a, b Issue) int { return strings.Compare(string(a.Severity), string(b.Severity)) })
	return issues, sum, nil
}

// lastKept reads the newest SSDA903 return kept for year y, or nil when none was.
func lastKept(ctx context.Context, s *store.Store, actor store.Actor, y returns.Year) (*Return, error) {
	subs, err := s.Submissions(ctx)
	if err != nil {
		return nil, err
	}
	for _, sub := range subs {
		if sub.Return != "ssda903" || sub.Year != y.String() {
			continue
		}
		var body bytes.Buffer
		if _, err := s.SubmissionFile(ctx, actor, sub.ID, &body); err != nil {
			return nil, err
		}
		r, err := ReadZip(body.Bytes())
		if err != nil {
			return nil, fmt.Errorf("the %s return kept as %d: %w", y, sub.ID, err)
		}
		return r, nil
	}
	return nil, nil
}
