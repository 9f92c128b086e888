package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"

	"github.com/continuum-cs/continuum/internal/store"
)

// borderCmd prints the border report: moves between early help and social care over a period.
func borderCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	var from, to string
	define := func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "first day of the period (required)")
		fs.StringVar(&to, "to", "", "last day of the period (required)")
	}
	return withStore(ctx, "border", args, "sqlite:./continuum.db", getenv, define, func(_ Config, s *store.Store) error {
		a, err := parseDate("--from", from)
		if err != nil {
			return err
		}
		b, err := parseDate("--to", to)
		if err != nil {
			return err
		}
		r, err := s.Border(ctx, store.System, a, b)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "period            %s to %s\n", r.From, r.To)
		fmt.Fprintf(stdout, "step-ups          %d\n", r.StepUps)
		fmt.Fprintf(stdout, "step-downs        %d\n", r.StepDowns)
		fmt.Fprintf(stdout, "bounced back      %d (reversing a move the other way within 12 months)\n", r.BouncedBack)
		fmt.Fprintf(stdout, "median wait       %d days (%d taken on, %d still waiting)\n", r.MedianWait(), len(r.Waits), r.StillWaiting)
		criteria := make([]string, 0, len(r.Criteria))
		for c := range r.Criteria {
			criteria = append(criteria, c)
		}
		sort.Strings(criteria)
		for _, c := range criteria {
			fmt.Fprintf(stdout, "criterion         %-30s %d\n", c, r.Criteria[c])
		}
		return nil
	})
}
