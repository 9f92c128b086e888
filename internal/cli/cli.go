// Package cli is Continuum's command line: it parses subcommands and flags into a Config and runs them against the
// store and web packages. cmd/continuum only calls Main.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	"github.com/continuum-cs/continuum/internal/store"
)

// Config is everything a command needs from outside: filled from flags, then from CONTINUUM_* environment
// variables for whatever the flags left unset, then defaults.
type Config struct {
	Addr     string
	Database string
	// Env is "development" (text logs) or "production" (JSON logs, secure cookies).
	Env string
}

// env is the environment lookup; tests replace it.
type env func(string) (string, bool)

// Main runs one command and returns the process exit status: 0 on success, 1 on failure with one line on stderr,
// 2 on misuse.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return run(ctx, args, stdout, stderr, os.LookupEnv)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = serveCmd(ctx, rest, stdout, stderr, getenv)
	case "migrate":
		err = migrateCmd(ctx, rest, stdout, stderr, getenv)
	case "demo":
		err = demoCmd(ctx, rest, stdout, stderr, getenv)
	case "synth":
		err = synthCmd(ctx, rest, stdout, stderr, getenv)
	case "user":
		err = userCmd(ctx, rest, stdout, stderr, getenv)
	case "audit":
		err = auditCmd(ctx, rest, stdout, stderr, getenv)
	case "workday":
		err = workdayCmd(ctx, rest, stdout, stderr, getenv)
	case "border":
		err = borderCmd(ctx, rest, stdout, stderr, getenv)
	case "rules":
		err = rulesCmd(ctx, rest, stdout, stderr, getenv)
	case "step-policy":
		err = stepPolicyCmd(ctx, rest, stdout, stderr, getenv)
	case "returns":
		err = returnsCmd(ctx, rest, stdout, stderr, getenv)
	case "validate":
		err = validateCmd(ctx, rest, stdout, stderr, getenv)
	case "import":
		err = importCmd(ctx, rest, stdout, stderr, getenv)
	case "kpi":
		err = kpiCmd(ctx, rest, stdout, stderr, getenv)
	case "boardpack":
		err = boardpackCmd(ctx, rest, stdout, stderr, getenv)
	case "version":
		fmt.Fprintln(stdout, "continuum", Version())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "continuum: unknown command %q\n%s", cmd, usage)
		return 2
	}
	var misuse usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &misuse), errors.Is(err, flag.ErrHelp):
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "continuum:", err)
		}
		return 2
	default:
		fmt.Fprintln(stderr, "continuum:", strings.ReplaceAll(err.Error(), "\n", " "))
		return 1
	}
}

const usage = `usage: continuum <command> [flags]

commands:
  serve    [--addr 127.0.0.1:8080] [--database URL]      serve the web application
           [--oidc-issuer URL --oidc-client-id ID         with single sign-on (the secret in
            --public-url URL]                              CONTINUUM_OIDC_CLIENT_SECRET)
  migrate  [--database URL]                              bring the database schema up to date
  demo     [--addr ...] [--database URL] [--scale small|county] [--seed N]
                                                         a synthetic council, then serve it
  synth    [--database URL] [--scale small|county|england] [--years N] [--seed N] [--report]
                                                         generate a synthetic council into an empty
                                                         database; --report measures it against the
                                                         figures it is calibrated to
  user add --email E --role R [--team T] [--name N]      add a user (prints a new password); also
           [--registration SW123456] [--started DATE]     their Social Work England number, when they
           [--fte F] [--agency]                           joined, their hours and whether through an agency
  user leave --email E --on DATE                         a member of staff left: no more sign-in, and
                                                         no longer in the workforce figures from then
  user team --name N --service S                         add a team, such as a partner agency's (service
                                                         partner)
  audit verify [--database URL]                          check the audit trail's hash chain
  workday add DATE N | between DATE1 DATE2 | holidays YEAR [--database URL]
                                                         working days in England and Wales (with the
                                                         council's closure days when given a database)
  workday close DATE --name NAME --database URL          record a closure day of the council
  border --from DATE --to DATE [--database URL]          step-ups, step-downs, bounces and waits between
                                                         early help and social care
  rules list | set CODE AMOUNT UNIT [--database URL]     the timescales in force; change a local one
  step-policy show | set RULE on|off [--database URL]    the council's step-up and step-down policy
  returns cin --year 2025-26 --out FILE.xml [--la NNN] [--database URL]
                                                         the Children in Need census for a year, kept
  returns ssda903 --year 2025-26 --out DIR [--database URL]
                                                         the SSDA903's eleven CSV files, kept as a zip
  returns annexa --year 2025-26 [--as-at DATE] --out FILE.xlsx [--database URL]
                                                         Ofsted's Annex A lists, kept
  returns list | get ID --out FILE [--database URL]      the returns kept, and any of them again
  validate cin FILE.xml                                  check a CIN census from any system against the
                                                         DfE's rules; exit 1 when there are errors
  validate ssda903 --year 2025-26 [--last DIR|ZIP] [--postcodes ONSPD.csv [--la CODE]] DIR|ZIP
                                                         the same for an SSDA903, against last year's, and
                                                         with the ONS postcode directory the placement's
                                                         council, distance and location
  import cin FILE.xml [--ssda903 DIR|FILE.zip --year 2025-26] [--database URL]
                                                         load another system's CIN census, all or nothing;
                                                         with its SSDA903, one file for a child in both
  import ssda903 DIR|FILE.zip --year 2025-26 [--database URL]  load another system's SSDA903 return, all or nothing
  kpi --year 2025-26 [--by district|locality|team] [--format table|csv|json] [--population N] [--database URL]
                                                         the performance indicators for a year, for
                                                         the council and each district, locality or team
  kpi target set CODE VALUE TOLERANCE | history CODE [--database URL]
                                                         an indicator's target, kept with its history
  boardpack --period 2025-26 --out pack.pdf [--html pack.html] [--database URL]
                                                         the improvement board's pack, printed to PDF by
                                                         headless Chromium
  version                                                print the version

--database takes sqlite:PATH (default sqlite:./continuum.db) or a postgres:// URL;
CONTINUUM_DATABASE, CONTINUUM_ADDR and CONTINUUM_ENV are the environment forms.
`

// usageError marks a mistake in how the command was called (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// flags defines the common flags on fs and returns a function that fills cfg once fs is parsed.
func flags(fs *flag.FlagSet, cfg *Config, defaultDB string, getenv env) func() {
	fs.StringVar(&cfg.Database, "database", defaultDB, "sqlite:PATH or postgres:// URL")
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&cfg.Env, "env", "development", "development or production")
	return func() {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for name, dst := range map[string]*string{"database": &cfg.Database, "addr": &cfg.Addr, "env": &cfg.Env} {
			if v, ok := getenv("CONTINUUM_" + strings.ToUpper(name)); ok && !set[name] && v != "" {
				*dst = v
			}
		}
	}
}

// parse parses a subcommand's flags, reporting misuse as a usageError.
func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{fmt.Sprintf("%s: %v", fs.Name(), err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))}
	}
	return nil
}

// logger logs text in development and JSON in production, to stderr.
func logger(cfg Config, stderr io.Writer) *slog.Logger {
	if cfg.Env == "production" {
		return slog.New(slog.NewJSONHandler(stderr, nil))
	}
	return slog.New(slog.NewTextHandler(stderr, nil))
}

// withStore parses a subcommand's flags (the common ones plus any extra defines), opens the database and runs fn.
func withStore(ctx context.Context, name string, args []string, defaultDB string, getenv env,
	extra func(fs *flag.FlagSet), fn func(cfg Config, s *store.Store) error) error {
	var cfg Config
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fill := flags(fs, &cfg, defaultDB, getenv)
	if extra != nil {
		extra(fs)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	fill()
	s, err := store.Open(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(cfg, s)
}

func migrateCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	return withStore(ctx, "migrate", args, "sqlite:./continuum.db", getenv, nil, func(_ Config, s *store.Store) error {
		if err := s.Migrate(ctx); err != nil {
			return err
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "database is at schema version %d\n", v)
		// A new binary may derive due items differently: derive them again under its rules.
		n, err := s.RecomputeDue(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "due items derived for %d files\n", n)
		return nil
	})
}

func auditCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	if len(args) == 0 || args[0] != "verify" {
		return usageError{"audit: want 'audit verify'"}
	}
	return withStore(ctx, "audit verify", args[1:], "sqlite:./continuum.db", getenv, nil, func(_ Config, s *store.Store) error {
		c, err := s.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		if c.BrokenAt != 0 {
			return fmt.Errorf("audit trail broken at event %d: %s", c.BrokenAt, c.Problem)
		}
		fmt.Fprintf(stdout, "audit trail intact: %d events\n", c.Events)
		return nil
	})
}

// Version reports the module version and VCS revision the binary was built from.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}
