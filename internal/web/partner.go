package web

import (
	"net/http"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/store"
)

// sharedLimit is how many shared children the list shows: a partner team's share is tens of children, not
// thousands.
const sharedLimit = 500

type sharedData struct {
	User     *store.User
	Children []store.SharedChild
	More     bool
	Limit    int
}

// sharedChildren lists the children the council shares with the partner's team.
func (s *Server) sharedChildren(w http.ResponseWriter, r *http.Request, u *store.User) error {
	children, more, err := s.store.SharedChildren(r.Context(), actorOf(u), 0, sharedLimit)
	if err != nil {
		return err
	}
	s.render(w, "shared.html", sharedData{User: u, Children: children, More: more, Limit: sharedLimit})
	return nil
}

type sharedChildData struct {
	User  *store.User
	Child store.SharedChild
}

// sharedChild shows what the partner's team may see of one child.
func (s *Server) sharedChild(w http.ResponseWriter, r *http.Request, u *store.User) error {
	c, err := s.store.SharedChildFor(r.Context(), actorOf(u), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.render(w, "shared-child.html", sharedChildData{User: u, Child: c})
	return nil
}

// describeSharing says in words on what basis the council shares a child.
func describeSharing(sh *casework.Sharing) string {
	return casework.Describe(casework.ListSharingBasis, sh.Basis)
}

// apiShared is a shared child as the API gives it.
type apiShared struct {
	ChildID     string `json:"child_id"`
	Given       string `json:"given"`
	Family      string `json:"family"`
	BirthDate   string `json:"birth_date"`
	Involvement string `json:"involvement,omitempty"`
	Since       string `json:"since,omitempty"`
	Worker      string `json:"worker,omitempty"`
	WorkerEmail string `json:"worker_email,omitempty"`
	Team        string `json:"team,omitempty"`
	Plan        string `json:"plan,omitempty"`
	PlanStart   string `json:"plan_start,omitempty"`
	NextReview  string `json:"next_review,omitempty"`
	Basis       string `json:"basis"`
	Scope       string `json:"scope"`
	SharedSince string `json:"shared_since"`
}

func sharedJSON(c store.SharedChild) apiShared {
	date := func(d civil.Date) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	return apiShared{ChildID: c.FileID, Given: c.Name.Given, Family: c.Name.Family, BirthDate: date(c.BirthDate),
		Involvement: c.Involvement, Since: date(c.Since), Worker: c.Worker, WorkerEmail: c.WorkerEmail, Team: c.Team,
		Plan: c.Plan, PlanStart: date(c.PlanStart), NextReview: date(c.NextReview), Basis: c.Sharing.Basis,
		Scope: c.Sharing.Scope, SharedSince: date(c.Sharing.Start)}
}

func (s *Server) apiSharedChildren(r *http.Request, u *store.User) (int, any, error) {
	return paged(r, func(offset, limit int) ([]store.SharedChild, bool, error) {
		return s.store.SharedChildren(r.Context(), actorOf(u), offset, limit)
	}, sharedJSON)
}

func (s *Server) apiSharedChild(r *http.Request, u *store.User) (int, any, error) {
	c, err := s.store.SharedChildFor(r.Context(), actorOf(u), r.PathValue("id"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, sharedJSON(c), nil
}
