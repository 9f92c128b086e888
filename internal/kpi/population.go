package kpi

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/continuum-cs/continuum/internal/store"
)

// ErrNoPopulation is returned when the council has not recorded its population aged 0 to 17.
var ErrNoPopulation = errors.New("the council's population aged 0 to 17 is not recorded (setting " + PopulationSetting + ")")

// LoadPopulation reads the council's population aged 0 to 17 from its settings, and, for a breakdown by district
// or locality, each area's where recorded.
func LoadPopulation(ctx context.Context, s *store.Store, by string) (Population, error) {
	n, ok, err := populationSetting(ctx, s, PopulationSetting)
	if err != nil {
		return Population{}, err
	}
	if !ok {
		return Population{}, ErrNoPopulation
	}
	pop := Population{Council: n, Areas: map[string]int{}}
	if by != ByDistrict && by != ByLocality {
		return pop, nil
	}
	teams, err := s.Teams(ctx)
	if err != nil {
		return Population{}, err
	}
	for _, t := range teams {
		area := t.District
		if by == ByLocality {
			area = t.Locality
		}
		if _, seen := pop.Areas[area]; seen || area == "" {
			continue
		}
		n, ok, err := populationSetting(ctx, s, PopulationSetting+":"+area)
		if err != nil {
			return Population{}, err
		}
		if ok {
			pop.Areas[area] = n
		}
	}
	return pop, nil
}

func populationSetting(ctx context.Context, s *store.Store, key string) (int, bool, error) {
	value, ok, err := s.Setting(ctx, key)
	if err != nil || !ok {
		return 0, false, err
	}
	n, err := strconv.Atoi(value)
	if err != nil || n <= 0 {
		return 0, false, fmt.Errorf("setting %s: %q is not a number of children", key, value)
	}
	return n, true, nil
}
