package workday

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/gb"
)

func d(s string) civil.Date { return civil.MustParse(s) }

// TestHandWorkedExamples are worked out on paper from the published bank holidays.
func TestHandWorkedExamples(t *testing.T) {
	c := EnglandAndWales()
	for _, x := range []struct {
		from string
		n    int
		want string
		why  string
	}{
		{"2025-11-21", 1, "2025-11-24", "Friday to Monday"},
		{"2025-11-22", 1, "2025-11-24", "a Saturday referral: day 0 is Saturday, day 1 Monday"},
		{"2025-12-24", 1, "2025-12-29", "Christmas Day Thursday, Boxing Day Friday, weekend"},
		{"2026-12-24", 1, "2026-12-29", "Christmas Friday; Boxing Day Saturday, so Monday 28 is its substitute"},
		{"2021-12-24", 1, "2021-12-29", "Christmas and Boxing Day at a weekend: 27 and 28 are substitutes"},
		{"2025-04-17", 1, "2025-04-22", "Maundy Thursday over Good Friday and Easter Monday"},
		{"2022-06-01", 1, "2022-06-06", "Spring bank holiday moved to Thursday 2 June 2022 and the Jubilee on the Friday"},
		{"2022-09-16", 1, "2022-09-20", "the Queen's funeral on Monday 19 September 2022"},
		{"2023-05-05", 1, "2023-05-09", "the coronation bank holiday on Monday 8 May 2023"},
		{"2020-05-07", 1, "2020-05-11", "VE Day moved the early May bank holiday to Friday 8 May 2020"},
		{"2020-05-01", 2, "2020-05-05", "and Monday 4 May 2020 was a working day"},
		{"2011-04-28", 1, "2011-05-03", "the royal wedding Friday and the early May Monday"},
		{"2000-01-01", 1, "2000-01-04", "New Year's Day 2000 on a Saturday: Monday 3 January was the substitute"},
		// Statutory examples.
		{"2025-03-03", 45, "2025-05-08", "R2: 45 working days from a 3 March referral skip Good Friday, Easter Monday and 5 May"},
		{"2025-12-01", 15, "2025-12-22", "R5: ICPC within 15 working days of a 1 December strategy discussion"},
		{"2025-12-10", 15, "2026-01-05", "R5 across Christmas: 25, 26 December and 1 January do not count"},
		{"2025-11-24", 20, "2025-12-22", "R13: first looked-after review within 20 working days"},
		{"2025-11-24", -1, "2025-11-21", "one working day before a Monday is the Friday"},
		{"2025-12-29", -1, "2025-12-24", "back over Christmas"},
		{"2025-12-27", -1, "2025-12-24", "back from a Saturday"},
		{"2025-12-27", 0, "2025-12-27", "zero working days is the day itself"},
	} {
		got, err := c.Add(d(x.from), x.n)
		if err != nil {
			t.Errorf("%s + %d: %v", x.from, x.n, err)
			continue
		}
		if got != d(x.want) {
			t.Errorf("%s + %d working days = %s, want %s (%s)", x.from, x.n, got, x.want, x.why)
		}
		if x.n > 0 {
			if n, _ := c.Between(d(x.from), got); n != x.n {
				t.Errorf("between %s and %s: %d, want %d", x.from, got, n, x.n)
			}
		}
	}
}

func TestHolidayData(t *testing.T) {
	c := EnglandAndWales()
	for y := 2000; y <= 2030; y++ {
		hs := c.Closures(y)
		// Eight a year, plus the one-off holidays.
		want := map[int]int{2002: 9, 2011: 9, 2012: 9, 2022: 10, 2023: 9}[y]
		if want == 0 {
			want = 8
		}
		if len(hs) != want {
			t.Errorf("%d: %d bank holidays, want %d: %v", y, len(hs), want, hs)
		}
		for _, h := range hs {
			if wd := h.Date.Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Errorf("%s (%s) falls at a weekend: substitute days belong in the data instead", h.Date, h.Name)
			}
		}
	}
}

// TestAgreesWithAnIndependentCalendar compares every day from 2000 to 2030 with the rule-based England and Wales
// holidays of github.com/rickar/cal. That library leaves out the one-off holidays of 2002, 2011, 2012 and 2022
// and the spring bank holidays those years moved, so exactly those days may differ, and must.
func TestAgreesWithAnIndependentCalendar(t *testing.T) {
	c := EnglandAndWales()
	other := cal.NewBusinessCalendar()
	other.AddHoliday(gb.Holidays...)
	known := map[civil.Date]bool{
		d("2002-05-27"): true, d("2002-06-03"): true, d("2002-06-04"): true, // Golden Jubilee; spring moved
		d("2011-04-29"): true,                                               // royal wedding
		d("2012-05-28"): true, d("2012-06-04"): true, d("2012-06-05"): true, // Diamond Jubilee; spring moved
		d("2022-09-19"): true, // the Queen's funeral
	}
	differ := map[civil.Date]bool{}
	for day := First; !day.After(Last); day = day.AddDays(1) {
		ours, err := c.IsWorkingDay(day)
		if err != nil {
			t.Fatal(err)
		}
		theirs := other.IsWorkday(day.In(time.UTC))
		if ours != theirs {
			differ[day] = true
			if !known[day] {
				t.Errorf("%s: working day here %v, in the independent calendar %v", day, ours, theirs)
			}
		}
	}
	for day := range known {
		if !differ[day] {
			t.Errorf("%s was expected to differ from the independent calendar and does not", day)
		}
	}
}

// TestProperties checks the laws that tie Add and Between together, against a day-by-day count, on random dates.
func TestProperties(t *testing.T) {
	c := EnglandAndWales()
	rng := rand.New(rand.NewPCG(1, 2))
	span := Last.Days() - First.Days()
	naive := func(a, b civil.Date) int {
		n, sign := 0, 1
		if b.Before(a) {
			a, b, sign = b, a, -1
		}
		for x := a.AddDays(1); !x.After(b); x = x.AddDays(1) {
			if w, _ := c.IsWorkingDay(x); w {
				n++
			}
		}
		return sign * n
	}
	for range 3000 {
		a := civil.FromDays(First.Days() + 400 + rng.IntN(span-800))
		n := rng.IntN(261) - 130
		b, err := c.Add(a, n)
		if err != nil {
			t.Fatal(err)
		}
		between, _ := c.Between(a, b)
		if n != 0 {
			if w, _ := c.IsWorkingDay(b); !w {
				t.Fatalf("%s + %d = %s, not a working day", a, n, b)
			}
		}
		aWorks, _ := c.IsWorkingDay(a)
		switch {
		case n >= 0 && between != n:
			t.Fatalf("Between(%s, Add(%s, %d) = %s) = %d", a, a, n, b, between)
		case n < 0 && aWorks && between != n:
			t.Fatalf("Between(%s, %s) = %d, want %d", a, b, between, n)
		case n < 0 && !aWorks && between != n+1:
			// From a closed day, the first working day back is already one step, and Between counts (b, a].
			t.Fatalf("Between(%s, %s) = %d from a closed day, want %d", a, b, between, n+1)
		}
		if aWorks {
			back, _ := c.Add(b, -n)
			if back != a {
				t.Fatalf("%s + %d - %d = %s", a, n, n, back)
			}
		}
		next, _ := c.Add(a, n+1)
		if !next.After(b) {
			t.Fatalf("Add is not increasing in n: %s + %d = %s, + %d = %s", a, n, b, n+1, next)
		}
		e := civil.FromDays(First.Days() + rng.IntN(span))
		ab, _ := c.Between(a, e)
		if want := naive(a, e); ab != want {
			t.Fatalf("Between(%s, %s) = %d, counting day by day gives %d", a, e, ab, want)
		}
		ba, _ := c.Between(e, a)
		if ab != -ba {
			t.Fatalf("Between is not antisymmetric for %s, %s", a, e)
		}
	}
}

func TestOutOfRange(t *testing.T) {
	c := EnglandAndWales()
	if _, err := c.Add(d("1999-12-31"), 1); err == nil {
		t.Error("a 1999 date was accepted")
	}
	if _, err := c.Add(d("2030-12-20"), 30); err == nil {
		t.Error("an answer past 2030 was given")
	}
	if _, err := c.Between(d("2025-01-01"), d("2031-01-01")); err == nil {
		t.Error("a 2031 date was accepted")
	}
}

func TestCouncilClosures(t *testing.T) {
	c, err := EnglandAndWales().WithClosures(Closure{Date: d("2025-12-24"), Name: "Council closure"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Add(d("2025-12-23"), 1); got != d("2025-12-29") {
		t.Errorf("with Christmas Eve closed, the day after 23 December is %s", got)
	}
	if got, _ := EnglandAndWales().Add(d("2025-12-23"), 1); got != d("2025-12-24") {
		t.Errorf("the national calendar changed: %s", got)
	}
	for _, bad := range []Closure{{Date: d("2025-12-27")}, {Date: d("2025-12-25")}, {Date: d("2035-01-02")}} {
		if _, err := c.WithClosures(bad); err == nil {
			t.Errorf("closure on %s accepted", bad.Date)
		}
	}
}

func TestOfficeHours(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	h := OfficeHours{Open: 9 * time.Hour, Close: 17 * time.Hour, Location: london}
	c := EnglandAndWales()
	at := func(s string) time.Time {
		tt, err := time.ParseInLocation("2006-01-02 15:04", s, london)
		if err != nil {
			t.Fatal(err)
		}
		return tt
	}
	for _, x := range []struct {
		from  string
		hours time.Duration
		want  string
	}{
		{"2025-11-24 10:00", 2 * time.Hour, "2025-11-24 12:00"},
		{"2025-11-24 16:00", 2 * time.Hour, "2025-11-25 10:00"},
		{"2025-11-24 07:30", 2 * time.Hour, "2025-11-24 11:00"},
		{"2025-11-21 16:30", 6 * time.Hour, "2025-11-24 14:30"},
		{"2025-11-22 12:00", 24 * time.Hour, "2025-11-26 17:00"},
		{"2025-12-24 15:00", 8 * time.Hour, "2025-12-29 15:00"},
		{"2025-03-28 16:00", 2 * time.Hour, "2025-03-31 10:00"}, // across the clocks going forward
	} {
		got, err := c.AddOfficeHours(at(x.from), x.hours, h)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(at(x.want)) {
			t.Errorf("%s + %s office time = %s, want %s", x.from, x.hours, got.In(london).Format("2006-01-02 15:04"), x.want)
		}
	}
}

// BenchmarkAdd is the budget: a million additions in at most a second.
func BenchmarkAdd(b *testing.B) {
	c := EnglandAndWales()
	rng := rand.New(rand.NewPCG(3, 4))
	days := make([]civil.Date, 1024)
	for i := range days {
		days[i] = civil.FromDays(First.Days() + rng.IntN(10000))
	}
	i := 0
	for b.Loop() {
		if _, err := c.Add(days[i&1023], 45); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
