package web

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/password"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth/synthtest"
)

// The browser tests drive Debian's Chromium through the pages as people use them, check every page they reach
// with axe-core for serious and critical accessibility failures, and keep a screenshot of each. Without Chromium,
// axe-core (web/build.sh installs it) or the built stylesheet they skip, except under CI=true, where they fail.

// axePath is axe-core as npm installs it for web/build.sh.
const axePath = "../../web/node_modules/axe-core/axe.min.js"

// browser is a running Chromium, the application it tests, and where screenshots go.
type browser struct {
	t     *testing.T
	ctx   context.Context // the browser's; each person gets their own profile within it
	base  string
	axe   string
	shots string
	store *store.Store
	// issuer is the council's identity provider, for single sign-on.
	issuer *issuer
	// checked counts the pages axe has checked.
	checked int
}

func newBrowser(t *testing.T, st *store.Store) *browser {
	t.Helper()
	need := func(what string, err error) {
		if err == nil {
			return
		}
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s: %v (CI=true needs it; .ci/run installs it)", what, err)
		}
		t.Skipf("%s: %v", what, err)
	}
	path := os.Getenv("CONTINUUM_CHROMIUM")
	if path == "" {
		var err error
		path, err = exec.LookPath("chromium")
		need("Chromium", err)
	}
	axe, err := os.ReadFile(axePath)
	need("axe-core (run web/build.sh)", err)
	files, err := loadAssets()
	need("the stylesheet", err)
	if files.url("app.css") == "" {
		need("the stylesheet", fmt.Errorf("internal/web/assets/app.css is not built (run web/build.sh)"))
	}

	shots := os.Getenv("CONTINUUM_SCREENSHOTS")
	if shots == "" {
		shots = filepath.Join("..", "..", "test-output", "screenshots")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	srv, iss := serveSSO(t, st, slog.New(slog.DiscardHandler))

	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.Headless, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir())}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx, base: srv.URL, axe: string(axe), shots: shots, store: st, issuer: iss}
}

// person is someone using the application in a browser profile of their own, within test t.
type person struct {
	b    *browser
	t    *testing.T
	ctx  context.Context
	name string // for screenshots' file names
}

// newPerson opens a fresh profile, with no cookies, in a tab of its own.
func (b *browser) newPerson(t *testing.T, name string) *person {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The tab lives as long as the context of the first action run in it, so that one is the person's own and
	// not one of the shorter ones each step gets.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	return &person{b: b, t: t, ctx: ctx, name: name}
}

// as signs the user with this email in with pw, in a fresh profile.
func (b *browser) as(t *testing.T, name, email, pw string) *person {
	t.Helper()
	p := b.newPerson(t, name)
	p.open("/sign-in", "sign-in")
	p.do(chromedp.SendKeys(chromedp.CSS("#email"), email), chromedp.SendKeys(chromedp.CSS("#password"), pw))
	p.click("main button", "home")
	if h := p.text("h1"); !strings.HasPrefix(h, "Welcome") {
		t.Fatalf("%s: signing in shows %q", name, h)
	}
	return p
}

func (p *person) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatalf("%s: %v", p.name, err)
	}
}

func run[T any](p *person, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.t.Fatalf("%s: %v", p.name, err)
	}
	return v
}

func (p *person) text(sel string) string {
	p.t.Helper()
	return strings.TrimSpace(run(p, chromedp.Text(chromedp.CSS(sel))))
}

// open goes to path and checks the page as shot, the screenshot's name.
func (p *person) open(path, shot string) {
	p.t.Helper()
	p.do(chromedp.Navigate(p.b.base+path), chromedp.WaitReady(chromedp.CSS("body")))
	p.check(shot)
}

// click follows the link or presses the button sel finds, and checks the page it leads to.
func (p *person) click(sel, shot string) {
	p.t.Helper()
	// Mark the document, so the next one is known by not having the mark, whatever its address.
	run(p, chromedp.Evaluate[chromedp.Void](`window.continuumOld = true`))
	p.do(chromedp.Click(chromedp.CSS(sel)))
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	for {
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.continuumOld && document.readyState === "complete"`))
		if err == nil && loaded {
			break
		}
		if ctx.Err() != nil {
			p.t.Fatalf("%s: %s did not lead to a page", p.name, sel)
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.check(shot)
}

// typeIn types each value into the field its selector finds, in pairs.
func (p *person) typeIn(pairs ...string) {
	p.t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		p.do(chromedp.SendKeys(chromedp.CSS(pairs[i]), pairs[i+1]))
	}
}

// tick clicks each radio or checkbox its selector finds.
func (p *person) tick(sels ...string) {
	p.t.Helper()
	for _, sel := range sels {
		p.do(chromedp.Click(chromedp.CSS(sel)))
	}
}

// pick chooses an option of a select by its value.
func (p *person) pick(sel, value string) {
	p.t.Helper()
	p.do(chromedp.SetValue(chromedp.CSS(sel), value))
}

// date types a date into the date input named name: the day box carries the name as its id.
func (p *person) date(name, day, month, year string) {
	p.t.Helper()
	p.typeIn("#"+name, day, "#"+name+"-month", month, "#"+name+"-year", year)
}

// follow opens the record's "Record something" list if it is closed, and follows the link sel finds.
func (p *person) follow(sel, shot string) {
	p.t.Helper()
	run(p, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach(d => d.open = true)`))
	p.click(sel, shot)
}

// saved presses the form's button and checks the record confirms what it saved.
func (p *person) saved(shot, want string) {
	p.t.Helper()
	p.click("main form button", shot)
	if got := p.text("main"); !strings.Contains(got, want) {
		i := strings.Index(got, "There is a problem")
		p.t.Fatalf("%s: saving shows no %q: %s", p.name, want, got[max(i, 0):min(len(got), max(i, 0)+600)])
	}
}

// axeFinding is one rule axe-core found broken, with the first few elements that break it.
type axeFinding struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// check runs axe-core over the page as it stands, fails on any serious or critical finding, checks the page
// carries the stylesheet, and keeps a full-page screenshot.
func (p *person) check(shot string) {
	p.t.Helper()
	if !run(p, chromedp.Evaluate[bool](`typeof axe !== "undefined"`)) {
		run(p, chromedp.Evaluate[chromedp.Void](p.b.axe))
	}
	findings := run(p, chromedp.Evaluate[[]axeFinding](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
			id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))})))`,
		chromedp.EvalAwaitPromise))
	for _, f := range findings {
		p.t.Errorf("%s, %s: axe %s (%s): %s at %v", p.name, shot, f.ID, f.Impact, f.Help, f.Nodes)
	}
	if font := run(p, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("h1")).fontFamily`)); !strings.Contains(font, "system-ui") {
		p.t.Errorf("%s, %s: the page is not styled (heading font %q)", p.name, shot, font)
	}
	png := run(p, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(p.b.shots, p.name+"-"+shot+".png"), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.b.checked++
}

// accounts gives the synthetic council's first user in each role a known password, adding one where the council
// has none, and returns them by role.
func accounts(t *testing.T, st *store.Store, pw string) map[string]store.User {
	t.Helper()
	hash, err := password.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	users, err := st.Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.User{}
	for _, u := range users {
		if _, seen := out[u.Role]; seen || u.Disabled {
			continue
		}
		if err := st.SetPassword(t.Context(), store.System, u.ID, hash); err != nil {
			t.Fatal(err)
		}
		out[u.Role] = u
	}
	for _, role := range casework.Roles {
		if _, ok := out[role]; ok {
			continue
		}
		u, err := st.AddUser(t.Context(), store.System, store.User{Email: role + "@browser.example.org",
			Name: "Browser " + roleName(role), Role: role, FTE: 1, PasswordHash: hash})
		if err != nil {
			t.Fatal(err)
		}
		out[role] = u
	}
	return out
}

// TestBrowserJourneys walks the pages each role uses, in Chromium.
func TestBrowserJourneys(t *testing.T) {
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, casework.London())
	st := synthtest.Small(t, now, 3, 7)
	b := newBrowser(t, st)
	const pw = "a long enough password for the browser"
	users := accounts(t, st, pw)

	t.Run("sign-in refused", func(t *testing.T) {
		p := b.newPerson(t, "nobody")
		p.open("/sign-in", "sign-in")
		p.do(chromedp.SendKeys(chromedp.CSS("#email"), "nobody@example.org"), chromedp.SendKeys(chromedp.CSS("#password"), "wrong"))
		p.click("main button", "sign-in-refused")
		if got := p.text(".govuk-error-summary"); !strings.Contains(got, "Enter a correct email address and password") {
			t.Errorf("the error summary says %q", got)
		}
		if title := run(p, chromedp.Title()); !strings.HasPrefix(title, "Error: ") {
			t.Errorf("the title %q does not start Error:", title)
		}
	})

	t.Run("single sign-on", func(t *testing.T) {
		p := b.newPerson(t, "single-sign-on")
		b.issuer.signInAs(users[casework.RoleEarlyHelp].Email)
		p.open("/sign-in", "sign-in")
		p.click("#sso", "home-single-sign-on")
		if h := p.text("h1"); !strings.HasPrefix(h, "Welcome") || !strings.Contains(h, users[casework.RoleEarlyHelp].Name) {
			t.Fatalf("single sign-on shows %q", h)
		}
	})

	t.Run("social worker", func(t *testing.T) {
		u := users[casework.RoleSocialWorker]
		p := b.as(t, "social-worker", u.Email, pw)
		p.click(`a[href="/work"]`, "my-work")
		if run(p, chromedp.Evaluate[int](`document.querySelectorAll("tbody a[href^='/children/']").length`)) == 0 {
			t.Fatal("the social worker has no work due this week to open a record from")
		}
		p.click(`tbody a[href^="/children/"]`, "child-record")
		if got := p.text(".moj-identity-bar__title"); got == "" {
			t.Error("the record has no identity bar")
		}
		p.click(`a.moj-sub-navigation__link[href$="/history"]`, "child-history")
		p.open("/children", "find-a-child")
		p.do(chromedp.SendKeys(chromedp.CSS("#given"), "Zzz"), chromedp.SendKeys(chromedp.CSS("#dob-day"), "31"),
			chromedp.SendKeys(chromedp.CSS("#dob-month"), "2"), chromedp.SendKeys(chromedp.CSS("#dob-year"), "2019"))
		p.click(`main form:not([role=search]) button`, "find-a-child-error")
		if got := p.text(".govuk-error-summary"); !strings.Contains(got, "Date of birth") {
			t.Errorf("an impossible date of birth: the summary says %q", got)
		}
	})

	t.Run("team manager", func(t *testing.T) {
		u := users[casework.RoleTeamManager]
		p := b.as(t, "team-manager", u.Email, pw)
		p.click(`a.govuk-service-navigation__link[href="/team"]`, "team-work")
		if got := p.text("h1"); got != "My team's work" {
			t.Errorf("team page heading %q", got)
		}
	})

	t.Run("leader", func(t *testing.T) {
		u := users[casework.RoleLeader]
		p := b.as(t, "leader", u.Email, pw)
		p.click(`a.govuk-service-navigation__link[href="/performance"]`, "performance")
		p.click(`tbody a[href^="/performance/assessments45"]`, "indicator")
		p.do(chromedp.SendKeys(chromedp.CSS("#value"), "lots"))
		p.click(`form[action*="/target"] button`, "indicator-target-error")
		if got := p.text(".govuk-error-summary"); !strings.Contains(got, "Target must be a number") {
			t.Errorf("a target of lots: the summary says %q", got)
		}
		p.open("/sufficiency", "sufficiency")
		p.open("/improvement", "improvement")
		p.click(`a[href="/improvement/new/priority"]`, "improvement-new-priority")
		p.do(chromedp.SendKeys(chromedp.CSS("#title"), "Children live near home"))
		p.click(`main form button`, "improvement-priority-saved")
		if got := p.text(".govuk-notification-banner"); !strings.Contains(got, "The priority is added") {
			t.Errorf("saving a priority shows %q", got)
		}
		p.open("/border", "border")
		p.open("/boardpack", "boardpack")
	})

	t.Run("analyst", func(t *testing.T) {
		u := users[casework.RoleAnalyst]
		p := b.as(t, "analyst", u.Email, pw)
		p.click(`a.govuk-service-navigation__link[href="/quality"]`, "quality")
	})

	t.Run("auditor", func(t *testing.T) {
		p := b.as(t, "auditor", users[casework.RoleAuditor].Email, pw)
		p.click(`a.govuk-service-navigation__link[href="/audit"]`, "audit")
		p.typeIn("#who", users[casework.RoleSocialWorker].Email)
		p.click(`main form button`, "audit-search")
		if got := p.text("tbody"); !strings.Contains(got, "Opened a record") {
			t.Errorf("the social worker's trail: %.300q", got)
		}
		p.open("/audit?from=31+2+2026", "audit-error")
		if got := p.text(".govuk-error-summary"); !strings.Contains(got, "From must be a date") {
			t.Errorf("an impossible day: the summary says %q", got)
		}
		p.click(`a[href="/audit/verify"]`, "audit-verify")
		if got := p.text(".govuk-notification-banner"); !strings.Contains(got, "The chain is whole") {
			t.Errorf("checking the chain says %q", got)
		}
	})

	t.Run("partner", func(t *testing.T) {
		u := users[casework.RolePartner]
		p := b.as(t, "partner", u.Email, pw)
		if n := run(p, chromedp.Evaluate[int](`document.querySelectorAll(".govuk-service-navigation__link").length`)); n != 2 {
			t.Errorf("a partner sees %d sections in the navigation, want the children shared with them and their referrals", n)
		}
		p.click(`a.govuk-service-navigation__link[href="/shared"]`, "shared")
		if run(p, chromedp.Evaluate[int](`document.querySelectorAll("tbody a[href^='/shared/']").length`)) == 0 {
			t.Fatal("the synthetic council shares no children with the health visitors")
		}
		p.click(`tbody a[href^="/shared/"]`, "shared-child")
		if got := p.text("main"); !strings.Contains(got, "Council involvement") || strings.Contains(got, "LA child ID") {
			t.Errorf("a shared child's page shows %.300q", got)
		}
		p.open("/referrals/new", "refer")
		p.typeIn("#given", "Wilhelmina", "#family", "Ashdown", "#concerns", "She told her teacher she is hungry every day")
		p.click("main form button", "refer-error")
		if got := p.text(".govuk-error-summary"); !strings.Contains(got, "Your phone number is required") {
			t.Errorf("a referral without a phone number: the summary says %q", got)
		}
		p.date("birth_date", "3", "4", "2018")
		p.tick("#sex", "#parents_aware")
		p.pick("#source", "2A")
		p.typeIn("#phone", "01296 333333")
		p.saved("referral-sent", "Waiting at the front door")
		p.open("/children", "forbidden")
		if got := p.text("h1"); got != "You do not have access to this page" {
			t.Errorf("a partner finding a child sees %q", got)
		}
	})
	t.Run("front door to child protection plan, then reallocation", func(t *testing.T) {
		fd := b.as(t, "front-door", users[casework.RoleFrontDoor].Email, pw)
		fd.click(`a.govuk-service-navigation__link[href="/referrals"]`, "fd-referrals")
		fd.click(`tbody a[href^="/referrals/"]`, "fd-referral")
		if got := fd.text("h1"); !strings.HasPrefix(got, "Referral about") {
			t.Errorf("a waiting referral's page: %q", got)
		}
		fd.open("/children", "fd-find")
		fd.typeIn("#given", "Tobias", "#family", "Wrenfield")
		fd.typeIn("#dob-day", "14", "#dob-month", "6", "#dob-year", "2021")
		fd.click(`main form:not([role=search]) button`, "fd-no-match")
		fd.click(`.govuk-inset-text a[href^="/children/new"]`, "fd-new-child")
		fd.tick("#sex-1")
		fd.click("main form button", "fd-contact")
		if got := fd.text("h1"); got != "Record a contact" {
			t.Fatalf("after the new child: %q", got)
		}
		child := strings.TrimSuffix(run(fd, chromedp.Location()), "/forms/contact")
		child = child[strings.Index(child, "/children/"):]
		fd.date("received_at", "2", "11", "2026")
		fd.typeIn("#received_at-time", "08:30", "#reason", "Nursery saw a bruise on his arm")
		fd.pick("#source", "2A")
		fd.tick("#priority")
		fd.saved("fd-contact-saved", "Contact recorded")
		fd.click(`a[href*="/forms/threshold"]`, "fd-threshold")
		fd.tick("#level-3", "#service-1", "#outcome-4")
		fd.typeIn("#rationale", "An injury to a child under five")
		fd.date("decided_at", "2", "11", "2026")
		fd.typeIn("#decided_at-time", "09:15")
		fd.saved("fd-threshold-saved", "Threshold decision recorded")

		sw := b.as(t, "sw-protection", users[casework.RoleSocialWorker].Email, pw)
		sw.open(child, "sw-referral-due")
		sw.click(`a[href*="/forms/referral"]`, "sw-referral")
		sw.date("referral_date", "2", "11", "2026")
		sw.pick("#primary_need", "N1")
		sw.saved("sw-referral-saved", "Referral recorded")
		sw.follow(`a[href$="/forms/strategy"]`, "sw-strategy")
		sw.date("date", "2", "11", "2026")
		sw.typeIn("#decision", "Joint section 47 enquiry with the police")
		sw.saved("sw-strategy-saved", "Strategy discussion recorded")
		sw.follow(`a[href$="/forms/section47"]`, "sw-section47")
		run(sw, chromedp.Evaluate[chromedp.Void](`document.querySelector("#strategy_discussion_id").selectedIndex = 1`))
		sw.date("start", "2", "11", "2026")
		sw.saved("sw-section47-saved", "Section 47 enquiry started")
		sw.click(`a[href*="/forms/section47-outcome"]`, "sw-section47-outcome")
		sw.date("end", "2", "11", "2026")
		sw.tick("#conference_required")
		sw.saved("sw-section47-outcome-saved", "Section 47 outcome recorded")
		sw.click(`a[href*="/forms/conference?type=initial"]`, "sw-conference")
		sw.date("date", "2", "11", "2026")
		sw.tick("#plan_required")
		sw.pick("#category", "PHY")
		sw.saved("sw-plan", "Conference recorded")
		if got := sw.text(".app-alerts"); !strings.Contains(got, "child protection plan") {
			t.Errorf("after the conference the alerts say %q", got)
		}

		// The plan needs the health visitor in the core group: the worker shares the child with their team, without
		// consent because the plan protects him. The health visitor then sees him, and no more than sharing allows.
		partner := users[casework.RolePartner]
		sw.follow(`a[href$="/forms/share"]`, "sw-share")
		sw.tick(`input[name="team_id"][value="`+partner.TeamID+`"]`, "#basis-1", "#scope-1")
		sw.date("start", "2", "11", "2026")
		sw.saved("sw-share-error", "There is a problem")
		if got := sw.text("#justification-error"); !strings.Contains(got, "Why you are sharing is required") {
			t.Errorf("sharing without consent and without a reason: %q", got)
		}
		sw.typeIn("#justification", "The health visitor is in the core group of the child protection plan")
		sw.saved("sw-shared", "Sharing recorded")
		hv := b.as(t, "partner-journey", partner.Email, pw)
		hv.open("/shared", "partner-shared")
		hv.click(`tbody a[href="/shared/`+strings.TrimPrefix(child, "/children/")+`"]`, "partner-shared-child")
		if got := hv.text("main"); !strings.Contains(got, "Child protection plan since") || !strings.Contains(got, "Next review") ||
			strings.Contains(got, "Nursery saw a bruise") {
			t.Errorf("the health visitor's view of the child: %.400q", got)
		}
		hv.open(child, "partner-record-forbidden")
		if got := hv.text("h1"); got != "You do not have access to this page" {
			t.Errorf("the health visitor opening the record itself sees %q", got)
		}

		tm := b.as(t, "tm-reallocation", users[casework.RoleTeamManager].Email, pw)
		tm.open(child, "tm-record")
		tm.follow(`a[href$="/forms/allocate"]`, "tm-allocate")
		worker := tm.text(`label[for="worker_id"]`)
		tm.tick("#worker_id")
		tm.date("start", "2", "11", "2026")
		tm.saved("tm-allocated", "Case allocated")
		if name, _, _ := strings.Cut(worker, " ("); !strings.Contains(tm.text(".govuk-summary-list"), name) {
			t.Errorf("the record does not show the new worker %q", name)
		}

		tm.click(`a.moj-sub-navigation__link[href$="/looked-at"]`, "tm-looked-at")
		if got := tm.text("main"); !strings.Contains(got, "Opened the record") {
			t.Errorf("who has looked shows no one opening the record: %.200q", got)
		}

		// The manager learns the child is a colleague's relative and restricts the record to themselves: it
		// leaves the front door's search and the social worker's lists, and opening it is not found.
		tm.open(child, "tm-record-again")
		tm.follow(`a[href$="/forms/restrict"]`, "tm-restrict")
		tm.pick("#grounds", "staff_relative")
		tm.date("start", "2", "11", "2026")
		tm.saved("tm-restricted", "Record restricted")
		if got := tm.text(".app-alerts"); !strings.Contains(got, "Restricted record") {
			t.Errorf("a restricted record's alerts say %q", got)
		}
		fd.open("/children?q=Wrenfield", "fd-search-restricted")
		if got := fd.text("main"); strings.Contains(got, "Tobias") {
			t.Error("the front door's search finds the restricted child")
		}
		sw.open("/work", "sw-work-restricted")
		if got := sw.text("main"); strings.Contains(got, "Tobias") {
			t.Error("the social worker's work lists the restricted child")
		}
		sw.open(child, "sw-restricted-record")
		if got := sw.text("h1"); got != "Page not found" {
			t.Errorf("the social worker opening the restricted record sees %q", got)
		}
		hv.open("/shared", "partner-shared-restricted")
		if got := hv.text("main"); strings.Contains(got, "Tobias") {
			t.Error("the health visitor still lists the restricted child")
		}
		tm.open("/children?q=Wrenfield", "tm-search-restricted")
		if got := tm.text("main"); !strings.Contains(got, "Tobias") {
			t.Error("the manager the restriction names cannot find the child")
		}
	})
	t.Logf("axe checked %d pages; screenshots in %s", b.checked, b.shots)
}
