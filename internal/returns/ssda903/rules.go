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

// during tells whether day d falls in a span from one day until, but not including, another; a span with no end
// is still open.
func during(d, from, to civil.Date) bool {
	return !d.IsZero() && !from.IsZero() && !d.Before(from) && (to.IsZero() || d.Before(to))
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

// perRow is a rule over each row of one table: check says whether the row breaks it, and if so which field and
// value to report.
func perRow[T any](code, table string, rows func(*kid) []*T, line func(*T) int, check func(*kid, *T) (string, string, bool)) rule {
	return rule{code, func(k *kid) {
		for _, r := range rows(k) {
			if field, value, bad := check(k, r); bad {
				k.report(code, table, line(r), field, value)
			}
		}
	}}
}

type check[T any] func(*kid, *T) (field, value string, bad bool)

func headerRule(code string, c check[Header]) rule {
	return perRow(code, "Header", func(k *kid) []*Header {
		if k.header == nil {
			return nil
		}
		return []*Header{k.header}
	}, func(h *Header) int { return h.Line }, c)
}

func episodeRule(code string, c check[Episode]) rule {
	return perRow(code, "Episodes", func(k *kid) []*Episode { return k.episodes }, func(r *Episode) int { return r.Line }, c)
}

func reviewRule(code string, c check[Review]) rule {
	return perRow(code, "Reviews", func(k *kid) []*Review { return k.reviews }, func(r *Review) int { return r.Line }, c)
}

func missingRule(code string, c check[Missing]) rule {
	return perRow(code, "Missing", func(k *kid) []*Missing { return k.missing }, func(r *Missing) int { return r.Line }, c)
}

func uascRule(code string, c check[UASC]) rule {
	return perRow(code, "UASC", func(k *kid) []*UASC { return k.uasc }, func(r *UASC) int { return r.Line }, c)
}

func oc2Rule(code string, c check[OC2]) rule {
	return perRow(code, "OC2", func(k *kid) []*OC2 { return k.oc2 }, func(r *OC2) int { return r.Line }, c)
}

func oc3Rule(code string, c check[OC3]) rule {
	return perRow(code, "OC3", func(k *kid) []*OC3 { return k.oc3 }, func(r *OC3) int { return r.Line }, c)
}

func ad1Rule(code string, c check[AD1]) rule {
	return perRow(code, "AD1", func(k *kid) []*AD1 { return k.ad1 }, func(r *AD1) int { return r.Line }, c)
}

func placedRule(code string, c check[PlacedAdoption]) rule {
	return perRow(code, "PlacedAdoption", func(k *kid) []*PlacedAdoption { return k.placed }, func(r *PlacedAdoption) int { return r.Line }, c)
}

func swRule(code string, c check[SWEpisode]) rule {
	return perRow(code, "SWEpisodes", func(k *kid) []*SWEpisode { return k.sw }, func(r *SWEpisode) int { return r.Line }, c)
}

// ageAt is the child's age on day d, or -1 when the birth date or d is not known.
func (k *kid) ageAt(d civil.Date) int {
	if k.dob.IsZero() || d.IsZero() {
		return -1
	}
	return civil.Age(k.dob, d)
}

// durationOver is a rule that an episode under a legal status lasts no more than max days.
func durationOver(code, ls string, maxDays int) rule {
	return episodeRule(code, func(_ *kid, e *Episode) (string, string, bool) {
		start, end := date(e.DECOM), date(e.DEC)
		return "DEC", e.DEC, e.LS == ls && !start.IsZero() && !end.IsZero() && end.DaysSince(start) > maxDays
	})
}

// minimumAge is a rule that a child starting an episode in a placement type is at least some age.
func minimumAge(code, place string, years int) rule {
	return episodeRule(code, func(k *kid, e *Episode) (string, string, bool) {
		a := k.ageAt(date(e.DECOM))
		return "PLACE", e.Place, e.Place == place && a >= 0 && a < years
	})
}

// ageAtEnd is a rule about how old a child may be when an episode ends for some reasons: bad says whether an
// age breaks it.
func ageAtEnd(code string, reasons []string, bad func(age int) bool) rule {
	return episodeRule(code, func(k *kid, e *Episode) (string, string, bool) {
		a := k.ageAt(date(e.DEC))
		return "REC", e.REC, oneOf(e.REC, reasons...) && a >= 0 && bad(a)
	})
}

// fileRules are the DfE's rules over one child's rows in this year's return. Each is tested on a hand-made child
// that breaks it (validate_test.go).
var fileRules = []rule{
	// Header.
	headerRule("101", func(_ *kid, h *Header) (string, string, bool) { return "SEX", h.Sex, !valid("SEX", h.Sex) }),
	headerRule("232", func(_ *kid, h *Header) (string, string, bool) { return "SEX", h.Sex, h.Sex == "U" }),
	headerRule("102", func(k *kid, h *Header) (string, string, bool) { return "DOB", h.DOB, k.dob.IsZero() }),
	headerRule("301", func(k *kid, h *Header) (string, string, bool) { return "DOB", h.DOB, k.dob.After(k.y.End) }),
	headerRule("351", func(k *kid, h *Header) (string, string, bool) { return "DOB", h.DOB, k.ageAt(k.y.Start) > 25 }),
	headerRule("103", func(_ *kid, h *Header) (string, string, bool) { return "ETHNIC", h.Ethnic, !valid("ETHNIC", h.Ethnic) }),
	headerRule("168", func(_ *kid, h *Header) (string, string, bool) {
		return "UPN", h.UPN, !upnRE.MatchString(h.UPN) && !valid("UPN_UNKNOWN", h.UPN)
	}),
	// School age: five by the start of the year.
	headerRule("209", func(k *kid, h *Header) (string, string, bool) {
		return "UPN", h.UPN, h.UPN == "UN1" && k.ageAt(k.y.Start) >= 5
	}),
	headerRule("165", func(_ *kid, h *Header) (string, string, bool) {
		return "MOTHER", h.Mother, h.Mother != "" && !valid("MOTHER", h.Mother)
	}),
	headerRule("393", func(k *kid, h *Header) (string, string, bool) {
		return "MOTHER", h.Mother, h.Sex == "F" && len(k.episodes) > 0 && h.Mother == ""
	}),
	headerRule("171", func(_ *kid, h *Header) (string, string, bool) { return "MC_DOB", h.MCDOB, badDate(h.MCDOB) }),
	headerRule("174", func(_ *kid, h *Header) (string, string, bool) {
		return "MC_DOB", h.MCDOB, h.MCDOB != "" && h.Sex == "M"
	}),

	// Episodes: codes and dates.
	episodeRule("141", func(_ *kid, e *Episode) (string, string, bool) {
		_, ok := parseDate(e.DECOM)
		return "DECOM", e.DECOM, !ok
	}),
	episodeRule("147", func(_ *kid, e *Episode) (string, string, bool) { return "DEC", e.DEC, badDate(e.DEC) }),
	episodeRule("143", func(_ *kid, e *Episode) (string, string, bool) { return "RNE", e.RNE, !valid("RNE", e.RNE) }),
	episodeRule("144", func(_ *kid, e *Episode) (string, string, bool) { return "LS", e.LS, !valid("LS", e.LS) }),
	episodeRule("145", func(_ *kid, e *Episode) (string, string, bool) { return "CIN", e.CIN, !valid("CIN_NEED", e.CIN) }),
	episodeRule("146", func(_ *kid, e *Episode) (string, string, bool) { return "PLACE", e.Place, !valid("PLACE", e.Place) }),
	episodeRule("149", func(_ *kid, e *Episode) (string, string, bool) {
		return "REC", e.REC, e.REC != "" && !valid("REC", e.REC)
	}),
	episodeRule("148", func(_ *kid, e *Episode) (string, string, bool) { return "REC", e.REC, (e.DEC == "") != (e.REC == "") }),
	episodeRule("178", func(_ *kid, e *Episode) (string, string, bool) {
		return "PLACE_PROVIDER", e.Provider, e.Provider != "" && !valid("PLACE_PROVIDER", e.Provider)
	}),
	episodeRule("213", func(_ *kid, e *Episode) (string, string, bool) {
		return "PLACE_PROVIDER", e.Provider, e.Provider != "" && noProvider(e.Place)
	}),
	episodeRule("1009", func(_ *kid, e *Episode) (string, string, bool) {
		return "REASON_PLACE_CHANGE", e.ChangeReason, e.ChangeReason != "" && !valid("REASON_PLACE_CHANGE", e.ChangeReason)
	}),
	episodeRule("226", func(_ *kid, e *Episode) (string, string, bool) {
		return "REASON_PLACE_CHANGE", e.ChangeReason, e.ChangeReason != "" && casework.TemporaryPlacement(e.Place)
	}),
	episodeRule("233", func(_ *kid, e *Episode) (string, string, bool) {
		return "REASON_PLACE_CHANGE", e.ChangeReason, e.ChangeReason != "" && e.DEC == ""
	}),
	episodeRule("234", func(k *kid, e *Episode) (string, string, bool) {
		a := k.ageAt(date(e.DEC))
		return "REASON_PLACE_CHANGE", e.ChangeReason, e.ChangeReason == "CUSTOD" && a >= 0 && a < 10
	}),
	episodeRule("1008", func(_ *kid, e *Episode) (string, string, bool) {
		return "URN", e.URN, e.URN != "" && !urnRE.MatchString(e.URN)
	}),
	episodeRule("222", func(_ *kid, e *Episode) (string, string, bool) {
		return "URN", e.URN, e.URN != "" && e.URN != "XXXXXXX" && noURN(e.Place)
	}),
	episodeRule("218", func(_ *kid, e *Episode) (string, string, bool) {
		return "URN", e.URN, e.URN == "" && !noURN(e.Place) && valid("PLACE", e.Place)
	}),
	episodeRule("353", func(_ *kid, e *Episode) (string, string, bool) {
		d := date(e.DECOM)
		return "DECOM", e.DECOM, !d.IsZero() && d.Before(civil.Date{Year: 1991, Month: 10, Day: 14})
	}),
	episodeRule("356", func(_ *kid, e *Episode) (string, string, bool) {
		start, end := date(e.DECOM), date(e.DEC)
		return "DEC", e.DEC, !start.IsZero() && !end.IsZero() && end.Before(start)
	}),
	episodeRule("385", func(k *kid, e *Episode) (string, string, bool) { return "DEC", e.DEC, date(e.DEC).After(k.y.End) }),
	episodeRule("392c", func(_ *kid, e *Episode) (string, string, bool) {
		if e.HomePost != "" && !postcodeRE.MatchString(e.HomePost) {
			return "HOME_POST", e.HomePost, true
		}
		return "PL_POST", e.PlacementPost, e.PlacementPost != "" && !postcodeRE.MatchString(e.PlacementPost)
	}),
	episodeRule("392d", func(_ *kid, e *Episode) (string, string, bool) {
		return "PL_POST", e.PlacementPost, e.PlacementPost != "" && e.PlacementPost == e.HomePost && e.Place != "P1"
	}),
	episodeRule("352", func(k *kid, e *Episode) (string, string, bool) {
		return "DECOM", e.DECOM, e.RNE == "S" && k.ageAt(date(e.DECOM)) >= 18
	}),
	episodeRule("380", func(_ *kid, e *Episode) (string, string, bool) {
		return "PLACE", e.Place, e.RNE == "S" && casework.TemporaryPlacement(e.Place)
	}),
	episodeRule("381", func(_ *kid, e *Episode) (string, string, bool) {
		return "PLACE", e.Place, e.REC != "" && e.REC != "X1" && casework.TemporaryPlacement(e.Place)
	}),
	episodeRule("355", func(_ *kid, e *Episode) (string, string, bool) {
		return "DEC", e.DEC, e.DECOM != "" && e.DECOM == e.DEC
	}),
	episodeRule("390", func(_ *kid, e *Episode) (string, string, bool) {
		return "REC", e.REC, oneOf(e.REC, "E11", "E12") && !oneOf(e.Place, "A3", "A4", "A5", "A6")
	}),
	durationOver("361", "L1", 3),
	durationOver("362", "L2", 21),
	durationOver("363", "L3", 7),
	durationOver("365", "V3", 17),
	minimumAge("371", "K3", 16),
	minimumAge("372", "R5", 10),
	minimumAge("373", "S1", 4),
	minimumAge("374", "P3", 14),
	ageAtEnd("386", []string{"E11", "E12"}, func(a int) bool { return a >= 18 }),
	ageAtEnd("387", []string{"E5", "E6"}, func(a int) bool { return a < 14 }),
	ageAtEnd("389", []string{"E7"}, func(a int) bool { return a < 16 }),

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
	{"225", func(k *kid) {
		// A move to another placement (P, T, B or U) needs the reason on the episode that ended, unless that
		// placement was temporary.
		k.eachEpisode(func(prev, e *Episode) {
			if prev != nil && prev.DEC == e.DECOM && oneOf(e.RNE, "P", "T", "B", "U") && !casework.TemporaryPlacement(prev.Place) &&
				prev.ChangeReason == "" {
				k.ep("225", prev, "REASON_PLACE_CHANGE", "")
			}
		})
	}},

	// Reviews and missing.
	reviewRule("166", func(_ *kid, r *Review) (string, string, bool) {
		_, ok := parseDate(r.Review)
		return "REVIEW", r.Review, !ok
	}),
	reviewRule("167", func(_ *kid, r *Review) (string, string, bool) {
		return "REVIEW_CODE", r.Code, !valid("REVIEW_CODE", r.Code)
	}),
	missingRule("1004", func(_ *kid, m *Missing) (string, string, bool) {
		_, ok := parseDate(m.Start)
		return "MIS_START", m.Start, !ok
	}),
	missingRule("1005", func(_ *kid, m *Missing) (string, string, bool) { return "MIS_END", m.End, badDate(m.End) }),
	missingRule("1006", func(_ *kid, m *Missing) (string, string, bool) {
		return "MISSING", m.Missing, !valid("MISSING", m.Missing)
	}),

	// UASC.
	uascRule("104", func(_ *kid, u *UASC) (string, string, bool) { return "DUC", u.DUC, badDate(u.DUC) }),
	uascRule("304", func(k *kid, u *UASC) (string, string, bool) {
		d := date(u.DUC)
		return "DUC", u.DUC, !d.IsZero() && !k.dob.IsZero() && d.After(civil.Birthday(k.dob, 18))
	}),

	// Outcomes of children looked after for a year (OC2).
	oc2Rule("180", func(_ *kid, o *OC2) (string, string, bool) {
		n, err := strconv.Atoi(o.SDQScore)
		return "SDQ_SCORE", o.SDQScore, o.SDQScore != "" && (err != nil || n < 0 || n > 40)
	}),
	oc2Rule("196", func(_ *kid, o *OC2) (string, string, bool) {
		return "SDQ_REASON", o.SDQReason, o.SDQReason != "" && !valid("SDQ_REASON", o.SDQReason)
	}),
	oc2Rule("197a", func(_ *kid, o *OC2) (string, string, bool) {
		return "SDQ_REASON", o.SDQReason, o.SDQScore != "" && o.SDQReason != ""
	}),
	oc2Rule("181", func(_ *kid, o *OC2) (string, string, bool) {
		for _, v := range []string{o.Convicted, o.HealthCheck, o.Immunisations, o.TeethCheck, o.HealthAssessment,
			o.SubstanceMisuse, o.InterventionReceived, o.InterventionOffered} {
			if v != "" && v != "0" && v != "1" {
				return "CONVICTED", v, true
			}
		}
		return "", "", false
	}),
	oc2Rule("191", func(_ *kid, o *OC2) (string, string, bool) {
		return "HEALTH_ASSESSMENT", o.HealthAssessment,
			o.Immunisations == "" || o.TeethCheck == "" || o.HealthAssessment == "" || o.SubstanceMisuse == ""
	}),
	oc2Rule("192", func(_ *kid, o *OC2) (string, string, bool) {
		return "INTERVENTION_RECEIVED", "", o.SubstanceMisuse == "1" && o.InterventionReceived == ""
	}),
	oc2Rule("193", func(_ *kid, o *OC2) (string, string, bool) {
		return "INTERVENTION_RECEIVED", o.InterventionReceived,
			o.SubstanceMisuse != "1" && (o.InterventionReceived != "" || o.InterventionOffered != "")
	}),
	oc2Rule("158", func(_ *kid, o *OC2) (string, string, bool) {
		return "INTERVENTION_OFFERED", o.InterventionOffered, o.InterventionReceived == "1" && o.InterventionOffered != ""
	}),
	oc2Rule("159", func(_ *kid, o *OC2) (string, string, bool) {
		return "INTERVENTION_OFFERED", "", o.SubstanceMisuse == "1" && o.InterventionReceived == "0" && o.InterventionOffered == ""
	}),
	oc2Rule("188", func(k *kid, o *OC2) (string, string, bool) {
		a := k.ageAt(k.y.End)
		return "SDQ_SCORE", o.SDQScore + o.SDQReason, a >= 0 && a < 4 && (o.SDQScore != "" || o.SDQReason != "")
	}),
	oc2Rule("189", func(k *kid, o *OC2) (string, string, bool) {
		return "SDQ_SCORE", o.SDQScore + o.SDQReason, k.ageAt(k.y.Start) >= 17 && (o.SDQScore != "" || o.SDQReason != "")
	}),

	// Care leavers (OC3).
	oc3Rule("131", func(_ *kid, o *OC3) (string, string, bool) {
		return "IN_TOUCH", o.InTouch, !valid("IN_TOUCH", o.InTouch)
	}),
	oc3Rule("132", func(_ *kid, o *OC3) (string, string, bool) { return "ACTIV", o.Activ, !valid("ACTIV", o.Activ) }),
	oc3Rule("133", func(_ *kid, o *OC3) (string, string, bool) { return "ACCOM", o.Accom, !valid("ACCOM", o.Accom) }),
	oc3Rule("345", func(_ *kid, o *OC3) (string, string, bool) {
		return "ACTIV", o.Activ + " / " + o.Accom, o.InTouch == "YES" && (o.Activ == "0" || o.Accom == "0")
	}),
	oc3Rule("391", func(k *kid, o *OC3) (string, string, bool) {
		young, old := k.ageAt(k.y.End), k.ageAt(k.y.Start)
		return "DOB", o.DOB, !k.dob.IsZero() && (young < 17 || old > 21)
	}),

	// Adoption.
	ad1Rule("112", func(_ *kid, a *AD1) (string, string, bool) { return "DATE_INT", a.DateInt, badDate(a.DateInt) }),
	ad1Rule("113", func(_ *kid, a *AD1) (string, string, bool) { return "DATE_MATCH", a.DateMatch, badDate(a.DateMatch) }),
	ad1Rule("114", func(_ *kid, a *AD1) (string, string, bool) {
		return "FOSTER_CARE", a.FosterCare, a.FosterCare != "" && a.FosterCare != "0" && a.FosterCare != "1"
	}),
	ad1Rule("175", func(_ *kid, a *AD1) (string, string, bool) {
		return "NB_ADOPTR", a.Adopters, a.Adopters != "" && !valid("NB_ADOPTR", a.Adopters)
	}),
	ad1Rule("176", func(_ *kid, a *AD1) (string, string, bool) {
		return "SEX_ADOPTR", a.AdoptersSex, a.AdoptersSex != "" && !valid("SEX_ADOPTR", a.AdoptersSex)
	}),
	ad1Rule("177", func(_ *kid, a *AD1) (string, string, bool) {
		return "LS_ADOPTR", a.AdoptersStatus, a.AdoptersStatus != "" && !valid("LS_ADOPTR", a.AdoptersStatus)
	}),
	ad1Rule("151", func(_ *kid, a *AD1) (string, string, bool) {
		cells := []string{a.DateInt, a.DateMatch, a.FosterCare, a.Adopters, a.AdoptersSex, a.AdoptersStatus}
		blank := 0
		for _, c := range cells {
			if c == "" {
				blank++
			}
		}
		return "DATE_INT", a.DateInt, blank != 0 && blank != len(cells)
	}),
	ad1Rule("333", func(_ *kid, a *AD1) (string, string, bool) {
		i, m := date(a.DateInt), date(a.DateMatch)
		return "DATE_INT", a.DateInt, !i.IsZero() && !m.IsZero() && m.Before(i)
	}),
	placedRule("115", func(_ *kid, p *PlacedAdoption) (string, string, bool) {
		_, ok := parseDate(p.DatePlaced)
		return "DATE_PLACED", p.DatePlaced, !ok
	}),
	placedRule("116", func(_ *kid, p *PlacedAdoption) (string, string, bool) {
		return "DATE_PLACED_CEASED", p.DateCeased, badDate(p.DateCeased)
	}),
	placedRule("119", func(_ *kid, p *PlacedAdoption) (string, string, bool) {
		return "REASON_PLACED_CEASED", p.ReasonCeased, (p.DateCeased == "") != (p.ReasonCeased == "")
	}),
	placedRule("120", func(_ *kid, p *PlacedAdoption) (string, string, bool) {
		return "REASON_PLACED_CEASED", p.ReasonCeased, p.ReasonCeased != "" && !valid("REASON_PLACED_CEASED", p.ReasonCeased)
	}),
	placedRule("184", func(k *kid, p *PlacedAdoption) (string, string, bool) {
		d := date(p.DatePlaced)
		return "DATE_PLACED", p.DatePlaced, !d.IsZero() && d.Before(k.dob)
	}),

	// Social worker episodes.
	swRule("SW01aSTG1", func(_ *kid, s *SWEpisode) (string, string, bool) {
		return "SW_ID", s.SWID, s.SWID == "" || s.DECOM == ""
	}),
	swRule("SW01bSTG1", func(_ *kid, s *SWEpisode) (string, string, bool) {
		d := date(s.DECOM)
		return "SW_REASON", "", !d.IsZero() && !d.Before(civil.Date{Year: 2023, Month: 4, Day: 1}) && s.Reason == ""
	}),
	swRule("SW02STG1", func(_ *kid, s *SWEpisode) (string, string, bool) {
		return "SW_ID", s.SWID, s.SWID != "" && (len(s.SWID) < 2 || (s.SWID[:2] != "SW" && s.SWID[:2] != "XX"))
	}),
	swRule("SW04STG1", func(_ *kid, s *SWEpisode) (string, string, bool) { return "SW_DECOM", s.DECOM, badDate(s.DECOM) }),
	swRule("SW05STG1", func(_ *kid, s *SWEpisode) (string, string, bool) { return "SW_DEC", s.DEC, badDate(s.DEC) }),
	swRule("SW13STG1", func(_ *kid, s *SWEpisode) (string, string, bool) {
		return "SW_REASON", s.Reason, s.Reason != "" && !valid("SW_REASON", s.Reason)
	}),
	swRule("SW06STG2", func(k *kid, s *SWEpisode) (string, string, bool) {
		return "SW_DECOM", s.DECOM, date(s.DECOM).After(k.y.End)
	}),
	swRule("SW07STG2", func(k *kid, s *SWEpisode) (string, string, bool) {
		d := date(s.DEC)
		return "SW_DEC", s.DEC, !d.IsZero() && (d.Before(k.y.Start) || d.After(k.y.End))
	}),
	swRule("SW09STG2", func(_ *kid, s *SWEpisode) (string, string, bool) {
		return "SW_DEC", s.DEC, s.DECOM != "" && s.DECOM == s.DEC
	}),
	{"SW08STG2", func(k *kid) {
		for i := 1; i < len(k.sw); i++ {
			if k.sw[i-1].DEC == "" {
				k.report("SW08STG2", "SWEpisodes", k.sw[i-1].Line, "SW_DEC", "")
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
