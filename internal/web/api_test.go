package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// call sends a JSON body (or none) to the API with a bearer token ("" for none) and decodes the answer.
func (f *fixture) call(token, method, path, body string) (*http.Response, map[string]any) {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(f.t.Context(), method, f.srv.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &out); err != nil {
		f.t.Fatalf("%s %s: the answer is not a JSON object: %v\n%s", method, path, err, b)
	}
	return resp, out
}

// TestEveryAPIRouteEveryRole is the policy matrix for the API: signed out is 401 with a problem, a role the
// policy refuses is 403, and a role it allows gets the route's answer. A route without an entry fails.
func TestEveryAPIRouteEveryRole(t *testing.T) {
	f := newFixture(t)
	type want struct {
		public bool
		ok     int
		path   string // with its query, when the pattern needs one
		body   string
	}
	expect := map[string]want{
		"GET /api/v1/openapi.json":                  {public: true, ok: 200},
		"POST /api/v1/sessions":                     {public: true, ok: 401, body: `{"email":"nobody@example.org","password":"x"}`},
		"GET /api/v1/children":                      {ok: 200, path: "/api/v1/children?q=WEB1"},
		"POST /api/v1/children":                     {ok: 400, body: `{}`},
		"GET /api/v1/children/{id}":                 {ok: 200},
		"GET /api/v1/children/{id}/records":         {ok: 200},
		"POST /api/v1/children/{id}/break-glass":    {ok: 400, body: `{"reason":"Police called about her tonight"}`},
		"POST /api/v1/children/{id}/actions/{form}": {ok: 400, body: `{"date":"2026-11-02","type":"cp"}`},
		"GET /api/v1/work":                          {ok: 200},
		"GET /api/v1/shared":                        {ok: 200},
		"POST /api/v1/referrals":                    {ok: 400, body: `{"given":"Marigold"}`},
		"GET /api/v1/referrals":                     {ok: 200},
		"GET /api/v1/shared/{id}":                   {ok: 200},
		"GET /api/v1/front-door/referrals":          {ok: 200},
		"GET /api/v1/front-door/referrals/{id}":     {ok: 200, path: "/api/v1/front-door/referrals/{referral}"},
		"POST /api/v1/front-door/referrals/{id}":    {ok: 400, path: "/api/v1/front-door/referrals/{referral}", body: `{"child_id":""}`},
	}
	for _, rt := range (&Server{}).apiRoutes() {
		w, ok := expect[rt.pattern]
		if !ok {
			t.Errorf("API route %q has no entry in the policy matrix", rt.pattern)
			continue
		}
		if w.public != (rt.action == "") {
			t.Errorf("%s: public in the matrix is %v, but the route's action is %q", rt.pattern, w.public, rt.action)
		}
		method, path, _ := strings.Cut(rt.pattern, " ")
		if w.path != "" {
			path = w.path
		}
		path = strings.NewReplacer("{id}", f.childID, "{form}", "visit", "{referral}", f.referralID).Replace(path)
		for _, role := range append([]string{""}, casework.Roles...) {
			// A wrong sign-in per account, so none reaches the lockout.
			resp, body := f.call(f.sessions[role], method, path, strings.Replace(w.body, "nobody@", "nobody-"+role+"@", 1))
			checkHeaders(t, rt.pattern, resp)
			got, wantStatus := resp.StatusCode, w.ok
			switch {
			case w.public:
			case role == "":
				wantStatus = http.StatusUnauthorized
			case casework.Authorize(role, rt.action) != nil:
				wantStatus = http.StatusForbidden
			}
			if got != wantStatus {
				t.Errorf("%s as %q: %d, want %d: %v", rt.pattern, role, got, wantStatus, body)
			}
			if got >= 400 && (resp.Header.Get("Content-Type") != "application/problem+json" || body["status"] != float64(got)) {
				t.Errorf("%s as %q: %d is not a problem: %s %v", rt.pattern, role, got, resp.Header.Get("Content-Type"), body)
			}
		}
	}
	// The routes about one child, for a child restricted to the team manager and one held by another service.
	// Break-glass opens the held child, so it comes last.
	restricted, held := f.restrictedChild(f.users[casework.RoleTeamManager].ID), f.heldElsewhere()
	var routes, glass []apiRoute
	for _, rt := range (&Server{}).apiRoutes() {
		if rt.action == casework.ActionBreakGlass {
			glass = append(glass, rt)
		} else {
			routes = append(routes, rt)
		}
	}
	routes = append(routes, glass...)
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if !strings.HasPrefix(path, "/api/v1/children/{id}") && !strings.HasPrefix(path, "/api/v1/shared/{id}") {
			continue
		}
		w := expect[rt.pattern]
		at := func(id string) string { return strings.NewReplacer("{id}", id, "{form}", "visit").Replace(path) }
		for _, role := range casework.Roles {
			if casework.Authorize(role, rt.action) != nil {
				continue
			}
			resp, body := f.call(f.sessions[role], method, at(restricted), w.body)
			if want := http.StatusNotFound; role == casework.RoleTeamManager && resp.StatusCode != w.ok ||
				role != casework.RoleTeamManager && resp.StatusCode != want {
				t.Errorf("%s as %s on a record restricted to the team manager: %d %v", rt.pattern, role, resp.StatusCode, body)
			}
			// The front door sees every child, so only a refusal is wrong (the held child's open case makes the
			// matrix's visit valid).
			resp, body = f.call(f.sessions[role], method, at(held), w.body)
			want := http.StatusForbidden
			switch rt.action {
			case casework.ActionViewShared:
				want = http.StatusNotFound
			case casework.ActionBreakGlass:
				want = http.StatusCreated
			}
			if role == casework.RoleFrontDoor && (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound) ||
				role != casework.RoleFrontDoor && resp.StatusCode != want {
				t.Errorf("%s as %s on a case held by another service: %d: %v", rt.pattern, role, resp.StatusCode, body)
			}
			if resp.StatusCode == http.StatusForbidden && !strings.Contains(fmt.Sprint(body["detail"]), "break-glass") {
				t.Errorf("%s as %s: the refusal does not say how to break the glass: %v", rt.pattern, role, body)
			}
		}
	}
	if resp, body := f.call(f.sessions[casework.RoleSocialWorker], "GET", "/api/v1/children/"+held, ""); resp.StatusCode != 200 {
		t.Errorf("the held child after break-glass: %d %v", resp.StatusCode, body)
	}
	// Nor does a search show the restricted child to anyone it does not name.
	for role, shown := range map[string]bool{casework.RoleTeamManager: true, casework.RoleSocialWorker: false, casework.RoleFrontDoor: false} {
		_, body := f.call(f.sessions[role], "GET", "/api/v1/children?q=Quillfeather", "")
		if got := strings.Contains(fmt.Sprint(body), restricted); got != shown {
			t.Errorf("a search as %s shows the restricted child: %v, want %v", role, got, shown)
		}
	}
}

// TestAPIJourney signs in, finds the child, records on the file and reads it back, meeting the refusals a
// careless client would.
func TestAPIJourney(t *testing.T) {
	f := newFixture(t)
	resp, body := f.call("", "POST", "/api/v1/sessions", `{"email":"social_worker@example.org","password":"`+testPassword+`"}`)
	token, _ := body["token"].(string)
	if resp.StatusCode != http.StatusCreated || len(token) < 32 {
		t.Fatalf("sign in: %d %v", resp.StatusCode, body)
	}
	resp, body = f.call(token, "GET", "/api/v1/children?q=quillfeather&limit=1", "")
	items, _ := body["items"].([]any)
	if resp.StatusCode != 200 || len(items) != 1 || items[0].(map[string]any)["la_child_id"] != "WEB1" {
		t.Fatalf("find: %d %v", resp.StatusCode, body)
	}
	child := "/api/v1/children/" + f.childID
	refuse := func(method, path, ctype, payload string, status int, field string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), method, f.srv.URL+path, strings.NewReader(payload))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", ctype)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var p problem
		if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != status || (field != "" && fieldError(p.Errors, field) == "") {
			t.Errorf("%s %s %q: %d %+v, want %d naming %q", method, path, payload, resp.StatusCode, p, status, field)
		}
	}
	const js = "application/json"
	refuse("POST", child+"/actions/referral", "text/plain", `{}`, http.StatusUnsupportedMediaType, "")
	refuse("POST", child+"/actions/referral", js, `{"referral_date": "2026-11-0`, http.StatusBadRequest, "body")
	refuse("POST", child+"/actions/referral", js, `{"referral_date": 20261102}`, http.StatusBadRequest, "referral_date")
	refuse("POST", child+"/actions/referral", js, `{"referral_date": "2026-11-02", "nfa": true}`, http.StatusBadRequest, "nfa")
	refuse("POST", child+"/actions/referral", js, `{"referral_date": "2099-11-02", "source": "2A", "primary_need": "N1"}`,
		http.StatusBadRequest, "referral_date")
	refuse("POST", child+"/actions/referral", js, `{}`+strings.Repeat(" ", maxForm), http.StatusRequestEntityTooLarge, "")
	refuse("POST", child+"/actions/no-such-action", js, `{}`, http.StatusNotFound, "")
	refuse("POST", "/api/v1/children/nobody/actions/visit", js, `{}`, http.StatusNotFound, "")

	today := casework.Today(f.store.Now())
	resp, body = f.call(token, "POST", child+"/actions/referral",
		`{"referral_date": "`+today.AddDays(-3).String()+`", "source": "2A", "primary_need": "N1"}`)
	if resp.StatusCode != http.StatusCreated || body["saved"] != "Referral recorded: the episode of need is open" {
		t.Fatalf("referral: %d %v", resp.StatusCode, body)
	}
	resp, body = f.call(token, "POST", child+"/actions/assessment", `{"start": "`+today.AddDays(-3).String()+`"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("assessment: %d %v", resp.StatusCode, body)
	}
	assessment := body["records"].([]any)[0].(map[string]any)["id"].(string)
	// Completing is the worker's; authorising is not, however the body is dressed.
	refuse("POST", child+"/actions/assessment-complete", js, `{"record": "`+assessment+`", "version": 1, "completed": "`+
		today.String()+`", "authorised": "`+today.String()+`", "factors": ["2A"]}`, http.StatusBadRequest, "authorised")
	refuse("POST", child+"/actions/assessment-authorise", js, `{"record": "`+assessment+`", "version": 1}`, http.StatusForbidden, "")
	resp, body = f.call(token, "POST", child+"/actions/assessment-complete", `{"record": "`+assessment+`", "version": 1,
		"completed": "`+today.String()+`", "factors": ["2A"], "child_seen": true}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("complete: %d %v", resp.StatusCode, body)
	}
	refuse("POST", child+"/actions/assessment-complete", js, `{"record": "`+assessment+`", "version": 1}`, http.StatusNotFound, "")

	resp, body = f.call(token, "GET", child+"/records?kind=assessment", "")
	items, _ = body["items"].([]any)
	if resp.StatusCode != 200 || len(items) != 1 {
		t.Fatalf("records: %d %v", resp.StatusCode, body)
	}
	if a := items[0].(map[string]any); a["version"] != float64(2) || a["data"].(map[string]any)["completed"] != today.String() {
		t.Errorf("the assessment read back: %v", a)
	}
	resp, body = f.call(token, "GET", child+"/records?limit=2", "")
	if next, _ := body["next"].(string); resp.StatusCode != 200 || !strings.Contains(next, "offset=2") {
		t.Errorf("records, first page of 2: %d, next %q", resp.StatusCode, body["next"])
	}

	// The document describes every route and every action.
	_, doc := f.call("", "GET", "/api/v1/openapi.json", "")
	paths := doc["paths"].(map[string]any)
	for _, rt := range (&Server{}).apiRoutes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		if strings.Contains(path, "{form}") {
			for _, rf := range recordForms {
				if _, ok := paths[strings.Replace(path, "{form}", rf.Slug, 1)].(map[string]any)["post"]; !ok {
					t.Errorf("openapi.json lacks the action %s", rf.Slug)
				}
			}
			continue
		}
		if op, ok := paths[path].(map[string]any); !ok || op[strings.ToLower(method)] == nil {
			t.Errorf("openapi.json lacks %s", rt.pattern)
		}
	}
	if strings.Contains(f.logs.String(), "Quillfeather") || strings.Contains(f.logs.String(), token) {
		t.Error("the log holds the child's name or a session token")
	}
}

// FuzzAPIBody sends any bytes as an action's body: reading must refuse or accept without panicking, and what it
// accepts must decode into every action's records or be refused by name.
func FuzzAPIBody(f *testing.F) {
	f.Add([]byte(`{"date":"2026-11-02","type":"cp","child_seen":true}`))
	f.Add([]byte(`{"legal_status":{"code":"V2"},"placement":{"in_area":"yes"}}`))
	f.Add([]byte(`{"factors":[1,{"a":null}],"level":1e400}`))
	f.Add([]byte(`[{"record":null}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		req := httptest.NewRequest("POST", "/api/v1/children/x/actions/visit", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		body, err := readJSON(req)
		if err != nil {
			return
		}
		for _, rf := range recordForms {
			if onlyFields(body, rf.Fields, false, "") != nil {
				continue
			}
			if _, err := fromJSON(rf.Kinds[0], body); err != nil && !errors.Is(err, casework.ErrInvalid) {
				t.Errorf("%s: a body is refused without naming a field: %v", rf.Slug, err)
			}
		}
		var ref casework.PartnerReferral
		err = decodeJSON(&ref, "referral", body)
		if err == nil {
			err = ref.Validate(civil.MustParse("2026-11-02"))
		}
		if err != nil && !errors.Is(err, casework.ErrInvalid) {
			t.Errorf("a referral is refused without naming a field: %v", err)
		}
	})
}

// FuzzTrailDay reads days as typed into the auditor's search: never a panic, and a day read is the day written.
func FuzzTrailDay(f *testing.F) {
	for _, s := range []string{"1 11 2026", "2026-11-01", "31/2/2026", "1.1.0000", "99 99 9999", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := dayOf(s)
		if err != nil || d.IsZero() {
			return
		}
		if again, err := dayOf(d.String()); err != nil || again != d {
			t.Errorf("%q reads as %s, which reads back as %s (%v)", s, d, again, err)
		}
	})
}
