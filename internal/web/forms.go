package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
)

// One form engine serves every recording page. A form is a list of fields named by the JSON names of the domain's
// records, so what a practitioner types becomes the same JSON the API accepts, is decoded into the record and is
// checked by the record's own Validate and the file's invariants. Their messages come back keyed by those names
// and land beside the field that caused them.

// control is how a field is asked for.
type control string

const (
	ctlText       control = "text"
	ctlTextarea   control = "textarea"
	ctlDate       control = "date"       // GOV.UK date input: three boxes, read as YYYY-MM-DD
	ctlDateTime   control = "datetime"   // a date input and a 24-hour time, read as an instant in London
	ctlSelect     control = "select"     // one of many options
	ctlRadios     control = "radios"     // one of a few options
	ctlCheckbox   control = "checkbox"   // yes or no, read as a JSON boolean
	ctlCheckboxes control = "checkboxes" // any of several options, read as a JSON list
)

type option struct{ Value, Label string }

// fieldSpec is one field of a form.
type fieldSpec struct {
	// Name is the record's JSON field, dotted into nested objects ("lead_professional.name"). On a form that
	// makes several records it starts with the record's kind ("placement.type").
	Name    string
	Label   string
	Hint    string
	Control control
	Width   string
	// options lists the choices of a select, radios or checkboxes; it may depend on the child's file.
	options func(c *formCtx) []option
	// extra fields belong to no record: the form's save reads them itself.
	extra bool
	// numeric radios send a whole number, not text.
	numeric bool
	// fixed options are the same for every file, so the API's document can list them.
	fixed bool
}

func (f fieldSpec) hint(h string) fieldSpec  { f.Hint = h; return f }
func (f fieldSpec) width(w string) fieldSpec { f.Width = w; return f }
func (f fieldSpec) asExtra() fieldSpec       { f.extra = true; return f }
func (f fieldSpec) asNumber() fieldSpec      { f.numeric = true; return f }
func text(name, label string) fieldSpec      { return fieldSpec{Name: name, Label: label, Control: ctlText} }
func area(name, label string) fieldSpec {
	return fieldSpec{Name: name, Label: label, Control: ctlTextarea}
}
func date(name, label string) fieldSpec { return fieldSpec{Name: name, Label: label, Control: ctlDate} }
func dateTime(name, label string) fieldSpec {
	return fieldSpec{Name: name, Label: label, Control: ctlDateTime}
}
func yes(name, label string) fieldSpec {
	return fieldSpec{Name: name, Label: label, Control: ctlCheckbox}
}
func fixedOptions(opts ...option) func(*formCtx) []option {
	return func(*formCtx) []option { return opts }
}

// choice is a field with a fixed set of options, as radios.
func choice(name, label string, opts ...option) fieldSpec {
	return fieldSpec{Name: name, Label: label, Control: ctlRadios, options: fixedOptions(opts...), fixed: true}
}

// listed is a field whose options are a short local code list, as radios labelled by the codes' descriptions.
func listed(name, label string, list casework.CodeList) fieldSpec {
	var opts []option
	for _, c := range casework.Codes(list) {
		opts = append(opts, option{c.Code, c.Description})
	}
	return choice(name, label, opts...)
}

// codes is a field whose options are a statutory code list, as a select.
func codes(name, label string, list casework.CodeList, except ...string) fieldSpec {
	return fieldSpec{Name: name, Label: label, Control: ctlSelect, fixed: true, options: func(*formCtx) []option {
		var out []option
		for _, c := range casework.Codes(list) {
			if !slices.Contains(except, c.Code) {
				out = append(out, option{c.Code, c.Code + ": " + sentence(c.Description)})
			}
		}
		return out
	}}
}

// sentence writes a description the DfE keeps in capitals as ordinary text.
func sentence(s string) string {
	if strings.ToUpper(s) != s {
		return s
	}
	lower := strings.ToLower(s)
	r, n := utf8.DecodeRuneInString(lower)
	return string(unicode.ToUpper(r)) + lower[n:]
}

// fieldView is a field ready to show: its spec, what to show in it, and its message if it has one.
type fieldView struct {
	fieldSpec
	Value             string
	Day, Month, Year  string
	Time              string
	Checked           bool
	Chosen            map[string]bool
	Options           []option
	Error             string
	DescribedBy       string
	HasHint, HasError bool
}

// views lays out fields with the values in vals (as a form sends them) and the messages in errs.
func views(specs []fieldSpec, c *formCtx, vals url.Values, errs []casework.FieldError) []fieldView {
	out := make([]fieldView, len(specs))
	for i, s := range specs {
		v := fieldView{fieldSpec: s, Value: vals.Get(s.Name), Day: vals.Get(s.Name + "-day"),
			Month: vals.Get(s.Name + "-month"), Year: vals.Get(s.Name + "-year"), Time: vals.Get(s.Name + "-time"),
			Checked: vals.Get(s.Name) == "yes", Chosen: map[string]bool{}, Error: fieldError(errs, s.Name)}
		for _, x := range vals[s.Name] {
			v.Chosen[x] = true
		}
		if s.options != nil {
			v.Options = s.options(c)
		}
		switch {
		case s.Hint != "":
		case s.Control == ctlDate:
			s.Hint = "For example, 27 3 2026"
		case s.Control == ctlDateTime:
			s.Hint = "For example, 27 3 2026 and the time 14:30"
		}
		v.fieldSpec = s
		var ids []string
		if s.Hint != "" {
			ids = append(ids, s.Name+"-hint")
		}
		if v.Error != "" {
			ids = append(ids, s.Name+"-error")
		}
		v.DescribedBy, v.HasHint, v.HasError = strings.Join(ids, " "), s.Hint != "", v.Error != ""
		out[i] = v
	}
	return out
}

// optionLabel is the label of the option whose value is v, and whether there is one; v itself when not.
func optionLabel(opts []option, v string) (string, bool) {
	for _, o := range opts {
		if o.Value == v {
			return o.Label, true
		}
	}
	return v, false
}

// hasEmpty tells whether a list of options offers "none" already, so a select needs no "Choose" of its own.
func hasEmpty(opts []option) bool {
	return slices.ContainsFunc(opts, func(o option) bool { return o.Value == "" })
}

// decode reads a form's fields into JSON objects, one per record kind the form makes ("" when it makes one), on top
// of base (the stored record's JSON when the form changes one). It returns a message per field it cannot read.
func decode(specs []fieldSpec, vals url.Values, base map[string]map[string]any, multi bool) (map[string]map[string]any, []casework.FieldError) {
	out := map[string]map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	var errs []casework.FieldError
	bad := func(s fieldSpec, msg string) {
		errs = append(errs, casework.FieldError{Field: s.Name, Message: s.Label + " " + msg})
	}
	for _, s := range specs {
		if s.extra {
			continue
		}
		var value any
		raw := strings.TrimSpace(vals.Get(s.Name))
		switch s.Control {
		case ctlDate, ctlDateTime:
			d, msg := dateInput(strings.TrimSpace(vals.Get(s.Name+"-day")), strings.TrimSpace(vals.Get(s.Name+"-month")),
				strings.TrimSpace(vals.Get(s.Name+"-year")))
			if msg != "" {
				bad(s, msg)
				continue
			}
			if s.Control == ctlDate {
				if !d.IsZero() {
					value = d.String()
				}
				break
			}
			at, msg := timeInput(d, strings.TrimSpace(vals.Get(s.Name+"-time")))
			if msg != "" {
				bad(s, msg)
				continue
			}
			if !at.IsZero() {
				value = at.Format(time.RFC3339)
			}
		case ctlCheckbox:
			value = raw == "yes"
		case ctlCheckboxes:
			if list := vals[s.Name]; len(list) > 0 {
				value = slices.Clone(list)
			}
		case ctlRadios, ctlSelect:
			if raw == "" {
				break
			}
			value = raw
			if s.numeric {
				n, err := strconv.Atoi(raw)
				if err != nil {
					bad(s, "must be one of the choices given")
					continue
				}
				value = n
			}
		default:
			if raw != "" {
				value = raw
			}
		}
		kind, path := "", s.Name
		if multi {
			kind, path, _ = strings.Cut(s.Name, ".")
		}
		if out[kind] == nil {
			out[kind] = map[string]any{}
		}
		setPath(out[kind], path, value)
	}
	return out, errs
}

// setPath sets a dotted path in a JSON object, making the objects on the way; a nil value removes the key, so
// a field cleared on the form is cleared on the record.
func setPath(obj map[string]any, path string, value any) {
	head, rest, nested := strings.Cut(path, ".")
	if !nested {
		if value == nil {
			delete(obj, head)
		} else {
			obj[head] = value
		}
		return
	}
	child, ok := obj[head].(map[string]any)
	if !ok {
		child = map[string]any{}
		obj[head] = child
	}
	setPath(child, rest, value)
}

// getPath reads a dotted path from a JSON object.
func getPath(obj map[string]any, path string) any {
	head, rest, nested := strings.Cut(path, ".")
	if !nested {
		return obj[head]
	}
	child, _ := obj[head].(map[string]any)
	return getPath(child, rest)
}

// asJSON is a record's content as a JSON object.
func asJSON(r casework.Record) (map[string]any, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

// fromJSON decodes a JSON object into a new record of kind k. A field of the wrong type, or one the record does
// not have, is refused by name.
func fromJSON(k casework.Kind, obj map[string]any) (casework.Record, error) {
	r, err := casework.NewRecord(k)
	if err != nil {
		return nil, err
	}
	return r, decodeJSON(r, string(k), obj)
}

// decodeJSON decodes a JSON object into dst, a what. A field of the wrong type, or one dst does not have, is
// refused by name.
func decodeJSON(dst any, what string, obj map[string]any) error {
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
			return casework.Invalid(te.Field, "must be a JSON %s, not %s", jsonType(te.Type.Kind()), te.Value)
		}
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return casework.Invalid(strings.Trim(name, `"`), "is not a field of a %s", what)
		}
		return casework.Invalid(what, "could not be read: %v", err)
	}
	return nil
}

// jsonType names a Go kind as JSON does.
func jsonType(k reflect.Kind) string {
	switch k {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "number"
	case reflect.Slice:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return "string"
}

// encode writes a record's JSON into form values, the way the fields show them.
func encode(specs []fieldSpec, objs map[string]map[string]any, multi bool, vals url.Values) {
	for _, s := range specs {
		if s.extra {
			continue
		}
		kind, path := "", s.Name
		if multi {
			kind, path, _ = strings.Cut(s.Name, ".")
		}
		v := getPath(objs[kind], path)
		switch s.Control {
		case ctlDate, ctlDateTime:
			str, _ := v.(string)
			var d civil.Date
			if s.Control == ctlDateTime {
				if t, err := time.Parse(time.RFC3339, str); err == nil {
					t = t.In(casework.London())
					d = civil.Of(t)
					vals.Set(s.Name+"-time", t.Format("15:04"))
				}
			} else {
				d, _ = civil.Parse(str)
			}
			if !d.IsZero() {
				vals.Set(s.Name+"-day", strconv.Itoa(d.Day))
				vals.Set(s.Name+"-month", strconv.Itoa(int(d.Month)))
				vals.Set(s.Name+"-year", strconv.Itoa(d.Year))
			}
		case ctlCheckbox:
			if b, _ := v.(bool); b {
				vals.Set(s.Name, "yes")
			}
		case ctlCheckboxes:
			list, _ := v.([]any)
			for _, x := range list {
				vals.Add(s.Name, fmt.Sprint(x))
			}
		default:
			if v != nil {
				vals.Set(s.Name, fmt.Sprint(v))
			}
		}
	}
}

// timeInput reads a 24-hour time on date d as an instant in London. No date and no time is no instant.
func timeInput(d civil.Date, clock string) (time.Time, string) {
	if d.IsZero() {
		if clock != "" {
			return time.Time{}, "must include a date as well as a time"
		}
		return time.Time{}, ""
	}
	if clock == "" {
		return time.Time{}, "must include a time, like 14:30"
	}
	t, err := time.Parse("15:04", clock)
	if err != nil {
		return time.Time{}, "must be a time on the 24-hour clock, like 14:30"
	}
	return time.Date(d.Year, d.Month, d.Day, t.Hour(), t.Minute(), 0, 0, casework.London()), ""
}

// indexSuffix matches a list position in a field name, as in "factors[2]".
var indexSuffix = regexp.MustCompile(`\[[0-9]+\].*$`)

// placeErrors puts each domain message beside the field it is about, in words that name the field: "is required"
// becomes "Date of the visit is required". A message about something the form does not ask for goes to the
// first field, so it is still shown and linked.
func placeErrors(specs []fieldSpec, errs []casework.FieldError) []casework.FieldError {
	byName := map[string]fieldSpec{}
	for _, s := range specs {
		byName[s.Name] = s
	}
	out := make([]casework.FieldError, 0, len(errs))
	for _, e := range errs {
		name := indexSuffix.ReplaceAllString(e.Field, "")
		s, ok := byName[name]
		if !ok {
			if _, rest, cut := strings.Cut(name, "."); cut {
				s, ok = byName[rest]
			}
		}
		if !ok && len(specs) > 0 {
			s = specs[0]
		}
		msg := e.Message
		switch first, _, _ := strings.Cut(msg, " "); first {
		case "is", "are", "must", "cannot", "has":
			msg = s.Label + " " + msg
		default:
			r, n := utf8.DecodeRuneInString(msg)
			msg = string(unicode.ToUpper(r)) + msg[n:]
		}
		out = append(out, casework.FieldError{Field: s.Name, Message: msg})
	}
	return out
}
