package web

import (
	"errors"
	"net/http"

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

// reviewBreakGlass records a manager's review of a break-glass opening by someone in their team.
func (s *Server) reviewBreakGlass(w http.ResponseWriter, r *http.Request, u *store.User) error {
	if err := s.store.ReviewBreakGlass(r.Context(), actorOf(u), r.PathValue("id"), r.PostFormValue("note")); err != nil {
		return err
	}
	http.Redirect(w, r, "/team#break-glass", http.StatusSeeOther)
	return nil
}
