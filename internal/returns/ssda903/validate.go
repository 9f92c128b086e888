package ssda903

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
)

// The DfE's rules for 2025-26, code and message, copied from shared/spec/rules.
//
//go:embed schema/ssda903_rules_2025_26.csv
var catalogueCSV []byte

// Severity is how much a finding matters: an error stops the return being accepted; a query must be explained.
type Severity string

const (
	Error Severity = "error"
	Query Severity = "query"
)

// queries are the rules the DfE raises as questions to answer rather than errors to fix.
var queries = map[string]bool{"232": true, "EPI": true, "582": true}

// Why some of the DfE's rules are not run: the 2025-26 files carry nothing they could check.
const (
	derivedHere = "checks the placement's location or local authority as given, but the files give neither: " +
		"worked out from the postcode with the postcode directory, they cannot disagree, and 169 and 214 report " +
		"a postcode that gives no local authority or should not be there"
	ofstedProviders = "compares the URN with Ofsted's register of providers (its type, postcode, dates and " +
		"local authority), which the files do not carry"
	xmlFlag = "checks the UASC flag of Header, which only the XML form of the return has; in the CSV " +
		"files a child is unaccompanied by having a UASC row"
	earlierCare = "needs the child's care before last year's return, which neither file holds"
)

// notChecked are the DfE's rules for 2025-26 that Validate does not run, each with why.
var notChecked = map[string]string{
	"179": derivedHere, "411": derivedHere, "420": derivedHere,
	"229": ofstedProviders, "219": ofstedProviders, "221": ofstedProviders, "224": ofstedProviders, "227": ofstedProviders,
	"228": ofstedProviders,
	"105": xmlFlag, "205C": xmlFlag, "303": xmlFlag,
	"1001": earlierCare, "1002": earlierCare,
}

// Finding is one rule broken by one child, at a row of a table.
type Finding struct {
	Rule     string
	Severity Severity
	Child    string
	Table    string
	Line     int
	Field    string
	Value    string
	Message  string
}

func (f Finding) String() string {
	return fmt.Sprintf("%s\t%s\t%s\t%s line %d\t%s\t%s\t%s", f.Rule, f.Severity, f.Child, f.Table, f.Line, f.Field,
		f.Value, f.Message)
}

// catalogue maps each rule's code to its message and severity.
var catalogue = func() map[string]Finding {
	rows, err := csv.NewReader(bytes.NewReader(catalogueCSV)).ReadAll()
	if err != nil {
		panic("ssda903: rule catalogue: " + err.Error())
	}
	out := map[string]Finding{}
	for _, row := range rows[1:] {
		f := Finding{Rule: row[0], Severity: Error, Message: strings.TrimSpace(row[1])}
		if queries[f.Rule] {
			f.Severity = Query
		}
		out[f.Rule] = f
	}
	return out
}()

// kid is one child's rows across the tables, as a rule sees them: episodes in order of start.
type kid struct {
	id       string
	header   *Header
	dob      civil.Date
	episodes []*Episode
	reviews  []*Review
	uasc     []*UASC
	oc2      []*OC2
	oc3      []*OC3
	ad1      []*AD1
	placed   []*PlacedAdoption
	prevPerm []*PrevPerm
	missing  []*Missing
	sw       []*SWEpisode
	y        returns.Year
	// report records a finding against one of the child's rows, named by its table and line.
	report         func(rule, table string, line int, field, value string)
	lookedAfterEnd bool
	// upnShared is set when another child in the return has the same UPN (not one of the codes for unknown).
	upnShared bool
	// places is the postcode directory's word on the return's postcodes, nil when not given.
	places *Places
	// compared is set when the last year's return was given; last is the child in it, nil if absent.
	compared bool
	last     *kid
}

// gather hands each row of a table to the child it belongs to.
func gather[T any](get func(id string) *kid, rows []T, child func(*T) string, into func(*kid) *[]*T) {
	for i := range rows {
		list := into(get(child(&rows[i])))
		*list = append(*list, &rows[i])
	}
}

// Summary counts what a validation found, and how many rules it ran.
type Summary struct {
	Children, Errors, Queries, Rules int
}

// rule is one of the DfE's rules over one child, by its code.
type rule struct {
	code string
	run  func(k *kid)
}

// rules are every rule implemented: those over this year's rows, then those against last year's.
var rules = slices.Concat(fileRules, acrossRules, consistencyRules, childRules, careRules, adoptionRules, lastYearRules,
	adoptionSinceRules, placeRules)

// Validate checks a return for year y against every implemented rule, calling emit with each finding, child by
// child in order of CHILD. last is the return submitted for the year before, for the rules that check one year
// against the last (the 200s, 450s, 500s); without it those rules are not run.
func Validate(r, last *Return, y returns.Year, emit func(Finding)) Summary {
	return ValidateWith(r, last, y, nil, emit)
}

// ValidateWith is Validate with what the postcode directory says of the return's postcodes, for the rules on the
// placement's council, distance and location; without it (nil) those rules are not run.
func ValidateWith(r, last *Return, y returns.Year, places *Places, emit func(Finding)) Summary {
	sum := Summary{Rules: len(Rules())}
	if places == nil {
		sum.Rules -= len(placeRules)
	}
	found := func(rule, child, table string, line int, field, value string) {
		f := catalogue[rule]
		f.Child, f.Table, f.Line, f.Field, f.Value = child, table, line, field, value
		if f.Severity == Query {
			sum.Queries++
		} else {
			sum.Errors++
		}
		emit(f)
	}
	kids := group(r, y, func(h *Header) { found("INT32", h.Child, "Header", h.Line, "CHILD", h.Child) })
	markSharedUPNs(kids)
	var before map[string]*kid
	if last != nil {
		before = group(last, returns.YearOf(y.Start.AddDays(-1)), func(*Header) {})
	}
	ids := make([]string, 0, len(kids))
	for id := range kids {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		k := kids[id]
		if k.header != nil {
			sum.Children++
		}
		if before != nil {
			k.compared, k.last = true, before[id]
		}
		k.places = places
		k.report = func(rule, table string, line int, field, value string) { found(rule, id, table, line, field, value) }
		for _, ru := range rules {
			ru.run(k)
		}
	}
	return sum
}

// group gathers a return's rows by child, episodes and social workers in date order; dup is told of each header
// after a child's first.
func group(r *Return, y returns.Year, dup func(*Header)) map[string]*kid {
	kids := map[string]*kid{}
	get := func(id string) *kid {
		k := kids[id]
		if k == nil {
			k = &kid{id: id, y: y}
			kids[id] = k
		}
		return k
	}
	for i := range r.Header {
		h := &r.Header[i]
		k := get(h.Child)
		if k.header != nil {
			dup(h)
			continue
		}
		k.header = h
		k.dob, _ = parseDate(h.DOB)
	}
	gather(get, r.Episodes, func(e *Episode) string { return e.Child }, func(k *kid) *[]*Episode { return &k.episodes })
	gather(get, r.Reviews, func(e *Review) string { return e.Child }, func(k *kid) *[]*Review { return &k.reviews })
	gather(get, r.UASC, func(e *UASC) string { return e.Child }, func(k *kid) *[]*UASC { return &k.uasc })
	gather(get, r.OC2, func(e *OC2) string { return e.Child }, func(k *kid) *[]*OC2 { return &k.oc2 })
	gather(get, r.OC3, func(e *OC3) string { return e.Child }, func(k *kid) *[]*OC3 { return &k.oc3 })
	gather(get, r.AD1, func(e *AD1) string { return e.Child }, func(k *kid) *[]*AD1 { return &k.ad1 })
	gather(get, r.PlacedAdoption, func(e *PlacedAdoption) string { return e.Child }, func(k *kid) *[]*PlacedAdoption { return &k.placed })
	gather(get, r.PrevPerm, func(e *PrevPerm) string { return e.Child }, func(k *kid) *[]*PrevPerm { return &k.prevPerm })
	gather(get, r.Missing, func(e *Missing) string { return e.Child }, func(k *kid) *[]*Missing { return &k.missing })
	gather(get, r.SWEpisodes, func(e *SWEpisode) string { return e.Child }, func(k *kid) *[]*SWEpisode { return &k.sw })
	for _, k := range kids {
		slices.SortStableFunc(k.episodes, func(a, b *Episode) int { return compareDates(a.DECOM, b.DECOM) })
		slices.SortStableFunc(k.sw, func(a, b *SWEpisode) int { return compareDates(a.DECOM, b.DECOM) })
		if n := len(k.episodes); n > 0 && k.episodes[n-1].DEC == "" {
			k.lookedAfterEnd = true
		}
	}
	return kids
}

// markSharedUPNs finds the children whose UPN another child in the return also has (rule 444).
func markSharedUPNs(kids map[string]*kid) {
	holders := map[string][]*kid{}
	for _, k := range kids {
		if k.header != nil && k.header.UPN != "" && !valid("UPN_UNKNOWN", k.header.UPN) {
			holders[k.header.UPN] = append(holders[k.header.UPN], k)
		}
	}
	for _, ks := range holders {
		for _, k := range ks {
			k.upnShared = len(ks) > 1
		}
	}
}

// Rules lists the codes of the rules implemented, in order.
func Rules() []string {
	codes := make([]string, 0, len(rules)+1)
	codes = append(codes, "INT32") // checked as the rows are grouped by child
	for _, r := range rules {
		codes = append(codes, r.code)
	}
	sort.Strings(codes)
	return codes
}
