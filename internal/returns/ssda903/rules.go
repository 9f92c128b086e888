package ssda903

import (
	"regexp"
	"strconv"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// Helpers that keep each rule to its condition.

// valid tells whether v is a current code of the SSDA903 list named.
func valid(list, v string) bool { return casework.Valid(casework.CodeList(list), v) }

// badDate tells whether s is given but is not a dd/mm/yyyy date.
func badDate(s string) bool {
	_, ok := parseDate(s)
	return s != "" && !ok
}

// date reads s; zero when empty or malformed (the rules for malformed dates report those).
func date(s string) civil.Date {
	d, _ := parseDate(s)
	return d
}

func oneOf(v string, set ...string) bool {
	for _, s := range set {
		if v == s {
			return true
		}
	}
	return false
}

var (
	upnRE      = regexp.MustCompile(`^[A-Z][0-9]{11}[0-9A-Z]$`)
	urnRE      = regexp.MustCompile(`^(SC|EY)?[0-9]{6,7}$|^XXXXXXX$`)
	postcodeRE = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$`)
)

// noURN are the placement types that never carry an Ofsted URN (rules 218 and 222).
func noURN(place string) bool {
	return oneOf(place, "P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14")
}

// eachEpisode runs fn over the child's episodes, with the one before (nil for the first).
func (k *kid) eachEpisode(fn func(prev, e *Episode)) {
	var prev *Episode
	for _, e := range k.episodes {
		fn(prev, e)
		prev = e
	}
}

func (k *kid) ep(rule string, e *Episode, field, value string) {
	k.report(rule, "Episodes", e.Line, field, value)
}

// episodeField is a rule that every episode's value of one field must pass.
func episodeField(code, field string, get func(*Episode) string, bad func(e *Episode, v string) bool) rule {
	return rule{code, func(k *kid) {
		for _, e := range k.episodes {
			if v := get(e); bad(e, v) {
				k.ep(code, e, field, v)
			}
		}
	}}
}

// durationOver is a rule that an episode under a legal status lasts no more than max days.
func durationOver(code, ls string, maxDays int) rule {
	return rule{code, func(k *kid) {
		for _, e := range k.episodes {
			start, end := date(e.DECOM), date(e.DEC)
			if e.LS == ls && !start.IsZero() && !end.IsZero() && end.DaysSince(start) > maxDays {
				k.ep(code, e, "DEC", e.DEC)
			}
		}
	}}
}

// minimumAge is a rule that a child starting an episode in a placement type is at least some age.
func minimumAge(code, place string, years int) rule {
	return rule{code, func(k *kid) {
		for _, e := range k.episodes {
			if start := date(e.DECOM); e.Place == place && !start.IsZero() && !k.dob.IsZero() && age(k.dob, start) < years {
				k.ep(code, e, "PLACE", e.Place)
			}
		}
	}}
}

// rules are the DfE's rules over one child's rows. Each is tested on a hand-made child that breaks it
// (validate_test.go).
var rules = []rule{
	// Header.
	{"101", func(k *kid) {
		if h := k.header; h != nil && !valid("SEX", h.Sex) {
			k.report("101", "Header", h.Line, "SEX", h.Sex)
		}
	}},
	{"232", func(k *kid) {
		if h := k.header; h != nil && h.Sex == "U" {
			k.report("232", "Header", h.Line, "SEX", h.Sex)
		}
	}},
	{"102", func(k *kid) {
		if h := k.header; h != nil && k.dob.IsZero() {
			k.report("102", "Header", h.Line, "DOB", h.DOB)
		}
	}},
	{"301", func(k *kid) {
		if h := k.header; h != nil && k.dob.After(k.y.End) {
			k.report("301", "Header", h.Line, "DOB", h.DOB)
		}
	}},
	{"351", func(k *kid) {
		if h := k.header; h != nil && !k.dob.IsZero() && age(k.dob, k.y.Start) > 25 {
			k.report("351", "Header", h.Line, "DOB", h.DOB)
		}
	}},
	{"103", func(k *kid) {
		if h := k.header; h != nil && !valid("ETHNIC", h.Ethnic) {
			k.report("103", "Header", h.Line, "ETHNIC", h.Ethnic)
		}
	}},
	{"168", func(k *kid) {
		if h := k.header; h != nil && !upnRE.MatchString(h.UPN) && !valid("UPN_UNKNOWN", h.UPN) {
			k.report("168", "Header", h.Line, "UPN", h.UPN)
		}
	}},
	{"209", func(k *kid) {
		// School age: five by the start of the year.
		if h := k.header; h != nil && h.UPN == "UN1" && !k.dob.IsZero() && age(k.dob, k.y.Start) >= 5 {
			k.report("209", "Header", h.Line, "UPN", h.UPN)
		}
	}},
	{"165", func(k *kid) {
		if h := k.header; h != nil && h.Mother != "" && !valid("MOTHER", h.Mother) {
			k.report("165", "Header", h.Line, "MOTHER", h.Mother)
		}
	}},
	{"393", func(k *kid) {
		if h := k.header; h != nil && h.Sex == "F" && len(k.episodes) > 0 && h.Mother == "" {
			k.report("393", "Header", h.Line, "MOTHER", h.Mother)
		}
	}},
	{"171", func(k *kid) {
		if h := k.header; h != nil && badDate(h.MCDOB) {
			k.report("171", "Header", h.Line, "MC_DOB", h.MCDOB)
		}
	}},
	{"174", func(k *kid) {
		if h := k.header; h != nil && h.MCDOB != "" && h.Sex == "M" {
			k.report("174", "Header", h.Line, "MC_DOB", h.MCDOB)
		}
	}},

	// Episodes: codes and dates.
	episodeField("141", "DECOM", func(e *Episode) string { return e.DECOM }, func(_ *Episode, v string) bool { _, ok := parseDate(v); return !ok }),
	episodeField("147", "DEC", func(e *Episode) string { return e.DEC }, func(_ *Episode, v string) bool { return badDate(v) }),
	episodeField("143", "RNE", func(e *Episode) string { return e.RNE }, func(_ *Episode, v string) bool { return !valid("RNE", v) }),
	episodeField("144", "LS", func(e *Episode) string { return e.LS }, func(_ *Episode, v string) bool { return !valid("LS", v) }),
	episodeField("145", "CIN", func(e *Episode) string { return e.CIN }, func(_ *Episode, v string) bool { return !valid("CIN_NEED", v) }),
	episodeField("146", "PLACE", func(e *Episode) string { return e.Place }, func(_ *Episode, v string) bool { return !valid("PLACE", v) }),
	episodeField("149", "REC", func(e *Episode) string { return e.REC }, func(_ *Episode, v string) bool { return v != "" && !valid("REC", v) }),
	episodeField("148", "REC", func(e *Episode) string { return e.REC }, func(e *Episode, v string) bool { return (e.DEC == "") != (v == "") }),
	episodeField("178", "PLACE_PROVIDER", func(e *Episode) string { return e.Provider }, func(e *Episode, v string) bool {
		return v != "" && !valid("PLACE_PROVIDER", v)
	}),
	episodeField("213", "PLACE_PROVIDER", func(e *Episode) string { return e.Provider }, func(e *Episode, v string) bool {
		return v != "" && noProvider(e.Place)
	}),
	episodeField("1009", "REASON_PLACE_CHANGE", func(e *Episode) string { return e.ChangeReason }, func(e *Episode, v string) bool {
		return v != "" && !valid("REASON_PLACE_CHANGE", v)
	}),
	episodeField("226", "REASON_PLACE_CHANGE", func(e *Episode) string { return e.ChangeReason }, func(e *Episode, v string) bool {
		return v != "" && temporary(e.Place)
	}),
	episodeField("233", "REASON_PLACE_CHANGE", func(e *Episode) string { return e.ChangeReason }, func(e *Episode, v string) bool {
		return v != "" && e.DEC == ""
	}),
	episodeField("1008", "URN", func(e *Episode) string { return e.URN }, func(e *Episode, v string) bool {
		return v != "" && !urnRE.MatchString(v)
	}),
	episodeField("222", "URN", func(e *Episode) string { return e.URN }, func(e *Episode, v string) bool {
		return v != "" && v != "XXXXXXX" && noURN(e.Place)
	}),
	episodeField("218", "URN", func(e *Episode) string { return e.URN }, func(e *Episode, v string) bool {
		return v == "" && !noURN(e.Place) && valid("PLACE", e.Place)
	}),
	episodeField("353", "DECOM", func(e *Episode) string { return e.DECOM }, func(e *Episode, v string) bool {
		d := date(v)
		return !d.IsZero() && d.Before(civil.Date{Year: 1991, Month: 10, Day: 14})
	}),
	episodeField("356", "DEC", func(e *Episode) string { return e.DEC }, func(e *Episode, v string) bool {
		start, end := date(e.DECOM), date(v)
		return !start.IsZero() && !end.IsZero() && end.Before(start)
	}),
	{"385", func(k *kid) {
		k.eachEpisode(func(_, e *Episode) {
			if date(e.DEC).After(k.y.End) {
				k.ep("385", e, "DEC", e.DEC)
			}
		})
	}},
	{"392c", func(k *kid) {
		k.eachEpisode(func(_, e *Episode) {
			switch {
			case e.HomePost != "" && !postcodeRE.MatchString(e.HomePost):
				k.ep("392c", e, "HOME_POST", e.HomePost)
			case e.PlacementPost != "" && !postcodeRE.MatchString(e.PlacementPost):
				k.ep("392c", e, "PL_POST", e.PlacementPost)
			}
		})
	}},
	episodeField("392d", "PL_POST", func(e *Episode) string { return e.PlacementPost }, func(e *Episode, v string) bool {
		return v != "" && v == e.HomePost && e.Place != "P1"
	}),
	{"234", func(k *kid) {
		k.eachEpisode(func(_, e *Episode) {
			if e.ChangeReason == "CUSTOD" && !k.dob.IsZero() && age(k.dob, date(e.DEC)) < 10 {
				k.ep("234", e, "REASON_PLACE_CHANGE", e.ChangeReason)
			}
		})
	}},

	// Episodes against each other: the chain of a period of care.
	{"302", func(k *kid) {
		if len(k.episodes) > 0 && !k.dob.IsZero() && date(k.episodes[0].DECOM).Before(k.dob) {
			k.ep("302", k.episodes[0], "DECOM", k.episodes[0].DECOM)
		}
	}},
	{"142", func(k *kid) {
		k.eachEpisode(func(prev, e *Episode) {
			if prev != nil && prev.DEC == "" {
				k.ep("142", prev, "DEC", prev.DEC)
			}
		})
	}},
	{"355", func(k *kid) {
		k.eachEpisode(func(_, e *Episode) {
			if e.DECOM != "" && e.DECOM == e.DEC {
				k.ep("355", e, "DEC", e.DEC)
			}
		})
	}},
	{"388", func(k *kid) {
		k.eachEpisode(func(prev, e *Episode) {
			if prev != nil && prev.REC == "X1" && prev.DEC != e.DECOM {
				k.ep("388", prev, "REC", prev.REC)
			}
		})
		if n := len(k.episodes); n > 0 && k.episodes[n-1].REC == "X1" {
			k.ep("388", k.episodes[n-1], "REC", "X1")
		}
	}},
	{"357", func(k *kid) {
		// The first episode in the return starts a period of care unless it began before the year, so
		// continues one from last year.
		if len(k.episodes) > 0 {
			e := k.episodes[0]
			if start := date(e.DECOM); !start.Before(k.y.Start) && e.RNE != "S" {
				k.ep("357", e, "RNE", e.RNE)
			}
		}
	}},
	{"352", func(k *kid) {
		k.eachEpisode(func(_, e *Episode) {
			if e.RNE == "S" && !k.dob.IsZero() && age(k.dob, date(e.DECOM)) >= 18 {
				k.ep("352", e, "DECOM", e.DECOM)
			}
		})
	}},
	{"380", func(k *kid) {
		k.eachEpisode(func(_, e *Episode) {
			if e.RNE == "S" && temporary(e.Place) {
				k.ep("380", e, "PLACE", e.Place)
			}
		})
	}},
	{"381", func(k *kid) {
		k.eachEpisode(func(_, e *Episode) {
			if e.REC != "" && e.REC != "X1" && temporary(e.Place) {
				k.ep("381", e, "PLACE", e.Place)
			}
		})
	}},
	{"225", func(k *kid) {
		// A move to another placement (P, T, B or U) needs the reason on the episode that ended, unless that
		// placement was temporary.
		k.eachEpisode(func(prev, e *Episode) {
			if prev != nil && prev.DEC == e.DECOM && oneOf(e.RNE, "P", "T", "B", "U") && !temporary(prev.Place) &&
				prev.ChangeReason == "" {
				k.ep("225", prev, "REASON_PLACE_CHANGE", "")
			}
		})
	}},
	durationOver("361", "L1", 3),
	durationOver("362", "L2", 21),
	durationOver("363", "L3", 7),
	durationOver("365", "V3", 17),
	minimumAge("371", "K3", 16),
	minimumAge("372", "R5", 10),
	minimumAge("373", "S1", 4),
	minimumAge("374", "P3", 14),
	{"386", func(k *kid) {
		k.eachEpisode(func(_, e *Episode) {
			if oneOf(e.REC, "E11", "E12") && !k.dob.IsZero() && age(k.dob, date(e.DEC)) >= 18 {
				k.ep("386", e, "REC", e.REC)
			}
		})
	}},
	{"387", func(k *kid) {
		k.eachEpisode(func(_, e *Episode) {
			if oneOf(e.REC, "E5", "E6") && !k.dob.IsZero() && age(k.dob, date(e.DEC)) < 14 {
				k.ep("387", e, "REC", e.REC)
			}
		})
	}},
	{"389", func(k *kid) {
		k.eachEpisode(func(_, e *Episode) {
			if e.REC == "E7" && !k.dob.IsZero() && age(k.dob, date(e.DEC)) < 16 {
				k.ep("389", e, "REC", e.REC)
			}
		})
	}},
	{"390", func(k *kid) {
		k.eachEpisode(func(_, e *Episode) {
			if oneOf(e.REC, "E11", "E12") && !oneOf(e.Place, "A3", "A4", "A5", "A6") {
				k.ep("390", e, "REC", e.REC)
			}
		})
	}},

	// Reviews and missing.
	{"166", func(k *kid) {
		for _, r := range k.reviews {
			if _, ok := parseDate(r.Review); !ok {
				k.report("166", "Reviews", r.Line, "REVIEW", r.Review)
			}
		}
	}},
	{"167", func(k *kid) {
		for _, r := range k.reviews {
			if !valid("REVIEW_CODE", r.Code) {
				k.report("167", "Reviews", r.Line, "REVIEW_CODE", r.Code)
			}
		}
	}},
	{"1004", func(k *kid) {
		for _, m := range k.missing {
			if _, ok := parseDate(m.Start); !ok {
				k.report("1004", "Missing", m.Line, "MIS_START", m.Start)
			}
		}
	}},
	{"1005", func(k *kid) {
		for _, m := range k.missing {
			if badDate(m.End) {
				k.report("1005", "Missing", m.Line, "MIS_END", m.End)
			}
		}
	}},
	{"1006", func(k *kid) {
		for _, m := range k.missing {
			if !valid("MISSING", m.Missing) {
				k.report("1006", "Missing", m.Line, "MISSING", m.Missing)
			}
		}
	}},

	// UASC.
	{"104", func(k *kid) {
		for _, u := range k.uasc {
			if badDate(u.DUC) {
				k.report("104", "UASC", u.Line, "DUC", u.DUC)
			}
		}
	}},
	{"304", func(k *kid) {
		for _, u := range k.uasc {
			if d := date(u.DUC); !d.IsZero() && !k.dob.IsZero() && d.After(birthday(k.dob, 18)) {
				k.report("304", "UASC", u.Line, "DUC", u.DUC)
			}
		}
	}},

	// Outcomes of children looked after for a year (OC2).
	{"180", func(k *kid) {
		for _, o := range k.oc2 {
			if n, err := strconv.Atoi(o.SDQScore); o.SDQScore != "" && (err != nil || n < 0 || n > 40) {
				k.report("180", "OC2", o.Line, "SDQ_SCORE", o.SDQScore)
			}
		}
	}},
	{"196", func(k *kid) {
		for _, o := range k.oc2 {
			if o.SDQReason != "" && !valid("SDQ_REASON", o.SDQReason) {
				k.report("196", "OC2", o.Line, "SDQ_REASON", o.SDQReason)
			}
		}
	}},
	{"197a", func(k *kid) {
		for _, o := range k.oc2 {
			if o.SDQScore != "" && o.SDQReason != "" {
				k.report("197a", "OC2", o.Line, "SDQ_REASON", o.SDQReason)
			}
		}
	}},
	{"181", func(k *kid) {
		for _, o := range k.oc2 {
			for _, v := range []string{o.Convicted, o.HealthCheck, o.Immunisations, o.TeethCheck, o.HealthAssessment,
				o.SubstanceMisuse, o.InterventionReceived, o.InterventionOffered} {
				if v != "" && v != "0" && v != "1" {
					k.report("181", "OC2", o.Line, "CONVICTED", v)
					break
				}
			}
		}
	}},
	{"191", func(k *kid) {
		for _, o := range k.oc2 {
			if o.Immunisations == "" || o.TeethCheck == "" || o.HealthAssessment == "" || o.SubstanceMisuse == "" {
				k.report("191", "OC2", o.Line, "HEALTH_ASSESSMENT", o.HealthAssessment)
			}
		}
	}},
	{"192", func(k *kid) {
		for _, o := range k.oc2 {
			if o.SubstanceMisuse == "1" && o.InterventionReceived == "" {
				k.report("192", "OC2", o.Line, "INTERVENTION_RECEIVED", "")
			}
		}
	}},
	{"193", func(k *kid) {
		for _, o := range k.oc2 {
			if o.SubstanceMisuse != "1" && (o.InterventionReceived != "" || o.InterventionOffered != "") {
				k.report("193", "OC2", o.Line, "INTERVENTION_RECEIVED", o.InterventionReceived)
			}
		}
	}},
	{"158", func(k *kid) {
		for _, o := range k.oc2 {
			if o.InterventionReceived == "1" && o.InterventionOffered != "" {
				k.report("158", "OC2", o.Line, "INTERVENTION_OFFERED", o.InterventionOffered)
			}
		}
	}},
	{"159", func(k *kid) {
		for _, o := range k.oc2 {
			if o.SubstanceMisuse == "1" && o.InterventionReceived == "0" && o.InterventionOffered == "" {
				k.report("159", "OC2", o.Line, "INTERVENTION_OFFERED", "")
			}
		}
	}},
	{"188", func(k *kid) {
		for _, o := range k.oc2 {
			if !k.dob.IsZero() && age(k.dob, k.y.End) < 4 && (o.SDQScore != "" || o.SDQReason != "") {
				k.report("188", "OC2", o.Line, "SDQ_SCORE", o.SDQScore+o.SDQReason)
			}
		}
	}},
	{"189", func(k *kid) {
		for _, o := range k.oc2 {
			if !k.dob.IsZero() && age(k.dob, k.y.Start) >= 17 && (o.SDQScore != "" || o.SDQReason != "") {
				k.report("189", "OC2", o.Line, "SDQ_SCORE", o.SDQScore+o.SDQReason)
			}
		}
	}},

	// Care leavers (OC3).
	{"131", func(k *kid) {
		for _, o := range k.oc3 {
			if !valid("IN_TOUCH", o.InTouch) {
				k.report("131", "OC3", o.Line, "IN_TOUCH", o.InTouch)
			}
		}
	}},
	{"132", func(k *kid) {
		for _, o := range k.oc3 {
			if !valid("ACTIV", o.Activ) {
				k.report("132", "OC3", o.Line, "ACTIV", o.Activ)
			}
		}
	}},
	{"133", func(k *kid) {
		for _, o := range k.oc3 {
			if !valid("ACCOM", o.Accom) {
				k.report("133", "OC3", o.Line, "ACCOM", o.Accom)
			}
		}
	}},
	{"345", func(k *kid) {
		for _, o := range k.oc3 {
			if o.InTouch == "YES" && (o.Activ == "0" || o.Accom == "0") {
				k.report("345", "OC3", o.Line, "ACTIV", o.Activ+" / "+o.Accom)
			}
		}
	}},
	{"391", func(k *kid) {
		for _, o := range k.oc3 {
			if k.dob.IsZero() {
				continue
			}
			if young, old := age(k.dob, k.y.End), age(k.dob, k.y.Start); young < 17 || old > 21 {
				k.report("391", "OC3", o.Line, "DOB", o.DOB)
			}
		}
	}},

	// Adoption.
	{"112", func(k *kid) {
		for _, a := range k.ad1 {
			if badDate(a.DateInt) {
				k.report("112", "AD1", a.Line, "DATE_INT", a.DateInt)
			}
		}
	}},
	{"113", func(k *kid) {
		for _, a := range k.ad1 {
			if badDate(a.DateMatch) {
				k.report("113", "AD1", a.Line, "DATE_MATCH", a.DateMatch)
			}
		}
	}},
	{"114", func(k *kid) {
		for _, a := range k.ad1 {
			if a.FosterCare != "" && a.FosterCare != "0" && a.FosterCare != "1" {
				k.report("114", "AD1", a.Line, "FOSTER_CARE", a.FosterCare)
			}
		}
	}},
	{"175", func(k *kid) {
		for _, a := range k.ad1 {
			if a.Adopters != "" && !valid("NB_ADOPTR", a.Adopters) {
				k.report("175", "AD1", a.Line, "NB_ADOPTR", a.Adopters)
			}
		}
	}},
	{"176", func(k *kid) {
		for _, a := range k.ad1 {
			if a.AdoptersSex != "" && !valid("SEX_ADOPTR", a.AdoptersSex) {
				k.report("176", "AD1", a.Line, "SEX_ADOPTR", a.AdoptersSex)
			}
		}
	}},
	{"177", func(k *kid) {
		for _, a := range k.ad1 {
			if a.AdoptersStatus != "" && !valid("LS_ADOPTR", a.AdoptersStatus) {
				k.report("177", "AD1", a.Line, "LS_ADOPTR", a.AdoptersStatus)
			}
		}
	}},
	{"151", func(k *kid) {
		for _, a := range k.ad1 {
			cells := []string{a.DateInt, a.DateMatch, a.FosterCare, a.Adopters, a.AdoptersSex, a.AdoptersStatus}
			blank := 0
			for _, c := range cells {
				if c == "" {
					blank++
				}
			}
			if blank != 0 && blank != len(cells) {
				k.report("151", "AD1", a.Line, "DATE_INT", a.DateInt)
			}
		}
	}},
	{"333", func(k *kid) {
		for _, a := range k.ad1 {
			if i, m := date(a.DateInt), date(a.DateMatch); !i.IsZero() && !m.IsZero() && m.Before(i) {
				k.report("333", "AD1", a.Line, "DATE_INT", a.DateInt)
			}
		}
	}},
	{"115", func(k *kid) {
		for _, p := range k.placed {
			if _, ok := parseDate(p.DatePlaced); !ok {
				k.report("115", "PlacedAdoption", p.Line, "DATE_PLACED", p.DatePlaced)
			}
		}
	}},
	{"116", func(k *kid) {
		for _, p := range k.placed {
			if badDate(p.DateCeased) {
				k.report("116", "PlacedAdoption", p.Line, "DATE_PLACED_CEASED", p.DateCeased)
			}
		}
	}},
	{"119", func(k *kid) {
		for _, p := range k.placed {
			if (p.DateCeased == "") != (p.ReasonCeased == "") {
				k.report("119", "PlacedAdoption", p.Line, "REASON_PLACED_CEASED", p.ReasonCeased)
			}
		}
	}},
	{"120", func(k *kid) {
		for _, p := range k.placed {
			if p.ReasonCeased != "" && !valid("REASON_PLACED_CEASED", p.ReasonCeased) {
				k.report("120", "PlacedAdoption", p.Line, "REASON_PLACED_CEASED", p.ReasonCeased)
			}
		}
	}},
	{"184", func(k *kid) {
		for _, p := range k.placed {
			if d := date(p.DatePlaced); !d.IsZero() && d.Before(k.dob) {
				k.report("184", "PlacedAdoption", p.Line, "DATE_PLACED", p.DatePlaced)
			}
		}
	}},

	// Social worker episodes.
	{"SW01aSTG1", func(k *kid) {
		for _, s := range k.sw {
			if s.SWID == "" || s.DECOM == "" {
				k.report("SW01aSTG1", "SWEpisodes", s.Line, "SW_ID", s.SWID)
			}
		}
	}},
	{"SW01bSTG1", func(k *kid) {
		for _, s := range k.sw {
			if d := date(s.DECOM); !d.IsZero() && !d.Before(civil.Date{Year: 2023, Month: 4, Day: 1}) && s.Reason == "" {
				k.report("SW01bSTG1", "SWEpisodes", s.Line, "SW_REASON", "")
			}
		}
	}},
	{"SW02STG1", func(k *kid) {
		for _, s := range k.sw {
			if s.SWID != "" && (len(s.SWID) < 2 || (s.SWID[:2] != "SW" && s.SWID[:2] != "XX")) {
				k.report("SW02STG1", "SWEpisodes", s.Line, "SW_ID", s.SWID)
			}
		}
	}},
	{"SW04STG1", func(k *kid) {
		for _, s := range k.sw {
			if badDate(s.DECOM) {
				k.report("SW04STG1", "SWEpisodes", s.Line, "SW_DECOM", s.DECOM)
			}
		}
	}},
	{"SW05STG1", func(k *kid) {
		for _, s := range k.sw {
			if badDate(s.DEC) {
				k.report("SW05STG1", "SWEpisodes", s.Line, "SW_DEC", s.DEC)
			}
		}
	}},
	{"SW13STG1", func(k *kid) {
		for _, s := range k.sw {
			if s.Reason != "" && !valid("SW_REASON", s.Reason) {
				k.report("SW13STG1", "SWEpisodes", s.Line, "SW_REASON", s.Reason)
			}
		}
	}},
	{"SW06STG2", func(k *kid) {
		for _, s := range k.sw {
			if date(s.DECOM).After(k.y.End) {
				k.report("SW06STG2", "SWEpisodes", s.Line, "SW_DECOM", s.DECOM)
			}
		}
	}},
	{"SW07STG2", func(k *kid) {
		for _, s := range k.sw {
			if d := date(s.DEC); !d.IsZero() && (d.Before(k.y.Start) || d.After(k.y.End)) {
				k.report("SW07STG2", "SWEpisodes", s.Line, "SW_DEC", s.DEC)
			}
		}
	}},
	{"SW08STG2", func(k *kid) {
		for i := 1; i < len(k.sw); i++ {
			if k.sw[i-1].DEC == "" {
				k.report("SW08STG2", "SWEpisodes", k.sw[i-1].Line, "SW_DEC", "")
			}
		}
	}},
	{"SW09STG2", func(k *kid) {
		for _, s := range k.sw {
			if s.DECOM != "" && s.DECOM == s.DEC {
				k.report("SW09STG2", "SWEpisodes", s.Line, "SW_DEC", s.DEC)
			}
		}
	}},
	{"SW10STG2", func(k *kid) {
		for i := 1; i < len(k.sw); i++ {
			if end, start := date(k.sw[i-1].DEC), date(k.sw[i].DECOM); !end.IsZero() && start.Before(end) {
				k.report("SW10STG2", "SWEpisodes", k.sw[i].Line, "SW_DECOM", k.sw[i].DECOM)
			}
		}
	}},
	{"SW11bSTG2", func(k *kid) {
		if n := len(k.sw); n > 0 && k.sw[n-1].DEC != "" && date(k.sw[n-1].DEC).Before(k.y.End) && k.lookedAfterEnd {
			k.report("SW11bSTG2", "SWEpisodes", k.sw[n-1].Line, "SW_DEC", k.sw[n-1].DEC)
		}
	}},
	{"SW17STG2", func(k *kid) {
		if !k.lookedAfterEnd {
			return
		}
		for _, s := range k.sw {
			if s.DEC == "" {
				return
			}
		}
		line := 0
		if len(k.episodes) > 0 {
			line = k.episodes[len(k.episodes)-1].Line
		}
		k.report("SW17STG2", "Episodes", line, "SW_DEC", "")
	}},

	// Tables against Header.
	{"INT01", func(k *kid) {
		if k.header == nil && len(k.ad1) > 0 {
			k.report("INT01", "AD1", k.ad1[0].Line, "CHILD", k.id)
		}
	}},
	{"INT02", func(k *kid) {
		if k.header == nil && len(k.placed) > 0 {
			k.report("INT02", "PlacedAdoption", k.placed[0].Line, "CHILD", k.id)
		}
	}},
	{"INT03", func(k *kid) {
		if k.header == nil && len(k.episodes) > 0 {
			k.ep("INT03", k.episodes[0], "CHILD", k.id)
		}
	}},
}
