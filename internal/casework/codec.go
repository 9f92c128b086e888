package casework

import (
	"encoding/json"

	"fmt"
	gojson "github.com/goccy/go-json"
)

// EncodeRecord returns a record's stored content: every field but its Meta, as JSON.
func EncodeRecord(r Record) ([]byte, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", r.Kind(), err)
	}
	return b, nil
}

// DecodeRecord rebuilds a record of the given kind from its stored content and metadata.
func DecodeRecord(k Kind, body []byte, m Meta) (Record, error) {
	r, err := NewRecord(k)
	if err != nil {
		return nil, err
	}
	if err := gojson.Unmarshal(body, r); err != nil {
		return nil, fmt.Errorf("decode %s %s: %w", k, m.ID, err)
	}
	*r.Base() = m
	return r, nil
}

// copyRecord copies src's content and metadata into dst, which must be of the same kind. Slices are copied too,
// so the copy can be changed freely.
func copyRecord(dst, src Record) {
	b, err := json.Marshal(src)
	if err != nil {
		panic(fmt.Sprintf("casework: record %s cannot be copied: %v", src.Kind(), err))
	}
	if err := json.Unmarshal(b, dst); err != nil {
		panic(fmt.Sprintf("casework: record %s cannot be copied: %v", src.Kind(), err))
	}
	*dst.Base() = *src.Base()
}
