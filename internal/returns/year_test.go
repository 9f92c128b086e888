package returns

import (
	"testing"

	"github.com/continuum-cs/continuum/internal/civil"
)

func TestParseYear(t *testing.T) {
	y, err := ParseYear("2025-26")
	if err != nil || y.Start != civil.MustParse("2025-04-01") || y.End != civil.MustParse("2026-03-31") || y.String() != "2025-26" {
		t.Fatalf("2025-26: %+v, %v", y, err)
	}
	if y, err := ParseYear("2099-00"); err != nil || y.End != civil.MustParse("2100-03-31") {
		t.Errorf("2099-00: %+v, %v", y, err)
	}
	for _, bad := range []string{"", "2025", "2025-27", "2025/26", "25-26", "2025-2026", "abcd-ef", "1999-00"} {
		if _, err := ParseYear(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
	d := civil.MustParse
	for _, c := range []struct {
		start, end string
		want       bool
	}{
		{"2025-04-01", "", true},
		{"2024-01-01", "2025-03-31", false},
		{"2024-01-01", "2025-04-01", true},
		{"2026-03-31", "2026-05-01", true},
		{"2026-04-01", "", false},
	} {
		var end civil.Date
		if c.end != "" {
			end = d(c.end)
		}
		if got := y.Touches(d(c.start), end); got != c.want {
			t.Errorf("Touches(%s, %s) = %v", c.start, c.end, got)
		}
	}
}

func TestYearOf(t *testing.T) {
	for day, want := range map[string]string{"2025-04-01": "2025-26", "2026-03-31": "2025-26", "2026-01-15": "2025-26", "2026-11-23": "2026-27"} {
		if got := YearOf(civil.MustParse(day)).String(); got != want {
			t.Errorf("YearOf(%s) = %s, want %s", day, got, want)
		}
	}
}

func TestCouncilNumber(t *testing.T) {
	for s, want := range map[string]bool{"825": true, "201": true, "943": true, "001": false, "999": false, "82": false,
		"8a5": false, "WAL": false} {
		if got := CouncilNumber(s); got != want {
			t.Errorf("CouncilNumber(%q) = %v, want %v", s, got, want)
		}
	}
}
