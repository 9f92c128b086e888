package cin

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
)

// Source says who produced a return: the council's DfE LA number (three digits, such as 825), the software and
// its release, and when.
type Source struct {
	LA       string
	Software string
	Release  string
	Produced time.Time
}

type header struct {
	XMLName       struct{}   `xml:"Header"`
	Collection    string     `xml:"CollectionDetails>Collection"`
	Year          int        `xml:"CollectionDetails>Year"`
	ReferenceDate civil.Date `xml:"CollectionDetails>ReferenceDate"`
	Source        source     `xml:"Source"`
}

type source struct {
	Level    string `xml:"SourceLevel"`
	LA       string `xml:"LEA"`
	Software string `xml:"SoftwareCode"`
	Release  string `xml:"Release"`
	Serial   string `xml:"SerialNo"`
	At       string `xml:"DateTime"`
}

var laNumber = regexp.MustCompile(`^\d{3}$`)

// Writer writes a census one child at a time, so a return of any size is written in the memory of one child.
type Writer struct {
	enc      *xml.Encoder
	children int
}

// NewWriter starts a census for the year y from src on w.
func NewWriter(w io.Writer, y returns.Year, src Source) (*Writer, error) {
	if !laNumber.MatchString(src.LA) {
		return nil, fmt.Errorf("LA number %q: want the council's three-digit DfE LA number, such as 825", src.LA)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return nil, err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	h := header{Collection: "CIN", Year: y.End.Year, ReferenceDate: y.End, Source: source{Level: "L", LA: src.LA,
		Software: src.Software, Release: src.Release, Serial: "001", At: src.Produced.UTC().Format("2006-01-02T15:04:05Z")}}
	if err := enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: "Message"}}); err != nil {
		return nil, err
	}
	if err := enc.Encode(h); err != nil {
		return nil, err
	}
	if err := enc.EncodeToken(xml.StartElement{Name: xml.Name{Local: "Children"}}); err != nil {
		return nil, err
	}
	return &Writer{enc: enc}, nil
}

// Write adds a child.
func (w *Writer) Write(c *Child) error {
	w.children++
	return w.enc.Encode(c)
}

// Children is how many children have been written.
func (w *Writer) Children() int { return w.children }

// ErrNoChildren is a census with nobody in it, which the schema does not allow.
var ErrNoChildren = errors.New("no child is in scope for the year: a census needs at least one")

// Close ends the census. A census needs at least one child.
func (w *Writer) Close() error {
	if w.children == 0 {
		return ErrNoChildren
	}
	for _, name := range []string{"Children", "Message"} {
		if err := w.enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: name}}); err != nil {
			return err
		}
	}
	if err := w.enc.Close(); err != nil {
		return err
	}
	return nil
}

// Reads are the kinds of record the census is made from, besides the child's own.
var Reads = []casework.Kind{casework.KindEpisode, casework.KindAssessment, casework.KindCINPlan, casework.KindStrategy,
	casework.KindSection47, casework.KindConference, casework.KindCPPlan}

// Export writes the census for the year y from every child's file in the store, reading the files in batches;
// the read is audited as one report. It returns how many children it wrote.
func Export(ctx context.Context, s *store.Store, actor store.Actor, y returns.Year, src Source, w io.Writer) (int, error) {
	return export(ctx, s, actor, "CIN census "+y.String(), y, src, w, nil)
}

// export writes the census, telling seen (if given) which file each child came from.
func export(ctx context.Context, s *store.Store, actor store.Actor, what string, y returns.Year, src Source, w io.Writer,
	seen func(c *Child, fileID string)) (int, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	out, err := NewWriter(w, y, src)
	if err != nil {
		return 0, err
	}
	err = s.EachChildWith(ctx, actor, what, casework.KindEpisode, y.Start, y.End, Reads, func(f *casework.File) error {
		c, ok := ChildOf(f, y, cal)
		if !ok {
			return nil
		}
		if seen != nil {
			seen(c, f.Person().ID)
		}
		return out.Write(c)
	})
	if err != nil {
		return out.Children(), err
	}
	return out.Children(), out.Close()
}

// Issue is a finding on the council's own data, with the file to fix.
type Issue struct {
	Finding
	FileID string
}

// Check validates the census the store's records make for the year y, all year round, and returns the findings
// with the file each came from, errors first. The read is audited as one report.
func Check(ctx context.Context, s *store.Store, actor store.Actor, y returns.Year) ([]Issue, Summary, error) {
	var buf bytes.Buffer
	files := map[string]string{}
	_, err := export(ctx, s, actor, "CIN data quality "+y.String(), y, Source{LA: "000", Produced: s.Now()}, &buf,
		func(c *Child, fileID string) { files[c.Identifiers.LAChildID] = fileID })
	if errors.Is(err, ErrNoChildren) {
		return nil, Summary{}, nil // nobody in scope: nothing to find
	}
	if err != nil {
		return nil, Summary{}, err
	}
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, Summary{}, err
	}
	var issues []Issue
	sum, err := Validate(&buf, cal, func(f Finding) { issues = append(issues, Issue{f, files[f.Child]}) })
	slices.SortStableFunc(issues, func(a, b Issue) int { return strings.Compare(string(a.Severity), string(b.Severity)) })
	return issues, sum, err
}
