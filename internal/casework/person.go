package casework

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/continuum-cs/continuum/internal/civil"
)

// Name is a person's name as used on the record. Former names are kept so a child known by another surname is
// still found.
type Name struct {
	Given  string `json:"given"`
	Family string `json:"family"`
}

// Address is where a person lives. District and locality place the child in the council's geography (for example
// the Aylesbury Vale district and its locality teams).
type Address struct {
	Lines    []string `json:"lines,omitempty"`
	Town     string   `json:"town,omitempty"`
	Postcode string   `json:"postcode,omitempty"`
	District string   `json:"district,omitempty"`
	Locality string   `json:"locality,omitempty"`
}

// Person roles: a child has a file of their own; an adult appears on children's files as a parent, carer or
// other significant adult.
const (
	RoleChild = "child"
	RoleAdult = "adult"
)

// Person is the root record of a file: who the child (or adult) is.
type Person struct {
	Meta `json:"-"`
	Role string `json:"role"`
	// LAChildID is the council's own identifier, shared by every statutory return and stable across years.
	LAChildID   string     `json:"la_child_id,omitempty"`
	NHSNumber   string     `json:"nhs_number,omitempty"`
	UPN         string     `json:"upn,omitempty"`
	UPNUnknown  string     `json:"upn_unknown,omitempty"`
	FormerUPN   string     `json:"former_upn,omitempty"`
	Name        Name       `json:"name"`
	FormerNames []Name     `json:"former_names,omitempty"`
	BirthDate   civil.Date `json:"birth_date,omitzero"`
	// ExpectedBirthDate is given instead of BirthDate for an unborn child.
	ExpectedBirthDate civil.Date `json:"expected_birth_date,omitzero"`
	DeathDate         civil.Date `json:"death_date,omitzero"`
	Sex               string     `json:"sex,omitempty"`
	Ethnicity         string     `json:"ethnicity,omitempty"`
	Disabilities      []string   `json:"disabilities,omitempty"`
	Address           Address    `json:"address"`
	// UASC marks an unaccompanied asylum-seeking child; UASCCeased is the day that status ended (usually the
	// 18th birthday). Both feed the SSDA903's UASC table.
	UASC       bool       `json:"uasc,omitempty"`
	UASCCeased civil.Date `json:"uasc_ceased,omitzero"`
	// Mother marks a girl who is herself a mother (SSDA903 MOTHER); FirstChildBorn is her first child's birth
	// date (MC_DOB), when known.
	Mother         bool       `json:"mother,omitempty"`
	FirstChildBorn civil.Date `json:"first_child_born,omitzero"`
	// Restricted records are visible only to the people named on them (a staff member's relative, sealed adoption).
	Restricted bool `json:"restricted,omitempty"`
}

func (*Person) Kind() Kind { return KindPerson }

func (p *Person) Index() Index {
	start := p.BirthDate
	if start.IsZero() {
		start = p.ExpectedBirthDate
	}
	return Index{Start: start, End: p.DeathDate, Code: p.LAChildID, Ident: p.NHSNumber}
}

// Unborn reports whether the person is a child recorded before birth.
func (p *Person) Unborn() bool { return p.BirthDate.IsZero() && !p.ExpectedBirthDate.IsZero() }

// postcodeRE is the shape of a UK postcode once upper-cased and spaced ("HP20 1UA").
var postcodeRE = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$`)

// NormalisePostcode upper-cases a postcode and puts the single space before its last three characters.
func NormalisePostcode(s string) string {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if len(s) > 3 {
		s = s[:len(s)-3] + " " + s[len(s)-3:]
	}
	return s
}

func checkPostcode(p *problems, field, pc string) {
	if pc != "" && !postcodeRE.MatchString(pc) {
		p.add(field, "%q is not a UK postcode such as HP20 1UA", pc)
	}
}

// Normalise tidies what people type: identifier spacing, postcode case. Stores call it before validating.
func (p *Person) Normalise() {
	p.NHSNumber = NormaliseNHSNumber(p.NHSNumber)
	p.UPN = strings.ToUpper(strings.TrimSpace(p.UPN))
	p.FormerUPN = strings.ToUpper(strings.TrimSpace(p.FormerUPN))
	p.Address.Postcode = NormalisePostcode(p.Address.Postcode)
	p.Name.Given = strings.TrimSpace(p.Name.Given)
	p.Name.Family = strings.TrimSpace(p.Name.Family)
}

func (p *Person) Validate(today civil.Date) error {
	var pr problems
	oneOf(&pr, "role", p.Role, RoleChild, RoleAdult)
	text(&pr, "name.given", p.Name.Given, 100)
	text(&pr, "name.family", p.Name.Family, 100)
	for i, n := range p.FormerNames {
		if n.Given == "" && n.Family == "" {
			pr.add(fieldAt("former_names", i), "must give a given or family name")
		}
	}
	if p.NHSNumber != "" {
		pr.addErr("nhs_number", CheckNHSNumber(p.NHSNumber))
	}
	if p.UPN != "" {
		pr.addErr("upn", CheckUPN(p.UPN))
		if p.UPNUnknown != "" {
			pr.add("upn_unknown", "must be empty when a UPN is given")
		}
	}
	if p.FormerUPN != "" {
		pr.addErr("former_upn", CheckUPN(p.FormerUPN))
	}
	optionalCode(&pr, "upn_unknown", ListUPNUnknown, p.UPNUnknown)
	notFuture(&pr, "birth_date", p.BirthDate, today)
	notFuture(&pr, "death_date", p.DeathDate, today)
	ordered(&pr, "birth_date", p.BirthDate, "death_date", p.DeathDate)
	checkPostcode(&pr, "address.postcode", p.Address.Postcode)
	optionalText(&pr, "address.town", p.Address.Town, 100)
	if p.Role == RoleChild {
		p.validateChild(&pr, today)
	} else if p.LAChildID != "" {
		pr.add("la_child_id", "is only given for a child")
	}
	return pr.err()
}

// validateChild applies what the statutory returns need of every child: identifiers, exactly one of birth date and
// expected birth date, sex (U for an unborn child), ethnicity and disabilities.
func (p *Person) validateChild(pr *problems, today civil.Date) {
	pr.addErr("la_child_id", CheckLAChildID(p.LAChildID))
	switch {
	case p.BirthDate.IsZero() && p.ExpectedBirthDate.IsZero():
		pr.add("birth_date", "is required (or an expected birth date for an unborn child)")
	case !p.BirthDate.IsZero() && !p.ExpectedBirthDate.IsZero():
		pr.add("expected_birth_date", "must be empty once the birth date is known")
	}
	if p.Unborn() && p.Sex != "" && p.Sex != "U" {
		pr.add("sex", "must be U for an unborn child")
	}
	if !p.ExpectedBirthDate.IsZero() && p.ExpectedBirthDate.After(today.AddDays(300)) {
		pr.add("expected_birth_date", "must be within 300 days of today")
	}
	if p.Sex == "" {
		pr.add("sex", "is required")
	} else {
		oneOf(pr, "sex", p.Sex, "M", "F", "U")
	}
	optionalCode(pr, "ethnicity", ListEthnicity, p.Ethnicity)
	seen := map[string]bool{}
	for i, d := range p.Disabilities {
		code(pr, fieldAt("disabilities", i), ListDisability, d)
		if seen[d] {
			pr.add(fieldAt("disabilities", i), "%q is listed twice", d)
		}
		seen[d] = true
	}
	if seen["NONE"] && len(p.Disabilities) > 1 {
		pr.add("disabilities", "NONE cannot be combined with other codes")
	}
	if !p.UASCCeased.IsZero() && !p.UASC {
		pr.add("uasc_ceased", "is only given for an unaccompanied asylum-seeking child")
	}
	ordered(pr, "birth_date", p.BirthDate, "uasc_ceased", p.UASCCeased)
	if p.Mother && p.Sex != "F" {
		pr.add("mother", "is only recorded for a girl")
	}
	if !p.FirstChildBorn.IsZero() && !p.Mother {
		pr.add("first_child_born", "is only given when mother is true")
	}
	notFuture(pr, "first_child_born", p.FirstChildBorn, today)
	ordered(pr, "birth_date", p.BirthDate, "first_child_born", p.FirstChildBorn)
}

// Relationship types, from the child's (subject's) point of view: the other person is the child's mother, and so on.
var relationshipTypes = []string{
	"mother", "father", "parent", "step_parent", "carer", "sibling", "half_sibling", "step_sibling",
	"grandparent", "aunt_uncle", "other_relative", "partner_of_parent", "significant_adult", "child",
}

// Relationship links the file's person to another person: parents, carers, siblings and other significant adults.
// Relationships let a worker see the family as a whole ("think family").
type Relationship struct {
	Meta                   `json:"-"`
	OtherID                string     `json:"other_id"`
	Type                   string     `json:"type"`
	ParentalResponsibility bool       `json:"parental_responsibility,omitempty"`
	Start                  civil.Date `json:"start,omitzero"`
	End                    civil.Date `json:"end,omitzero"`
	Note                   string     `json:"note,omitempty"`
}

func (*Relationship) Kind() Kind { return KindRelationship }
func (r *Relationship) Index() Index {
	return Index{RelatedID: r.OtherID, Start: r.Start, End: r.End, Code: r.Type}
}

func (r *Relationship) Validate(today civil.Date) error {
	var p problems
	if r.OtherID == "" {
		p.add("other_id", "is required")
	}
	oneOf(&p, "type", r.Type, relationshipTypes...)
	ordered(&p, "start", r.Start, "end", r.End)
	notFuture(&p, "end", r.End, today)
	optionalText(&p, "note", r.Note, 500)
	return p.err()
}

// RelationshipTypes lists the relationship types a form may offer.
func RelationshipTypes() []string { return relationshipTypes }

// Household is a home shared by people over time. It is the root of its own small file; people join and leave it
// through HouseholdMember records on their own files.
type Household struct {
	Meta    `json:"-"`
	Name    string  `json:"name,omitempty"`
	Address Address `json:"address"`
}

func (*Household) Kind() Kind     { return KindHousehold }
func (h *Household) Index() Index { return Index{Code: h.Address.Postcode} }

func (h *Household) Validate(civil.Date) error {
	var p problems
	h.Address.Postcode = NormalisePostcode(h.Address.Postcode)
	if h.Address.Postcode == "" && len(h.Address.Lines) == 0 {
		p.add("address", "needs at least a first line or a postcode")
	}
	checkPostcode(&p, "address.postcode", h.Address.Postcode)
	optionalText(&p, "name", h.Name, 100)
	return p.err()
}

// HouseholdMember records that the file's person lived in a household from Start to End.
type HouseholdMember struct {
	Meta        `json:"-"`
	HouseholdID string     `json:"household_id"`
	Start       civil.Date `json:"start"`
	End         civil.Date `json:"end,omitzero"`
}

func (*HouseholdMember) Kind() Kind { return KindHouseholdMember }
func (m *HouseholdMember) Index() Index {
	return Index{RelatedID: m.HouseholdID, Start: m.Start, End: m.End}
}

func (m *HouseholdMember) Validate(today civil.Date) error {
	var p problems
	if m.HouseholdID == "" {
		p.add("household_id", "is required")
	}
	required(&p, "start", m.Start)
	notFuture(&p, "start", m.Start, today)
	notFuture(&p, "end", m.End, today)
	ordered(&p, "start", m.Start, "end", m.End)
	return p.err()
}

func fieldAt(field string, i int) string {
	return field + "[" + strconv.Itoa(i) + "]"
}
