package casework

import (
	"fmt"

	"github.com/continuum-cs/continuum/internal/civil"
)

// The commands below are the changes that touch more than one record. Each is one Save, so it applies completely
// or not at all.

// current returns a copy of the current record id of type T, ready to be changed, with the reason set.
func current[T Record](f *File, id, reason string) (T, error) {
	var zero T
	r, ok := f.byID[id]
	t, isT := r.(T)
	if !ok || !isT {
		return zero, fmt.Errorf("%s: %w", id, ErrNotFound)
	}
	c := Clone(t)
	c.Base().Reason = reason
	return c, nil
}

// Clone copies a record so a command can change it without touching the file's copy until Save accepts it.
func Clone[T Record](r T) T {
	c, err := NewRecord(r.Kind())
	if err != nil {
		panic(err)
	}
	copyRecord(c, r)
	return c.(T)
}

// BecomeLookedAfter starts a period of care: a legal status and a placement from the same day.
func (f *File) BecomeLookedAfter(ls *LegalStatus, pl *Placement) error {
	if !pl.Start.IsZero() && pl.Start != ls.Start {
		return Invalid("placement.start", "must be the day the child became looked after (%s)", ls.Start)
	}
	pl.Start, pl.EpisodeID = ls.Start, ls.EpisodeID
	return f.Save(ls, pl)
}

// ChangePlacement ends the current placement on the day the child moves, with the reason, and starts the next.
func (f *File) ChangePlacement(currentID string, version int, reason string, next *Placement) error {
	old, err := current[*Placement](f, currentID, "placement changed")
	if err != nil {
		return err
	}
	if !old.End.IsZero() {
		return Invalid("placement", "the placement from %s has already ended", old.Start)
	}
	old.Version, old.End, old.ChangeReason = version, next.Start, reason
	next.EpisodeID = old.EpisodeID
	return f.Save(old, next)
}

// ChangeLegalStatus ends the current legal status and starts the next on the same day.
func (f *File) ChangeLegalStatus(currentID string, version int, next *LegalStatus) error {
	old, err := current[*LegalStatus](f, currentID, "legal status changed")
	if err != nil {
		return err
	}
	if !old.End.IsZero() {
		return Invalid("legal_status", "the legal status from %s has already ended", old.Start)
	}
	old.Version, old.End = version, next.Start
	next.EpisodeID = old.EpisodeID
	return f.Save(old, next)
}

// CeaseCare ends the period of care: the current legal status (with the reason care ceased) and the current
// placement end on the same day.
func (f *File) CeaseCare(date civil.Date, reasonCeased string) error {
	var changes []Record
	for _, ls := range All[*LegalStatus](f) {
		if ls.End.IsZero() {
			c := Clone(ls)
			c.End, c.CeasedReason, c.Reason = date, reasonCeased, "care ceased"
			changes = append(changes, c)
		}
	}
	for _, pl := range All[*Placement](f) {
		if pl.End.IsZero() {
			c := Clone(pl)
			c.End, c.Reason = date, "care ceased"
			changes = append(changes, c)
		}
	}
	if len(changes) == 0 {
		return Invalid("date", "the child is not looked after")
	}
	return f.Save(changes...)
}

// CloseEpisode closes an episode of need with a CIN closure reason, ending on the same day anything of the
// episode still open (plans, allocation).
func (f *File) CloseEpisode(episodeID string, version int, date civil.Date, reason string) error {
	ep, err := current[*Episode](f, episodeID, "episode closed")
	if err != nil {
		return err
	}
	if !ep.Open() {
		return Invalid("closure_date", "the episode is already closed (on %s)", ep.ClosureDate)
	}
	ep.Version, ep.ClosureDate, ep.ClosureReason = version, date, reason
	changes := []Record{ep}
	for _, r := range f.records {
		if !endsWithCase(r, episodeID) {
			continue
		}
		c := Clone(r)
		c.Base().Reason = "episode closed"
		switch v := c.(type) {
		case *CINPlan:
			v.End = date
		case *CPPlan:
			v.End = date
		case *Allocation:
			v.End = date
		}
		changes = append(changes, c)
	}
	return f.Save(changes...)
}

// endsWithCase reports whether r is an open plan or allocation of the case that closing the case should end.
func endsWithCase(r Record, caseID string) bool {
	switch v := r.(type) {
	case *CINPlan:
		return v.EpisodeID == caseID && v.End.IsZero()
	case *CPPlan:
		return v.EpisodeID == caseID && v.End.IsZero()
	case *Allocation:
		return v.CaseID == caseID && v.End.IsZero()
	}
	return false
}

// Allocate gives a case to a worker and team from a date, ending the current allocation that day, so the history
// of who held the case is kept. why is the SSDA903 reason for a change of worker, when known.
func (f *File) Allocate(caseID, workerID, teamID string, from civil.Date, why string) error {
	changes := []Record{}
	for _, a := range All[*Allocation](f) {
		if a.CaseID == caseID && a.End.IsZero() {
			c := Clone(a)
			c.End, c.Reason = from, "reallocated"
			changes = append(changes, c)
		}
	}
	changes = append(changes, &Allocation{CaseID: caseID, WorkerID: workerID, TeamID: teamID, Start: from, WorkerChange: why})
	return f.Save(changes...)
}

// CurrentAllocation returns the open allocation of a case, if any.
func (f *File) CurrentAllocation(caseID string) (*Allocation, bool) {
	for _, a := range All[*Allocation](f) {
		if a.CaseID == caseID && a.End.IsZero() {
			return a, true
		}
	}
	return nil, false
}

// Holder is who holds the child's open case: the worker and team allocated to it (the episode of need before
// early help). Both are empty when the case is unallocated or none is open.
func (f *File) Holder() (workerID, teamID string) {
	if ep, open := f.OpenEpisode(); open {
		if a, ok := f.CurrentAllocation(ep.ID); ok {
			return a.WorkerID, a.TeamID
		}
	}
	for _, eh := range All[*EarlyHelp](f) {
		if a, ok := f.CurrentAllocation(eh.ID); ok && eh.End.IsZero() {
			return a.WorkerID, a.TeamID
		}
	}
	return "", ""
}

// OpenEpisode returns the child's open episode of need, if any.
func (f *File) OpenEpisode() (*Episode, bool) {
	for _, e := range All[*Episode](f) {
		if e.Open() {
			return e, true
		}
	}
	return nil, false
}

// DecideContact records the threshold decision on a contact and routes it: the contact's outcome is set, and
// when the outcome is an assessment or a strategy discussion, a referral opens an episode of need on the day of
// the decision, whose timescales (R2, R3) start from it. The outcome must fit the decision: social care outcomes
// need social care to own the work, early help needs early help to own it, and no further action or advice is
// for needs below level 3. primaryNeed (a CIN census need code) is needed for a referral. It returns the episode
// opened, if any.
func (f *File) DecideContact(contactID string, version int, d *ThresholdDecision, outcome, primaryNeed string) (*Episode, error) {
	c, err := current[*Contact](f, contactID, "threshold decision: "+outcome)
	if err != nil {
		return nil, err
	}
	switch outcome {
	case OutcomeAssessment, OutcomeStrategy:
		if d.Service != ServiceSocialCare {
			return nil, Invalid("outcome", "%s needs social care to own the work; the decision gives it to %q", outcome, d.Service)
		}
	case OutcomeEarlyHelp:
		if d.Service != ServiceEarlyHelp {
			return nil, Invalid("outcome", "early help needs early help to own the work; the decision gives it to %q", d.Service)
		}
	case OutcomeNFA, OutcomeAdvice:
		if d.Level >= 3 {
			return nil, Invalid("outcome", "level %d needs a service: choose early help, an assessment or a strategy discussion", d.Level)
		}
	default:
		return nil, Invalid("outcome", "%q is not one of %v", outcome,
			[]string{OutcomeNFA, OutcomeAdvice, OutcomeEarlyHelp, OutcomeAssessment, OutcomeStrategy})
	}
	c.Version, c.Outcome = version, outcome
	d.ContactID = contactID
	changes := []Record{c, d}
	var ep *Episode
	if outcome == OutcomeAssessment || outcome == OutcomeStrategy {
		ep = &Episode{ContactID: contactID, ReferralDate: civil.Of(d.DecidedAt.In(london)), Source: c.Source,
			PrimaryNeed: primaryNeed}
		changes = append(changes, ep)
	}
	return ep, f.Save(changes...)
}
