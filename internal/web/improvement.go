package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/improve"
	"github.com/continuum-cs/continuum/internal/kpi"
	"github.com/continuum-cs/continuum/internal/store"
)

// entryFields are each kind's form fields, in the order the form asks for them.
var entryFields = map[string][]string{
	improve.KindPriority:  {"title", "description"},
	improve.KindAction:    {"priority", "title", "owner", "due", "status", "evidence"},
	improve.KindChallenge: {"raised", "raised_by", "challenge", "owner", "response", "closed"},
}

type improvementData struct {
	User    *store.User
	Plan    improve.Plan
	Today   civil.Date
	CanEdit bool
	// CanChallenge: the board records its challenges.
	CanChallenge bool
	Added        string // the kind of entry just added, for the banner
	// Ratings are the indicators' ratings for the last complete month, for the actions that name them.
	Ratings map[string]kpi.RAG
}

// improvement shows the improvement plan, each priority with its actions, and the board's challenge log.
func (s *Server) improvement(w http.ResponseWriter, r *http.Request, u *store.User) error {
	plan, err := improve.Load(r.Context(), s.store)
	if err != nil {
		return err
	}
	data := improvementData{User: u, Plan: plan, Today: casework.Today(s.store.Now()),
		CanEdit: canEdit(u, improve.KindPriority), CanChallenge: canEdit(u, improve.KindChallenge), Ratings: map[string]kpi.RAG{},
		Added: r.URL.Query().Get("added")}
	if !slices.Contains([]string{improve.KindPriority, improve.KindAction, improve.KindChallenge}, data.Added) {
		data.Added = ""
	}
	if len(plan.Actions) > 0 {
		f, err := s.figures(r.Context(), actorOf(u), s.monthsOffered()[0])
		switch {
		case err == nil:
			for _, row := range f.rows() {
				data.Ratings[row.Code] = row.Rating
			}
		case !errors.Is(err, kpi.ErrNoPopulation):
			return err
		}
	}
	s.render(w, "improvement.html", data)
	return nil
}

type entryData struct {
	User       *store.User
	Kind       string
	ID         string
	Version    int
	Errors     []casework.FieldError
	Form       map[string]string
	Chosen     map[string]bool // the indicators an action names
	Priorities []improve.Item[improve.Priority]
	Statuses   []string
	Dictionary []kpi.Indicator
	History    []historyRow
	CanEdit    bool
	Saved      bool
}

func (s *Server) newEntryData(r *http.Request, u *store.User, kind string) (*entryData, error) {
	if _, ok := entryFields[kind]; !ok {
		return nil, casework.ErrNotFound
	}
	plan, err := improve.Load(r.Context(), s.store)
	if err != nil {
		return nil, err
	}
	return &entryData{User: u, Kind: kind, Form: map[string]string{}, Chosen: map[string]bool{}, Priorities: plan.Priorities,
		Statuses: improve.Statuses, Dictionary: kpi.Dictionary, CanEdit: canEdit(u, kind)}, nil
}

// canEdit tells whether u may add or change entries of a kind: the board its challenges, leaders everything.
func canEdit(u *store.User, kind string) bool {
	if kind == improve.KindChallenge && casework.Authorize(u.Role, casework.ActionChallenge) == nil {
		return true
	}
	return casework.Authorize(u.Role, casework.ActionEditPlan) == nil
}

// newEntry shows the form for a new priority, action or challenge.
func (s *Server) newEntry(w http.ResponseWriter, r *http.Request, u *store.User) error {
	return s.newEntryOf(w, r, u, r.PathValue("kind"))
}

// newChallenge shows the form for the board's new challenge.
func (s *Server) newChallenge(w http.ResponseWriter, r *http.Request, u *store.User) error {
	return s.newEntryOf(w, r, u, improve.KindChallenge)
}

func (s *Server) newEntryOf(w http.ResponseWriter, r *http.Request, u *store.User, kind string) error {
	data, err := s.newEntryData(r, u, kind)
	if err != nil {
		return err
	}
	if data.Kind == improve.KindChallenge {
		data.Form["raised"] = casework.Today(s.store.Now()).String()
	}
	s.render(w, "entry.html", data)
	return nil
}

// entry shows an entry as it stands, the form to change it, and every version it has had.
func (s *Server) entry(w http.ResponseWriter, r *http.Request, u *store.User) error {
	history, err := s.store.EntryHistory(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if len(history) == 0 {
		return casework.ErrNotFound
	}
	data, err := s.newEntryData(r, u, history[0].Kind)
	if err != nil {
		return err
	}
	data.ID, data.Version, data.History, data.Saved = history[0].ID, history[0].Version, historyRows(history), r.URL.Query().Get("saved") == "1"
	if err := fillForm(data, history[0].Body); err != nil {
		return err
	}
	s.render(w, "entry.html", data)
	return nil
}

// saveEntry records a new entry (POST /improvement/new/{kind}) or a change to one (POST /improvement/{id}),
// then shows the plan or the entry (Post/Redirect/Get). A mistake shows the form again with its errors; a
// change made from a version someone else has since changed is refused.
func (s *Server) saveEntry(w http.ResponseWriter, r *http.Request, u *store.User) error {
	return s.saveEntryOf(w, r, u, r.PathValue("kind"), false)
}

// saveChallenge records the board's new challenge (POST /improvement/new/challenge) or a change to one (POST
// /improvement/challenges/{id}); an entry of another kind is not found there.
func (s *Server) saveChallenge(w http.ResponseWriter, r *http.Request, u *store.User) error {
	return s.saveEntryOf(w, r, u, improve.KindChallenge, true)
}

func (s *Server) saveEntryOf(w http.ResponseWriter, r *http.Request, u *store.User, kind string, onlyKind bool) error {
	if err := r.ParseForm(); err != nil {
		return casework.Invalid("form", "the form could not be read")
	}
	id, base := r.PathValue("id"), 0
	var history []store.Entry
	if id != "" {
		var err error
		if history, err = s.store.EntryHistory(r.Context(), id); err != nil {
			return err
		}
		if len(history) == 0 || (onlyKind && history[0].Kind != kind) {
			return casework.ErrNotFound
		}
		kind = history[0].Kind
		if base, err = strconv.Atoi(r.PostForm.Get("version")); err != nil || base < 1 {
			return casework.Invalid("version", "the form lacks the version it was made from")
		}
	}
	data, err := s.newEntryData(r, u, kind)
	if err != nil {
		return err
	}
	data.ID, data.Version, data.History = id, base, historyRows(history)
	for _, f := range entryFields[kind] {
		data.Form[f] = strings.TrimSpace(r.PostForm.Get(f))
	}
	for _, code := range r.PostForm["indicators"] {
		data.Chosen[code] = true
	}
	value, problems := valueOf(kind, data.Form, r.PostForm["indicators"])
	_, more := improve.Check(r.Context(), s.store, value, casework.Today(s.store.Now()))
	for _, p := range more {
		if fieldError(problems, p.Field) == "" {
			problems = append(problems, p)
		}
	}
	if len(problems) == 0 {
		saved, err := improve.Save(r.Context(), s.store, actorOf(u), id, base, value, casework.Today(s.store.Now()))
		if err != nil {
			return err
		}
		// A new entry is shown in its place in the plan, where the banner says it was added.
		section := map[string]string{improve.KindChallenge: "challenges"}[kind]
		if section == "" {
			section = "priorities"
		}
		to := "/improvement?added=" + kind + "#" + section
		if id != "" {
			to = "/improvement/" + saved.ID + "?saved=1"
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	data.Errors = problems
	w.WriteHeader(http.StatusBadRequest)
	s.render(w, "entry.html", data)
	return nil
}

// valueOf reads a kind's form into its entry, with an error for each date that is not one.
func valueOf(kind string, form map[string]string, indicators []string) (any, []casework.FieldError) {
	var problems []casework.FieldError
	date := func(field, name string, optional bool) civil.Date {
		if form[field] == "" && optional {
			return civil.Date{}
		}
		d, err := civil.Parse(form[field])
		if err != nil {
			problems = append(problems, casework.FieldError{Field: field, Message: name + " must be a real date, like 2027-03-31"})
		}
		return d
	}
	switch kind {
	case improve.KindPriority:
		return &improve.Priority{Title: form["title"], Description: form["description"]}, nil
	case improve.KindAction:
		a := &improve.Action{Priority: form["priority"], Title: form["title"], Owner: form["owner"], Status: form["status"],
			Evidence: form["evidence"], Indicators: indicators}
		a.Due = date("due", "Due date", false)
		return a, problems
	}
	c := &improve.Challenge{RaisedBy: form["raised_by"], Challenge: form["challenge"], Owner: form["owner"], Response: form["response"]}
	c.Raised = date("raised", "Date raised", false)
	c.Closed = date("closed", "Date closed", true)
	return c, problems
}

// fillForm shows an entry's body in its kind's form.
func fillForm(data *entryData, body string) error {
	var v map[string]any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		return err
	}
	for _, f := range entryFields[data.Kind] {
		if s, ok := v[f].(string); ok {
			data.Form[f] = s
		}
	}
	if list, ok := v["indicators"].([]any); ok {
		for _, code := range list {
			if c, ok := code.(string); ok {
				data.Chosen[c] = true
			}
		}
	}
	return nil
}

// historyRow is a version of an entry as its page lists it: each field that has a value.
type historyRow struct {
	store.Entry
	Fields []string
}

func historyRows(history []store.Entry) []historyRow {
	out := make([]historyRow, len(history))
	for i, e := range history {
		out[i].Entry = e
		var v map[string]any
		if json.Unmarshal([]byte(e.Body), &v) != nil {
			continue
		}
		for _, f := range append(entryFields[e.Kind], "indicators") {
			switch x := v[f].(type) {
			case string:
				out[i].Fields = append(out[i].Fields, f+": "+x)
			case []any:
				out[i].Fields = append(out[i].Fields, fmt.Sprintf("%s: %v", f, x))
			}
		}
	}
	return out
}
