package ssda903

import (
	"slices"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
)

// Rules about the child themself and what the year asks of them: the pupil number, the SDQ at the ages it is
// asked, unaccompanied status, previous permanence, and social workers through the year. Each is tested on a
// hand-made child that breaks it (validate_test.go).

// earliestPartialDate is the first day a partial date can mean, zero when its year is not known; ok is false when
// it is not a partial date at all.
func earliestPartialDate(s string) (earliest civil.Date, ok bool) {
	day, month, year, ok := parsePartialDate(s)
	if !ok || year == 0 {
		return civil.Date{}, ok
	}
	return civil.New(year, time.Month(max(month, 1)), max(day, 1)), true
}

// notShortBreaks tells whether any of the child's episodes is under a legal status other than V3 or V4.
func (k *kid) notShortBreaks() bool {
	return slices.ContainsFunc(k.episodes, func(e *Episode) bool { return !oneOf(e.LS, "V3", "V4") })
}

// sdqAge tells whether the SDQ is asked of the child this year: four or over at its start and under 17 at its end.
func (k *kid) sdqAge() bool {
	return !k.dob.IsZero() && k.ageAt(k.y.Start) >= 4 && k.ageAt(k.y.End) < 17
}

var childRules = []rule{
	// The unique pupil number.
	headerRule("442", func(k *kid, h *Header) (string, string, bool) {
		return "UPN", "", h.UPN == "" && k.notShortBreaks()
	}),
	headerRule("444", func(k *kid, h *Header) (string, string, bool) { return "UPN", h.UPN, k.upnShared }),
	// UN4 is for a child newly looked after in the last week of the year.
	headerRule("210", func(k *kid, h *Header) (string, string, bool) {
		start := k.latestStart()
		if len(k.episodes) > 0 && start.IsZero() {
			start = date(k.episodes[0].DECOM)
		}
		return "UPN", h.UPN, h.UPN == "UN4" && k.lookedAfterEnd && !start.IsZero() && start.Before(k.y.End.AddDays(-7))
	}),
	// Motherhood is not asked of a child only on short breaks, nor reviews.
	{"399", func(k *kid) {
		if len(k.episodes) == 0 || k.notShortBreaks() {
			return
		}
		if k.header != nil && k.header.Mother != "" {
			k.report("399", "Header", k.header.Line, "MOTHER", k.header.Mother)
		}
		for _, r := range k.reviews {
			k.report("399", "Reviews", r.Line, "REVIEW", r.Review)
		}
	}},
	// A girl who left care in the year says whether she is a mother.
	headerRule("607", func(k *kid, h *Header) (string, string, bool) {
		left := slices.ContainsFunc(k.episodes, func(e *Episode) bool {
			return e.REC != "" && e.REC != "X1" && !oneOf(e.LS, "V3", "V4") && k.y.Contains(date(e.DEC))
		})
		return "MOTHER", "", h.Sex == "F" && h.Mother == "" && left
	}),
	// Every child in Header has episodes or a care leaver's row (a query: the DfE's system asks for them).
	headerRule("EPI", func(k *kid, h *Header) (string, string, bool) {
		return "CHILD", h.Child, len(k.episodes) == 0 && len(k.oc3) == 0
	}),

	// The strengths and difficulties questionnaire.
	oc2Rule("157", func(k *kid, o *OC2) (string, string, bool) {
		return "SDQ_REASON", o.SDQReason, o.SDQScore == "" && o.SDQReason == "SDQ1" && k.sdqAge() && k.continuouslyLookedAfter()
	}),
	oc2Rule("186", func(k *kid, o *OC2) (string, string, bool) {
		return "SDQ_SCORE", "", o.SDQScore == "" && o.SDQReason == "" && k.sdqAge() && k.continuouslyLookedAfter()
	}),
	// A 17th birthday on 1 April makes the child 17 at the start of the year, when 189 wants no SDQ at all.
	oc2Rule("197B", func(k *kid, o *OC2) (string, string, bool) {
		turns := func(n int) bool { return !k.dob.IsZero() && k.y.Contains(civil.Birthday(k.dob, n)) }
		seventeen := turns(17) && civil.Birthday(k.dob, 17) != k.y.Start
		return "SDQ_REASON", "", o.SDQScore == "" && o.SDQReason == "" && (turns(4) || seventeen) && k.continuouslyLookedAfter()
	}),
	oc2Rule("182", func(_ *kid, o *OC2) (string, string, bool) {
		return "IMMUNISATIONS", o.Immunisations, !allFilled(healthItems(o)...) &&
			filled(o.Convicted, o.HealthCheck, o.InterventionReceived, o.InterventionOffered)
	}),

	// Unaccompanied asylum-seeking children are generally older than eleven.
	uascRule("231", func(k *kid, u *UASC) (string, string, bool) {
		a := k.ageAt(k.y.End)
		return "DOB", u.DOB, a >= 0 && a <= 11
	}),

	// Previous permanence.
	perm("632", func(k *kid, p *PrevPerm) (string, string, bool) {
		if p.DatePerm == "" {
			return "", "", false
		}
		earliest, ok := earliestPartialDate(p.DatePerm)
		first := civil.Date{}
		if len(k.episodes) > 0 {
			first = date(k.episodes[0].DECOM)
		}
		return "DATE_PERM", p.DatePerm, !ok || (!earliest.IsZero() && !first.IsZero() && !earliest.Before(first))
	}),
	perm("633", func(_ *kid, p *PrevPerm) (string, string, bool) {
		elsewhere := oneOf(p.LAPerm, "WAL", "SCO", "NIR", "NUK") // a council in Wales, Scotland, Northern Ireland or abroad
		return "LA_PERM", p.LAPerm, p.LAPerm != "" && !returns.CouncilNumber(p.LAPerm) && !elsewhere
	}),
	perm("634", func(k *kid, p *PrevPerm) (string, string, bool) {
		last := civil.Date{}
		for _, e := range k.episodes {
			if d := date(e.DECOM); d.After(last) {
				last = d
			}
		}
		return "PREV_PERM", p.PrevPerm, filled(p.PrevPerm, p.LAPerm, p.DatePerm) && !last.IsZero() && last.Before(k.y.Start)
	}),

	// A child looked after at 31 March has had a social worker every day of the year they were in care (before
	// it, only while their case was open, so gaps then are no error).
	{"SW12STG2", func(k *kid) {
		if !k.lookedAfterEnd || len(k.sw) == 0 {
			return
		}
		covered := k.latestStart()
		if covered.IsZero() {
			covered = date(k.episodes[0].DECOM)
		}
		if covered.Before(k.y.Start) {
			covered = k.y.Start
		}
		for _, s := range k.sw {
			start, end := date(s.DECOM), date(s.DEC)
			if !end.IsZero() && !end.After(covered) {
				continue
			}
			if start.After(covered) {
				k.report("SW12STG2", "SWEpisodes", s.Line, "SW_DECOM", s.DECOM)
				return
			}
			if end.IsZero() {
				return
			}
			covered = end
		}
	}},
}
