package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/workday"
)

const workdayUsage = "workday: want 'workday add DATE N', 'workday between DATE1 DATE2', 'workday holidays YEAR' " +
	"or 'workday close DATE --name NAME'"

// workdayCmd answers working-day questions. With --database (or CONTINUUM_DATABASE) the council's closure days
// count as well as the bank holidays; without, only the bank holidays do.
func workdayCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	if len(args) == 0 {
		return usageError{workdayUsage}
	}
	verb, positional := args[0], 2
	switch verb {
	case "add", "between":
	case "holidays", "close":
		positional = 1
	default:
		return usageError{workdayUsage}
	}
	// Positional arguments come first; N may be negative, so they are taken before the flags are parsed.
	if len(args) < 1+positional {
		return usageError{workdayUsage}
	}
	pos, rest := args[1:1+positional], args[1+positional:]
	var database, name string
	fs := flag.NewFlagSet("workday "+verb, flag.ContinueOnError)
	fs.StringVar(&database, "database", "", "include this database's closure days")
	if verb == "close" {
		fs.StringVar(&name, "name", "", "why the council is closed (required)")
	}
	if err := parse(fs, rest); err != nil {
		return err
	}
	if v, ok := getenv("CONTINUUM_DATABASE"); ok && database == "" {
		database = v
	}
	if verb == "close" && database == "" {
		return usageError{"workday close: --database is required"}
	}
	cal := workday.EnglandAndWales()
	var s *store.Store
	if database != "" {
		var err error
		if s, err = store.Open(ctx, database); err != nil {
			return err
		}
		defer s.Close()
		if verb != "close" {
			if cal, err = s.Calendar(ctx); err != nil {
				return err
			}
		}
	}
	switch verb {
	case "add":
		from, err := parseDate("DATE", pos[0])
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(pos[1])
		if err != nil {
			return usageError{fmt.Sprintf("workday add: N must be a whole number of working days, not %q", pos[1])}
		}
		got, err := cal.Add(from, n)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, got)
	case "between":
		a, err := parseDate("DATE1", pos[0])
		if err != nil {
			return err
		}
		b, err := parseDate("DATE2", pos[1])
		if err != nil {
			return err
		}
		n, err := cal.Between(a, b)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, n)
	case "holidays":
		year, err := strconv.Atoi(pos[0])
		if err != nil || year < workday.First.Year || year > workday.Last.Year {
			return usageError{fmt.Sprintf("workday holidays: YEAR must be from %d to %d, not %q", workday.First.Year, workday.Last.Year, pos[0])}
		}
		for _, c := range cal.Closures(year) {
			fmt.Fprintf(stdout, "%s  %s  %s\n", c.Date, c.Date.Weekday().String()[:3], c.Name)
		}
	case "close":
		day, err := parseDate("DATE", pos[0])
		if err != nil {
			return err
		}
		if err := s.AddClosure(ctx, store.System, workday.Closure{Date: day, Name: name}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "the council is closed on %s: %s\n", day, name)
	}
	return nil
}

func parseDate(what, s string) (civil.Date, error) {
	d, err := civil.Parse(s)
	if err != nil {
		return d, usageError{fmt.Sprintf("%s: %v", what, err)}
	}
	return d, nil
}
