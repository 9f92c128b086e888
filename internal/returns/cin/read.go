package cin

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
)

// Header is what a census says of its year.
type Header struct {
	Year          int        `xml:"CollectionDetails>Year"`
	ReferenceDate civil.Date `xml:"CollectionDetails>ReferenceDate"`
}

// year is the collection year that ends on the reference date.
func (h Header) year() returns.Year {
	return returns.Year{Start: civil.Date{Year: h.ReferenceDate.Year - 1, Month: 4, Day: 1}, End: h.ReferenceDate}
}

// errNoYear is a child before any header that says the census's year.
var errNoYear = errors.New("no Header with a ReferenceDate before the first child: the census year is unknown")

// maxChildBytes bounds one child's element: a real child is a few kilobytes, so anything near this is hostile or
// broken, and refusing it keeps the memory a census takes to read independent of what is in it.
const maxChildBytes = 1 << 20

// UnmarshalText reads a yes/no element: 1 or 0, or true or false as the DfE's loader also accepts.
func (f *flag) UnmarshalText(b []byte) error {
	switch string(b) {
	case "1", "true":
		*f = true
	case "0", "false":
		*f = false
	default:
		return fmt.Errorf("%q is not 0 or 1", b)
	}
	return nil
}

// ReadError is a census that cannot be read at all: not XML, or not shaped like a census.
type ReadError struct {
	Line int
	Err  error
}

func (e *ReadError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *ReadError) Unwrap() error { return e.Err }

// Read streams a census from r: its header, then each child with the line its element starts on, one at a time,
// so that memory does not grow with the file. A document type declaration is refused, so no entity is ever
// defined, let alone expanded; so is a child element over a megabyte.
func Read(r io.Reader, header func(Header) error, child func(c *Child, line int) error) error {
	lim := &limitedReader{r: r}
	dec := xml.NewDecoder(lim)
	dec.Strict = true
	depth, children := 0, 0
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return &ReadError{line, err}
		}
		switch t := tok.(type) {
		case xml.Directive:
			return &ReadError{line, errors.New("a document type declaration is not allowed in a census")}
		case xml.StartElement:
			depth++
			switch {
			case depth == 1 && t.Name.Local != "Message":
				return &ReadError{line, fmt.Errorf("the root element is %s, not Message", t.Name.Local)}
			case depth == 2 && t.Name.Local == "Header":
				var h Header
				if err := dec.DecodeElement(&h, &t); err != nil {
					return &ReadError{line, fmt.Errorf("Header: %w", err)}
				}
				depth--
				if err := header(h); err != nil {
					return err
				}
			case depth == 3 && t.Name.Local == "Child":
				lim.remaining = maxChildBytes
				var c Child
				if err := dec.DecodeElement(&c, &t); err != nil {
					if errors.Is(err, errTooBig) {
						return &ReadError{line, errTooBig}
					}
					return &ReadError{line, fmt.Errorf("Child: %w", err)}
				}
				lim.remaining = 0
				depth--
				children++
				if err := child(&c, line); err != nil {
					return err
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	if children == 0 {
		return &ReadError{1, errors.New("no Child elements: not a census, or an empty one")}
	}
	return nil
}

var errTooBig = fmt.Errorf("a Child element over %d bytes", maxChildBytes)

// limitedReader fails a read once a child has taken its budget of bytes (remaining > 0 while one is read).
type limitedReader struct {
	r         io.Reader
	remaining int
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.remaining <= 0 {
		return l.r.Read(p)
	}
	if len(p) > l.remaining {
		p = p[:l.remaining]
	}
	n, err := l.r.Read(p)
	l.remaining -= n
	if l.remaining <= 0 && err == nil {
		return n, errTooBig
	}
	return n, err
}
