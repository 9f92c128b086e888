package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/continuum-cs/continuum/internal/store"
)

// The OpenAPI 3 document is built from the routes and the forms themselves, so it cannot describe an action
// the API does not take, or miss a field one does.

type schema = map[string]any

// fieldSchema describes one field as JSON.
func fieldSchema(f fieldSpec) schema {
	s := schema{"description": f.Label}
	switch f.Control {
	case ctlDate:
		s["type"], s["format"] = "string", "date"
	case ctlDateTime:
		s["type"], s["format"] = "string", "date-time"
	case ctlCheckbox:
		s["type"] = "boolean"
	case ctlCheckboxes:
		s["type"] = "array"
		items := schema{"type": "string"}
		if f.fixed {
			items["enum"] = optionValues(f)
		}
		s["items"] = items
	default:
		s["type"] = "string"
		if f.numeric {
			s["type"] = "integer"
		}
		if f.fixed {
			s["enum"] = optionValues(f)
		}
	}
	return s
}

func optionValues(f fieldSpec) []any {
	var out []any
	for _, o := range f.options(nil) {
		if o.Value != "" {
			out = append(out, o.Value)
		}
	}
	return out
}

// objectSchema describes fields as a JSON object, nesting dotted names.
func objectSchema(fields []fieldSpec) schema {
	root := schema{"type": "object", "properties": schema{}, "additionalProperties": false}
	for _, f := range fields {
		obj, parts := root, strings.Split(f.Name, ".")
		for _, p := range parts[:len(parts)-1] {
			props := obj["properties"].(schema)
			child, ok := props[p].(schema)
			if !ok {
				child = schema{"type": "object", "properties": schema{}, "additionalProperties": false}
				props[p] = child
			}
			obj = child
		}
		obj["properties"].(schema)[parts[len(parts)-1]] = fieldSchema(f)
	}
	return root
}

// actionSchema is the body a recording action takes: its fields, extras and the controls of a change.
func actionSchema(rf *recordForm) schema {
	body := objectSchema(rf.Fields)
	props := body["properties"].(schema)
	props["record"] = schema{"type": "string", "description": "The record to change; without it a new record is made"}
	props["version"] = schema{"type": "integer", "description": "The version of the record changed, or guarded, as read"}
	props["guard"] = schema{"type": "string", "description": "The record a change of placement, legal status, allocation or closure is made from, as read"}
	props["why_changed"] = schema{"type": "string", "description": "Why a record is corrected"}
	props["retracted"] = schema{"type": "boolean", "description": "The corrected record was entered in error"}
	return body
}

var problemSchema = schema{"type": "object", "properties": schema{
	"type": schema{"type": "string"}, "title": schema{"type": "string"}, "status": schema{"type": "integer"},
	"detail": schema{"type": "string"}, "instance": schema{"type": "string"},
	"errors": schema{"type": "array", "items": schema{"type": "object", "properties": schema{
		"field": schema{"type": "string"}, "message": schema{"type": "string"}}}}}}

func problems(codes ...int) schema {
	out := schema{}
	for _, c := range codes {
		out[strconv.Itoa(c)] = schema{"description": http.StatusText(c), "content": schema{
			"application/problem+json": schema{"schema": schema{"$ref": "#/components/schemas/Problem"}}}}
	}
	return out
}

// openAPIDocument builds the document.
func (s *Server) openAPIDocument() schema {
	paths := schema{}
	add := func(pattern, summary string, public bool, body schema, ok string) {
		method, path, _ := strings.Cut(pattern, " ")
		op := schema{"summary": summary, "responses": problems(400, 401, 403, 404, 409, 413, 415)}
		op["responses"].(schema)[ok] = schema{"description": "Done", "content": schema{"application/json": schema{"schema": schema{"type": "object"}}}}
		if public {
			op["security"] = []any{}
		}
		var params []any
		for _, name := range []string{"id", "form"} {
			if strings.Contains(path, "{"+name+"}") {
				params = append(params, schema{"name": name, "in": "path", "required": true, "schema": schema{"type": "string"}})
			}
		}
		if method == http.MethodGet && (strings.HasSuffix(path, "/children") || strings.HasSuffix(path, "/records")) {
			params = append(params, schema{"name": "offset", "in": "query", "schema": schema{"type": "integer", "minimum": 0}},
				schema{"name": "limit", "in": "query", "schema": schema{"type": "integer", "minimum": 1, "maximum": 100}})
		}
		if params != nil {
			op["parameters"] = params
		}
		if body != nil {
			op["requestBody"] = schema{"required": true, "content": schema{"application/json": schema{"schema": body}}}
		}
		if paths[path] == nil {
			paths[path] = schema{}
		}
		paths[path].(schema)[strings.ToLower(method)] = op
	}
	for _, rt := range s.apiRoutes() {
		switch rt.pattern {
		case "POST /api/v1/children/{id}/actions/{form}":
			for _, rf := range recordForms {
				add("POST /api/v1/children/{id}/actions/"+rf.Slug, rf.Title, false, actionSchema(rf), "201")
			}
		case "POST /api/v1/sessions":
			add(rt.pattern, rt.summary, true, schema{"type": "object", "required": []any{"email", "password"},
				"properties": schema{"email": schema{"type": "string"}, "password": schema{"type": "string"}}}, "201")
		case "POST /api/v1/children":
			child := objectSchema(append(newChildForm.Fields, notAMatch))
			add(rt.pattern, rt.summary, false, child, "201")
		case "POST /api/v1/referrals":
			add(rt.pattern, rt.summary, false, objectSchema(referralForm.Fields), "201")
		case "POST /api/v1/front-door/referrals/{id}":
			add(rt.pattern, rt.summary, false, schema{"type": "object", "required": []any{"child_id"},
				"properties": schema{"child_id": schema{"type": "string", "description": `The child's ID, or "new" for a new child's record`}}}, "201")
		case "POST /api/v1/children/{id}/break-glass":
			add(rt.pattern, rt.summary, false, schema{"type": "object", "required": []any{"reason"},
				"properties": schema{"reason": schema{"type": "string", "minLength": 10, "maxLength": 2000}}}, "201")
		default:
			add(rt.pattern, rt.summary, rt.action == "", nil, "200")
		}
	}
	return schema{
		"openapi": "3.1.0",
		"info": schema{"title": "Continuum", "version": "1",
			"description": "Children's services casework. Every call is authorised by the same policy as the pages and audited."},
		"paths":    paths,
		"security": []any{schema{"bearer": []any{}}},
		"components": schema{
			"securitySchemes": schema{"bearer": schema{"type": "http", "scheme": "bearer"}},
			"schemas":         schema{"Problem": problemSchema},
		},
	}
}

func (s *Server) openAPI(*http.Request, *store.User) (int, any, error) {
	return http.StatusOK, s.openAPIDocument(), nil
}
