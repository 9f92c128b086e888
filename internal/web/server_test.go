package web

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/improve"
	"github.com/continuum-cs/continuum/internal/kpi"
	"github.com/continuum-cs/continuum/internal/password"
	"github.com/continuum-cs/continuum/internal/store"
)

// fixture is a running application over a fresh SQLite database with one child and one user per role.
type fixture struct {
	t       *testing.T
	srv     *httptest.Server
	store   *store.Store
	logs    *lockedBuffer
	childID string
	entryID string // a priority of the improvement plan
	// challengeID is a challenge in the board's log.
	challengeID string
	// referralID is a partner's referral waiting at the front door.
	referralID string
	teamID     string
	// partnerTeamID is the partner agency's team, which the partner user is in and the child is shared with.
	partnerTeamID string
	// sessions holds a signed-in session token per role.
	sessions map[string]string
	users    map[string]store.User
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

const testPassword = "a long enough password"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := t.Context()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	hash, err := password.Hash(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, store: s, logs: &lockedBuffer{}, sessions: map[string]string{}, users: map[string]store.User{}}
	team, err := s.AddTeam(ctx, store.System, store.Team{Name: "Test team", Service: "cin_cp"})
	if err != nil {
		t.Fatal(err)
	}
	f.teamID = team.ID
	partners, err := s.AddTeam(ctx, store.System, store.Team{Name: "Test health visiting", Service: "partner"})
	if err != nil {
		t.Fatal(err)
	}
	f.partnerTeamID = partners.ID
	for _, role := range casework.Roles {
		teamID := team.ID
		if role == casework.RolePartner {
			teamID = partners.ID
		}
		u, err := s.AddUser(ctx, store.System, store.User{Email: role + "@example.org", Name: "Test " + role, Role: role,
			FTE: 1, PasswordHash: hash, TeamID: teamID})
		if err != nil {
			t.Fatal(err)
		}
		f.users[role] = u
		token := newToken()
		if err := s.CreateSession(ctx, token, u.ID, s.Now().Add(absoluteTimeout)); err != nil {
			t.Fatal(err)
		}
		f.sessions[role] = token
	}
	f.childID, err = s.CreateFile(ctx, store.System, func(file *casework.File) error {
		return file.Save(&casework.Person{Role: casework.RoleChild, LAChildID: "WEB1",
			Name:      casework.Name{Given: "Zephyrine", Family: "Quillfeather"},
			BirthDate: civil.MustParse("2016-03-04"), Sex: "F", Ethnicity: "WBRI", Disabilities: []string{"NONE"},
			UPNUnknown: "UN4", Address: casework.Address{Postcode: "HP20 1UA", District: "Aylesbury Vale"}},
			f.sharing())
	})
	if err != nil {
		t.Fatal(err)
	}
	partner := f.users[casework.RolePartner]
	f.referralID, err = s.SendReferral(ctx, store.Actor{UserID: partner.ID, Role: partner.Role, TeamID: partner.TeamID}, testReferral())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetSetting(ctx, store.System, kpi.PopulationSetting, "10000"); err != nil {
		t.Fatal(err)
	}
	entry, err := s.SaveEntry(ctx, store.System, store.Entry{Kind: improve.KindPriority, Body: `{"title":"Stable homes"}`}, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.entryID = entry.ID
	challenge, err := s.SaveEntry(ctx, store.System, store.Entry{Kind: improve.KindChallenge,
		Body: `{"raised":"2026-01-12","raised_by":"Independent chair","challenge":"Why are visits late?","owner":"Head of service"}`}, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.challengeID = challenge.ID
	f.serve()
	return f
}

// serve starts the application over the fixture's store.
func (f *fixture) serve(opts ...Option) {
	h, err := New(f.store, slog.New(slog.NewJSONHandler(f.logs, nil)), false, store.LatestSchema(), opts...)
	if err != nil {
		f.t.Fatal(err)
	}
	f.srv = httptest.NewServer(h)
	f.t.Cleanup(f.srv.Close)
}

// withSSO starts the application again, offering single sign-on through an issuer started for the test, and
// returns the issuer.
func (f *fixture) withSSO() *issuer {
	f.t.Helper()
	f.srv.Close()
	var iss *issuer
	f.srv, iss = serveSSO(f.t, f.store, slog.New(slog.NewJSONHandler(f.logs, nil)))
	return iss
}

// serveSSO starts the application over st with single sign-on through an issuer started for the test.
func serveSSO(t *testing.T, st *store.Store, log *slog.Logger) (*httptest.Server, *issuer) {
	t.Helper()
	// The provider must know the application's address before the application can be built.
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	iss := newIssuer(t, base+ssoCallback)
	sso, err := NewSSO(t.Context(), iss.srv.URL, iss.clientID, iss.secret, base)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Config.Handler, err = New(st, log, false, store.LatestSchema(), WithSSO(sso)); err != nil {
		t.Fatal(err)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, iss
}

// testReferral is a health visitor's referral of a child not yet known.
func testReferral() casework.PartnerReferral {
	return casework.PartnerReferral{Given: "Marigold", Family: "Thistlewood", BirthDate: civil.MustParse("2024-02-03"),
		Sex: "F", Source: "3B", Concerns: "Bruising seen on her arm at a home visit", ParentsAware: "yes", Phone: "01296 000000"}
}

// sharing shares a child with the partner agency's team, with consent.
func (f *fixture) sharing() *casework.Sharing {
	return &casework.Sharing{TeamID: f.partnerTeamID, Basis: casework.BasisConsent, ConsentBy: "parent",
		Scope: casework.ScopeInvolvement, Start: civil.MustParse("2026-01-01")}
}

// restrictedChild adds a child whose record only the user named may see, and returns the file's ID. It is shared
// with the partner agency, whom the restriction hides it from all the same.
func (f *fixture) restrictedChild(named string) string {
	f.t.Helper()
	id, err := f.store.CreateFile(f.t.Context(), store.System, func(file *casework.File) error {
		return file.Save(&casework.Person{Role: casework.RoleChild, LAChildID: "WEB2",
			Name:      casework.Name{Given: "Ottoline", Family: "Quillfeather"},
			BirthDate: civil.MustParse("2018-05-06"), Sex: "F", Ethnicity: "WBRI", Disabilities: []string{"NONE"},
			UPNUnknown: "UN4", Address: casework.Address{Postcode: "HP20 1UA", District: "Aylesbury Vale"}},
			&casework.Restriction{Grounds: "staff_relative", Named: []string{named}, Start: civil.MustParse("2026-01-01")},
			f.sharing())
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// heldElsewhere adds a child whose case is held by a looked-after team none of the fixture's users are in.
func (f *fixture) heldElsewhere() string {
	f.t.Helper()
	ctx := f.t.Context()
	team, err := f.store.AddTeam(ctx, store.System, store.Team{Name: "Care team", Service: "looked_after"})
	if err != nil {
		f.t.Fatal(err)
	}
	worker, err := f.store.AddUser(ctx, store.System, store.User{Email: "care@example.org", Name: "Care worker",
		Role: casework.RoleSocialWorker, FTE: 1, TeamID: team.ID})
	if err != nil {
		f.t.Fatal(err)
	}
	id, err := f.store.CreateFile(ctx, store.System, func(file *casework.File) error {
		ep := &casework.Episode{ReferralDate: civil.MustParse("2026-01-05"), Source: "6", PrimaryNeed: "N1"}
		if err := file.Save(&casework.Person{Role: casework.RoleChild, LAChildID: "WEB3",
			Name:      casework.Name{Given: "Peregrine", Family: "Quillfeather"},
			BirthDate: civil.MustParse("2017-05-06"), Sex: "M", Ethnicity: "WBRI", Disabilities: []string{"NONE"},
			UPNUnknown: "UN4", Address: casework.Address{Postcode: "HP20 1UA", District: "Aylesbury Vale"}}, ep); err != nil {
			return err
		}
		return file.Allocate(ep.ID, worker.ID, team.ID, ep.ReferralDate, "FCONTA")
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// client does not follow redirects, so tests see them.
func (f *fixture) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// do sends a request as role ("" for nobody) and returns the response with its body read.
func (f *fixture) do(role, method, path string, form url.Values) (*http.Response, string) {
	f.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(f.t.Context(), method, f.srv.URL+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if role != "" {
		req.AddCookie(&http.Cookie{Name: cookieName, Value: f.sessions[role]})
	}
	resp, err := f.client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestEveryRouteEveryRole walks every route the server has, as nobody and as every role, and checks the outcome
// the policy promises. A route without an entry in expect fails the test.
func TestEveryRouteEveryRole(t *testing.T) {
	f := newFixture(t)
	f.withSSO()
	// public routes answer anyone; the rest send nobody to sign in and answer per the policy's grant table.
	type want struct {
		public bool
		// ok is the status for a permitted request.
		ok int
	}
	expect := map[string]want{
		"GET /healthz":       {public: true, ok: 200},
		"GET /readyz":        {public: true, ok: 200},
		"GET /sign-in":       {public: true, ok: 200},
		"GET /assets/{name}": {public: true, ok: 200},
		"POST /sign-in":      {public: true, ok: 401},
		"GET /sign-in/sso":   {public: true, ok: 303},
		// An answer from the provider with no sign-in under way in this browser.
		"GET /sign-in/sso/callback":        {public: true, ok: 400},
		"POST /sign-out":                   {ok: 303},
		"GET /{$}":                         {ok: 200},
		"GET /children":                    {ok: 200},
		"GET /children/{id}":               {ok: 200},
		"GET /children/{id}/history":       {ok: 200},
		"GET /children/{id}/looked-at":     {ok: 200},
		"GET /work":                        {ok: 200},
		"GET /team":                        {ok: 200},
		"GET /border":                      {ok: 200},
		"POST /border/policy":              {ok: 303},
		"GET /quality":                     {ok: 200},
		"GET /performance":                 {ok: 200},
		"GET /performance/{code}":          {ok: 200},
		"POST /performance/{code}/target":  {ok: 303},
		"GET /performance/{code}/children": {ok: 200},
		"GET /sufficiency":                 {ok: 200},
		"GET /boardpack":                   {ok: 200},
		"GET /improvement":                 {ok: 200},
		"GET /improvement/new/{kind}":      {ok: 200},
		"POST /improvement/new/{kind}":     {ok: 303},
		"GET /improvement/{id}":            {ok: 200},
		"POST /improvement/{id}":           {ok: 303},
		// The matrix's form is no challenge: permitted roles reach validation.
		"GET /improvement/new/challenge":    {ok: 200},
		"POST /improvement/new/challenge":   {ok: 400},
		"POST /improvement/challenges/{id}": {ok: 400},
		"POST /sufficiency/trajectory":      {ok: 303},
		"GET /children/new":                 {ok: 200},
		// The matrix's form makes no child, and the fixture's child has no episode for a visit: permitted
		// roles reach validation.
		"POST /children/new":               {ok: 400},
		"GET /children/{id}/forms/{form}":  {ok: 200},
		"POST /children/{id}/forms/{form}": {ok: 400},
		// Every role that may break the glass is already related to the fixture's child, and the matrix's
		// form gives no reason and no review note.
		"POST /children/{id}/break-glass": {ok: 400},
		"POST /team/break-glass/{id}":     {ok: 400},
		"GET /shared":                     {ok: 200},
		"GET /shared/{id}":                {ok: 200},
		"GET /referrals/new":              {ok: 200},
		"POST /referrals/new":             {ok: 400},
		"GET /referrals/sent":             {ok: 200},
		"GET /referrals":                  {ok: 200},
		"GET /referrals/{id}":             {ok: 200},
		// The matrix's form chooses no child.
		"POST /referrals/{id}": {ok: 400},
		"GET /audit":           {ok: 200},
		"GET /audit/verify":    {ok: 200},
	}
	srv := &Server{}
	for _, rt := range srv.routes() {
		w, ok := expect[rt.pattern]
		if !ok {
			t.Errorf("route %q has no entry in the policy matrix", rt.pattern)
			continue
		}
		method, path, _ := strings.Cut(rt.pattern, " ")
		id := f.childID
		if strings.HasPrefix(path, "/improvement/") {
			id = f.entryID
		}
		if strings.HasPrefix(path, "/improvement/challenges/") {
			id = f.challengeID
		}
		if strings.HasPrefix(path, "/referrals/") {
			id = f.referralID
		}
		path = strings.NewReplacer("{id}", id, "{$}", "", "{code}", "assessments45", "{kind}", "priority", "{name}", "report.css", "{form}", "visit").Replace(path)
		if w.public != (rt.action == "") {
			t.Errorf("%s: public in the matrix is %v, but the route's action is %q", rt.pattern, w.public, rt.action)
		}
		var form url.Values
		if method == http.MethodPost {
			form = url.Values{"email": {"nobody@example.org"}, "password": {"wrong"}, "value": {"85"}, "tolerance": {"5"},
				"trajectory": {"2027-03-31 55"},
				"title":      {"Stable homes"}, "version": {"1"}}
		}
		for _, role := range append([]string{""}, casework.Roles...) {
			if form != nil {
				// A wrong sign-in per account, so none reaches the lockout.
				form.Set("email", "nobody-"+role+"@example.org")
			}
			resp, _ := f.do(role, method, path, form)
			checkHeaders(t, rt.pattern, resp)
			got := resp.StatusCode
			switch {
			case w.public:
				if got != w.ok {
					t.Errorf("%s as %q: %d, want %d", rt.pattern, role, got, w.ok)
				}
			case role == "":
				if got != http.StatusSeeOther || resp.Header.Get("Location") != "/sign-in" {
					t.Errorf("%s signed out: %d to %q, want 303 to /sign-in", rt.pattern, got, resp.Header.Get("Location"))
				}
			case casework.Authorize(role, rt.action) == nil:
				if got != w.ok {
					t.Errorf("%s as %s: %d, want %d", rt.pattern, role, got, w.ok)
				}
			default:
				if got != http.StatusForbidden {
					t.Errorf("%s as %s: %d, want 403", rt.pattern, role, got)
				}
			}
			if rt.pattern == "POST /sign-out" && role != "" {
				// Signing out ended the session; start another for the rest of the test.
				token := newToken()
				if err := f.store.CreateSession(t.Context(), token, f.users[role].ID, f.store.Now().Add(absoluteTimeout)); err != nil {
					t.Fatal(err)
				}
				f.sessions[role] = token
			}
		}
	}
	// The same routes for a child whose record is restricted to the team manager, and for one whose case is held
	// by a team in another service.
	restricted, held := f.restrictedChild(f.users[casework.RoleTeamManager].ID), f.heldElsewhere()
	for _, rt := range srv.routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if !strings.HasPrefix(path, "/children/{id}") && path != "/shared/{id}" {
			continue
		}
		var form url.Values
		if method == http.MethodPost {
			form = url.Values{}
		}
		for _, role := range casework.Roles {
			if casework.Authorize(role, rt.action) != nil {
				continue
			}
			at := func(id string) string {
				return strings.NewReplacer("{id}", id, "{form}", "visit").Replace(path)
			}
			resp, _ := f.do(role, method, at(restricted), form)
			checkHeaders(t, rt.pattern, resp)
			if role == casework.RoleTeamManager {
				if resp.StatusCode != expect[rt.pattern].ok {
					t.Errorf("%s on a record restricted to them: %d, want %d", rt.pattern, resp.StatusCode, expect[rt.pattern].ok)
				}
			} else if resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s as %s on a record restricted to others: %d, want 404", rt.pattern, role, resp.StatusCode)
			}
			resp, body := f.do(role, method, at(held), form)
			switch {
			case role == casework.RoleFrontDoor:
				if resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound {
					t.Errorf("%s as the front door on a case held elsewhere: %d", rt.pattern, resp.StatusCode)
				}
			case rt.action == casework.ActionViewShared:
				// Not shared with the partner: not found, as if the council did not know the child.
				if resp.StatusCode != http.StatusNotFound {
					t.Errorf("%s as %s on a child not shared: %d, want 404", rt.pattern, role, resp.StatusCode)
				}
			case rt.action == casework.ActionBreakGlass:
				// Without a reason, break-glass asks for one.
				if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "say why you need to open this record") {
					t.Errorf("%s as %s without a reason: %d", rt.pattern, role, resp.StatusCode)
				}
			case resp.StatusCode != http.StatusForbidden || !strings.Contains(body, `action="/children/`+held+`/break-glass"`):
				t.Errorf("%s as %s on a case held elsewhere: %d, want 403 offering break-glass", rt.pattern, role, resp.StatusCode)
			}
		}
	}
	// Unknown paths are not found, with the same headers.
	resp, _ := f.do(casework.RoleSocialWorker, "GET", "/no/such/page", nil)
	checkHeaders(t, "unknown path", resp)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown path: %d", resp.StatusCode)
	}
	if strings.Contains(f.logs.String(), "Zephyrine") || strings.Contains(f.logs.String(), "Quillfeather") ||
		strings.Contains(f.logs.String(), "2016-03-04") {
		t.Error("the request log holds the child's name or date of birth")
	}
}

func checkHeaders(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	// Nothing is cached but the stylesheets, which hold no one's data (and are checked again by TestAssets).
	cache := "no-store"
	if what == "GET /assets/{name}" {
		cache = "no-cache"
	}
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "no-referrer",
		"Cache-Control":          cache,
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("%s: %s is %q, want %q", what, name, got, want)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("%s: Content-Security-Policy %q lacks %q", what, csp, d)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("%s: Content-Security-Policy allows inline or eval: %q", what, csp)
	}
}

// TestSignInFlow signs in with a password, uses the session, signs out, and checks the session is gone.
func TestSignInFlow(t *testing.T) {
	f := newFixture(t)
	c := f.client()
	post := func(email, pw string) *http.Response {
		resp, err := c.PostForm(f.srv.URL+"/sign-in", url.Values{"email": {email}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	// Wrong password and unknown account look the same.
	for _, email := range []string{"social_worker@example.org", "nobody@example.org"} {
		if resp := post(email, "not the password at all"); resp.StatusCode != http.StatusUnauthorized || len(resp.Cookies()) != 0 {
			t.Errorf("bad sign-in for %s: %d with %d cookies", email, resp.StatusCode, len(resp.Cookies()))
		}
	}
	resp := post("social_worker@example.org", testPassword)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("sign-in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == cookieName {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || len(session.Value) < 32 {
		t.Fatalf("session cookie: %+v", session)
	}
	get := func(path string) int {
		resp, err := c.Get(f.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get("/children/" + f.childID); got != http.StatusOK {
		t.Errorf("record after sign-in: %d", got)
	}
	// Signing in again gives a new session token.
	first := session.Value
	resp = post("social_worker@example.org", testPassword)
	for _, ck := range resp.Cookies() {
		if ck.Name == cookieName && ck.Value == first {
			t.Error("a second sign-in reused the session token")
		}
	}
	// A cross-site form post is refused before it reaches a handler.
	req, _ := http.NewRequest("POST", f.srv.URL+"/sign-out", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err := c.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sign-out: %v %v, want 403", resp, err)
	}
	if resp, err := c.PostForm(f.srv.URL+"/sign-out", nil); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out: %v %v", resp, err)
	}
	if got := get("/"); got != http.StatusSeeOther {
		t.Errorf("home after sign-out: %d, want 303 to sign in", got)
	}
	// The old token no longer works even if replayed.
	req, _ = http.NewRequest("GET", f.srv.URL+"/", nil)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: first})
	if resp, err := f.client().Do(req); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Errorf("replayed token: %v %v, want 303", resp, err)
	}
}

// TestSignInLockout: five wrong passwords lock the account, even against the right one, for 15 minutes; the
// warning comes before the lock; other accounts are not locked; and one address trying many accounts is slowed.
func TestSignInLockout(t *testing.T) {
	f := newFixture(t)
	post := func(email, pw string) (*http.Response, string) {
		return f.do("", "POST", "/sign-in", url.Values{"email": {email}, "password": {pw}})
	}
	for i := 1; i <= accountAttempts; i++ {
		resp, body := post("Social_Worker@example.org", "wrong")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong attempt %d: %d", i, resp.StatusCode)
		}
		if warned := strings.Contains(body, "more wrong attempt"); warned != (i == 3 || i == 4) {
			t.Errorf("wrong attempt %d: warned %v", i, warned)
		}
		if locked := strings.Contains(body, "too many attempts"); locked != (i == accountAttempts) {
			t.Errorf("wrong attempt %d: says locked %v", i, locked)
		}
	}
	resp, body := post("social_worker@example.org", testPassword)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "900" ||
		!strings.Contains(body, "too many attempts") || len(resp.Cookies()) != 0 {
		t.Errorf("the right password on a locked account: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, _ := post("team_manager@example.org", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another account from the same address: %d", resp.StatusCode)
	}
	// An administrator's unlock (the store's clearing) lets the right password in again, and a success clears
	// what went before.
	if err := f.store.ClearSignInFailures(t.Context(), store.AccountKey("social_worker@example.org")); err != nil {
		t.Fatal(err)
	}
	if resp, _ := post("social_worker@example.org", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after unlocking: %d", resp.StatusCode)
	}
	// Many accounts from one address: the address is slowed once it reaches its limit.
	for i := accountAttempts; i < addressAttempts; i++ {
		post(fmt.Sprintf("guess%d@example.org", i), "wrong")
	}
	if resp, _ := post("leader@example.org", testPassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("from an address that has failed %d times: %d", addressAttempts, resp.StatusCode)
	}
	if strings.Contains(f.logs.String(), "social_worker@example.org") {
		t.Error("the log holds an email address")
	}
}

// TestBadBodies: a form too large gets 413 and a malformed one 400, and neither changes anything.
func TestBadBodies(t *testing.T) {
	f := newFixture(t)
	before, err := f.store.Entries(t.Context(), improve.KindPriority)
	if err != nil {
		t.Fatal(err)
	}
	huge := url.Values{"title": {strings.Repeat("x", 2<<20)}}
	if resp, body := f.do(casework.RoleLeader, "POST", "/improvement/new/priority", huge); resp.StatusCode != http.StatusRequestEntityTooLarge ||
		!strings.Contains(body, "too large") {
		t.Errorf("a 2 MiB form: %d", resp.StatusCode)
	}
	req, _ := http.NewRequestWithContext(t.Context(), "POST", f.srv.URL+"/improvement/new/priority", strings.NewReader("title=%zz"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: cookieName, Value: f.sessions[casework.RoleLeader]})
	resp, err := f.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a malformed form: %d", resp.StatusCode)
	}
	after, err := f.store.Entries(t.Context(), improve.KindPriority)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("entries: %d before, %d after", len(before), len(after))
	}
}

// TestReadsAreAudited checks that opening a record and searching leave audit events naming the user and the child.
func TestReadsAreAudited(t *testing.T) {
	f := newFixture(t)
	sw := f.users[casework.RoleSocialWorker]
	if resp, body := f.do(casework.RoleSocialWorker, "GET", "/children?q=quillfeather", nil); resp.StatusCode != 200 ||
		!strings.Contains(body, "Quillfeather") {
		t.Fatalf("search: %d", resp.StatusCode)
	}
	if resp, _ := f.do(casework.RoleSocialWorker, "GET", "/children/"+f.childID, nil); resp.StatusCode != 200 {
		t.Fatalf("record: %d", resp.StatusCode)
	}
	events, err := f.store.FileAudit(t.Context(), f.childID, 100)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range events {
		if e.Actor == sw.ID {
			seen[e.Action] = true
		}
	}
	for _, action := range []string{store.ActionList, store.ActionRead} {
		if !seen[action] {
			t.Errorf("no %q audit event by the social worker on the child's file; got %+v", action, events)
		}
	}
}

// TestWorkPages: a referral allocated to the social worker puts the assessment in their work and their team's.
func TestWorkPages(t *testing.T) {
	f := newFixture(t)
	sw := f.users[casework.RoleSocialWorker]
	today := casework.Today(f.store.Now())
	err := f.store.UpdateFile(t.Context(), store.System, f.childID, func(file *casework.File) error {
		ep := &casework.Episode{ReferralDate: today.AddDays(-70), Source: "2A", PrimaryNeed: "N1"}
		if err := file.Save(ep); err != nil {
			return err
		}
		return file.Allocate(ep.ID, sw.ID, f.teamID, today.AddDays(-70), "FCONTA")
	})
	if err != nil {
		t.Fatal(err)
	}
	for role, path := range map[string]string{casework.RoleSocialWorker: "/work", casework.RoleTeamManager: "/team"} {
		resp, body := f.do(role, "GET", path, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "Complete the child and family assessment") ||
			!strings.Contains(body, "Overdue by") || !strings.Contains(body, "Quillfeather") {
			t.Errorf("%s %s: %d\n%s", role, path, resp.StatusCode, body)
		}
	}
	if _, body := f.do(casework.RoleTeamManager, "GET", "/team", nil); !strings.Contains(body, "Test social_worker") {
		t.Errorf("the team page has no caseload for the social worker:\n%s", body)
	}
}

// TestBreakGlassReview: a worker opens a record held by another service with a reason; their manager sees it on
// the team page, is asked to say what they found when they leave the note empty, and then marks it reviewed.
func TestBreakGlassReview(t *testing.T) {
	f := newFixture(t)
	held := f.heldElsewhere()
	if resp, _ := f.do(casework.RoleSocialWorker, "GET", "/children/"+held, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a record held elsewhere, before break-glass: %d", resp.StatusCode)
	}
	resp, _ := f.do(casework.RoleSocialWorker, "POST", "/children/"+held+"/break-glass",
		url.Values{"reason": {"Police called about him tonight"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("break-glass with a reason: %d", resp.StatusCode)
	}
	if resp, _ := f.do(casework.RoleSocialWorker, "GET", "/children/"+held, nil); resp.StatusCode != 200 {
		t.Fatalf("the record after break-glass: %d", resp.StatusCode)
	}
	_, body := f.do(casework.RoleTeamManager, "GET", "/team", nil)
	m := regexp.MustCompile(`action="/team/break-glass/([^"]+)"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "Police called about him tonight") {
		t.Fatalf("the team page does not offer the opening for review:\n%s", body)
	}
	review := "/team/break-glass/" + m[1]
	resp, body = f.do(casework.RoleTeamManager, "POST", review, url.Values{"note": {" "}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `href="#note-`+m[1]+`"`) ||
		!strings.Contains(body, `id="note-`+m[1]+`-error"`) {
		t.Errorf("an empty review note: %d, want 400 with the note's field named\n%s", resp.StatusCode, body)
	}
	if resp, _ = f.do(casework.RoleTeamManager, "POST", review, url.Values{"note": {"Checked with the police: needed"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a review with a note: %d", resp.StatusCode)
	}
	if _, body = f.do(casework.RoleTeamManager, "GET", "/team", nil); strings.Contains(body, review) {
		t.Errorf("a reviewed opening is still waiting for review")
	}
}

// TestFrontDoorCheck: the front door finds a known child from a swapped date of birth and a nickname, says so
// when no one matches, and names each field it cannot read.
func TestFrontDoorCheck(t *testing.T) {
	f := newFixture(t)
	resp, body := f.do(casework.RoleFrontDoor, "GET", "/children?given=Zeph&family=Quillfeather&dob-day=3&dob-month=4&dob-year=2016", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "/children/"+f.childID) ||
		!strings.Contains(body, "date of birth with day and month swapped") {
		t.Errorf("swapped date: %d\n%s", resp.StatusCode, body)
	}
	if _, body := f.do(casework.RoleFrontDoor, "GET", "/children?family=Nobody&dob-day=1&dob-month=1&dob-year=2020", nil); !strings.Contains(body, "No known child matches") {
		t.Errorf("no match:\n%s", body)
	}
	resp, body = f.do(casework.RoleFrontDoor, "GET", "/children?nhs=123&dob-day=31&dob-month=2&dob-year=2016", nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `href="#nhs"`) ||
		!strings.Contains(body, `href="#dob-day"`) || !strings.Contains(body, "Date of birth must be a real date") {
		t.Errorf("bad input: %d\n%s", resp.StatusCode, body)
	}
}

// TestBorderPage: a leader reads the report and changes the step policy, which comes back as a new version; a
// bad date is named.
func TestBorderPage(t *testing.T) {
	f := newFixture(t)
	resp, body := f.do(casework.RoleLeader, "GET", "/border?from=2025-04-01&to=2026-03-31", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "Decisions from 2025-04-01 to 2026-03-31") ||
		!strings.Contains(body, "Step policy (version 0)") || !strings.Contains(body, `name="consent_for_step_down" value="on" checked`) {
		t.Errorf("report: %d\n%s", resp.StatusCode, body)
	}
	resp, _ = f.do(casework.RoleLeader, "POST", "/border/policy", url.Values{"no_protection_to_early_help": {"on"}, "lead_before_closure": {"on"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/border?saved=1" {
		t.Fatalf("save: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	p, v, err := f.store.StepPolicy(t.Context())
	if err != nil || v != 1 || p.ConsentForStepDown || !p.NoProtectionToEarlyHelp || !p.LeadBeforeClosure {
		t.Errorf("saved policy %+v v%d %v", p, v, err)
	}
	// A manager sees the policy but cannot change it.
	if _, body := f.do(casework.RoleTeamManager, "GET", "/border", nil); strings.Contains(body, "<form method=\"post\" action=\"/border/policy\"") ||
		!strings.Contains(body, "consent to early help: off") {
		t.Errorf("manager's view:\n%s", body)
	}
	resp, body = f.do(casework.RoleLeader, "GET", "/border?from=2025-02-30", nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `href="#from"`) {
		t.Errorf("bad date: %d\n%s", resp.StatusCode, body)
	}
}

// TestQualityPage: an analyst sees what the census rules find in the council's records, with a link to the child
// to put right; each child listed is audited; a bad year is named.
func TestQualityPage(t *testing.T) {
	f := newFixture(t)
	err := f.store.UpdateFile(t.Context(), store.System, f.childID, func(file *casework.File) error {
		ep := &casework.Episode{ReferralDate: civil.MustParse("2025-02-03"), Source: "2A", PrimaryNeed: "N1"}
		if err := file.Save(ep); err != nil {
			return err
		}
		// An assessment still open more than a year on: the census wants it started in the year (8736).
		return file.Save(&casework.Assessment{EpisodeID: ep.ID, Start: civil.MustParse("2025-02-03")})
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := f.do(casework.RoleAnalyst, "GET", "/quality?year=2025-26", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "<strong>1 errors</strong>") ||
		!strings.Contains(body, `<td>8736 <strong class="govuk-tag govuk-tag--red">error</strong></td><td><a href="/children/`+f.childID+`">WEB1</a></td>`) {
		t.Errorf("quality: %d\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, "Quillfeather") {
		t.Error("the quality page shows a child's name")
	}
	events, err := f.store.FileAudit(t.Context(), f.childID, 100)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(events, func(e store.AuditEvent) bool {
		return e.Action == store.ActionList && e.Actor == f.users[casework.RoleAnalyst].ID && e.Detail == "data quality 2025-26"
	}) {
		t.Errorf("the child listed was not audited: %+v", events)
	}
	resp, body = f.do(casework.RoleAnalyst, "GET", "/quality?year=2025&return=ssda902", nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `href="#year"`) || !strings.Contains(body, `href="#return"`) {
		t.Errorf("bad year and return: %d\n%s", resp.StatusCode, body)
	}

	// The same page checks the SSDA903: a child looked after at 31 March with no social worker allocated.
	err = f.store.UpdateFile(t.Context(), store.System, f.childID, func(file *casework.File) error {
		ep := casework.All[*casework.Episode](file)[0]
		return file.Save(&casework.LegalStatus{EpisodeID: ep.ID, Code: "C2", Start: civil.MustParse("2025-06-02")},
			&casework.Placement{EpisodeID: ep.ID, Type: "U4", Provider: "PR1", Postcode: "HP21 2BB", URN: "SC825001",
				InArea: true, Start: civil.MustParse("2025-06-02")})
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, body = f.do(casework.RoleAnalyst, "GET", "/quality?year=2025-26&return=ssda903", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "Data quality: the SSDA903 2025-26") ||
		!strings.Contains(body, `<td>SW17STG2 <strong class="govuk-tag govuk-tag--red">error</strong></td><td><a href="/children/`+f.childID+`">WEB1</a></td>`) {
		t.Errorf("SSDA903 quality: %d\n%s", resp.StatusCode, body)
	}

	// The child's record now leads with what to know first: looked after, in words and not by colour alone, and
	// the care tables as they stand.
	resp, body = f.do(casework.RoleSocialWorker, "GET", "/children/"+f.childID, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `app-alerts__item--blue">Looked after: `) ||
		!strings.Contains(body, "since Mon 2 Jun 2025") || !strings.Contains(body, "<caption>Placements</caption>") {
		t.Errorf("the record of a child looked after: %d\n%s", resp.StatusCode, body)
	}
}

// TestAssets checks the stylesheets are served compressed, kept for a year at their versioned address, and
// revalidated at any other.
func TestAssets(t *testing.T) {
	files, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{assets: files}
	for _, tc := range []struct {
		path, encoding, etag string
		status               int
		cache, gzip          string
	}{
		{files.url("report.css"), "gzip", "", 200, "public, max-age=31536000, immutable", "gzip"},
		{"/assets/report.css", "", "", 200, "no-cache", ""},
		{"/assets/report.css", "", `"` + files["report.css"].version + `"`, 304, "no-cache", ""},
		{"/assets/nothing.css", "", "", 404, "", ""},
	} {
		req := httptest.NewRequest("GET", tc.path, nil)
		req.SetPathValue("name", strings.TrimPrefix(strings.Split(tc.path, "?")[0], "/assets/"))
		req.Header.Set("Accept-Encoding", tc.encoding)
		req.Header.Set("If-None-Match", tc.etag)
		rec := httptest.NewRecorder()
		err := srv.serveAsset(rec, req, nil)
		if tc.status == 404 {
			if !errors.Is(err, casework.ErrNotFound) {
				t.Errorf("%s: %v, want not found", tc.path, err)
			}
			continue
		}
		if err != nil || rec.Code != tc.status || rec.Header().Get("Cache-Control") != tc.cache ||
			rec.Header().Get("Content-Encoding") != tc.gzip {
			t.Errorf("%s: %v %d %q %q", tc.path, err, rec.Code, rec.Header().Get("Cache-Control"), rec.Header().Get("Content-Encoding"))
		}
		if tc.status == 200 {
			body := rec.Body.Bytes()
			if tc.gzip != "" {
				zr, err := gzip.NewReader(rec.Body)
				if err != nil {
					t.Fatal(err)
				}
				body, _ = io.ReadAll(zr)
			}
			if !bytes.Equal(body, files["report.css"].body) {
				t.Errorf("%s: the body is not the stylesheet", tc.path)
			}
		}
	}
}

// TestWhoHasLooked: a manager sees who has opened the child's record and who has seen the child in a list, by
// name; reading that is audited in turn; a social worker may not.
func TestWhoHasLooked(t *testing.T) {
	f := newFixture(t)
	f.do(casework.RoleSocialWorker, "GET", "/children/"+f.childID, nil)
	f.do(casework.RoleFrontDoor, "GET", "/children?q=Quillfeather", nil)
	resp, body := f.do(casework.RoleTeamManager, "GET", "/children/"+f.childID+"/looked-at", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("who has looked: %d", resp.StatusCode)
	}
	for _, want := range []string{"Test social_worker, social worker", "Opened the record", "Test front_door",
		"Saw the child in a list", "search result"} {
		if !strings.Contains(body, want) {
			t.Errorf("who has looked does not say %q", want)
		}
	}
	events, err := f.store.FileAudit(t.Context(), f.childID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Action != store.ActionAudit || events[0].Actor != f.users[casework.RoleTeamManager].ID {
		t.Errorf("reading who has looked was not audited: %+v", events)
	}
	if _, body := f.do(casework.RoleTeamManager, "GET", "/children/"+f.childID, nil); !strings.Contains(body, "/looked-at") {
		t.Error("the record does not offer the manager who has looked")
	}
	if _, body := f.do(casework.RoleSocialWorker, "GET", "/children/"+f.childID, nil); strings.Contains(body, "/looked-at") {
		t.Error("the record offers a social worker who has looked")
	}
}
