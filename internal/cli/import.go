package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/returns/cin"
	"github.com/continuum-cs/continuum/internal/returns/ssda903"
	"github.com/continuum-cs/continuum/internal/store"
)

// importCmd loads another system's return as a migration: continuum import cin FILE.xml [--ssda903 DIR --year
// 2025-26], or continuum import ssda903 DIR --year 2025-26. All or nothing.
func importCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	const usage = "import: want cin FILE.xml [--ssda903 DIR|FILE.zip --year 2025-26] [--database URL], " +
		"or ssda903 DIR|FILE.zip --year 2025-26 [--database URL]"
	if len(args) < 2 || (args[0] != "cin" && args[0] != "ssda903") || len(args[1]) == 0 || args[1][0] == '-' {
		return usageError{usage}
	}
	which, path := args[0], args[1]
	var year, also string
	define := func(fs *flag.FlagSet) {
		fs.StringVar(&year, "year", "", "the collection year the SSDA903 return is for, such as 2025-26")
		if which == "cin" {
			fs.StringVar(&also, "ssda903", "", "the same system's SSDA903 return, read with the census so each child "+
				"in both has one file")
		}
	}
	return withStore(ctx, "import "+which, args[2:], "sqlite:./continuum.db", getenv, define, func(_ Config, s *store.Store) error {
		returnPath := also
		if which == "ssda903" {
			returnPath = path
		}
		y, err := returns.ParseYear(year)
		if returnPath != "" && err != nil {
			return usageError{"--year: " + err.Error()}
		}
		var census []*casework.File
		if which == "cin" {
			if census, err = censusFiles(ctx, s, path); err != nil {
				return fmt.Errorf("%s: nothing imported: %w", path, err)
			}
		}
		var added []*casework.File
		inReturn := 0
		if returnPath != "" {
			r, err := ssda903.Read(returnPath)
			if err == nil {
				inReturn = len(r.Header)
				added, err = ssda903.Files(ctx, s, r, y, census)
			}
			if err != nil {
				return fmt.Errorf("%s: nothing imported: %w", returnPath, err)
			}
		}
		if err := s.LoadFiles(ctx, store.System, append(census, added...)); err != nil {
			order := "the Nth child of the census, then of the return's others by CHILD"
			if which == "ssda903" {
				order = "the Nth child by CHILD"
			}
			return fmt.Errorf("nothing imported (file N is %s): %w", order, err)
		}
		if also != "" {
			fmt.Fprintf(stdout, "%s and %s: %d children imported, %d of them in both\n", path, also,
				len(census)+len(added), inReturn-len(added))
			return nil
		}
		fmt.Fprintf(stdout, "%s: %d children imported\n", path, len(census)+len(added))
		return nil
	})
}

func censusFiles(ctx context.Context, s *store.Store, path string) ([]*casework.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return cin.Files(ctx, s, f)
}
