package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/password"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth"
)

// demoUsers are the accounts the demo prints, one per kind of job, taken from the synthetic organisation: the
// first team of each service ("" for staff in no team).
var demoUsers = []struct{ service, role string }{
	{"cin_cp", casework.RoleSocialWorker},
	{"cin_cp", casework.RoleTeamManager},
	{"front_door", casework.RoleFrontDoor},
	{"partner", casework.RolePartner},
	{"", casework.RoleLeader},
	{"", casework.RoleBoard},
	{"", casework.RoleAuditor},
}

func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	var scale string
	var seed uint64
	define := func(fs *flag.FlagSet) {
		fs.StringVar(&scale, "scale", "small", "size of the synthetic council: small or county")
		fs.Uint64Var(&seed, "seed", 1, "random seed; the same seed gives the same council")
	}
	return withStore(ctx, "demo", args, "sqlite:./continuum-demo.db", getenv, define, func(cfg Config, s *store.Store) error {
		sc, err := synth.ScaleNamed(scale)
		if err != nil || scale == "england" {
			return usageError{fmt.Sprintf("demo: unknown scale %q (small or county)", scale)}
		}
		return demo(ctx, cfg, s, sc, seed, stdout, stderr)
	})
}

// demo fills an empty database with a synthetic council, resets the demo accounts' passwords and serves.
func demo(ctx context.Context, cfg Config, s *store.Store, scale synth.Scale, seed uint64, stdout, stderr io.Writer) error {
	if err := s.Migrate(ctx); err != nil {
		return err
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		return err
	}
	if counts[casework.KindPerson] == 0 {
		fmt.Fprintf(stdout, "generating a synthetic council (%s, seed %d)…\n", scale.Name, seed)
		start := time.Now()
		if _, err := synth.Generate(ctx, s, synth.Options{Scale: scale, Years: 6, Seed: seed, Now: time.Now()}); err != nil {
			return fmt.Errorf("generate demo data: %w", err)
		}
		if counts, err = s.Counts(ctx); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "generated %d people and %d records in %s\n", counts[casework.KindPerson],
			total(counts), time.Since(start).Round(time.Millisecond))
	} else {
		fmt.Fprintf(stdout, "using the existing demo council in %s (%d people)\n", cfg.Database, counts[casework.KindPerson])
	}
	logins, err := demoPasswords(ctx, s)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, s, stdout, stderr, func(addr string) {
		fmt.Fprintf(stdout, "\nContinuum demo is running at http://%s/\nSign in with any of these (passwords are new each run):\n", addr)
		for _, l := range logins {
			fmt.Fprintf(stdout, "  %-16s %-60s %s\n", l[0], l[1], l[2])
		}
		fmt.Fprintln(stdout, "Press Ctrl+C to stop.")
	})
}

// demoPasswords gives the demo accounts fresh passwords and returns role, email and password for each.
func demoPasswords(ctx context.Context, s *store.Store) ([][3]string, error) {
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	teams, err := s.Teams(ctx)
	if err != nil {
		return nil, err
	}
	first := map[string]string{"": ""}
	for _, t := range teams {
		if _, seen := first[t.Service]; !seen {
			first[t.Service] = t.ID
		}
	}
	var out [][3]string
	for _, want := range demoUsers {
		for _, u := range users {
			if u.TeamID != first[want.service] || u.Role != want.role {
				continue
			}
			pw := password.Generate()
			hash, err := password.Hash(pw)
			if err != nil {
				return nil, err
			}
			if err := s.SetPassword(ctx, store.System, u.ID, hash); err != nil {
				return nil, err
			}
			out = append(out, [3]string{u.Role, u.Email, pw})
			break
		}
	}
	return out, nil
}

func total(counts map[casework.Kind]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}
