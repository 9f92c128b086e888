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
}

// myWork is the signed-in worker's own queue. The front door's work is what no worker holds yet: contacts
// waiting for a decision, with their priority windows.
func (s *Server) myWork(w http.ResponseWriter, r *http.Request, u *store.User) error {
	scope, title := store.QueueScope{WorkerID: u.ID}, "My work"
	if u.Role == casework.RoleFrontDoor {
		scope, title = store.QueueScope{Unallocated: true}, "Front door: work no one holds yet"
	}
	page, err := s.store.Queue(r.Context(), store.Actor{UserID: u.ID, Role: u.Role}, scope,
		s.store.Now(), queueLimit)
	if err != nil {
		return err
	}
	s.render(w, "work.html", workData{User: u, Title: title, Section: "/work", Page: page})
	return nil
}

// teamWork is a team manager's view of the team: its queue, its caseloads and its unallocated work.
func (s *Server) teamWork(w http.ResponseWriter, r *http.Request, u *store.User) error {
	if u.TeamID == "" {
		return casework.Invalid("team", "you are not in a team; ask an administrator to add you to one")
	}
	actor, now := store.Actor{UserID: u.ID, Role: u.Role}, s.store.Now()
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
	s.render(w, "work.html", workData{User: u, Title: "My team's work", Section: "/team", Page: page, Caseloads: loads, Unallocated: &unallocated})
	return nil
}
