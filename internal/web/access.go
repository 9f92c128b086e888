package web

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
)

type breakGlassData struct {
	User   *store.User
	FileID string
	Reason string
	Errors []casework.FieldError
}

// breakGlass opens a child's file held outside the user's service, for the reason they give, and takes them to it.
func (s *Server) breakGlass(w http.ResponseWriter, r *http.Request, u *store.User) error {
	id, reason := r.PathValue("id"), r.PostFormValue("reason")
	err := s.store.BreakGlass(r.Context(), actorOf(u), id, reason)
	if verr, ok := errors.AsType[*casework.ValidationError](err); ok {
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, "break-glass.html", breakGlassData{User: u, FileID: id, Reason: reason, Errors: verr.Fields})
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/children/"+id, http.StatusSeeOther)
	return nil
}

// apiBreakGlass is breakGlass for the API: the body is {"reason": "..."}.
func (s *Server) apiBreakGlass(r *http.Request, u *store.User) (int, any, error) {
	reason, err := oneField(r, "reason", "why you need to open this record")
	if err != nil {
		return 0, nil, err
	}
	id := r.PathValue("id")
	if err := s.store.BreakGlass(r.Context(), actorOf(u), id, reason); err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]string{"child": "/api/v1/children/" + id,
		"detail": "Opened to you for 8 hours; your manager will review why."}, nil
}

// reviewBreakGlass records a manager's review of a break-glass opening by someone in their team.
func (s *Server) reviewBreakGlass(w http.ResponseWriter, r *http.Request, u *store.User) error {
	id := r.PathValue("id")
	err := s.store.ReviewBreakGlass(r.Context(), actorOf(u), id, r.PostFormValue("note"))
	if verr, ok := errors.AsType[*casework.ValidationError](err); ok {
		errs := slices.Clone(verr.Fields)
		for i := range errs {
			errs[i].Field += "-" + id // the page has a note for each opening
		}
		return s.teamPage(w, r, u, errs)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/team#break-glass", http.StatusSeeOther)
	return nil
}

// lookedAtShown is how many of the newest events the page lists.
const lookedAtShown = 200

// auditWords says what an audit event was, as a manager reads it.
var auditWords = map[string]string{
	store.ActionRead: "Opened the record", store.ActionHistory: "Read the history of changes",
	store.ActionList: "Saw the child in a list", store.ActionCreate: "Recorded", store.ActionChange: "Changed a record",
	store.ActionRetract: "Marked a record entered in error", store.ActionBreakGlass: "Opened the record with break-glass",
	store.ActionReviewAccess: "Reviewed a break-glass opening", store.ActionAudit: "Read who has looked at the record",
}

type lookedAtData struct {
	User   *store.User
	Person *casework.Person
	Events []lookedAt
}

type lookedAt struct {
	At                time.Time
	Who, What, Detail string
}

// lookedAtPage shows a manager who has opened, listed or changed a child's record, newest first.
func (s *Server) lookedAtPage(w http.ResponseWriter, r *http.Request, u *store.User) error {
	id := r.PathValue("id")
	person, events, err := s.store.LookedAt(r.Context(), actorOf(u), id, lookedAtShown)
	if err != nil {
		return err
	}
	if person.Role != casework.RoleChild {
		return casework.ErrNotFound
	}
	// Names of the few people in the events, not the whole staff list.
	names := map[string]string{store.System.UserID: "Continuum itself"}
	data := lookedAtData{User: u, Person: person}
	for _, e := range events {
		what := auditWords[e.Action]
		if what == "" {
			what = e.Action
		}
		who, ok := names[e.Actor]
		if !ok {
			who = e.Actor
			if su, err := s.store.UserByID(r.Context(), e.Actor); err == nil {
				who = su.Name + ", " + roleName(su.Role)
			} else if !errors.Is(err, casework.ErrNotFound) {
				return err
			}
			names[e.Actor] = who
		}
		data.Events = append(data.Events, lookedAt{At: e.At, Who: who, What: what, Detail: e.Detail})
	}
	s.render(w, "looked-at.html", data)
	return nil
}
