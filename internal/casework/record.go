package casework

import (
	"fmt"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
)

// Kind names a type of record. Kinds are stored, so they never change once released.
type Kind string

// The kinds of record a file holds, in the order of the continuum.
const (
	KindPerson          Kind = "person"
	KindRelationship    Kind = "relationship"
	KindHousehold       Kind = "household"
	KindHouseholdMember Kind = "household_member"
	KindContact         Kind = "contact"
	KindThreshold       Kind = "threshold_decision"
	KindEarlyHelp       Kind = "early_help"
	KindEpisode         Kind = "episode"
	KindReopening       Kind = "reopening"
	KindAssessment      Kind = "assessment"
	KindCINPlan         Kind = "cin_plan"
	KindStrategy        Kind = "strategy_discussion"
	KindSection47       Kind = "section47"
	KindConference      Kind = "conference"
	KindCPPlan          Kind = "cp_plan"
	KindLegalStatus     Kind = "legal_status"
	KindPlacement       Kind = "placement"
	KindCLAReview       Kind = "cla_review"
	KindVisit           Kind = "visit"
	KindMissing         Kind = "missing"
	KindCareLeaver      Kind = "care_leaver"
	KindAdoption        Kind = "adoption"
	KindPermanence      Kind = "previous_permanence"
	KindCareOutcomes    Kind = "care_outcomes"
	KindAllocation      Kind = "allocation"
	KindActivity        Kind = "activity"
	KindLateReason      Kind = "late_reason"
	KindTransition      Kind = "transition"
	KindRestriction     Kind = "restriction"
	KindSharing         Kind = "sharing"
)

// newRecord maps each kind to a constructor so stored records can be decoded into their own types.
var newRecord = map[Kind]func() Record{
	KindPerson:          func() Record { return new(Person) },
	KindRelationship:    func() Record { return new(Relationship) },
	KindHousehold:       func() Record { return new(Household) },
	KindHouseholdMember: func() Record { return new(HouseholdMember) },
	KindContact:         func() Record { return new(Contact) },
	KindThreshold:       func() Record { return new(ThresholdDecision) },
	KindEarlyHelp:       func() Record { return new(EarlyHelp) },
	KindEpisode:         func() Record { return new(Episode) },
	KindReopening:       func() Record { return new(Reopening) },
	KindAssessment:      func() Record { return new(Assessment) },
	KindCINPlan:         func() Record { return new(CINPlan) },
	KindStrategy:        func() Record { return new(StrategyDiscussion) },
	KindSection47:       func() Record { return new(Section47) },
	KindConference:      func() Record { return new(Conference) },
	KindCPPlan:          func() Record { return new(CPPlan) },
	KindLegalStatus:     func() Record { return new(LegalStatus) },
	KindPlacement:       func() Record { return new(Placement) },
	KindCLAReview:       func() Record { return new(CLAReview) },
	KindVisit:           func() Record { return new(Visit) },
	KindMissing:         func() Record { return new(Missing) },
	KindCareLeaver:      func() Record { return new(CareLeaver) },
	KindAdoption:        func() Record { return new(Adoption) },
	KindPermanence:      func() Record { return new(PreviousPermanence) },
	KindCareOutcomes:    func() Record { return new(CareOutcomes) },
	KindAllocation:      func() Record { return new(Allocation) },
	KindActivity:        func() Record { return new(Activity) },
	KindLateReason:      func() Record { return new(LateReason) },
	KindTransition:      func() Record { return new(Transition) },
	KindRestriction:     func() Record { return new(Restriction) },
	KindSharing:         func() Record { return new(Sharing) },
}

// NewRecord returns an empty record of the given kind, ready to be decoded into.
func NewRecord(k Kind) (Record, error) {
	f, ok := newRecord[k]
	if !ok {
		return nil, fmt.Errorf("unknown record kind %q: %w", k, ErrInvalid)
	}
	return f(), nil
}

// Meta is what every record carries besides its content: who it is, which version, and who recorded it, when and
// why. It is not part of the record's stored content.
type Meta struct {
	ID string `json:"-"`
	// Version counts the versions of a record from 1. A change carries the version it was based on; once saved
	// to the File it holds the new version, and a store writes it only over version-1.
	Version int `json:"-"`
	// Seq orders records within a file in the order they were first recorded, so that events on the same day
	// (referral, strategy discussion, protection order, placement) always come out in the same order.
	Seq        int64     `json:"-"`
	RecordedAt time.Time `json:"-"`
	// FirstRecordedAt is when version 1 was recorded: how long after the event it was written down.
	FirstRecordedAt time.Time `json:"-"`
	RecordedBy      string    `json:"-"`
	// Reason says why this version was recorded; a correction must give one.
	Reason string `json:"-"`
	// Retracted marks a record entered in error. It stays in the history but leaves the current record.
	Retracted bool `json:"-"`
}

// Base returns the record's metadata; every record type embeds Meta and so has this method.
func (m *Meta) Base() *Meta { return m }

// Index is the part of a record the store keeps in columns so it can be found without decoding: which episode it
// belongs to, which other person or household it links to, the span of dates it covers, and its main code (the LA
// child ID of a person, the legal status of a legal status record, and so on).
type Index struct {
	ParentID  string
	RelatedID string
	Start     civil.Date
	End       civil.Date
	Code      string
	// Ident is an identifier the record is looked up by: a person's NHS number.
	Ident string
}

// Record is one entry on a file: a person's details, a contact, a plan, a placement.
type Record interface {
	Kind() Kind
	Base() *Meta
	Index() Index
	// Validate checks the record on its own, field by field. Rules that need the rest of the file are checked by
	// the File.
	Validate(today civil.Date) error
}

// london is where every council using Continuum keeps its calendar; "today" and "in the future" are London dates.
var london = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/London"); err == nil {
		return loc
	}
	return time.UTC
}()

// Today returns the London calendar date at the instant now.
func Today(now time.Time) civil.Date { return civil.Of(now.In(london)) }

// The helpers below keep field checks to one line each.

func required(p *problems, field string, d civil.Date) {
	if d.IsZero() {
		p.add(field, "is required")
	}
}

func notFuture(p *problems, field string, d, today civil.Date) {
	if !d.IsZero() && d.After(today) {
		p.add(field, "must not be in the future (%s is after today, %s)", d, today)
	}
}

// ordered checks that the later date, when given, is not before the earlier one.
func ordered(p *problems, earlierField string, earlier civil.Date, laterField string, later civil.Date) {
	if !earlier.IsZero() && !later.IsZero() && later.Before(earlier) {
		p.add(laterField, "must not be before %s (%s is before %s)", earlierField, later, earlier)
	}
}

func code(p *problems, field string, list CodeList, c string) {
	p.addErr(field, checkCode(list, c))
}

func optionalCode(p *problems, field string, list CodeList, c string) {
	if c != "" {
		code(p, field, list, c)
	}
}

func text(p *problems, field, s string, max int) {
	switch {
	case s == "":
		p.add(field, "is required")
	case len(s) > max:
		p.add(field, "must be at most %d characters", max)
	}
}

func optionalText(p *problems, field, s string, max int) {
	if len(s) > max {
		p.add(field, "must be at most %d characters", max)
	}
}

func oneOf(p *problems, field, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	if v == "" {
		p.add(field, "is required")
		return
	}
	p.add(field, "%q is not one of %v", v, allowed)
}

// London returns the time zone a council's calendar keeps.
func London() *time.Location { return london }
