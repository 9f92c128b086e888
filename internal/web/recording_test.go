package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/store"
)

// form builds form values from pairs; a value of a civil.Date fills the three boxes of a date input.
func form(pairs ...any) url.Values {
	v := url.Values{}
	for i := 0; i < len(pairs); i += 2 {
		name := pairs[i].(string)
		switch x := pairs[i+1].(type) {
		case civil.Date:
			v.Set(name+"-day", strconv.Itoa(x.Day))
			v.Set(name+"-month", strconv.Itoa(int(x.Month)))
			v.Set(name+"-year", strconv.Itoa(x.Year))
		case []string:
			v[name] = x
		default:
			v.Set(name, x.(string))
		}
	}
	return v
}

// journey posts forms for one child and checks each lands where it should.
type journey struct {
	f     *fixture
	t     *testing.T
	child string
	today civil.Date
}

// save posts a recording form and expects it to be saved.
func (j *journey) save(role, slug string, v url.Values) {
	j.t.Helper()
	resp, body := j.f.do(role, "POST", "/children/"+j.child+"/forms/"+slug, v)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/children/"+j.child+"?saved="+slug {
		j.t.Fatalf("%s as %s: %d to %q\n%s", slug, role, resp.StatusCode, resp.Header.Get("Location"), errorsIn(body))
	}
}

// refuse posts a recording form and expects the status, with want in the page.
func (j *journey) refuse(role, slug string, v url.Values, status int, want string) {
	j.t.Helper()
	before := j.records()
	resp, body := j.f.do(role, "POST", "/children/"+j.child+"/forms/"+slug, v)
	if resp.StatusCode != status || !strings.Contains(body, want) {
		j.t.Errorf("%s as %s: %d, want %d with %q\n%s", slug, role, resp.StatusCode, status, want, errorsIn(body))
	}
	if after := j.records(); after != before {
		j.t.Errorf("%s as %s was refused but the file changed from %d to %d records", slug, role, before, after)
	}
}

// records counts the child's current records.
func (j *journey) records() int { return len(fileOf(j).Records()) }

// one returns the file's only current record of type T.
func one[T casework.Record](j *journey, keep func(T) bool) T {
	j.t.Helper()
	var found []T
	for _, r := range casework.All[T](fileOf(j)) {
		if keep(r) {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		var zero T
		j.t.Fatalf("%d records of %T, want 1", len(found), zero)
	}
	return found[0]
}

func every[T casework.Record](T) bool { return true }

// errorsIn picks a page's error summary out of its body, for messages.
func errorsIn(body string) string {
	if i := strings.Index(body, "govuk-error-summary"); i >= 0 {
		return body[i:min(len(body), i+1500)]
	}
	if i := strings.Index(body, "<main"); i >= 0 {
		return body[i:min(len(body), i+800)]
	}
	return body
}

// TestRecordingJourney takes a new child from the front door to a child protection plan and into care through
// the pages, as the practitioners involved would, with the refusals a careless or stale form meets on the way.
func TestRecordingJourney(t *testing.T) {
	f := newFixture(t)
	today := casework.Today(f.store.Now())
	d := func(daysAgo int) civil.Date { return today.AddDays(-daysAgo) }
	const fd, sw, tm = casework.RoleFrontDoor, casework.RoleSocialWorker, casework.RoleTeamManager

	// The front door checks first; a child already on record is not made twice.
	dup := form("name.given", "Zephyrine", "name.family", "Quillfeather", "birth_date", civil.MustParse("2016-03-04"), "sex", "F")
	resp, body := f.do(fd, "POST", "/children/new", dup)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "may be this child") || !strings.Contains(body, "WEB1") {
		t.Fatalf("a known child recorded again: %d\n%s", resp.StatusCode, errorsIn(body))
	}
	resp, body = f.do(fd, "POST", "/children/new", form("name.given", "Orla", "name.family", "Brackenbury",
		"birth_date", civil.Date{Year: 2019, Month: 2, Day: 30}, "sex", "F"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Date of birth must be a real date") {
		t.Errorf("an impossible date of birth: %d\n%s", resp.StatusCode, errorsIn(body))
	}
	resp, body = f.do(fd, "POST", "/children/new", form("name.given", "Orla", "name.family", "Brackenbury",
		"birth_date", d(2500), "sex", "F", "address.postcode", "hp20 1ua"))
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "/forms/contact") {
		t.Fatalf("new child: %d to %q\n%s", resp.StatusCode, loc, errorsIn(body))
	}
	j := &journey{f: f, t: t, child: strings.Split(loc, "/")[2], today: today}
	if p := one(j, every[*casework.Person]); p.LAChildID != "C00000001" || p.Address.Postcode != "HP20 1UA" {
		t.Errorf("new child: LA child ID %q, postcode %q", p.LAChildID, p.Address.Postcode)
	}

	// Contact and threshold decision.
	j.refuse(fd, "contact", form("received_at", d(30), "received_at-time", "25:00", "source", "1A", "reason", "school worried"),
		http.StatusBadRequest, "When the contact was received must be a time on the 24-hour clock")
	j.save(fd, "contact", form("received_at", d(30), "received_at-time", "09:15", "source", "2A", "reason",
		"School saw bruising", "priority", "red"))
	contact := one(j, every[*casework.Contact])
	_, page := f.do(fd, "GET", "/children/"+j.child, nil)
	if !strings.Contains(page, "threshold?contact_id="+contact.ID) {
		t.Errorf("the record does not offer the contact's threshold decision:\n%s", errorsIn(page))
	}
	j.refuse(fd, "threshold", form("contact_id", contact.ID, "level", "4", "service", "early_help", "outcome", "strategy_discussion",
		"decision_maker", "A Manager", "rationale", "Injury", "decided_at", d(30), "decided_at-time", "11:00"),
		http.StatusBadRequest, "Level 4 needs are owned by social care")
	j.save(fd, "threshold", form("contact_id", contact.ID, "level", "4", "service", "social_care", "outcome", "strategy_discussion",
		"decision_maker", "A Manager", "rationale", "Injury to a child under 5", "decided_at", d(30), "decided_at-time", "11:00"))
	if c := one(j, every[*casework.Contact]); c.Outcome != casework.OutcomeStrategy || c.Version != 2 {
		t.Errorf("the threshold decision did not route the contact: outcome %q, version %d", c.Outcome, c.Version)
	}

	// Referral, strategy discussion, section 47 and its outcome, then the conference that starts the plan.
	j.save(sw, "referral", form("contact_id", contact.ID, "referral_date", d(30), "source", "2A", "primary_need", "N1"))
	episode := one(j, func(e *casework.Episode) bool { return e.Open() })
	if a := one(j, every[*casework.Allocation]); a.CaseID != episode.ID || a.WorkerID != f.users[sw].ID {
		t.Errorf("the referral was not allocated to the worker who recorded it: %+v", a)
	}
	j.save(sw, "assessment", form("start", d(30)))
	j.save(sw, "strategy", form("date", d(29), "decision", "Section 47 enquiry"))
	strategy := one(j, every[*casework.StrategyDiscussion])
	j.refuse(sw, "section47", form("strategy_discussion_id", strategy.ID, "start", d(31)), http.StatusBadRequest,
		"before the strategy discussion")
	j.save(sw, "section47", form("strategy_discussion_id", strategy.ID, "start", d(29)))
	s47 := one(j, every[*casework.Section47])
	j.save(sw, "section47-outcome", form("record", s47.ID, "version", "1", "end", d(20), "conference_required", "yes"))
	_, page = f.do(sw, "GET", "/children/"+j.child, nil)
	if !strings.Contains(page, "conference?type=initial&amp;section47_id="+s47.ID) {
		t.Error("the record does not offer the initial conference the enquiry asked for")
	}
	j.save(sw, "conference", form("type", "initial", "date", d(15), "section47_id", s47.ID, "plan_required", "yes",
		"category", "PHY", "chair", "I Chair"))
	plan := one(j, every[*casework.CPPlan])
	if plan.Start != d(15) || plan.LatestCategory != "PHY" || !plan.End.IsZero() {
		t.Errorf("the conference did not start the plan: %+v", plan)
	}
	j.save(sw, "visit", form("date", d(10), "type", "cp", "child_seen", "yes", "seen_alone", "yes"))
	j.refuse(sw, "visit", form("date", civil.Date{Year: today.Year, Month: 2, Day: 31}, "type", "cp"),
		http.StatusBadRequest, "Date of the visit must be a real date")
	j.refuse(sw, "visit", form("date", d(-3), "type", "cp"), http.StatusBadRequest, "must not be in the future")

	// The assessment: completed by the worker, authorised only by a manager.
	assessment := one(j, every[*casework.Assessment])
	j.save(sw, "assessment-complete", form("record", assessment.ID, "version", "1", "completed", d(12), "child_seen", "yes",
		"factors", []string{"2A", "3A"}, "needs_services", "yes"))
	j.refuse(sw, "assessment-authorise", form("record", assessment.ID, "version", "2", "authorised", d(11)),
		http.StatusForbidden, "You do not have access")
	j.refuse(tm, "assessment-authorise", form("record", assessment.ID, "version", "1", "authorised", d(11)),
		http.StatusConflict, "changed by someone else")
	j.save(tm, "assessment-authorise", form("record", assessment.ID, "version", "2", "authorised", d(11)))
	if a := one(j, every[*casework.Assessment]); a.AuthorisedBy != f.users[tm].Name || len(a.Factors) != 2 {
		t.Errorf("authorisation: by %q with factors %v", a.AuthorisedBy, a.Factors)
	}

	// A correction asks why, and keeps the old version in the history.
	visit := one(j, every[*casework.Visit])
	j.refuse(sw, "visit", form("record", visit.ID, "version", "1", "date", d(9), "type", "cp"), http.StatusBadRequest,
		"Say why you are changing the record")
	j.save(sw, "visit", form("record", visit.ID, "version", "1", "date", d(9), "type", "cp", "child_seen", "yes",
		"why_changed", "The visit was on the Tuesday"))
	if v := one(j, every[*casework.Visit]); v.Date != d(9) || v.Version != 2 || v.SeenAlone {
		t.Errorf("corrected visit: %+v", v)
	}

	// Reallocation by the team manager, not by the worker.
	j.refuse(sw, "allocate", form("worker_id", f.users[tm].ID, "start", d(1)), http.StatusForbidden, "You do not have access")
	allocation := one(j, func(a *casework.Allocation) bool { return a.End.IsZero() })
	j.save(tm, "allocate", form("guard", allocation.ID, "version", strconv.Itoa(allocation.Version), "worker_id", f.users[tm].ID, "start", d(1)))
	if a := one(j, func(a *casework.Allocation) bool { return a.End.IsZero() }); a.WorkerID != f.users[tm].ID {
		t.Errorf("reallocated to %q", a.WorkerID)
	}

	// Into care, a move, a review, and out again.
	j.save(sw, "looked-after", form("legal_status.code", "V2", "legal_status.start", d(8), "placement.type", "U1",
		"placement.provider", "PR1", "placement.postcode", "HP20 2AB", "placement.in_area", "yes"))
	placement := one(j, every[*casework.Placement])
	j.refuse(sw, "placement-change", form("guard", placement.ID, "version", "1", "start", d(4), "type", "U3", "provider", "PR1"),
		http.StatusBadRequest, "Why the child moved")
	j.save(sw, "placement-change", form("guard", placement.ID, "version", strconv.Itoa(placement.Version), "start", d(4),
		"change_reason", "CARPL", "type", "U3", "provider", "PR1"))
	j.refuse(sw, "placement-change", form("guard", placement.ID, "version", "1", "start", d(2), "change_reason", "CARPL", "type", "U1", "provider", "PR1"),
		http.StatusConflict, "changed by someone else")
	j.save(sw, "review", form("date", d(3), "participation", "PN1"))
	j.save(sw, "care-ceased", form("end", d(1), "ceased_reason", "E13"))
	if _, ok := open[*casework.LegalStatus](fileOf(j)); ok {
		t.Error("care did not end")
	}
	ep := one(j, every[*casework.Episode])
	j.save(sw, "closure", form("guard", ep.ID, "version", strconv.Itoa(ep.Version), "closure_date", d(0),
		"closure_reason", "RC1"))
	if p := one(j, every[*casework.CPPlan]); p.End != d(0) {
		t.Errorf("closing the episode did not end the plan: %+v", p)
	}

	// The whole file passes the domain's checks, and every page of it still renders.
	for _, path := range []string{"", "/history", "/forms/visit", "/forms/allocate"} {
		if resp, body := f.do(tm, "GET", "/children/"+j.child+path, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d\n%s", path, resp.StatusCode, errorsIn(body))
		}
	}
}

func fileOf(j *journey) *casework.File {
	file, err := j.f.store.File(j.t.Context(), store.System, j.child)
	if err != nil {
		j.t.Fatal(err)
	}
	return file
}

// FuzzFormDecode sends whatever a browser, or someone pretending to be one, might post to every recording form:
// reading it must never panic, and whatever it reads must decode into the form's records or be refused.
func FuzzFormDecode(f *testing.F) {
	f.Add("date-day=31&date-month=2&date-year=2026&type=cp")
	f.Add("received_at-day=1&received_at-month=1&received_at-year=2026&received_at-time=9:61&level=x")
	f.Add("legal_status.code=V2&placement.in_area=yes&factors=1A&factors=1A&level=99999999999999999999")
	f.Add("name.given=%00&birth_date-year=0001&birth_date-month=1&birth_date-day=1")
	f.Fuzz(func(t *testing.T, body string) {
		vals, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		for _, rf := range append([]*recordForm{newChildForm}, recordForms...) {
			for _, correcting := range []bool{false, true} {
				objs, errs := decode(rf.specs(correcting), vals, nil, rf.multi())
				if len(errs) > 0 {
					continue
				}
				for _, k := range rf.Kinds {
					key := ""
					if rf.multi() {
						key = string(k)
					}
					if r, err := fromJSON(k, objs[key]); err == nil {
						_ = r.Validate(civil.MustParse("2026-11-24"))
					}
				}
			}
		}
	})
}
