package ssda903

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
)

var year = returns.Year{Start: mustDate("01/04/2025"), End: mustDate("31/03/2026")}

// good is a child who breaks no rule: a girl looked after since 2024, who moved to a new foster home in the year,
// with two reviews, a missing episode, outcomes after a year in care, and two social workers.
func good() *Return {
	const id, dob = "C1", "14/03/2012"
	return &Return{
		Header: []Header{{Line: 2, Child: id, Sex: "F", DOB: dob, Ethnic: "WBRI", UPN: "A825248921749", Mother: "0"}},
		Episodes: []Episode{
			{Line: 2, Child: id, DECOM: "10/06/2024", RNE: "S", LS: "C2", CIN: "N1", Place: "U4", Provider: "PR1",
				DEC: "01/09/2025", REC: "X1", ChangeReason: "CARPL", HomePost: "HP20 1AA", PlacementPost: "HP21 2BB", URN: "SC825001"},
			{Line: 3, Child: id, DECOM: "01/09/2025", RNE: "P", LS: "C2", CIN: "N1", Place: "K2", Provider: "PR4",
				HomePost: "HP20 1AA", PlacementPost: "MK9 3CC", URN: "SC123456"},
		},
		Reviews: []Review{{Line: 2, Child: id, DOB: dob, Review: "08/07/2025", Code: "PN1"},
			{Line: 3, Child: id, DOB: dob, Review: "15/12/2025", Code: "PN1"}},
		Missing: []Missing{{Line: 2, Child: id, DOB: dob, Missing: "M", Start: "03/10/2025", End: "04/10/2025"}},
		OC2: []OC2{{Line: 2, Child: id, DOB: dob, SDQScore: "14", Convicted: "0", Immunisations: "1", TeethCheck: "1",
			HealthAssessment: "1", SubstanceMisuse: "0"}},
		SWEpisodes: []SWEpisode{
			{Line: 2, Child: id, DOB: dob, SWID: "SW100200", DECOM: "10/06/2024", DEC: "01/09/2025", Reason: "FCONTA"},
			{Line: 3, Child: id, DOB: dob, SWID: "SW100201", DECOM: "01/09/2025", Reason: "TSPROC"}},
	}
}

// leaver is a young man who left care at 18 in the year, formerly unaccompanied, and was in touch at 18.
func leaver() *Return {
	const id, dob = "C2", "20/05/2007"
	return &Return{
		Header: []Header{{Line: 3, Child: id, Sex: "M", DOB: dob, Ethnic: "OOTH", UPN: "UN2"}},
		Episodes: []Episode{{Line: 4, Child: id, DECOM: "02/02/2024", RNE: "S", LS: "V2", CIN: "N8", Place: "K3",
			Provider: "PR4", DEC: "20/05/2025", REC: "E17", PlacementPost: "HP19 7DD", URN: "SC654321"}},
		UASC: []UASC{{Line: 2, Child: id, Sex: "M", DOB: dob, DUC: "20/05/2025"}},
		OC3:  []OC3{{Line: 2, Child: id, DOB: dob, InTouch: "YES", Activ: "F2", Accom: "T1"}},
	}
}

// adopted is a child adopted in the year.
func adopted() *Return {
	const id, dob = "C3", "01/02/2021"
	return &Return{
		Header: []Header{{Line: 4, Child: id, Sex: "M", DOB: dob, Ethnic: "WBRI", UPN: "UN1"}},
		Episodes: []Episode{
			{Line: 5, Child: id, DECOM: "01/03/2023", RNE: "S", LS: "C2", CIN: "N1", Place: "U6", Provider: "PR1",
				DEC: "10/01/2025", REC: "X1", ChangeReason: "APPRR", HomePost: "HP20 1AA", PlacementPost: "HP22 4EE", URN: "SC825001"},
			{Line: 6, Child: id, DECOM: "10/01/2025", RNE: "B", LS: "E1", CIN: "N1", Place: "A6", Provider: "PR1",
				DEC: "20/08/2025", REC: "E11", HomePost: "HP20 1AA", PlacementPost: "HP16 9AA", URN: "SC825002"},
		},
		AD1: []AD1{{Line: 2, Child: id, DOB: dob, DateInt: "01/10/2024", DateMatch: "01/12/2024", FosterCare: "0",
			Adopters: "2", AdoptersSex: "MF", AdoptersStatus: "L11"}},
		PlacedAdoption: []PlacedAdoption{{Line: 2, Child: id, DOB: dob, DatePlaced: "01/10/2024"}},
	}
}

func sample() *Return {
	r := &Return{}
	for _, c := range []*Return{good(), leaver(), adopted()} {
		r.Append(c)
	}
	return r
}

// lastYear is the return for 2024-25 that sample follows on from: the episodes open at its end carry on.
func lastYear() *Return {
	this := sample()
	last := &Return{Header: this.Header}
	for _, u := range this.UASC {
		if ended, ok := parseDate(u.DUC); ok && !ended.Before(year.Start) {
			u.DUC = "" // still unaccompanied at the end of last year
		}
		last.UASC = append(last.UASC, u)
	}
	for _, p := range this.PlacedAdoption {
		if began, _ := parseDate(p.DatePlaced); began.Before(year.Start) {
			last.PlacedAdoption = append(last.PlacedAdoption, p)
		}
	}
	for _, e := range this.Episodes {
		if began, _ := parseDate(e.DECOM); began.Before(year.Start) {
			if ended, ok := parseDate(e.DEC); !ok || !ended.Before(year.Start) {
				e.DEC, e.REC, e.ChangeReason = "", "", ""
			}
			last.Episodes = append(last.Episodes, e)
		}
	}
	return last
}

// chain replaces the good child's open episode with a run of episodes a week apart in the places given, the last
// left open: temporary placements and the moves around them.
func chain(r *Return, places ...string) {
	tail := r.Episodes[1]
	day := mustDate(tail.DECOM)
	var run []Episode
	for i, place := range places {
		e := tail
		e.Place, e.DECOM = place, formatDate(day)
		if i > 0 {
			e.RNE = "P"
		}
		if casework.TemporaryPlacement(place) {
			e.Provider, e.URN = "", ""
		}
		if i+1 < len(places) {
			day = day.AddDays(7)
			e.DEC, e.REC = formatDate(day), "X1"
		}
		run = append(run, e)
	}
	r.Episodes = slices.Concat(r.Episodes[:1], run, r.Episodes[2:])
}

func findings(r *Return) []Finding { return findingsSince(r, lastYear()) }

// findingsSince checks r against last with the postcode directory in testdata, as Buckinghamshire's return.
func findingsSince(r, last *Return) []Finding {
	dir, err := os.Open("testdata/postcodes.csv")
	if err != nil {
		panic(err)
	}
	defer dir.Close()
	places, err := ReadPlaces(dir, "E06000060", r, last)
	if err != nil {
		panic(err)
	}
	var out []Finding
	ValidateWith(r, last, year, places, func(f Finding) { out = append(out, f) })
	return out
}

func TestGoodChildrenBreakNoRule(t *testing.T) {
	for _, f := range findings(sample()) {
		t.Errorf("unexpected: %s", f)
	}
}

// TestEachRule breaks each implemented rule on a copy of the good children and checks that rule, with its code
// and the catalogue's message, is what is reported.
func TestEachRule(t *testing.T) {
	first := func(r *Return) *Episode { return &r.Episodes[0] }
	second := func(r *Return) *Episode { return &r.Episodes[1] }
	cases := map[string]func(r *Return){
		"101":  func(r *Return) { r.Header[0].Sex = "1" },
		"202":  func(r *Return) { r.Header[0].Sex = "M" },
		"203":  func(r *Return) { r.Header[0].DOB = "15/03/2012" },
		"204":  func(r *Return) { r.Header[0].Ethnic = "WIRI" },
		"208":  func(r *Return) { r.Header[0].UPN = "UN3" },
		"626":  func(r *Return) { r.Header[0].Mother, r.Header[0].MCDOB = "1", "01/01/2025" },
		"502":  func(r *Return) { first(r).DECOM = "11/06/2024" },
		"503A": func(r *Return) { first(r).RNE = "L" },
		"503B": func(r *Return) { first(r).LS = "C1" },
		"503C": func(r *Return) { first(r).CIN = "N2" },
		"503D": func(r *Return) { first(r).Place = "U5" },
		"503E": func(r *Return) { first(r).Provider = "PR2" },
		"503F": func(r *Return) { first(r).URN = "SC825003" },
		"232":  func(r *Return) { r.Header[0].Sex = "U"; r.Header[0].Mother = "" },
		"102":  func(r *Return) { r.Header[0].DOB = "2012-03-14" },
		"301":  func(r *Return) { r.Header[0].DOB = "01/04/2026" },
		"351":  func(r *Return) { r.Header[0].DOB = "01/01/1999" },
		"103":  func(r *Return) { r.Header[0].Ethnic = "XXXX" },
		"168":  func(r *Return) { r.Header[0].UPN = "UN9" },
		"209":  func(r *Return) { r.Header[0].UPN = "UN1" },
		"165":  func(r *Return) { r.Header[0].Mother = "2" },
		"393":  func(r *Return) { r.Header[0].Mother = "" },
		"171":  func(r *Return) { r.Header[0].MCDOB = "32/01/2025" },
		"174":  func(r *Return) { r.Header[1].MCDOB = "01/01/2025" },
		"141":  func(r *Return) { second(r).DECOM = "" },
		"147":  func(r *Return) { first(r).DEC = "1/9/2025" },
		"143":  func(r *Return) { second(r).RNE = "X" },
		"144":  func(r *Return) { first(r).LS = "C9" },
		"145":  func(r *Return) { first(r).CIN = "N9" },
		"146":  func(r *Return) { second(r).Place = "H5"; second(r).URN = "SC123456" },
		"149":  func(r *Return) { first(r).REC = "X9" },
		"148":  func(r *Return) { second(r).REC = "E8" },
		"178":  func(r *Return) { first(r).Provider = "PR9" },
		"213":  func(r *Return) { second(r).Place, second(r).URN = "T1", "" },
		"1009": func(r *Return) { first(r).ChangeReason = "BORED" },
		"226":  func(r *Return) { first(r).Place, first(r).URN = "T2", "" },
		"233":  func(r *Return) { second(r).ChangeReason = "CARPL" },
		"1008": func(r *Return) { second(r).URN = "12345" },
		"222":  func(r *Return) { second(r).Place, second(r).Provider = "R1", "PR4" },
		"218":  func(r *Return) { second(r).URN = "" },
		"353":  func(r *Return) { first(r).DECOM = "01/01/1990"; r.Header[0].DOB = "01/01/1989" },
		"356":  func(r *Return) { first(r).DEC = "01/06/2024"; second(r).DECOM = "01/06/2024" },
		"385":  func(r *Return) { second(r).DEC, second(r).REC = "01/04/2026", "E8" },
		"392c": func(r *Return) { second(r).PlacementPost = "NOT A CODE" },
		"392d": func(r *Return) { second(r).PlacementPost = "HP20 1AA" },
		"234":  func(r *Return) { r.Header[0].DOB = "01/01/2016"; first(r).ChangeReason = "CUSTOD" },
		"302":  func(r *Return) { r.Header[0].DOB = "01/07/2024" },
		"142":  func(r *Return) { first(r).DEC, first(r).REC, first(r).ChangeReason = "", "", "" },
		"355":  func(r *Return) { first(r).DEC = first(r).DECOM },
		"388":  func(r *Return) { first(r).DEC = "02/09/2025" },
		"357":  func(r *Return) { r.Episodes = r.Episodes[1:] },
		"352":  func(r *Return) { r.Header[1].DOB = "01/01/2005" },
		"380":  func(r *Return) { first(r).Place, first(r).URN = "T4", "" },
		"381":  func(r *Return) { r.Episodes[2].Place, r.Episodes[2].URN = "T1", "" },
		"225":  func(r *Return) { first(r).ChangeReason = "" },
		"361":  func(r *Return) { first(r).LS, first(r).DECOM, first(r).DEC = "L1", "28/08/2025", "01/09/2025" },
		"362":  func(r *Return) { first(r).LS, first(r).DECOM = "L2", "01/08/2025" },
		"363":  func(r *Return) { first(r).LS, first(r).DECOM = "L3", "01/08/2025" },
		"365":  func(r *Return) { first(r).LS, first(r).DECOM = "V3", "01/08/2025" },
		"371":  func(r *Return) { second(r).Place = "K3" },
		"372":  func(r *Return) { second(r).Place, second(r).URN = "R5", ""; r.Header[0].DOB = "01/01/2017" },
		"373":  func(r *Return) { second(r).Place = "S1"; r.Header[0].DOB = "01/01/2022" },
		"374":  func(r *Return) { second(r).Place, second(r).URN = "P3", "" },
		"386":  func(r *Return) { r.Header[2].DOB = "01/01/2007" },
		"387":  func(r *Return) { r.Episodes[4].REC = "E5"; r.AD1 = nil },
		"389":  func(r *Return) { r.Episodes[4].REC = "E7"; r.AD1 = nil },
		"390":  func(r *Return) { r.Episodes[4].Place = "U6" },
		"166":  func(r *Return) { r.Reviews[0].Review = "" },
		"167":  func(r *Return) { r.Reviews[0].Code = "PN9" },
		"1004": func(r *Return) { r.Missing[0].Start = "03-10-2025" },
		"1005": func(r *Return) { r.Missing[0].End = "x" },
		"1006": func(r *Return) { r.Missing[0].Missing = "Z" },
		"104":  func(r *Return) { r.UASC[0].DUC = "20/13/2025" },
		"304":  func(r *Return) { r.UASC[0].DUC = "21/05/2025" },
		"180":  func(r *Return) { r.OC2[0].SDQScore = "41" },
		"196":  func(r *Return) { r.OC2[0].SDQScore, r.OC2[0].SDQReason = "", "SDQ9" },
		"197a": func(r *Return) { r.OC2[0].SDQReason = "SDQ4" },
		"181":  func(r *Return) { r.OC2[0].TeethCheck = "Y" },
		"191":  func(r *Return) { r.OC2[0].Immunisations = "" },
		"192":  func(r *Return) { r.OC2[0].SubstanceMisuse = "1" },
		"193":  func(r *Return) { r.OC2[0].InterventionReceived = "0" },
		"158": func(r *Return) {
			o := &r.OC2[0]
			o.SubstanceMisuse, o.InterventionReceived, o.InterventionOffered = "1", "1", "1"
		},
		"159": func(r *Return) { o := &r.OC2[0]; o.SubstanceMisuse, o.InterventionReceived = "1", "0" },
		"188": func(r *Return) { r.Header[0].DOB, r.Episodes[0].DECOM = "01/06/2022", "10/06/2024" },
		"189": func(r *Return) { r.Header[0].DOB = "01/01/2008" },
		"131": func(r *Return) { r.OC3[0].InTouch = "MAYBE" },
		"132": func(r *Return) { r.OC3[0].Activ = "F9" },
		"133": func(r *Return) { r.OC3[0].Accom = "S1" },
		"345": func(r *Return) { r.OC3[0].Activ = "0" },
		"391": func(r *Return) { r.OC3[0].DOB = "20/05/2010"; r.Header[1].DOB = "20/05/2010" },
		"112": func(r *Return) { r.AD1[0].DateInt = "yesterday" },
		"113": func(r *Return) { r.AD1[0].DateMatch = "31/02/2025" },
		"114": func(r *Return) { r.AD1[0].FosterCare = "2" },
		"175": func(r *Return) { r.AD1[0].Adopters = "3" },
		"176": func(r *Return) { r.AD1[0].AdoptersSex = "XY" },
		"177": func(r *Return) { r.AD1[0].AdoptersStatus = "L9" },
		"151": func(r *Return) { r.AD1[0].AdoptersStatus = "" },
		"333": func(r *Return) { r.AD1[0].DateMatch = "01/09/2024" },
		"115": func(r *Return) { r.PlacedAdoption[0].DatePlaced = "" },
		"116": func(r *Return) { r.PlacedAdoption[0].DateCeased, r.PlacedAdoption[0].ReasonCeased = "x", "RD1" },
		"119": func(r *Return) { r.PlacedAdoption[0].DateCeased = "01/05/2025" },
		"120": func(r *Return) {
			r.PlacedAdoption[0].DateCeased, r.PlacedAdoption[0].ReasonCeased = "01/05/2025", "RD9"
		},
		"184":       func(r *Return) { r.PlacedAdoption[0].DatePlaced = "01/01/2021" },
		"SW01aSTG1": func(r *Return) { r.SWEpisodes[0].SWID = "" },
		"SW01bSTG1": func(r *Return) { r.SWEpisodes[1].Reason = "" },
		"SW02STG1":  func(r *Return) { r.SWEpisodes[0].SWID = "AB123" },
		"SW04STG1":  func(r *Return) { r.SWEpisodes[1].DECOM = "2025-09-01" },
		"SW05STG1":  func(r *Return) { r.SWEpisodes[0].DEC = "2025-09-01" },
		"SW13STG1":  func(r *Return) { r.SWEpisodes[0].Reason = "BORED" },
		"SW06STG2":  func(r *Return) { r.SWEpisodes[1].DECOM = "01/04/2026" },
		"SW07STG2":  func(r *Return) { r.SWEpisodes[0].DEC, r.SWEpisodes[1].DECOM = "01/03/2025", "01/03/2025" },
		"SW08STG2":  func(r *Return) { r.SWEpisodes[0].DEC = "" },
		"SW09STG2":  func(r *Return) { r.SWEpisodes[1].DEC = r.SWEpisodes[1].DECOM },
		"SW10STG2":  func(r *Return) { r.SWEpisodes[1].DECOM = "01/08/2025" },
		"SW11bSTG2": func(r *Return) { r.SWEpisodes = r.SWEpisodes[:1] },
		"SW17STG2":  func(r *Return) { r.SWEpisodes[1].DEC = "31/03/2026" },
		"431":       func(r *Return) { second(r).RNE = "S" },
		"432":       func(r *Return) { first(r).REC = "E8" },
		"433":       func(r *Return) { second(r).DECOM = "02/09/2025" },
		"434":       func(r *Return) { second(r).RNE = "L" },
		"435":       func(r *Return) { second(r).LS = "C1" },
		"436":       func(r *Return) { second(r).RNE = "B" },
		"501":       func(r *Return) { second(r).DECOM = "31/08/2025" },
		"504":       func(r *Return) { second(r).CIN = "N2" },
		"437":       func(r *Return) { first(r).REC = "E2" },
		"354":       func(r *Return) { second(r).DECOM = "01/04/2026" },
		"358":       func(r *Return) { r.Header[0].DOB, first(r).LS = "14/03/2016", "J1" },
		"407":       func(r *Return) { r.Episodes[2].REC = "E45" },
		"460":       func(r *Return) { r.Episodes[4].REC = "E17" },
		"446":       func(r *Return) { first(r).LS, first(r).DECOM = "E1", "01/01/2005" },
		"379":       func(r *Return) { first(r).Place, first(r).URN = "T4", "" },
		"378":       func(r *Return) { second(r).LS, second(r).Place = "V2", "P1" },
		"382":       func(r *Return) { r.Episodes[2].LS, r.Episodes[2].Place = "V3", "T1" },
		"384":       func(r *Return) { r.Episodes[2].LS, r.Episodes[2].Place = "V3", "U1" },
		"217":       func(r *Return) { second(r).Place = "A3" },
		"440":       func(r *Return) { r.Reviews[0].Code = "PN0" },
		"441":       func(r *Return) { r.Header[0].DOB = "01/01/2022" },
		"1003":      func(r *Return) { r.PlacedAdoption[0].DatePlaced = "01/01/2023" },
		"334":       func(r *Return) { r.AD1[0].DateInt = "01/01/2023" },
		"331":       func(r *Return) { r.AD1[0].DateMatch = "01/02/2025" },
		"511":       func(r *Return) { r.AD1[0].AdoptersSex = "M" },
		"514":       func(r *Return) { r.AD1[0].AdoptersStatus = "L0" },
		"185":       func(r *Return) { first(r).DECOM = "10/06/2025" },
		"190":       func(r *Return) { first(r).DECOM = "10/06/2025" },
		"198": func(r *Return) {
			first(r).DECOM, r.OC2[0].SDQScore, r.OC2[0].SDQReason = "10/06/2025", "", "SDQ1"
		},
		"1000":  func(r *Return) { r.Episodes[2].REC = "E2" },
		"1011":  func(r *Return) { r.Episodes[2].REC = "E3" },
		"347":   func(r *Return) { r.Header[1].DOB, r.OC3[0].DOB = "20/05/2008", "20/05/2008" },
		"3001":  func(r *Return) { r.Header[1].DOB, r.OC3[0].Accom = "20/05/2008", "Z1" },
		"134":   func(r *Return) { r.AD1[0].Child = "C2" },
		"187":   func(r *Return) { r.OC3[0].Child = "C1" },
		"1014":  func(r *Return) { r.Episodes = slices.Delete(r.Episodes, 2, 3) },
		"INT04": func(r *Return) { r.Missing[0].Child = "C9" },
		"INT05": func(r *Return) { r.OC2[0].Child = "C9" },
		"INT06": func(r *Return) { r.OC3[0].Child = "C9" },
		"INT07": func(r *Return) { r.PrevPerm = []PrevPerm{{Line: 2, Child: "C9", DOB: "14/03/2012", PrevPerm: "Z1"}} },
		"INT08": func(r *Return) { r.Reviews[0].Child = "C9" },
		"INT09": func(r *Return) { r.UASC[0].Child = "C9" },
		"INT11": func(r *Return) { r.AD1[0].DOB = "02/02/2021" },
		"INT12": func(r *Return) { r.PlacedAdoption[0].DOB = "02/02/2021" },
		"INT13": func(r *Return) { r.Missing[0].DOB = "15/03/2012" },
		"INT14": func(r *Return) { r.OC2[0].DOB = "15/03/2012" },
		"INT15": func(r *Return) { r.OC3[0].DOB = "21/05/2007" },
		"INT16": func(r *Return) { r.PrevPerm = []PrevPerm{{Line: 2, Child: "C1", DOB: "15/03/2012", PrevPerm: "Z1"}} },
		"INT17": func(r *Return) { r.Reviews[0].DOB = "15/03/2012" },
		"INT18": func(r *Return) { r.UASC[0].DOB = "21/05/2007" },
		"INT21": func(r *Return) { r.UASC[0].Sex = "F" },
		"INT31": func(r *Return) { r.AD1 = append(r.AD1, r.AD1[0]) },
		"INT33": func(r *Return) { r.OC2 = append(r.OC2, r.OC2[0]) },
		"INT34": func(r *Return) { r.OC3 = append(r.OC3, r.OC3[0]) },
		"INT35": func(r *Return) {
			pp := PrevPerm{Line: 2, Child: "C1", DOB: "14/03/2012", PrevPerm: "Z1"}
			r.PrevPerm = []PrevPerm{pp, pp}
		},
		"INT36": func(r *Return) { r.UASC = append(r.UASC, r.UASC[0]) },
		"517":   func(r *Return) { r.AD1[0].AdoptersStatus, r.AD1[0].AdoptersSex = "L3", "MM" },
		"518":   func(r *Return) { r.AD1[0].AdoptersStatus = "L4" },
		"519":   func(r *Return) { r.AD1[0].AdoptersStatus, r.AD1[0].AdoptersSex = "L2", "M1" },
		"520":   func(r *Return) { r.AD1[0].AdoptersSex = "FF" },
		"524":   func(r *Return) { r.AD1[0].AdoptersStatus = "L12" },
		"522": func(r *Return) {
			r.PlacedAdoption[0].DateCeased, r.PlacedAdoption[0].ReasonCeased = "01/09/2024", "RD1"
		},
		"523": func(r *Return) { r.AD1[0].DateInt = "02/10/2024" },
		"601": func(r *Return) { r.AD1 = nil },
		"602": func(r *Return) { r.AD1[0].Child, r.AD1[0].DOB = "C1", "14/03/2012" },
		"526": func(r *Return) { second(r).Provider = "" },
		"527": func(r *Return) { first(r).Place, first(r).URN = "P1", "" },
		"528": func(r *Return) { first(r).Place, first(r).Provider, first(r).URN = "P1", "PR2", "" },
		"529": func(r *Return) { first(r).Provider = "PR3" },
		"530": func(r *Return) { second(r).Place, second(r).URN = "P1", "" },
		"531": func(r *Return) { second(r).Place, second(r).Provider, second(r).URN = "P1", "PR5", "" },
		"550": func(r *Return) { first(r).Provider = "PR0" },
		"542": func(r *Return) { r.Header[0].DOB, r.OC2[0].DOB = "01/06/2016", "01/06/2016" },
		"543": func(r *Return) { r.OC2[0].Convicted = "" },
		"544": func(r *Return) { r.OC2[0].TeethCheck = "" },
		"545": func(r *Return) { r.Header[0].DOB, r.OC2[0].DOB, r.OC2[0].Convicted = "01/06/2021", "01/06/2021", "" },
		"546": func(r *Return) { r.OC2[0].HealthCheck = "1" },
		"547": func(r *Return) { r.OC2[0].HealthCheck, r.OC2[0].TeethCheck = "1", "" },
		"564": func(r *Return) { r.Missing[0].Start = "" },
		"565": func(r *Return) { r.Missing[0].Missing = "" },
		"566": func(r *Return) { r.Missing[0].Missing = "" },
		"567": func(r *Return) { r.Missing[0].End = "02/10/2025" },
		"570": func(r *Return) { r.Missing[0].Start, r.Missing[0].End = "02/04/2026", "" },
		"571": func(r *Return) { r.Missing[0].End = "02/04/2026" },
		"574": func(r *Return) {
			r.Missing[0].End = ""
			r.Missing = append(r.Missing, Missing{Line: 3, Child: "C1", DOB: "14/03/2012", Missing: "A", Start: "05/10/2025", End: "06/10/2025"})
		},
		"577": func(r *Return) {
			r.Missing = append(r.Missing, Missing{Line: 3, Child: "C2", DOB: "20/05/2007", Missing: "M", Start: "01/05/2025"})
		},
		"578": func(r *Return) {
			r.Missing = append(r.Missing, Missing{Line: 3, Child: "C2", DOB: "20/05/2007", Missing: "M", Start: "01/06/2025", End: "02/06/2025"})
		},
		"581": func(r *Return) { r.Missing[0].Start = "01/01/2024" },
		"586": func(r *Return) { r.Missing[0].Start = "01/01/2010" },
		"611": func(r *Return) { r.Header[0].Mother = "1" },
		"612": func(r *Return) { r.Header[0].MCDOB = "01/01/2025" },
		"620": func(r *Return) {
			r.Header[0].DOB, r.Header[0].Mother, r.Header[0].MCDOB = "01/01/2016", "1", "01/01/2025"
		},
		"621": func(r *Return) { r.Header[0].Mother, r.Header[0].MCDOB = "1", "01/01/2011" },
		"625": func(r *Return) { r.Header[0].Mother, r.Header[0].MCDOB = "1", "01/05/2026" },
		"631": func(r *Return) { r.PrevPerm = []PrevPerm{{Line: 2, Child: "C1", DOB: "14/03/2012", PrevPerm: "Z9"}} },
		"635": func(r *Return) {
			r.PrevPerm = []PrevPerm{{Line: 2, Child: "C1", DOB: "14/03/2012", PrevPerm: "Z1", LAPerm: "825"}}
		},
		"1010": func(r *Return) { r.Episodes = slices.Delete(r.Episodes, 2, 3) },
		"563": func(r *Return) {
			p := &r.PlacedAdoption[0]
			p.DatePlaced, p.DateCeased, p.ReasonCeased = "", "01/05/2025", "RD1"
		},
		"579": func(r *Return) {
			r.PlacedAdoption = append(r.PlacedAdoption, PlacedAdoption{Line: 3, Child: "C3", DOB: "01/02/2021", DatePlaced: "01/11/2024"})
		},
		"583": func(r *Return) {
			r.PlacedAdoption = append(r.PlacedAdoption, PlacedAdoption{Line: 3, Child: "C3", DOB: "01/02/2021", DatePlaced: "01/11/2024"})
		},
		"199": func(r *Return) {
			r.Episodes = append(r.Episodes, Episode{Line: 7, Child: "C3", DECOM: "01/10/2025", RNE: "S", LS: "C2", CIN: "N1",
				Place: "U4", Provider: "PR1", HomePost: "HP20 1AA", PlacementPost: "HP21 2BB", URN: "SC825001"})
		},
		"1012": func(r *Return) {
			r.Episodes = slices.Delete(r.Episodes, 2, 3)
			r.Reviews[0].Child, r.Reviews[0].DOB = "C2", "20/05/2007"
		},
		"628":   func(r *Return) { r.Episodes = slices.Delete(r.Episodes, 2, 3); r.Header[1].Mother = "0" },
		"630":   func(r *Return) { first(r).DECOM = "10/06/2025" },
		"INT01": func(r *Return) { r.Header = r.Header[:2] },
		"INT02": func(r *Return) { r.PlacedAdoption[0].Child = "C9" },
		"INT03": func(r *Return) { r.Episodes[0].Child = "C9" },
		"INT32": func(r *Return) { r.Header = append(r.Header, r.Header[0]) },

		// Who the child is and what the year asks of them.
		"442":  func(r *Return) { r.Header[0].UPN = "" },
		"444":  func(r *Return) { r.Header[2].UPN = r.Header[0].UPN },
		"210":  func(r *Return) { r.Header[0].UPN = "UN4" },
		"399":  func(r *Return) { r.Episodes[2].LS = "V3"; r.Header[1].Mother = "0" },
		"607":  func(r *Return) { second(r).DEC, second(r).REC = "01/03/2026", "E8"; r.Header[0].Mother = "" },
		"EPI":  func(r *Return) { r.Episodes = r.Episodes[2:] },
		"157":  func(r *Return) { r.OC2[0].SDQScore, r.OC2[0].SDQReason = "", "SDQ1" },
		"186":  func(r *Return) { r.OC2[0].SDQScore = "" },
		"197B": func(r *Return) { r.Header[0].DOB, r.OC2[0].SDQScore = "14/03/2009", "" },
		"182":  func(r *Return) { r.OC2[0].Immunisations = "" },
		"231":  func(r *Return) { r.Header[1].DOB, r.UASC[0].DOB = "01/01/2016", "01/01/2016" },
		"632": func(r *Return) {
			r.PrevPerm = []PrevPerm{{Line: 2, Child: "C1", DOB: "14/03/2012", PrevPerm: "P1", LAPerm: "825", DatePerm: "ZZ/13/2020"}}
		},
		"633": func(r *Return) {
			r.PrevPerm = []PrevPerm{{Line: 2, Child: "C1", DOB: "14/03/2012", PrevPerm: "P1", LAPerm: "123", DatePerm: "ZZ/ZZ/2020"}}
		},
		"634":      func(r *Return) { r.PrevPerm = []PrevPerm{{Line: 2, Child: "C3", DOB: "01/02/2021", PrevPerm: "Z1"}} },
		"SW12STG2": func(r *Return) { r.SWEpisodes[1].DECOM = "05/09/2025" },

		// How care runs.
		"375":  func(r *Return) { first(r).Place, first(r).URN = "T1", "" },
		"376":  func(r *Return) { first(r).Place, first(r).URN = "T3", "" },
		"377":  func(r *Return) { chain(r, "T3", "K2", "T3", "K2", "T3", "K2") },
		"383":  func(r *Return) { chain(r, "K2", "T3", "U4") },
		"366":  func(r *Return) { second(r).LS = "V3" },
		"214":  func(r *Return) { second(r).LS = "V4" },
		"398":  func(r *Return) { second(r).LS = "V4" },
		"392b": func(r *Return) { second(r).HomePost = "" },
		"406":  func(r *Return) { r.Episodes[2].HomePost = "HP20 1AA" },

		// The placement's council, distance and location, from the postcode directory.
		"169":  func(r *Return) { second(r).PlacementPost = "ZZ9 9ZZ" },
		"164":  func(r *Return) { second(r).PlacementPost = "ZZ9 9ZZ" },
		"392a": func(r *Return) { second(r).PlacementPost = "ZZ9 9ZZ" },
		"454":  func(r *Return) { second(r).PlacementPost = "KW1 4AA" },
		"1015": func(r *Return) { second(r).Provider, second(r).PlacementPost = "PR1", "MK9 3CC" },
		"452":  func(r *Return) { first(r).PlacementPost = "MK9 3CC" },
		"503H": func(r *Return) { first(r).PlacementPost = "MK9 3CC" },
		"503J": func(r *Return) { first(r).PlacementPost = "MK9 3CC" },
		"453":  func(r *Return) { first(r).HomePost = "MK9 3CC" },
		"503G": func(r *Return) { first(r).HomePost = "MK9 3CC" },
		"367":  func(r *Return) { second(r).LS = "V3" },
		"426":  func(r *Return) { first(r).LS, second(r).LS = "V3", "V4" },
		"364":  func(r *Return) { second(r).LS = "J2" },
		"359":  func(r *Return) { r.Episodes[2].DEC, r.Episodes[2].REC = "", "" },
		"408":  func(r *Return) { second(r).Place = "A5" },
		"516":  func(r *Return) { r.Episodes[2].REC = "E45" },
		"575":  func(r *Return) { r.Missing[0].Start, r.Missing[0].End = "01/08/2025", "" },
		"580": func(r *Return) {
			r.Missing = append(r.Missing, Missing{Line: 3, Child: "C2", DOB: "20/05/2007", Missing: "M", Start: "10/05/2025", End: "20/05/2025"})
		},
		"1007": func(r *Return) { r.Episodes[2].DEC, r.Episodes[2].REC = "", "" },
		"1016": func(r *Return) { r.Episodes[2].DEC = "01/06/2025" },
		"153":  func(r *Return) { r.OC3[0].Accom = "" },
		"344":  func(r *Return) { r.OC3[0].InTouch = "DIED" },
		"215":  func(r *Return) { r.OC2 = append(r.OC2, OC2{Line: 3, Child: "C2", DOB: "20/05/2007", Convicted: "0"}) },

		// Adoption.
		"117": func(r *Return) {
			r.PlacedAdoption[0].DateCeased, r.PlacedAdoption[0].ReasonCeased = "01/09/2025", "RD1"
		},
		"118": func(r *Return) {
			r.PlacedAdoption[0].DateCeased, r.PlacedAdoption[0].ReasonCeased = "01/03/2025", "RD1"
		},
		"551": func(r *Return) { r.PlacedAdoption = nil },
		"552": func(r *Return) { r.PlacedAdoption[0].DatePlaced = "01/02/2025" },
		"336": func(r *Return) { r.Episodes[3].Place, r.Episodes[4].Place = "K2", "A5" },
		"553": func(r *Return) { r.PlacedAdoption = nil },
		"554": func(r *Return) { r.PlacedAdoption[0].DatePlaced = "15/01/2025" },
		"557": func(r *Return) { r.Episodes[4].REC = "E4A"; r.AD1 = nil },
		"558": func(r *Return) {
			r.PlacedAdoption[0].DateCeased, r.PlacedAdoption[0].ReasonCeased = "01/05/2025", "RD1"
		},
		"525": func(r *Return) {
			r.PlacedAdoption[0].DateCeased, r.PlacedAdoption[0].ReasonCeased = "01/05/2025", "RD1"
		},
		"521":  func(r *Return) { r.AD1[0].DateInt = "01/02/2025" },
		"335":  func(r *Return) { r.AD1[0].FosterCare = "1" },
		"582":  func(r *Return) { r.AD1[0].DateMatch = "20/08/2025" },
		"560":  func(r *Return) { r.PlacedAdoption[0].DatePlaced = "02/10/2024" },
		"205A": func(r *Return) { r.UASC = nil },
	}
	// These break a rule that compares a return with last year's by changing last year's.
	lastCases := map[string]func(last *Return){
		"207": func(last *Return) { last.Header[0].Mother = "1" },
		"624": func(last *Return) {
			last.Header[0].Mother, last.Header[0].MCDOB = "1", "01/01/2025"
		},
		"562": func(last *Return) {
			last.Episodes = slices.DeleteFunc(last.Episodes, func(e Episode) bool { return e.DECOM == "01/03/2023" })
		},
		"NoE": func(last *Return) {
			last.Header = last.Header[1:]
			last.Episodes = slices.DeleteFunc(last.Episodes, func(e Episode) bool { return e.Child == "C1" })
		},
		"348": func(last *Return) {
			last.OC3 = []OC3{{Line: 2, Child: "C2", DOB: "20/05/2007", InTouch: "DIED"}}
		},
		"559": func(last *Return) { last.PlacedAdoption = nil },
		"561": func(last *Return) {
			last.PlacedAdoption[0].DateCeased, last.PlacedAdoption[0].ReasonCeased = "01/03/2025", "RD1"
		},
		"584": func(last *Return) {
			last.PlacedAdoption = []PlacedAdoption{{Line: 2, Child: "C3", DOB: "01/02/2021", DatePlaced: "01/12/2024",
				DateCeased: "01/03/2025", ReasonCeased: "RD1"}}
		},
		"205B": func(last *Return) { last.UASC[0].DUC = "01/03/2025" },
		"205D": func(last *Return) { last.UASC = nil },
		"576": func(last *Return) {
			last.Missing = []Missing{{Line: 2, Child: "C1", DOB: "14/03/2012", Missing: "M", Start: "30/03/2025"}}
		},
	}
	cases["624"] = func(r *Return) { r.Header[0].Mother, r.Header[0].MCDOB = "1", "02/01/2025" }
	for _, code := range Rules() {
		breakIt, ok := cases[code]
		breakLast, lastOK := lastCases[code]
		if !ok && !lastOK {
			t.Errorf("rule %s has no test case", code)
			continue
		}
		t.Run(code, func(t *testing.T) {
			r, last := sample(), lastYear()
			if ok {
				breakIt(r)
			}
			if lastOK {
				breakLast(last)
			}
			got := findingsSince(r, last)
			if !slices.ContainsFunc(got, func(f Finding) bool { return f.Rule == code }) {
				t.Fatalf("rule %s not reported; found %v", code, got)
			}
			for _, f := range got {
				if f.Rule == code && (f.Message == "" || f.Child == "") {
					t.Errorf("finding without its message or child: %s", f)
				}
			}
		})
	}
	for code := range lastCases {
		cases[code] = nil
	}
	for code := range cases {
		if !slices.Contains(Rules(), code) {
			t.Errorf("test case for %s, which is not an implemented rule", code)
		}
	}
}

func TestDuplicateHeader(t *testing.T) {
	r := sample()
	r.Header = append(r.Header, r.Header[0])
	if got := findings(r); len(got) != 1 || got[0].Rule != "INT32" {
		t.Errorf("findings %v, want one INT32", got)
	}
}

// TestEveryRuleIsCheckedOrExplained holds the validator to the DfE's whole catalogue: each rule is run, or is
// listed with why the files cannot show it, never both.
func TestEveryRuleIsCheckedOrExplained(t *testing.T) {
	for code := range catalogue {
		run, why := slices.Contains(Rules(), code), notChecked[code]
		if run == (why != "") {
			t.Errorf("rule %s: run %v, not run because %q", code, run, why)
		}
	}
	for code := range notChecked {
		if _, ok := catalogue[code]; !ok {
			t.Errorf("%s is explained but is not one of the DfE's rules", code)
		}
	}
}

func TestEveryRuleIsInTheCatalogue(t *testing.T) {
	for _, code := range Rules() {
		if f, ok := catalogue[code]; !ok || f.Message == "" {
			t.Errorf("rule %s is not in the DfE's catalogue", code)
		}
	}
}

func mustDate(s string) civil.Date {
	d, ok := parseDate(s)
	if !ok {
		panic(s)
	}
	return d
}

func TestParsePartialDate(t *testing.T) {
	for s, want := range map[string][4]int{ // day, month, year, ok
		"05/06/2020": {5, 6, 2020, 1}, "zz/06/2020": {0, 6, 2020, 1}, "ZZ/ZZ/2020": {0, 0, 2020, 1},
		"ZZ/ZZ/ZZZZ": {0, 0, 0, 1}, "05/ZZ/2020": {}, "ZZ/06/ZZZZ": {}, "31/02/2020": {}, "ZZ/13/2020": {},
		"5/6/2020": {}, "00/06/2020": {}, "xx/06/2020": {}, "": {},
	} {
		d, m, y, ok := parsePartialDate(s)
		okn := 0
		if ok {
			okn = 1
		}
		if got := [4]int{d, m, y, okn}; got != want {
			t.Errorf("parsePartialDate(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestReadPlaces: the directory's columns are found by name, only the returns' postcodes are kept, and a broken
// directory is refused with where.
func TestReadPlaces(t *testing.T) {
	r := sample()
	p, err := ReadPlaces(strings.NewReader("pcds,lat,long,lad23cd\nHP20 1AA,51.8168,-0.8116,E06000060\n"+
		"MK9 3CC,52.0437,-0.7559,E06000042\nSW1A 1AA,51.501,-0.1416,E09000033\n"), "E06000060", r)
	must(t, err)
	if c, ok := p.council("hp201aa"); !ok || c != "E06000060" {
		t.Errorf("HP20 1AA: %q %v", c, ok)
	}
	if _, ok := p.council("SW1A 1AA"); ok {
		t.Error("a postcode no return uses was kept")
	}
	if d, ok := p.distance("HP20 1AA", "MK9 3CC"); !ok || d < 15 || d > 17 {
		t.Errorf("Aylesbury to Milton Keynes: %v miles", d)
	}
	if p.location("MK9 3CC") != "OUT" || p.location("HP20 1AA") != "IN" {
		t.Error("in and out of the council")
	}
	for name, doc := range map[string]string{
		"no columns":   "a,b,c\n",
		"empty":        "",
		"bad latitude": "pcds,oslaua,lat,long\nHP20 1AA,E06000060,north,-0.81\n",
		"short row":    "pcds,oslaua,lat,long\nHP20 1AA,E06000060\n",
	} {
		if _, err := ReadPlaces(strings.NewReader(doc), "", r); err == nil {
			t.Errorf("%s: read", name)
		}
	}
}

// FuzzReadPlaces: any directory is read or refused, never a panic.
func FuzzReadPlaces(f *testing.F) {
	f.Add([]byte("pcds,oslaua,lat,long\nHP20 1AA,E06000060,51.8168,-0.8116\nMK9 3CC,E06000042,52.0437,-0.7559\n"))
	f.Add([]byte("pcd,laua,lat,long\n\"HP20 1AA\",E06000060,1e400,NaN\n"))
	r := sample()
	f.Fuzz(func(t *testing.T, doc []byte) {
		if p, err := ReadPlaces(bytes.NewReader(doc), "E06000060", r); err == nil {
			p.distance("HP20 1AA", "MK9 3CC")
			p.location("HP20 1AA")
		}
	})
}
