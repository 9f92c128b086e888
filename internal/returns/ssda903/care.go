package ssda903

import (
	"slices"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// Rules about how a child's care runs: temporary placements and the return from them, short breaks, detention
// under PACE, care past 18, missing periods against the placements, and care leavers' rows against the care
// around their birthday. Each is tested on a hand-made child that breaks it (validate_test.go).

// placementOver is a rule that an episode in a placement type lasts no more than max days.
func placementOver(code, place string, maxDays int) rule {
	return episodeRule(code, func(_ *kid, e *Episode) (string, string, bool) {
		start, end := date(e.DECOM), date(e.DEC)
		return "PLACE", e.Place, e.Place == place && !start.IsZero() && !end.IsZero() && end.DaysSince(start) > maxDays
	})
}

// daysInYear is how many days of the year an episode covers, counting one still open as running to 31 March.
func (k *kid) daysInYear(e *Episode) int {
	start, end := date(e.DECOM), date(e.DEC)
	if start.IsZero() {
		return 0
	}
	if end.IsZero() || end.After(k.y.End) {
		end = k.y.End
	}
	if start.Before(k.y.Start) {
		start = k.y.Start
	}
	return max(end.DaysSince(start), 0)
}

// birthdayInYear is the child's 17th or 18th birthday that falls in the year, for a care leaver's row; zero for
// any other age.
func (k *kid) birthdayInYear() civil.Date {
	a := k.ageAt(k.y.End)
	if a != 17 && a != 18 {
		return civil.Date{}
	}
	return civil.Birthday(k.dob, a)
}

// lookedAfterOn tells whether one of the child's episodes covers day d.
func (k *kid) lookedAfterOn(d civil.Date) bool {
	return slices.ContainsFunc(k.episodes, func(e *Episode) bool { return during(d, date(e.DECOM), date(e.DEC)) })
}

// leftAfterBirthday tells whether a care leaver aged 17 or 18 was looked after on the birthday in the year, and
// if so whether their care had ended by 31 March.
func (k *kid) leftAfterBirthday() (lookedAfter, ended bool) {
	b := k.birthdayInYear()
	if b.IsZero() || !k.lookedAfterOn(b) {
		return false, false
	}
	return true, !k.lookedAfterEnd
}

// unaccompanied tells whether the child is or was an unaccompanied asylum-seeking child, as this year's return
// or last year's shows.
func (k *kid) unaccompanied() bool { return len(k.uasc) > 0 || (k.last != nil && len(k.last.uasc) > 0) }

var careRules = []rule{
	// Temporary placements.
	placementOver("375", "T1", 42),
	placementOver("376", "T3", 21),
	placementOver("379", "T4", 7),
	{"377", func(k *kid) {
		var starts []civil.Date
		for _, e := range k.episodes {
			if e.Place != "T3" {
				continue
			}
			start := date(e.DECOM)
			within := 0
			for _, s := range starts {
				if start.DaysSince(s) < 365 {
					within++
				}
			}
			if within >= 2 {
				k.ep("377", e, "PLACE", e.Place)
			}
			starts = append(starts, start)
		}
	}},
	// After a temporary placement the child goes back to the placement before it.
	{"383", func(k *kid) {
		for i := 2; i < len(k.episodes); i++ {
			before, temp, e := k.episodes[i-2], k.episodes[i-1], k.episodes[i]
			if !casework.TemporaryPlacement(temp.Place) || temp.REC != "X1" || before.REC != "X1" {
				continue
			}
			if e.RNE != "P" || e.Place != before.Place || e.PlacementPost != before.PlacementPost {
				k.ep("383", e, "PLACE", e.Place)
			}
		}
	}},

	// Short breaks.
	episodeRule("366", func(_ *kid, e *Episode) (string, string, bool) { return "RNE", e.RNE, e.LS == "V3" && e.RNE != "S" }),
	{"367", func(k *kid) {
		days := 0
		for _, e := range k.episodes {
			if e.LS == "V3" {
				days += k.daysInYear(e)
			}
		}
		if days <= 75 {
			return
		}
		for _, e := range k.episodes {
			if e.LS == "V3" {
				k.ep("367", e, "LS", e.LS)
			}
		}
	}},
	{"426", func(k *kid) {
		var v3, v4 bool
		for _, e := range k.episodes {
			v3, v4 = v3 || e.LS == "V3", v4 || e.LS == "V4"
		}
		if !v3 || !v4 {
			return
		}
		for _, e := range k.episodes {
			if oneOf(e.LS, "V3", "V4") {
				k.ep("426", e, "LS", e.LS)
			}
		}
	}},

	// A short break is recorded without where: no postcodes, no URN.
	episodeRule("214", func(_ *kid, e *Episode) (string, string, bool) {
		return "PL_POST", e.PlacementPost + e.URN, oneOf(e.LS, "V3", "V4") && filled(e.PlacementPost, e.URN)
	}),
	episodeRule("398", func(_ *kid, e *Episode) (string, string, bool) {
		return "HOME_POST", e.HomePost + e.PlacementPost, oneOf(e.LS, "V3", "V4") && filled(e.HomePost, e.PlacementPost)
	}),
	// Any other episode has both postcodes, unless the child is or was unaccompanied (this year or last), who has
	// no home postcode, so no distance is worked out from it.
	episodeRule("392b", func(k *kid, e *Episode) (string, string, bool) {
		return "PL_POST", "", !oneOf(e.LS, "V3", "V4") && !k.unaccompanied() && !allFilled(e.HomePost, e.PlacementPost)
	}),
	episodeRule("406", func(k *kid, e *Episode) (string, string, bool) {
		return "HOME_POST", e.HomePost, k.unaccompanied() && allFilled(e.HomePost, e.PlacementPost)
	}),

	// Detention under PACE lasts days, not weeks: no run of J2 episodes longer than 21 days.
	{"364", func(k *kid) {
		var run []*Episode
		days := 0
		flush := func() {
			if days > 21 {
				for _, e := range run {
					k.ep("364", e, "LS", e.LS)
				}
			}
			run, days = nil, 0
		}
		for _, e := range k.episodes {
			if e.LS != "J2" || (len(run) > 0 && run[len(run)-1].DEC != e.DECOM) {
				flush()
			}
			if e.LS == "J2" {
				run = append(run, e)
				start, end := date(e.DECOM), date(e.DEC)
				if end.IsZero() {
					end = k.y.End
				}
				days += max(end.DaysSince(start), 0)
			}
		}
		flush()
	}},
	// Looked after past 18 only under section 20 in a children's home.
	episodeRule("359", func(k *kid, e *Episode) (string, string, bool) {
		return "LS", e.LS, e.DEC == "" && !k.dob.IsZero() && civil.Birthday(k.dob, 18).Before(k.y.End) &&
			!(e.LS == "V2" && e.Place == "K2")
	}),
	// Placement for adoption with placement order is under a placement order.
	episodeRule("408", func(_ *kid, e *Episode) (string, string, bool) {
		return "LS", e.LS, oneOf(e.Place, "A5", "A6") && e.LS != "E1"
	}),
	// Staying put ends with the child with former foster carers.
	episodeRule("516", func(_ *kid, e *Episode) (string, string, bool) {
		return "PLACE", e.Place, oneOf(e.REC, "E45", "E46") && !oneOf(e.Place, "U1", "U2", "U3", "U4", "U5", "U6")
	}),

	// Missing periods against the placements.
	missingRule("575", func(k *kid, m *Missing) (string, string, bool) {
		if m.End != "" {
			return "", "", false
		}
		start := date(m.Start)
		for i, e := range k.episodes {
			from, to := date(e.DECOM), date(e.DEC)
			if start.IsZero() || from.IsZero() || to.IsZero() || start.Before(from) || start.After(to) {
				continue
			}
			ended := e.REC != "X1" || i+1 == len(k.episodes) || moved(e, k.episodes[i+1])
			return "MIS_END", "", ended
		}
		return "", "", false
	}),
	{"580", func(k *kid) {
		if k.dob.IsZero() {
			return
		}
		eighteen := civil.Birthday(k.dob, 18)
		for _, m := range k.missing {
			if date(m.End) != eighteen {
				continue
			}
			for _, e := range k.episodes {
				if date(e.DEC) == eighteen && e.REC != "E8" && e.REC != "X1" {
					k.ep("580", e, "REC", e.REC)
				}
			}
		}
	}},

	// Care leavers' rows against the care around the birthday.
	oc3Rule("1007", func(k *kid, o *OC3) (string, string, bool) {
		lookedAfter, ended := k.leftAfterBirthday()
		return "IN_TOUCH", o.InTouch, lookedAfter && !ended && filled(o.InTouch, o.Activ, o.Accom)
	}),
	oc3Rule("1016", func(k *kid, o *OC3) (string, string, bool) {
		lookedAfter, ended := k.leftAfterBirthday()
		return "IN_TOUCH", o.InTouch, lookedAfter && ended && filled(o.InTouch, o.Activ, o.Accom)
	}),
	oc3Rule("153", func(_ *kid, o *OC3) (string, string, bool) {
		return "IN_TOUCH", o.InTouch, filled(o.InTouch, o.Activ, o.Accom) && !allFilled(o.InTouch, o.Activ, o.Accom)
	}),
	oc3Rule("344", func(_ *kid, o *OC3) (string, string, bool) {
		return "ACTIV", o.Activ, oneOf(o.InTouch, "DIED", "RHOM") && (o.Activ != "0" || o.Accom != "0")
	}),
	oc3Rule("215", func(k *kid, o *OC3) (string, string, bool) {
		for _, o2 := range k.oc2 {
			if filled(twelveMonthItems(o2)...) {
				return "IN_TOUCH", o.InTouch, filled(o.InTouch, o.Activ, o.Accom)
			}
		}
		return "", "", false
	}),
}
