package store

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
)

// TestAccessPolicy checks the rules that depend on the file, on both databases: the relationship rule and
// break-glass with its review, then a restriction that hides the file from everyone it does not name, in every
// read and list, until it is lifted.
func TestAccessPolicy(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		user := func(email, role, team string) Actor {
			u, err := s.AddUser(ctx, System, User{Email: email, Name: email, Role: role, TeamID: team, FTE: 1})
			must(t, err)
			return Actor{UserID: u.ID, Role: role, TeamID: team}
		}
		team := func(name, service string) string {
			tm, err := s.AddTeam(ctx, System, Team{Name: name, Service: service})
			must(t, err)
			return tm.ID
		}
		cin, care, other, iros, front := team("CIN", "cin_cp"), team("Care", "looked_after"), team("CIN 2", "cin_cp"),
			team("IROs", "iro"), team("MASH", "front_door")
		swCIN, swCare, swOther := user("a@x.org", casework.RoleSocialWorker, cin), user("b@x.org", casework.RoleSocialWorker, care),
			user("c@x.org", casework.RoleSocialWorker, other)
		tmCIN, tmCare := user("m@x.org", casework.RoleTeamManager, cin), user("n@x.org", casework.RoleTeamManager, care)
		iro, fd := user("i@x.org", casework.RoleIRO, iros), user("f@x.org", casework.RoleFrontDoor, front)

		// Amy's case is held by the care team; her brother Ben's by nobody.
		amy := newChild(t, s, "ACC1")
		ep := openEpisode(t, s, amy, d("2026-01-05"))
		must(t, s.UpdateFile(ctx, System, amy, func(f *casework.File) error {
			return f.Allocate(ep, swCare.UserID, care, d("2026-01-05"), "FCONTA")
		}))
		ben, err := s.CreateFile(ctx, System, func(f *casework.File) error {
			p := child("ACC2")
			p.Name.Given = "Ben"
			return f.Save(p, &casework.Relationship{OtherID: amy, Type: "sibling"})
		})
		must(t, err)

		read := func(a Actor, id string) error { _, err := s.File(ctx, a, id); return err }
		for _, c := range []struct {
			name string
			a    Actor
			want error
		}{
			{"the allocated worker", swCare, nil},
			{"the front door", fd, nil},
			{"a worker in another service", swCIN, casework.ErrNoRelationship},
			{"a manager in another service", tmCIN, casework.ErrNoRelationship},
			{"an IRO while the child is not in care or on a plan", iro, casework.ErrNoRelationship},
		} {
			if err := read(c.a, amy); !errors.Is(err, c.want) && !(c.want == nil && err == nil) {
				t.Errorf("%s opening Amy: %v, want %v", c.name, err, c.want)
			}
		}
		if err := read(swCIN, ben); err != nil {
			t.Errorf("a child nobody holds: %v", err)
		}
		if _, _, err := s.FileWithFamily(ctx, swCIN, amy); !errors.Is(err, casework.ErrNoRelationship) {
			t.Errorf("the record page for an unrelated worker: %v", err)
		}
		if err := s.UpdateFile(ctx, swCIN, amy, func(f *casework.File) error { return nil }); !errors.Is(err, casework.ErrNoRelationship) {
			t.Errorf("an unrelated worker changing Amy's file: %v", err)
		}

		// Coming into care brings Amy within the IRO's reach.
		must(t, s.UpdateFile(ctx, System, amy, func(f *casework.File) error {
			return f.BecomeLookedAfter(&casework.LegalStatus{EpisodeID: ep, Code: "L2", Start: d("2026-02-01")},
				&casework.Placement{Type: "U6", Provider: "PR1", Postcode: "HP19 8FF", InArea: true, CarerID: "FC1"})
		}))
		if err := read(iro, amy); err != nil {
			t.Errorf("an IRO and a child in care: %v", err)
		}

		// Break-glass: a reason is required, it opens the file, it is audited, and the manager reviews it.
		if err := s.BreakGlass(ctx, swCIN, amy, "need it"); !errors.Is(err, casework.ErrInvalid) {
			t.Errorf("break-glass without a real reason: %v", err)
		}
		if err := s.BreakGlass(ctx, swCare, amy, "I already hold this case"); !errors.Is(err, casework.ErrInvalid) {
			t.Errorf("break-glass by the allocated worker: %v", err)
		}
		must(t, s.BreakGlass(ctx, swCIN, amy, "Police called the duty line about Amy tonight"))
		if err := read(swCIN, amy); err != nil {
			t.Errorf("after break-glass: %v", err)
		}
		if err := read(swOther, amy); !errors.Is(err, casework.ErrNoRelationship) {
			t.Errorf("someone else's break-glass opened the file for a colleague: %v", err)
		}
		events, err := s.FileAudit(ctx, amy, 10)
		must(t, err)
		if !slices.ContainsFunc(events, func(e AuditEvent) bool { return e.Action == ActionBreakGlass && e.Actor == swCIN.UserID }) {
			t.Error("break-glass is not in the audit trail")
		}
		uses, err := s.BreakGlassUses(ctx, cin, 10)
		must(t, err)
		if len(uses) != 1 || uses[0].FileID != amy || uses[0].Reason != "Police called the duty line about Amy tonight" {
			t.Fatalf("to review: %+v", uses)
		}
		if err := s.ReviewBreakGlass(ctx, tmCare, uses[0].ID, "fine"); !errors.Is(err, casework.ErrNotFound) {
			t.Errorf("a manager of another team reviewing: %v", err)
		}
		if err := s.ReviewBreakGlass(ctx, swCIN, uses[0].ID, "fine"); !errors.Is(err, casework.ErrForbidden) {
			t.Errorf("reviewing one's own: %v", err)
		}
		if err := s.ReviewBreakGlass(ctx, tmCIN, uses[0].ID, " "); !errors.Is(err, casework.ErrInvalid) {
			t.Errorf("a review with nothing found: %v", err)
		}
		must(t, s.ReviewBreakGlass(ctx, tmCIN, uses[0].ID, "Needed: out-of-hours call"))
		if err := s.ReviewBreakGlass(ctx, tmCIN, uses[0].ID, "again"); !errors.Is(err, casework.ErrConflict) {
			t.Errorf("a second review: %v", err)
		}
		if left, _ := s.BreakGlassUses(ctx, cin, 10); len(left) != 0 {
			t.Errorf("still to review after the review: %+v", left)
		}
		// It lasts a working day.
		s.now = func() time.Time { return time.Now().Add(breakGlassFor + time.Minute) }
		if err := read(swCIN, amy); !errors.Is(err, casework.ErrNoRelationship) {
			t.Errorf("break-glass a day later: %v", err)
		}
		s.now = time.Now

		// Shared with the health visitors to protect her, Amy is seen by them through the shared view only.
		hvTeam := team("Health visiting", "partner")
		hv := user("h@x.org", casework.RolePartner, hvTeam)
		if err := s.UpdateFile(ctx, swCare, amy, func(f *casework.File) error {
			return f.Save(&casework.Sharing{TeamID: care, Basis: casework.BasisConsent, ConsentBy: "parent",
				Scope: casework.ScopeInvolvement, Start: d("2026-02-02")})
		}); !errors.Is(err, casework.ErrInvalid) {
			t.Errorf("sharing with a council team: %v, want invalid", err)
		}
		must(t, s.UpdateFile(ctx, swCare, amy, func(f *casework.File) error {
			return f.Save(&casework.Sharing{TeamID: hvTeam, Basis: casework.BasisSafeguarding,
				Justification: "The health visitor attends the looked-after reviews", Scope: casework.ScopePlan, Start: d("2026-02-02")})
		}))
		shared := func(a Actor) (SharedChild, []SharedChild, error) {
			list, _, err := s.SharedChildren(ctx, a, 0, 10)
			must(t, err)
			one, err := s.SharedChildFor(ctx, a, amy)
			return one, list, err
		}
		one, list, err := shared(hv)
		if err != nil || len(list) != 1 || list[0].FileID != amy {
			t.Fatalf("the health visitors' shared children: %v %+v", err, list)
		}
		if one.Plan != "Care plan" || one.Worker != "b@x.org" || one.Team != "Care" || one.NextReview != d("2026-02-27") { // the first review, 20 working days into care
			t.Errorf("the health visitors' view of Amy: %+v", one)
		}
		if err := read(hv, amy); !errors.Is(err, casework.ErrForbidden) || casework.IsNoRelationship(err) {
			t.Errorf("a partner opening the file itself: %v, want refused outright", err)
		}
		if _, _, err := shared(swCIN); !errors.Is(err, casework.ErrNotFound) {
			t.Errorf("a team Amy is not shared with: %v", err)
		}

		// A restriction naming Amy's worker and manager hides her from everyone else, everywhere.
		restriction := &casework.Restriction{Grounds: "staff_relative", Named: []string{swCare.UserID, tmCare.UserID}, Start: d("2026-03-01")}
		must(t, s.UpdateFile(ctx, tmCare, amy, func(f *casework.File) error { return f.Save(restriction) }))
		visible := func(a Actor) map[string]bool {
			seen := map[string]bool{}
			found, _, err := s.FindChildren(ctx, a, "example", 0, 50)
			must(t, err)
			for _, p := range found {
				seen["search "+p.ID] = true
			}
			matches, err := s.MatchChildren(ctx, a, casework.MatchQuery{Given: "Amy", Family: "Example", BirthDate: d("2015-06-01")}, 10)
			must(t, err)
			for _, m := range matches {
				seen["match "+m.Person.ID] = true
			}
			_, fam, err := s.FileWithFamily(ctx, a, ben)
			must(t, err)
			for _, m := range fam.Members {
				seen["family "+m.Person.ID] = true
			}
			page, err := s.Queue(ctx, a, QueueScope{TeamID: care}, d("2027-01-01").In(time.UTC), 100)
			must(t, err)
			for _, q := range page.Items {
				seen["queue "+q.FileID] = true
			}
			hidden, err := s.Hidden(ctx, a, []string{amy, ben})
			must(t, err)
			if !hidden[amy] {
				seen["listed "+amy] = true
			}
			return seen
		}
		everywhere := []string{"search", "match", "family", "queue", "listed"}
		for _, a := range []Actor{swCare, tmCare, System} {
			seen := visible(a)
			for _, where := range everywhere {
				if !seen[where+" "+amy] {
					t.Errorf("%s named by the restriction does not see Amy in the %s", a.UserID, where)
				}
			}
			if err := read(a, amy); err != nil {
				t.Errorf("%s named by the restriction: %v", a.UserID, err)
			}
		}
		for _, a := range []Actor{fd, swCIN, iro, tmCIN} {
			seen := visible(a)
			for _, where := range everywhere {
				if seen[where+" "+amy] {
					t.Errorf("%s sees restricted Amy in the %s", a.Role, where)
				}
			}
			if !seen["search "+ben] {
				t.Errorf("%s no longer finds Ben, who is not restricted", a.Role)
			}
			if err := read(a, amy); !errors.Is(err, casework.ErrNotFound) {
				t.Errorf("%s opening restricted Amy: %v, want not found", a.Role, err)
			}
			if _, err := s.History(ctx, a, amy); !errors.Is(err, casework.ErrNotFound) {
				t.Errorf("%s reading restricted Amy's history: %v, want not found", a.Role, err)
			}
		}
		if err := s.BreakGlass(ctx, swCIN, amy, "Police called the duty line about Amy tonight"); !errors.Is(err, casework.ErrNotFound) {
			t.Errorf("break-glass into a restricted file: %v, want not found", err)
		}
		if _, list, err := shared(hv); !errors.Is(err, casework.ErrNotFound) || len(list) != 0 {
			t.Errorf("the health visitors and restricted Amy: %v, listed %d", err, len(list))
		}

		// Lifted, the file is as before.
		must(t, s.UpdateFile(ctx, tmCare, amy, func(f *casework.File) error {
			r, _ := f.Get(restriction.ID)
			lifted := *r.(*casework.Restriction)
			lifted.Lifted = d("2026-04-01")
			lifted.Base().Reason = "the member of staff has left"
			return f.Save(&lifted)
		}))
		if err := read(fd, amy); err != nil {
			t.Errorf("the front door after the restriction was lifted: %v", err)
		}
		if _, _, err := shared(hv); err != nil {
			t.Errorf("the health visitors after the restriction was lifted: %v", err)
		}
	})
}
