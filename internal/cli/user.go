package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/continuum-cs/continuum/internal/casework"

	"github.com/continuum-cs/continuum/internal/password"
	"github.com/continuum-cs/continuum/internal/store"
)

func userCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{"user: want 'user add --email E --role R [--team T] [--registration SW123456]'"}
	}
	var email, role, team, name, registration string
	define := func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the user's email address (required)")
		fs.StringVar(&role, "role", "", "the user's role (required)")
		fs.StringVar(&team, "team", "", "the name of the user's team")
		fs.StringVar(&name, "name", "", "the user's name")
		fs.StringVar(&registration, "registration", "", "a social worker's Social Work England number, such as SW123456")
	}
	return withStore(ctx, "user add", args[1:], "sqlite:./continuum.db", getenv, define, func(_ Config, s *store.Store) error {
		if email == "" || role == "" {
			return usageError{"user add: --email and --role are required"}
		}
		if !slices.Contains(casework.Roles, role) {
			return usageError{fmt.Sprintf("user add: unknown role %q", role)}
		}
		return addUser(ctx, s, stdout, store.User{Email: email, Role: role, Name: name, Registration: registration}, team)
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
