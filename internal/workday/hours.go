package workday

import (
	"fmt"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
)

// OfficeHours is the part of each working day the front door is staffed, in local time: for example 09:00 to
// 17:00 in Europe/London. Front-door priority windows ("red within 2 working hours") run only while it is open.
type OfficeHours struct {
	Open, Close time.Duration // since local midnight
	Location    *time.Location
}

// Valid reports whether the hours make sense.
func (h OfficeHours) Valid() error {
	if h.Location == nil || h.Open < 0 || h.Close > 24*time.Hour || h.Close <= h.Open {
		return fmt.Errorf("office hours %s to %s: opening must come before closing, within one day", h.Open, h.Close)
	}
	return nil
}

// AddOfficeHours returns the instant d of office time after t. Time before opening, after closing and on days the
// council is closed does not count; something received out of hours starts at the next opening.
func (c *Calendar) AddOfficeHours(t time.Time, d time.Duration, h OfficeHours) (time.Time, error) {
	if err := h.Valid(); err != nil {
		return time.Time{}, err
	}
	if d < 0 {
		return time.Time{}, fmt.Errorf("office hours to add must not be negative: %s", d)
	}
	local := t.In(h.Location)
	day := civil.Of(local)
	// at is the local wall-clock time of day, so that 09:00 is 09:00 on the days the clocks change too.
	at := time.Duration(local.Hour())*time.Hour + time.Duration(local.Minute())*time.Minute +
		time.Duration(local.Second())*time.Second + time.Duration(local.Nanosecond())
	for {
		working, err := c.IsWorkingDay(day)
		if err != nil {
			return time.Time{}, err
		}
		if working && at < h.Close {
			start := max(at, h.Open)
			left := h.Close - start
			if d <= left {
				return wallClock(day, start+d, h.Location), nil
			}
			d -= left
		}
		day, at = day.AddDays(1), 0
	}
}

// wallClock is the instant at local time of day at on day.
func wallClock(day civil.Date, at time.Duration, loc *time.Location) time.Time {
	return time.Date(day.Year, day.Month, day.Day, 0, 0, 0, int(at), loc)
}
