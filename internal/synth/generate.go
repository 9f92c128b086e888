package synth

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/kpi"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
	"golang.org/x/sync/errgroup"
)

// Result summarises what was generated.
type Result struct {
	Teams map[string]store.Team
	// Workers maps a team name to its people, manager first.
	Workers  map[string][]store.User
	Children int
	Files    int
}

// Generate simulates a council and stores it: teams and people first, then every family's files in batches
// through the store's bulk path, which keeps history, due items and audit as single writes do. The next batch is
// simulated while the last one is written, and no more than two batches are held at once, so the England scale
// fits in a few gigabytes.
func Generate(ctx context.Context, s *store.Store, opt Options) (Result, error) {
	c, err := staffed(opt)
	if err != nil {
		return Result{}, err
	}
	res := Result{Teams: map[string]store.Team{}, Workers: map[string][]store.User{}}
	registered, hired := 0, 0
	for _, t := range c.teams {
		for _, u := range t.units {
			st, err := s.AddTeam(ctx, store.System, store.Team{Name: u.name, Service: t.service, District: t.district, Locality: t.locality})
			if err != nil {
				return res, fmt.Errorf("team %s: %w", u.name, err)
			}
			u.id = st.ID
			res.Teams[u.name] = st
			for _, w := range append([]*worker{u.manager}, u.workers...) {
				// Social workers and their managers are registered with Social Work England.
				var registration string
				if w.role == casework.RoleSocialWorker || w.role == casework.RoleTeamManager {
					registered++
					registration = fmt.Sprintf("SW%06d", 100000+registered)
				}
				// Everyone joined before the simulated years begin, some long before: the workforce holds steady
				// through them (no one leaves), so its indicators do too.
				hired++
				started := c.start.AddDays(-1 - (hired*397)%3650)
				su, err := s.AddUser(ctx, store.System, store.User{Email: w.email, Name: w.name, Role: w.role, TeamID: u.id,
					FTE: w.fte, Agency: w.agency, Registration: registration, Started: started})
				if err != nil {
					return res, fmt.Errorf("%s: %w", w.email, err)
				}
				w.id = su.ID
				res.Workers[u.name] = append(res.Workers[u.name], su)
			}
		}
	}
	// Senior leaders, analysts, the improvement board and auditors hold no cases and belong to no team.
	for _, w := range []worker{{name: "Head of Children's Services", email: "leader.1@leadership.example.org", role: casework.RoleLeader},
		{name: "Performance Analyst", email: "analyst.1@performance.example.org", role: casework.RoleAnalyst},
		{name: "Chair of the Improvement Board", email: "board.1@board.example.org", role: casework.RoleBoard},
		{name: "Information Governance Officer", email: "auditor.1@governance.example.org", role: casework.RoleAuditor}} {
		if _, err := s.AddUser(ctx, store.System, store.User{Email: w.email, Name: w.name, Role: w.role, FTE: 1}); err != nil {
			return res, fmt.Errorf("%s: %w", w.email, err)
		}
	}
	// Partner agencies' practitioners hold no cases; they see the children the council shares with their team.
	c.partners = map[string]string{}
	for _, p := range partnerAgencies {
		st, err := s.AddTeam(ctx, store.System, store.Team{Name: p.team, Service: "partner"})
		if err != nil {
			return res, fmt.Errorf("team %s: %w", p.team, err)
		}
		c.partners[p.key] = st.ID
		res.Teams[p.team] = st
		su, err := s.AddUser(ctx, store.System, store.User{Email: p.email, Name: p.name, Role: casework.RolePartner, TeamID: st.ID, FTE: 1})
		if err != nil {
			return res, fmt.Errorf("%s: %w", p.email, err)
		}
		res.Workers[p.team] = append(res.Workers[p.team], su)
	}
	rebuild, err := s.DeferIndexes(ctx)
	if err != nil {
		return res, err
	}
	g, gctx := errgroup.WithContext(ctx)
	// The next batch is simulated and turned into rows while the last is written.
	batches := make(chan *store.Load)
	g.Go(func() error {
		defer close(batches)
		var batch []*casework.File
		send := func() error {
			l, err := s.PrepareLoad(gctx, store.System, batch)
			if err != nil {
				return err
			}
			select {
			case batches <- l:
				res.Files += len(batch)
				batch = nil
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		err := c.simulate(func(ch *child) error {
			fs, err := ch.files(c)
			if err != nil {
				return fmt.Errorf("child %s: %w", ch.person.LAChildID, err)
			}
			res.Children++
			if batch = append(batch, fs...); len(batch) >= batchFiles {
				return send()
			}
			return nil
		})
		if err == nil && len(batch) > 0 {
			err = send()
		}
		return err
	})
	g.Go(func() error {
		for l := range batches {
			if err := s.StoreLoad(gctx, l); err != nil {
				return err
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return res, err
	}
	if err := rebuild(ctx); err != nil {
		return res, err
	}
	if err := s.Analyze(ctx); err != nil {
		return res, err
	}
	value, err := json.Marshal(recipe{Scale: opt.Scale.Name, Years: opt.Years, Seed: opt.Seed, Now: opt.Now})
	if err != nil {
		return res, err
	}
	if _, err = s.SetSetting(ctx, store.System, settingKey, string(value)); err != nil {
		return res, err
	}
	// The county's returns carry Buckinghamshire's DfE LA number, and its rates are per 10,000 of its children.
	if _, err = s.SetSetting(ctx, store.System, returns.LANumberSetting, laNumber); err != nil {
		return res, err
	}
	if _, err = s.SetSetting(ctx, store.System, kpi.PopulationSetting, strconv.Itoa(opt.Scale.Children)); err != nil {
		return res, err
	}
	for _, d := range area {
		n := int(math.Round(d.share * float64(opt.Scale.Children)))
		if _, err = s.SetSetting(ctx, store.System, kpi.PopulationSetting+":"+d.name, strconv.Itoa(n)); err != nil {
			return res, err
		}
	}
	return res, nil
}

// laNumber is Buckinghamshire's DfE LA number, the council the synthetic county is modelled on.
const laNumber = "825"

// batchFiles is how many files go to the store in one transaction: enough that a commit's cost is spread thin,
// few enough that a batch is a few megabytes.
const batchFiles = 2000

// settingKey is the council setting that remembers how a synthetic council was generated, so its report measures
// the right period and population.
const settingKey = "synthetic_council"

type recipe struct {
	Scale string    `json:"scale"`
	Years int       `json:"years"`
	Seed  uint64    `json:"seed"`
	Now   time.Time `json:"generated_at"`
}

// Calibrate reads a stored synthetic council back and measures it against its scale's targets.
func Calibrate(ctx context.Context, s *store.Store) ([]Figure, error) {
	value, ok, err := s.Setting(ctx, settingKey)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("this database holds no synthetic council to report on: %w", casework.ErrNotFound)
	}
	var r recipe
	if err := json.Unmarshal([]byte(value), &r); err != nil {
		return nil, fmt.Errorf("synthetic council setting: %w", err)
	}
	scale, err := ScaleNamed(r.Scale)
	if err != nil {
		return nil, err
	}
	m := NewMeasure(scale, r.Years, r.Now)
	if err := s.EachChildFile(ctx, store.System, "synthetic council calibration", func(f *casework.File) error {
		m.Observe(f)
		return nil
	}); err != nil {
		return nil, err
	}
	users, err := s.Users(ctx)
	if err != nil {
		return nil, err
	}
	staff := make([]kpi.Staff, 0, len(users))
	for _, u := range users {
		staff = append(staff, kpi.Staff{ID: u.ID, Role: u.Role, FTE: u.FTE, Agency: u.Agency})
	}
	return m.Figures(staff), nil
}
