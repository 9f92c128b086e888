package ssda903

import (
	"slices"

	"github.com/continuum-cs/continuum/internal/civil"
)

// Rules about adoption: the decision that a child should be placed for adoption (PlacedAdoption) against the
// placements for adoption, the placement order and how the care ended; the adoption (AD1) against the placement
// it came from; and the decisions against last year's. Each is tested on a hand-made child that breaks it
// (validate_test.go).

// placedForAdoption are the placement types of a child placed for adoption.
func placedForAdoption(place string) bool { return oneOf(place, "A3", "A4", "A5", "A6") }

// latestDecision is the child's PlacedAdoption row with the latest decision, or nil.
func (k *kid) latestDecision() *PlacedAdoption {
	var latest *PlacedAdoption
	for _, p := range k.placed {
		if latest == nil || date(p.DatePlaced).After(date(latest.DatePlaced)) {
			latest = p
		}
	}
	return latest
}

// decisionAt tells whether a decision that the child should be placed for adoption was in force on day d.
func (k *kid) decisionAt(d civil.Date) bool {
	return slices.ContainsFunc(k.placed, func(p *PlacedAdoption) bool { return during(d, date(p.DatePlaced), date(p.DateCeased)) })
}

// careEndedUnadopted is the episode with which the child's care ended other than by adoption, in a period in
// which they were placed for adoption or under a placement order; nil if none did.
func (k *kid) careEndedUnadopted() *Episode {
	adoptive := false
	for _, e := range k.episodes {
		if e.RNE == "S" {
			adoptive = false
		}
		adoptive = adoptive || placedForAdoption(e.Place) || oneOf(e.LS, "D1", "E1")
		if adoptive && e.REC != "" && e.REC != "X1" && !oneOf(e.REC, "E11", "E12") {
			return e
		}
	}
	return nil
}

var adoptionRules = []rule{
	// The decision against the year and the care.
	placedRule("117", func(k *kid, p *PlacedAdoption) (string, string, bool) {
		var end civil.Date
		for _, e := range k.episodes {
			if e.REC != "X1" {
				end = date(e.DEC)
			}
		}
		for _, c := range []struct{ field, v string }{{"DATE_PLACED", p.DatePlaced}, {"DATE_PLACED_CEASED", p.DateCeased}} {
			if d := date(c.v); d.After(k.y.End) || (!end.IsZero() && d.After(end)) {
				return c.field, c.v, true
			}
		}
		return "", "", false
	}),
	placedRule("118", func(k *kid, p *PlacedAdoption) (string, string, bool) {
		ceased := date(p.DateCeased)
		if ceased.IsZero() {
			return "", "", false
		}
		for _, e := range k.episodes {
			if !oneOf(e.LS, "V3", "V4") {
				return "DATE_PLACED_CEASED", p.DateCeased, ceased.Before(k.y.Start) || ceased.Before(date(e.DECOM))
			}
		}
		return "DATE_PLACED_CEASED", p.DateCeased, ceased.Before(k.y.Start)
	}),

	// Placements for adoption and the decision behind them.
	episodeRule("551", func(k *kid, e *Episode) (string, string, bool) {
		return "PLACE", e.Place, placedForAdoption(e.Place) &&
			!slices.ContainsFunc(k.placed, func(p *PlacedAdoption) bool { return p.DatePlaced != "" })
	}),
	chainRule("552", func(k *kid, prev, e *Episode) (string, string, bool) {
		return "DECOM", e.DECOM, placedForAdoption(e.Place) && !placedForAdoption(prev.Place) && len(k.placed) > 0 &&
			!k.decisionAt(date(e.DECOM))
	}),
	// With the current foster carers (A3, A5) only from foster care.
	chainRule("336", func(_ *kid, prev, e *Episode) (string, string, bool) {
		return "PLACE", e.Place, oneOf(e.Place, "A3", "A5") && prev.DEC == e.DECOM &&
			!oneOf(prev.Place, "A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6")
	}),
	// A placement order comes with a decision, and after it.
	{"553", func(k *kid) {
		for _, e := range k.episodes {
			if e.LS == "E1" && len(k.placed) == 0 {
				k.ep("553", e, "LS", e.LS)
				return
			}
		}
	}},
	{"554", func(k *kid) {
		var earliest civil.Date
		for _, p := range k.placed {
			if d := date(p.DatePlaced); !d.IsZero() && (earliest.IsZero() || d.Before(earliest)) {
				earliest = d
			}
		}
		var prev *Episode
		for _, e := range k.episodes {
			if e.LS == "E1" && (prev == nil || prev.LS != "E1") {
				// The order was granted the day this episode began.
				if !earliest.IsZero() && earliest.After(date(e.DECOM)) {
					k.ep("554", e, "DECOM", e.DECOM)
				}
				return
			}
			prev = e
		}
	}},
	// Care that ended other than in adoption ends the decision too.
	{"557", func(k *kid) {
		e := k.careEndedUnadopted()
		if e == nil {
			return
		}
		if !slices.ContainsFunc(k.placed, func(p *PlacedAdoption) bool { return p.DateCeased != "" && p.ReasonCeased != "" }) {
			k.ep("557", e, "REC", e.REC)
		}
	}},

	// The adoption against the decision and the placement.
	{"558", func(k *kid) {
		e, latest := k.adoptedInYear(), k.latestDecision()
		if e != nil && latest != nil && latest.DateCeased != "" {
			k.ep("558", e, "REC", e.REC)
		}
	}},
	placedRule("525", func(k *kid, p *PlacedAdoption) (string, string, bool) {
		adopted := slices.ContainsFunc(k.ad1, func(a *AD1) bool {
			return filled(a.DateInt, a.DateMatch, a.FosterCare, a.Adopters, a.AdoptersSex, a.AdoptersStatus)
		})
		return "DATE_PLACED_CEASED", p.DateCeased, p == k.latestDecision() && p.DateCeased != "" && adopted
	}),
	ad1Rule("521", func(k *kid, a *AD1) (string, string, bool) {
		decided, since := date(a.DateInt), k.latestStart()
		for _, e := range k.episodes {
			if start := date(e.DECOM); placedForAdoption(e.Place) && !start.Before(since) && decided.After(start) {
				return "DATE_INT", a.DateInt, true
			}
		}
		return "", "", false
	}),
	ad1Rule("335", func(k *kid, a *AD1) (string, string, bool) {
		e := k.adoptedInYear()
		if e == nil {
			return "", "", false
		}
		return "FOSTER_CARE", a.FosterCare, (oneOf(e.Place, "A2", "A3", "A5") && a.FosterCare == "0") ||
			(oneOf(e.Place, "A1", "A4", "A6") && a.FosterCare == "1")
	}),
	{"582", func(k *kid) {
		e := k.adoptedInYear()
		if e == nil {
			return
		}
		for _, a := range k.ad1 {
			if a.DateMatch != "" && a.DateMatch == e.DEC {
				k.ep("582", e, "DEC", e.DEC)
			}
		}
	}},
}

// The decisions against last year's.
var adoptionSinceRules = []rule{
	// A decision in force at the end of last year is this year's decision too, unless a new one was made.
	{"560", func(k *kid) {
		if k.last == nil || len(k.placed) == 0 {
			return
		}
		for _, was := range k.last.placed {
			if was.DatePlaced == "" || was.DateCeased != "" {
				continue
			}
			if !slices.ContainsFunc(k.placed, func(p *PlacedAdoption) bool { return p.DatePlaced == was.DatePlaced }) {
				k.report("560", "PlacedAdoption", k.placed[0].Line, "DATE_PLACED", k.placed[0].DatePlaced)
				return
			}
		}
	}},
	// A decision that ceased last year does not come back, nor one made before it.
	placedRule("561", func(k *kid, p *PlacedAdoption) (string, string, bool) {
		return "DATE_PLACED", p.DatePlaced, k.last != nil && slices.ContainsFunc(k.last.placed, func(was *PlacedAdoption) bool {
			return was.DatePlaced == p.DatePlaced && filled(was.DateCeased, was.ReasonCeased)
		})
	}),
	placedRule("584", func(k *kid, p *PlacedAdoption) (string, string, bool) {
		return "DATE_PLACED", p.DatePlaced, k.last != nil && slices.ContainsFunc(k.last.placed, func(was *PlacedAdoption) bool {
			return was.DatePlaced != "" && filled(was.DateCeased, was.ReasonCeased) &&
				(p.DatePlaced == "" || date(p.DatePlaced).Before(date(was.DatePlaced)))
		})
	}),
}
