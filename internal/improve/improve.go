// Package improve is the council's improvement plan and its improvement board's challenge log: priorities, the
// actions under them with owners, due dates, status, evidence and the indicators they should move, and the
// challenges the board raises with their owners and responses. Every change is a new version, kept with who
// made it and when.
package improve

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/kpi"
	"github.com/continuum-cs/continuum/internal/store"
)

// The kinds of entry.
const (
	KindPriority  = "priority"
	KindAction    = "action"
	KindChallenge = "challenge"
)

// Statuses an action can have, in the order a plan reads them.
var Statuses = []string{"not started", "on track", "at risk", "off track", "done"}

// Priority is one of the plan's priorities.
type Priority struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// Action is a step towards a priority.
type Action struct {
	Priority   string     `json:"priority"` // the priority's ID
	Title      string     `json:"title"`
	Owner      string     `json:"owner"`
	Due        civil.Date `json:"due"`
	Status     string     `json:"status"`
	Evidence   string     `json:"evidence,omitempty"`
	Indicators []string   `json:"indicators,omitempty"` // codes from the KPI dictionary
}

// Challenge is a question the board raised and how it was answered.
type Challenge struct {
	Raised    civil.Date `json:"raised"`
	RaisedBy  string     `json:"raised_by"`
	Challenge string     `json:"challenge"`
	Owner     string     `json:"owner"`
	Response  string     `json:"response,omitempty"`
	Closed    civil.Date `json:"closed,omitzero"`
}

// Overdue tells whether an action not done was due before today.
func (a Action) Overdue(today civil.Date) bool { return a.Status != "done" && a.Due.Before(today) }

// Open tells whether a challenge is still open.
func (c Challenge) Open() bool { return c.Closed.IsZero() }

// Item is an entry as it stands, with the version a change must be made from.
type Item[T any] struct {
	store.Entry
	Value T
}

// Plan is the whole improvement plan and challenge log as they stand.
type Plan struct {
	Priorities []Item[Priority]
	Actions    []Item[Action]
	Challenges []Item[Challenge]
}

// ActionsFor is the plan's actions for one priority, in the plan's order.
func (p Plan) ActionsFor(priorityID string) []Item[Action] {
	var out []Item[Action]
	for _, a := range p.Actions {
		if a.Value.Priority == priorityID {
			out = append(out, a)
		}
	}
	return out
}

// Load reads the plan.
func Load(ctx context.Context, s *store.Store) (Plan, error) {
	var p Plan
	var err error
	if p.Priorities, err = load[Priority](ctx, s, KindPriority); err != nil {
		return p, err
	}
	if p.Actions, err = load[Action](ctx, s, KindAction); err != nil {
		return p, err
	}
	slices.SortStableFunc(p.Actions, func(a, b Item[Action]) int { return a.Value.Due.Compare(b.Value.Due) })
	p.Challenges, err = load[Challenge](ctx, s, KindChallenge)
	return p, err
}

func load[T any](ctx context.Context, s *store.Store, kind string) ([]Item[T], error) {
	entries, err := s.Entries(ctx, kind)
	if err != nil {
		return nil, err
	}
	out := make([]Item[T], len(entries))
	for i, e := range entries {
		out[i].Entry = e
		if err := json.Unmarshal([]byte(e.Body), &out[i].Value); err != nil {
			return nil, fmt.Errorf("%s %s v%d: %w", kind, e.ID, e.Version, err)
		}
	}
	return out, nil
}

// Save checks an entry and records it as a new version of id (a new entry when id is ""), made from version
// base. Its errors list each field that is wrong.
func Save(ctx context.Context, s *store.Store, actor store.Actor, id string, base int, v any, today civil.Date) (store.Entry, error) {
	kind, problems := Check(ctx, s, v, today)
	if len(problems) > 0 {
		return store.Entry{}, problems
	}
	body, err := json.Marshal(v)
	if err != nil {
		return store.Entry{}, err
	}
	return s.SaveEntry(ctx, actor, store.Entry{ID: id, Kind: kind, Body: string(body)}, base)
}

// Problems are the fields of an entry that are wrong.
type Problems []casework.FieldError

func (p Problems) Error() string {
	var parts []string
	for _, e := range p {
		parts = append(parts, e.Field+": "+e.Message)
	}
	return strings.Join(parts, "; ")
}

func (Problems) Unwrap() error { return casework.ErrInvalid }

// Check finds what is wrong with an entry, field by field, and names its kind.
func Check(ctx context.Context, s *store.Store, v any, today civil.Date) (string, Problems) {
	var p Problems
	need := func(field, value, message string) {
		if strings.TrimSpace(value) == "" {
			p = append(p, casework.FieldError{Field: field, Message: message})
		}
	}
	switch e := v.(type) {
	case *Priority:
		need("title", e.Title, "Enter the priority")
		return KindPriority, p
	case *Action:
		need("title", e.Title, "Enter what the action is")
		need("owner", e.Owner, "Enter who owns the action")
		if e.Due.IsZero() {
			p = append(p, casework.FieldError{Field: "due", Message: "Due date must be a real date, like 2027-03-31"})
		}
		if !slices.Contains(Statuses, e.Status) {
			p = append(p, casework.FieldError{Field: "status", Message: "Choose the action's status"})
		}
		priorities, err := s.Entries(ctx, KindPriority)
		if err != nil || !slices.ContainsFunc(priorities, func(x store.Entry) bool { return x.ID == e.Priority }) {
			p = append(p, casework.FieldError{Field: "priority", Message: "Choose the priority the action serves"})
		}
		for _, code := range e.Indicators {
			if _, err := kpi.Lookup(code); err != nil {
				p = append(p, casework.FieldError{Field: "indicators", Message: "No indicator has the code " + code})
			}
		}
		return KindAction, p
	case *Challenge:
		need("challenge", e.Challenge, "Enter the challenge")
		need("raised_by", e.RaisedBy, "Enter who raised the challenge")
		need("owner", e.Owner, "Enter who owns the response")
		if e.Raised.IsZero() || e.Raised.After(today) {
			p = append(p, casework.FieldError{Field: "raised", Message: "Date raised must be a real date, not in the future"})
		}
		if !e.Closed.IsZero() {
			need("response", e.Response, "Enter the response before closing the challenge")
			if e.Closed.Before(e.Raised) || e.Closed.After(today) {
				p = append(p, casework.FieldError{Field: "closed", Message: "Date closed must be on or after the date raised, and not in the future"})
			}
		}
		return KindChallenge, p
	}
	panic(fmt.Sprintf("improve: no entry of type %T", v))
}
