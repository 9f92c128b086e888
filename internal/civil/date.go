// Package civil holds the calendar date used for every date of a child's record (referral, birth, placement start).
// A civil date has no time of day and no time zone, so a referral received late on 31 March stays in that reporting
// year wherever the server runs. Instants (when something was recorded) stay time.Time in UTC.
package civil

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a day in the proleptic Gregorian calendar. The zero Date means "no date" and is stored as NULL.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// layout is the ISO 8601 form used everywhere a date is written down: forms, JSON, SQL and the CIN census.
const layout = "2006-01-02"

// Of returns the calendar date of t in t's own location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// New returns the date y-m-d, normalised as time.Date normalises (31 April becomes 1 May); use Parse to reject it.
func New(y int, m time.Month, d int) Date {
	return Of(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// Parse reads a YYYY-MM-DD date and rejects impossible ones such as 2025-02-30.
func Parse(s string) (Date, error) {
	if len(s) != len(layout) {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a real date in the form YYYY-MM-DD", s)
	}
	if t.Year() < 1900 {
		return Date{}, fmt.Errorf("%q is before 1900", s)
	}
	return Of(t), nil
}

// MustParse is Parse for constants in tests and tables; it panics on a malformed date.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero Date, which stands for "no date".
func (d Date) IsZero() bool { return d == Date{} }

// String returns YYYY-MM-DD, or the empty string for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	if d.Year < 0 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
	// Written by hand: dates are formatted millions of times when due items are derived and compared.
	b := [10]byte{'0' + byte(d.Year/1000), '0' + byte(d.Year/100%10), '0' + byte(d.Year/10%10), '0' + byte(d.Year%10), '-',
		'0' + byte(d.Month/10), '0' + byte(d.Month%10), '-', '0' + byte(d.Day/10), '0' + byte(d.Day%10)}
	return string(b[:])
}

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n calendar days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return FromDays(d.Days() + n) }

// Days returns the number of days from 1 January 1970 to d (negative before it), by integer arithmetic so that
// calendars can index days cheaply.
func (d Date) Days() int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400                      // [0, 399]
	doy := (153*((m+9)%12)+2)/5 + d.Day - 1 // [0, 365], from 1 March
	doe := yoe*365 + yoe/4 - yoe/100 + doy  // [0, 146096]
	return era*146097 + doe - 719468
}

// FromDays is the inverse of Days.
func FromDays(n int) Date {
	n += 719468
	era := floorDiv(n, 146097)
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	month := mp + 3
	if month > 12 {
		month -= 12
	}
	year := yoe + era*400
	if month <= 2 {
		year++
	}
	return Date{year, time.Month(month), day}
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// AddMonths moves d by n calendar months, keeping the day of the month where it exists and otherwise clamping to
// the month's last day: 31 January plus one month is 28 (or 29) February, not 3 March.
func (d Date) AddMonths(n int) Date {
	total := d.Year*12 + int(d.Month) - 1 + n
	y, m := floorDiv(total, 12), time.Month(total-floorDiv(total, 12)*12+1)
	return Date{y, m, min(d.Day, DaysIn(y, m))}
}

// Birthday is the day someone born on born turns n: 1 March for a 29 February birthday in a common year, as the
// law of England counts it.
func Birthday(born Date, n int) Date {
	return New(born.Year+n, born.Month, 1).AddDays(born.Day - 1)
}

// Age is how many whole years old someone born on born is on day on.
func Age(born, on Date) int {
	a := on.Year - born.Year
	if on.Month < born.Month || (on.Month == born.Month && on.Day < born.Day) {
		a--
	}
	return a
}

// DaysIn returns the number of days in month m of year y.
func DaysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// DaysSince returns the number of calendar days from e to d, negative when d is before e.
func (d Date) DaysSince(e Date) int { return d.Days() - e.Days() }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1 January 1970 was a Thursday.
	return time.Weekday((d.Days()%7 + 7 + int(time.Thursday)) % 7)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// MarshalText writes YYYY-MM-DD; the zero Date becomes the empty string.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; the empty string gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Value stores a Date as YYYY-MM-DD text, which SQLite compares correctly as a string and PostgreSQL casts to DATE.
// The zero Date is NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a Date from the text SQLite returns or the time.Time PostgreSQL returns for a DATE column.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = Of(v)
		return nil
	case string:
		return d.UnmarshalText([]byte(v))
	case []byte:
		return d.UnmarshalText(v)
	}
	return fmt.Errorf("civil: cannot scan %T into a date", src)
}
