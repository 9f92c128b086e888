package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/continuum-cs/continuum/internal/kpi"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
)

// kpiCmd prints the performance indicators for a year: continuum kpi --year 2025-26 [--by district|locality|team]
// [--format table|csv|json] [--population N].
func kpiCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	if len(args) > 0 && args[0] == "target" {
		return kpiTargetCmd(ctx, args[1:], stdout, getenv)
	}
	var year, format, by string
	var population int
	define := func(fs *flag.FlagSet) {
		fs.StringVar(&year, "year", "", "collection year, such as 2025-26 (required)")
		fs.StringVar(&by, "by", "", "district, locality or team: the council, then each one")
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
		if by != "" && by != kpi.ByDistrict && by != kpi.ByLocality && by != kpi.ByTeam {
			return usageError{"--by: want district, locality or team"}
		}
		pop, err := kpi.LoadPopulation(ctx, s, by)
		switch {
		case population < 0:
			return usageError{"--population: must be more than 0"}
		case population > 0:
			pop.Council = population
		case errors.Is(err, kpi.ErrNoPopulation):
			return usageError{"--population: give the council's population aged 0 to 17; none is recorded"}
		case err != nil:
			return err
		}
		groups, err := kpi.Compute(ctx, s, store.System, y, pop, by)
		if err != nil {
			return err
		}
		targets, err := kpi.Targets(ctx, s)
		if err != nil {
			return err
		}
		return writeKPIs(stdout, format, y, groups, targets)
	})
}

// kpiTargetCmd sets an indicator's target or shows its history: continuum kpi target set CODE VALUE TOLERANCE,
// continuum kpi target history CODE.
func kpiTargetCmd(ctx context.Context, args []string, stdout io.Writer, getenv env) error {
	const want = "kpi target: want 'kpi target set CODE VALUE TOLERANCE' or 'kpi target history CODE'"
	switch {
	case len(args) >= 4 && args[0] == "set":
		code := args[1]
		value, err1 := strconv.ParseFloat(args[2], 64)
		tolerance, err2 := strconv.ParseFloat(args[3], 64)
		if err1 != nil || err2 != nil {
			return usageError{fmt.Sprintf("kpi target set: VALUE and TOLERANCE are numbers, not %q and %q", args[2], args[3])}
		}
		return withStore(ctx, "kpi target set", args[4:], "sqlite:./continuum.db", getenv, nil, func(_ Config, s *store.Store) error {
			t := kpi.Target{Value: value, Tolerance: tolerance}
			if err := kpi.SetTarget(ctx, s, store.System, code, t); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s: target %s\n", code, t)
			return nil
		})
	case len(args) >= 2 && args[0] == "history":
		return withStore(ctx, "kpi target history", args[2:], "sqlite:./continuum.db", getenv, nil, func(_ Config, s *store.Store) error {
			versions, err := kpi.TargetHistory(ctx, s, args[1])
			if err != nil {
				return err
			}
			if len(versions) == 0 {
				fmt.Fprintf(stdout, "%s has never had a target\n", args[1])
			}
			for _, v := range versions {
				fmt.Fprintf(stdout, "v%d\t%s\t%s\tby %s\n", v.Version, v.At.Format("2006-01-02 15:04"),
					strings.Replace(v.Value, "/", " ± ", 1), v.By)
			}
			return nil
		})
	}
	return usageError{want}
}

func writeKPIs(w io.Writer, format string, y returns.Year, groups []kpi.Group, targets map[string]kpi.Target) error {
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
			Target      *float64 `json:"target,omitempty"`
			Tolerance   *float64 `json:"tolerance,omitempty"`
			RAG         kpi.RAG  `json:"rag,omitempty"`
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
				if t, ok := targets[v.Code]; ok {
					r.Target, r.Tolerance, r.RAG = &t.Value, &t.Tolerance, t.Against(v)
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
		cw.Write([]string{"year", "group", "code", "indicator", "value", "unit", "numerator", "denominator", "england",
			"england_year", "target", "tolerance", "rag"})
		for _, g := range groups {
			for _, v := range g.Values {
				var e, ey, target, tolerance, rag string
				if v.England != nil {
					e, ey = show(v.England.Value), v.England.Year
				}
				if t, ok := targets[v.Code]; ok {
					target, tolerance, rag = count(t.Value), count(t.Tolerance), string(t.Against(v))
				}
				cw.Write([]string{y.String(), name(g), v.Code, v.Name, show(v.Value), string(v.Unit), count(v.Numerator),
					count(v.Denominator), e, ey, target, tolerance, rag})
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
		fmt.Fprintf(tw, "%s, %s\tvalue\tof\tEngland\ttarget\t\n", name(g), y)
		for _, v := range g.Values {
			var e string
			if v.England != nil {
				e = show(v.England.Value) + " (" + v.England.Year + ")"
			}
			value := show(v.Value)
			if value != "" {
				value += map[kpi.Unit]string{kpi.Percent: "%", kpi.PerTenThousand: " per 10k", kpi.Cases: " cases"}[v.Unit]
			}
			var target string
			if t, ok := targets[v.Code]; ok {
				target = t.String()
				if rag := t.Against(v); rag != "" {
					target += " " + strings.ToUpper(string(rag))
				}
			}
			fmt.Fprintf(tw, "%s\t%s\t%s / %s\t%s\t%s\t\n", v.Name, value, count(v.Numerator), count(v.Denominator), e, target)
		}
	}
	return tw.Flush()
}
