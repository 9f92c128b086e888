package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/store"
)

// trailShown is how many events a page of the auditor's view lists.
const trailShown = 100

// trailActions are the kinds of event an auditor can pick, in words.
var trailActions = []option{
	{store.ActionRead, "Opened a record"}, {store.ActionList, "Saw a child in a list"},
	{store.ActionHistory, "Read a history of changes"}, {store.ActionCreate, "Recorded"},
	{store.ActionChange, "Changed a record"}, {store.ActionRetract, "Marked a record entered in error"},
	{store.ActionBreakGlass, "Opened a record with break-glass"}, {store.ActionReviewAccess, "Reviewed a break-glass opening"},
	{store.ActionAudit, "Read the audit trail"}, {store.ActionSignIn, "Signed in"}, {store.ActionAdmin, "Administration"},
	{store.ActionReport, "Made a report or return"},
}

// trailLabels name the fields the store may find fault with.
var trailLabels = map[string]string{"child": "Child", "to": "To"}

// trailForm is the auditor's search as typed.
type trailForm struct {
	Who, Child, Action, From, To string
}

type trailData struct {
	User    *store.User
	Form    trailForm
	Actions []option
	Errors  []casework.FieldError
	Events  []trailLine
	// Older is the address of the next page of older events, when there is one.
	Older string
	// Check is the result of checking the chain, when asked for.
	Check *store.AuditCheck
}

type trailLine struct {
	store.TrailEvent
	Who, What string
}

// trail shows the whole audit trail to an auditor, newest first, narrowed by who, which child, what and when.
func (s *Server) trail(w http.ResponseWriter, r *http.Request, u *store.User) error {
	v := r.URL.Query()
	data := trailData{User: u, Actions: trailActions, Form: trailForm{Who: strings.TrimSpace(v.Get("who")),
		Child: strings.TrimSpace(v.Get("child")), Action: v.Get("action"), From: strings.TrimSpace(v.Get("from")),
		To: strings.TrimSpace(v.Get("to"))}}
	q, errs := s.trailQuery(r, data.Form, v.Get("before"))
	if len(errs) == 0 {
		events, more, err := s.store.AuditTrail(r.Context(), actorOf(u), q)
		if verr, ok := errors.AsType[*casework.ValidationError](err); ok {
			for _, fe := range verr.Fields {
				fe.Message = trailLabels[fe.Field] + " " + fe.Message
				errs = append(errs, fe)
			}
		} else if err != nil {
			return err
		}
		for _, e := range events {
			data.Events = append(data.Events, trailLine{TrailEvent: e, Who: trailWho(e), What: trailWhat(e.Action)})
		}
		if more {
			older := url.Values{}
			for k, vs := range v {
				older[k] = vs
			}
			older.Set("before", strconv.FormatInt(events[len(events)-1].Seq, 10))
			data.Older = "/audit?" + older.Encode()
		}
	}
	if data.Errors = errs; len(errs) > 0 {
		w.WriteHeader(http.StatusBadRequest)
	}
	s.render(w, "audit.html", data)
	return nil
}

// trailQuery reads the auditor's search, with a message for each field it cannot use.
func (s *Server) trailQuery(r *http.Request, f trailForm, before string) (store.TrailQuery, []casework.FieldError) {
	q := store.TrailQuery{Child: f.Child, Limit: trailShown}
	var errs []casework.FieldError
	bad := func(field, msg string, args ...any) {
		errs = append(errs, casework.FieldError{Field: field, Message: fmt.Sprintf(msg, args...)})
	}
	if f.Who != "" {
		who, err := s.store.UserByEmail(r.Context(), f.Who)
		switch {
		case errors.Is(err, casework.ErrNotFound):
			bad("who", "No one has the email address %s", f.Who)
		case err != nil:
			bad("who", "Could not look up %s", f.Who)
		default:
			q.UserID = who.ID
		}
	}
	if f.Action != "" {
		if _, ok := optionLabel(trailActions, f.Action); !ok {
			bad("action", "Choose what was done from the list")
		}
		q.Action = f.Action
	}
	var err error
	if q.From, err = dayOf(f.From); err != nil {
		bad("from", "From must be a date, like 1 11 2026")
	}
	if q.To, err = dayOf(f.To); err != nil {
		bad("to", "To must be a date, like 30 11 2026")
	}
	if before != "" {
		if q.Before, err = strconv.ParseInt(before, 10, 64); err != nil || q.Before < 1 {
			bad("before", "The page asked for is not one this search gives")
		}
	}
	return q, errs
}

// dayForms are the ways people type a day into one box: 1 11 2026, 1/11/2026, 2026-11-01.
var dayForms = regexp.MustCompile(`^(\d{1,2})[ /.-](\d{1,2})[ /.-](\d{4})$|^(\d{4})-(\d{1,2})-(\d{1,2})$`)

// dayOf reads a day typed into one box; empty is no day.
func dayOf(s string) (civil.Date, error) {
	if s == "" {
		return civil.Date{}, nil
	}
	m := dayForms.FindStringSubmatch(s)
	if m == nil {
		return civil.Date{}, fmt.Errorf("not a date: %q", s)
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	y, mo, d := n(m[4]), n(m[5]), n(m[6])
	if m[1] != "" {
		y, mo, d = n(m[3]), n(m[2]), n(m[1])
	}
	return civil.Parse(fmt.Sprintf("%04d-%02d-%02d", y, mo, d))
}

// trailWho names who acted, as the auditor reads it.
func trailWho(e store.TrailEvent) string {
	switch {
	case e.Actor == store.System.UserID:
		return "Continuum itself"
	case e.ActorName == "":
		return e.Actor
	}
	return e.ActorName + ", " + roleName(e.ActorRole)
}

func trailWhat(action string) string {
	what, _ := optionLabel(trailActions, action)
	return what
}

// verifyTrail checks every link of the audit trail's chain and says where the first break is; the check is
// audited.
func (s *Server) verifyTrail(w http.ResponseWriter, r *http.Request, u *store.User) error {
	check, err := s.store.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), store.AuditEvent{Actor: u.ID, Action: store.ActionAudit, Detail: "verify"}); err != nil {
		return err
	}
	s.render(w, "audit.html", trailData{User: u, Actions: trailActions, Check: &check})
	return nil
}
