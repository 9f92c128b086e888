package timescale

import (
	"github.com/continuum-cs/continuum/internal/casework"
)

// Risk orders work: child protection first, then looked after, then child in need, then early help, then the
// rest (front-door contacts, care leavers, private fostering).
type Risk int

// Risks, most urgent first.
const (
	RiskProtection Risk = iota + 1
	RiskLookedAfter
	RiskInNeed
	RiskEarlyHelp
	RiskOther
)

func (r Risk) String() string {
	switch r {
	case RiskProtection:
		return "child protection"
	case RiskLookedAfter:
		return "looked after"
	case RiskInNeed:
		return "child in need"
	case RiskEarlyHelp:
		return "early help"
	}
	return "other"
}

// RiskOf is the file's risk as it stands: an open child protection plan, a period of care that has not ended, an
// open episode of need, an open early help episode.
func RiskOf(f *casework.File) Risk {
	for _, p := range casework.All[*casework.CPPlan](f) {
		if p.End.IsZero() {
			return RiskProtection
		}
	}
	for _, p := range f.PeriodsOfCare() {
		if p.End.IsZero() {
			return RiskLookedAfter
		}
	}
	if _, open := f.OpenEpisode(); open {
		return RiskInNeed
	}
	for _, eh := range casework.All[*casework.EarlyHelp](f) {
		if eh.End.IsZero() {
			return RiskEarlyHelp
		}
	}
	return RiskOther
}
