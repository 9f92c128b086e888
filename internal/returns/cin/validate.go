package cin

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/workday"
)

// The DfE's rules for the 2025-26 census, code and message, copied from shared/spec/rules.
//
//go:embed schema/cin_rules_2025_26.tsv
var catalogueTSV []byte

// Severity is how much a finding matters: an error stops the return being accepted; a query must be explained.
type Severity string

const (
	Error Severity = "error"
	Query Severity = "query"
)

// Finding is one rule broken by one child (or by the return as a whole, when Child is empty).
type Finding struct {
	Rule     string
	Severity Severity
	Child    string
	Field    string
	Value    string
	Message  string
	Line     int
}

func (f Finding) String() string {
	child := f.Child
	if child == "" {
		child = "-"
	}
	return fmt.Sprintf("%s\t%s\t%s\t%s\t%s\tline %d: %s", f.Rule, f.Severity, child, f.Field, f.Value, f.Line, f.Message)
}

// catalogue maps each rule's code to its message and severity.
var catalogue = func() map[string]Finding {
	out := map[string]Finding{}
	sc := bufio.NewScanner(bytes.NewReader(catalogueTSV))
	sc.Scan() // the heading
	for sc.Scan() {
		code, text, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		f := Finding{Rule: code, Severity: Error, Message: strings.TrimSpace(text)}
		if m, found := strings.CutSuffix(f.Message, " (QUERY)"); found {
			f.Severity, f.Message = Query, m
		}
		f.Message = strings.TrimSuffix(f.Message, " (ERROR)")
		out[code] = f
	}
	return out
}()

// check is what a rule sees: the child, the census year and the working-day calendar, and where to report.
type check struct {
	c      *Child
	year   returns.Year
	cal    *workday.Calendar
	report func(rule, field, value string)
}

// rule is one of the DfE's rules over one child, by its code.
type rule struct {
	code string
	run  func(k *check)
}

// Summary counts what a validation found.
type Summary struct {
	Children, Errors, Queries int
}

// Validate checks a census against every implemented rule, calling emit with each finding in the order found.
// It returns an error only when the file cannot be read as a census at all.
func Validate(r io.Reader, cal *workday.Calendar, emit func(Finding)) (Summary, error) {
	var sum Summary
	var year returns.Year
	haveYear := false
	found := func(rule, child, field, value string, line int) {
		f := catalogue[rule]
		f.Child, f.Field, f.Value, f.Line = child, field, value, line
		if f.Severity == Query {
			sum.Queries++
		} else {
			sum.Errors++
		}
		emit(f)
	}
	ids, upns := map[string]int{}, map[string]int{}
	// For the queries over the whole return: children born, those of them with no sex recorded, the disability
	// codes used, and whether any child has more than one.
	born, unknownSex, disabilities, several := 0, 0, map[string]bool{}, false
	err := Read(r, func(h Header) error {
		if h.ReferenceDate.IsZero() || h.ReferenceDate.Month != 3 || h.ReferenceDate.Day != 31 || h.ReferenceDate.Year != h.Year {
			found("100", "", "ReferenceDate", h.ReferenceDate.String(), 0)
		}
		if !h.ReferenceDate.IsZero() {
			year, haveYear = h.year(), true
		}
		return nil
	}, func(c *Child, line int) error {
		if !haveYear {
			return &ReadError{line, errNoYear}
		}
		sum.Children++
		id := c.Identifiers.LAChildID
		k := &check{c: c, year: year, cal: cal, report: func(rule, field, value string) { found(rule, id, field, value, line) }}
		for _, r := range rules {
			r.run(k)
		}
		if first, dup := ids[id]; dup && id != "" {
			k.report("8510", "LAchildID", fmt.Sprintf("%s (also line %d)", id, first))
		} else {
			ids[id] = line
		}
		if c.Identifiers.BirthDate != nil {
			born++
			if c.Identifiers.Sex == "U" {
				unknownSex++
			}
		}
		for _, code := range c.Characteristics.Disabilities {
			if code != "NONE" {
				disabilities[code] = true
			}
		}
		several = several || len(c.Characteristics.Disabilities) > 1
		if upn := c.Identifiers.UPN; upn != "" {
			if first, dup := upns[upn]; dup {
				k.report("1520", "UPN", fmt.Sprintf("%s (also line %d)", upn, first))
			} else {
				upns[upn] = line
			}
		}
		return nil
	})
	if err != nil {
		return sum, err
	}
	if born > 0 && unknownSex*50 > born {
		found("2886Q", "", "Sex", fmt.Sprintf("%d of %d", unknownSex, born), 0)
	}
	if len(disabilities) < 8 {
		found("2887Q", "", "Disability", fmt.Sprintf("%d codes", len(disabilities)), 0)
	}
	if len(disabilities) > 0 && !several {
		found("2888Q", "", "Disability", "one per child", 0)
	}
	return sum, nil
}

// wholeReturn are the rules Validate checks across children rather than within one.
var wholeReturn = []string{"100", "1520", "8510", "2886Q", "2887Q", "2888Q"}

// Rules lists the codes of the rules implemented, in order.
func Rules() []string {
	codes := make([]string, 0, len(rules)+3)
	for _, r := range rules {
		codes = append(codes, r.code)
	}
	codes = append(codes, wholeReturn...)
	sort.Strings(codes)
	return codes
}
