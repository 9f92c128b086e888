package kpi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/continuum-cs/continuum/internal/store"
)

// A Target is what senior leaders aim an indicator at, and how far short of it still counts as amber.
type Target struct {
	Value, Tolerance float64
}

// RAG is how an indicator stands against a target: red, amber or green.
type RAG string

const (
	Red   RAG = "red"
	Amber RAG = "amber"
	Green RAG = "green"
)

// Against rates a value: green when it meets the target in the indicator's better direction, amber when it
// misses by no more than the tolerance, red otherwise; nothing for an indicator with no better direction or no
// value.
func (t Target) Against(v Value) RAG {
	if math.IsNaN(v.Value) || v.Better == Neither {
		return ""
	}
	short := t.Value - v.Value // how far below the target
	if v.Better == Lower {
		short = -short
	}
	switch {
	case short <= 0:
		return Green
	case short <= t.Tolerance:
		return Amber
	}
	return Red
}

func (t Target) String() string {
	return strconv.FormatFloat(t.Value, 'f', -1, 64) + " ± " + strconv.FormatFloat(t.Tolerance, 'f', -1, 64)
}

// targetSetting is the council setting that holds an indicator's target, as "value/tolerance"; each change is a
// new version, audited, so the targets' history is kept.
func targetSetting(code string) string { return "kpi_target:" + code }

// ErrUnknown is returned for an indicator code not in the dictionary.
var ErrUnknown = errors.New("no such indicator")

// Lookup finds an indicator by its code.
func Lookup(code string) (Indicator, error) {
	for _, ind := range Dictionary {
		if ind.Code == code {
			return ind, nil
		}
	}
	return Indicator{}, fmt.Errorf("%q: %w", code, ErrUnknown)
}

// SetTarget records a new target for an indicator.
func SetTarget(ctx context.Context, s *store.Store, actor store.Actor, code string, t Target) error {
	ind, err := Lookup(code)
	if err != nil {
		return err
	}
	if ind.Better == Neither {
		return fmt.Errorf("%s is context, not performance: it takes no target", code)
	}
	if math.IsNaN(t.Value) || math.IsInf(t.Value, 0) || t.Value < 0 || t.Tolerance < 0 || math.IsNaN(t.Tolerance) {
		return errors.New("a target and its tolerance are numbers, not less than 0")
	}
	_, err = s.SetSetting(ctx, actor, targetSetting(code), fmt.Sprintf("%g/%g", t.Value, t.Tolerance))
	return err
}

// Targets are the targets in force, by indicator code.
func Targets(ctx context.Context, s *store.Store) (map[string]Target, error) {
	out := map[string]Target{}
	for _, ind := range Dictionary {
		value, ok, err := s.Setting(ctx, targetSetting(ind.Code))
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		t, err := parseTarget(value)
		if err != nil {
			return nil, fmt.Errorf("target for %s: %w", ind.Code, err)
		}
		out[ind.Code] = t
	}
	return out, nil
}

// TargetHistory lists the targets an indicator has had, newest first.
func TargetHistory(ctx context.Context, s *store.Store, code string) ([]store.SettingVersion, error) {
	if _, err := Lookup(code); err != nil {
		return nil, err
	}
	return s.SettingHistory(ctx, targetSetting(code))
}

func parseTarget(s string) (Target, error) {
	value, tolerance, ok := strings.Cut(s, "/")
	v, err1 := strconv.ParseFloat(value, 64)
	tol, err2 := strconv.ParseFloat(tolerance, 64)
	if !ok || err1 != nil || err2 != nil {
		return Target{}, fmt.Errorf("%q is not value/tolerance", s)
	}
	return Target{v, tol}, nil
}
