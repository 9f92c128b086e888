package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"

	"github.com/continuum-cs/continuum/internal/kpi"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
)

// kpiCmd prints the performance indicators for a year: continuum kpi --year 2025-26 [--by district|team]
// [--format table|csv|json] [--population N].
func kpiCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	var year, format, by string
	var population int
	define := func(fs *flag.FlagSet) {
		fs.StringVar(&year, "year", "", "collection year, such as 2025-26 (required)")
		fs.StringVar(&by, "by", "", "district or team: the council, then each one")
		fs.StringVar(&format, "format", "table", "table, csv or json")
		fs.IntVar(&population, "population", 0, "children aged 0 to 17 (default: the council's setting "+kpi.PopulationSetting+")")
	}
	return withStore(ctx, "kpi", args, "sqlite:./continuum.db", getenv, define, func(_ Config, s *store.Store) error {
		y, err := returns.ParseYear(year)
		if err != nil {
			return usageError{"--year: " + err.Error()}
		}
		if format != "table" && format != "csv" && format != "json" {
			return usageError{"--format: want table, csv or json"}
		}
		if by != "" && by != kpi.ByDistrict && by != kpi.ByTeam {
			return usageError{"--by: want district or team"}
		}
		if population == 0 {
			value, ok, err := s.Setting(ctx, kpi.PopulationSetting)
			if err != nil {
				return err
			}
			if !ok {
				return usageError{"--population: give the council's population aged 0 to 17; none is recorded"}
			}
			if population, err = strconv.Atoi(value); err != nil {
				return fmt.Errorf("setting %s: %q is not a number", kpi.PopulationSetting, value)
			}
		}
		if population <= 0 {
			return usageError{"--population: must be more than 0"}
		}
		pop := kpi.Population{Council: population, Districts: map[string]int{}}
		if by == kpi.ByDistrict {
			teams, err := s.Teams(ctx)
			if err != nil {
				return err
			}
			for _, t := range teams {
				value, ok, err := s.Setting(ctx, kpi.PopulationSetting+":"+t.District)
				if err != nil {
					return err
				}
				if n, err := strconv.Atoi(value); ok && err == nil {
					pop.Districts[t.District] = n
				}
			}
		}
		groups, err := kpi.Compute(ctx, s, store.System, y, pop, by)
		if err != nil {
			return err
		}
		return writeKPIs(stdout, format, y, groups)
	})
}

func writeKPIs(w io.Writer, format string, y returns.Year, groups []kpi.Group) error {
	show := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	count := func(n float64) string {
		if n == math.Trunc(n) {
			return strconv.FormatFloat(n, 'f', 0, 64)
		}
		return strconv.FormatFloat(n, 'f', 1, 64) // full-time equivalents
	}
	name := func(g kpi.Group) string {
		if g.Name == "" {
			return "council"
		}
		return g.Name
	}
	switch format {
	case "json":
		type row struct {
			Code        string   `json:"code"`
			Name        string   `json:"name"`
			Unit        string   `json:"unit"`
			Value       *float64 `json:"value"`
			Numerator   float64  `json:"numerator"`
			Denominator float64  `json:"denominator"`
			England     *float64 `json:"england,omitempty"`
			EnglandYear string   `json:"england_year,omitempty"`
		}
		type group struct {
			Group      string `json:"group"`
			Indicators []row  `json:"indicators"`
		}
		out := struct {
			Year   string  `json:"year"`
			Groups []group `json:"groups"`
		}{Year: y.String()}
		for _, g := range groups {
			jg := group{Group: name(g)}
			for _, v := range g.Values {
				r := row{Code: v.Code, Name: v.Name, Unit: string(v.Unit), Numerator: v.Numerator, Denominator: v.Denominator}
				if !math.IsNaN(v.Value) {
					r.Value = &v.Value
				}
				if v.England != nil {
					r.England, r.EnglandYear = &v.England.Value, v.England.Year
				}
				jg.Indicators = append(jg.Indicators, r)
			}
			out.Groups = append(out.Groups, jg)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"year", "group", "code", "indicator", "value", "unit", "numerator", "denominator", "england", "england_year"})
		for _, g := range groups {
			for _, v := range g.Values {
				var e, ey string
				if v.England != nil {
					e, ey = show(v.England.Value), v.England.Year
				}
				cw.Write([]string{y.String(), name(g), v.Code, v.Name, show(v.Value), string(v.Unit), count(v.Numerator),
					count(v.Denominator), e, ey})
			}
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, g := range groups {
		if i > 0 {
			fmt.Fprintln(tw, "\t\t\t\t")
		}
		fmt.Fprintf(tw, "%s, %s\tvalue\tof\tEngland\t\n", name(g), y)
		for _, v := range g.Values {
			var e string
			if v.England != nil {
				e = show(v.England.Value) + " (" + v.England.Year + ")"
			}
			value := show(v.Value)
			if value != "" {
				value += map[kpi.Unit]string{kpi.Percent: "%", kpi.PerTenThousand: " per 10k", kpi.Cases: " cases"}[v.Unit]
			}
			fmt.Fprintf(tw, "%s\t%s\t%s / %s\t%s\t\n", v.Name, value, count(v.Numerator), count(v.Denominator), e)
		}
	}
	return tw.Flush()
}
