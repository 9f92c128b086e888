package cin

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// rules are the DfE's rules over one child at a time, each by its code (messages and severities come from the
// catalogue). Each is tested on a hand-made child that breaks it (validate_test.go).
var rules = []rule{
	// The child's identifiers.
	{"8500", func(k *check) {
		if k.c.Identifiers.LAChildID == "" {
			k.report("8500", "LAchildID", "")
		}
	}},
	{"1570", func(k *check) {
		if id := k.c.Identifiers.LAChildID; len(id) > 20 {
			k.report("1570", "LAchildID", id)
		}
	}},
	{"1580", func(k *check) {
		if id := k.c.Identifiers.LAChildID; strings.IndexFunc(id, notAlphanumeric) >= 0 {
			k.report("1580", "LAchildID", id)
		}
	}},
	{"1510", func(k *check) {
		if upn := k.c.Identifiers.UPN; len(upn) == 13 {
			if want, err := casework.UPNCheckLetter(upn[1:]); err == nil && upn[0] != want {
				k.report("1510", "UPN", upn)
			}
		}
	}},
	{"1530", func(k *check) {
		if upn := k.c.Identifiers.UPN; len(upn) == 13 && !recognisedLA(upn[1:4]) {
			k.report("1530", "UPN", upn)
		}
	}},
	{"1540", func(k *check) {
		if upn := k.c.Identifiers.UPN; len(upn) == 13 && strings.IndexFunc(upn[4:12], notDigit) >= 0 {
			k.report("1540", "UPN", upn)
		}
	}},
	{"1550", func(k *check) {
		if upn := k.c.Identifiers.UPN; len(upn) == 13 && notDigit(rune(upn[12])) && !strings.ContainsRune(upnLetters, rune(upn[12])) {
			k.report("1550", "UPN", upn)
		}
	}},
	{"1560Q", func(k *check) {
		if former := k.c.Identifiers.FormerUPN; former != "" && casework.CheckUPN(former) != nil {
			k.report("1560Q", "FormerUPN", former)
		}
	}},
	{"4180", func(k *check) {
		if sex := k.c.Identifiers.Sex; sex != "M" && sex != "F" && sex != "U" {
			k.report("4180", "Sex", sex)
		}
	}},
	{"8750", func(k *check) {
		if id := k.c.Identifiers; id.BirthDate == nil && id.ExpectedBirthDate != nil && id.Sex != "U" {
			k.report("8750", "Sex", id.Sex)
		}
	}},
	{"8520", func(k *check) {
		if b := day(k.c.Identifiers.BirthDate); b.After(k.year.End) {
			k.report("8520", "PersonBirthDate", b.String())
		}
	}},
	{"8525Q", func(k *check) {
		if id := k.c.Identifiers; (id.BirthDate == nil) == (id.ExpectedBirthDate == nil) {
			k.report("8525Q", "PersonBirthDate", str(id.BirthDate))
		}
	}},
	{"8535Q", func(k *check) {
		if id := k.c.Identifiers; id.DeathDate != nil && id.BirthDate != nil && id.DeathDate.Before(*id.BirthDate) {
			k.report("8535Q", "PersonDeathDate", id.DeathDate.String())
		}
	}},
	{"8545Q", func(k *check) {
		if death := k.c.Identifiers.DeathDate; death != nil && !k.year.Contains(*death) {
			k.report("8545Q", "PersonDeathDate", death.String())
		}
	}},
	{"8772", func(k *check) {
		if k.c.Identifiers.UPNUnknown == "UN7" && slices.ContainsFunc(k.c.Episodes, func(e Episode) bool { return !e.NFA.yes() }) {
			k.report("8772", "UPNunknown", "UN7")
		}
	}},
	{"8775Q", func(k *check) {
		if b := day(k.c.Identifiers.BirthDate); !b.IsZero() && b.AddMonths(25*12).Before(k.year.End) {
			k.report("8775Q", "PersonBirthDate", b.String())
		}
	}},

	{"8770Q", func(k *check) {
		id := k.c.Identifiers
		schoolAge := id.BirthDate != nil && !id.BirthDate.After(k.year.End.AddMonths(-6*12))
		furtherAction := slices.ContainsFunc(k.c.Episodes, func(e Episode) bool { return !e.NFA.yes() })
		// UN1 says the child is not yet of school age, so it does not explain a missing UPN here.
		if schoolAge && furtherAction && id.UPN == "" && (id.UPNUnknown == "" || id.UPNUnknown == "UN1") {
			k.report("8770Q", "UPNunknown", id.UPNUnknown)
		}
	}},
	{"8530Q", func(k *check) {
		if e := k.c.Identifiers.ExpectedBirthDate; e != nil &&
			(e.Before(civil.Date{Year: k.year.End.Year, Month: 3, Day: 1}) || e.Year > k.year.End.Year) {
			k.report("8530Q", "ExpectedPersonBirthDate", e.String())
		}
	}},
	{"8606", func(k *check) {
		born := day(k.c.Identifiers.BirthDate)
		if born.IsZero() {
			born = day(k.c.Identifiers.ExpectedBirthDate)
		}
		for _, e := range k.c.Episodes {
			if !born.IsZero() && e.ReferralDate.Before(born.AddDays(-40*7)) {
				k.report("8606", "CINreferralDate", e.ReferralDate.String())
			}
		}
	}},

	// The child's characteristics.
	{"4220", func(k *check) {
		if e := k.c.Characteristics.Ethnicity; !casework.Valid(casework.ListEthnicity, e) {
			k.report("4220", "Ethnicity", e)
		}
	}},
	{"8540", func(k *check) {
		ds := k.c.Characteristics.Disabilities
		if len(ds) == 0 {
			k.report("8540", "Disability", "")
		}
		for _, code := range ds {
			if !casework.Valid(casework.ListDisability, code) {
				k.report("8540", "Disability", code)
			}
		}
	}},
	{"8790", func(k *check) {
		if ds := k.c.Characteristics.Disabilities; len(ds) > 1 && slices.Contains(ds, "NONE") {
			k.report("8790", "Disability", strings.Join(ds, " "))
		}
	}},
	{"8794", func(k *check) {
		if code, dup := duplicate(k.c.Characteristics.Disabilities); dup {
			k.report("8794", "Disability", code)
		}
	}},

	// Episodes of need.
	{"8590", func(k *check) {
		if len(k.c.Episodes) == 0 {
			k.report("8590", "CINdetails", "")
		}
	}},
	{"8600", func(k *check) {
		for _, e := range k.c.Episodes {
			if e.ReferralDate.IsZero() || e.ReferralDate.After(k.year.End) {
				k.report("8600", "CINreferralDate", e.ReferralDate.String())
			}
		}
	}},
	{"8866", func(k *check) {
		for _, e := range k.c.Episodes {
			if !casework.Valid(casework.ListReferralSource, e.Source) {
				k.report("8866", "ReferralSource", e.Source)
			}
		}
	}},
	{"8610", func(k *check) {
		for _, e := range k.c.Episodes {
			if !e.NFA.yes() && e.PrimaryNeed == "" {
				k.report("8610", "PrimaryNeedCode", "")
			}
		}
	}},
	{"8650", func(k *check) {
		for _, e := range k.c.Episodes {
			if e.PrimaryNeed != "" && !casework.Valid(casework.ListPrimaryNeed, e.PrimaryNeed) {
				k.report("8650", "PrimaryNeedCode", e.PrimaryNeed)
			}
		}
	}},
	{"8620", func(k *check) {
		for _, e := range k.c.Episodes {
			if e.ClosureDate != nil && !k.year.Contains(*e.ClosureDate) {
				k.report("8620", "CINclosureDate", e.ClosureDate.String())
			}
		}
	}},
	{"8630", func(k *check) {
		for _, e := range k.c.Episodes {
			if e.ClosureDate != nil && e.ClosureDate.Before(e.ReferralDate) {
				k.report("8630", "CINclosureDate", e.ClosureDate.String())
			}
		}
	}},
	{"8640", func(k *check) {
		for _, e := range k.c.Episodes {
			if e.ClosureReason != "" && !casework.Valid(casework.ListClosureReason, e.ClosureReason) {
				k.report("8640", "ReasonForClosure", e.ClosureReason)
			}
		}
	}},
	{"8805", func(k *check) {
		for _, e := range k.c.Episodes {
			if e.ClosureDate != nil && e.ClosureReason == "" {
				k.report("8805", "ReasonForClosure", "")
			}
		}
	}},
	{"8810", func(k *check) {
		for _, e := range k.c.Episodes {
			if e.ClosureDate == nil && e.ClosureReason != "" {
				k.report("8810", "CINclosureDate", "")
			}
		}
	}},
	{"8555Q", func(k *check) {
		for _, e := range k.c.Episodes {
			if death := k.c.Identifiers.DeathDate; death != nil && e.ReferralDate.After(*death) {
				k.report("8555Q", "CINreferralDate", e.ReferralDate.String())
			}
		}
	}},
	{"8585Q", func(k *check) {
		for _, e := range k.c.Episodes {
			if e.ClosureReason == "RC2" && k.c.Identifiers.DeathDate == nil {
				k.report("8585Q", "ReasonForClosure", "RC2")
			}
		}
	}},
	{"8815", func(k *check) {
		open := 0
		for _, e := range k.c.Episodes {
			if e.ClosureDate == nil && !e.NFA.yes() {
				open++
			}
		}
		if open > 1 {
			k.report("8815", "CINclosureDate", strconv.Itoa(open)+" open")
		}
	}},
	{"8820", func(k *check) {
		eps := slices.Clone(k.c.Episodes)
		slices.SortFunc(eps, func(a, b Episode) int { return a.ReferralDate.Compare(b.ReferralDate) })
		for i := 1; i < len(eps); i++ {
			if prev := eps[i-1]; prev.ClosureDate == nil || eps[i].ReferralDate.Before(*prev.ClosureDate) {
				k.report("8820", "CINreferralDate", eps[i].ReferralDate.String())
			}
		}
	}},
	{"8816", func(k *check) {
		for _, e := range k.c.Episodes {
			if e.ClosureDate == nil && !e.NFA.yes() && slices.ContainsFunc(k.c.Episodes, func(o Episode) bool { return o.ReferralDate.After(e.ReferralDate) }) {
				k.report("8816", "CINclosureDate", "")
			}
		}
	}},
	{"8569Q", func(k *check) {
		cutoff, err := k.cal.Add(k.year.Start, -1)
		for _, e := range k.c.Episodes {
			if err == nil && e.NFA.yes() && e.ReferralDate.Before(cutoff) {
				k.report("8569Q", "ReferralNFA", "1")
			}
		}
	}},
	{"8565", func(k *check) {
		for _, e := range k.c.Episodes {
			if e.ClosureDate == nil {
				continue
			}
			if last := e.lastActivity(); last.After(*e.ClosureDate) {
				k.report("8565", "CINclosureDate", e.ClosureDate.String())
			}
		}
	}},
	{"8825Q", func(k *check) {
		for _, e := range k.c.Episodes {
			if (e.ClosureReason == "RC8" || e.ClosureReason == "RC9") && len(e.Assessments) == 0 {
				k.report("8825Q", "ReasonForClosure", e.ClosureReason)
			}
		}
	}},
	{"2990", func(k *check) {
		for _, e := range k.c.Episodes {
			if (e.ClosureReason == "RC8" || e.ClosureReason == "RC9") && (len(e.CINPlans) > 0 || len(e.Section47s) > 0 || len(e.Plans) > 0) {
				k.report("2990", "ReasonForClosure", e.ClosureReason)
			}
		}
	}},
	{"8873Q", func(k *check) {
		for _, e := range k.c.Episodes {
			if len(e.Assessments) == 1 && e.Assessments[0].Factors != nil && slices.Equal(e.Assessments[0].Factors.Codes, []string{"21"}) &&
				e.ClosureReason != "RC8" {
				k.report("8873Q", "ReasonForClosure", e.ClosureReason)
			}
		}
	}},
	{"4000", func(k *check) {
		for _, e := range k.c.Episodes {
			if e.NFA.yes() && len(e.CINPlans) > 0 {
				k.report("4000", "CINPlanStartDate", e.CINPlans[0].Start.String())
			}
		}
	}},
	{"8568", func(k *check) {
		for _, e := range k.c.Episodes {
			if !e.NFA.valid() {
				k.report("8568", "ReferralNFA", string(e.NFA))
			}
		}
	}},
	{"8831", func(k *check) {
		for _, e := range k.c.Episodes {
			if e.NFA.yes() && (len(e.Assessments) > 0 || len(e.Section47s) > 0 || e.InitialCPC != nil) {
				k.report("8831", "ReferralNFA", "1")
			}
		}
	}},
	{"8832", func(k *check) {
		for _, e := range k.c.Episodes {
			if e.NFA.yes() && len(e.Plans) > 0 {
				k.report("8832", "CPPstartDate", e.Plans[0].Start.String())
			}
		}
	}},
	{"2884", func(k *check) {
		for _, e := range k.c.Episodes {
			for _, s := range e.Section47s {
				if e.InitialCPC != nil && s.InitialCPC != nil && *e.InitialCPC == *s.InitialCPC {
					k.report("2884", "DateOfInitialCPC", e.InitialCPC.String())
				}
			}
		}
	}},

	// Assessments.
	{"1103", each(func(k *check, e Episode, a Assessment) {
		if a.Start.Before(e.ReferralDate) {
			k.report("1103", "AssessmentActualStartDate", a.Start.String())
		}
	})},
	{"8608", each(func(k *check, _ Episode, a Assessment) {
		if a.Authorised != nil && a.Authorised.Before(a.Start) {
			k.report("8608", "AssessmentAuthorisationDate", a.Authorised.String())
		}
	})},
	{"8696", each(func(k *check, _ Episode, a Assessment) {
		if a.Authorised != nil && !k.year.Contains(*a.Authorised) {
			k.report("8696", "AssessmentAuthorisationDate", a.Authorised.String())
		}
	})},
	{"8736", each(func(k *check, _ Episode, a Assessment) {
		if a.Authorised == nil && !k.year.Contains(a.Start) {
			k.report("8736", "AssessmentActualStartDate", a.Start.String())
		}
	})},
	{"8614", each(func(k *check, _ Episode, a Assessment) {
		if a.Authorised == nil && a.Factors != nil {
			k.report("8614", "AssessmentFactors", strings.Join(a.Factors.Codes, " "))
		}
	})},
	{"8897Q", each(func(k *check, _ Episode, a Assessment) {
		if a.Authorised != nil && (a.Factors == nil || len(a.Factors.Codes) == 0) {
			k.report("8897Q", "AssessmentFactors", "")
		}
	})},
	{"8869", each(func(k *check, _ Episode, a Assessment) {
		if a.Factors != nil && len(a.Factors.Codes) > 1 && slices.Contains(a.Factors.Codes, "21") {
			k.report("8869", "AssessmentFactors", strings.Join(a.Factors.Codes, " "))
		}
	})},
	{"8898", each(func(k *check, _ Episode, a Assessment) {
		if a.Factors != nil {
			if code, dup := duplicate(a.Factors.Codes); dup {
				k.report("8898", "AssessmentFactors", code)
			}
		}
	})},
	{"8945Q", each(func(k *check, _ Episode, a Assessment) {
		if a.Factors != nil && slices.Contains(a.Factors.Codes, "18A") {
			k.report("8945Q", "AssessmentFactors", "18A")
		}
	})},
	{"8950Q", each(func(k *check, _ Episode, a Assessment) {
		if a.Factors != nil && slices.Contains(a.Factors.Codes, "19A") {
			k.report("8950Q", "AssessmentFactors", "19A")
		}
	})},
	{"8896", func(k *check) {
		for _, e := range k.c.Episodes {
			if n := countFunc(e.Assessments, func(a Assessment) bool { return a.Authorised == nil }); n > 1 {
				k.report("8896", "AssessmentAuthorisationDate", strconv.Itoa(n)+" open")
			}
		}
	}},
	{"8670Q", each(func(k *check, _ Episode, a Assessment) {
		if due, err := k.cal.Add(a.Start, 45); err == nil && a.Authorised == nil && due.Before(k.year.End) {
			k.report("8670Q", "AssessmentActualStartDate", a.Start.String())
		}
	})},
	{"8863Q", func(k *check) {
		for _, e := range k.c.Episodes {
			for i, a := range e.Assessments {
				for j, b := range e.Assessments {
					if i != j && b.Start.Before(a.Start) && (b.Authorised == nil || a.Start.Before(*b.Authorised)) {
						k.report("8863Q", "AssessmentActualStartDate", a.Start.String())
					}
				}
			}
		}
	}},
	{"8867", each(func(k *check, e Episode, a Assessment) {
		if e.ClosureDate != nil && a.Authorised == nil {
			k.report("8867", "AssessmentAuthorisationDate", "")
		}
	})},

	// Child in need plans.
	{"4010", eachCIN(func(k *check, _ Episode, p CINPlan) {
		if p.Start.IsZero() || p.Start.After(k.year.End) {
			k.report("4010", "CINPlanStartDate", p.Start.String())
		}
	})},
	{"4011", eachCIN(func(k *check, _ Episode, p CINPlan) {
		if p.End != nil && p.End.Before(p.Start) {
			k.report("4011", "CINPlanEndDate", p.End.String())
		}
	})},
	{"4012Q", eachCIN(func(k *check, _ Episode, p CINPlan) {
		if p.End != nil && *p.End == p.Start {
			k.report("4012Q", "CINPlanEndDate", p.End.String())
		}
	})},
	{"4013", eachCIN(func(k *check, _ Episode, p CINPlan) {
		if p.End != nil && !k.year.Contains(*p.End) {
			k.report("4013", "CINPlanEndDate", p.End.String())
		}
	})},
	{"4015", eachCIN(func(k *check, e Episode, p CINPlan) {
		if p.Start.Before(e.ReferralDate) {
			k.report("4015", "CINPlanStartDate", p.Start.String())
		}
	})},
	{"4008", eachCIN(func(k *check, _ Episode, p CINPlan) {
		if death := k.c.Identifiers.DeathDate; death != nil && p.Start.After(*death) {
			k.report("4008", "CINPlanStartDate", p.Start.String())
		}
	})},
	{"4009Q", eachCIN(func(k *check, _ Episode, p CINPlan) {
		if death := k.c.Identifiers.DeathDate; death != nil && p.End != nil && p.End.After(*death) {
			k.report("4009Q", "CINPlanEndDate", p.End.String())
		}
	})},
	{"4004", func(k *check) {
		if n := k.countAll(func(e Episode) int {
			return countFunc(e.CINPlans, func(p CINPlan) bool { return p.End == nil })
		}); n > 1 {
			k.report("4004", "CINPlanEndDate", strconv.Itoa(n)+" open")
		}
	}},
	{"4014", func(k *check) {
		var spans []span
		for _, e := range k.c.Episodes {
			for _, p := range e.CINPlans {
				spans = append(spans, span{p.Start, p.End})
			}
		}
		if s, ok := overlapping(spans); ok {
			k.report("4014", "CINPlanStartDate", s.start.String())
		}
	}},
	{"4001", func(k *check) {
		for _, e := range k.c.Episodes {
			for _, c := range e.CINPlans {
				for _, p := range e.Plans {
					if (span{c.Start, c.End}).overlaps(span{p.Start, p.End}) {
						k.report("4001", "CINPlanStartDate", c.Start.String())
					}
				}
			}
		}
	}},
	// 4016 and 4017 look across all the child's episodes, where 4001 looks within one: a child in need plan may
	// not start while a protection plan is open, nor a protection plan while a child in need plan is.
	{"4016", func(k *check) {
		cins, plans := k.planSpans()
		for _, c := range cins {
			if slices.ContainsFunc(plans, func(p span) bool { return p.holds(c.start, k.year.End) }) {
				k.report("4016", "CINPlanStartDate", c.start.String())
			}
		}
	}},
	{"4017", func(k *check) {
		cins, plans := k.planSpans()
		for _, p := range plans {
			if slices.ContainsFunc(cins, func(c span) bool { return c.holds(p.start, k.year.End) }) {
				k.report("4017", "CPPstartDate", p.start.String())
			}
		}
	}},

	// Section 47 enquiries and initial conferences.
	{"2889", eachS47(func(k *check, e Episode, s Section47) {
		if s.Start.Before(e.ReferralDate) {
			k.report("2889", "S47ActualStartDate", s.Start.String())
		}
	})},
	{"8615", eachS47(func(k *check, _ Episode, s Section47) {
		if s.Start.IsZero() || (s.InitialCPC != nil && s.Start.After(*s.InitialCPC)) {
			k.report("8615", "S47ActualStartDate", s.Start.String())
		}
	})},
	{"1104", func(k *check) {
		for _, e := range k.c.Episodes {
			for _, icpc := range e.conferences() {
				if icpc.Before(e.ReferralDate) {
					k.report("1104", "DateOfInitialCPC", icpc.String())
				}
			}
		}
	}},
	{"8715", func(k *check) {
		for _, e := range k.c.Episodes {
			for _, icpc := range e.conferences() {
				if !k.year.Contains(icpc) {
					k.report("8715", "DateOfInitialCPC", icpc.String())
				}
			}
		}
	}},
	{"8875", func(k *check) {
		for _, e := range k.c.Episodes {
			for _, icpc := range e.conferences() {
				if weekend(icpc) {
					k.report("8875", "DateOfInitialCPC", icpc.String())
				}
			}
		}
	}},
	{"8870Q", eachS47(func(k *check, _ Episode, s Section47) {
		if s.Target != nil && weekend(*s.Target) {
			k.report("8870Q", "InitialCPCtarget", s.Target.String())
		}
	})},
	{"8740", eachS47(func(k *check, _ Episode, s Section47) {
		if s.open() && !k.year.Contains(s.Start) {
			k.report("8740", "S47ActualStartDate", s.Start.String())
		}
	})},
	{"8839", func(k *check) {
		for _, e := range k.c.Episodes {
			if n := countFunc(e.Section47s, Section47.open); n > 1 {
				k.report("8839", "S47ActualStartDate", strconv.Itoa(n)+" open")
			}
		}
	}},
	{"8868", eachS47(func(k *check, e Episode, s Section47) {
		if e.ClosureDate != nil && s.open() {
			k.report("8868", "ICPCnotRequired", "0")
		}
	})},
	{"8675Q", eachS47(func(k *check, _ Episode, s Section47) {
		if due, err := k.cal.Add(s.Start, 15); err == nil && s.open() && due.Before(k.year.End) {
			k.report("8675Q", "S47ActualStartDate", s.Start.String())
		}
	})},
	{"8890", func(k *check) {
		for _, e := range k.c.Episodes {
			for i, a := range e.Section47s {
				for j, b := range e.Section47s {
					if i != j && b.Start.Before(a.Start) && (b.open() || (b.InitialCPC != nil && a.Start.Before(*b.InitialCPC))) {
						k.report("8890", "S47ActualStartDate", a.Start.String())
					}
				}
			}
		}
	}},
	{"2883", func(k *check) {
		for _, e := range k.c.Episodes {
			starting := countFunc(e.Plans, func(p ProtectionPlan) bool { return k.year.Contains(p.Start) })
			if icpcs := countFunc(e.conferences(), k.year.Contains); starting > icpcs {
				k.report("2883", "CPPstartDate", strconv.Itoa(starting)+" plans, "+strconv.Itoa(icpcs)+" conferences")
			}
		}
	}},
	{"2885", eachPlan(func(k *check, e Episode, p ProtectionPlan) {
		if k.year.Contains(p.Start) && !slices.Contains(e.conferences(), p.Start) {
			k.report("2885", "CPPstartDate", p.Start.String())
		}
	})},
	{"2991Q", func(k *check) {
		for _, e := range k.c.Episodes {
			if len(e.Section47s) > 0 && len(e.Assessments) == 0 {
				k.report("2991Q", "S47ActualStartDate", e.Section47s[0].Start.String())
			}
		}
	}},

	// Child protection plans.
	{"8720", eachPlan(func(k *check, _ Episode, p ProtectionPlan) {
		if p.Start.IsZero() || p.Start.After(k.year.End) {
			k.report("8720", "CPPstartDate", p.Start.String())
		}
	})},
	{"1105", eachPlan(func(k *check, e Episode, p ProtectionPlan) {
		if p.Start.Before(e.ReferralDate) {
			k.report("1105", "CPPstartDate", p.Start.String())
		}
	})},
	{"8925", eachPlan(func(k *check, _ Episode, p ProtectionPlan) {
		if p.End != nil && p.End.Before(p.Start) {
			k.report("8925", "CPPendDate", p.End.String())
		}
	})},
	{"8840", eachPlan(func(k *check, _ Episode, p ProtectionPlan) {
		if p.End != nil && *p.End == p.Start {
			k.report("8840", "CPPendDate", p.End.String())
		}
	})},
	{"8930", eachPlan(func(k *check, _ Episode, p ProtectionPlan) {
		if p.End != nil && !k.year.Contains(*p.End) {
			k.report("8930", "CPPendDate", p.End.String())
		}
	})},
	{"8905", eachPlan(func(k *check, _ Episode, p ProtectionPlan) {
		if !casework.Valid(casework.ListAbuseCategory, p.InitialCategory) {
			k.report("8905", "InitialCategoryOfAbuse", p.InitialCategory)
		}
	})},
	{"8910", eachPlan(func(k *check, _ Episode, p ProtectionPlan) {
		if !casework.Valid(casework.ListAbuseCategory, p.LatestCategory) {
			k.report("8910", "LatestCategoryOfAbuse", p.LatestCategory)
		}
	})},
	{"8730", eachPlan(func(k *check, _ Episode, p ProtectionPlan) {
		if p.PreviousPlans < 0 {
			k.report("8730", "NumberOfPreviousCPP", strconv.Itoa(p.PreviousPlans))
		}
	})},
	{"8842Q", eachPlan(func(k *check, _ Episode, p ProtectionPlan) {
		if p.Reviews != nil && slices.ContainsFunc(p.Reviews.Dates, civil.Date.IsZero) {
			k.report("8842Q", "CPPreviewDate", "")
		}
	})},
	{"8841", eachPlan(func(k *check, _ Episode, p ProtectionPlan) {
		if p.Reviews != nil {
			for _, r := range p.Reviews.Dates {
				if !r.IsZero() && !r.After(p.Start) {
					k.report("8841", "CPPreviewDate", r.String())
				}
			}
		}
	})},
	{"8915", eachPlan(func(k *check, _ Episode, p ProtectionPlan) {
		if death := k.c.Identifiers.DeathDate; death != nil && p.Start.After(*death) {
			k.report("8915", "CPPstartDate", p.Start.String())
		}
	})},
	{"8920", eachPlan(func(k *check, _ Episode, p ProtectionPlan) {
		if death := k.c.Identifiers.DeathDate; death != nil && p.End != nil && p.End.After(*death) {
			k.report("8920", "CPPendDate", p.End.String())
		}
	})},
	{"8935", func(k *check) {
		if n := k.countAll(func(e Episode) int {
			return countFunc(e.Plans, func(p ProtectionPlan) bool { return p.End == nil })
		}); n > 1 {
			k.report("8935", "CPPendDate", strconv.Itoa(n)+" open")
		}
	}},
	{"4003", eachPlan(func(k *check, e Episode, p ProtectionPlan) {
		if p.Reviews == nil {
			return
		}
		for _, r := range p.Reviews.Dates {
			for _, c := range e.CINPlans {
				if !r.IsZero() && !r.Before(c.Start) && (c.End == nil || r.Before(*c.End)) {
					k.report("4003", "CPPreviewDate", r.String())
				}
			}
		}
	})},
	{"8940", func(k *check) {
		var spans []span
		for _, e := range k.c.Episodes {
			for _, p := range e.Plans {
				spans = append(spans, span{p.Start, p.End})
			}
		}
		if s, ok := overlapping(spans); ok {
			k.report("8940", "CPPstartDate", s.start.String())
		}
	}},
}

// upnLetters are the letters a UPN may end with.
const upnLetters = "ABCDEFGHJKLMNPQRTUVWXYZ"

func notDigit(r rune) bool        { return r < '0' || r > '9' }
func notAlphanumeric(r rune) bool { return notDigit(r) && (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') }
func weekend(d civil.Date) bool   { w := d.Weekday(); return w == time.Saturday || w == time.Sunday }

// day is an optional date, or the zero date.
func day(d *civil.Date) civil.Date {
	if d == nil {
		return civil.Date{}
	}
	return *d
}

func str(d *civil.Date) string { return day(d).String() }

func duplicate(codes []string) (string, bool) {
	seen := map[string]bool{}
	for _, c := range codes {
		if seen[c] {
			return c, true
		}
		seen[c] = true
	}
	return "", false
}

func countFunc[T any](items []T, f func(T) bool) int {
	n := 0
	for _, it := range items {
		if f(it) {
			n++
		}
	}
	return n
}

// countAll adds up count over the child's episodes.
func (k *check) countAll(count func(Episode) int) int {
	n := 0
	for _, e := range k.c.Episodes {
		n += count(e)
	}
	return n
}

// open tells whether an enquiry is still under way: no conference yet, and not concluded as needing none.
func (s Section47) open() bool { return s.InitialCPC == nil && !bool(s.ICPCNotNeeded) }

// lastActivity is the latest date of anything recorded within the episode.
func (e Episode) lastActivity() civil.Date {
	var last civil.Date
	later := func(d civil.Date) {
		if d.After(last) {
			last = d
		}
	}
	for _, a := range e.Assessments {
		later(a.Start)
		later(day(a.Authorised))
	}
	for _, p := range e.CINPlans {
		later(p.Start)
		later(day(p.End))
	}
	for _, s := range e.Section47s {
		later(s.Start)
	}
	for _, d := range e.conferences() {
		later(d)
	}
	for _, p := range e.Plans {
		later(p.Start)
		later(day(p.End))
		if p.Reviews != nil {
			for _, r := range p.Reviews.Dates {
				later(r)
			}
		}
	}
	return last
}

// conferences are the episode's initial conference dates, at either level.
func (e Episode) conferences() []civil.Date {
	var out []civil.Date
	if e.InitialCPC != nil {
		out = append(out, *e.InitialCPC)
	}
	for _, s := range e.Section47s {
		if s.InitialCPC != nil {
			out = append(out, *s.InitialCPC)
		}
	}
	return out
}

func each(f func(*check, Episode, Assessment)) func(*check) {
	return func(k *check) {
		for _, e := range k.c.Episodes {
			for _, a := range e.Assessments {
				f(k, e, a)
			}
		}
	}
}

func eachCIN(f func(*check, Episode, CINPlan)) func(*check) {
	return func(k *check) {
		for _, e := range k.c.Episodes {
			for _, p := range e.CINPlans {
				f(k, e, p)
			}
		}
	}
}

func eachS47(f func(*check, Episode, Section47)) func(*check) {
	return func(k *check) {
		for _, e := range k.c.Episodes {
			for _, s := range e.Section47s {
				f(k, e, s)
			}
		}
	}
}

func eachPlan(f func(*check, Episode, ProtectionPlan)) func(*check) {
	return func(k *check) {
		for _, e := range k.c.Episodes {
			for _, p := range e.Plans {
				f(k, e, p)
			}
		}
	}
}

// span is a period from start to end; a nil end is still running.
type span struct {
	start civil.Date
	end   *civil.Date
}

// overlaps tells whether two periods share a day beyond one ending on the day the other starts.
func (a span) overlaps(b span) bool {
	return (a.end == nil || b.start.Before(*a.end)) && (b.end == nil || a.start.Before(*b.end))
}

// holds tells whether day falls in the period: on or after its start and before its end, or, while it is open,
// on or before the reference date.
func (a span) holds(day, reference civil.Date) bool {
	if day.Before(a.start) {
		return false
	}
	if a.end == nil {
		return !day.After(reference)
	}
	return day.Before(*a.end)
}

// planSpans are the periods of the child's child in need plans and protection plans, in every episode.
func (k *check) planSpans() (cins, plans []span) {
	for _, e := range k.c.Episodes {
		for _, c := range e.CINPlans {
			cins = append(cins, span{c.Start, c.End})
		}
		for _, p := range e.Plans {
			plans = append(plans, span{p.Start, p.End})
		}
	}
	return cins, plans
}

// overlapping finds a period that overlaps another.
func overlapping(spans []span) (span, bool) {
	for i := range spans {
		for j := i + 1; j < len(spans); j++ {
			if spans[i].overlaps(spans[j]) {
				return spans[j], true
			}
		}
	}
	return span{}, false
}
