package annexa

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/xuri/excelize/v2"
)

// Reads are the record kinds the lists are made from (the person's record is always read).
var Reads = []casework.Kind{casework.KindContact, casework.KindEarlyHelp, casework.KindEpisode, casework.KindAssessment,
	casework.KindStrategy, casework.KindSection47, casework.KindConference, casework.KindCPPlan, casework.KindCINPlan,
	casework.KindLegalStatus, casework.KindPlacement, casework.KindCLAReview, casework.KindVisit, casework.KindMissing,
	casework.KindCareLeaver, casework.KindAdoption, casework.KindAllocation}

// Workbook holds the rows of each list, List 1 first.
type Workbook struct {
	Window Window
	Rows   [][]Row
}

// Build reads the children the window touches from the store, each read audited, and makes their lists.
func Build(ctx context.Context, s *store.Store, actor store.Actor, w Window) (*Workbook, error) {
	staff := Staff{Teams: map[string]string{}, Workers: map[string]string{}}
	teams, err := s.Teams(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range teams {
		staff.Teams[t.ID] = t.Name
	}
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		staff.Workers[u.ID] = u.Name
	}
	wb := &Workbook{Window: w, Rows: make([][]Row, len(Lists))}
	scopes := []store.Scope{
		{Kind: casework.KindContact, From: w.Six, To: w.AsAt, Day: true},
		{Kind: casework.KindEarlyHelp, From: w.Six, To: w.AsAt},
		{Kind: casework.KindEpisode, From: w.Six, To: w.AsAt},
		{Kind: casework.KindLegalStatus, From: w.Twelve, To: w.AsAt},
		{Kind: casework.KindCareLeaver, From: w.Twelve, To: w.AsAt, Day: true},
		{Kind: casework.KindAdoption, From: w.Twelve, To: w.AsAt},
	}
	err = s.EachChildIn(ctx, actor, "Ofsted Annex A as at "+w.AsAt.String(), store.ByLAChildID, scopes, Reads, func(f *casework.File) error {
		rows(f, w, staff, func(list int, r Row) { wb.Rows[list-1] = append(wb.Rows[list-1], r) })
		return nil
	})
	return wb, err
}

// Counts are how many rows each list has.
func (wb *Workbook) Counts() []int {
	out := make([]int, len(wb.Rows))
	for i, rows := range wb.Rows {
		out[i] = len(rows)
	}
	return out
}

// Write writes the workbook as an .xlsx file: a sheet per list, the template's headings in its first row, dates
// as dates shown dd/mm/yyyy.
func (wb *Workbook) Write(out io.Writer) (err error) {
	x := excelize.NewFile()
	defer func() {
		if cerr := x.Close(); err == nil {
			err = cerr
		}
	}()
	dateFormat := "dd/mm/yyyy"
	dateStyle, err := x.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat})
	if err != nil {
		return err
	}
	headStyle, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, list := range Lists {
		if i == 0 {
			if err := x.SetSheetName("Sheet1", list.Sheet); err != nil {
				return err
			}
		} else if _, err := x.NewSheet(list.Sheet); err != nil {
			return err
		}
		sw, err := x.NewStreamWriter(list.Sheet)
		if err != nil {
			return err
		}
		head := make([]any, len(list.Columns))
		at := make(map[string]int, len(list.Columns))
		for j, col := range list.Columns {
			head[j] = excelize.Cell{StyleID: headStyle, Value: col}
			at[col] = j
		}
		if err := sw.SetRow("A1", head); err != nil {
			return err
		}
		var rows []Row
		if i < len(wb.Rows) {
			rows = wb.Rows[i]
		}
		for n, r := range rows {
			cells := make([]any, len(list.Columns))
			for col, v := range r {
				j, ok := at[col]
				if !ok {
					return fmt.Errorf("%s has no column %q", list.Name, col)
				}
				cells[j] = cell(v, dateStyle)
			}
			name, err := excelize.CoordinatesToCellName(1, n+2)
			if err != nil {
				return err
			}
			if err := sw.SetRow(name, cells); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return x.Write(out)
}

// cell is a value as a spreadsheet cell: a date as a date, nothing as an empty cell.
func cell(v any, dateStyle int) any {
	switch v := v.(type) {
	case civil.Date:
		if v.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: dateStyle, Value: time.Date(v.Year, v.Month, v.Day, 0, 0, 0, 0, time.UTC)}
	case string:
		if v == "" {
			return nil
		}
	}
	return v
}
