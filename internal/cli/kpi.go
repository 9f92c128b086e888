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

// kpiCmd prints the performance indicators for a year: continuum kpi --year 2025-26 [--format table|csv|json]
// [--population N].
func kpiCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	var year, format string
	var population int
	define := func(fs *flag.FlagSet) {
		fs.StringVar(&year, "year", "", "collection year, such as 2025-26 (required)")
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
		values, err := kpi.Compute(ctx, s, store.System, y, population)
		if err != nil {
			return err
		}
		return writeKPIs(stdout, format, y, values)
	})
}

func writeKPIs(w io.Writer, format string, y returns.Year, values []kpi.Value) error {
	show := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	england := func(v kpi.Value) (string, string) {
		if v.England == nil {
			return "", ""
		}
		return show(v.England.Value), v.England.Year
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
		out := struct {
			Year       string `json:"year"`
			Indicators []row  `json:"indicators"`
		}{Year: y.String()}
		for _, v := range values {
			r := row{Code: v.Code, Name: v.Name, Unit: string(v.Unit), Numerator: v.Numerator, Denominator: v.Denominator}
			if !math.IsNaN(v.Value) {
				r.Value = &v.Value
			}
			if v.England != nil {
				r.England, r.EnglandYear = &v.England.Value, v.England.Year
			}
			out.Indicators = append(out.Indicators, r)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write([]string{"year", "code", "indicator", "value", "unit", "numerator", "denominator", "england", "england_year"})
		for _, v := range values {
			e, ey := england(v)
			count := func(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }
			cw.Write([]string{y.String(), v.Code, v.Name, show(v.Value), string(v.Unit), count(v.Numerator), count(v.Denominator), e, ey})
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\tvalue\tof\tEngland\t\n", "indicator, "+y.String())
	for _, v := range values {
		e, ey := england(v)
		if e != "" {
			e += " (" + ey + ")"
		}
		of := strconv.FormatFloat(v.Numerator, 'f', 0, 64) + " / " + strconv.FormatFloat(v.Denominator, 'f', 0, 64)
		unit := map[kpi.Unit]string{kpi.Percent: "%", kpi.PerTenThousand: " per 10k", kpi.Cases: " cases"}[v.Unit]
		value := show(v.Value)
		if value != "" {
			value += unit
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", v.Name, value, of, e)
	}
	return tw.Flush()
}
