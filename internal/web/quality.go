package web

import (
	"net/http"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/returns/cin"
	"github.com/continuum-cs/continuum/internal/store"
)

// qualityShown bounds the findings a page lists: each child listed is audited, and a few hundred is a morning's
// work.
const qualityShown = 200

type qualityData struct {
	User    *store.User
	Year    string
	Errors  []casework.FieldError
	Summary cin.Summary
	Issues  []cin.Issue
	More    int
}

// quality lists what the CIN census rules find in the council's own records for a collection year (by default
// the one under way), errors first, each with a link to the child's record to put it right.
func (s *Server) quality(w http.ResponseWriter, r *http.Request, u *store.User) error {
	data := qualityData{User: u, Year: r.URL.Query().Get("year")}
	if data.Year == "" {
		data.Year = returns.YearOf(casework.Today(s.store.Now())).String()
	}
	y, err := returns.ParseYear(data.Year)
	if err != nil {
		data.Errors = []casework.FieldError{{Field: "year", Message: "Year must be a collection year, like 2025-26"}}
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, "quality.html", data)
		return nil
	}
	actor := store.Actor{UserID: u.ID, Role: u.Role}
	issues, sum, err := cin.Check(r.Context(), s.store, actor, y)
	if err != nil {
		return err
	}
	data.Summary = sum
	if len(issues) > qualityShown {
		data.More, issues = len(issues)-qualityShown, issues[:qualityShown]
	}
	data.Issues = issues
	// Each child listed is a read of their record.
	seen := map[string]bool{}
	var events []store.AuditEvent
	for _, is := range issues {
		if is.FileID != "" && !seen[is.FileID] {
			seen[is.FileID] = true
			events = append(events, store.AuditEvent{Actor: u.ID, Action: store.ActionList, FileID: is.FileID,
				Detail: "data quality " + y.String()})
		}
	}
	if err := s.store.Audit(r.Context(), events...); err != nil {
		return err
	}
	s.render(w, "quality.html", data)
	return nil
}
