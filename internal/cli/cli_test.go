package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/returns/cin"
	"github.com/continuum-cs/continuum/internal/returns/ssda903"
	"github.com/continuum-cs/continuum/internal/store"
)

// noEnv is an environment with nothing set.
func noEnv(string) (string, bool) { return "", false }

// runCLI runs one command with the given environment and returns its exit status and output.
func runCLI(t *testing.T, getenv env, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(t.Context(), args, &out, &errOut, getenv)
	return code, out.String(), errOut.String()
}

func TestExitStatuses(t *testing.T) {
	dir := t.TempDir()
	db, out := "sqlite:"+filepath.Join(dir, "c.db"), filepath.Join(dir, "cin.xml")
	for _, c := range []struct {
		name    string
		args    []string
		code    int
		inOut   string
		inError string
	}{
		{"no command", nil, 2, "", "usage:"},
		{"unknown command", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"help", []string{"help"}, 0, "usage:", ""},
		{"version", []string{"version"}, 0, "continuum", ""},
		{"unknown flag", []string{"migrate", "--colour", "red"}, 2, "", "flag provided but not defined: -colour"},
		{"stray argument", []string{"migrate", "--database", db, "extra"}, 2, "", `unexpected argument "extra"`},
		{"unsupported database", []string{"migrate", "--database", "mysql://db"}, 1, "", "want sqlite:PATH or a postgres:// URL"},
		{"migrate", []string{"migrate", "--database", db}, 0, fmt.Sprintf("schema version %d", store.LatestSchema()), ""},
		{"migrate again changes nothing", []string{"migrate", "--database", db}, 0, fmt.Sprintf("schema version %d", store.LatestSchema()), ""},
		{"single sign-on without its client", []string{"serve", "--database", db, "--oidc-issuer", "http://127.0.0.1:9"}, 1, "",
			"single sign-on needs a client ID"},
		{"single sign-on with no issuer there", []string{"serve", "--database", db, "--oidc-issuer", "http://127.0.0.1:9",
			"--oidc-client-id", "c", "--public-url", "http://127.0.0.1:8080"}, 1, "", "single sign-on:"},
		{"audit without verb", []string{"audit"}, 2, "", "audit verify"},
		{"audit verify", []string{"audit", "verify", "--database", db}, 0, "audit trail intact", ""},
		{"user without verb", []string{"user"}, 2, "", "user add"},
		{"user add without role", []string{"user", "add", "--database", db, "--email", "a@example.org"}, 2, "", "--email and --role are required"},
		{"user add with unknown role", []string{"user", "add", "--database", db, "--email", "a@example.org", "--role", "wizard"}, 2, "", `unknown role "wizard"`},
		{"user add", []string{"user", "add", "--database", db, "--email", "a@example.org", "--role", "social_worker"}, 0, "password: ", ""},
		{"user team without service", []string{"user", "team", "--database", db, "--name", "Health visiting"}, 2, "", "--service"},
		{"user team", []string{"user", "team", "--database", db, "--name", "Health visiting", "--service", "partner"}, 0, "team Health visiting (partner)", ""},
		{"partner user", []string{"user", "add", "--database", db, "--email", "hv@example.org", "--role", "partner", "--team", "Health visiting"}, 0, "password: ", ""},
		{"user add twice", []string{"user", "add", "--database", db, "--email", "a@example.org", "--role", "social_worker"}, 1, "", "a@example.org"},
		{"user add with a start", []string{"user", "add", "--database", db, "--email", "b@example.org", "--role", "social_worker", "--started", "2024-09-02", "--agency", "--fte", "0.5"}, 0, "password: ", ""},
		{"user add with a bad start", []string{"user", "add", "--database", db, "--email", "c@example.org", "--role", "social_worker", "--started", "2024-02-30"}, 2, "", "--started"},
		{"user leave before starting", []string{"user", "leave", "--database", db, "--email", "b@example.org", "--on", "2024-09-01"}, 1, "", "before they started"},
		{"user leave", []string{"user", "leave", "--database", db, "--email", "b@example.org", "--on", "2026-01-30"}, 0, "left on 2026-01-30", ""},
		{"user leave with no day", []string{"user", "leave", "--database", db, "--email", "b@example.org"}, 2, "", "--on"},
		{"user add to a missing team", []string{"user", "add", "--database", db, "--email", "b@example.org", "--role", "social_worker", "--team", "Nowhere"}, 1, "", "Nowhere"},
		{"user unlock without email", []string{"user", "unlock", "--database", db}, 2, "", "--email is required"},
		{"user unlock", []string{"user", "unlock", "--database", db, "--email", "a@example.org"}, 0, "unlocked", ""},
		{"workday add", []string{"workday", "add", "2025-03-03", "45"}, 0, "2025-05-08\n", ""},
		{"workday add backwards", []string{"workday", "add", "2025-12-29", "-1"}, 0, "2025-12-24\n", ""},
		{"workday between", []string{"workday", "between", "2025-12-24", "2025-12-29"}, 0, "1\n", ""},
		{"workday between backwards", []string{"workday", "between", "2025-12-29", "2025-12-24"}, 0, "-1\n", ""},
		{"workday holidays", []string{"workday", "holidays", "2023"}, 0, "2023-05-08  Mon  Bank holiday for the coronation", ""},
		{"workday with an impossible date", []string{"workday", "add", "2025-02-29", "1"}, 2, "", `"2025-02-29" is not a real date`},
		{"workday with a bad count", []string{"workday", "add", "2025-02-28", "ten"}, 2, "", "whole number"},
		{"workday past the data", []string{"workday", "add", "2030-12-30", "5"}, 1, "", "outside the working-day calendar"},
		{"workday without a verb", []string{"workday"}, 2, "", "workday add DATE N"},
		{"workday close needs a database", []string{"workday", "close", "2025-12-24", "--name", "x"}, 2, "", "--database is required"},
		{"workday close on a weekend", []string{"workday", "close", "2025-12-27", "--name", "Christmas", "--database", db}, 1, "", "is a Saturday"},
		{"workday close", []string{"workday", "close", "2025-12-24", "--name", "Christmas Eve", "--database", db}, 0, "closed on 2025-12-24", ""},
		{"workday close twice", []string{"workday", "close", "2025-12-24", "--name", "Christmas Eve", "--database", db}, 1, "", "already closed"},
		{"workday with closures", []string{"workday", "add", "2025-12-23", "1", "--database", db}, 0, "2025-12-29\n", ""},
		{"workday without closures", []string{"workday", "add", "2025-12-23", "1"}, 0, "2025-12-24\n", ""},
		{"border", []string{"border", "--from", "2025-04-01", "--to", "2026-03-31", "--database", db}, 0, "step-ups          0", ""},
		{"border without dates", []string{"border", "--database", db}, 2, "", "--from"},
		{"border backwards", []string{"border", "--from", "2026-04-01", "--to", "2025-03-31", "--database", db}, 1, "", "must not be before"},
		{"rules list", []string{"rules", "list", "--database", db}, 0, "R2     v1  statutory 45 working days", ""},
		{"rules set a local rule", []string{"rules", "set", "R9", "15", "working_days", "--database", db}, 0, "R9 is now 15 working days (version 2)", ""},
		{"rules list after", []string{"rules", "list", "--database", db}, 0, "R9     v2  local     15 working days", ""},
		{"rules set a statutory rule", []string{"rules", "set", "R2", "40", "working_days", "--database", db}, 1, "", "statutory"},
		{"rules set an unknown rule", []string{"rules", "set", "R99", "4", "weeks", "--database", db}, 1, "", `"R99" is not a rule`},
		{"synth unknown scale", []string{"synth", "--scale", "city", "--database", db}, 2, "", "unknown scale"},
		{"synth bad years", []string{"synth", "--years", "0", "--database", db}, 2, "", "--years must be 1 to 20"},
		{"step-policy show", []string{"step-policy", "show", "--database", db}, 0, "on  consent_for_step_down", ""},
		{"step-policy set", []string{"step-policy", "set", "consent_for_step_down", "off", "--database", db}, 0, "step policy version 1\n", ""},
		{"step-policy after", []string{"step-policy", "show", "--database", db}, 0, "off consent_for_step_down", ""},
		{"step-policy unknown rule", []string{"step-policy", "set", "no_such", "on", "--database", db}, 1, "", `"no_such"`},
		{"step-policy bad state", []string{"step-policy", "set", "consent_for_step_down", "maybe", "--database", db}, 2, "", "on|off"},
		{"rules set a bad amount", []string{"rules", "set", "R9", "ten", "weeks", "--database", db}, 2, "", "whole number"},
		{"demo with unknown scale", []string{"demo", "--database", db, "--scale", "galactic"}, 2, "", `unknown scale "galactic"`},
		{"returns without a return", []string{"returns"}, 2, "", "returns: want cin"},
		{"returns cin with a bad year", []string{"returns", "cin", "--year", "2025-27", "--out", out, "--database", db}, 2, "", "collection year such as 2025-26"},
		{"returns cin without an LA number", []string{"returns", "cin", "--year", "2025-26", "--out", out, "--database", db}, 2, "", "--la"},
		{"validate without a return", []string{"validate"}, 2, "", "validate: want cin"},
		{"import without a file", []string{"import", "cin"}, 2, "", "import: want cin FILE.xml"},
		{"import a missing file", []string{"import", "cin", filepath.Join(dir, "none.xml"), "--database", db}, 1, "", "no such file"},
		{"import an SSDA903 without its year", []string{"import", "ssda903", dir, "--database", db}, 2, "", "--year"},
		{"import a census and an SSDA903 without its year", []string{"import", "cin", filepath.Join(dir, "none.xml"), "--ssda903", dir, "--database", db}, 2, "", "--year"},
		{"import a census with an SSDA903 directory with no tables", []string{"import", "cin", filepath.Join(dir, "none.xml"), "--ssda903", dir, "--year", "2025-26", "--database", db}, 1, "", "no such file"},
		{"import an SSDA903 directory with no tables", []string{"import", "ssda903", dir, "--year", "2025-26", "--database", db}, 1, "", "nothing imported"},
		{"validate cin without a file", []string{"validate", "cin"}, 2, "", "name one file"},
		{"validate cin a missing file", []string{"validate", "cin", filepath.Join(dir, "none.xml")}, 1, "", "no such file"},
		{"returns cin with nobody in scope", []string{"returns", "cin", "--year", "2025-26", "--out", out, "--la", "825", "--database", db}, 1, "", "no child is in scope"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, noEnv, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d (stdout %q, stderr %q)", code, c.code, out, errOut)
			}
			if !strings.Contains(out, c.inOut) || !strings.Contains(errOut, c.inError) {
				t.Errorf("stdout %q should contain %q; stderr %q should contain %q", out, c.inOut, errOut, c.inError)
			}
			if c.code == 1 && strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("a failure should be one line on stderr, got %q", errOut)
			}
		})
	}
	// A return that failed leaves nothing behind, not even a half-written file.
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "cin.xml*")); len(leftovers) != 0 {
		t.Errorf("a failed return left %v", leftovers)
	}
}

func TestFlagsThenEnvironmentThenDefaults(t *testing.T) {
	environ := map[string]string{"CONTINUUM_DATABASE": "sqlite:from-env.db", "CONTINUUM_ENV": "production"}
	getenv := func(k string) (string, bool) { v, ok := environ[k]; return v, ok }
	for _, c := range []struct {
		args []string
		want Config
	}{
		{nil, Config{Database: "sqlite:from-env.db", Addr: "127.0.0.1:8080", Env: "production"}},
		{[]string{"--database", "sqlite:from-flag.db"}, Config{Database: "sqlite:from-flag.db", Addr: "127.0.0.1:8080", Env: "production"}},
		{[]string{"--env", "development", "--addr", ":0"}, Config{Database: "sqlite:from-env.db", Addr: ":0", Env: "development"}},
	} {
		var cfg Config
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		fill := flags(fs, &cfg, "sqlite:./continuum.db", getenv)
		if err := parse(fs, c.args); err != nil {
			t.Fatal(err)
		}
		fill()
		if cfg != c.want {
			t.Errorf("%v: got %+v, want %+v", c.args, cfg, c.want)
		}
	}
	var cfg Config
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fill := flags(fs, &cfg, "sqlite:./continuum.db", noEnv)
	if err := parse(fs, nil); err != nil {
		t.Fatal(err)
	}
	fill()
	if cfg.Database != "sqlite:./continuum.db" || cfg.Env != "development" {
		t.Errorf("defaults: got %+v", cfg)
	}
}

// syncBuffer is a buffer the server's logger and the test can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestServeProbesAndShutsDownGracefully serves a migrated database, checks both probes and the production JSON log,
// then stops the server by cancelling its context and expects a clean return.
func TestServeProbesAndShutsDownGracefully(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var logs syncBuffer
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	cfg := Config{Addr: "127.0.0.1:0", Env: "production"}
	go func() { done <- serve(ctx, cfg, s, io.Discard, &logs, func(a string) { addrc <- a }) }()
	base := "http://" + <-addrc
	get := func(path string) int {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get("/healthz"); got != http.StatusOK {
		t.Errorf("/healthz before migrate: %d", got)
	}
	if got := get("/readyz"); got != http.StatusServiceUnavailable {
		t.Errorf("/readyz before migrate: %d, want 503", got)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if got := get("/readyz"); got != http.StatusOK {
		t.Errorf("/readyz after migrate: %d", got)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after cancel, want nil", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	for _, l := range lines {
		var entry map[string]any
		if err := json.Unmarshal([]byte(l), &entry); err != nil {
			t.Errorf("production log line is not JSON: %q", l)
		}
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("no shutdown in the log: %s", logs.String())
	}
}

func TestValidateCIN(t *testing.T) {
	dir := t.TempDir()
	write := func(name, ethnicity string) string {
		var buf bytes.Buffer
		w, err := cin.NewWriter(&buf, returns.Year{Start: civil.MustParse("2025-04-01"), End: civil.MustParse("2026-03-31")},
			cin.Source{LA: "825"})
		if err != nil {
			t.Fatal(err)
		}
		birth := civil.MustParse("2015-06-01")
		if err := w.Write(&cin.Child{Identifiers: cin.Identifiers{LAChildID: "V1", UPNUnknown: "UN4", BirthDate: &birth, Sex: "M"},
			Characteristics: cin.Characteristics{Ethnicity: ethnicity, Disabilities: []string{"NONE"}},
			Episodes:        []cin.Episode{{ReferralDate: civil.MustParse("2025-05-01"), Source: "6", PrimaryNeed: "N1", NFA: "0"}}}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	code, out, _ := runCLI(t, noEnv, "validate", "cin", write("good.xml", "WBRI"))
	if code != 0 || !strings.Contains(out, "1 children: 0 errors, 1 queries") || !strings.Contains(out, "2887Q\tquery") {
		t.Errorf("a good census: exit %d, %q", code, out)
	}
	code, out, errOut := runCLI(t, noEnv, "validate", "cin", write("bad.xml", "XXXX"))
	if code != 1 || !strings.Contains(out, "4220\terror\tV1\tEthnicity\tXXXX\tline ") || !strings.Contains(errOut, "1 errors") {
		t.Errorf("a census with a bad ethnicity: exit %d, %q, %q", code, out, errOut)
	}
}

// TestReturnsKept: a census produced is kept, listed, and written out again byte for byte.
func TestReturnsKept(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "c.db")
	if code, _, errOut := runCLI(t, noEnv, "synth", "--database", db, "--scale", "small", "--years", "2"); code != 0 {
		t.Fatalf("synth: %s", errOut)
	}
	first := filepath.Join(dir, "cin.xml")
	code, out, errOut := runCLI(t, noEnv, "returns", "cin", "--year", "2025-26", "--out", first, "--database", db)
	if code != 0 || !strings.Contains(out, "kept as return 1") {
		t.Fatalf("returns cin: exit %d, %q, %q", code, out, errOut)
	}
	if code, out, _ = runCLI(t, noEnv, "returns", "list", "--database", db); code != 0 || !strings.Contains(out, "cin  2025-26") {
		t.Fatalf("returns list: exit %d, %q", code, out)
	}
	again := filepath.Join(dir, "again.xml")
	if code, out, errOut = runCLI(t, noEnv, "returns", "get", "1", "--out", again, "--database", db); code != 0 {
		t.Fatalf("returns get: exit %d, %q, %q", code, out, errOut)
	}
	a, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the return written out again differs from the one produced")
	}
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"returns", "get"}, 2, "name the return's ID"},
		{[]string{"returns", "get", "one", "--out", again, "--database", db}, 2, "not a return's ID"},
		{[]string{"returns", "get", "7", "--out", again, "--database", db}, 1, "submission 7"},
		{[]string{"returns", "get", "1", "--database", db}, 2, "--out"},
	} {
		if code, _, errOut := runCLI(t, noEnv, c.args...); code != c.code || !strings.Contains(errOut, c.err) {
			t.Errorf("%v: exit %d, %q", c.args, code, errOut)
		}
	}
}

// TestSSDA903Return: the SSDA903 return is written as eleven files, validates clean, is kept as a zip, and a file
// broken by hand fails validation naming the rule, child, file and line.
func TestSSDA903Return(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "c.db")
	if code, _, errOut := runCLI(t, noEnv, "synth", "--database", db, "--scale", "small", "--years", "3"); code != 0 {
		t.Fatalf("synth: %s", errOut)
	}
	// Last year's return is submitted first, and this year's is checked against its kept zip.
	code, stdout, errOut := runCLI(t, noEnv, "returns", "ssda903", "--year", "2024-25", "--out", filepath.Join(dir, "903-last"), "--database", db)
	if code != 0 || !strings.Contains(stdout, "kept as return 1, a zip of the 11 files") {
		t.Fatalf("returns ssda903 2024-25: exit %d, %q, %q", code, stdout, errOut)
	}
	last := filepath.Join(dir, "last.zip")
	if code, _, errOut = runCLI(t, noEnv, "returns", "get", "1", "--out", last, "--database", db); code != 0 {
		t.Fatalf("returns get: %s", errOut)
	}
	out := filepath.Join(dir, "903")
	code, stdout, errOut = runCLI(t, noEnv, "returns", "ssda903", "--year", "2025-26", "--out", out, "--database", db)
	if code != 0 || !strings.Contains(stdout, "kept as return 2, a zip of the 11 files") {
		t.Fatalf("returns ssda903: exit %d, %q, %q", code, stdout, errOut)
	}
	if code, stdout, errOut = runCLI(t, noEnv, "validate", "ssda903", "--year", "2025-26", "--last", last, out); code != 0 || !strings.Contains(stdout, " 0 errors") {
		t.Fatalf("validate ssda903: exit %d, %q, %q", code, stdout, errOut)
	}
	header := filepath.Join(out, "header.csv")
	body, err := os.ReadFile(header)
	if err != nil {
		t.Fatal(err)
	}
	lastHeader, err := os.ReadFile(filepath.Join(dir, "903-last", "header.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// The child whose ethnicity is spoilt is one who was in last year's return too.
	lines := strings.Split(string(body), "\n")
	line := slices.IndexFunc(lines[1:], func(l string) bool {
		child, _, _ := strings.Cut(l, ",")
		return child != "" && strings.Contains(string(lastHeader), "\n"+child+",")
	}) + 1
	if line == 0 {
		t.Fatal("no child in both years' returns")
	}
	cells := strings.Split(lines[line], ",")
	cells[3] = "XXXX"
	lines[line] = strings.Join(cells, ",")
	if err := os.WriteFile(header, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut = runCLI(t, noEnv, "validate", "ssda903", "--year", "2025-26", "--last", last, out)
	for _, rule := range []string{"103", "204"} {
		want := rule + "\terror\t" + cells[0] + "\tHeader line " + strconv.Itoa(line+1) + "\tETHNIC\tXXXX\t"
		if code != 1 || !strings.Contains(stdout, want) || !strings.Contains(errOut, "2 errors") {
			t.Errorf("a header with a bad ethnicity, against last year's: exit %d, %q, %q", code, stdout, errOut)
		}
	}
	// With a postcode directory that knows none of the council's postcodes, every placement's council is unknown.
	directory := filepath.Join(t.TempDir(), "onspd.csv")
	if err := os.WriteFile(directory, []byte("pcds,oslaua,lat,long\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = runCLI(t, noEnv, "validate", "ssda903", "--year", "2025-26", "--postcodes", directory, "--la", "E06000060", out)
	if all := fmt.Sprintf("(%d rules checked)", len(ssda903.Rules())); code != 1 || !strings.Contains(stdout, "169\terror") ||
		!strings.Contains(stdout, all) {
		t.Errorf("with a postcode directory: exit %d, want 169 findings and %s", code, all)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"validate", "ssda903", "--year", "2025-26", "--postcodes", filepath.Join(dir, "none.csv"), out}, 1, "--postcodes:"},
		{[]string{"validate", "ssda903", out}, 2, "--year"},
		{[]string{"validate", "ssda903", "--year", "2025-26", dir}, 1, "no .csv files"},
		{[]string{"validate", "ssda903", "--year", "2025-26", "--last", dir, out}, 1, "--last: " + dir + ": no .csv files"},
		{[]string{"returns", "ssda903", "--year", "2025-26", "--database", db}, 2, "--out"},
	} {
		if code, _, errOut := runCLI(t, noEnv, c.args...); code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, code, errOut, c.code, c.want)
		}
	}
}

// TestAnnexAReturn: Annex A is written as a workbook to the day asked for and kept; a day outside the year, or no
// file to write, is refused.
func TestAnnexAReturn(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "c.db")
	if code, _, errOut := runCLI(t, noEnv, "synth", "--database", db, "--scale", "small", "--years", "2"); code != 0 {
		t.Fatalf("synth: %s", errOut)
	}
	out := filepath.Join(dir, "annexa.xlsx")
	code, stdout, errOut := runCLI(t, noEnv, "returns", "annexa", "--as-at", "2026-02-16", "--out", out, "--database", db)
	if code != 0 || !strings.Contains(stdout, "Annex A to 2026-02-16 written to "+out+", kept as return 1") ||
		!strings.Contains(stdout, "List 8 (List 8): ") {
		t.Fatalf("returns annexa: exit %d, %q, %q", code, stdout, errOut)
	}
	if body, err := os.ReadFile(out); err != nil || !bytes.HasPrefix(body, []byte("PK")) {
		t.Errorf("the workbook is not a zip: %v", err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"returns", "annexa", "--year", "2025-26", "--as-at", "2026-05-01", "--out", out, "--database", db}, "not in the year 2025-26"},
		{[]string{"returns", "annexa", "--as-at", "2026-02-30", "--out", out, "--database", db}, "--as-at"},
		{[]string{"returns", "annexa", "--year", "2025-26", "--database", db}, "--out"},
	} {
		if code, _, errOut := runCLI(t, noEnv, c.args...); code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}

}

// TestKPI: the indicators of a synthetic council, as JSON over its recorded population, agree with the same as
// CSV; a bad format, or no population known, is refused.
func TestKPI(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "c.db")
	if code, _, errOut := runCLI(t, noEnv, "synth", "--database", db, "--scale", "small", "--years", "2"); code != 0 {
		t.Fatalf("synth: %s", errOut)
	}
	code, stdout, errOut := runCLI(t, noEnv, "kpi", "--year", "2025-26", "--format", "json", "--database", db)
	if code != 0 {
		t.Fatalf("kpi: exit %d, %s", code, errOut)
	}
	type indicator struct {
		Code                   string
		Value                  *float64
		Numerator, Denominator float64
	}
	var got struct {
		Year   string
		Groups []struct {
			Group      string
			Indicators []indicator
		}
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("kpi json: %v\n%s", err, stdout)
	}
	if got.Year != "2025-26" || len(got.Groups) != 1 || got.Groups[0].Group != "council" {
		t.Fatalf("kpi json: %+v", got)
	}
	council := got.Groups[0].Indicators
	if len(council) < 25 || council[0].Code != "referrals" || council[0].Denominator != 5000 || council[0].Value == nil ||
		*council[0].Value <= 0 {
		t.Errorf("kpi json: %+v", council)
	}
	_, csvOut, _ := runCLI(t, noEnv, "kpi", "--year", "2025-26", "--format", "csv", "--database", db)
	referrals := fmt.Sprintf("2025-26,council,referrals,\"Referrals per 10,000 children\",%.1f,", *council[0].Value)
	if !strings.Contains(csvOut, referrals) {
		t.Errorf("csv disagrees with json: want %q in\n%s", referrals, csvOut)
	}
	// By district: each district's referrals add up to the council's, and each has its own population.
	_, byDistrict, errOut := runCLI(t, noEnv, "kpi", "--year", "2025-26", "--by", "district", "--format", "json", "--database", db)
	got.Groups = nil
	if err := json.Unmarshal([]byte(byDistrict), &got); err != nil {
		t.Fatalf("kpi --by district: %v %s", err, errOut)
	}
	sum, people := 0.0, 0.0
	for _, g := range got.Groups[1:] {
		sum += g.Indicators[0].Numerator
		people += g.Indicators[0].Denominator
	}
	if len(got.Groups) < 3 || sum != council[0].Numerator || people < 4900 || people > 5100 {
		t.Errorf("by district: %d groups, %v referrals of %v, population %v", len(got.Groups), sum, council[0].Numerator, people)
	}
	// Targets: set twice, the latest in force and both in the history; the table rates the value against it.
	for _, target := range []string{"90", "60"} {
		if code, _, errOut := runCLI(t, noEnv, "kpi", "target", "set", "assessments45", target, "5", "--database", db); code != 0 {
			t.Fatalf("kpi target set: %s", errOut)
		}
	}
	_, history, _ := runCLI(t, noEnv, "kpi", "target", "history", "assessments45", "--database", db)
	if lines := strings.Split(strings.TrimSpace(history), "\n"); len(lines) != 2 || !strings.Contains(lines[0], "v2") ||
		!strings.Contains(lines[0], "60 ± 5") || !strings.Contains(lines[1], "90 ± 5") {
		t.Errorf("target history:\n%s", history)
	}
	_, table, _ := runCLI(t, noEnv, "kpi", "--year", "2025-26", "--database", db)
	if !regexp.MustCompile(`Assessments completed within 45 working days .*60 ± 5 (GREEN|AMBER|RED)`).MatchString(table) {
		t.Errorf("the table does not rate assessments against their target:\n%s", table)
	}
	empty := "sqlite:" + filepath.Join(dir, "empty.db")
	runCLI(t, noEnv, "migrate", "--database", empty)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"kpi", "--year", "2025-26", "--format", "pdf", "--database", db}, "--format"},
		{[]string{"kpi", "--year", "2025-26", "--by", "ward", "--database", db}, "--by"},
		{[]string{"kpi", "target", "set", "assessments45", "ninety", "5", "--database", db}, "are numbers"},
		{[]string{"kpi", "target"}, "kpi target: want"},
		{[]string{"kpi", "--year", "2025", "--database", db}, "--year"},
		{[]string{"kpi", "--year", "2025-26", "--database", empty}, "--population"},
	} {
		if code, _, errOut := runCLI(t, noEnv, c.args...); code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"kpi", "target", "set", "nosuch", "1", "1", "--database", db}, "no such indicator"},
		{[]string{"kpi", "target", "set", "referrals", "500", "10", "--database", db}, "takes no target"},
		{[]string{"kpi", "target", "set", "visits", "-1", "5", "--database", db}, "not less than 0"},
	} {
		if code, _, errOut := runCLI(t, noEnv, c.args...); code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 1 and %q", c.args, code, errOut, c.want)
		}
	}
}

// TestBoardPack prints the board pack of a synthetic council with a target set: the page rates the indicator,
// and headless Chromium prints it to a PDF (under CI=true Chromium must be there).
func TestBoardPack(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "c.db")
	if code, _, errOut := runCLI(t, noEnv, "synth", "--database", db, "--scale", "small", "--years", "2"); code != 0 {
		t.Fatalf("synth: %s", errOut)
	}
	if code, _, errOut := runCLI(t, noEnv, "kpi", "target", "set", "assessments45", "101", "1", "--database", db); code != 0 {
		t.Fatalf("kpi target set: %s", errOut)
	}
	page, pdf := filepath.Join(dir, "pack.html"), filepath.Join(dir, "pack.pdf")
	args := []string{"boardpack", "--period", "2025-26", "--html", page, "--database", db}
	if _, err := exec.LookPath("chromium"); err == nil {
		args = append(args, "--out", pdf)
	} else if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is needed under CI (apt-get install chromium)")
	}
	if code, _, errOut := runCLI(t, noEnv, args...); code != 0 {
		t.Fatalf("boardpack: exit %d, %s", code, errOut)
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"the collection year 2025-26", "1 indicators red", "Assessments completed within 45 working days",
		"<style>", "<svg", "Placement sufficiency"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the pack lacks %q", want)
		}
	}
	if strings.Contains(string(html), `src="http`) || strings.Contains(string(html), `href="http`) {
		t.Error("the pack reaches out to the network")
	}
	if slices.Contains(args, "--out") {
		b, err := os.ReadFile(pdf)
		if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || len(b) < 20000 {
			t.Fatalf("the PDF: %d bytes, %v", len(b), err)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"boardpack", "--period", "2025", "--out", pdf, "--database", db}, "--period"},
		{[]string{"boardpack", "--period", "2025-26", "--database", db}, "--out"},
	} {
		if code, _, errOut := runCLI(t, noEnv, c.args...); code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	missing := func(name string) (string, bool) { return "/no/such/chromium", name == "CONTINUUM_CHROMIUM" }
	if code, _, errOut := runCLI(t, missing, "boardpack", "--period", "2025-26", "--out", pdf, "--database", db); code != 1 ||
		!strings.Contains(errOut, "printing the PDF") {
		t.Errorf("no Chromium: exit %d, %q", code, errOut)
	}
}
