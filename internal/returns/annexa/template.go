// Package annexa writes Ofsted's Annex A, the child-level lists a council sends at the start of an inspection of
// its children's services, as an Excel workbook with one sheet per list.
package annexa

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/continuum-cs/continuum/internal/casework"
)

// The template is data: the lists, their sheets and column headings in order (annex_a_columns_2024.csv, copied
// from the spec), and the lettered option labels of its drop-down columns (options.csv). Ofsted changes both
// from time to time; a new template means new files here, not new code.
var (
	//go:embed template/annex_a_columns_2024.csv
	columnsCSV []byte
	//go:embed template/options.csv
	optionsCSV []byte
)

// renamed are the headings the 2026 template changed from the 2024 one: "Gender" became "Sex" in every list.
var renamed = map[string]string{"Gender": "Sex"}

// A List is one sheet of the workbook.
type List struct {
	Name    string // "List 1"
	Sheet   string
	Columns []string
}

// Lists are the template's lists, in order.
var Lists = func() []List {
	rows := readCSV(columnsCSV)
	var out []List
	for _, row := range rows[1:] {
		name, sheet, header := row[0], row[1], row[3]
		if to, ok := renamed[header]; ok {
			header = to
		}
		if n := len(out); n == 0 || out[n-1].Name != name {
			out = append(out, List{Name: name, Sheet: sheet})
		}
		pos, err := strconv.Atoi(row[2])
		if err != nil || pos != len(out[len(out)-1].Columns)+1 {
			panic(fmt.Sprintf("annexa: template column %q of %s is out of order", header, name))
		}
		out[len(out)-1].Columns = append(out[len(out)-1].Columns, header)
	}
	return out
}()

// options maps each drop-down (sex, source, place, ...) and code to the template's label, such as "q) 6: Police".
var options = func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, row := range readCSV(optionsCSV)[1:] {
		if out[row[0]] == nil {
			out[row[0]] = map[string]string{}
		}
		out[row[0]][row[1]] = row[2]
	}
	return out
}()

// fallback names the statutory code list a drop-down's codes come from, for a code the template has no label for
// (a code newer than the template, such as placement type K3): it is written as "K3: description".
var fallback = map[string]casework.CodeList{
	"source": casework.ListReferralSource, "need": casework.ListPrimaryNeed, "closure": casework.ListClosureReason,
	"legal": casework.ListLegalStatus, "ceased": casework.ListEpisodeCeased, "place": casework.ListPlacementType,
	"provider": casework.ListProvider, "activity": casework.ListActivity, "rd": casework.ListAdoptionCeased,
}

// option is the label of code in a drop-down, or "" for no code.
func option(set, code string) string {
	if code == "" {
		return ""
	}
	if label, ok := options[set][code]; ok {
		return label
	}
	if list, ok := fallback[set]; ok {
		if desc := casework.Describe(list, code); desc != "" {
			return code + ": " + desc
		}
	}
	return code
}

func yesNo(b bool) string {
	if b {
		return option("yesno", "1")
	}
	return option("yesno", "0")
}

func readCSV(b []byte) [][]string {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		panic("annexa: template: " + err.Error())
	}
	return rows
}
