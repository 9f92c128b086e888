package web

import (
	"fmt"
	"slices"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// alert is what a practitioner must know first on opening a record, in words; Level picks its colour (red for
// risk now, blue for status), which never carries the meaning alone.
type alert struct {
	Level, Text string
}

// recordSummary is a child's file as the record page shows it: alerts, then the episodes of need, plans, care
// and the latest visits, each newest first.
type recordSummary struct {
	Alerts     []alert
	Episodes   []*casework.Episode
	CINPlans   []*casework.CINPlan
	CPPlans    []*casework.CPPlan
	Statuses   []*casework.LegalStatus
	Placements []*casework.Placement
	Missing    []*casework.Missing
	Visits     []*casework.Visit // the latest recentVisits
}

// recentVisits is how many visits the record lists; the chronology has them all.
const recentVisits = 5

// summarise reads the summary from a file as it stands (or stood, for an "as at" view).
func summarise(f *casework.File) recordSummary {
	s := recordSummary{
		Episodes:   newestFirst(casework.All[*casework.Episode](f), func(e *casework.Episode) civil.Date { return e.ReferralDate }),
		CINPlans:   newestFirst(casework.All[*casework.CINPlan](f), func(p *casework.CINPlan) civil.Date { return p.Start }),
		CPPlans:    newestFirst(casework.All[*casework.CPPlan](f), func(p *casework.CPPlan) civil.Date { return p.Start }),
		Statuses:   newestFirst(casework.All[*casework.LegalStatus](f), func(l *casework.LegalStatus) civil.Date { return l.Start }),
		Placements: newestFirst(casework.All[*casework.Placement](f), func(p *casework.Placement) civil.Date { return p.Start }),
		Missing:    newestFirst(casework.All[*casework.Missing](f), func(m *casework.Missing) civil.Date { return m.Start }),
		Visits:     newestFirst(casework.All[*casework.Visit](f), func(v *casework.Visit) civil.Date { return v.Date }),
	}
	if len(s.Visits) > recentVisits {
		s.Visits = s.Visits[:recentVisits]
	}
	for _, m := range s.Missing {
		if m.End.IsZero() {
			s.Alerts = append(s.Alerts, alert{"red", fmt.Sprintf("Missing since %s (%s)", day(m.Start),
				casework.Describe(casework.ListMissing, m.Type))})
		}
	}
	for _, p := range s.CPPlans {
		if p.End.IsZero() {
			s.Alerts = append(s.Alerts, alert{"red", fmt.Sprintf("On a child protection plan since %s: %s", day(p.Start),
				casework.Describe(casework.ListAbuseCategory, p.LatestCategory))})
		}
	}
	for _, l := range s.Statuses {
		if l.End.IsZero() {
			s.Alerts = append(s.Alerts, alert{"blue", fmt.Sprintf("Looked after: %s since %s",
				casework.Describe(casework.ListLegalStatus, l.Code), day(l.Start))})
		}
	}
	for _, p := range s.CINPlans {
		if p.End.IsZero() {
			s.Alerts = append(s.Alerts, alert{"blue", "On a child in need plan since " + day(p.Start)})
		}
	}
	if len(s.Alerts) == 0 {
		for _, e := range s.Episodes {
			if e.Open() {
				s.Alerts = append(s.Alerts, alert{"blue", "Open to social care since the referral of " + day(e.ReferralDate)})
			}
		}
	}
	if named := casework.RestrictedTo(f); named != nil {
		s.Alerts = append(s.Alerts, alert{"blue", fmt.Sprintf("Restricted record: only %d named %s can find or open it",
			len(named), map[bool]string{true: "person", false: "people"}[len(named) == 1])})
	}
	return s
}

// newestFirst sorts records by a date, latest first.
func newestFirst[T any](rs []T, date func(T) civil.Date) []T {
	slices.SortStableFunc(rs, func(a, b T) int { return date(b).Compare(date(a)) })
	return rs
}

// day is a date as people read it in a table: Wed 4 Nov 2026.
func day(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.In(casework.London()).Format("Mon 2 Jan 2006")
}

// link is a labelled address.
type link struct{ Href, Text string }

// recordActions lists what the user may record on the file now: next, the steps the record is waiting for (a
// contact to decide, an assessment to authorise, an enquiry's outcome); then everything else that applies.
func recordActions(c *formCtx, role string) (next, more []link) {
	base := "/children/" + c.file.Person().ID + "/forms/"
	allowed := func(rf *recordForm) bool { return rf.action == "" || casework.Authorize(role, rf.action) == nil }
	waiting := undecided(c.file)
	for _, ct := range waiting {
		next = append(next, link{base + "threshold?contact_id=" + ct.ID, "Record the threshold decision on the " + describeRecord(ct)})
	}
	referred := map[string]bool{}
	for _, e := range casework.All[*casework.Episode](c.file) {
		referred[e.ContactID] = true
	}
	for _, ct := range casework.All[*casework.Contact](c.file) {
		if c.episode == nil && !referred[ct.ID] && !slices.Contains(waiting, ct) &&
			(ct.Outcome == casework.OutcomeAssessment || ct.Outcome == casework.OutcomeStrategy) {
			next = append(next, link{base + "referral?contact_id=" + ct.ID, "Record the referral from the " + describeRecord(ct)})
		}
	}
	conferenced := map[string]bool{}
	for _, cf := range casework.All[*casework.Conference](c.file) {
		conferenced[cf.Section47ID] = true
	}
	for _, s := range casework.All[*casework.Section47](c.file) {
		if s.ConferenceRequired && !conferenced[s.ID] && c.episode != nil && s.EpisodeID == c.episode.ID {
			next = append(next, link{base + "conference?type=initial&section47_id=" + s.ID, "Record the initial child protection conference"})
		}
	}
	for _, rf := range recordForms {
		if !allowed(rf) {
			continue
		}
		if rf.changes {
			for _, t := range rf.targets(c) {
				next = append(next, link{base + rf.Slug + "?record=" + t.Base().ID, rf.Title + ": " + describeRecord(t)})
			}
			continue
		}
		if rf.blocked(c) == "" {
			more = append(more, link{base + rf.Slug, rf.Title})
		}
	}
	return next, more
}

// correctionLink is where a record on the file is corrected, or "" when it is changed only through a step.
func correctionLink(fileID string, r casework.Record) string {
	if rf := correctionForm(r.Kind()); rf != nil {
		return "/children/" + fileID + "/forms/" + rf.Slug + "?record=" + r.Base().ID
	}
	return ""
}
