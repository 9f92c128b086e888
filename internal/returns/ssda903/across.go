package ssda903

import "github.com/continuum-cs/continuum/internal/civil"

// Rules across a child's rows: the chain of episodes and what each reason for a new episode says changed, ages at
// the events the codes name, and which tables a child may appear in together. Each is tested on a hand-made child
// that breaks it (validate_test.go).

// chainRule is a rule over each episode with the one before it (never the first): check says whether the pair
// breaks it, and if so which field and value of the later episode to report.
func chainRule(code string, check func(k *kid, prev, e *Episode) (field, value string, bad bool)) rule {
	return rule{code, func(k *kid) {
		k.eachEpisode(func(prev, e *Episode) {
			if prev == nil {
				return
			}
			if field, value, bad := check(k, prev, e); bad {
				k.ep(code, e, field, value)
			}
		})
	}}
}

// moved tells whether the placement changed from one episode to the next.
func moved(prev, e *Episode) bool {
	return prev.Place != e.Place || prev.Provider != e.Provider || prev.PlacementPost != e.PlacementPost || prev.URN != e.URN
}

// periodStart is the episode that began the period of care e is in, as far as the return shows, or nil.
func (k *kid) periodStart(e *Episode) *Episode {
	var start *Episode
	for _, x := range k.episodes {
		if x.RNE == "S" {
			start = x
		}
		if x == e {
			return start
		}
	}
	return nil
}

// latestStart is the day the child's latest period of care in the return began, or zero.
func (k *kid) latestStart() civil.Date {
	var d civil.Date
	for _, e := range k.episodes {
		if e.RNE == "S" {
			d = date(e.DECOM)
		}
	}
	return d
}

// continuouslyLookedAfter tells whether the child was looked after, other than under V3 or V4 (short breaks), for
// the whole twelve months to 31 March: a chain of episodes from on or before the year began, open at its end.
func (k *kid) continuouslyLookedAfter() bool {
	var from civil.Date
	var prev *Episode
	for _, e := range k.episodes {
		if oneOf(e.LS, "V3", "V4") {
			from, prev = civil.Date{}, e
			continue
		}
		if prev == nil || prev.DEC != e.DECOM || oneOf(prev.LS, "V3", "V4") || from.IsZero() {
			from = date(e.DECOM)
		}
		prev = e
	}
	return prev != nil && prev.DEC == "" && !from.IsZero() && !from.After(k.y.Start) && !oneOf(prev.LS, "V3", "V4")
}

// filled tells whether any of the cells holds something.
func filled(cells ...string) bool {
	for _, c := range cells {
		if c != "" {
			return true
		}
	}
	return false
}

// twelveMonthItems are OC2's items other than the SDQ.
func twelveMonthItems(o *OC2) []string {
	return []string{o.Convicted, o.HealthCheck, o.Immunisations, o.TeethCheck, o.HealthAssessment, o.SubstanceMisuse,
		o.InterventionReceived, o.InterventionOffered}
}

// tables is a rule that a child found in one table (the first rows given) should not be in another as well.
func tables(code, table, field string, these func(k *kid) []int, others func(k *kid) bool) rule {
	return rule{code, func(k *kid) {
		if !others(k) {
			return
		}
		for _, line := range these(k) {
			k.report(code, table, line, field, "")
		}
	}}
}

func oc3Lines(k *kid) []int {
	var out []int
	for _, o := range k.oc3 {
		out = append(out, o.Line)
	}
	return out
}

func oc2Lines(k *kid) []int {
	var out []int
	for _, o := range k.oc2 {
		out = append(out, o.Line)
	}
	return out
}

var acrossRules = []rule{
	// The chain of episodes.
	chainRule("431", func(_ *kid, prev, e *Episode) (string, string, bool) {
		return "RNE", e.RNE, e.RNE == "S" && prev.DEC == e.DECOM
	}),
	chainRule("432", func(_ *kid, prev, e *Episode) (string, string, bool) {
		return "RNE", e.RNE, prev.DEC != "" && prev.REC != "" && prev.REC != "X1" && e.RNE != "S"
	}),
	chainRule("433", func(_ *kid, prev, e *Episode) (string, string, bool) {
		return "DECOM", e.DECOM, oneOf(e.RNE, "P", "L", "T", "U", "B") && prev.REC == "X1" && prev.DEC != e.DECOM
	}),
	chainRule("434", func(_ *kid, prev, e *Episode) (string, string, bool) {
		return "RNE", e.RNE, e.RNE == "L" && prev.REC == "X1" && (e.LS == prev.LS || moved(prev, e))
	}),
	chainRule("435", func(_ *kid, prev, e *Episode) (string, string, bool) {
		return "RNE", e.RNE, oneOf(e.RNE, "P", "T") && prev.REC == "X1" && (e.LS != prev.LS || !moved(prev, e))
	}),
	chainRule("436", func(_ *kid, prev, e *Episode) (string, string, bool) {
		return "RNE", e.RNE, oneOf(e.RNE, "B", "U") && prev.REC == "X1" && (e.LS == prev.LS || !moved(prev, e))
	}),
	chainRule("501", func(_ *kid, prev, e *Episode) (string, string, bool) {
		end, start := date(prev.DEC), date(e.DECOM)
		return "DECOM", e.DECOM, !end.IsZero() && !start.IsZero() && start.Before(end)
	}),
	chainRule("504", func(k *kid, _, e *Episode) (string, string, bool) {
		s := k.periodStart(e)
		return "CIN", e.CIN, s != nil && s != e && s.CIN != e.CIN
	}),
	{"437", func(k *kid) {
		k.eachEpisode(func(_, e *Episode) {
			end := date(e.DEC)
			if !oneOf(e.REC, "E2", "E15", "E17") || end.IsZero() {
				return
			}
			for _, later := range k.episodes {
				if date(later.DECOM).After(end) || (later != e && later.DECOM == e.DEC) {
					k.ep("437", e, "REC", e.REC)
					return
				}
			}
		})
	}},

	// Dates and ages on one episode.
	episodeRule("354", func(k *kid, e *Episode) (string, string, bool) {
		return "DECOM", e.DECOM, date(e.DECOM).After(k.y.End)
	}),
	episodeRule("358", func(k *kid, e *Episode) (string, string, bool) {
		a := k.ageAt(date(e.DECOM))
		return "LS", e.LS, oneOf(e.LS, "J1", "J2", "J3") && a >= 0 && a < 10
	}),
	ageAtEnd("407", []string{"E45", "E46", "E47", "E48"}, func(age int) bool { return age >= 18 }),
	ageAtEnd("460", []string{"E17"}, func(age int) bool { return age < 18 }),
	episodeRule("446", func(_ *kid, e *Episode) (string, string, bool) {
		d := date(e.DECOM)
		return "LS", e.LS, e.LS == "E1" && !d.IsZero() && d.Before(civil.Date{Year: 2005, Month: 12, Day: 1})
	}),
	episodeRule("378", func(_ *kid, e *Episode) (string, string, bool) {
		return "PLACE", e.Place, e.LS == "V2" && e.Place == "P1"
	}),
	episodeRule("382", func(_ *kid, e *Episode) (string, string, bool) {
		return "PLACE", e.Place, oneOf(e.LS, "V3", "V4") && oneOf(e.Place, "T0", "T1", "T2", "T3", "T4")
	}),
	episodeRule("384", func(_ *kid, e *Episode) (string, string, bool) {
		return "PLACE", e.Place, oneOf(e.LS, "V3", "V4") && oneOf(e.Place, "U1", "U4")
	}),
	// The episode a placement for adoption with the foster carers began (not a later change of legal status).
	episodeRule("217", func(_ *kid, e *Episode) (string, string, bool) {
		d := date(e.DECOM)
		return "RNE", e.RNE, oneOf(e.Place, "A3", "A5") && !d.Before(civil.Date{Year: 2015, Month: 4, Day: 1}) &&
			!oneOf(e.RNE, "S", "T", "U", "L")
	}),

	// Reviews: how the child took part fits their age.
	reviewRule("440", func(k *kid, r *Review) (string, string, bool) {
		return "REVIEW_CODE", r.Code, r.Code == "PN0" && k.ageAt(date(r.Review)) >= 4
	}),
	reviewRule("441", func(k *kid, r *Review) (string, string, bool) {
		a := k.ageAt(date(r.Review))
		return "REVIEW_CODE", r.Code, r.Code != "PN0" && r.Code != "" && a >= 0 && a < 4
	}),

	// Adoption against the episodes.
	placedRule("1003", func(k *kid, p *PlacedAdoption) (string, string, bool) {
		d := date(p.DatePlaced)
		for _, e := range k.episodes {
			if e.RNE == "S" {
				return "DATE_PLACED", p.DatePlaced, !d.IsZero() && d.Before(date(e.DECOM))
			}
		}
		return "", "", false
	}),
	ad1Rule("334", func(k *kid, a *AD1) (string, string, bool) {
		d, start := date(a.DateInt), k.latestStart()
		return "DATE_INT", a.DateInt, !d.IsZero() && !start.IsZero() && d.Before(start)
	}),
	ad1Rule("331", func(k *kid, a *AD1) (string, string, bool) {
		m := date(a.DateMatch)
		for _, e := range k.episodes {
			if oneOf(e.Place, "A3", "A4", "A5", "A6") && !date(e.DECOM).Before(k.latestStart()) {
				return "DATE_MATCH", a.DateMatch, !m.IsZero() && m.After(date(e.DECOM))
			}
		}
		return "", "", false
	}),
	ad1Rule("511", func(_ *kid, a *AD1) (string, string, bool) {
		return "SEX_ADOPTR", a.AdoptersSex, a.Adopters == "2" && a.AdoptersSex != "" && !oneOf(a.AdoptersSex, "MM", "FF", "MF")
	}),
	ad1Rule("514", func(_ *kid, a *AD1) (string, string, bool) {
		return "LS_ADOPTR", a.AdoptersStatus, a.AdoptersStatus == "L0" && oneOf(a.AdoptersSex, "MM", "FF", "MF")
	}),

	// Outcomes only for a child looked after for the twelve months.
	oc2Rule("185", func(k *kid, o *OC2) (string, string, bool) {
		return "SDQ_SCORE", o.SDQScore, o.SDQScore != "" && !k.continuouslyLookedAfter()
	}),
	oc2Rule("198", func(k *kid, o *OC2) (string, string, bool) {
		return "SDQ_REASON", o.SDQReason, o.SDQReason != "" && !k.continuouslyLookedAfter()
	}),
	oc2Rule("190", func(k *kid, o *OC2) (string, string, bool) {
		return "CONVICTED", "", filled(twelveMonthItems(o)...) && !k.continuouslyLookedAfter()
	}),

	// Care leavers.
	{"1000", func(k *kid) {
		for _, e := range k.episodes {
			if e.REC == "E2" {
				for _, o := range k.oc3 {
					k.report("1000", "OC3", o.Line, "IN_TOUCH", o.InTouch)
				}
				return
			}
		}
	}},
	{"1011", func(k *kid) {
		if n := len(k.episodes); n > 0 && k.episodes[n-1].REC == "E3" {
			for _, o := range k.oc3 {
				k.report("1011", "OC3", o.Line, "IN_TOUCH", o.InTouch)
			}
		}
	}},
	oc3Rule("347", func(k *kid, o *OC3) (string, string, bool) {
		a := k.ageAt(k.y.End)
		return "ACCOM", o.Accom, oneOf(o.Accom, "T1", "T2") && a >= 0 && a < 18
	}),
	// Around the 17th birthday a young person cannot be living with former foster carers.
	oc3Rule("3001", func(k *kid, o *OC3) (string, string, bool) {
		return "ACCOM", o.Accom, oneOf(o.Accom, "Z1", "Z2") && k.ageAt(k.y.End) == 17
	}),
	tables("134", "OC3", "IN_TOUCH", oc3Lines, func(k *kid) bool { return len(k.ad1) > 0 }),
	tables("187", "OC2", "CHILD", oc2Lines, func(k *kid) bool { return len(k.ad1) > 0 || len(k.oc3) > 0 }),
	tables("1014", "OC3", "IN_TOUCH", oc3Lines, func(k *kid) bool { return len(k.uasc) > 0 && len(k.episodes) == 0 }),
}
