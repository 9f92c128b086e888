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
	"github.com/continuum-cs/continuum/internal/store"
)

// importCmd loads another system's return as a migration: continuum import cin FILE.xml, or continuum import
// ssda903 DIR --year 2025-26. All or nothing.
func importCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	const usage = "import: want cin FILE.xml [--database URL], or ssda903 DIR|FILE.zip --year 2025-26 [--database URL]"
	if len(args) < 2 || (args[0] != "cin" && args[0] != "ssda903") || len(args[1]) == 0 || args[1][0] == '-' {
		return usageError{usage}
	}
	which, path := args[0], args[1]
	var year string
	var define func(fs *flag.FlagSet)
	if which == "ssda903" {
		define = func(fs *flag.FlagSet) {
			fs.StringVar(&year, "year", "", "the collection year the return is for, such as 2025-26 (required)")
		}
	}
	return withStore(ctx, "import "+which, args[2:], "sqlite:./continuum.db", getenv, define, func(_ Config, s *store.Store) error {
		var n int
		var err error
		if which == "cin" {
			n, err = importCIN(ctx, s, path)
		} else {
			y, yerr := returns.ParseYear(year)
			if yerr != nil {
				return usageError{"--year: " + yerr.Error()}
			}
			var r *ssda903.Return
			if r, err = ssda903.Read(path); err == nil {
				n, err = ssda903.Import(ctx, s, store.System, r, y)
			}
		}
		if err != nil {
			return fmt.Errorf("%s: nothing imported: %w", path, err)
		}
		fmt.Fprintf(stdout, "%s: %d children imported\n", path, n)
		return nil
	})
}

func importCIN(ctx context.Context, s *store.Store, path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return cin.Import(ctx, s, store.System, f)
}
