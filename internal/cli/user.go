package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/continuum-cs/continuum/internal/password"
	"github.com/continuum-cs/continuum/internal/store"
)

func userCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{"user: want 'user add --email E --role R [--team T]'"}
	}
	var cfg Config
	var email, role, team, name string
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fill := flags(fs, &cfg, "sqlite:./continuum.db", getenv)
	fs.StringVar(&email, "email", "", "the user's email address (required)")
	fs.StringVar(&role, "role", "", "the user's role (required)")
	fs.StringVar(&team, "team", "", "the name of the user's team")
	fs.StringVar(&name, "name", "", "the user's name")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	fill()
	if email == "" || role == "" {
		return usageError{"user add: --email and --role are required"}
	}
	if !validRole(role) {
		return usageError{fmt.Sprintf("user add: unknown role %q", role)}
	}
	s, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	u := store.User{Email: email, Role: role, Name: name}
	if team != "" {
		t, err := s.TeamByName(ctx, team)
		if err != nil {
			return err
		}
		u.TeamID = t.ID
	}
	pw := password.Generate()
	if u.PasswordHash, err = password.Hash(pw); err != nil {
		return err
	}
	if u, err = s.AddUser(ctx, store.System, u); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %s (%s)\npassword: %s\n", u.Email, u.Role, pw)
	return nil
}
