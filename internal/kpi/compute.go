package kpi

import (
	"context"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
	"golang.org/x/sync/errgroup"
)

// PopulationSetting is the council setting that holds its population aged 0 to 17, the denominator of every rate
// per 10,000.
const PopulationSetting = "child_population"

// Reads are the record kinds the indicators are made from (the person's record is always read).
var Reads = []casework.Kind{casework.KindEpisode, casework.KindAssessment, casework.KindStrategy, casework.KindSection47,
	casework.KindConference, casework.KindCPPlan, casework.KindLegalStatus, casework.KindPlacement, casework.KindMissing,
	casework.KindCareLeaver, casework.KindEarlyHelp, casework.KindTransition}

// Compute works out every indicator for year y from the store: the files of the children with an episode of
// need, early help or a legal status under way in the year, or a care leaver's contact in it, each read audited as one report,
// and the workforce as its user accounts now stand.
func Compute(ctx context.Context, s *store.Store, actor store.Actor, y returns.Year, children int) ([]Value, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	council := Council{}
	for _, u := range users {
		if !u.Disabled {
			council.Staff = append(council.Staff, Staff{ID: u.ID, Role: u.Role, FTE: u.FTE, Agency: u.Agency})
		}
	}
	if council.Held, err = s.CasesHeld(ctx, y.End); err != nil {
		return nil, err
	}
	// In a year not yet over, what falls due after today is not yet late.
	to := y.End
	if today := casework.Today(s.Now()); today.Before(to) {
		to = today
	}
	k := NewCounter(y, children, cal, council)
	// The due items are counted while the children's files are read; only Values needs them.
	var due errgroup.Group
	due.Go(func() (err error) {
		k.council.Due, err = s.DueByStatus(ctx, y.Start, to)
		return err
	})
	scopes := []store.Scope{
		{Kind: casework.KindEpisode, From: y.Start, To: y.End},
		{Kind: casework.KindEarlyHelp, From: y.Start, To: y.End},
		{Kind: casework.KindLegalStatus, From: y.Start, To: y.End},
		{Kind: casework.KindCareLeaver, From: y.Start, To: y.End, Day: true},
	}
	err = s.EachChildIn(ctx, actor, "indicators "+y.String(), store.ByFile, scopes, Reads, func(f *casework.File) error {
		k.Observe(f)
		return nil
	})
	if derr := due.Wait(); err == nil {
		err = derr
	}
	return k.Values(), err
}
