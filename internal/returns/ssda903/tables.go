// Package ssda903 produces, validates and imports the SSDA903 return of children looked after: eleven CSV files,
// each known by its exact set of column headings, with dates as dd/mm/yyyy.
package ssda903

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/continuum-cs/continuum/internal/civil"
)

// The rows of each table hold their cells as written, so the validator can report a malformed value as it was.
// Line is the row's line in its file when read (0 when produced here); it is not a column.

// Header is one row per child: who the child is.
type Header struct {
	Line   int    `csv:"-"`
	Child  string `csv:"CHILD"`
	Sex    string `csv:"SEX"`
	DOB    string `csv:"DOB"`
	Ethnic string `csv:"ETHNIC"`
	UPN    string `csv:"UPN"`
	Mother string `csv:"MOTHER"`
	MCDOB  string `csv:"MC_DOB"`
}

// Episode is a span of care with one legal status and one placement; a change of either starts another.
type Episode struct {
	Line          int    `csv:"-"`
	Child         string `csv:"CHILD"`
	DECOM         string `csv:"DECOM"`
	RNE           string `csv:"RNE"`
	LS            string `csv:"LS"`
	CIN           string `csv:"CIN"`
	Place         string `csv:"PLACE"`
	Provider      string `csv:"PLACE_PROVIDER"`
	DEC           string `csv:"DEC"`
	REC           string `csv:"REC"`
	ChangeReason  string `csv:"REASON_PLACE_CHANGE"`
	HomePost      string `csv:"HOME_POST"`
	PlacementPost string `csv:"PL_POST"`
	URN           string `csv:"URN"`
}

// Review is a looked-after child's review held in the year.
type Review struct {
	Line   int    `csv:"-"`
	Child  string `csv:"CHILD"`
	DOB    string `csv:"DOB"`
	Review string `csv:"REVIEW"`
	Code   string `csv:"REVIEW_CODE"`
}

// UASC is a child who was an unaccompanied asylum-seeking child at some time in the year.
type UASC struct {
	Line  int    `csv:"-"`
	Child string `csv:"CHILD"`
	Sex   string `csv:"SEX"`
	DOB   string `csv:"DOB"`
	DUC   string `csv:"DUC"`
}

// OC2 is the outcomes of a child looked after continuously for a year at 31 March.
type OC2 struct {
	Line                 int    `csv:"-"`
	Child                string `csv:"CHILD"`
	DOB                  string `csv:"DOB"`
	SDQScore             string `csv:"SDQ_SCORE"`
	SDQReason            string `csv:"SDQ_REASON"`
	Convicted            string `csv:"CONVICTED"`
	HealthCheck          string `csv:"HEALTH_CHECK"`
	Immunisations        string `csv:"IMMUNISATIONS"`
	TeethCheck           string `csv:"TEETH_CHECK"`
	HealthAssessment     string `csv:"HEALTH_ASSESSMENT"`
	SubstanceMisuse      string `csv:"SUBSTANCE_MISUSE"`
	InterventionReceived string `csv:"INTERVENTION_RECEIVED"`
	InterventionOffered  string `csv:"INTERVENTION_OFFERED"`
}

// OC3 is a care leaver whose 17th to 21st birthday fell in the year: in touch, activity and accommodation.
type OC3 struct {
	Line    int    `csv:"-"`
	Child   string `csv:"CHILD"`
	DOB     string `csv:"DOB"`
	InTouch string `csv:"IN_TOUCH"`
	Activ   string `csv:"ACTIV"`
	Accom   string `csv:"ACCOM"`
}

// AD1 is a child adopted in the year, with the decision, the match and the adopters.
type AD1 struct {
	Line           int    `csv:"-"`
	Child          string `csv:"CHILD"`
	DOB            string `csv:"DOB"`
	DateInt        string `csv:"DATE_INT"`
	DateMatch      string `csv:"DATE_MATCH"`
	FosterCare     string `csv:"FOSTER_CARE"`
	Adopters       string `csv:"NB_ADOPTR"`
	AdoptersSex    string `csv:"SEX_ADOPTR"`
	AdoptersStatus string `csv:"LS_ADOPTR"`
}

// PlacedAdoption is a decision that a child should be placed for adoption, and its ending.
type PlacedAdoption struct {
	Line         int    `csv:"-"`
	Child        string `csv:"CHILD"`
	DOB          string `csv:"DOB"`
	DatePlaced   string `csv:"DATE_PLACED"`
	DateCeased   string `csv:"DATE_PLACED_CEASED"`
	ReasonCeased string `csv:"REASON_PLACED_CEASED"`
}

// PrevPerm is what a child starting to be looked after in the year had by way of previous permanence.
type PrevPerm struct {
	Line     int    `csv:"-"`
	Child    string `csv:"CHILD"`
	DOB      string `csv:"DOB"`
	PrevPerm string `csv:"PREV_PERM"`
	LAPerm   string `csv:"LA_PERM"`
	DatePerm string `csv:"DATE_PERM"`
}

// Missing is a period missing or away without authorisation in the year.
type Missing struct {
	Line    int    `csv:"-"`
	Child   string `csv:"CHILD"`
	DOB     string `csv:"DOB"`
	Missing string `csv:"MISSING"`
	Start   string `csv:"MIS_START"`
	End     string `csv:"MIS_END"`
}

// SWEpisode is a span with one social worker.
type SWEpisode struct {
	Line   int    `csv:"-"`
	Child  string `csv:"CHILD"`
	DOB    string `csv:"DOB"`
	SWID   string `csv:"SW_ID"`
	DECOM  string `csv:"SW_DECOM"`
	DEC    string `csv:"SW_DEC"`
	Reason string `csv:"SW_REASON"`
}

// Return is a whole SSDA903 return, or one child's part of it.
type Return struct {
	Header         []Header
	Episodes       []Episode
	Reviews        []Review
	UASC           []UASC
	OC2            []OC2
	OC3            []OC3
	AD1            []AD1
	PlacedAdoption []PlacedAdoption
	PrevPerm       []PrevPerm
	Missing        []Missing
	SWEpisodes     []SWEpisode
}

// Table describes one of the files: the validator's name for it, the usual file name, and its columns in order.
type Table struct {
	Name, File string
	Columns    []string
	// field is the Return's slice of this table's rows, and cells the row struct's field for each column.
	field int
	cells []int
}

// Tables are the eleven files of 2025-26, in the order the spec lists them.
var Tables = func() []*Table {
	names := map[string][2]string{
		"Header": {"Header", "header.csv"}, "Episodes": {"Episodes", "episodes.csv"}, "Reviews": {"Reviews", "reviews.csv"},
		"UASC": {"UASC", "uasc.csv"}, "OC2": {"OC2", "oc2.csv"}, "OC3": {"OC3", "oc3.csv"}, "AD1": {"AD1", "ad1.csv"},
		"PlacedAdoption": {"PlacedAdoption", "placed_for_adoption.csv"},
		"PrevPerm":       {"PrevPerm", "previous_permanence.csv"}, "Missing": {"Missing", "missing.csv"},
		"SWEpisodes": {"SWEpisodes", "sw_episodes.csv"},
	}
	rt := reflect.TypeFor[Return]()
	out := make([]*Table, rt.NumField())
	for i := range rt.NumField() {
		f := rt.Field(i)
		n := names[f.Name]
		t := &Table{Name: n[0], File: n[1], field: i}
		row := f.Type.Elem()
		for j := range row.NumField() {
			if col := row.Field(j).Tag.Get("csv"); col != "-" {
				t.Columns = append(t.Columns, col)
				t.cells = append(t.cells, j)
			}
		}
		out[i] = t
	}
	return out
}()

// rows returns the table's rows in r.
func (t *Table) rows(r *Return) reflect.Value { return reflect.ValueOf(r).Elem().Field(t.field) }

// Len is how many rows of the table r holds.
func (t *Table) Len(r *Return) int { return t.rows(r).Len() }

// record returns row i of the table in r as its cells, in column order.
func (t *Table) record(r *Return, i int, out []string) []string {
	row := t.rows(r).Index(i)
	out = out[:0]
	for _, c := range t.cells {
		out = append(out, row.Field(c).String())
	}
	return out
}

// add appends a row to the table in r from cells in column order, read from line.
func (t *Table) add(r *Return, cells []string, line int) {
	rows := t.rows(r)
	row := reflect.New(rows.Type().Elem()).Elem()
	row.Field(0).SetInt(int64(line))
	for i, c := range t.cells {
		row.Field(c).SetString(cells[i])
	}
	rows.Set(reflect.Append(rows, row))
}

// Append adds all of one return's rows to another's.
func (r *Return) Append(o *Return) {
	for _, t := range Tables {
		dst, src := t.rows(r), t.rows(o)
		dst.Set(reflect.AppendSlice(dst, src))
	}
}

// dateLayout is how the SSDA903 writes a date.
const dateLayout = "02/01/2006"

// formatDate writes a date as dd/mm/yyyy, or nothing for no date.
func formatDate(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
}

// parseDate reads a dd/mm/yyyy date; ok is false for an empty or malformed one.
func parseDate(s string) (civil.Date, bool) {
	if len(s) != len(dateLayout) || s[2] != '/' || s[5] != '/' {
		return civil.Date{}, false
	}
	d, err := civil.Parse(s[6:] + "-" + s[3:5] + "-" + s[:2])
	return d, err == nil
}

// parsePartialDate reads a dd/mm/yyyy date in which a part that is not known is zz (zzzz for the year), as
// DATE_PERM allows: the parts, zero where not known; ok is false unless the known parts make a date and no day is
// given without its month.
func parsePartialDate(s string) (day, month, year int, ok bool) {
	parts := strings.Split(strings.ToUpper(s), "/")
	if len(parts) != 3 || len(parts[0]) != 2 || len(parts[1]) != 2 || len(parts[2]) != 4 {
		return 0, 0, 0, false
	}
	n := [3]int{}
	for i, p := range parts {
		if strings.Trim(p, "Z") == "" {
			continue
		}
		v, err := strconv.Atoi(p)
		if err != nil || v <= 0 {
			return 0, 0, 0, false
		}
		n[i] = v
	}
	day, month, year = n[0], n[1], n[2]
	if (day != 0 && month == 0) || (month != 0 && year == 0) {
		return 0, 0, 0, false
	}
	if year != 0 {
		if _, ok := parseDate(fmt.Sprintf("%02d/%02d/%04d", max(day, 1), max(month, 1), year)); !ok {
			return 0, 0, 0, false
		}
	}
	return day, month, year, true
}

// tableByColumns finds the table whose columns are exactly those given, in any order, as the DfE's validator
// recognises a file.
func tableByColumns(cols []string) (*Table, []int, error) {
	for _, t := range Tables {
		if len(t.Columns) != len(cols) {
			continue
		}
		pos := make([]int, len(cols))
		seen := make([]bool, len(cols))
		ok := true
		for i, c := range cols {
			j := slices.Index(t.Columns, strings.TrimSpace(c))
			if j < 0 || seen[j] {
				ok = false
				break
			}
			pos[i], seen[j] = j, true
		}
		if ok {
			return t, pos, nil
		}
	}
	return nil, nil, fmt.Errorf("the columns %s are not those of any SSDA903 table", strings.Join(cols, ","))
}
