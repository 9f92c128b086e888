package ssda903

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
)

// notInReturn stands for the names the return does not carry, until they are recorded from another source.
var notInReturn = casework.Name{Given: "Not known", Family: "Not known (from the SSDA903)"}

// migrated is the reason every imported record gives for being recorded.
const migrated = "migrated from an SSDA903 return"

// worker is an account that social worker episodes can name, by its Social Work England number.
type worker struct{ id, team string }

// Import loads another system's SSDA903 return for year y as new children's files, all or nothing: each child is
// built through the domain's own checks, a row that fails them is named by its table, line and field, and then
// all are stored in one transaction. Episodes become legal statuses and placements split where the reason for new
// episode says they changed, each period of care with an episode of need for its category of need. Social worker
// episodes name workers by their Social Work England numbers, and each must be an account's here already. It
// returns how many children it stored.
func Import(ctx context.Context, s *store.Store, actor store.Actor, r *Return, y returns.Year) (int, error) {
	files, err := Files(ctx, s, r, y, nil)
	if err != nil {
		return 0, err
	}
	if err := s.LoadFiles(ctx, actor, files); err != nil {
		return 0, fmt.Errorf("the return's children (file N is the Nth child by CHILD): %w", err)
	}
	return len(files), nil
}

// Files builds each child of a return for year y, in order of CHILD, without storing them. A child whose LA
// child ID is one of the files in onto (new files, not yet stored: a census from the same system, read first) is
// added to that file: their care is recorded under the census's episodes of need where one was open when a
// period of care began, the census's need standing over the return's category; their date of birth and sex must
// agree. Files returns the new files only; those in onto it added to are changed in place.
func Files(ctx context.Context, s *store.Store, r *Return, y returns.Year, onto []*casework.File) ([]*casework.File, error) {
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	workers := map[string]worker{}
	for _, u := range users {
		if u.Registration != "" {
			workers[u.Registration] = worker{u.ID, u.TeamID}
		}
	}
	var dup *Header
	kids := group(r, y, func(h *Header) {
		if dup == nil {
			dup = h
		}
	})
	if dup != nil {
		return nil, rowError("Header", dup.Line, dup.Child, "CHILD", fmt.Errorf("a second row for the child"))
	}
	held := map[string]*casework.File{}
	for _, f := range onto {
		if p := f.Person(); p != nil && p.LAChildID != "" {
			held[p.LAChildID] = f
		}
	}
	ids := make([]string, 0, len(kids))
	for id := range kids {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var files []*casework.File
	for _, id := range ids {
		b := &builder{k: kids[id], now: s.Now(), workers: workers, f: held[id]}
		if err := b.build(); err != nil {
			return nil, err
		}
		if held[id] == nil {
			files = append(files, b.f)
		}
	}
	return files, nil
}

// rowError names a table's row, the child and the field a problem is in.
func rowError(table string, line int, child, field string, err error) error {
	file := table
	for _, t := range Tables {
		if t.Name == table {
			file = t.File
		}
	}
	return &ReadError{File: file, Line: line, Err: fmt.Errorf("child %q, %s: %w", child, field, err)}
}

// builder makes one child's file from their rows, or adds them to a file read from their census (f set).
type builder struct {
	k       *kid
	now     time.Time
	workers map[string]worker
	f       *casework.File
	// census are the episodes of need of the census file added to, which the builder uses but never changes.
	census  []*casework.Episode
	records []made
	// needs are the child's episodes of need, one for each period of care or change of category within one,
	// with the start of each period's first.
	needs       []*casework.Episode
	periodStart []civil.Date
	statuses    []*casework.LegalStatus
}

// made is a record with the row it was made from.
type made struct {
	r            casework.Record
	table, field string
	line         int
}

// add gives r an ID and keeps it, with the row it came from, to be saved with the rest.
func (b *builder) add(table string, line int, field string, r casework.Record) {
	m := r.Base()
	if m.ID == "" {
		m.ID = casework.NewID(b.now)
	}
	m.Reason = migrated
	b.records = append(b.records, made{r, table, field, line})
}

// day reads a date cell; it must be a date when required, and empty or a date otherwise.
func (b *builder) day(table string, line int, field, v string, required bool) (civil.Date, error) {
	if v == "" && !required {
		return civil.Date{}, nil
	}
	d, ok := parseDate(v)
	if !ok {
		return d, rowError(table, line, b.k.id, field, fmt.Errorf("%q is not a date as dd/mm/yyyy", v))
	}
	return d, nil
}

func (b *builder) build() error {
	k := b.k
	if k.header == nil {
		line := 0
		if len(k.episodes) > 0 {
			line = k.episodes[0].Line
		}
		return rowError("Episodes", line, k.id, "CHILD", fmt.Errorf("no Header row for the child"))
	}
	h := k.header
	dob, err := b.day("Header", h.Line, "DOB", h.DOB, true)
	if err != nil {
		return err
	}
	mcdob, err := b.day("Header", h.Line, "MC_DOB", h.MCDOB, false)
	if err != nil {
		return err
	}
	p := &casework.Person{Role: casework.RoleChild, LAChildID: h.Child, BirthDate: dob, Sex: h.Sex, Ethnicity: h.Ethnic,
		Name: notInReturn}
	if valid("UPN_UNKNOWN", h.UPN) {
		p.UPNUnknown = h.UPN
	} else {
		p.UPN = h.UPN
	}
	if b.f != nil {
		// The census's child, with what the return adds: motherhood, UASC status, the home postcode.
		was := b.f.Person()
		switch {
		case was.BirthDate != dob:
			return rowError("Header", h.Line, k.id, "DOB", fmt.Errorf("differs from the date of birth in the census"))
		case was.Sex != h.Sex:
			return rowError("Header", h.Line, k.id, "SEX", fmt.Errorf("%q differs from the census's %q", h.Sex, was.Sex))
		}
		copied := *was
		p = &copied
		b.census = casework.All[*casework.Episode](b.f)
	}
	p.Mother, p.FirstChildBorn = h.Mother == "1", mcdob
	if n := len(k.episodes); n > 0 {
		p.Address.Postcode = k.episodes[n-1].HomePost
	}
	for _, u := range k.uasc {
		duc, err := b.day("UASC", u.Line, "DUC", u.DUC, false)
		if err != nil {
			return err
		}
		p.UASC, p.UASCCeased = true, duc
	}
	b.add("Header", h.Line, "", p)
	for _, step := range []func() error{b.care, b.reviews, b.missing, b.outcomes, b.leaving, b.adoption, b.permanence, b.socialWorkers} {
		if err := step(); err != nil {
			return err
		}
	}
	// Each record is checked alone first, so a problem names its row; then the file as a whole.
	today := casework.Today(b.now)
	for _, m := range b.records {
		if err := m.r.Validate(today); err != nil {
			return rowError(m.table, m.line, k.id, m.field, err)
		}
	}
	if b.f == nil {
		b.f = casework.NewFile(b.now, nil)
	}
	records := make([]casework.Record, len(b.records))
	for i, m := range b.records {
		records[i] = m.r
	}
	if err := b.f.Save(records...); err != nil {
		return rowError("Header", h.Line, k.id, "the child's records together", err)
	}
	return nil
}

// closureOf is the CIN reason an episode of need closes for when a period of care ends for reason rec.
func closureOf(rec string) string {
	switch {
	case rec == "E11" || rec == "E12":
		return "RC1"
	case rec == "E2":
		return "RC2"
	case rec == "E41":
		return "RC3"
	case oneOf(rec, "E45", "E46", "E47", "E48"):
		return "RC4"
	case rec == "E3":
		return "RC5"
	case rec == "E7":
		return "RC6"
	}
	return "RC7"
}

// care makes the legal statuses, placements and episodes of need the episodes describe: a period of care starts
// at RNE S (or at the child's first episode, which may carry on a period begun before), a legal status at each
// change of status, a placement at each change of placement, with the same carer kept for T and U.
func (b *builder) care() error {
	var ls *casework.LegalStatus
	var pl *casework.Placement
	var need *casework.Episode
	var prev *Episode
	carers := 0
	for _, e := range b.k.episodes {
		field := func(name string, err error) error { return rowError("Episodes", e.Line, b.k.id, name, err) }
		start, err := b.day("Episodes", e.Line, "DECOM", e.DECOM, true)
		if err != nil {
			return err
		}
		end, err := b.day("Episodes", e.Line, "DEC", e.DEC, false)
		if err != nil {
			return err
		}
		newPeriod := ls == nil || e.RNE == "S"
		if !newPeriod && prev.DEC != e.DECOM {
			return field("RNE", fmt.Errorf("%q carries on the episode before, which ended on %q, not on %s", e.RNE, prev.DEC, e.DECOM))
		}
		if ls == nil && prev != nil && e.RNE != "S" {
			return field("RNE", fmt.Errorf("%q carries on the episode before, but that one ended the period of care (REC %s)", e.RNE, prev.REC))
		}
		statusChanged := newPeriod || oneOf(e.RNE, "L", "U", "B")
		placeChanged := newPeriod || oneOf(e.RNE, "P", "T", "U", "B")
		switch {
		case !statusChanged && e.LS != ls.Code:
			return field("LS", fmt.Errorf("%q differs from the episode before's %q, but RNE %q says the legal status did not change", e.LS, ls.Code, e.RNE))
		case !statusChanged && e.CIN != need.PrimaryNeed && !b.fromCensus(need):
			return field("CIN", fmt.Errorf("%q differs from the episode before's %q without a change of legal status", e.CIN, need.PrimaryNeed))
		case !placeChanged && (e.Place != prev.Place || e.Provider != prev.Provider || e.PlacementPost != prev.PlacementPost || e.URN != prev.URN):
			return field("PLACE", fmt.Errorf("the placement differs from the episode before's, but RNE %q says it did not change", e.RNE))
		}
		if statusChanged && ls != nil {
			ls.End = start
		}
		if placeChanged && pl != nil {
			pl.End, pl.ChangeReason = start, prev.ChangeReason
		}
		if newPeriod || (e.CIN != need.PrimaryNeed && !b.fromCensus(need)) {
			if need != nil && need.ClosureDate.IsZero() && !b.fromCensus(need) {
				need.ClosureDate, need.ClosureReason = start, "RC7"
			}
			if need = b.censusNeedAt(start); need == nil {
				need = &casework.Episode{ReferralDate: start, Source: "10", PrimaryNeed: e.CIN}
				b.add("Episodes", e.Line, "CIN", need)
			}
			b.needs = append(b.needs, need)
			if newPeriod {
				b.periodStart = append(b.periodStart, start)
			}
		}
		if statusChanged {
			ls = &casework.LegalStatus{EpisodeID: need.ID, Code: e.LS, Start: start}
			if newPeriod && e.RNE != "S" {
				ls.ContinuesPeriod = e.RNE
			}
			b.add("Episodes", e.Line, "LS", ls)
			b.statuses = append(b.statuses, ls)
		}
		if placeChanged {
			if !oneOf(e.RNE, "T", "U") {
				carers++
			}
			provider := e.Provider
			pl = &casework.Placement{EpisodeID: need.ID, Type: e.Place, Provider: provider, Postcode: e.PlacementPost,
				URN: e.URN, CarerID: "carer " + strconv.Itoa(carers), Start: start}
			b.add("Episodes", e.Line, "PLACE", pl)
		}
		if !end.IsZero() && e.REC != "X1" {
			ls.End, ls.CeasedReason, pl.End = end, e.REC, end
			if !b.fromCensus(need) {
				need.ClosureDate, need.ClosureReason = end, closureOf(e.REC)
			}
			ls, pl = nil, nil
		}
		prev = e
	}
	return nil
}

// needAt is the episode of need under way on day d: the census's, when the child came with one open then;
// otherwise the return's, and before the first of those, the first, which then began no later than d (a case open
// before the child came into care, or before the return's first episode).
func (b *builder) needAt(d civil.Date) *casework.Episode {
	if need := b.censusNeedAt(d); need != nil {
		return need
	}
	for i := len(b.needs) - 1; i >= 0; i-- {
		if !d.Before(b.needs[i].ReferralDate) {
			return b.needs[i]
		}
	}
	if len(b.needs) == 0 {
		return nil
	}
	first := b.needs[0]
	if !b.fromCensus(first) {
		first.ReferralDate = d
	}
	return first
}

// fromCensus tells whether an episode of need is the census's, which the return's rows do not change.
func (b *builder) fromCensus(need *casework.Episode) bool { return slices.Contains(b.census, need) }

// censusNeedAt is the census's episode of need open on day d, the latest referred if more than one; nil if none.
func (b *builder) censusNeedAt(d civil.Date) *casework.Episode {
	var found *casework.Episode
	for _, e := range b.census {
		if !e.ReferralDate.After(d) && (e.ClosureDate.IsZero() || !e.ClosureDate.Before(d)) &&
			(found == nil || e.ReferralDate.After(found.ReferralDate)) {
			found = e
		}
	}
	return found
}

func (b *builder) reviews() error {
	for _, r := range b.k.reviews {
		d, err := b.day("Reviews", r.Line, "REVIEW", r.Review, true)
		if err != nil {
			return err
		}
		need := b.needAt(d)
		if need == nil {
			return rowError("Reviews", r.Line, b.k.id, "REVIEW", fmt.Errorf("a review of a child with no episode of care"))
		}
		b.add("Reviews", r.Line, "REVIEW", &casework.CLAReview{EpisodeID: need.ID, Date: d, Participation: r.Code})
	}
	return nil
}

func (b *builder) missing() error {
	for _, m := range b.k.missing {
		start, err := b.day("Missing", m.Line, "MIS_START", m.Start, true)
		if err != nil {
			return err
		}
		end, err := b.day("Missing", m.Line, "MIS_END", m.End, false)
		if err != nil {
			return err
		}
		rec := &casework.Missing{Type: m.Missing, Start: start, End: end}
		if need := b.needAt(start); need != nil {
			rec.EpisodeID = need.ID
		}
		b.add("Missing", m.Line, "MISSING", rec)
	}
	return nil
}

// flagOf reads a 0/1 cell that may be empty.
func flagOf(v string) *bool {
	if v == "" {
		return nil
	}
	b := v == "1"
	return &b
}

func (b *builder) outcomes() error {
	for _, o := range b.k.oc2 {
		rec := &casework.CareOutcomes{AsAt: b.k.y.End, SDQReason: o.SDQReason, Convicted: flagOf(o.Convicted),
			HealthCheck: flagOf(o.HealthCheck), Immunisations: flagOf(o.Immunisations), TeethCheck: flagOf(o.TeethCheck),
			HealthAssessment: flagOf(o.HealthAssessment), SubstanceMisuse: flagOf(o.SubstanceMisuse),
			InterventionReceived: flagOf(o.InterventionReceived), InterventionOffered: flagOf(o.InterventionOffered)}
		if o.SDQScore != "" {
			n, err := strconv.Atoi(o.SDQScore)
			if err != nil {
				return rowError("OC2", o.Line, b.k.id, "SDQ_SCORE", fmt.Errorf("%q is not a number", o.SDQScore))
			}
			rec.SDQScore = &n
		}
		if *rec == (casework.CareOutcomes{AsAt: b.k.y.End}) {
			continue // a row with nothing in it: nothing was recorded
		}
		b.add("OC2", o.Line, "", rec)
	}
	return nil
}

// leaving records each care leaver's row as a contact on the birthday it is for, the first row for the first of
// the 17th to 21st birthdays that falls in the year.
func (b *builder) leaving() error {
	var birthdays []civil.Date
	for age := 17; age <= 21; age++ {
		if d := civil.Birthday(b.k.dob, age); b.k.y.Contains(d) {
			birthdays = append(birthdays, d)
		}
	}
	for i, o := range b.k.oc3 {
		if i >= len(birthdays) {
			return rowError("OC3", o.Line, b.k.id, "DOB", fmt.Errorf("no 17th to 21st birthday in the year is left for this row"))
		}
		if o.InTouch == "" {
			continue
		}
		category := "former_relevant"
		if civil.Age(b.k.dob, birthdays[i]) < 18 {
			category = "relevant"
		}
		b.add("OC3", o.Line, "IN_TOUCH", &casework.CareLeaver{ContactDate: birthdays[i], Category: category,
			InTouch: o.InTouch, Activity: unlessZero(o.Activ), Accommodation: unlessZero(o.Accom)})
	}
	return nil
}

func (b *builder) adoption() error {
	var decisions []*casework.Adoption
	for _, pa := range b.k.placed {
		decided, err := b.day("PlacedAdoption", pa.Line, "DATE_PLACED", pa.DatePlaced, true)
		if err != nil {
			return err
		}
		ceased, err := b.day("PlacedAdoption", pa.Line, "DATE_PLACED_CEASED", pa.DateCeased, false)
		if err != nil {
			return err
		}
		a := &casework.Adoption{Decision: decided, Ceased: ceased, CeasedReason: pa.ReasonCeased}
		if need := b.needAt(decided); need != nil {
			a.EpisodeID = need.ID
		}
		decisions = append(decisions, a)
		b.add("PlacedAdoption", pa.Line, "DATE_PLACED", a)
	}
	for _, ad := range b.k.ad1 {
		decided, err := b.day("AD1", ad.Line, "DATE_INT", ad.DateInt, true)
		if err != nil {
			return err
		}
		matched, err := b.day("AD1", ad.Line, "DATE_MATCH", ad.DateMatch, false)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(decisions, func(a *casework.Adoption) bool { return a.Decision == decided && a.Ceased.IsZero() })
		if i < 0 {
			a := &casework.Adoption{Decision: decided}
			decisions = append(decisions, a)
			b.add("AD1", ad.Line, "DATE_INT", a)
			i = len(decisions) - 1
		}
		a := decisions[i]
		// AD1 belongs to the period of care the adoption ended.
		for _, ls := range b.statuses {
			if oneOf(ls.CeasedReason, "E11", "E12") && b.k.y.Contains(ls.End) {
				a.EpisodeID = ls.EpisodeID
			}
		}
		a.Matched, a.FosterCarers, a.AdoptersSex, a.AdoptersStatus = matched, ad.FosterCare == "1", ad.AdoptersSex, ad.AdoptersStatus
		if ad.Adopters != "" {
			n, err := strconv.Atoi(ad.Adopters)
			if err != nil {
				return rowError("AD1", ad.Line, b.k.id, "NB_ADOPTR", fmt.Errorf("%q is not a number", ad.Adopters))
			}
			a.Adopters = n
		}
	}
	return nil
}

// permanence records the child's previous permanence row (one a child) against the latest period of care that
// began in the year.
func (b *builder) permanence() error {
	rows := b.k.prevPerm
	if len(rows) == 0 {
		return nil
	}
	if len(rows) > 1 {
		return rowError("PrevPerm", rows[1].Line, b.k.id, "CHILD", fmt.Errorf("a second row for the child"))
	}
	pp := rows[0]
	var latest *casework.Episode
	for _, d := range b.periodStart {
		if b.k.y.Contains(d) {
			latest = b.needAt(d)
		}
	}
	if latest == nil {
		return rowError("PrevPerm", pp.Line, b.k.id, "CHILD", fmt.Errorf("no period of care began in the year for this row"))
	}
	if pp.PrevPerm == "" && pp.LAPerm == "" && pp.DatePerm == "" {
		return nil
	}
	rec := &casework.PreviousPermanence{EpisodeID: latest.ID, Option: pp.PrevPerm, LA: pp.LAPerm}
	if pp.DatePerm != "" {
		day, month, year, ok := parsePartialDate(pp.DatePerm)
		if !ok || year == 0 {
			return rowError("PrevPerm", pp.Line, b.k.id, "DATE_PERM",
				fmt.Errorf("%q is not a date as dd/mm/yyyy (zz for a day or month not known)", pp.DatePerm))
		}
		rec.Day, rec.Month, rec.Year = day, month, year
	}
	b.add("PrevPerm", pp.Line, "PREV_PERM", rec)
	return nil
}

func (b *builder) socialWorkers() error {
	for _, sw := range b.k.sw {
		start, err := b.day("SWEpisodes", sw.Line, "SW_DECOM", sw.DECOM, true)
		if err != nil {
			return err
		}
		end, err := b.day("SWEpisodes", sw.Line, "SW_DEC", sw.DEC, false)
		if err != nil {
			return err
		}
		w, ok := b.workers[strings.ToUpper(sw.SWID)]
		if !ok {
			return rowError("SWEpisodes", sw.Line, b.k.id, "SW_ID", fmt.Errorf(
				"%q is no account's Social Work England number here; add the worker's account with it first", sw.SWID))
		}
		need := b.needAt(start)
		if need == nil {
			return rowError("SWEpisodes", sw.Line, b.k.id, "SW_DECOM", fmt.Errorf("a social worker for a child with no episode of care"))
		}
		b.add("SWEpisodes", sw.Line, "SW_ID", &casework.Allocation{CaseID: need.ID, WorkerID: w.id, TeamID: w.team,
			Start: start, End: end, WorkerChange: sw.Reason})
	}
	return nil
}

// unlessZero reads an OC3 code, where 0 is what the return writes when nothing was recorded.
func unlessZero(v string) string {
	if v == "0" {
		return ""
	}
	return v
}
