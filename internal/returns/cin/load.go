package cin

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/workday"
)

// notInCensus stands for the names the census does not carry, until they are recorded from another source, and
// fromCensus for who authorised an assessment.
var notInCensus = casework.Name{Given: "Not known", Family: "Not known (from the CIN census)"}

const fromCensus = "not known (from the CIN census)"

// Import loads a census from another system as new children's files, all or nothing: every child is built
// through the domain's own checks first, and a child that fails them names its line; then all are stored in one
// transaction. It returns how many children it stored.
func Import(ctx context.Context, s *store.Store, actor store.Actor, r io.Reader) (int, error) {
	files, err := Files(ctx, s, r)
	if err != nil {
		return 0, err
	}
	if err := s.LoadFiles(ctx, actor, files); err != nil {
		return 0, fmt.Errorf("the census's children (file N is the Nth child in the census): %w", err)
	}
	return len(files), nil
}

// Files builds a new file for each child of a census from another system, in the census's order, without
// storing them: Import stores them, or another return adds to them first.
func Files(ctx context.Context, s *store.Store, r io.Reader) ([]*casework.File, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	var files []*casework.File
	var year returns.Year
	err = Read(r, func(h Header) error {
		year = h.year()
		return nil
	}, func(c *Child, line int) error {
		if year.End.IsZero() {
			return &ReadError{line, errNoYear}
		}
		f, err := fileOf(c, year, s.Now(), cal)
		if err != nil {
			return &ReadError{line, fmt.Errorf("child %q: %w", c.Identifiers.LAChildID, err)}
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// fileOf builds a child's file from their census record: the census's dates and codes as records, with the
// strategy discussion that began each enquiry (15 working days before its conference target) and the conferences
// each plan started at and was reviewed at.
func fileOf(c *Child, y returns.Year, now time.Time, cal *workday.Calendar) (*casework.File, error) {
	id := c.Identifiers
	person := &casework.Person{Role: casework.RoleChild, LAChildID: id.LAChildID, UPN: id.UPN, FormerUPN: id.FormerUPN,
		UPNUnknown: id.UPNUnknown, BirthDate: day(id.BirthDate), ExpectedBirthDate: day(id.ExpectedBirthDate),
		DeathDate: day(id.DeathDate), Sex: id.Sex, Ethnicity: c.Characteristics.Ethnicity,
		Disabilities: c.Characteristics.Disabilities, Name: notInCensus}
	f := casework.NewFile(now, nil)
	if err := f.Save(person); err != nil {
		return nil, err
	}
	var records []casework.Record
	add := func(r casework.Record) casework.Record {
		r.Base().ID = casework.NewID(now)
		records = append(records, r)
		return r
	}
	plansSoFar := 0
	for _, e := range c.Episodes {
		// The census reader lets these through so the validator can report them (8568, 8842Q); a file cannot be
		// built from them.
		if !e.NFA.valid() {
			return nil, fmt.Errorf("ReferralNFA of the referral of %s: %q is not 0 or 1", e.ReferralDate, e.NFA)
		}
		for _, p := range e.Plans {
			if p.Reviews != nil && slices.ContainsFunc(p.Reviews.Dates, civil.Date.IsZero) {
				return nil, fmt.Errorf("CPPreviewDate of the plan from %s: a review has no date", p.Start)
			}
		}
		ep := add(&casework.Episode{ReferralDate: e.ReferralDate, Source: e.Source, PrimaryNeed: e.PrimaryNeed,
			NFA: e.NFA.yes(), ClosureDate: day(e.ClosureDate), ClosureReason: e.ClosureReason}).(*casework.Episode)
		for _, a := range e.Assessments {
			as := &casework.Assessment{EpisodeID: ep.ID, Start: a.Start, Completed: day(a.Authorised), Authorised: day(a.Authorised)}
			if a.Authorised != nil {
				as.AuthorisedBy = fromCensus
			}
			if a.Factors != nil {
				as.Factors = a.Factors.Codes
			}
			add(as)
		}
		for _, p := range e.CINPlans {
			add(&casework.CINPlan{EpisodeID: ep.ID, Start: p.Start, End: day(p.End)})
		}
		// The conference each plan started at: the plan's category is what it decided.
		startsOn := map[civil.Date]string{}
		for _, p := range e.Plans {
			startsOn[p.Start] = p.InitialCategory
		}
		initial := map[civil.Date]string{} // date → conference ID
		conference := func(date civil.Date, s47 string) {
			category, plan := startsOn[date]
			c := add(&casework.Conference{EpisodeID: ep.ID, Type: casework.ConferenceInitial, Date: date, Section47ID: s47,
				PlanRequired: plan, Category: category})
			initial[date] = c.Base().ID
		}
		for _, s := range e.Section47s {
			held := day(s.Target)
			if !held.IsZero() {
				held, _ = cal.Add(held, -icpcWorkingDays)
			}
			if held.IsZero() || held.After(s.Start) {
				held = s.Start
			}
			sd := add(&casework.StrategyDiscussion{EpisodeID: ep.ID, Date: held})
			enquiry := &casework.Section47{EpisodeID: ep.ID, StrategyDiscussionID: sd.Base().ID, Start: s.Start}
			switch {
			case s.InitialCPC != nil:
				enquiry.End, enquiry.ConferenceRequired = s.Start, true
			case bool(s.ICPCNotNeeded):
				// The census says the enquiry ended in the year without a conference, not when: no earlier than
				// the year began.
				enquiry.End = s.Start
				if enquiry.End.Before(y.Start) {
					enquiry.End = y.Start
				}
			}
			add(enquiry)
			if s.InitialCPC != nil {
				conference(*s.InitialCPC, enquiry.ID)
			}
		}
		if e.InitialCPC != nil {
			conference(*e.InitialCPC, "")
		}
		for _, p := range e.Plans {
			// A plan that began before the census year began at a conference the census does not report.
			if _, ok := initial[p.Start]; !ok {
				conference(p.Start, "")
			}
			add(&casework.CPPlan{EpisodeID: ep.ID, ConferenceID: initial[p.Start], Start: p.Start, End: day(p.End),
				InitialCategory: p.InitialCategory, LatestCategory: p.LatestCategory, PriorPlans: max(0, p.PreviousPlans-plansSoFar)})
			plansSoFar++
			if p.Reviews != nil {
				for _, r := range p.Reviews.Dates {
					add(&casework.Conference{EpisodeID: ep.ID, Type: casework.ConferenceReview, Date: r, PlanRequired: true,
						Category: p.LatestCategory})
				}
			}
		}
	}
	if err := f.Save(records...); err != nil {
		return nil, err
	}
	return f, nil
}
