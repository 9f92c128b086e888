package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/continuum-cs/continuum/internal/returns/cin"
	"github.com/continuum-cs/continuum/internal/store"
)

// importCmd loads another system's return as a migration: continuum import cin FILE.xml. All or nothing.
func importCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	if len(args) < 2 || args[0] != "cin" || len(args[1]) == 0 || args[1][0] == '-' {
		return usageError{"import: want cin FILE.xml [--database URL]"}
	}
	path := args[1]
	return withStore(ctx, "import cin", args[2:], "sqlite:./continuum.db", getenv, nil, func(_ Config, s *store.Store) error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		n, err := cin.Import(ctx, s, store.System, f)
		if err != nil {
			return fmt.Errorf("%s: nothing imported: %w", path, err)
		}
		fmt.Fprintf(stdout, "%s: %d children imported\n", path, n)
		return nil
	})
}
