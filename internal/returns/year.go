// Package returns holds what the statutory returns share: the collection year and the DfE's LA numbers. Each return has its own package
// beneath: cin for the Children in Need census.
package returns

import (
	"fmt"
	"strconv"

	"github.com/continuum-cs/continuum/internal/civil"
)

// LANumberSetting is the council setting that holds its three-digit DfE LA number, which every return carries.
const LANumberSetting = "la_number"

// Year is a collection year: "2025-26" runs from 1 April 2025 to 31 March 2026.
type Year struct {
	Start, End civil.Date
}

// ParseYear reads a year written as 2025-26.
func ParseYear(s string) (Year, error) {
	bad := fmt.Errorf("year %q: want a collection year such as 2025-26", s)
	if len(s) != 7 || s[4] != '-' {
		return Year{}, bad
	}
	first, err1 := strconv.Atoi(s[:4])
	second, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || first < 2000 || first > 2099 || second != (first+1)%100 {
		return Year{}, bad
	}
	return startingIn(first), nil
}

// startingIn is the collection year that starts on 1 April of year first.
func startingIn(first int) Year {
	return Year{Start: civil.Date{Year: first, Month: 4, Day: 1}, End: civil.Date{Year: first + 1, Month: 3, Day: 31}}
}

// YearOf is the collection year holding d.
func YearOf(d civil.Date) Year {
	if d.Month < 4 {
		return startingIn(d.Year - 1)
	}
	return startingIn(d.Year)
}

func (y Year) String() string { return fmt.Sprintf("%d-%02d", y.Start.Year, y.End.Year%100) }

// Contains tells whether d falls in the year.
func (y Year) Contains(d civil.Date) bool {
	return !d.IsZero() && !d.Before(y.Start) && !d.After(y.End)
}

// Touches tells whether something that ran from start to end (zero: still running) was under way at any point
// in the year.
func (y Year) Touches(start, end civil.Date) bool {
	return !start.IsZero() && !start.After(y.End) && (end.IsZero() || !end.Before(y.Start))
}
