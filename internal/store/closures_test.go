package store

import (
	"errors"
	"testing"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/workday"
)

func TestClosureDays(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		admin := Actor{UserID: "admin1", Role: casework.RoleAdmin}
		must(t, s.AddClosure(ctx, admin, workday.Closure{Date: d("2025-12-24"), Name: "Christmas Eve"}))
		for _, bad := range []workday.Closure{
			{Date: d("2025-12-24"), Name: "again"},
			{Date: d("2025-12-25"), Name: "Christmas"},
			{Date: d("2025-12-27"), Name: "a Saturday"},
			{Date: d("2025-12-29"), Name: " "},
		} {
			if err := s.AddClosure(ctx, admin, bad); !errors.Is(err, casework.ErrInvalid) {
				t.Errorf("closure %s %q: got %v, want invalid", bad.Date, bad.Name, err)
			}
		}
		cal, err := s.Calendar(ctx)
		must(t, err)
		if got, _ := cal.Add(d("2025-12-23"), 1); got != d("2025-12-29") {
			t.Errorf("with the closure, 23 December + 1 = %s", got)
		}
		must(t, s.WithdrawClosure(ctx, admin, d("2025-12-24")))
		if err := s.WithdrawClosure(ctx, admin, d("2025-12-24")); !errors.Is(err, casework.ErrNotFound) {
			t.Errorf("withdrawing twice: %v", err)
		}
		closures, err := s.Closures(ctx)
		must(t, err)
		if len(closures) != 0 {
			t.Errorf("after withdrawal: %v", closures)
		}
		must(t, s.AddClosure(ctx, admin, workday.Closure{Date: d("2025-12-24"), Name: "Christmas Eve (reinstated)"}))
		closures, err = s.Closures(ctx)
		must(t, err)
		if len(closures) != 1 || closures[0].Name != "Christmas Eve (reinstated)" {
			t.Errorf("after reinstating: %v", closures)
		}
		c, err := s.VerifyAudit(ctx)
		must(t, err)
		if c.BrokenAt != 0 || c.Events != 3 {
			t.Errorf("audit after closures: %+v, want 3 intact events", c)
		}
	})
}
