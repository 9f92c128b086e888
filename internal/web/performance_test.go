package web

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/improve"
	"github.com/continuum-cs/continuum/internal/kpi"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/synth/synthtest"
)

// newCouncilFixture is the application over a small synthetic council, with a session for one of its staff in
// each role it has.
func newCouncilFixture(t *testing.T) *fixture {
	t.Helper()
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	s := synthtest.Small(t, now, 3, 11)
	f := &fixture{t: t, store: s, logs: &lockedBuffer{}, sessions: map[string]string{}, users: map[string]store.User{}}
	users, err := s.Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if _, seen := f.users[u.Role]; seen || u.Disabled {
			continue
		}
		token := newToken()
		if err := s.CreateSession(t.Context(), token, u.ID, now.Add(absoluteTimeout)); err != nil {
			t.Fatal(err)
		}
		f.users[u.Role], f.sessions[u.Role] = u, token
	}
	f.serve()
	return f
}

func TestPerformancePages(t *testing.T) {
	f := newCouncilFixture(t)
	ctx := t.Context()
	leader := casework.RoleLeader

	resp, body := f.do(leader, "GET", "/performance", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("performance: %d %s", resp.StatusCode, body)
	}
	for _, ind := range kpi.Dictionary {
		if !strings.Contains(body, ">"+html.EscapeString(ind.Name)+"</a>") {
			t.Errorf("the overview lacks %s", ind.Name)
		}
	}
	if n := strings.Count(body, "<svg"); n != len(kpi.Dictionary) {
		t.Errorf("%d trends on the overview, want %d", n, len(kpi.Dictionary))
	}
	if !strings.Contains(body, "The 12 months to the end of") || !strings.Contains(body, "October 2026") {
		t.Error("the overview does not say its period")
	}

	// A month not offered is a field error, not a failure.
	resp, body = f.do(leader, "GET", "/performance?to=1999-01", nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "There is a problem") || !strings.Contains(body, `href="#to"`) {
		t.Errorf("a bad month: %d", resp.StatusCode)
	}

	// The indicator's page: its figure is the one the dictionary works out for the same 12 months.
	period := kpi.Rolling(civil.New(2026, time.October, 31), 1)[0]
	pop, err := kpi.LoadPopulation(ctx, f.store, "")
	if err != nil {
		t.Fatal(err)
	}
	groups, err := kpi.Compute(ctx, f.store, store.System, period, pop, "")
	if err != nil {
		t.Fatal(err)
	}
	var want kpi.Value
	for _, v := range groups[0].Values {
		if v.Code == "assessments45" {
			want = v
		}
	}
	resp, body = f.do(leader, "GET", "/performance/assessments45?to=2026-10", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("indicator: %d", resp.StatusCode)
	}
	if !strings.Contains(body, "<strong>"+formatValue(want)+"</strong>") {
		t.Errorf("the indicator's page does not show %s", formatValue(want))
	}
	if n := len(regexp.MustCompile(`<tr><th scope="row">[A-Z][a-z]+ 20\d\d</th>`).FindAllString(body, -1)); n != trendMonths {
		t.Errorf("%d points in the trend's table, want %d", n, trendMonths)
	}
	for _, district := range []string{"Aylesbury Vale", "Chiltern", "South Bucks", "Wycombe"} {
		if !strings.Contains(body, district) {
			t.Errorf("no row for %s", district)
		}
	}
	if !strings.Contains(body, "No target has been set") || !strings.Contains(body, `action="/performance/assessments45/target`) {
		t.Error("a leader is not offered the target form")
	}

	// A target that is not a number is refused with the field named, and nothing is recorded.
	resp, body = f.do(leader, "POST", "/performance/assessments45/target?to=2026-10", url.Values{"value": {"eighty"}, "tolerance": {"-1"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `href="#value"`) || !strings.Contains(body, `href="#tolerance"`) {
		t.Errorf("a bad target: %d", resp.StatusCode)
	}
	if h, _ := kpi.TargetHistory(ctx, f.store, "assessments45"); len(h) != 0 {
		t.Errorf("a bad target was recorded: %v", h)
	}
	resp, _ = f.do(leader, "POST", "/performance/referrals/target", url.Values{"value": {"500"}, "tolerance": {"10"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a target for context: %d", resp.StatusCode)
	}
	// A good one is kept with its history, and the page rates the figure against it.
	resp, _ = f.do(leader, "POST", "/performance/assessments45/target?to=2026-10", url.Values{"value": {"101"}, "tolerance": {"1"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/performance/assessments45?to=2026-10&saved=1") {
		t.Fatalf("a good target: %d to %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = f.do(leader, "GET", "/performance/assessments45?to=2026-10&saved=1", nil)
	if !strings.Contains(body, "The target is saved") || !strings.Contains(body, "101/1") || !strings.Contains(body, `app-rating--red">Red</strong>`) {
		t.Error("the saved target is not shown with its rating")
	}
	if resp, _ := f.do(casework.RoleTeamManager, "POST", "/performance/assessments45/target", url.Values{"value": {"1"}, "tolerance": {"1"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a team manager set a target: %d", resp.StatusCode)
	}

	// The children behind the figure add up to it, and each one listed is audited.
	resp, body = f.do(leader, "GET", "/performance/assessments45/children?to=2026-10", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("children behind: %d", resp.StatusCode)
	}
	if !strings.Contains(body, "adding "+formatCount(want.Numerator)+" to the numerator and "+formatCount(want.Denominator)+" to the denominator") {
		t.Errorf("the children do not add up to %v/%v", want.Numerator, want.Denominator)
	}
	ids := regexp.MustCompile(`<tr><td>([A-Z0-9]+)</td>`).FindAllStringSubmatch(body, -1)
	if len(ids) == 0 {
		t.Fatal("no children listed")
	}
	if strings.Contains(body, `href="/children/`) {
		t.Error("a leader, who may not read records, is given links to them")
	}
	children, err := kpi.Children(ctx, f.store, store.System, period, "assessments45", "", "")
	if err != nil {
		t.Fatal(err)
	}
	audited, err := f.store.FileAudit(ctx, children[0].FileID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !containsAudit(audited, f.users[leader].ID, store.ActionList, "children behind assessments45") {
		t.Errorf("the listing of %s is not audited: %+v", children[0].LAChildID, audited)
	}
	resp, _ = f.do(leader, "GET", "/performance/caseload/children", nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the children behind caseloads: %d", resp.StatusCode)
	}
	// The board pack as a page keeps to the style policy: its stylesheet is a file, not written in.
	resp, body = f.do(leader, "GET", "/boardpack?year=2025-26", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `href="/assets/report.css?v=`) || strings.Contains(body, "<style") ||
		!strings.Contains(body, "1 indicators red") || !strings.Contains(body, "the collection year 2025-26") {
		t.Errorf("the board pack page: %d", resp.StatusCode)
	}
	resp, _ = f.do(leader, "GET", "/performance/nosuch", nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown indicator: %d", resp.StatusCode)
	}
	if strings.Contains(f.logs.String(), children[0].Name.Family) {
		t.Error("the request log holds a child's name")
	}
}

func containsAudit(events []store.AuditEvent, actor, action, detail string) bool {
	for _, e := range events {
		if e.Actor == actor && e.Action == action && strings.HasPrefix(e.Detail, detail) {
			return true
		}
	}
	return false
}

func TestSufficiencyPage(t *testing.T) {
	f := newCouncilFixture(t)
	leader := casework.RoleLeader
	placed, err := kpi.Sufficiency(t.Context(), f.store, store.System, []civil.Date{civil.New(2026, time.October, 31)})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := f.do(leader, "GET", "/sufficiency?to=2026-10", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sufficiency: %d", resp.StatusCode)
	}
	want := fmt.Sprintf("<strong>%d</strong> children looked after and placed; <strong>%s</strong> inside the area",
		placed[0].Children, formatNumber(placed[0].InAreaPercent(), kpi.Percent))
	if placed[0].Children == 0 || !strings.Contains(body, want) {
		t.Errorf("the page does not say %q", want)
	}
	if !strings.Contains(body, "<svg") || !strings.Contains(body, "No trajectory has been set") {
		t.Error("no chart, or a trajectory where none is set")
	}
	resp, body = f.do(leader, "POST", "/sufficiency/trajectory?to=2026-10", url.Values{"trajectory": {"2027-03-31 55\n2026-03-31 fifty"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `href="#trajectory"`) || !strings.Contains(body, "point 2") {
		t.Errorf("a bad trajectory: %d", resp.StatusCode)
	}
	if v, ok, _ := f.store.Setting(t.Context(), kpi.TrajectorySetting); ok {
		t.Errorf("a bad trajectory was kept: %q", v)
	}
	resp, _ = f.do(leader, "POST", "/sufficiency/trajectory?to=2026-10", url.Values{"trajectory": {"2026-03-31 50\r\n2028-03-31 60\r\n"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a good trajectory: %d", resp.StatusCode)
	}
	// 31 October 2026 is 214 of the 731 days from the first point to the second: 50 + 10 × 214 / 731.
	_, body = f.do(leader, "GET", "/sufficiency?to=2026-10&saved=1", nil)
	if !strings.Contains(body, "The trajectory is saved") || !strings.Contains(body, "against an aim of 52.9%") ||
		!strings.Contains(body, "2026-03-31 50; 2028-03-31 60") || !strings.Contains(body, `stroke-dasharray`) {
		t.Error("the trajectory is not shown in force")
	}
}

// TestImprovementPlan records a priority, an action and a board challenge through the pages: mistakes are named
// field by field and change nothing, a change from a stale version is refused, every version is kept, and the
// board pack shows what is outstanding.
func TestImprovementPlan(t *testing.T) {
	f := newFixture(t)
	leader := casework.RoleLeader
	if resp, _ := f.do(leader, "POST", "/improvement/new/priority", url.Values{"title": {"Children live close to home"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a priority: %d", resp.StatusCode)
	}
	plan, err := improve.Load(t.Context(), f.store)
	if err != nil || len(plan.Priorities) != 2 {
		t.Fatalf("priorities: %+v %v", plan.Priorities, err)
	}
	priority := plan.Priorities[1].ID

	bad := url.Values{"priority": {"nosuch"}, "title": {"Recruit foster carers"}, "due": {"2027-02-30"}, "status": {"maybe"},
		"indicators": {"inArea", "nosuch"}}
	resp, body := f.do(leader, "POST", "/improvement/new/action", bad)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a bad action: %d", resp.StatusCode)
	}
	for _, field := range []string{"priority", "owner", "due", "status"} {
		if !strings.Contains(body, `href="#`+field+`"`) {
			t.Errorf("a bad action: no error for %s", field)
		}
	}
	if !strings.Contains(body, `value="Recruit foster carers"`) {
		t.Error("what was typed is lost")
	}
	if plan, _ := improve.Load(t.Context(), f.store); len(plan.Actions) != 0 {
		t.Fatal("a bad action was kept")
	}
	good := url.Values{"priority": {priority}, "title": {"Recruit foster carers"}, "owner": {"Head of fostering"},
		"due": {"2020-01-31"}, "status": {"at risk"}, "indicators": {"inArea", "miles20"}}
	if resp, _ := f.do(leader, "POST", "/improvement/new/action", good); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("an action: %d", resp.StatusCode)
	}
	plan, _ = improve.Load(t.Context(), f.store)
	action := plan.Actions[0]
	if !slices.Equal(action.Value.Indicators, []string{"inArea", "miles20"}) {
		t.Errorf("the action's indicators: %v", action.Value.Indicators)
	}
	_, body = f.do(leader, "GET", "/improvement", nil)
	if !strings.Contains(body, "Recruit foster carers") || !strings.Contains(body, `govuk-tag--red">overdue</strong>`) {
		t.Error("the plan does not show the overdue action")
	}
	// Two people change the action from the same version: the second is refused.
	good.Set("status", "on track")
	good.Set("version", "1")
	if resp, _ := f.do(leader, "POST", "/improvement/"+action.ID, good); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a change: %d", resp.StatusCode)
	}
	good.Set("status", "done")
	if resp, _ := f.do(leader, "POST", "/improvement/"+action.ID, good); resp.StatusCode != http.StatusConflict {
		t.Errorf("a stale change: %d", resp.StatusCode)
	}
	_, body = f.do(leader, "GET", "/improvement/"+action.ID, nil)
	if strings.Count(body, "title: Recruit foster carers") != 2 || !strings.Contains(body, `value="on track" id="status-1" checked`) {
		t.Error("the action's page does not show both versions and the status in force")
	}
	if resp, _ := f.do(casework.RoleTeamManager, "POST", "/improvement/"+action.ID, good); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a team manager changed the plan: %d", resp.StatusCode)
	}

	// A challenge cannot close without a response.
	challenge := url.Values{"raised": {"2026-01-10"}, "raised_by": {"Independent chair"}, "challenge": {"Why are more children placed far away?"},
		"owner": {"Director"}, "closed": {"2026-02-01"}}
	resp, body = f.do(leader, "POST", "/improvement/new/challenge", challenge)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `href="#response"`) {
		t.Errorf("a challenge closed with no response: %d", resp.StatusCode)
	}
	challenge.Set("closed", "")
	if resp, _ := f.do(leader, "POST", "/improvement/new/challenge", challenge); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a challenge: %d", resp.StatusCode)
	}
	_, body = f.do(leader, "GET", "/boardpack", nil)
	if !strings.Contains(body, "Recruit foster carers") || !strings.Contains(body, "Why are more children placed far away?") {
		t.Error("the board pack does not show the outstanding action and the open challenge")
	}
}

// TestBoardMember: a member of the improvement board reads the performance pages, the plan and the board pack,
// raises the board's challenges and records their answers, but changes nothing else of the plan, names no child
// and sees no data-quality findings.
func TestBoardMember(t *testing.T) {
	f := newFixture(t)
	board := casework.RoleBoard
	for _, path := range []string{"/", "/performance", "/performance/assessments45", "/sufficiency", "/boardpack", "/improvement",
		"/improvement/" + f.entryID, "/improvement/" + f.challengeID} {
		resp, body := f.do(board, "GET", path, nil)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
		if strings.Contains(body, "/children") || strings.Contains(body, `href="/quality"`) || strings.Contains(body, "/improvement/new/priority") {
			t.Errorf("GET %s offers the board member what they may not use", path)
		}
	}
	for _, path := range []string{"/performance/assessments45/children", "/quality", "/border", "/children", "/improvement/new/priority"} {
		if resp, _ := f.do(board, "GET", path, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s: %d, want 403", path, resp.StatusCode)
		}
	}
	_, body := f.do(board, "GET", "/improvement", nil)
	if !strings.Contains(body, `href="/improvement/new/challenge"`) {
		t.Error("the board member is not offered to record a challenge")
	}
	challenge := url.Values{"raised": {"2026-02-03"}, "raised_by": {"Board member"}, "challenge": {"Why do so few care leavers have work?"},
		"owner": {"Head of service"}}
	if resp, _ := f.do(board, "POST", "/improvement/new/challenge", challenge); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the board member's challenge: %d", resp.StatusCode)
	}
	// Answering the fixture's challenge through the board's own route.
	_, body = f.do(board, "GET", "/improvement/"+f.challengeID, nil)
	if !strings.Contains(body, `action="/improvement/challenges/`+f.challengeID+`"`) {
		t.Fatal("the challenge's form does not post to the board's route")
	}
	answer := url.Values{"raised": {"2026-01-12"}, "raised_by": {"Independent chair"}, "challenge": {"Why are visits late?"},
		"owner": {"Head of service"}, "response": {"Two vacant posts; filled in March."}, "closed": {"2026-03-20"}, "version": {"1"}}
	if resp, _ := f.do(board, "POST", "/improvement/challenges/"+f.challengeID, answer); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the board member closing a challenge: %d", resp.StatusCode)
	}
	// The priority is not a challenge: not there, and the plan's own route is the leaders'.
	priority := url.Values{"title": {"Something else"}, "version": {"1"}}
	if resp, _ := f.do(board, "POST", "/improvement/challenges/"+f.entryID, priority); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a priority changed through the challenge route: %d, want 404", resp.StatusCode)
	}
	if resp, _ := f.do(board, "POST", "/improvement/"+f.entryID, priority); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a board member changed a priority: %d, want 403", resp.StatusCode)
	}
	_, body = f.do(board, "GET", "/improvement", nil)
	if !strings.Contains(body, "Why do so few care leavers have work?") || !strings.Contains(body, "Two vacant posts") {
		t.Error("the challenge log does not show the board's challenge and the answer")
	}
}

// TestReportsKeep: figures are worked out once for many readers, failures are not kept, and stale figures are
// shown while fresh ones are worked out behind them.
func TestReportsKeep(t *testing.T) {
	var rs reports
	ctx := t.Context()
	start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	calls := 0
	work := func(context.Context) (any, error) { calls++; return calls, nil }
	for range 3 {
		if v, _, err := rs.get(ctx, "k", start, work); err != nil || v != 1 {
			t.Fatalf("first: %v %v", v, err)
		}
	}
	later := start.Add(reportFresh + time.Minute)
	v, at, err := rs.get(ctx, "k", later, work)
	if err != nil || v != 1 || !at.Equal(start) {
		t.Fatalf("stale: %v at %v, %v", v, at, err)
	}
	for range 100 { // the refresh runs behind the reader
		rs.mu.Lock()
		busy := rs.refreshing["k"]
		rs.mu.Unlock()
		if !busy {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if v, at, _ := rs.get(ctx, "k", later, work); v != 2 || !at.Equal(later) {
		t.Errorf("refreshed: %v at %v", v, at)
	}
	fails := 0
	failing := func(context.Context) (any, error) { fails++; return nil, errors.New("no") }
	rs.get(ctx, "bad", start, failing)
	rs.get(ctx, "bad", start, failing)
	if fails != 2 {
		t.Errorf("a failure was kept: worked out %d times", fails)
	}
}
