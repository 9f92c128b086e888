package synth

import "fmt"

// Scale is the size of a synthetic council and the rates its children's services run at.
type Scale struct {
	Name string
	// Children is the population aged 0 to 17: the denominator of every rate per 10,000.
	Children int
	Rates    Rates
}

// Rates are the flows a council's records follow, per 10,000 children a year unless they say otherwise. They
// come from the domain brief (sections 3.3 and 3.4): England's published figures for the england scale, the
// Buckinghamshire parameter sheet for the county and small scales.
type Rates struct {
	Contacts, Referrals, Section47s, ICPCs, CLAStarts, EarlyHelp float64
	// CLAStock is the children in care when the period starts; CPStock and CINStock are the children on plans and
	// in need at 31 March the flows should settle at.
	CLAStock, CPStock, CINStock float64
	// ReReferral is the share of referrals within 12 months of the child's previous referral.
	ReReferral float64
	// NFA is the share of referrals that lead to no further action.
	NFA float64
	// PlanAfterICPC is the share of initial conferences that decide on a plan.
	PlanAfterICPC float64
	// NotInNeed is the share of completed assessments that find the child not in need.
	NotInNeed float64
	// CINPlanDays is the mean length of a child in need plan.
	CINPlanDays int
	// InAreaStart and InAreaEnd are the shares of children in care placed inside the council's area at the start
	// and end of the period; the share moves steadily between them as sufficiency work brings placements home.
	InAreaStart, InAreaEnd float64
	// Caseload is the cases a full-time social worker holds; Agency the share of social workers from agencies.
	Caseload, Agency float64
	// EET and Suitable are the shares of care leavers aged 19 to 21 in education, employment or training and in
	// suitable accommodation.
	EET, Suitable float64
	// Council names the council in geo's table; its postcode districts are the area.
	Council string
}

// countyRates is the Buckinghamshire scenario of the brief's parameter sheet: about 9,900 referrals, 2,150 section
// 47 enquiries and 720 initial conferences a year for 124,000 children, 520 in care, 27% re-referrals, and the
// middles of its ranges for stocks (550–750 plans, 3,300–3,500 children in need).
var countyRates = Rates{
	Contacts: 1600, Referrals: 800, Section47s: 173, ICPCs: 58, CLAStarts: 17, EarlyHelp: 240, CLAStock: 42, CPStock: 52, CINStock: 274,
	ReReferral: 0.27, NFA: 0.07, PlanAfterICPC: 0.85, NotInNeed: 0.45, CINPlanDays: 85, InAreaStart: 0.48, InAreaEnd: 0.55,
	Caseload: 16, Agency: 0.18, EET: 0.60, Suitable: 0.89, Council: "Buckinghamshire",
}

// englandRates is England's: 520 referrals, 190 section 47s and 62 initial conferences per 10,000 a year, 68 in
// care, 22% re-referrals, 60% placed inside the area.
var englandRates = Rates{
	Contacts: 1050, Referrals: 520, Section47s: 190, ICPCs: 62, CLAStarts: 27, EarlyHelp: 200, CLAStock: 68, CPStock: 42, CINStock: 333,
	ReReferral: 0.22, NFA: 0.07, PlanAfterICPC: 0.82, NotInNeed: 0.30, CINPlanDays: 250, InAreaStart: 0.60, InAreaEnd: 0.60,
	Caseload: 16, Agency: 0.18, EET: 0.62, Suitable: 0.85, Council: "Buckinghamshire",
}

// Scales are the sizes DESIGN.md names.
var Scales = map[string]Scale{
	"small":   {Name: "small", Children: 5000, Rates: countyRates},
	"county":  {Name: "county", Children: 124000, Rates: countyRates},
	"england": {Name: "england", Children: 12000000, Rates: englandRates},
}

// ScaleNamed returns the named scale.
func ScaleNamed(name string) (Scale, error) {
	s, ok := Scales[name]
	if !ok {
		return s, fmt.Errorf("unknown scale %q: want small, county or england", name)
	}
	return s, nil
}

// perYear turns a rate per 10,000 into a count a year for the scale's population.
func (s Scale) perYear(rate float64) float64 { return rate * float64(s.Children) / 10000 }
