package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/kpi"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
)

// trendMonths is how many months a trend shows; months is how far back the period can be chosen.
const (
	trendMonths   = 24
	monthsOffered = 36
	// countedShown bounds the children a drill-down lists: each is audited, and more than this is a report to
	// export, not a page to read.
	countedShown = 500
	// reportFresh is how long worked-out figures are shown before they are worked out again from the records.
	reportFresh = 10 * time.Minute
)

// breakdowns are the ways an indicator's page splits the council.
var breakdowns = []struct{ By, Name string }{
	{kpi.ByDistrict, "District"}, {kpi.ByLocality, "Locality"}, {kpi.ByTeam, "Team"},
}

// reports keeps worked-out figures, so that many people reading the performance pages cost one reading of the
// records, not one each. Figures being worked out are waited for, not worked out twice; figures older than
// reportFresh are shown while fresh ones are worked out behind them, and the pages say when they were worked out.
type reports struct {
	mu         sync.Mutex
	entries    map[string]*report
	refreshing map[string]bool
}

type report struct {
	ready chan struct{} // closed once value and err are set
	at    time.Time     // when the working out began
	value any
	err   error
}

func (r *report) done() bool {
	select {
	case <-r.ready:
		return true
	default:
		return false
	}
}

// get returns the figures kept under key, working them out with work when there are none.
func (rs *reports) get(ctx context.Context, key string, now time.Time, work func(context.Context) (any, error)) (any, time.Time, error) {
	rs.mu.Lock()
	if rs.entries == nil {
		rs.entries, rs.refreshing = map[string]*report{}, map[string]bool{}
	}
	r := rs.entries[key]
	switch {
	case r == nil:
		r = &report{ready: make(chan struct{}), at: now}
		rs.entries[key] = r
		rs.mu.Unlock()
		rs.run(ctx, key, r, work)
	case now.Sub(r.at) >= reportFresh && r.done() && !rs.refreshing[key]:
		rs.refreshing[key] = true
		rs.mu.Unlock()
		fresh := &report{ready: make(chan struct{}), at: now}
		go rs.run(ctx, key, fresh, work)
	default:
		rs.mu.Unlock()
	}
	select {
	case <-r.ready:
		return r.value, r.at, r.err
	case <-ctx.Done():
		return nil, time.Time{}, ctx.Err()
	}
}

// run works r out apart from the request that asked, so that one reader leaving does not fail the others, and
// keeps it if it worked.
func (rs *reports) run(ctx context.Context, key string, r *report, work func(context.Context) (any, error)) {
	r.value, r.err = work(context.WithoutCancel(ctx))
	close(r.ready)
	rs.mu.Lock()
	defer rs.mu.Unlock()
	delete(rs.refreshing, key)
	switch {
	case r.err == nil:
		rs.entries[key] = r
	case rs.entries[key] == r:
		delete(rs.entries, key)
	}
}

// month is a period's last month, as the pages choose it: the 12 months to its end.
type month struct {
	End   civil.Date
	Value string // 2026-10
	Label string // October 2026
}

func monthOf(end civil.Date) month {
	return month{End: end, Value: fmt.Sprintf("%04d-%02d", end.Year, int(end.Month)),
		Label: end.Month.String() + " " + strconv.Itoa(end.Year)}
}

// monthsOffered lists the months a period can end with, the last complete month first.
func (s *Server) monthsOffered() []month {
	today := casework.Today(s.store.Now())
	first := civil.New(today.Year, today.Month, 1)
	out := make([]month, monthsOffered)
	for i := range out {
		out[i] = monthOf(first.AddMonths(-i).AddDays(-1))
	}
	return out
}

// chooseMonth reads ?to=YYYY-MM, or a collection year as ?year=2025-26 (its March); by default the last complete
// month.
func (s *Server) chooseMonth(r *http.Request) (month, []month, *casework.FieldError) {
	offered := s.monthsOffered()
	q := r.URL.Query()
	if y := q.Get("year"); y != "" && q.Get("to") == "" {
		year, err := returns.ParseYear(y)
		if err != nil {
			return offered[0], offered, &casework.FieldError{Field: "to", Message: "Year must be a collection year, like 2025-26"}
		}
		return monthOf(year.End), offered, nil
	}
	to := q.Get("to")
	if to == "" {
		return offered[0], offered, nil
	}
	for _, m := range offered {
		if m.Value == to {
			return m, offered, nil
		}
	}
	return offered[0], offered, &casework.FieldError{Field: "to", Message: "Choose a month from the list"}
}

// trend is the council's indicators for each of the 24 rolling years to month m.
func (s *Server) trend(ctx context.Context, actor store.Actor, m month) ([][]kpi.Group, time.Time, error) {
	v, at, err := s.reports.get(ctx, "trend "+m.Value, s.store.Now(), func(ctx context.Context) (any, error) {
		pop, err := kpi.LoadPopulation(ctx, s.store, "")
		if err != nil {
			return nil, err
		}
		return kpi.Series(ctx, s.store, actor, kpi.Rolling(m.End, trendMonths), pop, "")
	})
	if err != nil {
		return nil, at, err
	}
	return v.([][]kpi.Group), at, nil
}

// breakdown is the indicators for the 12 months to m, for the council and then each group.
func (s *Server) breakdown(ctx context.Context, actor store.Actor, m month, by string) ([]kpi.Group, error) {
	v, _, err := s.reports.get(ctx, "by "+by+" "+m.Value, s.store.Now(), func(ctx context.Context) (any, error) {
		pop, err := kpi.LoadPopulation(ctx, s.store, by)
		if err != nil {
			return nil, err
		}
		return kpi.Compute(ctx, s.store, actor, kpi.Rolling(m.End, 1)[0], pop, by)
	})
	if err != nil {
		return nil, err
	}
	return v.([]kpi.Group), nil
}

// actorOf is the user as the store knows who acts: their ID, role and team.
func actorOf(u *store.User) store.Actor {
	return store.Actor{UserID: u.ID, Role: u.Role, TeamID: u.TeamID}
}

// indicatorRow is one indicator as the overview shows it.
type indicatorRow struct {
	kpi.Value
	Shown, Target, England, YearAgo, Change string
	Rating                                  kpi.RAG
	Spark                                   template.HTML
}

type performanceData struct {
	User      *store.User
	Month     month
	Months    []month
	Errors    []casework.FieldError
	WorkedOut time.Time
	Rows      []indicatorRow
}

// performance shows every indicator for the 12 months to a month's end: value, target, rating, England's
// figure, a year before, and its trend.
func (s *Server) performance(w http.ResponseWriter, r *http.Request, u *store.User) error {
	m, offered, ferr := s.chooseMonth(r)
	data := performanceData{User: u, Month: m, Months: offered}
	if ferr != nil {
		data.Errors = append(data.Errors, *ferr)
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, "performance.html", data)
		return nil
	}
	f, err := s.figures(r.Context(), actorOf(u), m)
	if err != nil {
		return err
	}
	data.Rows, data.WorkedOut = f.rows(), f.at
	s.render(w, "performance.html", data)
	return nil
}

// figures are the council's indicators for each of the 24 rolling years to a month, the targets in force, and
// when the indicators were worked out.
type figures struct {
	series  [][]kpi.Group
	targets map[string]kpi.Target
	at      time.Time
}

func (s *Server) figures(ctx context.Context, actor store.Actor, m month) (figures, error) {
	series, at, err := s.trend(ctx, actor, m)
	if err != nil {
		return figures{}, err
	}
	targets, err := kpi.Targets(ctx, s.store)
	return figures{series, targets, at}, err
}

// rows are the indicators for the last of the years, each against its target and its own past.
func (f figures) rows() []indicatorRow {
	last := f.series[len(f.series)-1][0].Values
	rows := make([]indicatorRow, len(last))
	for i, v := range last {
		row := indicatorRow{Value: v, Shown: formatValue(v)}
		if t, ok := f.targets[v.Code]; ok {
			row.Target, row.Rating = formatTarget(v, t), t.Against(v)
		}
		if v.England != nil {
			row.England = formatNumber(v.England.Value, v.Unit) + " (" + v.England.Year + ")"
		}
		values := make([]float64, len(f.series))
		for j := range f.series {
			values[j] = f.series[j][0].Values[i].Value
		}
		if len(f.series) > 12 {
			ago := f.series[len(f.series)-13][0].Values[i]
			row.YearAgo = formatValue(ago)
			row.Change = describeChange(v, ago)
		}
		row.Spark = sparkline(values)
		rows[i] = row
	}
	return rows
}

type indicatorData struct {
	User       *store.User
	Indicator  kpi.Indicator
	Month      month
	Months     []month
	Errors     []casework.FieldError
	Row        indicatorRow
	Chart      template.HTML
	Points     []trendPoint
	Breakdowns []breakdownTable
	Targets    []store.SettingVersion
	// Form holds what was typed into the target form, shown again with its errors.
	Form                         struct{ Value, Tolerance string }
	CanSetTarget, CanList, Saved bool
	WorkedOut                    time.Time
}

type trendPoint struct {
	Label                         string
	Numerator, Denominator, Shown string
}

type breakdownTable struct {
	By, Name string
	Rows     []breakdownRow
}

type breakdownRow struct {
	Group, Numerator, Denominator, Shown string
	Rating                               kpi.RAG
}

// indicator shows one indicator: its definition, its 24-month trend as a chart with its table, its value in each
// district, locality and team, and its target with the history of targets.
func (s *Server) indicator(w http.ResponseWriter, r *http.Request, u *store.User) error {
	ind, err := kpi.Lookup(r.PathValue("code"))
	if err != nil {
		return casework.ErrNotFound
	}
	m, offered, ferr := s.chooseMonth(r)
	data := indicatorData{User: u, Indicator: ind, Month: m, Months: offered, Saved: r.URL.Query().Get("saved") == "1"}
	if ferr != nil {
		data.Errors = append(data.Errors, *ferr)
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, "indicator.html", data)
		return nil
	}
	return s.showIndicator(w, r, u, &data)
}

func (s *Server) showIndicator(w http.ResponseWriter, r *http.Request, u *store.User, data *indicatorData) error {
	ctx, ind, m := r.Context(), data.Indicator, data.Month
	data.CanSetTarget = ind.Better != kpi.Neither && casework.Authorize(u.Role, casework.ActionSetTargets) == nil
	data.CanList = casework.Authorize(u.Role, casework.ActionListCounted) == nil && kpi.ByChild(ind)
	f, err := s.figures(ctx, actorOf(u), m)
	if err != nil {
		return err
	}
	data.WorkedOut = f.at
	index := 0
	for i, row := range f.rows() {
		if row.Code == ind.Code {
			data.Row, index = row, i
		}
	}
	series := f.series
	target, hasTarget := f.targets[ind.Code]
	points := make([]point, len(series))
	var aim []float64
	periods := kpi.Rolling(m.End, len(series))
	for i, groups := range series {
		v := groups[0].Values[index]
		points[i] = point{Label: shortMonth(periods[i].End), Value: v.Value}
		data.Points = append(data.Points, trendPoint{Label: monthOf(periods[i].End).Label,
			Numerator: formatCount(v.Numerator), Denominator: formatCount(v.Denominator), Shown: formatValue(v)})
		if hasTarget {
			aim = append(aim, target.Value)
		}
	}
	title := fmt.Sprintf("%s, each 12 months to the end of the months from %s to %s", ind.Name, data.Points[0].Label, m.Label)
	if hasTarget {
		title += "; the dashed line is the target"
	}
	data.Chart = lineChart(title, points, aim)
	for _, b := range breakdowns {
		groups, err := s.breakdown(ctx, actorOf(u), m, b.By)
		if err != nil {
			return err
		}
		table := breakdownTable{By: b.By, Name: b.Name}
		for _, g := range groups[1:] {
			v := g.Values[index]
			if v.Numerator == 0 && (v.Denominator == 0 || v.Unit == kpi.PerTenThousand) {
				continue // nothing counted: a team that does other work, or children with no district
			}
			row := breakdownRow{Group: g.Name, Numerator: formatCount(v.Numerator), Denominator: formatCount(v.Denominator), Shown: formatValue(v)}
			if hasTarget {
				row.Rating = target.Against(v)
			}
			table.Rows = append(table.Rows, row)
		}
		data.Breakdowns = append(data.Breakdowns, table)
	}
	if data.Targets, err = kpi.TargetHistory(ctx, s.store, ind.Code); err != nil {
		return err
	}
	if data.Form.Value == "" && hasTarget {
		data.Form.Value, data.Form.Tolerance = formatTick(target.Value), formatTick(target.Tolerance)
	}
	if len(data.Errors) > 0 {
		w.WriteHeader(http.StatusBadRequest)
	}
	s.render(w, "indicator.html", data)
	return nil
}

// setTarget records a new target and tolerance for an indicator, then shows its page again
// (Post/Redirect/Get); a mistake shows the page with the form's errors and changes nothing.
func (s *Server) setTarget(w http.ResponseWriter, r *http.Request, u *store.User) error {
	ind, err := kpi.Lookup(r.PathValue("code"))
	if err != nil {
		return casework.ErrNotFound
	}
	if err := r.ParseForm(); err != nil {
		return casework.Invalid("form", "the form could not be read")
	}
	m, offered, _ := s.chooseMonth(r)
	data := indicatorData{User: u, Indicator: ind, Month: m, Months: offered}
	data.Form.Value, data.Form.Tolerance = strings.TrimSpace(r.PostForm.Get("value")), strings.TrimSpace(r.PostForm.Get("tolerance"))
	if ind.Better == kpi.Neither {
		data.Errors = append(data.Errors, casework.FieldError{Field: "value", Message: ind.Name + " is context, not performance: it takes no target"})
	}
	value, err := strconv.ParseFloat(data.Form.Value, 64)
	if err != nil || math.IsNaN(value) || math.IsInf(value, 0) || value < 0 {
		data.Errors = append(data.Errors, casework.FieldError{Field: "value", Message: "Target must be a number, 0 or more, like 85"})
	}
	tolerance, err := strconv.ParseFloat(data.Form.Tolerance, 64)
	if err != nil || math.IsNaN(tolerance) || math.IsInf(tolerance, 0) || tolerance < 0 {
		data.Errors = append(data.Errors, casework.FieldError{Field: "tolerance", Message: "Tolerance must be a number, 0 or more, like 5"})
	}
	if len(data.Errors) > 0 {
		return s.showIndicator(w, r, u, &data)
	}
	if err := kpi.SetTarget(r.Context(), s.store, actorOf(u), ind.Code, kpi.Target{Value: value, Tolerance: tolerance}); err != nil {
		return err
	}
	http.Redirect(w, r, "/performance/"+ind.Code+"?to="+m.Value+"&saved=1#target", http.StatusSeeOther)
	return nil
}

type countedData struct {
	User      *store.User
	Indicator kpi.Indicator
	Month     month
	By, Group string
	Children  []kpi.Counted
	More      int
	// Restricted counts the children in the figure left out of the list because their records are restricted.
	Restricted    int
	Numerator     string
	Denominator   string
	CanViewRecord bool
}

// counted lists the children behind an indicator's figure for the 12 months to a month, in the council or in
// one district, locality or team. Each child listed is a read of their record, audited.
func (s *Server) counted(w http.ResponseWriter, r *http.Request, u *store.User) error {
	ind, err := kpi.Lookup(r.PathValue("code"))
	if err != nil {
		return casework.ErrNotFound
	}
	m, _, ferr := s.chooseMonth(r)
	if ferr != nil {
		return casework.Invalid(ferr.Field, "%s", ferr.Message)
	}
	q := r.URL.Query()
	data := countedData{User: u, Indicator: ind, Month: m, By: q.Get("by"), Group: q.Get("group"),
		CanViewRecord: casework.Authorize(u.Role, casework.ActionViewRecord) == nil}
	if data.By != "" && data.By != kpi.ByDistrict && data.By != kpi.ByLocality && data.By != kpi.ByTeam {
		return casework.Invalid("by", "by must be district, locality or team")
	}
	if data.By == "" {
		data.Group = ""
	}
	period := kpi.Rolling(m.End, 1)[0]
	children, err := kpi.Children(r.Context(), s.store, actorOf(u), period, ind.Code, data.By, data.Group)
	if errors.Is(err, kpi.ErrNotByChild) {
		return casework.Invalid("code", "%s counts staff or due work, not children one by one", ind.Name)
	}
	if err != nil {
		return err
	}
	var num, den float64
	for _, c := range children {
		num, den = num+c.Numerator, den+c.Denominator
	}
	data.Numerator, data.Denominator = formatCount(num), formatCount(den)
	// Restricted children count in the figure but are named only to those the restriction names.
	ids := make([]string, len(children))
	for i, c := range children {
		ids[i] = c.FileID
	}
	hidden, err := s.store.Hidden(r.Context(), actorOf(u), ids)
	if err != nil {
		return err
	}
	children = slices.DeleteFunc(children, func(c kpi.Counted) bool { return hidden[c.FileID] })
	data.Restricted = len(ids) - len(children)
	if len(children) > countedShown {
		data.More, children = len(children)-countedShown, children[:countedShown]
	}
	data.Children = children
	events := make([]store.AuditEvent, len(children))
	for i, c := range children {
		events[i] = store.AuditEvent{Actor: u.ID, Action: store.ActionList, FileID: c.FileID,
			Detail: "children behind " + ind.Code + " to " + m.Value}
	}
	if err := s.store.Audit(r.Context(), events...); err != nil {
		return err
	}
	s.render(w, "counted.html", data)
	return nil
}

// formatValue shows an indicator's value in its unit, or "none" when there was nothing to count.
func formatValue(v kpi.Value) string {
	if math.IsNaN(v.Value) {
		return "none"
	}
	return formatNumber(v.Value, v.Unit)
}

func formatNumber(x float64, unit kpi.Unit) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	if unit == kpi.Percent {
		return s + "%"
	}
	return s
}

func formatTarget(v kpi.Value, t kpi.Target) string {
	return formatNumber(t.Value, v.Unit) + " (±" + formatTick(t.Tolerance) + ")"
}

// formatCount shows a count, with a decimal for full-time equivalents.
func formatCount(n float64) string {
	if n == math.Trunc(n) {
		return strconv.FormatFloat(n, 'f', 0, 64)
	}
	return strconv.FormatFloat(n, 'f', 1, 64)
}

// describeChange says in words how an indicator moved in a year, and whether that is better or worse.
func describeChange(now, ago kpi.Value) string {
	if math.IsNaN(now.Value) || math.IsNaN(ago.Value) {
		return ""
	}
	diff := now.Value - ago.Value
	if math.Abs(diff) < 0.05 {
		return "no change"
	}
	word := "up"
	if diff < 0 {
		word = "down"
	}
	s := word + " " + strconv.FormatFloat(math.Abs(diff), 'f', 1, 64)
	switch {
	case now.Better == kpi.Higher && diff > 0, now.Better == kpi.Lower && diff < 0:
		s += ", better"
	case now.Better != kpi.Neither:
		s += ", worse"
	}
	return s
}
