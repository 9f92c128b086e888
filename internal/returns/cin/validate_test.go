package cin

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/workday"
)

// upnFrom is the UPN with the check letter for the 12 characters after it.
func upnFrom(rest string) string {
	l, err := casework.UPNCheckLetter(rest)
	if err != nil {
		panic(err)
	}
	return string(l) + rest
}

func dp(s string) *civil.Date { v := civil.MustParse(s); return &v }

// goodChild is a child in need who breaks no rule: a referral, an assessment, a section 47 enquiry, an initial
// conference and a plan with a review, then a child in need plan after the plan ended.
func goodChild() *Child {
	return &Child{
		Identifiers:     Identifiers{LAChildID: "GOOD1", UPN: "Q825248921749", BirthDate: dp("2015-06-01"), Sex: "F"},
		Characteristics: Characteristics{Ethnicity: "WBRI", Disabilities: []string{"NONE"}},
		Episodes: []Episode{{
			ReferralDate: d("2025-05-01"), Source: "2A", PrimaryNeed: "N1", NFA: "0",
			ClosureDate: dp("2026-03-02"), ClosureReason: "RC7",
			Assessments: []Assessment{{Start: d("2025-05-02"), Authorised: dp("2025-06-10"), Factors: &Codes{[]string{"3A", "4B"}}}},
			Section47s:  []Section47{{Start: d("2025-05-06"), Target: dp("2025-05-27"), InitialCPC: dp("2025-05-22")}},
			Plans: []ProtectionPlan{{Start: d("2025-05-22"), End: dp("2025-11-20"), InitialCategory: "NEG", LatestCategory: "EMO",
				Reviews: &Reviews{[]civil.Date{d("2025-08-21")}}}},
			CINPlans: []CINPlan{{Start: d("2025-11-20"), End: dp("2026-03-02")}},
		}},
	}
}

// census writes children as a census of 2025-26.
func census(t *testing.T, children ...*Child) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, year, Source{LA: "825", Produced: now})
	must(t, err)
	for _, c := range children {
		must(t, w.Write(c))
	}
	must(t, w.Close())
	return buf.Bytes()
}

func findings(t *testing.T, doc []byte) []Finding {
	t.Helper()
	var out []Finding
	if _, err := Validate(bytes.NewReader(doc), workday.EnglandAndWales(), func(f Finding) { out = append(out, f) }); err != nil {
		t.Fatal(err)
	}
	return out
}

// withinChild drops the queries over the whole return, which a return of one child raises.
func withinChild(fs []Finding) []Finding {
	return slices.DeleteFunc(fs, func(f Finding) bool { return f.Child == "" && strings.HasPrefix(f.Rule, "288") })
}

func TestGoodChildBreaksNoRule(t *testing.T) {
	if got := withinChild(findings(t, census(t, goodChild()))); len(got) != 0 {
		t.Fatalf("findings on a good child: %v", got)
	}
}

// TestEachRule breaks each rule on a copy of the good child and expects that rule's finding, with its
// severity, field and the child's ID.
func TestEachRule(t *testing.T) {
	ep := func(c *Child) *Episode { return &c.Episodes[0] }
	cases := map[string]func(c *Child){
		"8500":  func(c *Child) { c.Identifiers.LAChildID = "" },
		"1570":  func(c *Child) { c.Identifiers.LAChildID = strings.Repeat("A", 21) },
		"1580":  func(c *Child) { c.Identifiers.LAChildID = "GOOD-1" },
		"1510":  func(c *Child) { c.Identifiers.UPN = "B825248921749" },
		"1530":  func(c *Child) { c.Identifiers.UPN = upnFrom("999248921749") },
		"1540":  func(c *Child) { c.Identifiers.UPN = "Q8252489X1749" },
		"1550":  func(c *Child) { c.Identifiers.UPN = "Q82524892174S" },
		"1560Q": func(c *Child) { c.Identifiers.FormerUPN = "B825248921749" },
		"4180":  func(c *Child) { c.Identifiers.Sex = "X" },
		"8750": func(c *Child) {
			c.Identifiers.BirthDate, c.Identifiers.ExpectedBirthDate = nil, dp("2026-06-01")
			ep(c).ReferralDate = d("2025-12-01")
		},
		"8520":  func(c *Child) { c.Identifiers.BirthDate = dp("2026-04-02") },
		"8525Q": func(c *Child) { c.Identifiers.ExpectedBirthDate = dp("2015-06-01") },
		"8535Q": func(c *Child) { c.Identifiers.DeathDate = dp("2014-01-01") },
		"8545Q": func(c *Child) { c.Identifiers.DeathDate = dp("2026-04-10") },
		"8772":  func(c *Child) { c.Identifiers.UPN, c.Identifiers.UPNUnknown = "", "UN7" },
		"8775Q": func(c *Child) { c.Identifiers.BirthDate = dp("1999-01-01") },
		"4220":  func(c *Child) { c.Characteristics.Ethnicity = "XXXX" },
		"8540":  func(c *Child) { c.Characteristics.Disabilities = []string{"WINGS"} },
		"8790":  func(c *Child) { c.Characteristics.Disabilities = []string{"NONE", "MOB"} },
		"8794":  func(c *Child) { c.Characteristics.Disabilities = []string{"MOB", "MOB"} },
		"8590":  func(c *Child) { c.Episodes = nil },
		"8600":  func(c *Child) { ep(c).ReferralDate = d("2026-04-01") },
		"8866":  func(c *Child) { ep(c).Source = "99" },
		"8610":  func(c *Child) { ep(c).PrimaryNeed = "" },
		"8650":  func(c *Child) { ep(c).PrimaryNeed = "N10" },
		"8620":  func(c *Child) { ep(c).ClosureDate = dp("2025-03-01") },
		"8630":  func(c *Child) { ep(c).ClosureDate = dp("2025-04-20") },
		"8640":  func(c *Child) { ep(c).ClosureReason = "RC0" },
		"8805":  func(c *Child) { ep(c).ClosureReason = "" },
		"8810":  func(c *Child) { ep(c).ClosureDate = nil },
		"8555Q": func(c *Child) { c.Identifiers.DeathDate = dp("2025-04-20") },
		"8585Q": func(c *Child) { ep(c).ClosureReason = "RC2" },
		"8815": func(c *Child) {
			ep(c).ClosureDate, ep(c).ClosureReason = nil, ""
			c.Episodes = append(c.Episodes, Episode{ReferralDate: d("2026-03-10"), Source: "6", PrimaryNeed: "N1"})
		},
		"8820": func(c *Child) {
			c.Episodes = append(c.Episodes, Episode{ReferralDate: d("2026-03-01"), Source: "6", PrimaryNeed: "N1"})
		},
		"4000": func(c *Child) { ep(c).NFA = "1" },
		"8831": func(c *Child) { ep(c).NFA = "1" },
		"8832": func(c *Child) { ep(c).NFA = "1" },
		"2884": func(c *Child) { ep(c).InitialCPC = dp("2025-05-22") },
		"1103": func(c *Child) { ep(c).Assessments[0].Start = d("2025-04-30") },
		"8608": func(c *Child) { ep(c).Assessments[0].Authorised = dp("2025-05-01") },
		"8696": func(c *Child) { ep(c).Assessments[0].Authorised = dp("2026-04-10") },
		"8736": func(c *Child) { ep(c).Assessments = append(ep(c).Assessments, Assessment{Start: d("2025-03-10")}) },
		"8614": func(c *Child) {
			ep(c).Assessments = append(ep(c).Assessments, Assessment{Start: d("2025-06-11"), Factors: &Codes{[]string{"3A"}}})
		},
		"8897Q": func(c *Child) { ep(c).Assessments[0].Factors = nil },
		"8869":  func(c *Child) { ep(c).Assessments[0].Factors = &Codes{[]string{"21", "3A"}} },
		"8898":  func(c *Child) { ep(c).Assessments[0].Factors = &Codes{[]string{"3A", "3A"}} },
		"8945Q": func(c *Child) { ep(c).Assessments[0].Factors = &Codes{[]string{"18A"}} },
		"8950Q": func(c *Child) { ep(c).Assessments[0].Factors = &Codes{[]string{"19A"}} },
		"8896": func(c *Child) {
			ep(c).ClosureDate, ep(c).ClosureReason = nil, ""
			ep(c).Assessments = append(ep(c).Assessments, Assessment{Start: d("2026-01-05")}, Assessment{Start: d("2026-02-05")})
		},
		"8867":  func(c *Child) { ep(c).Assessments[0].Authorised, ep(c).Assessments[0].Factors = nil, nil },
		"4010":  func(c *Child) { ep(c).CINPlans[0].Start, ep(c).CINPlans[0].End = d("2026-04-02"), nil },
		"4011":  func(c *Child) { ep(c).CINPlans[0].End = dp("2025-11-19") },
		"4012Q": func(c *Child) { ep(c).CINPlans[0].End = dp("2025-11-20") },
		"4013":  func(c *Child) { ep(c).CINPlans[0].End = dp("2026-04-02") },
		"4015":  func(c *Child) { ep(c).CINPlans[0].Start = d("2025-04-01") },
		"4008":  func(c *Child) { c.Identifiers.DeathDate = dp("2025-11-01") },
		"4009Q": func(c *Child) { c.Identifiers.DeathDate = dp("2026-01-01") },
		"4004": func(c *Child) {
			ep(c).ClosureDate, ep(c).ClosureReason, ep(c).CINPlans[0].End = nil, "", nil
			ep(c).CINPlans = append(ep(c).CINPlans, CINPlan{Start: d("2026-03-01")})
		},
		"4014": func(c *Child) {
			ep(c).CINPlans = append(ep(c).CINPlans, CINPlan{Start: d("2026-01-01"), End: dp("2026-02-01")})
		},
		"4001": func(c *Child) { ep(c).CINPlans[0].Start = d("2025-10-01") },
		// A child in need plan in a second episode starts while the first episode's protection plan is open.
		"4016": func(c *Child) {
			ep(c).ClosureDate, ep(c).ClosureReason = dp("2025-11-20"), "RC7"
			ep(c).CINPlans = nil
			c.Episodes = append(c.Episodes, Episode{ReferralDate: d("2025-11-20"), Source: "6", PrimaryNeed: "N1",
				Assessments: []Assessment{{Start: d("2025-11-20"), Authorised: dp("2025-12-01"), Factors: &Codes{[]string{"3A"}}}},
				CINPlans:    []CINPlan{{Start: d("2025-10-01")}}})
		},
		// A second episode's protection plan starts while the first episode's child in need plan is open.
		"4017": func(c *Child) {
			ep(c).ClosureDate, ep(c).ClosureReason, ep(c).CINPlans[0].End = nil, "", nil
			c.Episodes = append(c.Episodes, Episode{ReferralDate: d("2026-01-05"), Source: "6", PrimaryNeed: "N1",
				Plans: []ProtectionPlan{{Start: d("2026-02-01"), InitialCategory: "NEG", LatestCategory: "NEG"}}})
		},
		"2889": func(c *Child) { ep(c).Section47s[0].Start = d("2025-04-30") },
		"8615": func(c *Child) { ep(c).Section47s[0].Start = d("2025-05-23") },
		"1104": func(c *Child) {
			ep(c).Section47s = nil
			ep(c).InitialCPC = dp("2025-04-30")
		},
		"8715": func(c *Child) { ep(c).Section47s[0].InitialCPC = dp("2026-04-01") },
		"8875": func(c *Child) {
			ep(c).Section47s[0].InitialCPC, ep(c).Plans[0].Start = dp("2025-05-24"), d("2025-05-24")
		},
		"8870Q": func(c *Child) { ep(c).Section47s[0].Target = dp("2025-05-25") },
		"8740": func(c *Child) {
			ep(c).ClosureDate, ep(c).ClosureReason = nil, ""
			ep(c).Section47s = append(ep(c).Section47s, Section47{Start: d("2025-03-20")})
		},
		"8839": func(c *Child) {
			ep(c).ClosureDate, ep(c).ClosureReason = nil, ""
			ep(c).Section47s = append(ep(c).Section47s, Section47{Start: d("2026-03-02")}, Section47{Start: d("2026-03-09")})
		},
		"8868":  func(c *Child) { ep(c).Section47s = append(ep(c).Section47s, Section47{Start: d("2026-02-02")}) },
		"2991Q": func(c *Child) { ep(c).Assessments = nil },
		"8720":  func(c *Child) { ep(c).Plans[0].Start = d("2026-04-01") },
		"1105":  func(c *Child) { ep(c).Plans[0].Start = d("2025-04-30") },
		"8925":  func(c *Child) { ep(c).Plans[0].End = dp("2025-05-21") },
		"8840":  func(c *Child) { ep(c).Plans[0].End = dp("2025-05-22") },
		"8930":  func(c *Child) { ep(c).Plans[0].End = dp("2026-04-02") },
		"8905":  func(c *Child) { ep(c).Plans[0].InitialCategory = "ABC" },
		"8910":  func(c *Child) { ep(c).Plans[0].LatestCategory = "ABC" },
		"8730":  func(c *Child) { ep(c).Plans[0].PreviousPlans = -1 },
		"8841":  func(c *Child) { ep(c).Plans[0].Reviews.Dates[0] = d("2025-05-22") },
		"8842Q": func(c *Child) { ep(c).Plans[0].Reviews.Dates[0] = civil.Date{} },
		"8568":  func(c *Child) { ep(c).NFA = "maybe" },
		"8915":  func(c *Child) { c.Identifiers.DeathDate = dp("2025-05-21") },
		"8920":  func(c *Child) { c.Identifiers.DeathDate = dp("2025-11-01") },
		"8935": func(c *Child) {
			ep(c).ClosureDate, ep(c).ClosureReason, ep(c).Plans[0].End, ep(c).CINPlans = nil, "", nil, nil
			ep(c).Plans = append(ep(c).Plans, ProtectionPlan{Start: d("2026-01-05"), InitialCategory: "NEG", LatestCategory: "NEG"})
		},
		"4003": func(c *Child) { ep(c).CINPlans[0].Start = d("2025-08-01") },
		"8530Q": func(c *Child) {
			c.Identifiers.BirthDate, c.Identifiers.ExpectedBirthDate, c.Identifiers.Sex = nil, dp("2027-01-05"), "U"
		},
		"8606":  func(c *Child) { c.Identifiers.BirthDate = dp("2026-03-01") },
		"8770Q": func(c *Child) { c.Identifiers.UPN, c.Identifiers.UPNUnknown = "", "UN1" },
		"8565":  func(c *Child) { ep(c).ClosureDate = dp("2025-10-01") },
		"8569Q": func(c *Child) {
			c.Episodes = append(c.Episodes, Episode{ReferralDate: d("2025-03-20"), Source: "6", NFA: "1"})
		},
		"8670Q": func(c *Child) { ep(c).Assessments = append(ep(c).Assessments, Assessment{Start: d("2025-12-01")}) },
		"8675Q": func(c *Child) { ep(c).Section47s = append(ep(c).Section47s, Section47{Start: d("2025-12-01")}) },
		"8816": func(c *Child) {
			ep(c).ClosureDate, ep(c).ClosureReason = nil, ""
			c.Episodes = append(c.Episodes, Episode{ReferralDate: d("2026-03-10"), Source: "6", PrimaryNeed: "N1",
				ClosureDate: dp("2026-03-11"), ClosureReason: "RC7"})
		},
		"8825Q": func(c *Child) { ep(c).Assessments, ep(c).ClosureReason = nil, "RC8" },
		"8863Q": func(c *Child) {
			ep(c).Assessments = append(ep(c).Assessments, Assessment{Start: d("2025-06-01"), Authorised: dp("2025-06-20"),
				Factors: &Codes{[]string{"3A"}}})
		},
		"8873Q": func(c *Child) { ep(c).Assessments[0].Factors = &Codes{[]string{"21"}} },
		"8890": func(c *Child) {
			ep(c).Section47s = append(ep(c).Section47s, Section47{Start: d("2025-05-10"), ICPCNotNeeded: true})
		},
		"2990": func(c *Child) { ep(c).ClosureReason = "RC8" },
		"2883": func(c *Child) {
			ep(c).Plans = append(ep(c).Plans, ProtectionPlan{Start: d("2025-12-01"), End: dp("2026-01-10"), InitialCategory: "NEG", LatestCategory: "NEG"})
		},
		"2885": func(c *Child) { ep(c).Plans[0].Start = d("2025-05-23") },
		"8940": func(c *Child) {
			ep(c).Plans = append(ep(c).Plans, ProtectionPlan{Start: d("2025-09-01"), End: dp("2025-10-01"), InitialCategory: "NEG", LatestCategory: "NEG"})
		},
	}
	for code, breakIt := range cases {
		t.Run(code, func(t *testing.T) {
			c := goodChild()
			breakIt(c)
			got := findings(t, census(t, c))
			i := slices.IndexFunc(got, func(f Finding) bool { return f.Rule == code })
			if i < 0 {
				t.Fatalf("rule %s did not fire; found %v", code, got)
			}
			f, want := got[i], catalogue[code]
			if f.Severity != want.Severity || f.Message != want.Message || f.Field == "" || f.Line == 0 ||
				(code != "8500" && f.Child != c.Identifiers.LAChildID) {
				t.Errorf("finding %+v", f)
			}
		})
	}
	// Every rule implemented has a case here, and every one is the DfE's; and every one of the DfE's is implemented.
	for code := range catalogue {
		if !slices.Contains(Rules(), code) {
			t.Errorf("the DfE's rule %s is not implemented", code)
		}
	}
	for _, code := range Rules() {
		if _, ok := catalogue[code]; !ok {
			t.Errorf("rule %s is not in the catalogue", code)
		}
		if _, ok := cases[code]; !ok && !slices.Contains(wholeReturn, code) {
			t.Errorf("rule %s has no case that breaks it", code)
		}
	}
}

// TestWholeReturnRules: the reference date, and IDs and UPNs used twice.
func TestWholeReturnRules(t *testing.T) {
	twin := goodChild()
	doc := census(t, goodChild(), twin)
	got := withinChild(findings(t, doc))
	var rules []string
	for _, f := range got {
		rules = append(rules, f.Rule)
	}
	slices.Sort(rules)
	if !slices.Equal(rules, []string{"1520", "8510"}) {
		t.Errorf("two copies of a child: %v", got)
	}
	bad := bytes.Replace(census(t, goodChild()), []byte("<ReferenceDate>2026-03-31"), []byte("<ReferenceDate>2026-03-30"), 1)
	if got := withinChild(findings(t, bad)); len(got) != 1 || got[0].Rule != "100" {
		t.Errorf("a reference date of 30 March: %v", got)
	}

	// Across children: more than 2% with no sex recorded, fewer than eight disability codes, never more than one
	// a child. Eight children with eight codes between them, one of them with two, and all of known sex, pass.
	var children []*Child
	codes := []string{"MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS"}
	for i, code := range codes {
		c := goodChild()
		c.Identifiers.LAChildID, c.Identifiers.UPN, c.Identifiers.UPNUnknown = "GOOD"+string(rune('A'+i)), "", "UN4"
		c.Characteristics.Disabilities = []string{code}
		children = append(children, c)
	}
	children[0].Characteristics.Disabilities = []string{"MOB", "BEH"}
	if got := findings(t, census(t, children...)); len(got) != 0 {
		t.Errorf("a varied return: %v", got)
	}
	children[0].Characteristics.Disabilities = []string{"MOB"}
	children[1].Identifiers.Sex = "U"
	children[2].Characteristics.Disabilities = []string{"NONE"}
	var rules2 []string
	for _, f := range findings(t, census(t, children...)) {
		rules2 = append(rules2, f.Rule)
	}
	if !slices.Equal(rules2, []string{"2886Q", "2887Q", "2888Q"}) {
		t.Errorf("a return with one unknown sex in eight, seven codes, one a child: %v", rules2)
	}
}

// TestHostileAndBrokenFiles are refused with a line number, never a panic and never an entity expanded.
func TestHostileAndBrokenFiles(t *testing.T) {
	good := string(census(t, goodChild()))
	for name, doc := range map[string]string{
		"not XML":         "this is not a census",
		"empty":           "",
		"wrong root":      "<Returns><Children/></Returns>",
		"no children":     `<Message><Header><CollectionDetails><ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails></Header><Children></Children></Message>`,
		"entity bomb":     `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><Message>&b;</Message>`,
		"external entity": `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><Message>&x;</Message>`,
		"truncated":       good[:len(good)/2],
		"bad date":        strings.Replace(good, "<CINreferralDate>2025-05-01", "<CINreferralDate>2025-02-30", 1),
		"bad review date": strings.Replace(good, "<CPPreviewDate>2025-08-21", "<CPPreviewDate>2025-08-32", 1),
		"deep nesting":    strings.Replace(good, "<Sex>F</Sex>", "<Sex>F</Sex>"+strings.Repeat("<x>", 200000)+strings.Repeat("</x>", 200000), 1),
		"huge child":      strings.Replace(good, "<Sex>F</Sex>", "<Sex>F</Sex><x>"+strings.Repeat("a", 2<<20)+"</x>", 1),
		"no header":       strings.Replace(good, good[strings.Index(good, "<Header>"):strings.Index(good, "<Children>")], "", 1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Validate(strings.NewReader(doc), workday.EnglandAndWales(), func(Finding) {})
			var re *ReadError
			if !errors.As(err, &re) || re.Line < 1 {
				t.Fatalf("want a read error with a line, got %v", err)
			}
		})
	}
}

// FuzzValidate: any input is read or refused, never a panic.
func FuzzValidate(f *testing.F) {
	f.Add([]byte(`<Message><Children><Child/></Children></Message>`))
	f.Add([]byte(`<Message><Header><CollectionDetails><Year>2026</Year><ReferenceDate>2026-03-31</ReferenceDate>` +
		`</CollectionDetails></Header><Children><Child><ChildIdentifiers><LAchildID>A1</LAchildID><Sex>F</Sex>` +
		`</ChildIdentifiers><CINdetails><CINreferralDate>2025-05-01</CINreferralDate><ReferralNFA>0</ReferralNFA>` +
		`</CINdetails></Child></Children></Message>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		_, _ = Validate(bytes.NewReader(doc), workday.EnglandAndWales(), func(Finding) {})
	})
}

// TestRecognisedLA: the edges of the ranges, the pseudo numbers and what is not a number.
func TestRecognisedLA(t *testing.T) {
	for s, want := range map[string]bool{"001": true, "005": true, "006": false, "825": true, "824": false,
		"420": true, "421": false, "943": true, "944": false, "200": false, "201": true, "8x5": false, "-25": false, "+01": false} {
		if got := recognisedLA(s); got != want {
			t.Errorf("recognisedLA(%q) = %v, want %v", s, got, want)
		}
	}
}
