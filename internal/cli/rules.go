package cli

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/timescale"
)

// rulesCmd lists the timescale rules in force, or changes a local one (and derives every due item again).
func rulesCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	const want = "rules: want 'rules list' or 'rules set CODE AMOUNT UNIT'"
	if len(args) == 0 {
		return usageError{want}
	}
	switch args[0] {
	case "list":
		return withStore(ctx, "rules list", args[1:], "sqlite:./continuum.db", getenv, nil, func(_ Config, s *store.Store) error {
			rules, err := s.Rules(ctx)
			if err != nil {
				return err
			}
			for _, r := range rules.All() {
				kind := "statutory"
				if r.Local {
					kind = "local"
				}
				fmt.Fprintf(stdout, "%-6s v%-2d %-9s %-20s %s (from %s)\n", r.Code, r.Version, kind, r.Describe(), r.Title, r.ClockStart)
			}
			return nil
		})
	case "set":
		if len(args) < 4 {
			return usageError{want}
		}
		code, unit := args[1], timescale.Unit(args[3])
		amount, err := strconv.Atoi(args[2])
		if err != nil {
			return usageError{fmt.Sprintf("rules set: AMOUNT must be a whole number, not %q", args[2])}
		}
		return withStore(ctx, "rules set", args[4:], "sqlite:./continuum.db", getenv, nil, func(_ Config, s *store.Store) error {
			rule, err := s.SetLocalRule(ctx, store.System, code, amount, unit)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s is now %s (version %d); due items derived again\n", rule.Code, rule.Describe(), rule.Version)
			return nil
		})
	}
	return usageError{want}
}
