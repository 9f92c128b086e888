package synth

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/kpi"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/workday"
)

// Figure is one calibrated figure: the target the brief gives, the range counted as close enough, and what the
// data holds.
type Figure struct {
	Name      string
	Unit      string
	Target    float64
	Low, High float64
	Got       float64
}

// OK reports whether the figure is within tolerance.
func (f Figure) OK() bool { return !math.IsNaN(f.Got) && f.Got >= f.Low && f.Got <= f.High }

// Measure reads children's files and works out the calibrated figures for the last complete financial year
// before now (1 April to 31 March), with the stocks at its 31 March, and the share placed inside the area at the
// first 31 March of the period.
type Measure struct {
	scale          Scale
	cal            *workday.Calendar
	from, to       civil.Date // the financial year
	firstMar       civil.Date // the first 31 March of the period
	lastDay        civil.Date
	n              map[string]float64
	reReferralGaps []int
	// indicators counts the year by the KPI dictionary, for the figures it defines; held counts each worker's
	// episodes of need open and allocated to them at the end of 31 March, as the caseload indicator needs.
	indicators *kpi.Counter
	held       map[string]int
}

// NewMeasure prepares to measure a council of the scale whose data runs over years ending the day before now.
func NewMeasure(scale Scale, years int, now time.Time) *Measure {
	today := casework.Today(now)
	y := today.Year
	if today.Month < time.April {
		y--
	}
	start := today.AddMonths(-12 * years)
	first := civil.New(start.Year, time.March, 31)
	if first.Before(start) {
		first = civil.New(start.Year+1, time.March, 31)
	}
	cal, year := workday.EnglandAndWales(), returns.Year{Start: civil.New(y-1, time.April, 1), End: civil.New(y, time.March, 31)}
	return &Measure{scale: scale, cal: cal, from: year.Start, to: year.End, firstMar: first, lastDay: today.AddDays(-1),
		n: map[string]float64{}, indicators: kpi.NewCounter(year, scale.Children, cal, kpi.Council{}), held: map[string]int{}}
}

func (m *Measure) in(d civil.Date) bool { return !d.Before(m.from) && !d.After(m.to) }

func openOn(start, end, d civil.Date) bool {
	return !start.After(d) && (end.IsZero() || end.After(d))
}

// Observe adds one child's file to the figures.
func (m *Measure) Observe(f *casework.File) {
	p := f.Person()
	if p == nil || p.Role != casework.RoleChild {
		return
	}
	m.indicators.Observe(f)
	n, d := m.n, m.to
	for _, c := range casework.All[*casework.Contact](f) {
		if m.in(civil.Of(c.ReceivedAt.In(casework.London()))) {
			n["contacts"]++
		}
	}
	episodes := casework.All[*casework.Episode](f)
	slices.SortFunc(episodes, func(a, b *casework.Episode) int { return a.ReferralDate.Compare(b.ReferralDate) })
	inNeed := false
	for i, ep := range episodes {
		if openOn(ep.ReferralDate, ep.ClosureDate, d) && !ep.NFA {
			inNeed = true
		}
		if !m.in(ep.ReferralDate) {
			continue
		}
		n["referrals"]++
		if ep.NFA {
			n["nfa"]++
		} else {
			n["need:"+ep.PrimaryNeed]++
		}
		n["source:"+sourceGroup(ep.Source)]++
		if i > 0 {
			prev := episodes[i-1].ReferralDate
			n["rereferrals"]++
			if !prev.Before(ep.ReferralDate.AddMonths(-3)) {
				n["regap3"]++
			}
		}
	}
	if inNeed {
		n["cin"]++
		if p.Sex == "M" {
			n["cin male"]++
		}
	}
	byID := map[string]*casework.Episode{}
	for _, ep := range episodes {
		byID[ep.ID] = ep
	}
	for _, a := range casework.All[*casework.Assessment](f) {
		if a.Completed.IsZero() || !m.in(a.Completed) {
			continue
		}
		n["assessments"]++
		if ep := byID[a.EpisodeID]; ep != nil {
			wd, err := m.cal.Between(ep.ReferralDate, a.Completed)
			if err == nil && wd >= 41 && wd <= 45 {
				n["assess41"]++
			}
		}
		n["factors"] += float64(len(a.Factors))
	}
	for _, plan := range casework.All[*casework.CPPlan](f) {
		if m.in(plan.Start) {
			n["cpp starts"]++
			n["category:"+plan.InitialCategory]++
		}
		if !plan.End.IsZero() && m.in(plan.End) {
			n["cpp ended"]++
			if !plan.End.After(plan.Start.AddMonths(3)) {
				n["cpp 3m"]++
			}
		}
	}
	m.lookedAfter(f)
	for _, a := range casework.All[*casework.Allocation](f) {
		if ep := byID[a.CaseID]; ep != nil && a.WorkerID != "" && openOn(a.Start, a.End, d) && openOn(ep.ReferralDate, ep.ClosureDate, d) {
			m.held[a.WorkerID]++
		}
	}
}

// sourceGroup groups referral sources as the published figures do.
func sourceGroup(code string) string {
	switch {
	case code == "6":
		return "police"
	case code == "2A":
		return "schools"
	case strings.HasPrefix(code, "3"):
		return "health"
	}
	return "other"
}

func (m *Measure) lookedAfter(f *casework.File) {
	n, d := m.n, m.to
	for _, per := range f.PeriodsOfCare() {
		if m.in(per.Start) {
			n["cla starts"]++
		}
	}
	statuses := casework.All[*casework.LegalStatus](f)
	placements := casework.All[*casework.Placement](f)
	looked := func(on civil.Date) *casework.LegalStatus {
		for _, ls := range statuses {
			if openOn(ls.Start, ls.End, on) && !casework.ShortBreaks(ls.Code) {
				return ls
			}
		}
		return nil
	}
	placed := func(on civil.Date) *casework.Placement {
		for _, pl := range placements {
			if openOn(pl.Start, pl.End, on) {
				return pl
			}
		}
		return nil
	}
	if ls := looked(m.firstMar); ls != nil {
		if pl := placed(m.firstMar); pl != nil {
			n["cla first"]++
			if pl.InArea {
				n["inarea first"]++
			}
		}
	}
	inYear := false
	for _, ls := range statuses {
		if !ls.Start.After(m.to) && (ls.End.IsZero() || !ls.End.Before(m.from)) {
			inYear = true
		}
	}
	if inYear {
		n["cla in year"]++
		for _, ms := range casework.All[*casework.Missing](f) {
			if m.in(ms.Start) {
				n["missing"]++
				break
			}
		}
	}
	ls := looked(d)
	if ls == nil {
		return
	}
	n["cla"]++
	n["ls:"+map[string]string{"C1": "care order", "C2": "care order", "V2": "V2", "E1": "E1"}[ls.Code]]++
	if pl := placed(d); pl != nil && strings.HasPrefix(pl.Type, "U") {
		n["foster"]++
	}
}

// Figures compares what was observed with the scale's targets. staff is the workforce at the end of the period.
// The figures the KPI dictionary defines are its indicators for the year, so the synthetic council is calibrated
// by the same definitions the performance pages report; the rest are the generator's own.
func (m *Measure) Figures(staff []kpi.Staff) []Figure {
	n, r := m.n, m.scale.Rates
	per10k := func(x float64) float64 { return x * 10000 / float64(m.scale.Children) }
	pct := func(a, b float64) float64 {
		if b == 0 {
			return math.NaN()
		}
		return 100 * a / b
	}
	rate := func(name string, target, got, tol float64) Figure {
		return Figure{Name: name, Unit: "per 10,000", Target: target, Low: target * (1 - tol), High: target * (1 + tol), Got: got}
	}
	share := func(name string, target, got, tol float64) Figure {
		return Figure{Name: name, Unit: "%", Target: target, Low: target - tol, High: target + tol, Got: got}
	}
	indicator := map[string]float64{}
	for _, v := range m.indicators.WithStaff(staff).WithHeld(m.held).Values() {
		indicator[v.Code] = v.Value
	}
	return []Figure{
		rate("contacts", r.Contacts, per10k(n["contacts"]), 0.12),
		rate("referrals", r.Referrals, indicator["referrals"], 0.10),
		share("re-referrals within 12 months", 100*r.ReReferral, indicator["rereferrals"], 5),
		share("referrals with no further action", 100*r.NFA, indicator["nfa"], 3),
		share("re-referrals within 3 months of the last", 38.3, pct(n["regap3"], n["rereferrals"]), 8),
		share("referrals from the police", 27, pct(n["source:police"], n["referrals"]), 4),
		share("referrals from schools", 16, pct(n["source:schools"], n["referrals"]), 4),
		share("referrals from health services", 15, pct(n["source:health"], n["referrals"]), 4),
		share("primary need: abuse or neglect (N1)", 50, pct(n["need:N1"], n["referrals"]-n["nfa"]), 5),
		rate("assessments completed", r.Referrals*(1-r.NFA), per10k(n["assessments"]), 0.12),
		share("assessments within 45 working days", 85.7, indicator["assessments45"], 5),
		share("assessments completed in working days 41–45", 18.9, pct(n["assess41"], n["assessments"]), 4),
		{Name: "factors per assessment (1 to 4)", Unit: "factors", Target: 2.5, Low: 2.2, High: 2.8, Got: n["factors"] / n["assessments"]},
		rate("section 47 enquiries", r.Section47s, indicator["s47"], 0.12),
		rate("initial conferences", r.ICPCs, indicator["icpcs"], 0.15),
		share("initial conferences within 15 working days", 81.4, indicator["icpc15"], 6),
		rate("child protection plans started", r.ICPCs*r.PlanAfterICPC, per10k(n["cpp starts"]), 0.15),
		share("plans for neglect", 50.5, pct(n["category:NEG"], n["cpp starts"]), 8),
		share("plans for emotional abuse", 35.7, pct(n["category:EMO"], n["cpp starts"]), 8),
		share("plans for a second or subsequent time", 16.6, indicator["cppSecond"], 5),
		share("plans ended lasting two years or more", 4.4, indicator["cpp2y"], 3),
		share("plans ended within three months", 15.9, pct(n["cpp 3m"], n["cpp ended"]), 6),
		rate("children on a plan at 31 March", r.CPStock, indicator["cpp"], 0.25),
		rate("children in need at 31 March", r.CINStock, indicator["cin"], 0.15),
		share("children in need who are boys", 53, pct(n["cin male"], n["cin"]), 4),
		rate("children in care at 31 March", r.CLAStock, indicator["cla"], 0.15),
		rate("children starting to be looked after", r.CLAStarts, per10k(n["cla starts"]), 0.25),
		share("in care on a care order (C1, C2)", 77, pct(n["ls:care order"], n["cla"]), 12),
		share("in care under section 20 (V2)", 17, pct(n["ls:V2"], n["cla"]), 8),
		share("in care in foster placements", 67, pct(n["foster"], n["cla"]), 10),
		share("placed inside the area at the start", 100*r.InAreaStart, pct(n["inarea first"], n["cla first"]), 7),
		share("placed inside the area at the end", 100*r.InAreaEnd, indicator["inArea"], 7),
		share("placed more than 20 miles from home", 22, indicator["miles20"], 10),
		share("in care with three or more placements in the year", 10, indicator["placements3"], 5),
		share("long-term placement stability", 68, indicator["stability"], 8),
		share("in care and missing in the year", 11, pct(n["missing"], n["cla in year"]), 5),
		share("care leavers 19–21 in education, employment or training", 100*r.EET, indicator["leaversEET"], 10),
		share("care leavers 19–21 in suitable accommodation", 100*r.Suitable, indicator["leaversSuitable"], 8),
		{Name: "cases per social worker (FTE)", Unit: "cases", Target: r.Caseload, Low: r.Caseload - 3, High: r.Caseload + 3, Got: indicator["caseload"]},
		share("agency social workers", 100*r.Agency, indicator["agency"], 6),
	}
}

// Report prints the figures, one line each, and returns how many are outside tolerance.
func Report(figures []Figure) (string, int) {
	var b strings.Builder
	bad := 0
	fmt.Fprintf(&b, "%-58s %10s %10s %17s  %s\n", "figure", "target", "generated", "tolerance", "")
	for _, f := range figures {
		verdict := "ok"
		if !f.OK() {
			verdict, bad = "OUTSIDE", bad+1
		}
		fmt.Fprintf(&b, "%-58s %10.1f %10.1f %7.1f – %-7.1f  %s\n", f.Name+" ("+f.Unit+")", f.Target, f.Got, f.Low, f.High, verdict)
	}
	return b.String(), bad
}
