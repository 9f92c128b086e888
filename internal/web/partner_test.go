package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
)

// TestPartnerSeesOnlyWhatIsShared: a social worker shares a child with a school's safeguarding team, refused
// first for the mistakes a hurried form has; the school's partner then sees that child, and only what sharing
// allows, until consent is withdrawn. Every look is audited.
func TestPartnerSeesOnlyWhatIsShared(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	school, err := f.store.AddTeam(ctx, store.System, store.Team{Name: "Hillcrest School safeguarding", Service: "partner"})
	if err != nil {
		t.Fatal(err)
	}
	partner, err := f.store.AddUser(ctx, store.System, store.User{Email: "dsl@hillcrest.example.org", Name: "Hillcrest DSL",
		Role: casework.RolePartner, FTE: 1, TeamID: school.ID})
	if err != nil {
		t.Fatal(err)
	}
	token := newToken()
	if err := f.store.CreateSession(ctx, token, partner.ID, f.store.Now().Add(absoluteTimeout)); err != nil {
		t.Fatal(err)
	}
	f.sessions["school"] = token
	sw := f.users[casework.RoleSocialWorker]
	today := casework.Today(f.store.Now())
	err = f.store.UpdateFile(ctx, store.System, f.childID, func(file *casework.File) error {
		ep := &casework.Episode{ReferralDate: today.AddDays(-20), Source: "2A", PrimaryNeed: "N1"}
		if err := file.Save(ep); err != nil {
			return err
		}
		if err := file.Save(&casework.CINPlan{EpisodeID: ep.ID, Start: today.AddDays(-10)}); err != nil {
			return err
		}
		return file.Allocate(ep.ID, sw.ID, f.teamID, today.AddDays(-20), "FCONTA")
	})
	if err != nil {
		t.Fatal(err)
	}
	j := &journey{f: f, t: t, child: f.childID, today: today}

	// Before anything is shared with the school, it sees nothing, and the child is not found.
	if resp, body := f.do("school", "GET", "/shared", nil); resp.StatusCode != 200 || strings.Contains(body, "Zephyrine") {
		t.Fatalf("the school's list before sharing: %d", resp.StatusCode)
	}
	if resp, _ := f.do("school", "GET", "/shared/"+f.childID, nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("the school opening a child not shared with it: %d", resp.StatusCode)
	}

	share := func(pairs ...any) []any {
		return append([]any{"team_id", school.ID, "basis", casework.BasisConsent, "consent_by", "parent",
			"scope", casework.ScopePlan, "start", today}, pairs...)
	}
	j.refuse(casework.RoleSocialWorker, "share", form(share("basis", casework.BasisSafeguarding, "consent_by", "")...),
		http.StatusBadRequest, "Why you are sharing is required")
	j.refuse(casework.RoleSocialWorker, "share", form(share("consent_by", "")...), http.StatusBadRequest, "Who consented is required")
	j.refuse(casework.RoleSocialWorker, "share", form(share("team_id", f.teamID)...), http.StatusBadRequest,
		"Choose a partner agency&#39;s team")
	j.refuse(casework.RolePartner, "share", form(share()...), http.StatusForbidden, "")
	j.save(casework.RoleSocialWorker, "share", form(share()...))
	if _, body := f.do(casework.RoleSocialWorker, "GET", "/children/"+f.childID, nil); !strings.Contains(body, "Hillcrest School safeguarding: with consent since") {
		t.Errorf("the record does not say the child is shared with the school:\n%s", errorsIn(body))
	}

	// The school sees the child: who, the council's involvement, who to contact. Nothing of the case itself.
	resp, body := f.do("school", "GET", "/shared", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `href="/shared/`+f.childID+`"`) {
		t.Fatalf("the school's list after sharing: %d\n%s", resp.StatusCode, errorsIn(body))
	}
	resp, body = f.do("school", "GET", "/shared/"+f.childID, nil)
	for _, want := range []string{"Zephyrine Quillfeather", "Child in need since", "Test social_worker",
		"social_worker@example.org", "Test team", "With consent", "Child in need plan since", "Next review",
		"Due by " + day(today.AddDays(-10).AddMonths(3))} {
		if resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("the school's view lacks %q: %d\n%s", want, resp.StatusCode, errorsIn(body))
		}
	}
	for _, never := range []string{"HP20", "WEB1", "Referral", "Allocation", "Aylesbury"} {
		if strings.Contains(body, never) {
			t.Errorf("the school's view shows %q", never)
		}
	}
	// The record itself stays shut to the school.
	for _, path := range []string{"/children/" + f.childID, "/children?q=quillfeather", "/children/" + f.childID + "/history"} {
		if resp, _ := f.do("school", "GET", path, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("the school on %s: %d, want 403", path, resp.StatusCode)
		}
	}
	if resp, _ := f.call(token, "GET", "/api/v1/children/"+f.childID+"/records", ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the school reading the records through the API: %d", resp.StatusCode)
	}
	resp, got := f.call(token, "GET", "/api/v1/shared/"+f.childID, "")
	if resp.StatusCode != 200 || got["given"] != "Zephyrine" || got["basis"] != casework.BasisConsent || got["worker_email"] != "social_worker@example.org" {
		t.Errorf("the API's shared child: %d %v", resp.StatusCode, got)
	}
	if _, ok := got["la_child_id"]; ok {
		t.Errorf("the API shows the partner the LA child ID: %v", got)
	}
	resp, got = f.call(token, "GET", "/api/v1/shared?limit=1", "")
	if items, _ := got["items"].([]any); resp.StatusCode != 200 || len(items) != 1 {
		t.Errorf("the API's shared list: %d %v", resp.StatusCode, got)
	}

	// The reads are audited against the school's user, marked as a partner's view.
	events, err := f.store.FileAudit(ctx, f.childID, 200)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range events {
		if e.Actor == partner.ID && e.Detail == "shared with partner" {
			seen[e.Action] = true
		}
	}
	if !seen[store.ActionList] || !seen[store.ActionRead] {
		t.Errorf("the school's list and read are not both audited: %v", seen)
	}

	// The mother withdraws consent: the worker records the end of sharing, and the child leaves the school's view.
	sharing := one(j, func(s *casework.Sharing) bool { return s.TeamID == school.ID })
	j.save(casework.RoleSocialWorker, "share", form("record", sharing.ID, "version", "1",
		"why_changed", "The mother withdrew her consent", "team_id", school.ID, "basis", casework.BasisConsent,
		"consent_by", "parent", "scope", casework.ScopePlan, "start", today, "end", today))
	if _, body := f.do("school", "GET", "/shared", nil); strings.Contains(body, "Zephyrine") {
		t.Error("consent withdrawn, yet the school still lists the child")
	}
	if resp, _ := f.do("school", "GET", "/shared/"+f.childID, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("consent withdrawn, yet the school opens the child: %d", resp.StatusCode)
	}
	// The fixture's health visitors, shared with from the start, still see the child.
	if resp, _ := f.do(casework.RolePartner, "GET", "/shared/"+f.childID, nil); resp.StatusCode != 200 {
		t.Errorf("the health visitors lost the child when the school's sharing ended: %d", resp.StatusCode)
	}
}
