package web

import (
	"cmp"
	"context"
	"errors"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/kpi"
	"github.com/continuum-cs/continuum/internal/store"
)

type sufficiencyData struct {
	User   *store.User
	Month  month
	Months []month
	Errors []casework.FieldError
	placedSummary
	// Trajectory is the trajectory in force, or what was typed, with its history.
	Trajectory   string
	History      []store.SettingVersion
	CanSetTarget bool
	Saved        bool
}

// placedSummary is where the children looked after lived at a month's end, and the share inside the area over
// the 24 months to it against the trajectory; the sufficiency page and the board pack show it.
type placedSummary struct {
	WorkedOut time.Time
	Now       kpi.Placed
	InArea    string // per cent
	Aim       string // per cent, "" with no trajectory
	External  int
	Distance  []countRow
	Types     []countRow
	Providers []countRow
	Chart     template.HTML
	Points    []sufficiencyPoint
}

type countRow struct {
	Name    string
	Count   int
	Percent string
}

type sufficiencyPoint struct {
	Label            string
	Children, InArea int
	Percent, Aim     string
}

// placements is where the children looked after were placed at the end of each of the 24 months to m.
func (s *Server) placements(ctx context.Context, actor store.Actor, m month) ([]kpi.Placed, time.Time, error) {
	v, at, err := s.reports.get(ctx, "sufficiency "+m.Value, s.store.Now(), func(ctx context.Context) (any, error) {
		return kpi.Sufficiency(ctx, s.store, actor, monthEnds(m.End, trendMonths))
	})
	if err != nil {
		return nil, at, err
	}
	return v.([]kpi.Placed), at, nil
}

// monthEnds are the last days of the n months to the month holding last.
func monthEnds(last civil.Date, n int) []civil.Date {
	periods := kpi.Rolling(last, n)
	days := make([]civil.Date, n)
	for i, p := range periods {
		days[i] = p.End
	}
	return days
}

// sufficiency shows where the children looked after live at a month's end: inside or outside the area, how far
// from home, in what kind of placement, with whose provision; and the share inside the area over 24 months
// against the council's target trajectory.
func (s *Server) sufficiency(w http.ResponseWriter, r *http.Request, u *store.User) error {
	m, offered, ferr := s.chooseMonth(r)
	data := sufficiencyData{User: u, Month: m, Months: offered, Saved: r.URL.Query().Get("saved") == "1"}
	if ferr != nil {
		data.Errors = append(data.Errors, *ferr)
	}
	return s.showSufficiency(w, r, u, &data)
}

func (s *Server) showSufficiency(w http.ResponseWriter, r *http.Request, u *store.User, data *sufficiencyData) error {
	ctx := r.Context()
	data.CanSetTarget = casework.Authorize(u.Role, casework.ActionSetTargets) == nil
	trajectory, err := kpi.LoadTrajectory(ctx, s.store)
	if err != nil {
		return err
	}
	if data.History, err = s.store.SettingHistory(ctx, kpi.TrajectorySetting); err != nil {
		return err
	}
	if data.Trajectory == "" {
		data.Trajectory = trajectoryLines(trajectory)
	}
	if len(data.Errors) > 0 {
		w.WriteHeader(http.StatusBadRequest)
		if data.Errors[0].Field == "to" {
			s.render(w, "sufficiency.html", data)
			return nil
		}
	}
	if data.placedSummary, err = s.placedSummary(ctx, actorOf(u), data.Month, trajectory); err != nil {
		return err
	}
	s.render(w, "sufficiency.html", data)
	return nil
}

func (s *Server) placedSummary(ctx context.Context, actor store.Actor, m month, trajectory kpi.Trajectory) (placedSummary, error) {
	var sum placedSummary
	placed, at, err := s.placements(ctx, actor, m)
	if err != nil {
		return sum, err
	}
	sum.WorkedOut = at
	points := make([]point, len(placed))
	var aims []float64
	for i, p := range placed {
		points[i] = point{Label: shortMonth(p.Day), Value: math.NaN()}
		pt := sufficiencyPoint{Label: monthOf(p.Day).Label, Children: p.Children, InArea: p.InArea}
		if p.Children > 0 {
			points[i].Value = p.InAreaPercent()
			pt.Percent = formatNumber(p.InAreaPercent(), kpi.Percent)
		}
		if aim, ok := trajectory.At(p.Day); ok {
			aims = append(aims, aim)
			pt.Aim = formatNumber(aim, kpi.Percent)
		}
		sum.Points = append(sum.Points, pt)
	}
	title := "Children looked after placed inside the area, per cent, at the end of each month from " +
		sum.Points[0].Label + " to " + m.Label
	if aims != nil {
		title += "; the dashed line is the target trajectory"
	}
	sum.Chart = lineChart(title, points, aims)
	last := placed[len(placed)-1]
	sum.Now, sum.External = last, last.External()
	sum.InArea = formatNumber(last.InAreaPercent(), kpi.Percent)
	if aim, ok := trajectory.At(last.Day); ok {
		sum.Aim = formatNumber(aim, kpi.Percent)
	}
	for i, name := range kpi.DistanceBands {
		sum.Distance = append(sum.Distance, countRow{name, last.Distance[i], share(last.Distance[i], last.Children)})
	}
	sum.Types = countRows(last.Type, casework.ListPlacementType, last.Children)
	sum.Providers = countRows(last.Provider, casework.ListProvider, last.Children)
	return sum, nil
}

// setTrajectory records the council's target trajectory for placing children inside its area.
func (s *Server) setTrajectory(w http.ResponseWriter, r *http.Request, u *store.User) error {
	if err := r.ParseForm(); err != nil {
		return casework.Invalid("form", "the form could not be read")
	}
	m, offered, _ := s.chooseMonth(r)
	data := sufficiencyData{User: u, Month: m, Months: offered, Trajectory: r.PostForm.Get("trajectory")}
	t, err := kpi.ParseTrajectory(data.Trajectory)
	if err == nil && len(t) == 0 {
		err = errNoPoints
	}
	if err != nil {
		data.Errors = append(data.Errors, casework.FieldError{Field: "trajectory", Message: "Trajectory: " + err.Error()})
		return s.showSufficiency(w, r, u, &data)
	}
	if err := kpi.SetTrajectory(r.Context(), s.store, actorOf(u), t); err != nil {
		return err
	}
	http.Redirect(w, r, "/sufficiency?to="+m.Value+"&saved=1#trajectory", http.StatusSeeOther)
	return nil
}

var errNoPoints = errors.New("give at least one point, a date and a percentage, like 2027-03-31 55")

// trajectoryLines shows a trajectory in the form, a point a line.
func trajectoryLines(t kpi.Trajectory) string {
	if len(t) == 0 {
		return ""
	}
	return strings.ReplaceAll(t.String(), "; ", "\n") + "\n"
}

func shortMonth(d civil.Date) string {
	return d.Month.String()[:3] + " " + strconv.Itoa(d.Year%100)
}

func share(n, of int) string {
	if of == 0 {
		return ""
	}
	return formatNumber(float64(n)/float64(of)*100, kpi.Percent)
}

// countRows lists counts by code, most first, each named from its code list.
func countRows(counts map[string]int, list casework.CodeList, of int) []countRow {
	var out []countRow
	for code, n := range counts {
		out = append(out, countRow{Name: code + ": " + casework.Describe(list, code), Count: n, Percent: share(n, of)})
	}
	slices.SortFunc(out, func(a, b countRow) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}
