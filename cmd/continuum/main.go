// Command continuum runs Continuum: the web application, migrations, the demo council and administration.
package main

import (
	"context"
	"os"

	_ "time/tzdata" // the London calendar must not depend on the host's zone files

	"github.com/continuum-cs/continuum/internal/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
