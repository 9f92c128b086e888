package casework

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"
)

// The statutory code lists are copies of the CIN census and SSDA903 lists in shared/spec, embedded so the binary
// carries them; a test fails when the copies drift from the spec.
var (
	//go:embed codelists/cin_codelists_2025_26.csv
	cinCodeListCSV []byte
	//go:embed codelists/ssda903_codelists_2025_26.csv
	ssda903CodeListCSV []byte
)

// CodeList names a statutory code list.
type CodeList string

// The lists the domain validates against. CIN lists are named by their XSD simple type, SSDA903 lists by the
// spec's list name.
const (
	ListReferralSource   CodeList = "referralsourcetype"
	ListPrimaryNeed      CodeList = "primaryneedcodetype"
	ListClosureReason    CodeList = "reasonforclosuretype"
	ListAbuseCategory    CodeList = "categoryofabusetype"
	ListAssessmentFactor CodeList = "assessmentfactorstype"
	ListDisability       CodeList = "disabilitytype"
	ListEthnicity        CodeList = "ethnicitytype"
	ListUPNUnknown       CodeList = "unknownupntype"
	ListLegalStatus      CodeList = "LS"
	ListPlacementType    CodeList = "PLACE"
	ListProvider         CodeList = "PLACE_PROVIDER"
	ListEpisodeCeased    CodeList = "REC"
	ListPlacementChange  CodeList = "REASON_PLACE_CHANGE"
	ListReviewCode       CodeList = "REVIEW_CODE"
	ListMissing          CodeList = "MISSING"
	ListInTouch          CodeList = "IN_TOUCH"
	ListActivity         CodeList = "ACTIV"
	ListAccommodation    CodeList = "ACCOM"
	ListSDQReason        CodeList = "SDQ_REASON"
	ListAdoptersSex      CodeList = "SEX_ADOPTR"
	ListAdoptersStatus   CodeList = "LS_ADOPTR"
	ListAdoptionCeased   CodeList = "REASON_PLACED_CEASED"
	ListPermanence       CodeList = "PREV_PERM"
	ListWorkerChange     CodeList = "SW_REASON"
)

// Code is one entry of a code list.
type Code struct {
	Code        string
	Description string
}

// codeLists maps each list to its currently valid codes in file order, and codeIndex makes lookups cheap.
var (
	codeLists = map[CodeList][]Code{}
	codeIndex = map[CodeList]map[string]Code{}
)

func init() {
	// CIN rows: simple_type, elements, code, description, note. Every row is current.
	for _, row := range readCodeCSV(cinCodeListCSV) {
		addCode(CodeList(row[0]), row[2], row[3])
	}
	// SSDA903 rows: codelist, code, description, status. Retired codes stay readable in old data but are not
	// offered or accepted for new records.
	for _, row := range readCodeCSV(ssda903CodeListCSV) {
		if strings.HasPrefix(row[3], "valid") {
			addCode(CodeList(row[0]), row[1], row[2])
		}
	}
}

func readCodeCSV(b []byte) [][]string {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		panic(fmt.Sprintf("casework: embedded code list is malformed: %v", err))
	}
	return rows[1:]
}

func addCode(list CodeList, code, desc string) {
	if codeIndex[list] == nil {
		codeIndex[list] = map[string]Code{}
	}
	if _, dup := codeIndex[list][code]; dup {
		return
	}
	c := Code{Code: code, Description: strings.TrimSpace(desc)}
	codeIndex[list][code] = c
	codeLists[list] = append(codeLists[list], c)
}

// Codes returns the currently valid codes of a list, in the order the spec gives them.
func Codes(list CodeList) []Code { return codeLists[list] }

// Valid tells whether code is in list.
func Valid(list CodeList, code string) bool {
	_, ok := codeIndex[list][code]
	return ok
}

// Describe returns a code's description, or the code itself when the list does not know it.
func Describe(list CodeList, code string) string {
	if c, ok := codeIndex[list][code]; ok && c.Description != "" {
		return c.Description
	}
	return code
}

// checkCode returns an error naming a few valid codes when code is not in list.
func checkCode(list CodeList, code string) error {
	if code == "" {
		return fmt.Errorf("is required")
	}
	if _, ok := codeIndex[list][code]; ok {
		return nil
	}
	valid := make([]string, 0, len(codeLists[list]))
	for _, c := range codeLists[list] {
		valid = append(valid, c.Code)
	}
	sort.Strings(valid)
	if len(valid) > 12 {
		valid = append(valid[:12], "…")
	}
	return fmt.Errorf("%q is not a valid code (valid: %s)", code, strings.Join(valid, ", "))
}
