package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth"
)

// synthCmd fills an empty database with a synthetic council, and with --report measures it against the figures
// it is calibrated to (exit status 1 when any is outside tolerance).
func synthCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	var scale string
	var years int
	var seed uint64
	var report bool
	define := func(fs *flag.FlagSet) {
		fs.StringVar(&scale, "scale", "county", "size of the council: small, county or england")
		fs.IntVar(&years, "years", 6, "years of journeys, ending yesterday")
		fs.Uint64Var(&seed, "seed", 1, "random seed; the same seed gives the same council")
		fs.BoolVar(&report, "report", false, "measure the council against its calibrated figures")
	}
	return withStore(ctx, "synth", args, "sqlite:./continuum.db", getenv, define, func(_ Config, s *store.Store) error {
		sc, err := synth.ScaleNamed(scale)
		if err != nil {
			return usageError{"synth: " + err.Error()}
		}
		if years < 1 || years > 20 {
			return usageError{fmt.Sprintf("synth: --years must be 1 to 20, not %d", years)}
		}
		if err := s.Migrate(ctx); err != nil {
			return err
		}
		counts, err := s.Counts(ctx)
		if err != nil {
			return err
		}
		switch {
		case counts[casework.KindPerson] == 0:
			start := time.Now()
			res, err := synth.Generate(ctx, s, synth.Options{Scale: sc, Years: years, Seed: seed, Now: time.Now()})
			if err != nil {
				return err
			}
			if counts, err = s.Counts(ctx); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "generated the %s council (seed %d, %d years): %d children, %d files, %d records in %s\n",
				scale, seed, years, res.Children, res.Files, total(counts), time.Since(start).Round(time.Millisecond))
		case !report:
			return fmt.Errorf("the database already holds %d people; synth fills an empty one (use --report to measure it)",
				counts[casework.KindPerson])
		}
		if !report {
			return nil
		}
		figures, err := synth.Calibrate(ctx, s)
		if err != nil {
			return err
		}
		text, bad := synth.Report(figures)
		fmt.Fprint(stdout, text)
		if bad > 0 {
			return errors.New(fmt.Sprint(bad, " figures are outside tolerance"))
		}
		return nil
	})
}
