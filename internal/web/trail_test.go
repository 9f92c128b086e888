package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
)

// TestAuditorsView: an auditor finds what one person did and what was done to one child, across the whole trail,
// page by page; searches that cannot be run say why; checking the chain reports it whole; and the auditor's own
// searches are audited.
func TestAuditorsView(t *testing.T) {
	f := newFixture(t)
	sw := f.users[casework.RoleSocialWorker]
	for range 3 {
		if resp, _ := f.do(casework.RoleSocialWorker, "GET", "/children/"+f.childID, nil); resp.StatusCode != 200 {
			t.Fatalf("opening the record: %d", resp.StatusCode)
		}
	}
	search := func(v url.Values) (*http.Response, string) {
		return f.do(casework.RoleAuditor, "GET", "/audit?"+v.Encode(), nil)
	}
	rows := regexp.MustCompile(`<tr><td class="app-numeric">(\d+)</td>`)

	resp, body := search(url.Values{"who": {sw.Email}, "child": {"web1"}, "action": {store.ActionRead}})
	if resp.StatusCode != 200 {
		t.Fatalf("the auditor's search: %d\n%s", resp.StatusCode, errorsIn(body))
	}
	if n := len(rows.FindAllString(body, -1)); n != 3 || !strings.Contains(body, "Test social_worker, social worker") ||
		!strings.Contains(body, "Opened a record") || !strings.Contains(body, "WEB1") {
		t.Errorf("the social worker's three openings of WEB1: %d rows\n%s", n, errorsIn(body))
	}
	if strings.Contains(body, "Zephyrine") || strings.Contains(body, "Quillfeather") {
		t.Error("the audit trail shows the child's name")
	}

	// More events than a page: the older ones follow on, without repeats.
	for range trailShown {
		if err := f.store.Audit(t.Context(), store.AuditEvent{Actor: sw.ID, Action: store.ActionList, FileID: f.childID}); err != nil {
			t.Fatal(err)
		}
	}
	_, body = search(url.Values{"who": {sw.Email}})
	first := rows.FindAllStringSubmatch(body, -1)
	older := regexp.MustCompile(`href="(/audit\?[^"]+)">Older events`).FindStringSubmatch(body)
	if len(first) != trailShown || older == nil {
		t.Fatalf("the first page: %d rows, older link %v", len(first), older)
	}
	_, body = f.do(casework.RoleAuditor, "GET", html.UnescapeString(older[1]), nil)
	next := rows.FindAllStringSubmatch(body, -1)
	if len(next) == 0 || atoi(next[0][1]) >= atoi(first[len(first)-1][1]) {
		t.Errorf("the older page starts at event %v after the first page ended at %s", next, first[len(first)-1][1])
	}

	for _, c := range []struct {
		v    url.Values
		want string
	}{
		{url.Values{"who": {"nobody@example.org"}}, "No one has the email address nobody@example.org"},
		{url.Values{"child": {"NOSUCH"}}, "Child matches no child's LA child ID or record ID (NOSUCH)"},
		{url.Values{"from": {"31 2 2026"}}, "From must be a date"},
		{url.Values{"from": {"2 11 2026"}, "to": {"1 11 2026"}}, "To must not be before the first day"},
		{url.Values{"action": {"drop_table"}}, "Choose what was done from the list"},
		{url.Values{"before": {"-3"}}, "The page asked for is not one this search gives"},
	} {
		resp, body := search(c.v)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), c.want) {
			t.Errorf("%v: %d, want 400 saying %q\n%s", c.v, resp.StatusCode, c.want, errorsIn(body))
		}
	}
	if _, body := search(url.Values{"from": {"2026-01-01"}, "to": {"1/1/2099"}, "child": {f.childID}}); !strings.Contains(body, "Opened a record") {
		t.Errorf("a search by record ID and dates in other forms finds nothing:\n%s", errorsIn(body))
	}

	resp, body = f.do(casework.RoleAuditor, "GET", "/audit/verify", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "The chain is whole") {
		t.Errorf("checking the chain: %d\n%s", resp.StatusCode, errorsIn(body))
	}
	events, err := f.store.FileAudit(t.Context(), f.childID, 500)
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, e := range events {
		audited = audited || e.Actor == f.users[casework.RoleAuditor].ID && e.Action == store.ActionAudit
	}
	if !audited {
		t.Error("the auditor's search of the child's trail is not itself audited against the child")
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
