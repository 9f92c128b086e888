package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/store"
)

// findData is the find-a-child page: a quick search by name or LA child ID, and the front door's check for a
// known child by NHS number, LA child ID, names and date of birth.
type findData struct {
	User     *store.User
	Query    string
	Children []*casework.Person
	Check    checkForm
	Matches  []store.Match
	Errors   []casework.FieldError
	Searched bool
	Checked  bool
	// NewChild starts a new child's record with what the check was given, for those who may add one.
	NewChild template.URL
}

// checkForm is what the front door knows about the child a contact is about, as typed.
type checkForm struct {
	NHSNumber, LAChildID, Given, Family string
	Day, Month, Year                    string
}

func (c checkForm) empty() bool {
	return c.NHSNumber == "" && c.LAChildID == "" && c.Given == "" && c.Family == "" && c.Day == "" &&
		c.Month == "" && c.Year == ""
}

// findChildren searches by name or ID (?q=), or checks whether the child a contact is about is already known
// (?nhs=, ?la=, ?given=, ?family=, ?dob-day=…) so that a known child is not recorded twice.
func (s *Server) findChildren(w http.ResponseWriter, r *http.Request, u *store.User) error {
	q := r.URL.Query()
	data := findData{User: u, Query: strings.TrimSpace(q.Get("q")), Check: checkForm{
		NHSNumber: strings.TrimSpace(q.Get("nhs")), LAChildID: strings.TrimSpace(q.Get("la")),
		Given: strings.TrimSpace(q.Get("given")), Family: strings.TrimSpace(q.Get("family")),
		Day: strings.TrimSpace(q.Get("dob-day")), Month: strings.TrimSpace(q.Get("dob-month")),
		Year: strings.TrimSpace(q.Get("dob-year"))}}
	actor := actorOf(u)
	switch {
	case !data.Check.empty():
		mq, problems := data.Check.query()
		if len(problems) == 0 {
			matches, err := s.store.MatchChildren(r.Context(), actor, mq, 20)
			var verr *casework.ValidationError
			switch {
			case errors.As(err, &verr):
				problems = verr.Fields
			case err != nil:
				return err
			}
			data.Matches, data.Checked = matches, err == nil
		}
		if casework.Authorize(u.Role, casework.ActionAddChild) == nil {
			v := url.Values{}
			for _, k := range []string{"nhs", "given", "family", "dob-day", "dob-month", "dob-year"} {
				v.Set(k, q.Get(k))
			}
			data.NewChild = template.URL("/children/new?" + v.Encode())
		}
		data.Errors = problems
	case data.Query != "":
		found, _, err := s.store.FindChildren(r.Context(), actor, data.Query, 0, 50)
		if err != nil {
			return err
		}
		data.Children, data.Searched = found, true
	}
	if len(data.Errors) > 0 {
		w.WriteHeader(http.StatusBadRequest)
	}
	s.render(w, "find.html", data)
	return nil
}

// query turns the form into a match query, with a message per field that cannot be read.
func (c checkForm) query() (casework.MatchQuery, []casework.FieldError) {
	var problems []casework.FieldError
	mq := casework.MatchQuery{LAChildID: c.LAChildID, Given: c.Given, Family: c.Family}
	if c.NHSNumber != "" {
		if err := casework.CheckNHSNumber(casework.NormaliseNHSNumber(c.NHSNumber)); err != nil {
			problems = append(problems, casework.FieldError{Field: "nhs",
				Message: "Enter an NHS number of 10 digits, like 943 476 5919"})
		} else {
			mq.NHSNumber = c.NHSNumber
		}
	}
	if c.LAChildID != "" {
		if err := casework.CheckLAChildID(c.LAChildID); err != nil {
			problems = append(problems, casework.FieldError{Field: "la", Message: "LA child ID: " + err.Error()})
		}
	}
	if d, msg := dateInput(c.Day, c.Month, c.Year); msg != "" {
		problems = append(problems, casework.FieldError{Field: "dob-day", Message: "Date of birth " + msg})
	} else {
		mq.BirthDate = d
	}
	return mq, problems
}

// dateInput reads a GOV.UK date input (day, month and year boxes). All empty is no date; otherwise it returns a
// message saying what is wrong, worded to follow the field's name.
func dateInput(day, month, year string) (civil.Date, string) {
	if day == "" && month == "" && year == "" {
		return civil.Date{}, ""
	}
	if day == "" || month == "" || year == "" {
		return civil.Date{}, "must include a day, month and year"
	}
	d, errD := strconv.Atoi(day)
	m, errM := strconv.Atoi(month)
	y, errY := strconv.Atoi(year)
	if errD != nil || errM != nil || errY != nil || len(year) != 4 {
		return civil.Date{}, "must be a real date, like 27 3 2019"
	}
	if m < 1 || m > 12 || d < 1 || d > civil.DaysIn(y, time.Month(m)) {
		return civil.Date{}, "must be a real date"
	}
	return civil.New(y, time.Month(m), d), ""
}
