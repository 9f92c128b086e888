package ssda903

import "github.com/continuum-cs/continuum/internal/civil"

// Rules that a child's rows agree with each other: every table's child is in Header with the same date of birth
// and once where once is all there may be; adopters' details fit together; placement types go with their
// providers; outcomes fit the child's age; missing periods fit the year and the care; motherhood fits the dates.
// Each is tested on a hand-made child that breaks it (validate_test.go).

// row is one row of any table, as the consistency rules need it.
type row struct {
	line     int
	dob, sex string
}

// rowsOf lists a table's rows for a child.
func rowsOf[T any](rows []*T, of func(*T) row) []row {
	out := make([]row, len(rows))
	for i, r := range rows {
		out[i] = of(r)
	}
	return out
}

// tableRows are the tables the internal checks look at, with the rules' codes: the child not in Header, a date of
// birth different from Header's, more than one row where one is allowed ("" where the check does not apply).
var tableRows = []struct {
	table                 string
	orphan, badDOB, twice string
	rows                  func(k *kid) []row
}{
	{"AD1", "", "INT11", "INT31", func(k *kid) []row { return rowsOf(k.ad1, func(r *AD1) row { return row{r.Line, r.DOB, ""} }) }},
	{"PlacedAdoption", "", "INT12", "", func(k *kid) []row {
		return rowsOf(k.placed, func(r *PlacedAdoption) row { return row{r.Line, r.DOB, ""} })
	}},
	{"Missing", "INT04", "INT13", "", func(k *kid) []row { return rowsOf(k.missing, func(r *Missing) row { return row{r.Line, r.DOB, ""} }) }},
	{"OC2", "INT05", "INT14", "INT33", func(k *kid) []row { return rowsOf(k.oc2, func(r *OC2) row { return row{r.Line, r.DOB, ""} }) }},
	{"OC3", "INT06", "INT15", "INT34", func(k *kid) []row { return rowsOf(k.oc3, func(r *OC3) row { return row{r.Line, r.DOB, ""} }) }},
	{"PrevPerm", "INT07", "INT16", "INT35", func(k *kid) []row {
		return rowsOf(k.prevPerm, func(r *PrevPerm) row { return row{r.Line, r.DOB, ""} })
	}},
	{"Reviews", "INT08", "INT17", "", func(k *kid) []row { return rowsOf(k.reviews, func(r *Review) row { return row{r.Line, r.DOB, ""} }) }},
	{"UASC", "INT09", "INT18", "INT36", func(k *kid) []row { return rowsOf(k.uasc, func(r *UASC) row { return row{r.Line, r.DOB, r.Sex} }) }},
}

// internalRules are the internal checks of every table against Header.
func internalRules() []rule {
	var out []rule
	for _, t := range tableRows {
		if t.orphan != "" {
			out = append(out, rule{t.orphan, func(k *kid) {
				if rows := t.rows(k); k.header == nil && len(rows) > 0 {
					k.report(t.orphan, t.table, rows[0].line, "CHILD", k.id)
				}
			}})
		}
		out = append(out, rule{t.badDOB, func(k *kid) {
			if k.header == nil {
				return
			}
			for _, r := range t.rows(k) {
				if r.dob != k.header.DOB {
					k.report(t.badDOB, t.table, r.line, "DOB", r.dob)
				}
			}
		}})
		if t.twice != "" {
			out = append(out, rule{t.twice, func(k *kid) {
				if rows := t.rows(k); len(rows) > 1 {
					k.report(t.twice, t.table, rows[1].line, "CHILD", k.id)
				}
			}})
		}
	}
	return append(out, rule{"INT21", func(k *kid) {
		for _, u := range k.uasc {
			if k.header != nil && u.Sex != k.header.Sex {
				k.report("INT21", "UASC", u.Line, "SEX", u.Sex)
			}
		}
	}})
}

// adopters is a rule that adopters of a legal status are of one of the sexes that status fits.
func adopters(code, status string, fits ...string) rule {
	return ad1Rule(code, func(_ *kid, a *AD1) (string, string, bool) {
		return "SEX_ADOPTR", a.AdoptersSex, a.AdoptersStatus == status && a.AdoptersSex != "" && !oneOf(a.AdoptersSex, fits...)
	})
}

// providerNot is a rule that a placement provider does not go with some placement types.
func providerNot(code, provider string, places ...string) rule {
	return episodeRule(code, func(_ *kid, e *Episode) (string, string, bool) {
		return "PLACE_PROVIDER", e.Provider, e.Provider == provider && oneOf(e.Place, places...)
	})
}

// healthItems are OC2's immunisations, teeth check, health assessment and substance misuse cells.
func healthItems(o *OC2) []string {
	return []string{o.Immunisations, o.TeethCheck, o.HealthAssessment, o.SubstanceMisuse}
}

func allFilled(cells ...string) bool {
	for _, c := range cells {
		if c == "" {
			return false
		}
	}
	return true
}

// ceased is the day the child's care ended in the return's last episode, or zero while it goes on.
func (k *kid) ceased() civil.Date {
	if n := len(k.episodes); n > 0 && k.episodes[n-1].REC != "X1" {
		return date(k.episodes[n-1].DEC)
	}
	return civil.Date{}
}

// adoptedInYear tells whether an episode in the year ended in adoption.
func (k *kid) adoptedInYear() *Episode {
	for _, e := range k.episodes {
		if oneOf(e.REC, "E11", "E12") && k.y.Contains(date(e.DEC)) {
			return e
		}
	}
	return nil
}

var consistencyRules = append(internalRules(),
	// Adopters.
	adopters("517", "L3", "MF"),
	adopters("518", "L4", "MM", "FF"),
	adopters("519", "L2", "MM", "FF", "MF"),
	adopters("520", "L11", "MF", "M1", "F1"),
	adopters("524", "L12", "MM", "FF"),
	placedRule("522", func(_ *kid, p *PlacedAdoption) (string, string, bool) {
		placed, ceased := date(p.DatePlaced), date(p.DateCeased)
		return "DATE_PLACED_CEASED", p.DateCeased, !placed.IsZero() && !ceased.IsZero() && ceased.Before(placed)
	}),
	ad1Rule("523", func(k *kid, a *AD1) (string, string, bool) {
		if len(k.placed) == 0 || a.DateInt == "" {
			return "", "", false
		}
		for _, p := range k.placed {
			if p.DatePlaced == a.DateInt {
				return "", "", false
			}
		}
		return "DATE_INT", a.DateInt, true
	}),
	rule{"601", func(k *kid) {
		if e := k.adoptedInYear(); e != nil && len(k.ad1) == 0 {
			k.ep("601", e, "REC", e.REC)
		}
	}},
	ad1Rule("602", func(k *kid, a *AD1) (string, string, bool) { return "CHILD", k.id, k.adoptedInYear() == nil }),

	// Placement types and their providers.
	episodeRule("526", func(_ *kid, e *Episode) (string, string, bool) {
		return "PLACE_PROVIDER", "", e.Place != "" && e.Provider == "" && !noProvider(e.Place)
	}),
	providerNot("527", "PR1", "P1", "R2", "R5"),
	providerNot("528", "PR2", "P1", "R2", "R5"),
	providerNot("529", "PR3", "P1", "A3", "A4", "A5", "A6", "K1", "K2", "U1", "U2", "U3", "U4", "U5", "U6"),
	providerNot("530", "PR4", "P1"),
	providerNot("531", "PR5", "P1"),
	episodeRule("550", func(_ *kid, e *Episode) (string, string, bool) {
		return "PLACE_PROVIDER", e.Provider, e.Provider == "PR0" && e.Place != "P1"
	}),

	// Outcomes that fit the child's age.
	oc2Rule("542", func(k *kid, o *OC2) (string, string, bool) {
		a := k.ageAt(k.y.End)
		return "CONVICTED", o.Convicted, o.Convicted != "" && a >= 0 && a < 10
	}),
	oc2Rule("543", func(k *kid, o *OC2) (string, string, bool) {
		return "CONVICTED", "", o.Convicted == "" && k.ageAt(k.y.End) >= 10 && k.continuouslyLookedAfter()
	}),
	oc2Rule("544", func(_ *kid, o *OC2) (string, string, bool) {
		return "CONVICTED", o.Convicted, o.Convicted != "" && !allFilled(healthItems(o)...)
	}),
	oc2Rule("545", func(k *kid, o *OC2) (string, string, bool) {
		a := k.ageAt(k.y.End)
		return "HEALTH_CHECK", "", o.HealthCheck == "" && a >= 0 && a < 5 && k.continuouslyLookedAfter()
	}),
	oc2Rule("546", func(k *kid, o *OC2) (string, string, bool) {
		return "HEALTH_CHECK", o.HealthCheck, o.HealthCheck != "" && k.ageAt(k.y.End) >= 5
	}),
	oc2Rule("547", func(_ *kid, o *OC2) (string, string, bool) {
		return "HEALTH_CHECK", o.HealthCheck, o.HealthCheck != "" && !allFilled(healthItems(o)...)
	}),

	// Missing periods.
	missingRule("564", func(_ *kid, m *Missing) (string, string, bool) {
		return "MIS_START", "", m.Missing != "" && m.Start == ""
	}),
	missingRule("565", func(_ *kid, m *Missing) (string, string, bool) {
		return "MISSING", "", m.Start != "" && m.Missing == ""
	}),
	missingRule("566", func(_ *kid, m *Missing) (string, string, bool) { return "MISSING", "", m.End != "" && m.Missing == "" }),
	missingRule("567", func(_ *kid, m *Missing) (string, string, bool) {
		start, end := date(m.Start), date(m.End)
		return "MIS_END", m.End, !start.IsZero() && !end.IsZero() && end.Before(start)
	}),
	missingRule("570", func(k *kid, m *Missing) (string, string, bool) {
		return "MIS_START", m.Start, date(m.Start).After(k.y.End)
	}),
	missingRule("571", func(k *kid, m *Missing) (string, string, bool) {
		end := date(m.End)
		return "MIS_END", m.End, !end.IsZero() && (end.Before(k.y.Start) || end.After(k.y.End))
	}),
	rule{"574", func(k *kid) {
		for i, m := range k.missing {
			for _, other := range k.missing[:i] {
				if during(date(m.Start), date(other.Start), date(other.End)) {
					k.report("574", "Missing", m.Line, "MIS_START", m.Start)
					break
				}
			}
		}
	}},
	missingRule("577", func(k *kid, m *Missing) (string, string, bool) {
		return "MIS_END", "", m.Start != "" && m.End == "" && !k.ceased().IsZero()
	}),
	missingRule("578", func(k *kid, m *Missing) (string, string, bool) {
		ceased := k.ceased()
		return "MIS_START", m.Start, !ceased.IsZero() && date(m.Start).After(ceased)
	}),
	missingRule("581", func(k *kid, m *Missing) (string, string, bool) {
		start := date(m.Start)
		return "MIS_START", m.Start, len(k.episodes) > 0 && !start.IsZero() && start.Before(date(k.episodes[0].DECOM))
	}),
	missingRule("586", func(k *kid, m *Missing) (string, string, bool) {
		start := date(m.Start)
		return "MIS_START", m.Start, !start.IsZero() && !k.dob.IsZero() && start.Before(k.dob)
	}),

	// Motherhood.
	headerRule("611", func(_ *kid, h *Header) (string, string, bool) { return "MC_DOB", "", h.Mother == "1" && h.MCDOB == "" }),
	headerRule("612", func(_ *kid, h *Header) (string, string, bool) {
		return "MOTHER", h.Mother, h.Sex == "F" && h.MCDOB != "" && h.Mother != "1"
	}),
	headerRule("620", func(k *kid, h *Header) (string, string, bool) {
		a := k.ageAt(k.y.Start)
		return "MOTHER", h.Mother, h.Mother == "1" && a >= 0 && a < 11
	}),
	headerRule("621", func(k *kid, h *Header) (string, string, bool) {
		first := date(h.MCDOB)
		return "MC_DOB", h.MCDOB, !first.IsZero() && !k.dob.IsZero() && !first.After(k.dob)
	}),
	headerRule("625", func(k *kid, h *Header) (string, string, bool) {
		first, ceased := date(h.MCDOB), k.ceased()
		return "MC_DOB", h.MCDOB, !first.IsZero() && (first.After(k.y.End) || (!ceased.IsZero() && first.After(ceased)))
	}),

	// Decisions that the child should be placed for adoption, one after another.
	placedRule("563", func(_ *kid, p *PlacedAdoption) (string, string, bool) {
		return "DATE_PLACED", "", p.DatePlaced == "" && (p.DateCeased != "" || p.ReasonCeased != "")
	}),
	rule{"579", func(k *kid) {
		for i, p := range k.placed {
			for _, earlier := range k.placed[:i] {
				if during(date(p.DatePlaced), date(earlier.DatePlaced), date(earlier.DateCeased)) {
					k.report("579", "PlacedAdoption", p.Line, "DATE_PLACED", p.DatePlaced)
					break
				}
			}
		}
	}},
	rule{"583", func(k *kid) {
		if len(k.placed) < 2 {
			return
		}
		for _, p := range k.placed[:len(k.placed)-1] {
			if p.DateCeased == "" {
				k.report("583", "PlacedAdoption", p.Line, "DATE_PLACED_CEASED", "")
			}
		}
	}},
	// Adopted from care before, and looked after again.
	rule{"199", func(k *kid) {
		var adopted civil.Date
		for _, e := range k.episodes {
			if !adopted.IsZero() && date(e.DECOM).After(adopted) {
				k.ep("199", e, "CHILD", k.id)
				return
			}
			if oneOf(e.REC, "E11", "E12") {
				adopted = date(e.DEC)
			}
		}
	}},

	// Care leavers with no care in the year.
	rule{"1012", func(k *kid) {
		if len(k.oc3) == 0 || len(k.episodes) > 0 {
			return
		}
		for table, n := range map[string]int{"Reviews": len(k.reviews), "Missing": len(k.missing), "OC2": len(k.oc2),
			"AD1": len(k.ad1), "PlacedAdoption": len(k.placed), "PrevPerm": len(k.prevPerm), "SWEpisodes": len(k.sw)} {
			if n > 0 {
				k.report("1012", "OC3", k.oc3[0].Line, "CHILD", table)
				return
			}
		}
	}},
	headerRule("628", func(k *kid, h *Header) (string, string, bool) {
		return "MOTHER", h.Mother, h.Mother != "" && len(k.episodes) == 0 && len(k.oc3) > 0
	}),

	// Previous permanence.
	rule{"630", func(k *kid) {
		for _, e := range k.episodes {
			if e.RNE == "S" && k.y.Contains(date(e.DECOM)) && len(k.prevPerm) == 0 {
				k.ep("630", e, "RNE", e.RNE)
				return
			}
		}
	}},
	perm("631", func(_ *kid, p *PrevPerm) (string, string, bool) {
		return "PREV_PERM", p.PrevPerm, p.PrevPerm != "" && !valid("PREV_PERM", p.PrevPerm)
	}),
	perm("635", func(_ *kid, p *PrevPerm) (string, string, bool) {
		return "PREV_PERM", p.PrevPerm, p.PrevPerm == "Z1" && (p.LAPerm != "" || p.DatePerm != "")
	}),
)

func perm(code string, c check[PrevPerm]) rule {
	return perRow(code, "PrevPerm", func(k *kid) []*PrevPerm { return k.prevPerm }, func(r *PrevPerm) int { return r.Line }, c)
}
