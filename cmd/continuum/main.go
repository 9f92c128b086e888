// Command continuum runs Continuum: the web application, migrations, the demo council and administration.
package main

import (
	"context"
	"os"
	"runtime/debug"

	_ "time/tzdata" // the London calendar must not depend on the host's zone files

	"github.com/continuum-cs/continuum/internal/cli"
)

// gcPercent is how far the heap may grow past what is live before the collector runs. Continuum's live heap is
// small (a request's records, a batch of files) and what it allocates is short-lived, so collecting at four times
// the live heap instead of Go's default of twice costs little memory and, deriving a county's due items, saves a
// fifth of the time. GOGC, when set, wins.
const gcPercent = 400

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
