package web

import (
	"net/http"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
)

// queueLimit is how many items a work page lists; the counts above the list cover the rest.
const queueLimit = 200

type workData struct {
	User        *store.User
	Title       string
	Section     string // the navigation's section: /work or /team
	Page        store.QueuePage
	Caseloads   []store.Caseload
	Unallocated *store.QueuePage
	// BreakGlass lists the team's break-glass openings waiting for review; Errors are a review's that was refused,
	// against the field "note-" and the opening's ID.
	BreakGlass []store.BreakGlassUse
	Errors     []casework.FieldError
}

// myWork is the signed-in worker's own queue. The front door's work is what no worker holds yet: contacts
// waiting for a decision, with their priority windows.
func (s *Server) myWork(w http.ResponseWriter, r *http.Request, u *store.User) error {
	scope, title := store.QueueScope{WorkerID: u.ID}, "My work"
	if u.Role == casework.RoleFrontDoor {
		scope, title = store.QueueScope{Unallocated: true}, "Front door: work no one holds yet"
	}
	page, err := s.store.Queue(r.Context(), actorOf(u), scope,
		s.store.Now(), queueLimit)
	if err != nil {
		return err
	}
	s.render(w, "work.html", workData{User: u, Title: title, Section: "/work", Page: page})
	return nil
}

// teamWork is a team manager's view of the team: its queue, its caseloads and its unallocated work.
func (s *Server) teamWork(w http.ResponseWriter, r *http.Request, u *store.User) error {
	return s.teamPage(w, r, u, nil)
}

// teamPage renders the team's page, with the errors of a break-glass review that was refused.
func (s *Server) teamPage(w http.ResponseWriter, r *http.Request, u *store.User, errs []casework.FieldError) error {
	if u.TeamID == "" {
		return casework.Invalid("team", "you are not in a team; ask an administrator to add you to one")
	}
	actor, now := actorOf(u), s.store.Now()
	page, err := s.store.Queue(r.Context(), actor, store.QueueScope{TeamID: u.TeamID}, now, queueLimit)
	if err != nil {
		return err
	}
	unallocated, err := s.store.Queue(r.Context(), actor, store.QueueScope{TeamID: u.TeamID, Unallocated: true}, now, 1)
	if err != nil {
		return err
	}
	loads, err := s.store.Caseloads(r.Context(), u.TeamID)
	if err != nil {
		return err
	}
	data := workData{User: u, Title: "My team's work", Section: "/team", Page: page, Caseloads: loads,
		Unallocated: &unallocated, Errors: errs}
	if casework.Authorize(u.Role, casework.ActionReviewAccess) == nil {
		if data.BreakGlass, err = s.store.BreakGlassUses(r.Context(), u.TeamID, 100); err != nil {
			return err
		}
	}
	if errs != nil {
		w.WriteHeader(http.StatusBadRequest)
	}
	s.render(w, "work.html", data)
	return nil
}
