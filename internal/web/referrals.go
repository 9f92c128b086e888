package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
)

// Partner agencies refer children to the front door here. A referral waits at the front door until it finds the
// child among those on record, or records a new child, and takes the referral in as a contact in one step; the
// partner then sees what the front door decided.

var referralForm = &recordForm{Slug: "refer", Title: "Refer a child to the front door", Fields: []fieldSpec{
	text("given", "Child's first name").hint(`For an unborn child, "Unborn"`).width("20"),
	text("family", "Child's last name").width("20"),
	date("birth_date", "Child's date of birth"),
	date("expected_birth_date", "Expected date of birth").hint("Only for a child not yet born, instead of the date of birth"),
	choice("sex", "Child's sex", sexes...),
	text("nhs_number", "NHS number").hint("If you know it").width("10"),
	text("postcode", "Postcode").hint("Where the child lives, if you know it").width("10"),
	codes("source", "You are referring as", casework.ListReferralSource, casework.NotAgencies...),
	area("concerns", "What worries you about the child").
		hint("What you have seen or been told, when, and what you have done already"),
	listed("parents_aware", "Does the family know you are making this referral?", casework.ListParentsAware),
	area("why_not_told", "Why the family has not been told").hint("Only if they do not know"),
	text("phone", "Your phone number").hint("The front door will call you if it needs to know more").width("20"),
}}

// referralsShown is how many referrals the lists show.
const referralsShown = 200

func referralFormPage(u *store.User) formPage {
	return formPage{User: u, Form: referralForm, Action: "/referrals/new", Back: "/referrals/sent",
		BackText: "Back to your referrals",
		Warning:  "If a child is in immediate danger, call 999. If you are worried a child is at risk today, call the front door as well as sending this."}
}

func (s *Server) newReferral(w http.ResponseWriter, _ *http.Request, u *store.User) error {
	page := referralFormPage(u)
	page.Fields = views(referralForm.Fields, nil, url.Values{}, nil)
	s.render(w, "record-form.html", page)
	return nil
}

// sendReferral sends the front door a partner's referral, or shows the form again with what is wrong.
func (s *Server) sendReferral(w http.ResponseWriter, r *http.Request, u *store.User) error {
	vals := r.PostForm
	objs, errs := decode(referralForm.Fields, vals, nil, false)
	if len(errs) == 0 {
		var ref casework.PartnerReferral
		err := decodeJSON(&ref, "referral", objs[""])
		if err == nil {
			_, err = s.store.SendReferral(r.Context(), actorOf(u), ref)
		}
		if verr, ok := errors.AsType[*casework.ValidationError](err); ok {
			errs = verr.Fields
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		page := referralFormPage(u)
		page.Errors = placeErrors(referralForm.Fields, errs)
		page.Fields = views(referralForm.Fields, nil, vals, page.Errors)
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, "record-form.html", page)
		return nil
	}
	http.Redirect(w, r, "/referrals/sent?sent=1", http.StatusSeeOther)
	return nil
}

type referralsData struct {
	User      *store.User
	Referrals []store.Referral
	Sent      bool
}

// referralsSent lists the partner's team's referrals and what became of each.
func (s *Server) referralsSent(w http.ResponseWriter, r *http.Request, u *store.User) error {
	refs, err := s.store.ReferralsSent(r.Context(), actorOf(u), referralsShown)
	if err != nil {
		return err
	}
	s.render(w, "referrals-sent.html", referralsData{User: u, Referrals: refs, Sent: r.URL.Query().Get("sent") != ""})
	return nil
}

// referralsWaiting lists, for the front door, the partners' referrals not yet taken in, oldest first.
func (s *Server) referralsWaiting(w http.ResponseWriter, r *http.Request, u *store.User) error {
	refs, err := s.store.ReferralsWaiting(r.Context(), actorOf(u), referralsShown)
	if err != nil {
		return err
	}
	s.render(w, "referrals.html", referralsData{User: u, Referrals: refs})
	return nil
}

type referralData struct {
	User     *store.User
	Referral store.Referral
	Matches  []store.Match
	Chosen   string
	Errors   []casework.FieldError
}

// referralPage shows a waiting referral with the children on record it may be about.
func (s *Server) referralPage(w http.ResponseWriter, r *http.Request, u *store.User) error {
	data, err := s.referralData(r, u)
	if err != nil {
		return err
	}
	s.render(w, "referral.html", data)
	return nil
}

func (s *Server) referralData(r *http.Request, u *store.User) (referralData, error) {
	ref, err := s.store.WaitingReferral(r.Context(), actorOf(u), r.PathValue("id"))
	if err != nil {
		return referralData{}, err
	}
	// An unborn child is matched by the expected date, so a second referral finds the record the first began.
	b, born := ref.Body, ref.Body.BirthDate
	if born.IsZero() {
		born = b.ExpectedBirthDate
	}
	matches, err := s.store.MatchChildren(r.Context(), actorOf(u), casework.MatchQuery{NHSNumber: b.NHSNumber,
		Given: b.Given, Family: b.Family, BirthDate: born}, 5)
	if err != nil && !errors.Is(err, casework.ErrInvalid) {
		return referralData{}, err
	}
	return referralData{User: u, Referral: ref, Matches: matches}, nil
}

// takeReferral takes a referral in as a contact on the child chosen, or on a new child's record.
func (s *Server) takeReferral(w http.ResponseWriter, r *http.Request, u *store.User) error {
	chosen := r.PostFormValue("child_id")
	fileID, err := s.takeIn(r, u, chosen)
	if verr, ok := errors.AsType[*casework.ValidationError](err); ok {
		data, derr := s.referralData(r, u)
		if derr != nil {
			return derr
		}
		data.Chosen = chosen
		for _, fe := range verr.Fields {
			r, n := utf8.DecodeRuneInString(fe.Message)
			data.Errors = append(data.Errors, casework.FieldError{Field: "child_id", Message: string(unicode.ToUpper(r)) + fe.Message[n:]})
		}
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, "referral.html", data)
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/children/"+fileID+"?saved=contact", http.StatusSeeOther)
	return nil
}

// takeIn takes the referral in the request's path in as a contact on the child chosen: a file's ID, or "new" for a
// new child's record.
func (s *Server) takeIn(r *http.Request, u *store.User, chosen string) (string, error) {
	switch chosen {
	case "":
		return "", casework.Invalid("child_id", "choose the child the referral is about, or record a new child")
	case "new":
		laID, err := s.store.NextLAChildID(r.Context(), "C", 8)
		if err != nil {
			return "", err
		}
		return s.store.TakeReferral(r.Context(), actorOf(u), r.PathValue("id"), "", laID)
	}
	return s.store.TakeReferral(r.Context(), actorOf(u), r.PathValue("id"), chosen, "")
}

// outcomeWords says what the front door decided on a contact, as the referrer reads it.
func outcomeWords(code string) string {
	words, _ := optionLabel(outcomes, code)
	return words
}

// apiReferral is a referral as the API gives it back to the partner who sent it.
type apiReferral struct {
	ID         string `json:"id"`
	Given      string `json:"given"`
	Family     string `json:"family"`
	SentAt     string `json:"sent_at"`
	Status     string `json:"status"` // waiting, taken_in or decided
	TakenInAt  string `json:"taken_in_at,omitempty"`
	Outcome    string `json:"outcome,omitempty"`
	OutcomeFor string `json:"outcome_description,omitempty"`
}

func (s *Server) apiSendReferral(r *http.Request, u *store.User) (int, any, error) {
	body, err := readJSON(r)
	if err != nil {
		return 0, nil, err
	}
	var ref casework.PartnerReferral
	if err := decodeJSON(&ref, "referral", body); err != nil {
		return 0, nil, err
	}
	id, err := s.store.SendReferral(r.Context(), actorOf(u), ref)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]string{"id": id, "url": "/api/v1/referrals"}, nil
}

func (s *Server) apiReferralsSent(r *http.Request, u *store.User) (int, any, error) {
	refs, err := s.store.ReferralsSent(r.Context(), actorOf(u), referralsShown)
	if err != nil {
		return 0, nil, err
	}
	out := []apiReferral{}
	for _, ref := range refs {
		a := apiReferral{ID: ref.ID, Given: ref.Body.Given, Family: ref.Body.Family, SentAt: ref.ReceivedAt.Format(time.RFC3339),
			Status: "waiting"}
		if ref.FileID != "" {
			a.Status, a.TakenInAt = "taken_in", ref.TakenAt.Format(time.RFC3339)
		}
		if ref.Outcome != "" {
			a.Status, a.Outcome, a.OutcomeFor = "decided", ref.Outcome, outcomeWords(ref.Outcome)
		}
		out = append(out, a)
	}
	return http.StatusOK, map[string]any{"items": out}, nil
}

// apiWaitingReferral is a referral as the front door reads it: all the partner sent and who sent it. Read one at a
// time, it comes with the children on record it may be about.
type apiWaitingReferral struct {
	ID         string                   `json:"id"`
	ReceivedAt string                   `json:"received_at"`
	Team       string                   `json:"team"`
	Referrer   string                   `json:"referrer"`
	Referral   casework.PartnerReferral `json:"referral"`
	URL        string                   `json:"url"`
}

type apiMatch struct {
	Child apiChildSummary `json:"child"`
	Score int             `json:"score"`
	Why   []string        `json:"why"`
}

func waitingOf(ref store.Referral) apiWaitingReferral {
	return apiWaitingReferral{ID: ref.ID, ReceivedAt: ref.ReceivedAt.Format(time.RFC3339), Team: ref.Team,
		Referrer: ref.Referrer, Referral: ref.Body, URL: "/api/v1/front-door/referrals/" + ref.ID}
}

func (s *Server) apiReferralsWaiting(r *http.Request, u *store.User) (int, any, error) {
	refs, err := s.store.ReferralsWaiting(r.Context(), actorOf(u), referralsShown)
	if err != nil {
		return 0, nil, err
	}
	out := make([]apiWaitingReferral, 0, len(refs))
	for _, ref := range refs {
		out = append(out, waitingOf(ref))
	}
	return http.StatusOK, map[string]any{"items": out}, nil
}

func (s *Server) apiWaitingReferral(r *http.Request, u *store.User) (int, any, error) {
	data, err := s.referralData(r, u)
	if err != nil {
		return 0, nil, err
	}
	out := struct {
		apiWaitingReferral
		Matches []apiMatch `json:"matches"`
	}{waitingOf(data.Referral), []apiMatch{}}
	for _, m := range data.Matches {
		out.Matches = append(out.Matches, apiMatch{Child: summaryOf(m.Person), Score: m.Score, Why: m.Why})
	}
	return http.StatusOK, out, nil
}

// apiTakeReferral takes a referral in: the body is {"child_id": "<the child's ID>"} or {"child_id": "new"}.
func (s *Server) apiTakeReferral(r *http.Request, u *store.User) (int, any, error) {
	chosen, err := oneField(r, "child_id", `the ID of the child the referral is about, or "new"`)
	if err != nil {
		return 0, nil, err
	}
	fileID, err := s.takeIn(r, u, chosen)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, map[string]string{"child": "/api/v1/children/" + fileID,
		"detail": "Taken in as a contact; record the threshold decision on the child's file."}, nil
}
