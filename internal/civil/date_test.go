package civil

import (
	"fmt"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for in, ok := range map[string]bool{
		"2024-02-29": true, "2025-02-29": false, "2025-13-01": false, "2025-1-01": false, "1899-12-31": false,
		"": false, "2025-04-31": false, "2025-12-31": true, "20250101": false,
	} {
		_, err := Parse(in)
		if (err == nil) != ok {
			t.Errorf("Parse(%q) error = %v, want ok %v", in, err, ok)
		}
	}
}

func TestArithmetic(t *testing.T) {
	d := MustParse("2024-02-28")
	if got := d.AddDays(1).String(); got != "2024-02-29" {
		t.Errorf("leap day: %s", got)
	}
	if got := MustParse("2025-03-30").DaysSince(MustParse("2025-03-29")); got != 1 {
		t.Errorf("across the clock change: %d days", got)
	}
	if !MustParse("2025-01-01").Before(MustParse("2025-01-02")) || MustParse("2025-01-02").Compare(MustParse("2025-01-02")) != 0 {
		t.Error("comparison")
	}
	if Of(time.Date(2025, 3, 31, 23, 30, 0, 0, time.UTC)).String() != "2025-03-31" {
		t.Error("Of")
	}
	var z Date
	if v, _ := z.Value(); v != nil || !z.IsZero() || z.String() != "" {
		t.Error("zero date must be NULL and empty")
	}
	var s Date
	if err := s.Scan(time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)); err != nil || s != MustParse("2025-05-01") {
		t.Errorf("scan time.Time: %v %v", s, err)
	}
	if err := s.Scan(42); err == nil {
		t.Error("scanning an int must fail")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-01-01", "2024-02-29", "0000-00-00", "9999-12-31", "2025-1-1", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err != nil {
			return
		}
		// A date that parses prints back to exactly what was parsed and survives a round trip.
		if d.String() != s {
			t.Fatalf("Parse(%q) printed back as %q", s, d.String())
		}
		var back Date
		if err := back.UnmarshalText([]byte(d.String())); err != nil || back != d {
			t.Fatalf("round trip of %q: %v %v", s, back, err)
		}
	})
}

func TestDaysRoundTripsAndAgreesWithTime(t *testing.T) {
	epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	for n := -800000; n <= 800000; n += 7 {
		d := FromDays(n)
		if got := d.Days(); got != n {
			t.Fatalf("FromDays(%d) = %v, whose Days() is %d", n, d, got)
		}
		if want := Of(epoch.AddDate(0, 0, n)); d != want {
			t.Fatalf("FromDays(%d) = %v, time package says %v", n, d, want)
		}
	}
}

func TestAddMonthsClampsToMonthEnd(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2025-01-31", 1, "2025-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2025-08-31", 3, "2025-11-30"},
		{"2025-03-31", -1, "2025-02-28"},
		{"2025-11-15", 3, "2026-02-15"},
		{"2025-12-31", 6, "2026-06-30"},
		{"2025-05-10", -17, "2023-12-10"},
		{"2025-05-10", 0, "2025-05-10"},
	} {
		if got := MustParse(c.from).AddMonths(c.n); got != MustParse(c.want) {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

func TestWeekdayAndDaysSince(t *testing.T) {
	for n := -100000; n <= 100000; n += 13 {
		d := FromDays(n)
		tt := d.In(time.UTC)
		if d.Weekday() != tt.Weekday() {
			t.Fatalf("%v: weekday %v, time says %v", d, d.Weekday(), tt.Weekday())
		}
		e := FromDays(n/3 + 5)
		if got, want := d.DaysSince(e), int(tt.Sub(e.In(time.UTC)).Hours()/24); got != want {
			t.Fatalf("%v since %v: %d, time says %d", d, e, got, want)
		}
	}
}

func TestBirthdayAndAge(t *testing.T) {
	leap := MustParse("2008-02-29")
	for _, c := range []struct {
		born    Date
		n       int
		want    string
		ageDay  string
		wantAge int
	}{
		{MustParse("2010-05-20"), 18, "2028-05-20", "2028-05-19", 17},
		{MustParse("2010-05-20"), 18, "2028-05-20", "2028-05-20", 18},
		{leap, 17, "2025-03-01", "2025-02-28", 16},
		{leap, 16, "2024-02-29", "2024-02-29", 16},
		{MustParse("2012-12-31"), 4, "2016-12-31", "2017-01-01", 4},
	} {
		if got := Birthday(c.born, c.n); got != MustParse(c.want) {
			t.Errorf("Birthday(%s, %d) = %s, want %s", c.born, c.n, got, c.want)
		}
		if got := Age(c.born, MustParse(c.ageDay)); got != c.wantAge {
			t.Errorf("Age(%s, %s) = %d, want %d", c.born, c.ageDay, got, c.wantAge)
		}
	}
}

// TestStringMatchesFormat checks the hand-written formatting against fmt for every day from 1900 to 2100 and
// for the out-of-range values it leaves to fmt.
func TestStringMatchesFormat(t *testing.T) {
	for d := (Date{1900, time.January, 1}); d.Year < 2100; d = d.AddDays(1) {
		if want := fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day); d.String() != want {
			t.Fatalf("%v printed as %q, want %q", want, d.String(), want)
		}
	}
	for _, d := range []Date{{12345, time.May, 1}, {2025, 13, 1}, {2025, time.May, 40}, {-1, time.May, 1}} {
		if want := fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day); d.String() != want {
			t.Fatalf("%q printed as %q", want, d.String())
		}
	}
}
