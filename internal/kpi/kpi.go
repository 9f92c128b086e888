// Package kpi is the dictionary of the council's performance indicators: each one's population, numerator,
// denominator, period and exclusions written down once, in code, and computed from children's files as they are
// read, one child at a time.
package kpi

import (
	"math"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/timescale"
	"github.com/continuum-cs/continuum/internal/workday"
)

// Unit is how an indicator's value reads.
type Unit string

const (
	PerTenThousand Unit = "per 10,000 children"
	Percent        Unit = "%"
	Cases          Unit = "cases"
)

// Better says which way an indicator should move.
type Better string

const (
	Higher  Better = "higher"
	Lower   Better = "lower"
	Neither Better = "" // context, not a target: a rate of referrals is neither good nor bad in itself
)

// Comparator is a published figure to set the council's beside.
type Comparator struct {
	Value  float64
	Year   string // the year it is for, such as 2024-25
	Source string
}

// Indicator is one entry of the dictionary.
type Indicator struct {
	Code, Name string
	Unit       Unit
	Better     Better
	// Population, Numerator and Denominator say exactly what is counted; the period is the collection year
	// (1 April to 31 March) unless they say "at 31 March".
	Population, Numerator, Denominator string
	England                            *Comparator
	// observe adds one child's file to the counts; finish, for an indicator of the workforce, counts once all
	// files are seen.
	observe func(c *child, t *tally)
	finish  func(k *Counter, t *tally)
}

// Value is an indicator worked out for a year.
type Value struct {
	Indicator
	Numerator, Denominator float64
	// Value is the numerator over the denominator, per 10,000 or as a percentage; NaN when there is nothing to
	// divide by.
	Value float64
}

// tally holds one indicator's counts.
type tally struct{ num, den float64 }

// Counter works out every indicator for a year from the files it is shown.
type Counter struct {
	y        returns.Year
	cal      *workday.Calendar
	children int
	council  Council
	tallies  []tally
}

// Council is what the indicators count that is not in children's files one at a time: the workforce at the end
// of the year, and how the year's statutory work stood against its timescales.
type Council struct {
	Staff []Staff
	// Held counts each worker's cases open at the end of the year: episodes of need allocated to them.
	Held map[string]int
	// Due counts the due items of each timescale rule that fell due in the year (up to today, in a year not yet
	// over), by status.
	Due map[string]map[timescale.Status]int
}

// Staff is a member of the workforce as the workforce indicators need them.
type Staff struct {
	ID     string
	Role   string
	FTE    float64
	Agency bool
	// Started and Left bound when they were in the workforce; zero when not known.
	Started, Left civil.Date
}

// socialWorkerOn tells whether s was a social worker in the workforce at the end of day d.
func (s Staff) socialWorkerOn(d civil.Date) bool {
	return s.Role == casework.RoleSocialWorker && !s.Started.After(d) && (s.Left.IsZero() || s.Left.After(d))
}

// NewCounter starts the indicators for year y, with children the population aged 0 to 17 (the ONS mid-year
// estimate), cal the council's working days, and what council holds of its workforce and due work.
func NewCounter(y returns.Year, children int, cal *workday.Calendar, council Council) *Counter {
	return &Counter{y: y, cal: cal, children: children, council: council, tallies: make([]tally, len(Dictionary))}
}

// Observe adds one child's file to the counts.
func (k *Counter) Observe(f *casework.File) {
	p := f.Person()
	if p == nil || p.Role != casework.RoleChild {
		return
	}
	k.observe(newChild(f, p, k.y, k.cal))
}

func (k *Counter) observe(c *child) {
	for i, ind := range Dictionary {
		if ind.observe != nil {
			ind.observe(c, &k.tallies[i])
		}
	}
}

// addDue adds the counts of due items by rule and status.
func (k *Counter) addDue(rules map[string]map[timescale.Status]int) {
	if k.council.Due == nil {
		k.council.Due = map[string]map[timescale.Status]int{}
	}
	for rule, statuses := range rules {
		if k.council.Due[rule] == nil {
			k.council.Due[rule] = map[timescale.Status]int{}
		}
		for status, n := range statuses {
			k.council.Due[rule][status] += n
		}
	}
}

// WithHeld sets each worker's cases held at the end of the period.
func (k *Counter) WithHeld(held map[string]int) *Counter {
	k.council.Held = held
	return k
}

// WithStaff sets the workforce at the end of the period.
func (k *Counter) WithStaff(staff []Staff) *Counter {
	k.council.Staff = staff
	return k
}

// Values are the indicators as counted so far, in dictionary order.
func (k *Counter) Values() []Value {
	out := make([]Value, len(Dictionary))
	for i, ind := range Dictionary {
		t := k.tallies[i]
		if ind.finish != nil {
			t = tally{}
			ind.finish(k, &t)
		}
		v := Value{Indicator: ind, Numerator: t.num, Denominator: t.den}
		if ind.Unit == PerTenThousand {
			v.Denominator = float64(k.children)
		}
		switch {
		case v.Denominator == 0:
			v.Value = math.NaN()
		case ind.Unit == PerTenThousand:
			v.Value = v.Numerator / v.Denominator * 10000
		case ind.Unit == Cases:
			v.Value = v.Numerator / v.Denominator
		default:
			v.Value = v.Numerator / v.Denominator * 100
		}
		out[i] = v
	}
	return out
}

// child is a file seen as the indicators need it.
type child struct {
	f        *casework.File
	p        *casework.Person
	y        returns.Year
	cal      *workday.Calendar
	episodes []*casework.Episode // by referral date
	byID     map[string]*casework.Episode
}

func newChild(f *casework.File, p *casework.Person, y returns.Year, cal *workday.Calendar) *child {
	c := &child{f: f, p: p, y: y, cal: cal, episodes: casework.All[*casework.Episode](f), byID: map[string]*casework.Episode{}}
	sortBy(c.episodes, func(e *casework.Episode) civil.Date { return e.ReferralDate })
	for _, e := range c.episodes {
		c.byID[e.ID] = e
	}
	return c
}

// openOn tells whether something running from start to end (zero while it runs) was under way on day d.
func openOn(start, end, d civil.Date) bool {
	return !start.IsZero() && !start.After(d) && (end.IsZero() || end.After(d))
}

// workingDays counts the working days from a to b, and reports whether it could (both dates known and in the
// calendar's range).
func (c *child) workingDays(a, b civil.Date) (int, bool) {
	if a.IsZero() || b.IsZero() {
		return 0, false
	}
	n, err := c.cal.Between(a, b)
	return n, err == nil
}
