// Package timescale turns a child's file into the work that statutory and local timescales ask for: each due item
// names its rule and the rule's version, the fact that started its clock, the due date, and whether it was done
// on time, late (with the reason, when one is recorded) or not at all.
//
// The rules are data (rules.json, from rules R1–R28 of the domain brief plus local ones); how each rule's clock
// starts and what completes it is code, one function per rule, in derive.go. A council may change the amount and
// unit of the rules marked local, never the statutory ones.
package timescale

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/workday"
)

//go:embed rules.json
var rulesJSON []byte

// Unit is what a rule's amount counts.
type Unit string

// Units.
const (
	WorkingDays Unit = "working_days"
	Days        Unit = "days"
	Weeks       Unit = "weeks"
	Months      Unit = "months"
	Hours       Unit = "hours"
	// OfficeHours count only while the front door is open (Office).
	OfficeHours Unit = "office_hours"
)

// Office is when the front door is staffed: 09:00 to 17:00 London time on working days.
var Office = workday.OfficeHours{Open: 9 * time.Hour, Close: 17 * time.Hour, Location: casework.London()}

// Rule is one timescale.
type Rule struct {
	Code       string `json:"code"`
	Version    int    `json:"version"`
	Title      string `json:"title"`
	ClockStart string `json:"clock_start"`
	Amount     int    `json:"amount"`
	Unit       Unit   `json:"unit"`
	// AltAmount and AltUnit apply when AltWhen holds (R18, R20, R26, R27 have two intervals).
	AltAmount int    `json:"alt_amount,omitempty"`
	AltUnit   Unit   `json:"alt_unit,omitempty"`
	AltWhen   string `json:"alt_when,omitempty"`
	// Local rules may be changed by the council; the others are statutory.
	Local  bool   `json:"local,omitempty"`
	Source string `json:"source"`
}

// Describe says the rule's deadline in words: "45 working days".
func (r Rule) Describe() string { return describe(r.Amount, r.Unit) }

func describe(n int, u Unit) string {
	word := map[Unit]string{WorkingDays: "working day", Days: "day", Weeks: "week", Months: "month", Hours: "hour",
		OfficeHours: "office hour"}[u]
	if n != 1 {
		word += "s"
	}
	return fmt.Sprintf("%d %s", n, word)
}

// catalogue is rules.json, parsed once.
var catalogue = sync.OnceValue(func() []Rule {
	var rules []Rule
	if err := json.Unmarshal(rulesJSON, &rules); err != nil {
		panic(fmt.Sprintf("timescale: rules.json: %v", err))
	}
	return rules
})

// Catalogue returns the rules as shipped, in code order.
func Catalogue() []Rule { return slices.Clone(catalogue()) }

// Lookup returns the shipped rule with this code.
func Lookup(code string) (Rule, bool) {
	for _, r := range catalogue() {
		if r.Code == code {
			return r, true
		}
	}
	return Rule{}, false
}

// Override is a council's change to a local rule. Version is the rule's version once changed; each change to a
// rule's timescale is a new version, so due items computed under the old one can be told apart.
type Override struct {
	Code    string `json:"code"`
	Version int    `json:"version"`
	Amount  int    `json:"amount"`
	Unit    Unit   `json:"unit"`
}

// Rules is the set of rules in force for a council, with its working-day calendar.
type Rules struct {
	byCode map[string]Rule
	cal    *workday.Calendar
}

// New returns the catalogue with the council's overrides applied. An override of an unknown rule, of a statutory
// rule, or with a nonsensical amount or unit is an error naming the rule.
func New(cal *workday.Calendar, overrides ...Override) (*Rules, error) {
	r := &Rules{byCode: map[string]Rule{}, cal: cal}
	for _, rule := range catalogue() {
		r.byCode[rule.Code] = rule
	}
	for _, o := range overrides {
		rule, ok := r.byCode[o.Code]
		switch {
		case !ok:
			return nil, casework.Invalid("code", "%q is not a rule; rules are R1 to R28, their local variants and S1", o.Code)
		case !rule.Local:
			return nil, casework.Invalid("code", "rule %s (%s) is statutory: its timescale cannot be changed locally", o.Code, rule.Title)
		case (rule.Unit == OfficeHours) != (o.Unit == OfficeHours):
			return nil, casework.Invalid("unit", "rule %s is counted in %s; it cannot change to %q", o.Code, rule.Unit, o.Unit)
		case o.Unit != WorkingDays && o.Unit != Days && o.Unit != Weeks && o.Unit != Months && o.Unit != OfficeHours:
			return nil, casework.Invalid("unit", "rule %s: %q is not working_days, days, weeks or months", o.Code, o.Unit)
		case o.Amount < 1 || o.Amount > 366:
			return nil, casework.Invalid("amount", "rule %s: %d is not between 1 and 366", o.Code, o.Amount)
		case o.Version <= rule.Version:
			return nil, casework.Invalid("version", "rule %s: a local change needs a version above %d", o.Code, rule.Version)
		}
		rule.Amount, rule.Unit, rule.Version = o.Amount, o.Unit, o.Version
		r.byCode[o.Code] = rule
	}
	return r, nil
}

// Calendar is the working-day calendar the rules count with.
func (r *Rules) Calendar() *workday.Calendar { return r.cal }

// Rule returns the rule in force with this code.
func (r *Rules) Rule(code string) (Rule, bool) {
	rule, ok := r.byCode[code]
	return rule, ok
}

// All returns the rules in force, in code order.
func (r *Rules) All() []Rule {
	out := make([]Rule, 0, len(r.byCode))
	for _, rule := range r.byCode {
		out = append(out, rule)
	}
	sort.Slice(out, func(i, j int) bool { return codeLess(out[i].Code, out[j].Code) })
	return out
}

// codeLess orders R2 before R10 and R10 before R10.1.
func codeLess(a, b string) bool {
	pa, na, sa := splitCode(a)
	pb, nb, sb := splitCode(b)
	if pa != pb {
		return pa < pb
	}
	if na != nb {
		return na < nb
	}
	return sa < sb
}

// splitCode splits "R10.1" into 'R', 10 and 1.
func splitCode(code string) (prefix byte, n, sub int) {
	if code == "" {
		return 0, 0, 0
	}
	prefix = code[0]
	i := 1
	for ; i < len(code) && code[i] != '.'; i++ {
		n = n*10 + int(code[i]-'0')
	}
	for i++; i < len(code); i++ {
		sub = sub*10 + int(code[i]-'0')
	}
	return prefix, n, sub
}

// add moves from by n units.
func (r *Rules) add(from civil.Date, n int, u Unit) (civil.Date, bool) {
	switch u {
	case WorkingDays:
		d, err := r.cal.Add(from, n)
		return d, err == nil
	case Days:
		return from.AddDays(n), true
	case Weeks:
		return from.AddDays(7 * n), true
	case Months:
		return from.AddMonths(n), true
	case Hours:
		// Facts with hour clocks are recorded as dates; a window of whole days of hours ends that many days on.
		return from.AddDays((n + 23) / 24), true
	}
	return civil.Date{}, false
}

// Status is where a due item stands.
type Status string

// Statuses.
const (
	// Open: not done yet and still required. Whether it is overdue depends on the day it is looked at.
	Open Status = "open"
	// Met: done by the due date.
	Met Status = "met"
	// Late: done after the due date.
	Late Status = "late"
	// Missed: never done, and no longer required (the plan or placement ended) after the due date had passed.
	Missed Status = "missed"
)

// Due is one piece of work a timescale asks for.
type Due struct {
	Rule        string
	RuleVersion int
	// SubjectID is the record whose fact started the clock (the episode for R2, the previous visit for R17).
	SubjectID string
	EpisodeID string
	Trigger   civil.Date
	DueDate   civil.Date
	// DueAt is the due instant (UTC) for rules counted in office hours; zero for the rest.
	DueAt time.Time
	// CompletedID is the record that did the work, and Completed its date.
	CompletedID string
	Completed   civil.Date
	Status      Status
	// LateReason is the recorded reason when the item is late or missed.
	LateReason string
}

// OverdueAt reports whether the item is open and past due at the instant now: past its due instant when it has
// one, otherwise past its due date (London time).
func (d Due) OverdueAt(now time.Time) bool {
	if d.Status != Open {
		return false
	}
	if d.DueAt.IsZero() {
		return d.DueDate.Before(casework.Today(now))
	}
	return now.After(d.DueAt)
}

// Compute derives every due item of a file, in due-date order. It is deterministic: the same file and rules give
// the same items, so items are recomputed whenever the file changes and when the rules or calendar change.
func (r *Rules) Compute(f *casework.File) []Due { return r.compute(f, true) }

// ComputeWork derives the items that are work for someone: all but R28, whose items say how promptly things were
// written down and are never anything left to do. Recording timeliness is an indicator, computed from the
// records when it is reported; kept as work it would swamp the queues' tables with history loaded from other
// systems, all of it "recorded late".
func (r *Rules) ComputeWork(f *casework.File) []Due { return r.compute(f, false) }

func (r *Rules) compute(f *casework.File, withRecording bool) []Due {
	c := &computer{rules: r, file: f, reasons: map[[2]string]string{}}
	for _, lr := range casework.All[*casework.LateReason](f) {
		c.reasons[[2]string{lr.Rule, lr.SubjectID}] = lr.Reason
	}
	for _, derive := range derivers {
		derive(c)
	}
	if withRecording {
		recording(c)
	}
	sort.SliceStable(c.out, func(i, j int) bool {
		if c.out[i].DueDate != c.out[j].DueDate {
			return c.out[i].DueDate.Before(c.out[j].DueDate)
		}
		return codeLess(c.out[i].Rule, c.out[j].Rule)
	})
	return c.out
}

// computer gathers a file's due items.
type computer struct {
	rules   *Rules
	file    *casework.File
	reasons map[[2]string]string
	out     []Due
}

// event is a dated record that completes or restarts a clock.
type event struct {
	id   string
	date civil.Date
}

// item adds one due item. done is the completing event, if any; until is when the requirement lapsed (zero
// while it stands). alt chooses the rule's alternative interval.
func (c *computer) item(code, subjectID, episodeID string, trigger civil.Date, done *event, until civil.Date, alt bool) {
	rule, ok := c.rules.byCode[code]
	if !ok || trigger.IsZero() {
		return
	}
	n, u := rule.Amount, rule.Unit
	if alt {
		n, u = rule.AltAmount, rule.AltUnit
	}
	due, ok := c.rules.add(trigger, n, u)
	if !ok {
		return // outside the calendar's years: no due date can be given
	}
	c.itemDue(rule, subjectID, episodeID, trigger, due, done, until)
}

func (c *computer) itemDue(rule Rule, subjectID, episodeID string, trigger, due civil.Date, done *event, until civil.Date) {
	d := Due{Rule: rule.Code, RuleVersion: rule.Version, SubjectID: subjectID, EpisodeID: episodeID, Trigger: trigger,
		DueDate: due, Status: Open}
	switch {
	case done != nil:
		d.CompletedID, d.Completed, d.Status = done.id, done.date, Met
		if done.date.After(due) {
			d.Status = Late
		}
	case !until.IsZero() && until.After(due):
		d.Status = Missed
	case !until.IsZero():
		return // the requirement lapsed before anything was due
	}
	if d.Status == Late || d.Status == Missed {
		d.LateReason = c.reasons[[2]string{rule.Code, subjectID}]
	}
	c.out = append(c.out, d)
}

// itemOfficeHours adds an item due a number of office hours after the instant received; decidedAt is when done
// happened, if it has.
func (c *computer) itemOfficeHours(code, subjectID string, received time.Time, done *event, decidedAt time.Time) {
	rule, ok := c.rules.byCode[code]
	if !ok {
		return
	}
	dueAt, err := c.rules.cal.AddOfficeHours(received, time.Duration(rule.Amount)*time.Hour, Office)
	if err != nil {
		return // outside the calendar's years
	}
	d := Due{Rule: rule.Code, RuleVersion: rule.Version, SubjectID: subjectID, Trigger: londonDate(received),
		DueDate: londonDate(dueAt), DueAt: dueAt.UTC().Truncate(time.Second), Status: Open}
	if done != nil {
		d.CompletedID, d.Completed, d.Status = done.id, done.date, Met
		if decidedAt.After(dueAt) {
			d.Status = Late
			d.LateReason = c.reasons[[2]string{rule.Code, subjectID}]
		}
	}
	c.out = append(c.out, d)
}

// chain adds the items of a repeating requirement: the first due from start, each next one from the event that
// met the one before, until an event is missing. rule picks the rule (and its alternative) for each link.
func (c *computer) chain(start event, events []event, episodeID string, until civil.Date,
	rule func(link int, prev event) (code string, alt bool)) {
	sort.SliceStable(events, func(i, j int) bool { return events[i].date.Before(events[j].date) })
	prev := start
	link := 0
	for _, e := range events {
		if e.date.Before(start.date) || (!until.IsZero() && e.date.After(until)) {
			continue
		}
		code, alt := rule(link, prev)
		c.item(code, prev.id, episodeID, prev.date, &e, until, alt)
		prev, link = e, link+1
	}
	code, alt := rule(link, prev)
	c.item(code, prev.id, episodeID, prev.date, nil, until, alt)
}

// first returns the earliest event on or after from (and on or before to, when to is set).
func first(events []event, from, to civil.Date) *event {
	var best *event
	for i, e := range events {
		if e.date.Before(from) || (!to.IsZero() && e.date.After(to)) {
			continue
		}
		if best == nil || e.date.Before(best.date) {
			best = &events[i]
		}
	}
	return best
}

// londonDate is the London calendar date of an instant.
func londonDate(t time.Time) civil.Date { return civil.Of(t.In(casework.London())) }
