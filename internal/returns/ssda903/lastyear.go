package ssda903

import (
	"slices"
	"strings"
)

// lastYearRules check a return against the one submitted for the year before. They run only when that return is
// given (Validate's last), and compare a child with the same CHILD in it.
var lastYearRules = []rule{
	// What the header says of a child cannot change from one year to the next.
	headerSince("202", "SEX", func(h *Header) string { return h.Sex }),
	headerSince("203", "DOB", func(h *Header) string { return h.DOB }),
	headerSince("204", "ETHNIC", func(h *Header) string { return h.Ethnic }),
	headerSince("624", "MC_DOB", func(h *Header) string { return h.MCDOB }),
	// A real UPN, once recorded, stays the child's UPN; an unknown one (UN1-UN5) may be found later.
	lastHeaderRule("208", func(h, was *Header) (string, string, bool) {
		return "UPN", h.UPN, was.UPN != "" && !strings.HasPrefix(was.UPN, "UN") && h.UPN != was.UPN
	}),
	// A mother stays a mother.
	lastHeaderRule("207", func(h, was *Header) (string, string, bool) {
		return "MOTHER", h.Mother, was.Mother == "1" && h.Mother == "0"
	}),
	// A first child born before this year should have made her a mother in last year's return.
	{"626", func(k *kid) {
		if k.header == nil || k.last == nil || k.last.header == nil {
			return
		}
		born, ok := parseDate(k.header.MCDOB)
		if k.header.Mother == "1" && ok && born.Before(k.y.Start) && k.last.header.Mother == "0" {
			k.report("626", "Header", k.header.Line, "MC_DOB", k.header.MCDOB)
		}
	}},
	// The episode open at the end of last year carries on into this year unchanged.
	{"502", func(k *kid) {
		if was := k.openLastYear(); was != nil && len(k.episodes) > 0 && k.continuing(was) == nil {
			first := k.episodes[0]
			k.report("502", "Episodes", first.Line, "DECOM", first.DECOM)
		}
	}},
	carriedOver("503A", "RNE", func(e *Episode) string { return e.RNE }),
	carriedOver("503B", "LS", func(e *Episode) string { return e.LS }),
	carriedOver("503C", "CIN", func(e *Episode) string { return e.CIN }),
	carriedOver("503D", "PLACE", func(e *Episode) string { return e.Place }),
	carriedOver("503E", "PLACE_PROVIDER", func(e *Episode) string { return e.Provider }),
	carriedOver("503F", "URN", func(e *Episode) string { return e.URN }),
	// An episode that began before this year must be in last year's return, and a child looked after before
	// this year must be in it at all.
	{"562", func(k *kid) {
		if k.last == nil || len(k.last.episodes) == 0 {
			return
		}
		for _, e := range k.episodes {
			if began, ok := parseDate(e.DECOM); ok && began.Before(k.y.Start) && !k.last.hasEpisode(e.DECOM) {
				k.report("562", "Episodes", e.Line, "DECOM", e.DECOM)
			}
		}
	}},
	{"NoE", func(k *kid) {
		if !k.compared || k.last != nil && len(k.last.episodes) > 0 {
			return
		}
		for _, e := range k.episodes {
			if began, ok := parseDate(e.DECOM); ok && began.Before(k.y.Start) {
				k.report("NoE", "Episodes", e.Line, "DECOM", e.DECOM)
				return
			}
		}
	}},
	// A care leaver whose care ended with an episode open at the end of last year has this year's episodes too.
	{"1010", func(k *kid) {
		if k.openLastYear() != nil && len(k.episodes) == 0 {
			for _, o := range k.oc3 {
				k.report("1010", "OC3", o.Line, "IN_TOUCH", o.InTouch)
			}
		}
	}},
	// One reported last year as having died is not in touch this year.
	{"348", func(k *kid) {
		if k.last == nil || !slices.ContainsFunc(k.last.oc3, func(o *OC3) bool { return o.InTouch == "DIED" }) {
			return
		}
		for _, o := range k.oc3 {
			k.report("348", "OC3", o.Line, "IN_TOUCH", o.InTouch)
		}
	}},
	// An adoption decision made before this year was in last year's return.
	placedRule("559", func(k *kid, p *PlacedAdoption) (string, string, bool) {
		d := date(p.DatePlaced)
		return "DATE_PLACED", p.DatePlaced, k.compared && !d.IsZero() && d.Before(k.y.Start) &&
			(k.last == nil || !slices.ContainsFunc(k.last.placed, func(w *PlacedAdoption) bool { return w.DatePlaced == p.DatePlaced }))
	}),
	// Unaccompanied status against last year's: one looked after this year who was unaccompanied at the end of
	// last year still is, or last year's return says when that ended; a date it ended stays that date; and one
	// looked after last year without being unaccompanied does not become so.
	headerRule("205A", func(k *kid, h *Header) (string, string, bool) {
		if k.last == nil || len(k.last.uasc) == 0 || len(k.uasc) > 0 || len(k.episodes) == 0 {
			return "", "", false
		}
		ended := date(k.last.uasc[0].DUC)
		return "CHILD", h.Child, ended.IsZero() || ended.Before(k.y.Start.AddMonths(-12)) || !ended.Before(k.y.Start)
	}),
	uascRule("205B", func(k *kid, u *UASC) (string, string, bool) {
		if k.last == nil || len(k.last.uasc) == 0 {
			return "", "", false
		}
		was := k.last.uasc[0].DUC
		return "DUC", u.DUC, was != "" && u.DUC != was
	}),
	uascRule("205D", func(k *kid, u *UASC) (string, string, bool) {
		return "CHILD", u.Child, k.last != nil && k.last.header != nil && len(k.last.uasc) == 0
	}),
	// A missing or away period still open at the end of last year is reported again this year.
	{"576", func(k *kid) {
		if k.last == nil {
			return
		}
		for _, was := range k.last.missing {
			if was.End != "" {
				continue
			}
			carried := false
			for _, m := range k.missing {
				carried = carried || m.Start == was.Start
			}
			if !carried {
				k.report("576", "Missing (last year)", was.Line, "MIS_START", was.Start)
			}
		}
	}},
}

// lastHeaderRule checks the child's header against last year's.
func lastHeaderRule(code string, c func(h, was *Header) (field, value string, bad bool)) rule {
	return headerRule(code, func(k *kid, h *Header) (string, string, bool) {
		if k.last == nil || k.last.header == nil {
			return "", "", false
		}
		return c(h, k.last.header)
	})
}

// headerSince reports a header field given both years that differs between them.
func headerSince(code, field string, get func(*Header) string) rule {
	return lastHeaderRule(code, func(h, was *Header) (string, string, bool) {
		return field, get(h), get(h) != "" && get(was) != "" && get(h) != get(was)
	})
}

// carriedOver reports a field of the episode open at the end of last year that this year's copy of it changed.
func carriedOver(code, field string, get func(*Episode) string) rule {
	return rule{code, func(k *kid) {
		was := k.openLastYear()
		if was == nil {
			return
		}
		if e := k.continuing(was); e != nil && get(e) != get(was) {
			k.report(code, "Episodes", e.Line, field, get(e))
		}
	}}
}

// openLastYear is the child's episode open at the end of last year's return, if any.
func (k *kid) openLastYear() *Episode {
	if k.last == nil || !k.last.lookedAfterEnd {
		return nil
	}
	return k.last.episodes[len(k.last.episodes)-1]
}

// continuing is this year's copy of last year's open episode: the one that began the same day.
func (k *kid) continuing(was *Episode) *Episode {
	for _, e := range k.episodes {
		if e.DECOM == was.DECOM {
			return e
		}
	}
	return nil
}

func (k *kid) hasEpisode(decom string) bool {
	for _, e := range k.episodes {
		if e.DECOM == decom {
			return true
		}
	}
	return false
}
