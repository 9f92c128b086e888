// Package synth generates a synthetic council: children, families and their journeys through the continuum of
// need, recorded through the domain's own commands so nothing is stored that a practitioner could not record.
// The same seed gives the same data.
package synth

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/store"
)

// Options choose the size and randomness of a synthetic council.
type Options struct {
	Children int
	Seed     uint64
	// Now is the moment the data is generated as of; records run up to the day before.
	Now time.Time
}

// Result summarises what was generated.
type Result struct {
	Teams map[string]store.Team
	// Workers maps a team name to the IDs of its workers, manager first.
	Workers map[string][]store.User
	Files   int
}

// generator carries the random source and the organisation that journeys are allocated to.
type generator struct {
	rng     *rand.Rand
	now     time.Time
	today   civil.Date
	teams   map[string]store.Team
	workers map[string][]store.User
}

// Generate creates teams and workers and a council's children, and loads them in batches.
func Generate(ctx context.Context, s *store.Store, opt Options) (Result, error) {
	g := &generator{rng: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)), now: opt.Now,
		today: casework.Today(opt.Now), teams: map[string]store.Team{}, workers: map[string][]store.User{}}
	if err := g.organisation(ctx, s); err != nil {
		return Result{}, err
	}
	var batch []*casework.File
	files := 0
	for i := range opt.Children {
		fs, err := g.family(i)
		if err != nil {
			return Result{}, fmt.Errorf("child %d: %w", i+1, err)
		}
		batch = append(batch, fs...)
		if len(batch) >= 500 || i == opt.Children-1 {
			if err := s.LoadFiles(ctx, store.System, batch); err != nil {
				return Result{}, err
			}
			files += len(batch)
			batch = batch[:0]
		}
	}
	return Result{Teams: g.teams, Workers: g.workers, Files: files}, nil
}

// organisation creates the teams of a county children's service and their workers.
func (g *generator) organisation(ctx context.Context, s *store.Store) error {
	type spec struct{ name, service, district string }
	specs := []spec{{"Front Door (First Response)", "front_door", ""}}
	for _, d := range districts {
		specs = append(specs, spec{d.name + " Early Help", "early_help", d.name},
			spec{d.name + " Child in Need and Protection", "cin_cp", d.name})
	}
	specs = append(specs, spec{"Children in Care", "looked_after", ""}, spec{"Care Leavers", "care_leavers", ""},
		spec{"Independent Reviewing Service", "iro", ""})
	for _, sp := range specs {
		t, err := s.AddTeam(ctx, store.System, store.Team{Name: sp.name, Service: sp.service, District: sp.district})
		if err != nil {
			return err
		}
		g.teams[sp.name] = t
		roles := []string{casework.RoleTeamManager, casework.RoleSocialWorker, casework.RoleSocialWorker, casework.RoleSocialWorker}
		switch sp.service {
		case "early_help":
			roles = []string{casework.RoleTeamManager, casework.RoleEarlyHelp, casework.RoleEarlyHelp}
		case "front_door":
			roles = []string{casework.RoleTeamManager, casework.RoleFrontDoor, casework.RoleFrontDoor}
		case "iro":
			roles = []string{casework.RoleTeamManager, casework.RoleIRO}
		}
		for i, role := range roles {
			name := g.pick(adultGivenNames) + " " + g.pick(familyNames)
			u, err := s.AddUser(ctx, store.System, store.User{
				Email: fmt.Sprintf("%s.%d@%s", role, len(g.workers[sp.name])+1, slug(sp.name)+".example.org"),
				Name:  name, Role: role, TeamID: t.ID, Agency: i > 0 && g.chance(0.18)})
			if err != nil {
				return err
			}
			g.workers[sp.name] = append(g.workers[sp.name], u)
		}
	}
	return nil
}

func slug(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b = append(b, c)
		}
	}
	return string(b)
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }
func (g *generator) chance(p float64) bool     { return g.rng.Float64() < p }
func (g *generator) between(lo, hi int) int    { return lo + g.rng.IntN(hi-lo+1) }

// weighted picks a key by its weight.
func (g *generator) weighted(options []string, weights []float64) string {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := g.rng.Float64() * total
	for i, w := range weights {
		if x < w {
			return options[i]
		}
		x -= w
	}
	return options[len(options)-1]
}

// id makes record IDs from the generator's random source, so the same seed gives the same IDs.
func (g *generator) id() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.rng.UintN(256))
	}
	return hex.EncodeToString(b[:])
}

// postcode returns a postcode of the right shape in one of the given outward codes.
func (g *generator) postcode(outward []string) string {
	const inwardLetters = "ABDEFGHJLNPQRSTUWXYZ"
	return fmt.Sprintf("%s %d%c%c", g.pick(outward), g.rng.IntN(10),
		inwardLetters[g.rng.IntN(len(inwardLetters))], inwardLetters[g.rng.IntN(len(inwardLetters))])
}

// nhsNumber returns a valid NHS number in the 9xx range NHS Digital keeps for testing, so none is real.
func (g *generator) nhsNumber() string {
	for {
		n := fmt.Sprintf("999%06d", g.rng.IntN(1000000))
		for c := range 10 {
			s := n + fmt.Sprint(c)
			if casework.CheckNHSNumber(s) == nil {
				return s
			}
		}
	}
}

// upn returns a valid UPN issued by the council's DfE number (825 for Buckinghamshire).
func (g *generator) upn() string {
	rest := fmt.Sprintf("825%08d%d", g.rng.IntN(100000000), g.rng.IntN(10))
	l, _ := casework.UPNCheckLetter(rest)
	return string(l) + rest
}
