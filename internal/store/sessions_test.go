package store

import (
	"errors"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
)

// TestSessions: a session lives while it is used within the idle limit and until its absolute expiry; being seen is
// written at most once a minute, so idle time counts from the last recorded minute.
func TestSessions(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			s, c := openWithClock(t, be.url(t))
			u, err := s.AddUser(t.Context(), System, User{Email: "s@example.org", Name: "S", Role: casework.RoleSocialWorker, FTE: 1})
			must(t, err)
			must(t, s.CreateSession(t.Context(), "token-1", u.ID, s.Now().Add(12*time.Hour)))
			seen := func() error { _, err := s.SessionUser(t.Context(), "token-1", 30*time.Minute); return err }
			must(t, seen())
			// 40 seconds on, seen again but not written down: 29m40s later the recorded idle passes 30 minutes.
			c.advance(40 * time.Second)
			must(t, seen())
			c.advance(29*time.Minute + 30*time.Second)
			if err := seen(); !errors.Is(err, casework.ErrNotFound) {
				t.Fatalf("after 30m10s since the last recorded sighting: %v, want expired", err)
			}
			// Used every 20 minutes, a session lasts until its absolute expiry (an hour here) and no longer.
			must(t, s.CreateSession(t.Context(), "token-1", u.ID, s.Now().Add(time.Hour)))
			for range 2 {
				c.advance(20 * time.Minute)
				must(t, seen())
			}
			c.advance(20 * time.Minute)
			if err := seen(); !errors.Is(err, casework.ErrNotFound) {
				t.Fatalf("past the absolute expiry: %v, want expired", err)
			}
			if _, err := s.SessionUser(t.Context(), "no-such-token", 30*time.Minute); !errors.Is(err, casework.ErrNotFound) {
				t.Errorf("unknown token: %v", err)
			}
			users, err := s.Users(t.Context())
			must(t, err)
			if len(users) != 1 || users[0].Email != "s@example.org" {
				t.Errorf("users: %+v", users)
			}
		})
	}
}

// TestSignInFailures: failures count per key within a window, a success's clearing forgets one key's only, and
// failures a day old are pruned.
func TestSignInFailures(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			s, c := openWithClock(t, be.url(t))
			account, address := AccountKey(" S@Example.org"), AddressKey("127.0.0.1")
			if account != "account:s@example.org" {
				t.Errorf("account key %q", account)
			}
			count := func(since time.Duration) map[string]int {
				n, err := s.SignInFailures(t.Context(), s.Now().Add(-since), account, address)
				must(t, err)
				return n
			}
			for range 3 {
				must(t, s.RecordSignInFailure(t.Context(), account, address))
				c.advance(time.Minute)
			}
			if n := count(15 * time.Minute); n[account] != 3 || n[address] != 3 {
				t.Errorf("after three: %v", n)
			}
			if n := count(150 * time.Second); n[account] != 2 {
				t.Errorf("in the last two and a half minutes: %v", n)
			}
			must(t, s.ClearSignInFailures(t.Context(), account))
			if n := count(time.Hour); n[account] != 0 || n[address] != 3 {
				t.Errorf("after clearing the account: %v", n)
			}
			c.advance(25 * time.Hour)
			must(t, s.RecordSignInFailure(t.Context(), account))
			if n := count(48 * time.Hour); n[account] != 1 || n[address] != 0 {
				t.Errorf("a day on, the old ones pruned: %v", n)
			}
		})
	}
}

// TestStaffStartAndLeave: a member of staff's start is kept; leaving records the day, stops their sign-in, is
// audited, and cannot come before the start.
func TestStaffStartAndLeave(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store) {
		ctx := t.Context()
		u, err := s.AddUser(ctx, System, User{Email: "leaver@example.org", Role: casework.RoleSocialWorker, FTE: 0.5,
			Agency: true, Started: d("2024-09-02")})
		must(t, err)
		if err := s.Leave(ctx, System, u.ID, d("2024-09-01")); !errors.Is(err, casework.ErrInvalid) {
			t.Errorf("leaving before starting: %v", err)
		}
		if err := s.Leave(ctx, System, "no-such-user", d("2025-01-01")); !errors.Is(err, casework.ErrNotFound) {
			t.Errorf("an unknown user leaving: %v", err)
		}
		must(t, s.Leave(ctx, System, u.ID, d("2026-01-30")))
		got, err := s.UserByID(ctx, u.ID)
		must(t, err)
		if got.Started != d("2024-09-02") || got.Left != d("2026-01-30") || !got.Disabled || !got.Agency || got.FTE != 0.5 {
			t.Errorf("after leaving: %+v", got)
		}
		if n := countWhere(t, s, "audit_events", "detail = 'user left on 2026-01-30'"); n != 1 {
			t.Errorf("%d audit events for the leaving", n)
		}
	})
}
