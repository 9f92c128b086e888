package web

import (
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/store"
)

// formCtx is what a recording form knows about the child and the person recording.
type formCtx struct {
	file *casework.File
	now  time.Time
	user *store.User
	// episode is the open episode of need, and earlyHelp the open early help, if there are.
	episode   *casework.Episode
	earlyHelp *casework.EarlyHelp
	lookups
}

// lookups are what some forms offer beyond the child's file, read before the file's transaction.
type lookups struct {
	// workers are the people of the user's team, for allocating a case and naming who may see a restricted one.
	workers []store.Caseload
	// partners are the partner agencies' teams, for sharing.
	partners []store.Team
}

func newFormCtx(f *casework.File, u *store.User, now time.Time) *formCtx {
	c := &formCtx{file: f, user: u, now: now}
	for _, ep := range casework.All[*casework.Episode](f) {
		if ep.Open() {
			c.episode = ep
		}
	}
	for _, eh := range casework.All[*casework.EarlyHelp](f) {
		if eh.End.IsZero() {
			c.earlyHelp = eh
		}
	}
	return c
}

// open returns the first current record of type T that is still open, as ok reports.
func open[T casework.Record](f *casework.File) (T, bool) {
	for _, r := range casework.All[T](f) {
		if r.Index().End.IsZero() {
			return r, true
		}
	}
	var zero T
	return zero, false
}

// recordForm is one thing a practitioner records on a child's file.
type recordForm struct {
	Slug  string
	Title string
	// Saved is the message shown on the record once the form is saved.
	Saved string
	// Kinds are the records the form makes; a form that changes a record changes one of the first kind.
	Kinds  []casework.Kind
	Fields []fieldSpec
	// action is what the policy must allow beyond recording at all; "" for nothing more.
	action casework.Action
	// inEpisode forms make records of the open episode of need.
	inEpisode bool
	// changes forms change a record of the first kind, named by ?record=, that targets lists.
	changes bool
	targets func(c *formCtx) []casework.Record
	// needs says why the form cannot be used on this file now, or "" when it can.
	needs func(c *formCtx) string
	// guards names the record whose version the form must match: another change to it since the form was
	// shown is a conflict.
	guards func(c *formCtx) casework.Record
	// prefill sets a new form's first values.
	prefill func(c *formCtx, vals url.Values)
	// save applies a new form's records; nil saves them as they are.
	save func(c *formCtx, recs []casework.Record, vals url.Values) error
}

func (rf *recordForm) multi() bool { return len(rf.Kinds) > 1 }

var (
	priorities   = []option{{casework.PriorityRed, "Red: decide within hours"}, {casework.PriorityAmber, "Amber: decide today"}, {casework.PriorityGreen, "Green: decide within 1 working day"}}
	levels       = []option{{"1", "Level 1: universal services"}, {"2", "Level 2: additional needs"}, {"3", "Level 3: complex needs"}, {"4", "Level 4: specialist, acute needs"}}
	services     = []option{{casework.ServiceEarlyHelp, "Early help"}, {casework.ServiceSocialCare, "Children's social care"}}
	outcomes     = []option{{casework.OutcomeNFA, "No further action"}, {casework.OutcomeAdvice, "Advice and signposting"}, {casework.OutcomeEarlyHelp, "Early help"}, {casework.OutcomeAssessment, "Referral for assessment"}, {casework.OutcomeStrategy, "Strategy discussion"}}
	conferences  = []option{{casework.ConferenceInitial, "Initial"}, {casework.ConferenceReview, "Review"}, {casework.ConferenceTransferIn, "Transfer-in"}}
	visitOptions = []option{{"cp", "Child protection"}, {"cla", "Looked-after"}, {"cin", "Child in need"}, {"other", "Other"}}
	sexes        = []option{{"F", "Female"}, {"M", "Male"}, {"U", "Not known"}}
)

// named turns codes into options with their names.
func named(codes []string, names map[string]string) func(*formCtx) []option {
	return func(*formCtx) []option {
		out := make([]option, len(codes))
		for i, c := range codes {
			out[i] = option{c, names[c]}
		}
		return out
	}
}

// ref is a field naming another record on the file: the options are the file's records of that kind, newest
// first. An optional ref offers "none" as well.
func ref(name, label string, kind casework.Kind, optional bool) fieldSpec {
	return fieldSpec{Name: name, Label: label, Control: ctlSelect, options: func(c *formCtx) []option {
		var out []option
		if optional {
			out = append(out, option{"", "None"})
		}
		recs := slices.Clone(c.file.Records())
		slices.Reverse(recs)
		for _, r := range recs {
			if r.Kind() == kind {
				out = append(out, option{r.Base().ID, describeRecord(r)})
			}
		}
		return out
	}}
}

// describeRecord names a record in a list of choices.
func describeRecord(r casework.Record) string {
	ix := r.Index()
	s := label(r.Kind()) + " on " + day(ix.Start)
	switch v := r.(type) {
	case *casework.Contact:
		s += ", from " + describe("referralsourcetype", v.Source)
	case *casework.Conference:
		if name, ok := optionLabel(conferences, v.Type); ok {
			s = name + " conference on " + day(v.Date)
		}
	}
	return s
}

var stepUpNames = map[string]string{"needs_not_met_by_early_help": "Needs are not met by early help",
	"significant_harm_concern": "Concern of significant harm", "risk_escalating": "Risk is escalating",
	"family_not_engaging": "The family is not engaging", "new_information": "New information"}
var stepDownNames = map[string]string{"plan_outcomes_met": "The plan's outcomes are met",
	"needs_now_level_3": "Needs are now at level 3", "cin_review_decision": "Decided at a child in need review",
	"assessment_no_statutory_need": "The assessment found no statutory need",
	"family_requests_early_help":   "The family asked for early help"}

// undecided lists the contacts waiting for a threshold decision.
func undecided(f *casework.File) []*casework.Contact {
	decided := map[string]bool{}
	for _, d := range casework.All[*casework.ThresholdDecision](f) {
		decided[d.ContactID] = true
	}
	var out []*casework.Contact
	for _, ct := range casework.All[*casework.Contact](f) {
		if !decided[ct.ID] {
			out = append(out, ct)
		}
	}
	return out
}

// needEpisode and the like say what a form needs first.
func needEpisode(c *formCtx) string {
	if c.episode == nil {
		return "The child has no open episode of need. Record a referral first."
	}
	return ""
}

func needCare(c *formCtx) string {
	if _, ok := open[*casework.LegalStatus](c.file); !ok {
		return "The child is not looked after."
	}
	return ""
}

// transitionFields are the fields of a step up or down, with the criteria of its direction.
func transitionFields(criteria []string, names map[string]string) []fieldSpec {
	return []fieldSpec{
		date("date", "Date of the decision"),
		{Name: "criteria", Label: "Criteria the decision rests on", Control: ctlCheckboxes, fixed: true, options: named(criteria, names)},
		text("decision_maker", "Who decided").width("20"),
		area("rationale", "Why"),
		date("consent_date", "Date the family consented to early help"),
		text("lead_professional.name", "Early help lead professional").width("20"),
		text("lead_professional.agency", "Lead professional's agency").width("20"),
	}
}

// placementFields are a placement's fields, named with prefix.
func placementFields(prefix string) []fieldSpec {
	return []fieldSpec{
		codes(prefix+"type", "Type of placement", casework.ListPlacementType),
		codes(prefix+"provider", "Provider", casework.ListProvider),
		text(prefix+"carer", "Carer or setting").width("20"),
		text(prefix+"carer_id", "Carer's reference").width("10"),
		text(prefix+"postcode", "Postcode of the placement").width("10"),
		text(prefix+"urn", "Ofsted URN").hint("For a registered setting, like SC123456").width("10"),
		yes(prefix+"in_area", "The placement is inside the council's area"),
		yes(prefix+"long_term", "The placement is intended to last until the child is 18"),
	}
}

// recordForms are every recording form, in the order the record page offers them.
var recordForms = []*recordForm{
	{Slug: "contact", Title: "Record a contact", Saved: "Contact recorded", Kinds: []casework.Kind{casework.KindContact},
		Fields: []fieldSpec{
			dateTime("received_at", "When the contact was received"),
			codes("source", "Who made the contact", casework.ListReferralSource),
			area("reason", "What the contact is about"),
			choice("priority", "Priority", priorities...).hint("How soon the front door must decide"),
		}},
	{Slug: "threshold", Title: "Record the threshold decision", Saved: "Threshold decision recorded",
		Kinds: []casework.Kind{casework.KindThreshold},
		Fields: []fieldSpec{
			ref("contact_id", "The contact decided on", casework.KindContact, false),
			choice("level", "Level of need", levels...).asNumber(),
			choice("service", "Which service owns the work", services...).hint("For level 3 and level 4 needs"),
			choice("outcome", "What happens next", outcomes...).asExtra(),
			text("decision_maker", "Who decided").width("20"),
			area("rationale", "Why"),
			dateTime("decided_at", "When it was decided"),
		},
		needs: func(c *formCtx) string {
			if len(undecided(c.file)) == 0 {
				return "Every contact has its decision. Record a new contact first."
			}
			return ""
		},
		prefill: func(c *formCtx, vals url.Values) { vals.Set("decision_maker", c.user.Name) },
		save: func(c *formCtx, recs []casework.Record, vals url.Values) error {
			d := recs[0].(*casework.ThresholdDecision)
			contact, ok := c.file.Get(d.ContactID)
			if _, isContact := contact.(*casework.Contact); !ok || !isContact {
				return casework.Invalid("contact_id", "choose the contact decided on")
			}
			changed := casework.Clone(contact.(*casework.Contact))
			changed.Outcome, changed.Reason = vals.Get("outcome"), "threshold decision"
			if changed.Outcome == "" {
				return casework.Invalid("outcome", "is required: say what happens next")
			}
			return c.file.Save(d, changed)
		}},
	{Slug: "early-help", Title: "Start early help", Saved: "Early help started", Kinds: []casework.Kind{casework.KindEarlyHelp},
		Fields: []fieldSpec{
			date("start", "Date early help started"),
			date("consent_date", "Date the family consented"),
			date("eha_start", "Date the early help assessment started"),
			text("lead_professional.name", "Lead professional").width("20"),
			text("lead_professional.agency", "Lead professional's agency").width("20"),
		},
		needs: func(c *formCtx) string {
			if c.earlyHelp != nil {
				return "The child already has open early help."
			}
			return ""
		},
		save: func(c *formCtx, recs []casework.Record, _ url.Values) error {
			eh := recs[0].(*casework.EarlyHelp)
			return saveAllocated(c, eh, eh.Start)
		}},
	{Slug: "referral", Title: "Record a referral", Saved: "Referral recorded: the episode of need is open",
		Kinds: []casework.Kind{casework.KindEpisode},
		Fields: []fieldSpec{
			ref("contact_id", "The contact it came from", casework.KindContact, true),
			date("referral_date", "Date of the referral"),
			codes("source", "Source of the referral", casework.ListReferralSource),
			codes("primary_need", "Primary need", casework.ListPrimaryNeed),
		},
		needs: func(c *formCtx) string {
			if c.episode != nil {
				return "The child already has an open episode of need. Record new information on it, or close it first."
			}
			return ""
		},
		prefill: func(c *formCtx, vals url.Values) {
			if r, ok := c.file.Get(vals.Get("contact_id")); ok {
				if ct, ok := r.(*casework.Contact); ok {
					vals.Set("source", ct.Source)
				}
			}
		},
		save: func(c *formCtx, recs []casework.Record, _ url.Values) error {
			ep := recs[0].(*casework.Episode)
			return saveAllocated(c, ep, ep.ReferralDate)
		}},
	{Slug: "assessment", Title: "Start an assessment", Saved: "Assessment started", Kinds: []casework.Kind{casework.KindAssessment},
		inEpisode: true, Fields: []fieldSpec{date("start", "Date the assessment started")}},
	{Slug: "assessment-complete", Title: "Complete the assessment", Saved: "Assessment completed: it now needs a manager's authorisation",
		Kinds: []casework.Kind{casework.KindAssessment}, changes: true,
		targets: func(c *formCtx) []casework.Record {
			return recordsWhere(c.file, func(a *casework.Assessment) bool { return a.Completed.IsZero() })
		},
		Fields: []fieldSpec{
			date("completed", "Date the assessment was completed"),
			yes("child_seen", "The child was seen"),
			{Name: "factors", Label: "Factors identified", Control: ctlCheckboxes, fixed: true, options: func(*formCtx) []option {
				var out []option
				for _, c := range casework.Codes(casework.ListAssessmentFactor) {
					out = append(out, option{c.Code, c.Code + ": " + sentence(c.Description)})
				}
				return out
			}},
			yes("needs_services", "The child needs social care services"),
		}},
	{Slug: "assessment-authorise", Title: "Authorise the assessment", Saved: "Assessment authorised",
		Kinds: []casework.Kind{casework.KindAssessment}, changes: true, action: casework.ActionAuthorise,
		targets: func(c *formCtx) []casework.Record {
			return recordsWhere(c.file, func(a *casework.Assessment) bool { return !a.Completed.IsZero() && a.Authorised.IsZero() })
		},
		Fields: []fieldSpec{date("authorised", "Date authorised")}},
	{Slug: "cin-plan", Title: "Start a child in need plan", Saved: "Child in need plan started", Kinds: []casework.Kind{casework.KindCINPlan},
		inEpisode: true, Fields: []fieldSpec{date("start", "Date the plan started")}},
	{Slug: "strategy", Title: "Record a strategy discussion", Saved: "Strategy discussion recorded",
		Kinds: []casework.Kind{casework.KindStrategy}, inEpisode: true,
		Fields: []fieldSpec{date("date", "Date of the discussion"), area("decision", "What was decided")}},
	{Slug: "section47", Title: "Start a section 47 enquiry", Saved: "Section 47 enquiry started",
		Kinds: []casework.Kind{casework.KindSection47}, inEpisode: true,
		Fields: []fieldSpec{
			ref("strategy_discussion_id", "The strategy discussion that initiated it", casework.KindStrategy, false),
			date("start", "Date the enquiry started"),
		}},
	{Slug: "section47-outcome", Title: "Record the outcome of the section 47 enquiry", Saved: "Section 47 outcome recorded",
		Kinds: []casework.Kind{casework.KindSection47}, changes: true,
		targets: func(c *formCtx) []casework.Record {
			return recordsWhere(c.file, func(s *casework.Section47) bool { return s.End.IsZero() })
		},
		Fields: []fieldSpec{
			date("end", "Date the enquiry ended"),
			yes("conference_required", "An initial child protection conference is needed"),
		}},
	{Slug: "conference", Title: "Record a child protection conference", Saved: "Conference recorded",
		Kinds: []casework.Kind{casework.KindConference}, inEpisode: true,
		Fields: []fieldSpec{
			choice("type", "Type of conference", conferences...),
			date("date", "Date of the conference"),
			ref("section47_id", "The section 47 enquiry it followed", casework.KindSection47, true).hint("For an initial conference"),
			yes("plan_required", "The child needs a child protection plan").hint("At a review, whether the plan continues"),
			codes("category", "Category of abuse", casework.ListAbuseCategory).hint("When the child needs a plan"),
			text("chair", "Chair").width("20"),
		},
		save: saveConference},
	{Slug: "looked-after", Title: "Record that the child became looked after", Saved: "The child is looked after: legal status and placement recorded",
		Kinds: []casework.Kind{casework.KindLegalStatus, casework.KindPlacement}, inEpisode: true,
		Fields: append([]fieldSpec{
			codes("legal_status.code", "Legal status", casework.ListLegalStatus),
			date("legal_status.start", "Date the child became looked after"),
		}, placementFields("placement.")...),
		needs: func(c *formCtx) string {
			if needCare(c) == "" {
				return "The child is already looked after. Record a change of legal status or placement instead."
			}
			return needEpisode(c)
		},
		save: func(c *formCtx, recs []casework.Record, _ url.Values) error {
			return c.file.BecomeLookedAfter(recs[0].(*casework.LegalStatus), recs[1].(*casework.Placement))
		}},
	{Slug: "placement-change", Title: "Record a change of placement", Saved: "Placement change recorded",
		Kinds: []casework.Kind{casework.KindPlacement},
		Fields: append([]fieldSpec{
			date("start", "Date of the move"),
			codes("change_reason", "Why the child moved", casework.ListPlacementChange).asExtra(),
		}, placementFields("")...),
		needs:  func(c *formCtx) string { return needCare(c) },
		guards: func(c *formCtx) casework.Record { return openRecord[*casework.Placement](c.file) },
		save: func(c *formCtx, recs []casework.Record, vals url.Values) error {
			cur, version, err := guarded[*casework.Placement](c, vals)
			if err != nil {
				return err
			}
			return c.file.ChangePlacement(cur.ID, version, vals.Get("change_reason"), recs[0].(*casework.Placement))
		}},
	{Slug: "legal-status-change", Title: "Record a change of legal status", Saved: "Legal status change recorded",
		Kinds: []casework.Kind{casework.KindLegalStatus},
		Fields: []fieldSpec{
			codes("code", "New legal status", casework.ListLegalStatus),
			date("start", "Date of the change"),
		},
		needs:  func(c *formCtx) string { return needCare(c) },
		guards: func(c *formCtx) casework.Record { return openRecord[*casework.LegalStatus](c.file) },
		save: func(c *formCtx, recs []casework.Record, vals url.Values) error {
			cur, version, err := guarded[*casework.LegalStatus](c, vals)
			if err != nil {
				return err
			}
			return c.file.ChangeLegalStatus(cur.ID, version, recs[0].(*casework.LegalStatus))
		}},
	{Slug: "care-ceased", Title: "Record that care ended", Saved: "Care ended",
		Kinds: []casework.Kind{casework.KindLegalStatus},
		Fields: []fieldSpec{
			date("end", "Date care ended"),
			codes("ceased_reason", "Why care ended", casework.ListEpisodeCeased, "X1"),
		},
		needs: func(c *formCtx) string { return needCare(c) },
		save: func(c *formCtx, recs []casework.Record, _ url.Values) error {
			ls := recs[0].(*casework.LegalStatus)
			if ls.End.IsZero() {
				return casework.Invalid("end", "is required")
			}
			return c.file.CeaseCare(ls.End, ls.CeasedReason)
		}},
	{Slug: "review", Title: "Record a looked-after review", Saved: "Review recorded", Kinds: []casework.Kind{casework.KindCLAReview},
		inEpisode: true, Fields: []fieldSpec{
			date("date", "Date of the review"),
			codes("participation", "How the child took part", casework.ListReviewCode),
		}},
	{Slug: "visit", Title: "Record a visit", Saved: "Visit recorded", Kinds: []casework.Kind{casework.KindVisit}, inEpisode: true,
		Fields: []fieldSpec{
			date("date", "Date of the visit"),
			choice("type", "Which visits it counts towards", visitOptions...),
			yes("child_seen", "The child was seen"),
			yes("seen_alone", "The child was seen alone"),
			yes("bedroom_seen", "The child's bedroom was seen"),
			yes("unannounced", "The visit was unannounced"),
		},
		prefill: func(c *formCtx, vals url.Values) {
			switch {
			case openRecord[*casework.CPPlan](c.file) != nil:
				vals.Set("type", "cp")
			case openRecord[*casework.LegalStatus](c.file) != nil:
				vals.Set("type", "cla")
			case openRecord[*casework.CINPlan](c.file) != nil:
				vals.Set("type", "cin")
			}
		}},
	{Slug: "activity", Title: "Record a meeting, plan or check", Saved: "Recorded", Kinds: []casework.Kind{casework.KindActivity},
		inEpisode: true, Fields: []fieldSpec{
			{Name: "type", Label: "What it was", Control: ctlSelect, fixed: true, options: named(casework.ActivityTypes, activityNames)},
			date("date", "Date"),
			text("by", "Who chaired or did it").width("20"),
			area("summary", "Summary"),
		}},
	{Slug: "missing", Title: "Record that the child is missing or away", Saved: "Missing episode recorded",
		Kinds: []casework.Kind{casework.KindMissing}, inEpisode: true,
		Fields: []fieldSpec{
			choice("type", "Missing or away", option{"M", "Missing: whereabouts unknown"}, option{"A", "Away without authorisation: whereabouts known"}),
			date("start", "Date it started"),
		}},
	{Slug: "missing-return", Title: "Record the child's return", Saved: "Return recorded", Kinds: []casework.Kind{casework.KindMissing},
		changes: true,
		targets: func(c *formCtx) []casework.Record {
			return recordsWhere(c.file, func(m *casework.Missing) bool { return m.End.IsZero() })
		},
		Fields: []fieldSpec{
			date("end", "Date the child returned"),
			yes("rhi_offered", "A return home interview was offered"),
			yes("rhi_accepted", "The child accepted the interview"),
			date("rhi_date", "Date of the interview"),
		}},
	{Slug: "step-up", Title: "Step up to children's social care", Saved: "Step up recorded", Kinds: []casework.Kind{casework.KindTransition},
		Fields: transitionFields(casework.StepUpCriteria, stepUpNames),
		needs: func(c *formCtx) string {
			if c.earlyHelp == nil {
				return "The child has no open early help to step up from."
			}
			return ""
		},
		prefill: func(c *formCtx, vals url.Values) { vals.Set("decision_maker", c.user.Name) },
		save: func(c *formCtx, recs []casework.Record, _ url.Values) error {
			t := recs[0].(*casework.Transition)
			t.Direction, t.FromID = casework.StepUp, c.earlyHelp.ID
			return c.file.Save(t)
		}},
	{Slug: "step-down", Title: "Step down to early help", Saved: "Step down recorded", Kinds: []casework.Kind{casework.KindTransition},
		Fields:  transitionFields(casework.StepDownCriteria, stepDownNames),
		needs:   needEpisode,
		prefill: func(c *formCtx, vals url.Values) { vals.Set("decision_maker", c.user.Name) },
		save: func(c *formCtx, recs []casework.Record, _ url.Values) error {
			t := recs[0].(*casework.Transition)
			t.Direction, t.FromID = casework.StepDown, c.episode.ID
			return c.file.Save(t)
		}},
	{Slug: "closure", Title: "Close the episode of need", Saved: "Episode closed", Kinds: []casework.Kind{casework.KindEpisode},
		Fields: []fieldSpec{
			date("closure_date", "Date of closure"),
			codes("closure_reason", "Why the case closed", casework.ListClosureReason),
		},
		needs:  needEpisode,
		guards: func(c *formCtx) casework.Record { return openRecord[*casework.Episode](c.file) },
		save: func(c *formCtx, recs []casework.Record, vals url.Values) error {
			ep := recs[0].(*casework.Episode)
			cur, version, err := guarded[*casework.Episode](c, vals)
			if err != nil {
				return err
			}
			if ep.ClosureDate.IsZero() {
				return casework.Invalid("closure_date", "is required")
			}
			return c.file.CloseEpisode(cur.ID, version, ep.ClosureDate, ep.ClosureReason)
		}},
	{Slug: "restrict", Title: "Restrict who can see this record", Saved: "Record restricted",
		Kinds: []casework.Kind{casework.KindRestriction}, action: casework.ActionRestrict,
		Fields: []fieldSpec{
			codes("grounds", "Why", casework.ListRestriction),
			{Name: "named", Label: "Who may still see it", Control: ctlCheckboxes, options: func(c *formCtx) []option {
				out := make([]option, len(c.workers))
				for i, w := range c.workers {
					out[i] = option{w.WorkerID, w.Name}
				}
				return out
			}, Hint: "You are included. Everyone else, in every team, will not find the child in searches or lists"},
			date("start", "From"),
			date("lifted", "Lifted on").hint("Only when ending the restriction"),
		},
		save: func(c *formCtx, recs []casework.Record, _ url.Values) error {
			r := recs[0].(*casework.Restriction)
			if !slices.Contains(r.Named, c.user.ID) {
				r.Named = append(r.Named, c.user.ID)
			}
			return c.file.Save(r)
		}},
	{Slug: "share", Title: "Share with a partner agency", Saved: "Sharing recorded",
		Kinds: []casework.Kind{casework.KindSharing},
		Fields: []fieldSpec{
			{Name: "team_id", Label: "Who to share with", Control: ctlRadios, options: func(c *formCtx) []option {
				out := make([]option, len(c.partners))
				for i, t := range c.partners {
					out[i] = option{t.ID, t.Name}
				}
				return out
			}, Hint: "Record each agency on its own: consent to share with one is not consent to share with another"},
			listed("basis", "On what basis", casework.ListSharingBasis),
			listed("consent_by", "Who consented", casework.ListConsentBy).hint("Only when sharing with consent"),
			listed("scope", "What they will see", casework.ListSharingScope).
				hint("Never the case notes, the chronology or the family"),
			area("justification", "Why you are sharing").
				hint("Required without consent: why asking would put the child at risk, or why the child needs protecting"),
			date("start", "From"),
			date("end", "Stopped on").hint("Only when consent is withdrawn or sharing is no longer needed"),
		}},
	{Slug: "allocate", Title: "Allocate the case", Saved: "Case allocated", Kinds: []casework.Kind{casework.KindAllocation},
		action: casework.ActionAllocate,
		Fields: []fieldSpec{
			{Name: "worker_id", Label: "Worker", Control: ctlRadios, options: func(c *formCtx) []option {
				out := make([]option, len(c.workers))
				for i, w := range c.workers {
					out[i] = option{w.WorkerID, w.Name + " (" + strconv.Itoa(w.Cases) + " cases, " +
						strconv.FormatFloat(w.PerFTE, 'f', 1, 64) + " weighted per full-time post)"}
				}
				return out
			}, Hint: "Your team, the most heavily loaded first"},
			date("start", "From"),
			codes("worker_change", "Why the child has a new worker", casework.ListWorkerChange).hint("For a looked-after child's return"),
		},
		needs: func(c *formCtx) string {
			if c.episode == nil && c.earlyHelp == nil {
				return "The child has no open case to allocate."
			}
			return ""
		},
		guards: func(c *formCtx) casework.Record {
			if a := currentAllocation(c); a != nil {
				return a
			}
			return nil
		},
		save: func(c *formCtx, recs []casework.Record, vals url.Values) error {
			a := recs[0].(*casework.Allocation)
			if cur := currentAllocation(c); cur != nil && (vals.Get("guard") != cur.ID || vals.Get("version") != strconv.Itoa(cur.Version)) {
				return &conflictError{casework.KindAllocation}
			}
			if a.WorkerID == "" {
				return casework.Invalid("worker_id", "choose who the case goes to")
			}
			team := c.user.TeamID
			for _, w := range c.workers {
				if w.WorkerID == a.WorkerID {
					team = w.TeamID
				}
			}
			return c.file.Allocate(openCase(c), a.WorkerID, team, a.Start, a.WorkerChange)
		}},
}

// formBySlug finds a recording form.
func formBySlug(slug string) (*recordForm, bool) {
	i := slices.IndexFunc(recordForms, func(f *recordForm) bool { return f.Slug == slug })
	if i < 0 {
		return nil, false
	}
	return recordForms[i], true
}

// correctionForm is the form that corrects a record of kind k: the first plain form that makes one.
func correctionForm(k casework.Kind) *recordForm {
	for _, f := range recordForms {
		if len(f.Kinds) == 1 && f.Kinds[0] == k && !f.changes && f.guards == nil {
			return f
		}
	}
	return nil
}

// recordsWhere lists a file's records of type T that keep says to.
func recordsWhere[T casework.Record](f *casework.File, keep func(T) bool) []casework.Record {
	var out []casework.Record
	for _, r := range casework.All[T](f) {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// openRecord is the open record of type T, or nil.
func openRecord[T casework.Record](f *casework.File) casework.Record {
	if r, ok := open[T](f); ok {
		return r
	}
	return nil
}

// guarded returns the open record of type T the form guards and the version the form was shown with. Another
// record open in its place since (a placement after a move) is a conflict as much as another version of it.
func guarded[T casework.Record](c *formCtx, vals url.Values) (T, int, error) {
	cur, ok := open[T](c.file)
	if !ok {
		// Ended since the form was shown.
		return cur, 0, &conflictError{cur.Kind()}
	}
	if vals.Get("guard") != cur.Base().ID {
		return cur, 0, &conflictError{cur.Kind()}
	}
	version, err := strconv.Atoi(vals.Get("version"))
	if err != nil {
		return cur, 0, casework.Invalid("version", "the form was not sent whole; reload it and try again")
	}
	return cur, version, nil
}

// openCase is the child's open case: the episode of need if there is one, otherwise the open early help.
func openCase(c *formCtx) string {
	switch {
	case c.episode != nil:
		return c.episode.ID
	case c.earlyHelp != nil:
		return c.earlyHelp.ID
	}
	return ""
}

// conflictError is a change to a record made by someone else since the form was shown.
type conflictError struct{ kind casework.Kind }

func (e *conflictError) Error() string {
	return label(e.kind) + " was changed by someone else while you had the form open. Reload it and make your change again."
}
func (e *conflictError) Unwrap() error { return casework.ErrConflict }

// currentAllocation is the open case's current allocation, or nil.
func currentAllocation(c *formCtx) *casework.Allocation {
	for _, a := range casework.All[*casework.Allocation](c.file) {
		if a.CaseID == openCase(c) && a.End.IsZero() {
			return a
		}
	}
	return nil
}

// saveAllocated saves a new case and allocates it to the recording worker's team from its start, and to the
// worker too when they hold cases, so the case is in someone's work from the first day.
func saveAllocated(c *formCtx, r casework.Record, start civil.Date) error {
	if c.user.TeamID == "" {
		return c.file.Save(r)
	}
	r.Base().ID = casework.NewID(c.now)
	a := &casework.Allocation{CaseID: r.Base().ID, TeamID: c.user.TeamID, Start: start}
	if c.user.Role == casework.RoleSocialWorker || c.user.Role == casework.RoleEarlyHelp {
		a.WorkerID, a.WorkerChange = c.user.ID, "FCONTA"
	}
	return c.file.Save(r, a)
}

// saveConference records a conference with what it decided: an initial or transfer-in conference that decides on
// a plan starts it that day; a review that ends the plan ends it; a review that changes the category changes it.
func saveConference(c *formCtx, recs []casework.Record, _ url.Values) error {
	conf := recs[0].(*casework.Conference)
	conf.ID = casework.NewID(c.now)
	plan, hasPlan := open[*casework.CPPlan](c.file)
	switch {
	case conf.Type != casework.ConferenceReview && conf.PlanRequired:
		return c.file.Save(conf, &casework.CPPlan{EpisodeID: conf.EpisodeID, ConferenceID: conf.ID, Start: conf.Date,
			InitialCategory: conf.Category, LatestCategory: conf.Category})
	case conf.Type == casework.ConferenceReview && hasPlan && !conf.PlanRequired:
		ended := casework.Clone(plan)
		ended.End, ended.Reason = conf.Date, "the review conference ended the plan"
		return c.file.Save(conf, ended)
	case conf.Type == casework.ConferenceReview && hasPlan && conf.Category != "" && conf.Category != plan.LatestCategory:
		changed := casework.Clone(plan)
		changed.LatestCategory, changed.Reason = conf.Category, "the review conference changed the category"
		return c.file.Save(conf, changed)
	}
	return c.file.Save(conf)
}
