package kpi

import (
	"fmt"
	"strings"
)

// Markdown is the dictionary written out for people: docs/KPIS.md is this, and a test keeps the two the same.
func Markdown() string {
	var b strings.Builder
	b.WriteString(`# The indicators

Every indicator Continuum reports, as ` + "`internal/kpi`" + ` computes it. The year is the collection year, 1 April to
31 March; "at 31 March" means open at the end of that day. A rate per 10,000 is over the council's population
aged 0 to 17 (the council setting ` + "`" + PopulationSetting + "`" + `, the ONS mid-year estimate; by district,
` + "`" + PopulationSetting + ":<district>`" + `). England's figures are the latest the brief quotes, with their year and source.
` + "`continuum kpi --by district|team`" + ` gives each district (where the child lives) or team (the one holding the child's
case at 31 March) after the council; a team has no population, so no rates per 10,000. This file is written from the code
(` + "`go test ./internal/kpi -run TestDocs -update`" + `); edit the code, not this file.

`)
	for _, ind := range Dictionary {
		fmt.Fprintf(&b, "## %s (`%s`)\n\n", ind.Name, ind.Code)
		fmt.Fprintf(&b, "- Unit: %s", ind.Unit)
		if ind.Better != Neither {
			fmt.Fprintf(&b, "; %s is better", ind.Better)
		}
		b.WriteString("\n")
		fmt.Fprintf(&b, "- Population: %s\n", ind.Population)
		fmt.Fprintf(&b, "- Numerator: %s\n", ind.Numerator)
		if ind.Unit == PerTenThousand {
			b.WriteString("- Denominator: the council's children aged 0 to 17\n")
		} else {
			fmt.Fprintf(&b, "- Denominator: %s\n", ind.Denominator)
		}
		if ind.England != nil {
			fmt.Fprintf(&b, "- England: %g (%s; %s)\n", ind.England.Value, ind.England.Year, ind.England.Source)
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}
