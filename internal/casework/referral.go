package casework

import (
	"slices"

	"github.com/continuum-cs/continuum/internal/civil"
)

// PartnerReferral is a referral a partner agency's practitioner sends the front door: who the child is, as far as
// they know, what worries them, whether the family knows, and how to reach them. It is not yet on any file: the
// front door finds the child (or records a new one) and takes it in as a contact, and the referrer then sees what
// was decided.
type PartnerReferral struct {
	Given     string     `json:"given"`
	Family    string     `json:"family"`
	BirthDate civil.Date `json:"birth_date,omitzero"`
	// ExpectedBirthDate is given instead of BirthDate for an unborn child, whom midwives and health visitors
	// refer before birth so that a pre-birth assessment can start in time.
	ExpectedBirthDate civil.Date `json:"expected_birth_date,omitzero"`
	Sex               string     `json:"sex"`
	NHSNumber         string     `json:"nhs_number,omitempty"`
	Postcode          string     `json:"postcode,omitempty"`
	// Source is who is referring, as a CIN census referral source code (2A a school, 3B a health visitor…).
	Source   string `json:"source"`
	Concerns string `json:"concerns"`
	// ParentsAware says whether the family knows of the referral (a code of ListParentsAware); WhyNotTold is
	// required when they were not told.
	ParentsAware string `json:"parents_aware"`
	WhyNotTold   string `json:"why_not_told,omitempty"`
	// Phone is where the front door can call the referrer back.
	Phone string `json:"phone"`
}

// NotAgencies are the referral sources that are not agencies: family, friends, the child, anonymous, unknown.
var NotAgencies = []string{"1A", "1B", "1C", "9", "10"}

// ListParentsAware is whether the family knows of a referral.
const ListParentsAware CodeList = "parents_aware"

func init() {
	addCode(ListParentsAware, "yes", "Yes, they know I am making this referral")
	addCode(ListParentsAware, "no", "No: telling them would put the child at risk")
}

// Validate checks a referral as sent.
func (r *PartnerReferral) Validate(today civil.Date) error {
	var p problems
	text(&p, "given", r.Given, 100)
	text(&p, "family", r.Family, 100)
	switch {
	case r.BirthDate.IsZero() && r.ExpectedBirthDate.IsZero():
		p.add("birth_date", "is required, or the expected date of birth for an unborn child")
	case !r.BirthDate.IsZero() && !r.ExpectedBirthDate.IsZero():
		p.add("expected_birth_date", "must be empty once the child is born")
	case !r.ExpectedBirthDate.IsZero():
		if r.ExpectedBirthDate.Before(today.AddDays(-42)) {
			p.add("expected_birth_date", "is more than six weeks ago: if the child has been born, give the date of birth")
		}
		if r.ExpectedBirthDate.After(today.AddDays(300)) {
			p.add("expected_birth_date", "must be within 300 days of today")
		}
		if r.Sex != "U" {
			p.add("sex", "must be \"Not known\" for an unborn child")
		}
	}
	notFuture(&p, "birth_date", r.BirthDate, today)
	oneOf(&p, "sex", r.Sex, "M", "F", "U")
	if r.NHSNumber != "" {
		p.addErr("nhs_number", CheckNHSNumber(NormaliseNHSNumber(r.NHSNumber)))
	}
	optionalText(&p, "postcode", r.Postcode, 10)
	code(&p, "source", ListReferralSource, r.Source)
	if slices.Contains(NotAgencies, r.Source) {
		p.add("source", "must name an agency: %s is not one", r.Source)
	}
	text(&p, "concerns", r.Concerns, 2000)
	code(&p, "parents_aware", ListParentsAware, r.ParentsAware)
	if r.ParentsAware == "no" {
		text(&p, "why_not_told", r.WhyNotTold, 1000)
	}
	text(&p, "phone", r.Phone, 30)
	return p.err()
}

// Child is the child a referral names, as a new record would start: the front door adds an LA child ID.
func (r *PartnerReferral) Child() *Person {
	return &Person{Role: RoleChild, Name: Name{Given: r.Given, Family: r.Family}, BirthDate: r.BirthDate,
		ExpectedBirthDate: r.ExpectedBirthDate, Sex: r.Sex, NHSNumber: r.NHSNumber, Address: Address{Postcode: r.Postcode}}
}
