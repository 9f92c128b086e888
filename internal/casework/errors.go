// Package casework is the domain of Continuum: a child's journey through the continuum of need, from contact to care
// leaver, the rules that keep that journey consistent, and who may see or change it. It has no infrastructure
// imports: stores, web handlers and returns are adapters around it.
package casework

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// The sentinel errors every adapter maps to its own vocabulary (HTTP status, exit code, problem type).
var (
	ErrNotFound  = errors.New("not found")
	ErrConflict  = errors.New("conflict")
	ErrForbidden = errors.New("forbidden")
	ErrInvalid   = errors.New("invalid")
)

// FieldError says what is wrong with one field. Field is the snake_case name a form or API uses
// ("nhs_number", "placements[2].start").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// ValidationError carries every field-level problem found, so a form can show them all at once in a GOV.UK error
// summary. It matches ErrInvalid with errors.Is.
type ValidationError struct {
	Fields []FieldError `json:"fields"`
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Error()
	}
	return strings.Join(msgs, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true for every ValidationError.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// problems accumulates field errors while a value is checked.
type problems struct{ list []FieldError }

func (p *problems) add(field, format string, args ...any) {
	p.list = append(p.list, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// addErr records err against field unless it is nil.
func (p *problems) addErr(field string, err error) {
	if err != nil {
		p.add(field, "%s", err.Error())
	}
}

// merge adds another value's problems with their fields prefixed, as in "placement.start".
func (p *problems) merge(prefix string, err error) {
	var v *ValidationError
	if errors.As(err, &v) {
		for _, f := range v.Fields {
			p.list = append(p.list, FieldError{Field: prefix + f.Field, Message: f.Message})
		}
	} else if err != nil {
		p.add(strings.TrimSuffix(prefix, "."), "%s", err.Error())
	}
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	sort.SliceStable(p.list, func(i, j int) bool { return p.list[i].Field < p.list[j].Field })
	return &ValidationError{Fields: p.list}
}

// Invalid returns a ValidationError for a single field; adapters use it for problems found outside the domain, such
// as a malformed form value.
func Invalid(field, format string, args ...any) error {
	var p problems
	p.add(field, format, args...)
	return p.err()
}
