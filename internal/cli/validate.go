package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/returns/cin"
	"github.com/continuum-cs/continuum/internal/returns/ssda903"
	"github.com/continuum-cs/continuum/internal/workday"
)

// errFindings is the failure of a validation that found errors: the findings are the output.
type errFindings struct{ errors int }

func (e errFindings) Error() string { return fmt.Sprintf("%d errors", e.errors) }

// validateCmd checks a return from any system against the DfE's rules: continuum validate cin FILE.xml, or
// continuum validate ssda903 --year 2025-26 [--last LAST] [--postcodes ONSPD.csv [--la CODE]] DIR, where LAST is
// last year's return to check this one against and ONSPD the postcode directory. It prints one line per finding (rule, severity, child, where,
// field, value and message) and fails on any error.
func validateCmd(_ context.Context, args []string, stdout, _ io.Writer, _ env) error {
	if len(args) == 0 || (args[0] != "cin" && args[0] != "ssda903") {
		return usageError{"validate: want cin FILE.xml, or ssda903 --year 2025-26 [--last DIR|ZIP] [--postcodes FILE.csv [--la CODE]] DIR|ZIP"}
	}
	which := args[0]
	fs := flag.NewFlagSet("validate "+which, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	year := fs.String("year", "", "ssda903: the collection year, such as 2025-26 (required)")
	lastPath := fs.String("last", "", "ssda903: last year's return (a directory or a kept submission's .zip), to check this one against")
	postcodes := fs.String("postcodes", "", "ssda903: the ONS postcode directory (CSV), to check the placement's council and distance")
	council := fs.String("la", "", "ssda903: the council's ONS code, such as E06000060, to check placements inside and outside it")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{"validate " + which + ": " + err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"validate " + which + ": name one file or directory"}
	}
	var sum struct{ children, errors, queries, rules int }
	if which == "ssda903" {
		y, err := returns.ParseYear(*year)
		if err != nil {
			return usageError{"--year: " + err.Error()}
		}
		r, err := ssda903.Read(fs.Arg(0))
		if err != nil {
			return err
		}
		var last *ssda903.Return
		if *lastPath != "" {
			if last, err = ssda903.Read(*lastPath); err != nil {
				return fmt.Errorf("--last: %w", err)
			}
		}
		var places *ssda903.Places
		if *postcodes != "" {
			f, err := os.Open(*postcodes)
			if err != nil {
				return fmt.Errorf("--postcodes: %w", err)
			}
			places, err = ssda903.ReadPlaces(f, *council, r, last)
			f.Close()
			if err != nil {
				return fmt.Errorf("--postcodes: %w", err)
			}
		}
		s := ssda903.ValidateWith(r, last, y, places, func(x ssda903.Finding) { fmt.Fprintln(stdout, x) })
		sum.children, sum.errors, sum.queries, sum.rules = s.Children, s.Errors, s.Queries, s.Rules
	} else {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		s, err := cin.Validate(f, workday.EnglandAndWales(), func(x cin.Finding) { fmt.Fprintln(stdout, x) })
		if err != nil {
			return fmt.Errorf("%s: %w", fs.Arg(0), err)
		}
		sum.children, sum.errors, sum.queries, sum.rules = s.Children, s.Errors, s.Queries, len(cin.Rules())
	}
	fmt.Fprintf(stdout, "%d children: %d errors, %d queries (%d rules checked)\n", sum.children, sum.errors, sum.queries, sum.rules)
	if sum.errors > 0 {
		return errFindings{sum.errors}
	}
	return nil
}
