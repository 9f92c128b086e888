package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
)

// The JSON API under /api/v1 offers what the pages offer, behind the same policy and audit: the recording
// actions are the pages' forms, taking the records' own JSON, so a field, a rule and a message mean the same in
// both. Errors are problem details (RFC 9457).

// apiFunc answers an API request with a status and a value to send as JSON.
type apiFunc func(r *http.Request, u *store.User) (int, any, error)

type apiRoute struct {
	pattern string
	action  casework.Action
	h       apiFunc
	summary string
}

// apiRoutes is every API route; the policy test walks it with the pages' routes.
func (s *Server) apiRoutes() []apiRoute {
	return []apiRoute{
		{"GET /api/v1/openapi.json", "", s.openAPI, "This document"},
		{"POST /api/v1/sessions", "", s.apiSignIn, "Sign in with a local account's email and password; the token is sent as a bearer token"},
		{"GET /api/v1/children", casework.ActionSearchChildren, s.apiFindChildren, "Find children by name or LA child ID"},
		{"POST /api/v1/children", casework.ActionAddChild, s.apiAddChild, "Record a new child, after checking they are not already known"},
		{"GET /api/v1/children/{id}", casework.ActionViewRecord, s.apiChild, "A child's personal details and alerts"},
		{"GET /api/v1/children/{id}/records", casework.ActionViewRecord, s.apiRecords, "The records on a child's file"},
		{"POST /api/v1/children/{id}/break-glass", casework.ActionBreakGlass, s.apiBreakGlass, "Open a child's file held by another service, for a working day, with the reason a manager will review"},
		{"POST /api/v1/children/{id}/actions/{form}", casework.ActionRecord, s.apiAction, "Record on a child's file"},
		{"GET /api/v1/work", casework.ActionViewMyWork, s.apiWork, "The signed-in worker's work due this week"},
		{"GET /api/v1/shared", casework.ActionViewShared, s.apiSharedChildren, "The children shared with the signed-in partner agency's team"},
		{"POST /api/v1/referrals", casework.ActionRefer, s.apiSendReferral, "Refer a child to the front door, as a partner agency"},
		{"GET /api/v1/referrals", casework.ActionRefer, s.apiReferralsSent, "The referrals the partner's team has sent, and what became of each"},
		{"GET /api/v1/front-door/referrals", casework.ActionTakeReferral, s.apiReferralsWaiting, "Partners' referrals waiting at the front door, oldest first"},
		{"GET /api/v1/front-door/referrals/{id}", casework.ActionTakeReferral, s.apiWaitingReferral, "A waiting referral, with the children on record it may be about"},
		{"POST /api/v1/front-door/referrals/{id}", casework.ActionTakeReferral, s.apiTakeReferral, "Take a referral in as a contact on a child on record, or on a new child's record"},
		{"GET /api/v1/shared/{id}", casework.ActionViewShared, s.apiSharedChild, "What a partner agency's team may see of a child shared with it"},
	}
}

// problem is an RFC 9457 problem detail, with the fields at fault.
type problem struct {
	Type     string                `json:"type"`
	Title    string                `json:"title"`
	Status   int                   `json:"status"`
	Detail   string                `json:"detail,omitempty"`
	Instance string                `json:"instance,omitempty"`
	Errors   []casework.FieldError `json:"errors,omitempty"`
}

// handleAPI is handle for the API: a bearer token (or the session cookie) signs the request in, the policy
// applies, and every answer, errors included, is JSON.
func (s *Server) handleAPI(action casework.Action, h apiFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start, reqID := time.Now(), newToken()[:16]
		w.Header().Set("X-Request-Id", reqID)
		var user *store.User
		status, body, err := func() (int, any, error) {
			if action == "" {
				return h(r, nil)
			}
			u, err := s.currentUser(r)
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="continuum"`)
				return 0, nil, errSignedOut
			}
			user = &u
			if err := casework.Authorize(u.Role, action); err != nil {
				return 0, nil, err
			}
			return h(r, user)
		}()
		if err != nil {
			p := problemOf(err)
			p.Instance = r.URL.Path
			status, body = p.Status, p
			if status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", strconv.Itoa(int(lockWindow.Seconds())))
			}
			w.Header().Set("Content-Type", "application/problem+json")
		} else {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if werr := enc.Encode(body); werr != nil && err == nil {
			err = werr
		}
		s.logRequest("api request", r, reqID, start, status, user, err)
	})
}

var (
	errSignedOut = errors.New("sign in first: send a session token as Authorization: Bearer, from POST /api/v1/sessions")
	errMediaType = errors.New("send the body as application/json")
)

// problemOf maps an error to its problem detail.
func problemOf(err error) problem {
	if errors.Is(err, errSignedOut) {
		return problem{Type: "about:blank", Title: "Not signed in", Status: http.StatusUnauthorized, Detail: err.Error()}
	}
	if refused, ok := errors.AsType[*refusal](err); ok {
		return problem{Type: "about:blank", Title: "Not signed in", Status: refused.status, Detail: refused.message}
	}
	status, title, msg := statusOf(err)
	if casework.IsNoRelationship(err) {
		msg = "This child's case is held by another service. To open it for a child's care, POST the reason to this " +
			"child's break-glass address; your manager will review it."
	}
	p := problem{Type: "about:blank", Title: title, Status: status, Detail: msg}
	if verr, ok := errors.AsType[*casework.ValidationError](err); ok {
		p.Title, p.Detail, p.Errors = "The request has problems", "See errors: each names the field at fault.", verr.Fields
	}
	return p
}

// readJSON reads a request's body, one JSON object of at most maxForm bytes, keeping numbers as written.
func readJSON(r *http.Request) (map[string]any, error) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return nil, errMediaType
	}
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxForm))
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return nil, errTooLarge
	} else if err != nil {
		return nil, casework.Invalid("body", "could not be read: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		if se, ok := errors.AsType[*json.SyntaxError](err); ok {
			return nil, casework.Invalid("body", "is not valid JSON at byte %d: %v", se.Offset, se)
		}
		return nil, casework.Invalid("body", "must be one JSON object: %v", err)
	}
	if dec.More() {
		return nil, casework.Invalid("body", "must be one JSON object, with nothing after it")
	}
	if obj == nil {
		return nil, casework.Invalid("body", "must be a JSON object, not null")
	}
	return obj, nil
}

// oneField reads a body of one string field, name, described by what for the message when it is not so.
func oneField(r *http.Request, name, what string) (string, error) {
	body, err := readJSON(r)
	if err != nil {
		return "", err
	}
	v, ok := body[name].(string)
	if !ok || len(body) != 1 {
		return "", casework.Invalid(name, "send one field, %s: %s", name, what)
	}
	return v, nil
}

// page reads ?offset= and ?limit= (1 to 100, 20 by default).
func pageOf(q url.Values) (offset, limit int, err error) {
	offset, limit = 0, 20
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, casework.Invalid("offset", "must be a whole number, 0 or more")
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 100 {
			return 0, 0, casework.Invalid("limit", "must be a whole number from 1 to 100")
		}
	}
	return offset, limit, nil
}

// list is a page of results, with the address of the next when there is one.
type list[T any] struct {
	Items  []T    `json:"items"`
	Offset int    `json:"offset"`
	Limit  int    `json:"limit"`
	Next   string `json:"next,omitempty"`
}

func nextPage(r *http.Request, offset, limit int) string {
	q := r.URL.Query()
	q.Set("offset", strconv.Itoa(offset+limit))
	q.Set("limit", strconv.Itoa(limit))
	return r.URL.Path + "?" + q.Encode()
}

// apiChildSummary is a child in a list.
type apiChildSummary struct {
	ID        string `json:"id"`
	LAChildID string `json:"la_child_id"`
	Given     string `json:"given"`
	Family    string `json:"family"`
	BirthDate string `json:"birth_date,omitempty"`
	URL       string `json:"url"`
}

func summaryOf(p *casework.Person) apiChildSummary {
	return apiChildSummary{ID: p.ID, LAChildID: p.LAChildID, Given: p.Name.Given, Family: p.Name.Family,
		BirthDate: p.BirthDate.String(), URL: "/api/v1/children/" + p.ID}
}

func (s *Server) apiSignIn(r *http.Request, _ *store.User) (int, any, error) {
	body, err := readJSON(r)
	if err != nil {
		return 0, nil, err
	}
	email, _ := body["email"].(string)
	pw, _ := body["password"].(string)
	u, refused, err := s.authenticate(r.Context(), strings.TrimSpace(email), pw, clientIP(r))
	if err != nil {
		return 0, nil, err
	}
	if refused != nil {
		return 0, nil, refused
	}
	token, err := s.startSession(r.Context(), u, "", "api")
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]any{"token": token, "idle_timeout_minutes": int(idleTimeout.Minutes()),
		"expires_at": s.store.Now().Add(absoluteTimeout).Format(time.RFC3339)}, nil
}

func (s *Server) apiFindChildren(r *http.Request, u *store.User) (int, any, error) {
	return paged(r, func(offset, limit int) ([]*casework.Person, bool, error) {
		return s.store.FindChildren(r.Context(), actorOf(u), r.URL.Query().Get("q"), offset, limit)
	}, summaryOf)
}

// paged answers with the page of a list the request asks for: fetch reads it, and conv gives each item's JSON.
func paged[T, J any](r *http.Request, fetch func(offset, limit int) ([]T, bool, error), conv func(T) J) (int, any, error) {
	offset, limit, err := pageOf(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	items, more, err := fetch(offset, limit)
	if err != nil {
		return 0, nil, err
	}
	out := list[J]{Items: make([]J, 0, len(items)), Offset: offset, Limit: limit}
	for _, it := range items {
		out.Items = append(out.Items, conv(it))
	}
	if more {
		out.Next = nextPage(r, offset, limit)
	}
	return http.StatusOK, out, nil
}

func (s *Server) apiAddChild(r *http.Request, u *store.User) (int, any, error) {
	body, err := readJSON(r)
	if err != nil {
		return 0, nil, err
	}
	checked, _ := body[notAMatch.Name].(bool)
	delete(body, notAMatch.Name)
	if err := onlyFields(body, newChildForm.Fields, false, ""); err != nil {
		return 0, nil, err
	}
	id, errs, err := s.createChild(r.Context(), u, body, checked)
	if err != nil {
		return 0, nil, err
	}
	if len(errs) > 0 {
		return 0, nil, &casework.ValidationError{Fields: errs}
	}
	return http.StatusCreated, map[string]string{"id": id, "url": "/api/v1/children/" + id}, nil
}

// apiRecord is one record on a file.
type apiRecord struct {
	ID         string         `json:"id"`
	Kind       casework.Kind  `json:"kind"`
	Version    int            `json:"version"`
	RecordedAt string         `json:"recorded_at"`
	Data       map[string]any `json:"data"`
}

func recordOf(r casework.Record) (apiRecord, error) {
	data, err := asJSON(r)
	m := r.Base()
	return apiRecord{ID: m.ID, Kind: r.Kind(), Version: m.Version, RecordedAt: m.RecordedAt.Format(time.RFC3339), Data: data}, err
}

// childFile reads a child's file for the API, audited.
func (s *Server) childFile(r *http.Request, u *store.User) (*casework.File, error) {
	f, err := s.store.File(r.Context(), actorOf(u), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if f.Person() == nil || f.Person().Role != casework.RoleChild {
		return nil, casework.ErrNotFound
	}
	return f, nil
}

func (s *Server) apiChild(r *http.Request, u *store.User) (int, any, error) {
	f, err := s.childFile(r, u)
	if err != nil {
		return 0, nil, err
	}
	person, err := recordOf(f.Person())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]any{"person": person, "alerts": summarise(f).Alerts,
		"records": "/api/v1/children/" + f.Person().ID + "/records"}, nil
}

func (s *Server) apiRecords(r *http.Request, u *store.User) (int, any, error) {
	q := r.URL.Query()
	offset, limit, err := pageOf(q)
	if err != nil {
		return 0, nil, err
	}
	f, err := s.childFile(r, u)
	if err != nil {
		return 0, nil, err
	}
	kind := casework.Kind(q.Get("kind"))
	if _, err := casework.NewRecord(kind); kind != "" && err != nil {
		return 0, nil, casework.Invalid("kind", "%q is not a kind of record", kind)
	}
	out := list[apiRecord]{Items: []apiRecord{}, Offset: offset, Limit: limit}
	seen := 0
	for _, rec := range f.Records() {
		if kind != "" && rec.Kind() != kind {
			continue
		}
		seen++
		if seen <= offset {
			continue
		}
		if len(out.Items) == limit {
			out.Next = nextPage(r, offset, limit)
			break
		}
		a, err := recordOf(rec)
		if err != nil {
			return 0, nil, err
		}
		out.Items = append(out.Items, a)
	}
	return http.StatusOK, out, nil
}

// controls are the fields an action takes besides its records' own.
var controls = []string{"record", "guard", "version", "why_changed", "retracted"}

// onlyFields refuses any field of body that the form does not ask for, so the API does exactly what the form
// does (a worker completing an assessment cannot authorise it by adding the field). kind, on a form of several
// records, is the record body belongs to.
func onlyFields(body map[string]any, specs []fieldSpec, multi bool, kind string) error {
	allowed := map[string]bool{}
	for _, s := range specs {
		name := s.Name
		if multi {
			k, rest, _ := strings.Cut(name, ".")
			if k != kind {
				continue
			}
			name = rest
		}
		head, _, _ := strings.Cut(name, ".")
		allowed[head] = true
	}
	for k := range body {
		if !allowed[k] {
			field := k
			if kind != "" {
				field = kind + "." + k
			}
			return casework.Invalid(field, "is not a field of this action")
		}
	}
	return nil
}

// apiAction records on a child's file with one of the pages' forms. The body is the record's JSON (on a form of
// several records, one object per kind), the form's extra fields, and the controls a change needs.
func (s *Server) apiAction(r *http.Request, u *store.User) (int, any, error) {
	rf, err := authorizeForm(u, r.PathValue("form"))
	if err != nil {
		return 0, nil, err
	}
	body, err := readJSON(r)
	if err != nil {
		return 0, nil, err
	}
	ctl := url.Values{}
	for _, spec := range rf.Fields {
		if spec.extra {
			moveControl(body, ctl, spec.Name)
		}
	}
	for _, name := range controls {
		moveControl(body, ctl, name)
	}
	correcting := ctl.Get("record") != "" && !rf.changes
	var specs []fieldSpec
	for _, spec := range rf.specs(correcting) {
		if !spec.extra {
			specs = append(specs, spec)
		}
	}
	if rf.multi() {
		for k, v := range body {
			sub, ok := v.(map[string]any)
			if !ok || !slices.Contains(rf.Kinds, casework.Kind(k)) {
				return 0, nil, casework.Invalid(k, "is not a record of this action: send one object for each of %v", rf.Kinds)
			}
			if err := onlyFields(sub, specs, true, k); err != nil {
				return 0, nil, err
			}
		}
	} else if err := onlyFields(body, specs, false, ""); err != nil {
		return 0, nil, err
	}
	read := func(base map[string]map[string]any) (map[string]map[string]any, []casework.FieldError) {
		objs := map[string]map[string]any{}
		for k, v := range base {
			objs[k] = v
		}
		merge := func(key string, from map[string]any) {
			if objs[key] == nil {
				objs[key] = map[string]any{}
			}
			for k, v := range from {
				if v == nil {
					delete(objs[key], k)
				} else {
					objs[key][k] = v
				}
			}
		}
		if rf.multi() {
			for k, v := range body {
				merge(k, v.(map[string]any))
			}
		} else {
			merge("", body)
		}
		return objs, nil
	}
	found, err := s.lookupsFor(r.Context(), rf, u)
	if err != nil {
		return 0, nil, err
	}
	var saved []apiRecord
	err = s.store.UpdateFile(r.Context(), actorOf(u), r.PathValue("id"), func(f *casework.File) error {
		if f.Person() == nil || f.Person().Role != casework.RoleChild {
			return casework.ErrNotFound
		}
		c := newFormCtx(f, u, s.store.Now())
		c.lookups = found
		if err := rf.apply(c, read, ctl, correcting); err != nil {
			return err
		}
		for _, rec := range f.Pending() {
			a, err := recordOf(rec)
			if err != nil {
				return err
			}
			saved = append(saved, a)
		}
		return nil
	})
	if verr, ok := errors.AsType[*casework.ValidationError](err); ok && !rf.multi() {
		// Messages about the action's own record name its fields as the body does.
		for i, fe := range verr.Fields {
			verr.Fields[i].Field = strings.TrimPrefix(fe.Field, string(rf.Kinds[0])+".")
		}
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]any{"saved": rf.Saved, "records": saved}, nil
}

// moveControl takes a control field out of the body into ctl, as a form would send it.
func moveControl(body map[string]any, ctl url.Values, name string) {
	v, ok := body[name]
	if !ok {
		return
	}
	delete(body, name)
	switch x := v.(type) {
	case bool:
		if x {
			ctl.Set(name, "yes")
		}
	case nil:
	default:
		ctl.Set(name, fmt.Sprint(x))
	}
}

// apiWorkItem is one piece of work due.
type apiWorkItem struct {
	ChildID     string `json:"child_id"`
	LAChildID   string `json:"la_child_id"`
	Given       string `json:"given"`
	Family      string `json:"family"`
	Rule        string `json:"rule"`
	RuleVersion int    `json:"rule_version"`
	What        string `json:"what"`
	DueDate     string `json:"due_date"`
	Status      string `json:"status"`
	DaysOverdue int    `json:"days_overdue,omitempty"`
}

func (s *Server) apiWork(r *http.Request, u *store.User) (int, any, error) {
	_, limit, err := pageOf(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	page, err := s.store.Queue(r.Context(), actorOf(u), store.QueueScope{WorkerID: u.ID}, s.store.Now(), limit)
	if err != nil {
		return 0, nil, err
	}
	items := []apiWorkItem{}
	for _, it := range page.Items {
		items = append(items, apiWorkItem{ChildID: it.FileID, LAChildID: it.LAChildID, Given: it.Child.Given,
			Family: it.Child.Family, Rule: it.Rule, RuleVersion: it.RuleVersion, What: ruleTitle(it.Rule),
			DueDate: it.DueDate.String(), Status: it.Bucket, DaysOverdue: it.DaysOverdue})
	}
	return http.StatusOK, map[string]any{"overdue": page.Overdue, "due_today": page.Today, "due_this_week": page.ThisWeek,
		"items": items}, nil
}
