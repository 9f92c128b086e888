package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/password"
	"github.com/continuum-cs/continuum/internal/store"
)

type signInData struct {
	Email string
	// SSO offers the council's single sign-on.
	SSO    bool
	Errors []casework.FieldError
}

// clientIP is the address the request came from. Behind a proxy that is the proxy's: Continuum does not trust a
// forwarded-for header, which anyone can write.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) signInPage(w http.ResponseWriter, _ *http.Request, _ *store.User) error {
	s.render(w, "sign-in.html", signInData{SSO: s.sso != nil})
	return nil
}

// Repeated failures lock what they were against for a while: an account after accountAttempts within
// lockWindow, whether or not the email has an account (so a lock does not tell), and a client address after
// addressAttempts, which slows anyone trying many accounts.
const (
	lockWindow      = 15 * time.Minute
	accountAttempts = 5
	addressAttempts = 30
	lockedMessage   = "There have been too many attempts to sign in. Wait 15 minutes and try again, or ask the " +
		"service desk to unlock your account"
)

// refusal is a sign-in refused: the status to answer with and the message to show. Locked refusals carry
// Retry-After.
type refusal struct {
	status  int
	message string
	locked  bool
}

func (r *refusal) Error() string { return r.message }

// authenticate checks a local account's password, from the client address ip. Every failure gets the same
// message, so nothing tells whether an email address has an account; repeated failures lock.
func (s *Server) authenticate(ctx context.Context, email, pw, ip string) (store.User, *refusal, error) {
	account, address := store.AccountKey(email), store.AddressKey(ip)
	failures, err := s.store.SignInFailures(ctx, s.store.Now().Add(-lockWindow), account, address)
	if err != nil {
		return store.User{}, nil, err
	}
	if failures[account] >= accountAttempts || failures[address] >= addressAttempts {
		s.log.Warn("sign-in refused while locked", "account_locked", failures[account] >= accountAttempts,
			"address_locked", failures[address] >= addressAttempts)
		return store.User{}, &refusal{http.StatusTooManyRequests, lockedMessage, true}, nil
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err == nil && !u.Disabled && u.PasswordHash != "" {
		err = password.Verify(u.PasswordHash, pw)
	} else if err == nil {
		err = password.ErrMismatch
	}
	if err != nil {
		if !errors.Is(err, casework.ErrNotFound) && !errors.Is(err, password.ErrMismatch) {
			return store.User{}, nil, err
		}
		if err := s.store.RecordSignInFailure(ctx, account, address); err != nil {
			return store.User{}, nil, err
		}
		msg := "Enter a correct email address and password"
		switch left := accountAttempts - failures[account] - 1; {
		case left <= 0:
			msg = lockedMessage
		case left == 1:
			msg += ". One more wrong attempt and you will have to wait 15 minutes"
		case left == 2:
			msg += ". Two more wrong attempts and you will have to wait 15 minutes"
		}
		return store.User{}, &refusal{http.StatusUnauthorized, msg, false}, nil
	}
	return u, nil, s.store.ClearSignInFailures(ctx, account)
}

// startSession starts a new session for u, signed in by how ("password", "sso"), ending the one the client held
// (old, if any): a session fixed before sign-in is never promoted. It returns the new token.
func (s *Server) startSession(ctx context.Context, u store.User, old, how string) (string, error) {
	if old != "" {
		if err := s.store.EndSession(ctx, old); err != nil {
			return "", err
		}
	}
	token := newToken()
	if err := s.store.CreateSession(ctx, token, u.ID, s.store.Now().Add(absoluteTimeout)); err != nil {
		return "", err
	}
	return token, s.store.Audit(ctx, store.AuditEvent{Actor: u.ID, Action: store.ActionSignIn, Detail: how})
}

// signIn signs a local account in from the sign-in page.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request, _ *store.User) error {
	email, pw := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("password")
	u, refused, err := s.authenticate(r.Context(), email, pw, clientIP(r))
	if err != nil {
		return err
	}
	if refused != nil {
		if refused.locked {
			w.Header().Set("Retry-After", strconv.Itoa(int(lockWindow.Seconds())))
		}
		w.WriteHeader(refused.status)
		s.render(w, "sign-in.html", signInData{Email: email, SSO: s.sso != nil,
			Errors: []casework.FieldError{{Field: "email", Message: refused.message}}})
		return nil
	}
	return s.signedIn(w, r, u, "password")
}

// signedIn gives the browser a new session for u and sends it home.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request, u store.User, how string) error {
	old := ""
	if c, err := r.Cookie(s.cookieName()); err == nil {
		old = c.Value
	}
	token, err := s.startSession(r.Context(), u, old, how)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: token, Path: "/", HttpOnly: true,
		Secure: s.secureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(absoluteTimeout.Seconds())})
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request, _ *store.User) error {
	if c, err := r.Cookie(s.cookieName()); err == nil {
		if err := s.store.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secureCookies})
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
	return nil
}

type homeData struct {
	User       *store.User
	CanSearch  bool
	CanSeeTeam bool
	// CanSeeReports: reports count children without naming them.
	CanSeeReports bool
	// CanSeeBoard: performance, sufficiency and the improvement plan, as the improvement board sees them.
	CanSeeBoard bool
	CanAddChild bool
	// CanSeeShared: a partner agency sees the children the council shares with it.
	CanSeeShared bool
	// CanSeeTrail: an auditor searches the audit trail.
	CanSeeTrail bool
	// CanTakeReferrals: the front door takes partners' referrals in.
	CanTakeReferrals bool
}

func (s *Server) home(w http.ResponseWriter, _ *http.Request, u *store.User) error {
	s.render(w, "home.html", homeData{User: u, CanSearch: casework.Authorize(u.Role, casework.ActionSearchChildren) == nil,
		CanSeeTeam:       casework.Authorize(u.Role, casework.ActionViewTeamWork) == nil,
		CanSeeReports:    casework.Authorize(u.Role, casework.ActionViewReports) == nil,
		CanSeeBoard:      casework.Authorize(u.Role, casework.ActionViewBoard) == nil,
		CanAddChild:      casework.Authorize(u.Role, casework.ActionAddChild) == nil,
		CanSeeShared:     casework.Authorize(u.Role, casework.ActionViewShared) == nil,
		CanSeeTrail:      casework.Authorize(u.Role, casework.ActionViewTrail) == nil,
		CanTakeReferrals: casework.Authorize(u.Role, casework.ActionTakeReferral) == nil})
	return nil
}

// entry is one line of a child's chronology.
type entry struct {
	Date    civil.Date
	What    string
	Detail  string
	Version int
	// Fix is where the record behind the entry is corrected, when the user may.
	Fix string
}

type recordData struct {
	User     *store.User
	Person   *casework.Person
	AsAt     string
	Episodes []*casework.Episode
	Entries  []entry
	Family   *store.Family
	Summary  recordSummary
	// Saved is what the form just saved did; Next and More are what the user may record now.
	Saved      string
	Next, More []link
	// Worker holds the open case.
	Worker string
	// SharedWith are the partner agencies' teams the council shares the child with now, in words.
	SharedWith []string
}

// childRecord shows the child's record now, or as it stood at ?at= (an RFC 3339 instant or a date).
func (s *Server) childRecord(w http.ResponseWriter, r *http.Request, u *store.User) error {
	actor := actorOf(u)
	id := r.PathValue("id")
	var f *casework.File
	var err error
	data := recordData{User: u}
	if at := r.URL.Query().Get("at"); at != "" {
		t, perr := parseAt(at)
		if perr != nil {
			return casework.Invalid("at", "%s", perr.Error())
		}
		if err := casework.Authorize(u.Role, casework.ActionViewHistory); err != nil {
			return err
		}
		data.AsAt = t.Format(time.RFC3339)
		f, err = s.store.FileAsAt(r.Context(), actor, id, t)
	} else {
		f, data.Family, err = s.store.FileWithFamily(r.Context(), actor, id)
	}
	if err != nil {
		return err
	}
	if f.Person() == nil {
		return casework.ErrNotFound
	}
	data.Person = f.Person()
	data.Episodes = casework.All[*casework.Episode](f)
	data.Summary = summarise(f)
	fix := func(casework.Record) string { return "" }
	if data.AsAt == "" {
		c := newFormCtx(f, u, s.store.Now())
		if a := currentAllocation(c); a != nil && a.WorkerID != "" {
			if worker, err := s.store.UserByID(r.Context(), a.WorkerID); err == nil {
				data.Worker = worker.Name
			}
		}
		if data.SharedWith, err = s.sharedWith(r.Context(), f); err != nil {
			return err
		}
		if data.Person.Role == casework.RoleChild && casework.Authorize(u.Role, casework.ActionRecord) == nil {
			data.Next, data.More = recordActions(c, u.Role)
			fix = func(r casework.Record) string { return correctionLink(id, r) }
		}
		if rf, ok := formBySlug(r.URL.Query().Get("saved")); ok {
			data.Saved = rf.Saved
		}
	}
	data.Entries = chronology(f.Records(), fix)
	s.render(w, "child.html", data)
	return nil
}

// sharedWith names the partner agencies' teams the file is shared with now, and on what basis.
func (s *Server) sharedWith(ctx context.Context, f *casework.File) ([]string, error) {
	var shares []*casework.Sharing
	for _, sh := range casework.All[*casework.Sharing](f) {
		if sh.InForce() {
			shares = append(shares, sh)
		}
	}
	if len(shares) == 0 {
		return nil, nil
	}
	teams, err := s.store.Teams(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, t := range teams {
		names[t.ID] = t.Name
	}
	out := make([]string, len(shares))
	for i, sh := range shares {
		out[i] = fmt.Sprintf("%s: %s since %s; %s", names[sh.TeamID], strings.ToLower(describeSharing(sh)), day(sh.Start),
			strings.ToLower(casework.Describe(casework.ListSharingScope, sh.Scope)))
	}
	return out, nil
}

func parseAt(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, casework.London())
	if err != nil {
		return t, errors.New("give a date (2025-05-01) or a date and time (2025-05-01T09:00:00Z)")
	}
	return t.Add(24*time.Hour - time.Nanosecond), nil
}

type historyData struct {
	User    *store.User
	Person  *casework.Person
	Changes []change
}

type change struct {
	At        string
	By        string
	What      string
	Version   int
	Reason    string
	Retracted bool
}

func (s *Server) childHistory(w http.ResponseWriter, r *http.Request, u *store.User) error {
	versions, err := s.store.History(r.Context(), actorOf(u), r.PathValue("id"))
	if err != nil {
		return err
	}
	data := historyData{User: u}
	for _, v := range versions {
		m := v.Base()
		if p, ok := v.(*casework.Person); ok {
			data.Person = p
		}
		data.Changes = append(data.Changes, change{At: m.RecordedAt.In(casework.London()).Format("2 Jan 2006 15:04:05"),
			By: m.RecordedBy, What: label(v.Kind()), Version: m.Version, Reason: m.Reason, Retracted: m.Retracted})
	}
	sort.SliceStable(data.Changes, func(i, j int) bool { return data.Changes[i].At > data.Changes[j].At })
	s.render(w, "history.html", data)
	return nil
}

// chronology lists a file's records by date, newest first, in words a practitioner uses.
// fix gives each entry's correction link.
func chronology(records []casework.Record, fix func(casework.Record) string) []entry {
	var out []entry
	for _, r := range records {
		ix := r.Index()
		if r.Kind() == casework.KindPerson || ix.Start.IsZero() {
			continue
		}
		e := entry{Date: ix.Start, What: label(r.Kind()), Version: r.Base().Version, Fix: fix(r)}
		switch v := r.(type) {
		case *casework.Episode:
			e.Detail = "source " + describe("referralsourcetype", v.Source)
			if !v.Open() {
				e.Detail += "; closed " + v.ClosureDate.String() + ": " + describe("reasonforclosuretype", v.ClosureReason)
			}
		case *casework.LegalStatus:
			e.Detail = v.Code + " " + describe("LS", v.Code)
		case *casework.Placement:
			e.Detail = v.Type + " " + describe("PLACE", v.Type)
		case *casework.CPPlan:
			e.Detail = "category " + describe("categoryofabusetype", v.LatestCategory)
		case *casework.Visit:
			e.What = visitNames[v.Type] + " visit"
			if v.ChildSeen {
				e.Detail = "child seen"
			} else {
				e.Detail = "child not seen"
			}
		case *casework.Activity:
			e.What, e.Detail = activityNames[v.Type], v.Summary
		case *casework.Sharing:
			e.Detail = casework.Describe(casework.ListSharingBasis, v.Basis) + "; " +
				strings.ToLower(casework.Describe(casework.ListSharingScope, v.Scope))
		}
		if !ix.End.IsZero() && r.Kind() != casework.KindEpisode {
			e.Detail = strings.TrimPrefix(e.Detail+"; until "+ix.End.String(), "; ")
		}
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.After(out[j].Date) })
	return out
}

var labels = map[casework.Kind]string{
	casework.KindRelationship: "Relationship", casework.KindHouseholdMember: "Joined household",
	casework.KindContact: "Contact", casework.KindThreshold: "Threshold decision", casework.KindEarlyHelp: "Early help",
	casework.KindEpisode: "Referral", casework.KindReopening: "Episode reopened", casework.KindAssessment: "Assessment",
	casework.KindCINPlan: "Child in need plan", casework.KindStrategy: "Strategy discussion",
	casework.KindSection47: "Section 47 enquiry", casework.KindConference: "Child protection conference",
	casework.KindCPPlan: "Child protection plan", casework.KindLegalStatus: "Legal status",
	casework.KindPlacement: "Placement", casework.KindCLAReview: "Looked-after review", casework.KindVisit: "Visit",
	casework.KindMissing: "Missing or away", casework.KindCareLeaver: "Care leaver contact",
	casework.KindAllocation: "Allocation", casework.KindRestriction: "Restriction",
	casework.KindSharing: "Shared with a partner agency", casework.KindPerson: "Personal details", casework.KindHousehold: "Household",
}

// visitNames are the statutory standards a visit counts towards, in words.
var visitNames = map[string]string{"cp": "Child protection", "cla": "Looked-after", "cin": "Child in need", "other": "Other"}

// activityNames are the activities without a record of their own, in words.
var activityNames = map[string]string{
	casework.ActivityCoreGroup: "Core group meeting", casework.ActivityCINReview: "Child in need review",
	casework.ActivityCarePlan: "Care plan", casework.ActivityPlacementPlan: "Placement plan",
	casework.ActivityHealthAssessment: "Health assessment", casework.ActivitySDQ: "Strengths and difficulties questionnaire",
	casework.ActivityPEP: "Personal education plan", casework.ActivityPathwayAssessment: "Pathway assessment",
	casework.ActivityPathwayPlanReview: "Pathway plan review", casework.ActivityPrivateFostering: "Private fostering notification",
	casework.ActivityPrivateFosterVisit: "Private fostering visit", casework.ActivitySupervision: "Supervision",
	casework.ActivityManagerOversight: "Manager's oversight",
}

func label(k casework.Kind) string {
	if l, ok := labels[k]; ok {
		return l
	}
	return string(k)
}
