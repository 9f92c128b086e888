package web

import (
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
)

// pageHead is what the layout needs above a page's own content.
type pageHead struct {
	Title string
	User  *store.User
	Nav   []navItem
	// Failed is set when the page shows validation errors; the title then starts "Error:", as screen reader
	// users hear it first.
	Failed bool
}

type navItem struct {
	Href, Text string
	Current    bool
}

// navigation is the service's main sections, each shown only to a role the policy lets open it.
var navigation = []struct {
	href, text string
	action     casework.Action
}{
	{"/work", "My work", casework.ActionViewMyWork},
	{"/team", "My team", casework.ActionViewTeamWork},
	{"/children", "Find a child", casework.ActionSearchChildren},
	{"/referrals", "Referrals from partners", casework.ActionTakeReferral},
	{"/shared", "Children shared with you", casework.ActionViewShared},
	{"/referrals/sent", "Your referrals", casework.ActionRefer},
	{"/performance", "Performance", casework.ActionViewBoard},
	{"/improvement", "Improvement plan", casework.ActionViewBoard},
	{"/quality", "Data quality", casework.ActionViewReports},
	{"/audit", "Audit trail", casework.ActionViewTrail},
}

// page builds the layout's data: the title, the signed-in user (nil on public pages), the path of the section the
// page belongs to, and the page's validation errors if it has any.
func page(title string, u *store.User, section string, errs ...[]casework.FieldError) pageHead {
	h := pageHead{Title: title, User: u}
	for _, e := range errs {
		h.Failed = h.Failed || len(e) > 0
	}
	if u == nil {
		return h
	}
	for _, n := range navigation {
		if casework.Authorize(u.Role, n.action) == nil {
			h.Nav = append(h.Nav, navItem{Href: n.href, Text: n.text, Current: section == n.href})
		}
	}
	return h
}

// roleName is a role as people say it.
func roleName(role string) string {
	if role == casework.RoleIRO {
		return "independent reviewing officer"
	}
	return strings.ReplaceAll(role, "_", " ")
}

// recordNav is what the child's identity bar and the record's sub-navigation need.
type recordNav struct {
	Person  *casework.Person
	Current string // "record", "history" or "looked-at"
	// Audit offers who has looked at the record, to those who may see it.
	Audit bool
}
