// Package web serves Continuum's pages: server-rendered HTML in GOV.UK Frontend's markup that works without
// JavaScript, behind one access policy and secure defaults.
package web

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/timescale"
)

//go:embed templates/*.html
var templateFS embed.FS

// Session limits: idle and absolute, as the service's security standard sets them.
const (
	idleTimeout     = 30 * time.Minute
	absoluteTimeout = 12 * time.Hour
	cookieName      = "continuum_session"
)

// Server holds what every handler needs.
type Server struct {
	store *store.Store
	log   *slog.Logger
	pages *template.Template
	// secureCookies is set behind TLS: cookies get the __Host- prefix and the Secure flag.
	secureCookies bool
	schema        int
	reports       reports
	assets        assets
	sso           *SSO
}

// New builds the handler for every route.
func New(s *store.Store, log *slog.Logger, secureCookies bool, schemaVersion int, opts ...Option) (http.Handler, error) {
	files, err := loadAssets()
	if err != nil {
		return nil, err
	}
	if files.url("app.css") == "" {
		log.Warn("the stylesheet is not built, so pages are served without it: run web/build.sh before go build")
	}
	pages, err := parsePages(files)
	if err != nil {
		return nil, err
	}
	srv := &Server{store: s, log: log, pages: pages, assets: files, secureCookies: secureCookies, schema: schemaVersion}
	for _, o := range opts {
		o(srv)
	}
	mux := http.NewServeMux()
	for _, rt := range srv.routes() {
		mux.Handle(rt.pattern, srv.handle(rt.action, rt.h))
	}
	for _, rt := range srv.apiRoutes() {
		mux.Handle(rt.pattern, srv.handleAPI(rt.action, rt.h))
	}
	return securityHeaders(crossOriginProtection(mux)), nil
}

// parsePages reads every page's template.
func parsePages(files assets) (*template.Template, error) {
	return template.New("").Funcs(template.FuncMap{"asset": files.url, "page": page, "roleName": roleName,
		"recordNav": func(p *casework.Person, current string, u *store.User) recordNav {
			return recordNav{p, current, u != nil && casework.Authorize(u.Role, casework.ActionViewAudit) == nil}
		},
		"describe": describe, "ruleTitle": ruleTitle, "sharingBasis": describeSharing, "outcomeWords": outcomeWords,
		"clock":      func(t time.Time) string { return t.In(casework.London()).Format("15:04") },
		"stamp":      func(t time.Time) string { return t.In(casework.London()).Format("2 Jan 2006 15:04") },
		"fieldError": fieldError, "add": func(a, b int) int { return a + b },
		"fld": newField, "hasEmpty": hasEmpty,
		"day": day, "visitName": func(t string) string { return visitNames[t] },
		"field": func(data *entryData, name, label string, opts ...string) (formField, error) {
			return newField(name, label, data.Form[name], data.Errors, opts...)
		}}).ParseFS(templateFS, "templates/*.html")
}

// formField is what the input and textarea templates need.
type formField struct {
	Name, Label, Value, Error string
	Hint, Width, InputMode    string
}

// newField is a form's field named name: its label, the value to show, its message among errs if any, and then
// options as pairs: "hint", "width" (GOV.UK's fixed widths: 2, 3, 4, 5, 10, 20) and "inputmode".
func newField(name, label, value string, errs []casework.FieldError, opts ...string) (formField, error) {
	f := formField{Name: name, Label: label, Value: value, Error: fieldError(errs, name)}
	if len(opts)%2 != 0 {
		return f, fmt.Errorf("field %s: options come in pairs", name)
	}
	for i := 0; i < len(opts); i += 2 {
		switch opts[i] {
		case "hint":
			f.Hint = opts[i+1]
		case "width":
			f.Width = opts[i+1]
		case "inputmode":
			f.InputMode = opts[i+1]
		default:
			return f, fmt.Errorf("field %s: no option %q", name, opts[i])
		}
	}
	return f, nil
}

// route is one URL pattern with the policy action it needs; "" marks the few that are public.
type route struct {
	pattern string
	action  casework.Action
	h       handlerFunc
}

// routes is every route the application serves. The policy test walks this list, so a route added here without
// an entry in the test's matrix fails the build's tests.
func (s *Server) routes() []route {
	return []route{
		{"GET /healthz", "", s.healthz},
		{"GET /readyz", "", s.readyz},
		{"GET /sign-in", "", s.signInPage},
		{"GET /assets/{name}", "", s.serveAsset},
		{"POST /sign-in", "", s.signIn},
		{"GET /sign-in/sso", "", s.startSSO},
		{"GET " + ssoCallback, "", s.finishSSO},
		{"POST /sign-out", casework.ActionSignedIn, s.signOut},
		{"GET /{$}", casework.ActionSignedIn, s.home},
		{"GET /children", casework.ActionSearchChildren, s.findChildren},
		{"GET /children/{id}", casework.ActionViewRecord, s.childRecord},
		{"GET /children/{id}/history", casework.ActionViewHistory, s.childHistory},
		{"GET /children/{id}/looked-at", casework.ActionViewAudit, s.lookedAtPage},
		{"GET /work", casework.ActionViewMyWork, s.myWork},
		{"GET /team", casework.ActionViewTeamWork, s.teamWork},
		{"GET /border", casework.ActionViewReports, s.border},
		{"POST /border/policy", casework.ActionSetStepPolicy, s.setStepPolicy},
		{"GET /quality", casework.ActionViewReports, s.quality},
		{"GET /performance", casework.ActionViewBoard, s.performance},
		{"GET /performance/{code}", casework.ActionViewBoard, s.indicator},
		{"POST /performance/{code}/target", casework.ActionSetTargets, s.setTarget},
		{"GET /performance/{code}/children", casework.ActionListCounted, s.counted},
		{"GET /sufficiency", casework.ActionViewBoard, s.sufficiency},
		{"GET /boardpack", casework.ActionViewBoard, s.boardPack},
		{"GET /improvement", casework.ActionViewBoard, s.improvement},
		{"GET /improvement/new/{kind}", casework.ActionEditPlan, s.newEntry},
		{"POST /improvement/new/{kind}", casework.ActionEditPlan, s.saveEntry},
		{"GET /improvement/{id}", casework.ActionViewBoard, s.entry},
		{"POST /improvement/{id}", casework.ActionEditPlan, s.saveEntry},
		// The board raises its challenges and records their answers; the plan itself is the leaders'.
		{"GET /improvement/new/challenge", casework.ActionChallenge, s.newChallenge},
		{"POST /improvement/new/challenge", casework.ActionChallenge, s.saveChallenge},
		{"POST /improvement/challenges/{id}", casework.ActionChallenge, s.saveChallenge},
		{"POST /sufficiency/trajectory", casework.ActionSetTargets, s.setTrajectory},
		{"GET /children/new", casework.ActionAddChild, s.newChildPage},
		{"POST /children/new", casework.ActionAddChild, s.addChild},
		{"GET /children/{id}/forms/{form}", casework.ActionRecord, s.recordFormPage},
		{"POST /children/{id}/forms/{form}", casework.ActionRecord, s.saveRecordForm},
		{"POST /children/{id}/break-glass", casework.ActionBreakGlass, s.breakGlass},
		{"POST /team/break-glass/{id}", casework.ActionReviewAccess, s.reviewBreakGlass},
		{"GET /shared", casework.ActionViewShared, s.sharedChildren},
		{"GET /shared/{id}", casework.ActionViewShared, s.sharedChild},
		{"GET /referrals/new", casework.ActionRefer, s.newReferral},
		{"POST /referrals/new", casework.ActionRefer, s.sendReferral},
		{"GET /referrals/sent", casework.ActionRefer, s.referralsSent},
		{"GET /referrals", casework.ActionTakeReferral, s.referralsWaiting},
		{"GET /referrals/{id}", casework.ActionTakeReferral, s.referralPage},
		{"POST /referrals/{id}", casework.ActionTakeReferral, s.takeReferral},
		{"GET /audit", casework.ActionViewTrail, s.trail},
		{"GET /audit/verify", casework.ActionViewTrail, s.verifyTrail},
	}
}

// handlerFunc is a handler that returns an error, which handle maps to a page.
type handlerFunc func(w http.ResponseWriter, r *http.Request, u *store.User) error

type ctxKey struct{}

// handle signs the request in when the action needs it, applies the policy, logs the request by ID only, and turns
// errors into pages.
func (s *Server) handle(action casework.Action, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		reqID := newToken()[:16]
		w.Header().Set("X-Request-Id", reqID)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		w = rec
		var user *store.User
		err := func() error {
			if err := readForm(w, r); err != nil {
				return err
			}
			if action == "" {
				return h(w, r, nil)
			}
			u, err := s.currentUser(r)
			if err != nil {
				http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
				return nil
			}
			user = &u
			if err := casework.Authorize(u.Role, action); err != nil {
				return err
			}
			return h(w, r, user)
		}()
		if err != nil {
			s.fail(w, r, err, user)
		}
		s.logRequest("request", r, reqID, start, rec.status, user, err)
	})
}

// logRequest logs a request by its identifiers only: never a name, a date of birth or what was typed. A fault's
// error is logged; a refusal's is not, as it may quote what was sent.
func (s *Server) logRequest(msg string, r *http.Request, reqID string, start time.Time, status int, user *store.User, err error) {
	attrs := []any{"request_id", reqID, "method", r.Method, "pattern", r.Pattern, "status", status,
		"ms", time.Since(start).Milliseconds()}
	if user != nil {
		attrs = append(attrs, "user_id", user.ID)
	}
	if err != nil && status >= 500 {
		attrs = append(attrs, "error", err.Error())
	}
	s.log.Info(msg, attrs...)
}

// maxForm is the most a form may send. The largest real one, an improvement action with its evidence, is a few
// kilobytes.
const maxForm = 1 << 20

// errTooLarge is a request body over maxForm.
var errTooLarge = errors.New("the form sent is too large")

// readForm parses a form's body once, before any handler, so a body too large or malformed is refused the same
// way everywhere and never half-read.
func readForm(w http.ResponseWriter, r *http.Request) error {
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return errTooLarge
		}
		return casework.Invalid("form", "the form could not be read: %v", err)
	}
	return nil
}

// fail maps domain errors to status codes and shows an error page. A child's file refused only for want of a
// relationship offers break-glass to those who may use it.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error, u *store.User) {
	status, title, msg := statusOf(err)
	w.WriteHeader(status)
	if id := r.PathValue("id"); casework.IsNoRelationship(err) && id != "" && u != nil &&
		casework.Authorize(u.Role, casework.ActionBreakGlass) == nil {
		s.render(w, "break-glass.html", breakGlassData{User: u, FileID: id})
		return
	}
	s.render(w, "error.html", struct {
		Title, Message string
		User           *store.User
	}{title, msg, u})
}

// statusOf maps an error to the status, title and message the pages and the API answer it with. Only the
// domain's own errors are shown; anything else is a fault, whose detail goes to the log and not to the user.
func statusOf(err error) (status int, title, msg string) {
	status, title, msg = http.StatusInternalServerError, "Sorry, there is a problem with the service",
		"Try again later, or contact the service desk."
	switch {
	case errors.Is(err, casework.ErrNotFound):
		status, title, msg = http.StatusNotFound, "Page not found", "If you typed the web address, check it is correct."
	case errors.Is(err, casework.ErrForbidden):
		status, title, msg = http.StatusForbidden, "You do not have access to this page",
			"Your role does not allow it. Ask your manager if you need it for your work."
	case errors.Is(err, casework.ErrInvalid):
		status, title, msg = http.StatusBadRequest, "There is a problem", err.Error()
	case errors.Is(err, errTooLarge):
		status, title, msg = http.StatusRequestEntityTooLarge, "There is a problem", "The form sent is too large. Shorten what you typed and try again."
	case errors.Is(err, casework.ErrConflict):
		status, title, msg = http.StatusConflict, "Someone else has changed this", err.Error()
	case errors.Is(err, errMediaType):
		status, title, msg = http.StatusUnsupportedMediaType, "There is a problem", err.Error()
	}
	return status, title, msg
}

func (s *Server) render(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := s.pages.ExecuteTemplate(w, name, data); err != nil {
		s.log.Error("render", "template", name, "error", err.Error())
	}
}

// currentUser is the user whose session the request carries: in the session cookie, or, for the API, as a
// bearer token.
func (s *Server) currentUser(r *http.Request) (store.User, error) {
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return s.store.SessionUser(r.Context(), strings.TrimSpace(token), idleTimeout)
	}
	c, err := r.Cookie(s.cookieName())
	if err != nil {
		return store.User{}, casework.ErrNotFound
	}
	return s.store.SessionUser(r.Context(), c.Value, idleTimeout)
}

func (s *Server) cookieName() string {
	if s.secureCookies {
		return "__Host-" + cookieName
	}
	return cookieName
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request, _ *store.User) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ok\n"))
	return err
}

// readyz is ready when the database answers and its schema is the one this binary expects.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request, _ *store.User) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	v, err := s.store.SchemaVersion(ctx)
	if err != nil || v < s.schema {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, werr := w.Write([]byte("not ready: database unavailable or not migrated\n"))
		return werr
	}
	_, err = w.Write([]byte("ready\n"))
	return err
}

// statusRecorder remembers the status a handler wrote, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// securityHeaders sets the headers every response carries: no inline script, no framing, no referrer leakage.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "+
			"frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// crossOriginProtection refuses state-changing requests from other sites, using the browser's Fetch metadata.
func crossOriginProtection(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	return cop.Handler(next)
}

func ruleTitle(code string) string {
	if r, ok := timescale.Lookup(code); ok {
		return r.Title
	}
	return code
}

// describe names a code from a statutory list in ordinary text.
func describe(list, code string) string {
	return sentence(casework.Describe(casework.CodeList(list), code))
}

// fieldError is the message for field among errs, or "".
func fieldError(errs []casework.FieldError, field string) string {
	for _, e := range errs {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}
