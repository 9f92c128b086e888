package store

import (
	"errors"
	"testing"

	"github.com/continuum-cs/continuum/internal/casework"
)

// TestPartnerReferrals sends a referral and takes it in on both databases: once only, and nothing of a refused
// take is kept.
func TestPartnerReferrals(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		hvTeam, err := s.AddTeam(ctx, System, Team{Name: "Health visiting", Service: "partner"})
		must(t, err)
		hvUser, err := s.AddUser(ctx, System, User{Email: "hv@x.org", Name: "HV", Role: casework.RolePartner, TeamID: hvTeam.ID, FTE: 1})
		must(t, err)
		hv := Actor{UserID: hvUser.ID, Role: casework.RolePartner, TeamID: hvTeam.ID}
		fdUser, err := s.AddUser(ctx, System, User{Email: "fd@x.org", Name: "FD", Role: casework.RoleFrontDoor, FTE: 1})
		must(t, err)
		fd := Actor{UserID: fdUser.ID, Role: casework.RoleFrontDoor}
		ref := casework.PartnerReferral{Given: "Ada", Family: "Pike", BirthDate: d("2020-01-02"), Sex: "F", Source: "3B",
			Concerns: "Not brought to appointments", ParentsAware: "yes", Phone: "01296 2", NHSNumber: "943 476 5919"}
		if _, err := s.SendReferral(ctx, hv, casework.PartnerReferral{Given: "Ada"}); !errors.Is(err, casework.ErrInvalid) {
			t.Errorf("an incomplete referral: %v", err)
		}
		id, err := s.SendReferral(ctx, hv, ref)
		must(t, err)
		waiting, err := s.ReferralsWaiting(ctx, fd, 10)
		must(t, err)
		if len(waiting) != 1 || waiting[0].Body.NHSNumber != "9434765919" || waiting[0].Team != "Health visiting" {
			t.Fatalf("waiting: %+v", waiting)
		}

		// A restricted child's file cannot be opened to take it in: nothing is kept.
		hidden := newChild(t, s, "REF1")
		must(t, s.UpdateFile(ctx, System, hidden, func(f *casework.File) error {
			return f.Save(&casework.Restriction{Grounds: "safety", Named: []string{"tm9"}, Start: d("2026-01-01")})
		}))
		if _, err := s.TakeReferral(ctx, fd, id, hidden, ""); !errors.Is(err, casework.ErrNotFound) {
			t.Errorf("taking in on a restricted file: %v", err)
		}
		if w, _ := s.ReferralsWaiting(ctx, fd, 10); len(w) != 1 {
			t.Errorf("a refused take changed the waiting list: %d", len(w))
		}

		if _, err := s.TakeReferral(ctx, fd, id, "", ""); !errors.Is(err, casework.ErrInvalid) {
			t.Errorf("taking in on neither a child nor a new one: %v", err)
		}
		fileID, err := s.TakeReferral(ctx, fd, id, "", "REF2")
		must(t, err)
		file, err := s.File(ctx, System, fileID)
		must(t, err)
		contacts := casework.All[*casework.Contact](file)
		if file.Person().NHSNumber != "9434765919" || file.Person().LAChildID != "REF2" || len(contacts) != 1 || contacts[0].Source != "3B" {
			t.Errorf("the new child's file: %+v, contacts %+v", file.Person(), contacts)
		}
		if _, err := s.TakeReferral(ctx, fd, id, fileID, ""); !errors.Is(err, casework.ErrConflict) {
			t.Errorf("taking in twice: %v", err)
		}
		sent, err := s.ReferralsSent(ctx, hv, 10)
		must(t, err)
		if len(sent) != 1 || sent[0].FileID != fileID || sent[0].TakenAt.IsZero() {
			t.Errorf("the partner's referrals: %+v", sent)
		}
	})
}
