package web

import (
	"net/http"
	"slices"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/returns/cin"
	"github.com/continuum-cs/continuum/internal/returns/ssda903"
	"github.com/continuum-cs/continuum/internal/store"
)

// qualityShown bounds the findings a page lists: each child listed is audited, and a few hundred is a morning's
// work.
const qualityShown = 200

type qualityData struct {
	User    *store.User
	Year    string
	Return  string // "cin" or "ssda903"
	Returns []qualityReturn
	Errors  []casework.FieldError
	Summary struct{ Children, Errors, Queries int }
	Issues  []qualityIssue
	More    int
}

type qualityReturn struct{ Code, Name string }

// qualityReturns are the returns the page checks.
var qualityReturns = []qualityReturn{{"cin", "the CIN census"}, {"ssda903", "the SSDA903"}}

// qualityIssue is a finding of either return's rules.
type qualityIssue struct {
	Rule, Severity, Child, FileID, Field, Value, Message string
}

// quality lists what the CIN census or SSDA903 rules find in the council's own records for a collection year (by default
// the one under way), errors first, each with a link to the child's record to put it right.
func (s *Server) quality(w http.ResponseWriter, r *http.Request, u *store.User) error {
	data := qualityData{User: u, Year: r.URL.Query().Get("year"), Return: r.URL.Query().Get("return"), Returns: qualityReturns}
	if data.Year == "" {
		data.Year = returns.YearOf(casework.Today(s.store.Now())).String()
	}
	if data.Return == "" {
		data.Return = "cin"
	}
	y, err := returns.ParseYear(data.Year)
	if err != nil {
		data.Errors = append(data.Errors, casework.FieldError{Field: "year", Message: "Year must be a collection year, like 2025-26"})
	}
	if !slices.ContainsFunc(qualityReturns, func(q qualityReturn) bool { return q.Code == data.Return }) {
		data.Errors = append(data.Errors, casework.FieldError{Field: "return", Message: "Choose the CIN census or the SSDA903"})
	}
	if data.Errors != nil {
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, "quality.html", data)
		return nil
	}
	actor := actorOf(u)
	var issues []qualityIssue
	if data.Return == "cin" {
		found, sum, err := cin.Check(r.Context(), s.store, actor, y)
		if err != nil {
			return err
		}
		data.Summary.Children, data.Summary.Errors, data.Summary.Queries = sum.Children, sum.Errors, sum.Queries
		for _, f := range found {
			issues = append(issues, qualityIssue{f.Rule, string(f.Severity), f.Child, f.FileID, f.Field, f.Value, f.Message})
		}
	} else {
		found, sum, err := ssda903.Check(r.Context(), s.store, actor, y)
		if err != nil {
			return err
		}
		data.Summary.Children, data.Summary.Errors, data.Summary.Queries = sum.Children, sum.Errors, sum.Queries
		for _, f := range found {
			issues = append(issues, qualityIssue{f.Rule, string(f.Severity), f.Child, f.FileID, f.Field, f.Value, f.Message})
		}
	}
	ids := make([]string, len(issues))
	for i, is := range issues {
		ids[i] = is.FileID
	}
	hidden, err := s.store.Hidden(r.Context(), actor, ids)
	if err != nil {
		return err
	}
	issues = slices.DeleteFunc(issues, func(is qualityIssue) bool { return hidden[is.FileID] })
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
