// Package workday counts working days in England and Wales: Monday to Friday, except bank holidays (kept as data
// for 2000 to 2030, with substitute days and one-off holidays) and the council's own closure days. Statutory
// timescales such as "an assessment within 45 working days of referral" are computed here.
//
// Counting follows the convention of the statutory guidance: the day of the triggering event is day 0 and is not
// counted, so Add(d, 1) is the first working day after d whatever d is.
package workday

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
)

//go:embed bank-holidays-england-and-wales.csv
var bankHolidaysCSV []byte

// The years the bank holiday data covers.
var (
	First = civil.New(2000, time.January, 1)
	Last  = civil.New(2030, time.December, 31)
)

// Closure is a weekday on which the council does not work: a bank holiday or a closure day of its own.
type Closure struct {
	Date civil.Date
	Name string
}

// Calendar answers working-day questions for dates from First to Last. It is immutable and safe for concurrent
// use.
type Calendar struct {
	first  int            // day number of First
	closed map[int]string // closed weekdays, by day number
	// cum[i] is the number of working days in [First, First+i].
	cum []int32
	// work lists the working days in order, as offsets from First.
	work []int32
}

// ErrOutOfRange is returned for dates outside the calendar's data.
var ErrOutOfRange = errors.New("outside the working-day calendar")

var (
	england     *Calendar
	englandOnce sync.Once
)

// EnglandAndWales returns the calendar of bank holidays in England and Wales, without any council closures.
func EnglandAndWales() *Calendar {
	englandOnce.Do(func() {
		holidays, err := parseHolidays(bankHolidaysCSV)
		if err != nil {
			panic(fmt.Sprintf("workday: embedded bank holidays: %v", err))
		}
		england = build(holidays)
	})
	return england
}

func parseHolidays(data []byte) ([]Closure, error) {
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []Closure
	for i, row := range rows[1:] {
		d, err := civil.Parse(row[0])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+2, err)
		}
		out = append(out, Closure{Date: d, Name: row[1]})
	}
	return out, nil
}

func build(closures []Closure) *Calendar {
	c := &Calendar{first: First.Days(), closed: make(map[int]string, len(closures))}
	for _, cl := range closures {
		c.closed[cl.Date.Days()] = cl.Name
	}
	n := Last.Days() - c.first + 1
	c.cum = make([]int32, n)
	var count int32
	for i := range n {
		if c.isWorking(c.first + i) {
			count++
			c.work = append(c.work, int32(i))
		}
		c.cum[i] = count
	}
	return c
}

// WithClosures returns a calendar with the council's own closure days added. A closure must be a weekday inside
// the calendar's years that is not already a bank holiday.
func (c *Calendar) WithClosures(closures ...Closure) (*Calendar, error) {
	all := make([]Closure, 0, len(c.closed)+len(closures))
	for day, name := range c.closed {
		all = append(all, Closure{Date: civil.FromDays(day), Name: name})
	}
	for _, cl := range closures {
		if err := c.check(cl.Date); err != nil {
			return nil, err
		}
		if wd := cl.Date.Weekday(); wd == time.Saturday || wd == time.Sunday {
			return nil, fmt.Errorf("closure %s is a %s, not a working day", cl.Date, wd)
		}
		if name, ok := c.closed[cl.Date.Days()]; ok {
			return nil, fmt.Errorf("closure %s is already closed: %s", cl.Date, name)
		}
		for _, earlier := range all[len(c.closed):] {
			if earlier.Date == cl.Date {
				return nil, fmt.Errorf("closure %s is already closed: %s", cl.Date, earlier.Name)
			}
		}
		all = append(all, cl)
	}
	return build(all), nil
}

func (c *Calendar) isWorking(day int) bool {
	wd := civil.FromDays(day).Weekday()
	if wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, closed := c.closed[day]
	return !closed
}

func (c *Calendar) check(d civil.Date) error {
	if d.Before(First) || d.After(Last) {
		return fmt.Errorf("%s is %w (%s to %s)", d, ErrOutOfRange, First, Last)
	}
	return nil
}

// offset is d's index into cum, once checked.
func (c *Calendar) offset(d civil.Date) (int, error) {
	if err := c.check(d); err != nil {
		return 0, err
	}
	return d.Days() - c.first, nil
}

// IsWorkingDay reports whether d is a working day; dates outside the calendar are an error.
func (c *Calendar) IsWorkingDay(d civil.Date) (bool, error) {
	i, err := c.offset(d)
	if err != nil {
		return false, err
	}
	return c.isWorking(c.first + i), nil
}

// Closures lists the bank holidays and closure days of one year, in date order.
func (c *Calendar) Closures(year int) []Closure {
	var out []Closure
	for day, name := range c.closed {
		if d := civil.FromDays(day); d.Year == year {
			out = append(out, Closure{Date: d, Name: name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// Add returns the date n working days after d (before it, for negative n). Day 0 is d itself and is not
// counted, so Add(Friday, 1) is the next Monday if that is a working day, and Add(Saturday, 1) is the same Monday.
// Add(d, 0) is d.
func (c *Calendar) Add(d civil.Date, n int) (civil.Date, error) {
	i, err := c.offset(d)
	if err != nil {
		return civil.Date{}, err
	}
	if n == 0 {
		return d, nil
	}
	// k is the index into work of the answer.
	k := int(c.cum[i]) + n - 1
	if n < 0 {
		k = int(c.cum[i]) + n
		if c.isWorking(c.first + i) {
			k--
		}
	}
	if k < 0 || k >= len(c.work) {
		return civil.Date{}, fmt.Errorf("%d working days from %s is %w (%s to %s)", n, d, ErrOutOfRange, First, Last)
	}
	return civil.FromDays(c.first + int(c.work[k])), nil
}

// Between counts the working days after a up to and including b: Between(d, Add(d, n)) is n. It is negative
// when b is before a.
func (c *Calendar) Between(a, b civil.Date) (int, error) {
	i, err := c.offset(a)
	if err != nil {
		return 0, err
	}
	j, err := c.offset(b)
	if err != nil {
		return 0, err
	}
	return int(c.cum[j]) - int(c.cum[i]), nil
}
