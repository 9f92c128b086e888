package web

import (
	"bytes"
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/improve"
	"github.com/continuum-cs/continuum/internal/kpi"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
)

type boardPackData struct {
	User      *store.User // nil when printed from the command line
	Month     month
	Year      string // the collection year, when the period is one
	Produced  time.Time
	Rows      []indicatorRow
	Attention []indicatorRow // red, then amber
	Count     map[string]int // indicators by rating, "none" for those with none
	Placed    placedSummary
	// Actions are the improvement actions not yet done, soonest due first; Challenges the board's open ones.
	Actions    []improve.Item[improve.Action]
	Challenges []improve.Item[improve.Challenge]
	Priorities map[string]string // priority titles by ID
	Today      civil.Date
	// CSS is the stylesheet written into the page, for a copy printed away from the server.
	CSS template.CSS
}

// boardPack shows the board pack as a page to read or print: every indicator against its target with its
// trend, those needing attention first, and placement sufficiency.
func (s *Server) boardPack(w http.ResponseWriter, r *http.Request, u *store.User) error {
	m, _, ferr := s.chooseMonth(r)
	if ferr != nil {
		return casework.Invalid(ferr.Field, "%s", ferr.Message)
	}
	data, err := s.boardPackData(r.Context(), actorOf(u), m)
	if err != nil {
		return err
	}
	data.User = u
	if q := r.URL.Query(); q.Get("to") == "" {
		data.Year = q.Get("year") // chooseMonth read the period from it
	}
	s.render(w, "boardpack.html", data)
	return nil
}

func (s *Server) boardPackData(ctx context.Context, actor store.Actor, m month) (boardPackData, error) {
	data := boardPackData{Month: m, Count: map[string]int{}}
	f, err := s.figures(ctx, actor, m)
	if err != nil {
		return data, err
	}
	rows := f.rows()
	data.Rows, data.Produced = rows, f.at.In(casework.London())
	for _, want := range []kpi.RAG{kpi.Red, kpi.Amber} {
		for _, row := range rows {
			if row.Rating == want {
				data.Attention = append(data.Attention, row)
			}
		}
	}
	for _, row := range rows {
		if row.Rating == "" {
			data.Count["none"]++
		} else {
			data.Count[string(row.Rating)]++
		}
	}
	trajectory, err := kpi.LoadTrajectory(ctx, s.store)
	if err != nil {
		return data, err
	}
	if data.Placed, err = s.placedSummary(ctx, actor, m, trajectory); err != nil {
		return data, err
	}
	plan, err := improve.Load(ctx, s.store)
	if err != nil {
		return data, err
	}
	data.Today, data.Priorities = casework.Today(s.store.Now()), map[string]string{}
	for _, p := range plan.Priorities {
		data.Priorities[p.ID] = p.Value.Title
	}
	for _, a := range plan.Actions {
		if a.Value.Status != "done" {
			data.Actions = append(data.Actions, a)
		}
	}
	for _, c := range plan.Challenges {
		if c.Value.Open() {
			data.Challenges = append(data.Challenges, c)
		}
	}
	return data, nil
}

// BoardPack is the board pack for a collection year as a page standing on its own, stylesheet and charts within
// it, for headless Chromium to print. The records are read as actor, audited as reports.
func BoardPack(ctx context.Context, st *store.Store, actor store.Actor, y returns.Year) ([]byte, error) {
	files, err := loadAssets()
	if err != nil {
		return nil, err
	}
	pages, err := parsePages(files)
	if err != nil {
		return nil, err
	}
	srv := &Server{store: st, pages: pages, log: slog.New(slog.DiscardHandler)}
	data, err := srv.boardPackData(ctx, actor, monthOf(y.End))
	if err != nil {
		return nil, err
	}
	data.Year, data.CSS = y.String(), template.CSS(files["report.css"].body)
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, "boardpack.html", data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
