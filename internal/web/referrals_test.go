package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/store"
)

// TestPartnerReferral: a health visitor refers a child, refused first for what a hurried form leaves out; the
// front door finds the child on record and takes the referral in as a contact, once only; its decision goes back
// to the health visitor. A referral about a child not on record starts the child's record.
func TestPartnerReferral(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	fd := store.Actor{UserID: f.users[casework.RoleFrontDoor].ID, Role: casework.RoleFrontDoor}
	waiting := func() int {
		refs, err := f.store.ReferralsWaiting(ctx, fd, 100)
		if err != nil {
			t.Fatal(err)
		}
		return len(refs)
	}
	before := waiting()
	refer := func(pairs ...any) []any {
		return append([]any{"given", "Zephyrine", "family", "Quillfeather", "birth_date", casework.Today(f.store.Now()).AddDays(-3000),
			"sex", "F", "source", "3B", "concerns", "She said she is afraid to go home", "parents_aware", "yes",
			"phone", "01296 111111"}, pairs...)
	}
	for _, c := range []struct {
		form []any
		want string
	}{
		{refer("concerns", ""), "What worries you about the child is required"},
		{refer("parents_aware", "no"), "Why the family has not been told is required"},
		{refer("nhs_number", "943 476 5918"), "Check digit does not match"},
		{refer("phone", ""), "Your phone number is required"},
		{refer("source", "1A"), "You are referring as must name an agency"},
	} {
		resp, body := f.do(casework.RolePartner, "POST", "/referrals/new", form(c.form...))
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, c.want) {
			t.Errorf("a referral without care: %d, want 400 with %q\n%s", resp.StatusCode, c.want, errorsIn(body))
		}
	}
	if n := waiting(); n != before {
		t.Fatalf("refused referrals were stored: %d waiting, was %d", n, before)
	}
	// The child's date of birth is the fixture child's: the front door's check finds her.
	resp, body := f.do(casework.RolePartner, "POST", "/referrals/new", form(refer("birth_date", civil.MustParse("2016-03-04"))...))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/referrals/sent?sent=1" {
		t.Fatalf("a good referral: %d\n%s", resp.StatusCode, errorsIn(body))
	}
	if _, body := f.do(casework.RolePartner, "GET", "/referrals/sent?sent=1", nil); !strings.Contains(body, "Waiting at the front door") ||
		!strings.Contains(body, "Referral sent") {
		t.Errorf("the health visitor's referrals:\n%s", errorsIn(body))
	}

	refs, err := f.store.ReferralsWaiting(ctx, fd, 100)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, r := range refs {
		if r.Body.Given == "Zephyrine" {
			id = r.ID
		}
	}
	if _, body := f.do(casework.RoleFrontDoor, "GET", "/referrals", nil); !strings.Contains(body, `href="/referrals/`+id+`"`) {
		t.Fatalf("the front door's list lacks the referral:\n%s", errorsIn(body))
	}
	if _, body := f.do(casework.RoleFrontDoor, "GET", "/referrals/"+id, nil); !strings.Contains(body, `value="`+f.childID+`"`) {
		t.Errorf("the referral's page does not offer the child on record:\n%s", errorsIn(body))
	}
	if resp, body := f.do(casework.RoleFrontDoor, "POST", "/referrals/"+id, form()); resp.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "Choose the child the referral is about") {
		t.Errorf("taking in without choosing a child: %d\n%s", resp.StatusCode, errorsIn(body))
	}
	resp, _ = f.do(casework.RoleFrontDoor, "POST", "/referrals/"+id, form("child_id", f.childID))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/children/"+f.childID+"?saved=contact" {
		t.Fatalf("taking the referral in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := f.do(casework.RoleFrontDoor, "POST", "/referrals/"+id, form("child_id", f.childID)); resp.StatusCode != http.StatusConflict {
		t.Errorf("taking the referral in twice: %d, want 409", resp.StatusCode)
	}
	j := &journey{f: f, t: t, child: f.childID, today: casework.Today(f.store.Now())}
	contact := one(j, every[*casework.Contact])
	if contact.Source != "3B" || contact.Reason != "She said she is afraid to go home" {
		t.Errorf("the contact taken in: %+v", contact)
	}
	if _, body := f.do(casework.RolePartner, "GET", "/referrals/sent", nil); !strings.Contains(body, "no decision yet") {
		t.Errorf("the health visitor's referral once taken in:\n%s", errorsIn(body))
	}
	j.save(casework.RoleFrontDoor, "threshold", form("contact_id", contact.ID, "level", "3", "service", "social_care",
		"outcome", "assessment", "decision_maker", "A Manager", "rationale", "A child afraid to go home",
		"decided_at", j.today, "decided_at-time", "23:59"))
	if _, body := f.do(casework.RolePartner, "GET", "/referrals/sent", nil); !strings.Contains(body, "Referral for assessment") {
		t.Errorf("the health visitor does not see the decision:\n%s", errorsIn(body))
	}

	// The fixture's referral is about a child not on record: taking it in records her.
	resp, _ = f.do(casework.RoleFrontDoor, "POST", "/referrals/"+f.referralID, form("child_id", "new"))
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/children/") || strings.Contains(loc, f.childID) {
		t.Fatalf("taking in a referral about a new child: %d to %q", resp.StatusCode, loc)
	}
	newID := strings.TrimSuffix(strings.TrimPrefix(loc, "/children/"), "?saved=contact")
	file, err := f.store.File(ctx, store.System, newID)
	if err != nil {
		t.Fatal(err)
	}
	if p := file.Person(); p.Name.Given != "Marigold" || p.LAChildID == "" || len(casework.All[*casework.Contact](file)) != 1 {
		t.Errorf("the new child's record: %+v", p)
	}
	if n := waiting(); n != before-1 {
		t.Errorf("%d referrals still waiting, want %d", n, before-1)
	}

	// The API takes the same referral as JSON, refuses a field it does not have, and reports back.
	token := f.sessions[casework.RolePartner]
	resp, got := f.call(token, "POST", "/api/v1/referrals", `{"given":"Ada","family":"Pike","birth_date":"2020-01-02","sex":"F",
		"source":"3B","concerns":"Not brought to three appointments","parents_aware":"yes","phone":"01296 2","colour":"red"}`)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(resp.Header.Get("Content-Type"), "problem") {
		t.Errorf("a referral with an unknown field: %d %v", resp.StatusCode, got)
	}
	resp, got = f.call(token, "POST", "/api/v1/referrals", `{"given":"Ada","family":"Pike","birth_date":"2020-01-02","sex":"F",
		"source":"3B","concerns":"Not brought to three appointments","parents_aware":"yes","phone":"01296 2"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("a referral through the API: %d %v", resp.StatusCode, got)
	}
	_, got = f.call(token, "GET", "/api/v1/referrals", "")
	statuses := map[string]string{}
	for _, it := range got["items"].([]any) {
		m := it.(map[string]any)
		statuses[m["given"].(string)] = m["status"].(string)
	}
	if statuses["Ada"] != "waiting" || statuses["Zephyrine"] != "decided" || statuses["Marigold"] != "taken_in" {
		t.Errorf("the API's referrals: %v", statuses)
	}
}

// TestFrontDoorReferralAPI: the front door reads the referrals waiting through the API, with the children on
// record one may be about, takes it in on a new child's record, and cannot take it twice; the partner sees it
// taken in.
func TestFrontDoorReferralAPI(t *testing.T) {
	f := newFixture(t)
	fd := f.sessions[casework.RoleFrontDoor]
	resp, body := f.call(fd, "GET", "/api/v1/front-door/referrals", "")
	items, _ := body["items"].([]any)
	if resp.StatusCode != 200 || len(items) != 1 || items[0].(map[string]any)["id"] != f.referralID {
		t.Fatalf("waiting referrals: %d %v", resp.StatusCode, body)
	}
	at := "/api/v1/front-door/referrals/" + f.referralID
	resp, body = f.call(fd, "GET", at, "")
	if ref, _ := body["referral"].(map[string]any); resp.StatusCode != 200 || ref["given"] != "Marigold" || body["matches"] == nil {
		t.Fatalf("a waiting referral: %d %v", resp.StatusCode, body)
	}
	for bad, want := range map[string]int{`{"child_id":"no-such-child"}`: http.StatusNotFound,
		`{"child":"new"}`: http.StatusBadRequest, `{"child_id":7}`: http.StatusBadRequest} {
		if resp, body := f.call(fd, "POST", at, bad); resp.StatusCode != want {
			t.Errorf("taking in with %s: %d, want %d: %v", bad, resp.StatusCode, want, body)
		}
	}
	resp, body = f.call(fd, "POST", at, `{"child_id":"new"}`)
	child, _ := body["child"].(string)
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(child, "/api/v1/children/") {
		t.Fatalf("taking in on a new child's record: %d %v", resp.StatusCode, body)
	}
	if resp, body := f.call(fd, "GET", child, ""); resp.StatusCode != 200 || !strings.Contains(fmt.Sprint(body["person"]), "Thistlewood") {
		t.Errorf("the new child's record: %d %v", resp.StatusCode, body)
	}
	if resp, _ := f.call(fd, "POST", at, `{"child_id":"new"}`); resp.StatusCode != http.StatusConflict {
		t.Errorf("taking the referral in twice: %d, want 409", resp.StatusCode)
	}
	_, body = f.call(f.sessions[casework.RolePartner], "GET", "/api/v1/referrals", "")
	if items, _ := body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["status"] != "taken_in" {
		t.Errorf("the partner's referrals after the take: %v", body)
	}
}

// TestUnbornReferral: a midwife refers an unborn child with the expected date of birth; the front door takes it
// in on a new record of an unborn child.
func TestUnbornReferral(t *testing.T) {
	f := newFixture(t)
	today := casework.Today(f.store.Now())
	body := func(expected civil.Date, sex string, born string) string {
		return fmt.Sprintf(`{"given":"Unborn","family":"Thistlewood","expected_birth_date":%q,"sex":%q,%s"source":"3C",`+
			`"concerns":"Mother disclosed domestic abuse at booking","parents_aware":"yes","phone":"01296 222222"}`, expected, sex, born)
	}
	partner := f.sessions[casework.RolePartner]
	for _, c := range []struct{ body, field string }{
		{body(today.AddDays(90), "F", ""), "sex"},
		{body(today.AddDays(400), "U", ""), "expected_birth_date"},
		{body(today.AddDays(-60), "U", ""), "expected_birth_date"},
		{body(today.AddDays(90), "U", `"birth_date":"2025-01-01",`), "expected_birth_date"},
	} {
		resp, got := f.call(partner, "POST", "/api/v1/referrals", c.body)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(fmt.Sprint(got["errors"]), c.field) {
			t.Errorf("%s: %d %v, want 400 naming %s", c.body, resp.StatusCode, got, c.field)
		}
	}
	resp, got := f.call(partner, "POST", "/api/v1/referrals", body(today.AddDays(90), "U", ""))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("an unborn child's referral: %d %v", resp.StatusCode, got)
	}
	id, _ := got["id"].(string)
	if _, page := f.do(casework.RoleFrontDoor, "GET", "/referrals/"+id, nil); !strings.Contains(page, "unborn, expected") {
		t.Errorf("the front door's page does not say the child is unborn:\n%s", errorsIn(page))
	}
	resp, got = f.call(f.sessions[casework.RoleFrontDoor], "POST", "/api/v1/front-door/referrals/"+id, `{"child_id":"new"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("taking in an unborn child: %d %v", resp.StatusCode, got)
	}
	file, err := f.store.File(t.Context(), store.System, strings.TrimPrefix(got["child"].(string), "/api/v1/children/"))
	if err != nil {
		t.Fatal(err)
	}
	if p := file.Person(); !p.Unborn() || p.ExpectedBirthDate != today.AddDays(90) {
		t.Errorf("the new record: %+v", p)
	}
	// A second referral about the same unborn child, under another first name, finds the record the first began
	// by the surname and the expected date.
	_, got = f.call(partner, "POST", "/api/v1/referrals", strings.Replace(body(today.AddDays(90), "U", ""), `"Unborn"`, `"Baby"`, 1))
	_, got = f.call(f.sessions[casework.RoleFrontDoor], "GET", "/api/v1/front-door/referrals/"+got["id"].(string), "")
	if !strings.Contains(fmt.Sprint(got["matches"]), file.Person().ID) {
		t.Errorf("a second referral about the unborn child does not find the first's record: %v", got["matches"])
	}
}
