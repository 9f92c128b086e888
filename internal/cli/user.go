package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"

	"github.com/continuum-cs/continuum/internal/password"
	"github.com/continuum-cs/continuum/internal/store"
)

func userCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	if len(args) > 0 && args[0] == "unlock" {
		return unlockUser(ctx, args[1:], stdout, getenv)
	}
	if len(args) > 0 && args[0] == "team" {
		return addTeam(ctx, args[1:], stdout, getenv)
	}
	if len(args) > 0 && args[0] == "leave" {
		return leaveUser(ctx, args[1:], stdout, getenv)
	}
	if len(args) == 0 || args[0] != "add" {
		return usageError{"user: want 'user add --email E --role R [--team T] [--registration SW123456] [--started DATE]', " +
			"'user leave --email E --on DATE', 'user team --name N --service S' or 'user unlock --email E'"}
	}
	var email, role, team, name, registration, started string
	var fte float64
	var agency bool
	define := func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the user's email address (required)")
		fs.StringVar(&role, "role", "", "the user's role (required)")
		fs.StringVar(&team, "team", "", "the name of the user's team")
		fs.StringVar(&name, "name", "", "the user's name")
		fs.StringVar(&registration, "registration", "", "a social worker's Social Work England number, such as SW123456")
		fs.StringVar(&started, "started", "", "the day they joined the workforce, YYYY-MM-DD (default: not known)")
		fs.Float64Var(&fte, "fte", 1, "full-time equivalent, from 0 to 1")
		fs.BoolVar(&agency, "agency", false, "engaged through an agency")
	}
	return withStore(ctx, "user add", args[1:], "sqlite:./continuum.db", getenv, define, func(_ Config, s *store.Store) error {
		if email == "" || role == "" {
			return usageError{"user add: --email and --role are required"}
		}
		if !slices.Contains(casework.Roles, role) {
			return usageError{fmt.Sprintf("user add: unknown role %q", role)}
		}
		u := store.User{Email: email, Role: role, Name: name, Registration: registration, FTE: fte, Agency: agency}
		if started != "" {
			var err error
			if u.Started, err = civil.Parse(started); err != nil {
				return usageError{"user add: --started: " + err.Error()}
			}
		}
		return addUser(ctx, s, stdout, u, team)
	})
}

// leaveUser records that a member of staff left: they can no longer sign in, and the workforce indicators stop
// counting them from that day.
func leaveUser(ctx context.Context, args []string, stdout io.Writer, getenv env) error {
	var email, on string
	define := func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the account's email address (required)")
		fs.StringVar(&on, "on", "", "the day they left, YYYY-MM-DD (required)")
	}
	return withStore(ctx, "user leave", args, "sqlite:./continuum.db", getenv, define, func(_ Config, s *store.Store) error {
		day, err := civil.Parse(on)
		if email == "" || err != nil {
			return usageError{"user leave: --email and --on YYYY-MM-DD are required"}
		}
		u, err := s.UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		if err := s.Leave(ctx, store.System, u.ID, day); err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s left on %s and can no longer sign in\n", u.Email, day)
		return err
	})
}

func addUser(ctx context.Context, s *store.Store, stdout io.Writer, u store.User, team string) error {
	if team != "" {
		t, err := s.TeamByName(ctx, team)
		if err != nil {
			return err
		}
		u.TeamID = t.ID
	}
	pw := password.Generate()
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	u, err = s.AddUser(ctx, store.System, u)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %s (%s)\npassword: %s\n", u.Email, u.Role, pw)
	return nil
}

// unlockUser forgets an account's failed sign-ins, so it can sign in again before its lock runs out.
func unlockUser(ctx context.Context, args []string, stdout io.Writer, getenv env) error {
	var email string
	define := func(fs *flag.FlagSet) { fs.StringVar(&email, "email", "", "the account's email address (required)") }
	return withStore(ctx, "user unlock", args, "sqlite:./continuum.db", getenv, define, func(_ Config, s *store.Store) error {
		if email == "" {
			return usageError{"user unlock: --email is required"}
		}
		if err := s.ClearSignInFailures(ctx, store.AccountKey(email)); err != nil {
			return err
		}
		if u, err := s.UserByEmail(ctx, email); err == nil {
			if err := s.Audit(ctx, store.AuditEvent{Actor: store.System.UserID, Action: store.ActionAdmin, RecordID: u.ID,
				Detail: "sign-in unlocked"}); err != nil {
				return err
			}
		}
		_, err := fmt.Fprintln(stdout, "unlocked: failed sign-ins to this account are forgotten")
		return err
	})
}

// addTeam adds a team for users to join: a partner agency's team (service partner), or a council team.
func addTeam(ctx context.Context, args []string, stdout io.Writer, getenv env) error {
	var name, service string
	define := func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "the team's name (required)")
		fs.StringVar(&service, "service", "", "the team's service: "+strings.Join(casework.TeamServices, ", ")+" (required)")
	}
	return withStore(ctx, "user team", args, "sqlite:./continuum.db", getenv, define, func(_ Config, s *store.Store) error {
		if name == "" || !slices.Contains(casework.TeamServices, service) {
			return usageError{"user team: --name and --service (one of " + strings.Join(casework.TeamServices, ", ") + ") are required"}
		}
		t, err := s.AddTeam(ctx, store.System, store.Team{Name: name, Service: service})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "team %s (%s)\n", t.Name, t.Service)
		return nil
	})
}
