package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
)

// formPage is a recording form as shown.
type formPage struct {
	User   *store.User
	Person *casework.Person
	Form   *recordForm
	Fields []fieldView
	Errors []casework.FieldError
	// Notice says why the form cannot be used on this file now.
	Notice string
	// Record is the record the form changes, and Guard the one it guards; Version is that record's version when
	// the form was shown.
	Record, Guard string
	Version       string
	// Target describes the record being changed; Correcting is set when it is corrected rather than taken on
	// a step, and the form then asks why.
	Target     string
	Correcting bool
	// Action is where the form is sent; Back and BackText lead back to where it was started from.
	Action, Back, BackText string
	// Warning is what the person filling the form in must not miss.
	Warning string
}

// formPageFor starts a recording form's page for the child's file.
func formPageFor(u *store.User, p *casework.Person, rf *recordForm) formPage {
	return formPage{User: u, Person: p, Form: rf, Action: "/children/" + p.ID + "/forms/" + rf.Slug,
		Back: "/children/" + p.ID, BackText: "Back to the record"}
}

// specs are the fields a form shows: a correction asks why, may mark the record as entered in error, and leaves
// out what only a new record's save reads.
func (rf *recordForm) specs(correcting bool) []fieldSpec {
	if !correcting {
		return rf.Fields
	}
	var out []fieldSpec
	for _, f := range rf.Fields {
		if !f.extra {
			out = append(out, f)
		}
	}
	return append(out, area("why_changed", "Why you are changing it").asExtra(),
		yes("retracted", "It was recorded in error: remove it from the record").asExtra().
			hint("It stays in the history of changes"))
}

// authorizeForm applies what the form needs beyond recording.
func authorizeForm(u *store.User, slug string) (*recordForm, error) {
	rf, ok := formBySlug(slug)
	if !ok {
		return nil, casework.ErrNotFound
	}
	if rf.action != "" {
		if err := casework.Authorize(u.Role, rf.action); err != nil {
			return nil, err
		}
	}
	return rf, nil
}

// lookupsFor reads what the form offers beyond the file, before its transaction: the team's workers and their
// caseloads to allocate or restrict, the partner agencies' teams to share with.
func (s *Server) lookupsFor(ctx context.Context, rf *recordForm, u *store.User) (lookups, error) {
	var l lookups
	var err error
	switch rf.Slug {
	case "allocate", "restrict":
		l.workers, err = s.store.Caseloads(ctx, u.TeamID)
	case "share":
		var teams []store.Team
		teams, err = s.store.Teams(ctx)
		for _, t := range teams {
			if t.Service == "partner" {
				l.partners = append(l.partners, t)
			}
		}
	}
	return l, err
}

// target finds the record a form changes: the one named, which must be one the form may change, or, for a
// form that takes a step on a record, the only one waiting for it.
func (rf *recordForm) target(c *formCtx, id string) (casework.Record, error) {
	var candidates []casework.Record
	switch {
	case rf.changes:
		candidates = rf.targets(c)
	case correctionForm(rf.Kinds[0]) == rf:
		candidates = casework.All[casework.Record](c.file)
	}
	for _, r := range candidates {
		if r.Kind() == rf.Kinds[0] && (r.Base().ID == id || (id == "" && len(candidates) == 1)) {
			return r, nil
		}
	}
	return nil, casework.ErrNotFound
}

// recordFormPage shows a recording form: empty (with any values the link carried), or holding the record it
// changes.
func (s *Server) recordFormPage(w http.ResponseWriter, r *http.Request, u *store.User) error {
	rf, err := authorizeForm(u, r.PathValue("form"))
	if err != nil {
		return err
	}
	f, err := s.store.File(r.Context(), actorOf(u), r.PathValue("id"))
	if err != nil {
		return err
	}
	if f.Person() == nil || f.Person().Role != casework.RoleChild {
		return casework.ErrNotFound
	}
	c := newFormCtx(f, u, s.store.Now())
	if c.lookups, err = s.lookupsFor(r.Context(), rf, u); err != nil {
		return err
	}
	q := r.URL.Query()
	page := formPageFor(u, f.Person(), rf)
	vals := url.Values{}
	if id := q.Get("record"); id != "" || rf.changes {
		if page.Notice = rf.waiting(c); page.Notice == "" {
			target, err := rf.target(c, id)
			if err != nil {
				return err
			}
			obj, err := asJSON(target)
			if err != nil {
				return err
			}
			page.Correcting = !rf.changes
			encode(rf.specs(page.Correcting), map[string]map[string]any{"": obj}, false, vals)
			page.Record, page.Version, page.Target = target.Base().ID, strconv.Itoa(target.Base().Version), describeRecord(target)
		}
	} else {
		page.Notice = rf.blocked(c)
		for _, spec := range rf.Fields {
			if v := q.Get(spec.Name); v != "" {
				vals.Set(spec.Name, v)
			}
		}
		if rf.prefill != nil {
			rf.prefill(c, vals)
		}
		if rf.guards != nil {
			if g := rf.guards(c); g != nil {
				page.Guard, page.Version = g.Base().ID, strconv.Itoa(g.Base().Version)
			}
		}
	}
	page.Fields = views(rf.specs(page.Correcting), c, vals, nil)
	s.render(w, "record-form.html", page)
	return nil
}

// blocked says why a new form cannot be used on this file now, or "".
func (rf *recordForm) blocked(c *formCtx) string {
	if rf.needs != nil {
		return rf.needs(c)
	}
	if rf.inEpisode {
		return needEpisode(c)
	}
	return ""
}

// waiting says, for a form that takes a step on a record, that no record is waiting for it.
func (rf *recordForm) waiting(c *formCtx) string {
	if rf.changes && len(rf.targets(c)) == 0 {
		return "There is nothing waiting for this on the child's record."
	}
	return ""
}

// saveRecordForm saves a recording form in one change to the child's file. A form the domain refuses is shown
// again, as typed, with each message beside its field; nothing of it is stored.
func (s *Server) saveRecordForm(w http.ResponseWriter, r *http.Request, u *store.User) error {
	rf, err := authorizeForm(u, r.PathValue("form"))
	if err != nil {
		return err
	}
	vals, fileID := r.PostForm, r.PathValue("id")
	recordID := vals.Get("record")
	correcting := recordID != "" && !rf.changes
	specs := rf.specs(correcting)
	var c *formCtx
	found, err := s.lookupsFor(r.Context(), rf, u)
	if err != nil {
		return err
	}
	err = s.store.UpdateFile(r.Context(), actorOf(u), fileID, func(f *casework.File) error {
		if f.Person() == nil || f.Person().Role != casework.RoleChild {
			return casework.ErrNotFound
		}
		c = newFormCtx(f, u, s.store.Now())
		c.lookups = found
		return rf.apply(c, formReader(rf, specs, vals), vals, correcting)
	})
	if verr, ok := errors.AsType[*casework.ValidationError](err); ok && c != nil {
		page := formPageFor(u, c.file.Person(), rf)
		page.Record, page.Guard, page.Version, page.Correcting = recordID, vals.Get("guard"), vals.Get("version"), correcting
		page.Errors = placeErrors(specs, verr.Fields)
		if target, ok := c.file.Get(recordID); ok {
			page.Target = describeRecord(target)
		}
		page.Fields = views(specs, c, vals, page.Errors)
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, "record-form.html", page)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/children/"+fileID+"?saved="+rf.Slug, http.StatusSeeOther)
	return nil
}

// reader turns what was sent into JSON objects for a form's records, on top of base (the changed record's JSON,
// when the form changes one), keyed by kind on a form of several records and by "" otherwise.
type reader func(base map[string]map[string]any) (map[string]map[string]any, []casework.FieldError)

// formReader reads a posted form.
func formReader(rf *recordForm, specs []fieldSpec, vals url.Values) reader {
	return func(base map[string]map[string]any) (map[string]map[string]any, []casework.FieldError) {
		return decode(specs, vals, base, rf.multi())
	}
}

// apply reads what was sent into records and saves them to the file. ctl holds the form's extra fields and its
// controls: the record changed ("record"), the record guarded ("guard"), the version shown ("version") and, for a
// correction, why ("why_changed") and whether it was entered in error ("retracted").
func (rf *recordForm) apply(c *formCtx, read reader, ctl url.Values, correcting bool) error {
	recordID := ctl.Get("record")
	base := map[string]map[string]any{}
	var target casework.Record
	if recordID != "" || rf.changes {
		var err error
		if target, err = rf.target(c, recordID); err != nil {
			return err
		}
		if base[""], err = asJSON(target); err != nil {
			return err
		}
	} else if msg := rf.blocked(c); msg != "" {
		return casework.Invalid(rf.Fields[0].Name, "%s", msg)
	}
	objs, errs := read(base)
	if correcting {
		switch why := strings.TrimSpace(ctl.Get("why_changed")); {
		case why == "":
			errs = append(errs, casework.FieldError{Field: "why_changed", Message: "Say why you are changing the record"})
		case len(why) > 1000:
			errs = append(errs, casework.FieldError{Field: "why_changed", Message: "Why you are changing it must be at most 1000 characters"})
		}
	}
	if len(errs) > 0 {
		return &casework.ValidationError{Fields: errs}
	}
	recs := make([]casework.Record, len(rf.Kinds))
	for i, k := range rf.Kinds {
		key := ""
		if rf.multi() {
			key = string(k)
		}
		if objs[key] == nil {
			objs[key] = map[string]any{}
		}
		if rf.inEpisode && target == nil {
			objs[key]["episode_id"] = c.episode.ID
		}
		rec, err := fromJSON(k, objs[key])
		if err != nil {
			return err
		}
		recs[i] = rec
	}
	if target == nil {
		if rf.save != nil {
			return rf.save(c, recs, ctl)
		}
		return c.file.Save(recs...)
	}
	rec := recs[0]
	m := rec.Base()
	*m = *target.Base()
	version, err := strconv.Atoi(ctl.Get("version"))
	if err != nil {
		return casework.Invalid("version", "give the version of the record you are changing")
	}
	m.Version, m.Reason = version, rf.Saved
	if correcting {
		m.Reason, m.Retracted = strings.TrimSpace(ctl.Get("why_changed")), ctl.Get("retracted") == "yes"
	}
	if a, ok := rec.(*casework.Assessment); ok && rf.action == casework.ActionAuthorise {
		a.AuthorisedBy = c.user.Name
	}
	return c.file.Save(rec)
}

// newChildForm starts a file for a child the front door does not know yet.
var newChildForm = &recordForm{Slug: "child", Title: "Record a new child", Kinds: []casework.Kind{casework.KindPerson},
	Fields: []fieldSpec{
		text("name.given", "First name").width("20"),
		text("name.family", "Last name").width("20"),
		date("birth_date", "Date of birth"),
		choice("sex", "Sex", sexes...),
		codes("ethnicity", "Ethnicity", casework.ListEthnicity),
		text("nhs_number", "NHS number").width("10"),
		text("la_child_id", "LA child ID").hint("Leave blank to give the child the next number").width("10"),
		text("address.postcode", "Postcode").width("10"),
	}}

// notAMatch is asked only when the child may already be on record.
var notAMatch = yes("not_a_match", "I have checked: this is a different child").asExtra()

// strongMatch is the match score at which a new child is probably one already on record.
const strongMatch = 80

func newChildFormPage(u *store.User) formPage {
	return formPage{User: u, Form: newChildForm, Action: "/children/new", Back: "/children", BackText: "Back to find a child"}
}

// newChildPage shows the new child form, filled with what the front door's check was given.
func (s *Server) newChildPage(w http.ResponseWriter, r *http.Request, u *store.User) error {
	q, vals := r.URL.Query(), url.Values{}
	for field, param := range map[string]string{"name.given": "given", "name.family": "family", "nhs_number": "nhs",
		"birth_date-day": "dob-day", "birth_date-month": "dob-month", "birth_date-year": "dob-year"} {
		vals.Set(field, q.Get(param))
	}
	page := newChildFormPage(u)
	page.Fields = views(newChildForm.Fields, nil, vals, nil)
	s.render(w, "record-form.html", page)
	return nil
}

// addChild starts the child's file, then goes on to the contact. It first looks again for the child among those
// on record, and refuses while a strong match stands unless the worker says it is a different child.
func (s *Server) addChild(w http.ResponseWriter, r *http.Request, u *store.User) error {
	vals, specs := r.PostForm, newChildForm.Fields
	objs, errs := decode(specs, vals, nil, false)
	var id string
	if len(errs) == 0 {
		var err error
		if id, errs, err = s.createChild(r.Context(), u, objs[""], vals.Get(notAMatch.Name) == "yes"); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		if fieldError(errs, notAMatch.Name) != "" || vals.Get(notAMatch.Name) != "" {
			specs = append(specs, notAMatch)
		}
		page := newChildFormPage(u)
		page.Errors = placeErrors(specs, errs)
		page.Fields = views(specs, nil, vals, page.Errors)
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, "record-form.html", page)
		return nil
	}
	http.Redirect(w, r, "/children/"+id+"/forms/contact", http.StatusSeeOther)
	return nil
}

// createChild stores a new child from the form's JSON, or says what stops it.
func (s *Server) createChild(ctx context.Context, u *store.User, obj map[string]any, checked bool) (string, []casework.FieldError, error) {
	if obj == nil {
		obj = map[string]any{}
	}
	obj["role"] = casework.RoleChild
	rec, err := fromJSON(casework.KindPerson, obj)
	if err != nil {
		return "", nil, err
	}
	p := rec.(*casework.Person)
	if !checked {
		matches, err := s.store.MatchChildren(ctx, actorOf(u), casework.MatchQuery{NHSNumber: p.NHSNumber,
			Given: p.Name.Given, Family: p.Name.Family, BirthDate: p.BirthDate}, 3)
		if err != nil && !errors.Is(err, casework.ErrInvalid) {
			return "", nil, err
		}
		for _, m := range matches {
			if m.Score >= strongMatch {
				return "", []casework.FieldError{{Field: notAMatch.Name, Message: "A child on record may be this child: " +
					m.Person.Name.Given + " " + m.Person.Name.Family + ", LA child ID " + m.Person.LAChildID + ", born " +
					day(m.Person.BirthDate) + ". Open their record from find a child, or tick that this is a different child"}}, nil
			}
		}
	}
	if p.LAChildID == "" {
		if p.LAChildID, err = s.store.NextLAChildID(ctx, "C", 8); err != nil {
			return "", nil, err
		}
	}
	id, err := s.store.CreateFile(ctx, actorOf(u), func(f *casework.File) error { return f.Save(p) })
	if verr, ok := errors.AsType[*casework.ValidationError](err); ok {
		return "", verr.Fields, nil
	}
	return id, nil, err
}
