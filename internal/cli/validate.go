package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/continuum-cs/continuum/internal/returns/cin"
	"github.com/continuum-cs/continuum/internal/workday"
)

// errFindings is the failure of a validation that found errors: the findings are the output.
type errFindings struct{ errors int }

func (e errFindings) Error() string { return fmt.Sprintf("%d errors", e.errors) }

// validateCmd checks a return from any system against the DfE's rules: continuum validate cin FILE.xml. It
// prints one line per finding (rule, severity, child, field, value, line and message) and fails on any error.
func validateCmd(_ context.Context, args []string, stdout, _ io.Writer, _ env) error {
	if len(args) == 0 || args[0] != "cin" {
		return usageError{"validate: want cin FILE.xml"}
	}
	fs := flag.NewFlagSet("validate cin", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{"validate cin: " + err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"validate cin: name one file"}
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	sum, err := cin.Validate(f, workday.EnglandAndWales(), func(x cin.Finding) { fmt.Fprintln(stdout, x) })
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	fmt.Fprintf(stdout, "%d children: %d errors, %d queries (%d rules checked)\n", sum.Children, sum.Errors, sum.Queries,
		len(cin.Rules()))
	if sum.Errors > 0 {
		return errFindings{sum.Errors}
	}
	return nil
}
