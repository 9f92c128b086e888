package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/continuum-cs/continuum/internal/store"
)

// stepPolicyCmd shows the council's step-up and step-down policy, or turns one of its rules on or off.
func stepPolicyCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	const want = "step-policy: want 'step-policy show' or 'step-policy set RULE on|off'"
	show := func(s *store.Store) error {
		p, version, err := s.StepPolicy(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "step policy version %d\n", version)
		for _, r := range p.Rules() {
			state := "off"
			if r.On {
				state = "on"
			}
			fmt.Fprintf(stdout, "%-3s %-28s %s\n", state, r.Name, r.Description)
		}
		return nil
	}
	if len(args) == 0 {
		return usageError{want}
	}
	switch args[0] {
	case "show":
		return withStore(ctx, "step-policy show", args[1:], "sqlite:./continuum.db", getenv, nil,
			func(_ Config, s *store.Store) error { return show(s) })
	case "set":
		if len(args) < 3 || (args[2] != "on" && args[2] != "off") {
			return usageError{want}
		}
		name, on := args[1], args[2] == "on"
		return withStore(ctx, "step-policy set", args[3:], "sqlite:./continuum.db", getenv, nil, func(_ Config, s *store.Store) error {
			p, _, err := s.StepPolicy(ctx)
			if err != nil {
				return err
			}
			if err := p.Set(name, on); err != nil {
				return err
			}
			if _, err := s.SetStepPolicy(ctx, store.System, p); err != nil {
				return err
			}
			return show(s)
		})
	}
	return usageError{want}
}
