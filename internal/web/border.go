package web

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/store"
)

type borderData struct {
	User          *store.User
	From, To      string
	Errors        []casework.FieldError
	Report        store.BorderReport
	Criteria      []criterion
	Policy        []casework.StepRule
	PolicyVersion int
	CanSetPolicy  bool
	Saved         bool
}

type criterion struct {
	Name  string
	Count int
}

// border shows the traffic between early help and social care over a period (by default the last 12 months)
// and the step policy in force.
func (s *Server) border(w http.ResponseWriter, r *http.Request, u *store.User) error {
	today := casework.Today(s.store.Now())
	q := r.URL.Query()
	data := borderData{User: u, From: q.Get("from"), To: q.Get("to"), Saved: q.Get("saved") == "1",
		CanSetPolicy: casework.Authorize(u.Role, casework.ActionSetStepPolicy) == nil}
	from, to := today.AddMonths(-12).AddDays(1), today
	if data.From != "" {
		d, err := civil.Parse(data.From)
		if err != nil {
			data.Errors = append(data.Errors, casework.FieldError{Field: "from", Message: "From must be a real date, like 2025-04-01"})
		}
		from = d
	}
	if data.To != "" {
		d, err := civil.Parse(data.To)
		if err != nil {
			data.Errors = append(data.Errors, casework.FieldError{Field: "to", Message: "To must be a real date, like 2026-03-31"})
		}
		to = d
	}
	if len(data.Errors) == 0 && to.Before(from) {
		data.Errors = append(data.Errors, casework.FieldError{Field: "to", Message: "To must be the same as or after from"})
	}
	data.From, data.To = from.String(), to.String()
	policy, version, err := s.store.StepPolicy(r.Context())
	if err != nil {
		return err
	}
	data.Policy, data.PolicyVersion = policy.Rules(), version
	if len(data.Errors) > 0 {
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, "border.html", data)
		return nil
	}
	if data.Report, err = s.store.Border(r.Context(), actorOf(u), from, to); err != nil {
		return err
	}
	for name, n := range data.Report.Criteria {
		data.Criteria = append(data.Criteria, criterion{name, n})
	}
	slices.SortFunc(data.Criteria, func(a, b criterion) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return cmp.Compare(a.Name, b.Name)
	})
	s.render(w, "border.html", data)
	return nil
}

// setStepPolicy records a new version of the step policy from the form's ticked rules, then shows the report
// page again (Post/Redirect/Get).
func (s *Server) setStepPolicy(w http.ResponseWriter, r *http.Request, u *store.User) error {
	if err := r.ParseForm(); err != nil {
		return casework.Invalid("form", "the form could not be read")
	}
	var policy casework.StepPolicy
	for _, rule := range policy.Rules() {
		if err := policy.Set(rule.Name, r.PostForm.Get(rule.Name) == "on"); err != nil {
			return err
		}
	}
	if _, err := s.store.SetStepPolicy(r.Context(), actorOf(u), policy); err != nil {
		return err
	}
	http.Redirect(w, r, "/border?saved=1", http.StatusSeeOther)
	return nil
}
