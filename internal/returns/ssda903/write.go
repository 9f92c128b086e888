package ssda903

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
)

// Writer writes the eleven tables, one row at a time, each to its own CSV with its heading first.
type Writer struct {
	out      []*csv.Writer
	cells    []string
	children int
}

// NewWriter writes each table to the writer given for it, in the order of Tables.
func NewWriter(outs []io.Writer) (*Writer, error) {
	if len(outs) != len(Tables) {
		return nil, fmt.Errorf("ssda903: want %d outputs, one per table, not %d", len(Tables), len(outs))
	}
	w := &Writer{}
	for i, t := range Tables {
		cw := csv.NewWriter(outs[i])
		if err := cw.Write(t.Columns); err != nil {
			return nil, err
		}
		w.out = append(w.out, cw)
	}
	return w, nil
}

// Write adds one child's rows (or a whole return's) to the tables.
func (w *Writer) Write(r *Return) error {
	w.children += len(r.Header)
	for i, t := range Tables {
		for j := range t.Len(r) {
			w.cells = t.record(r, j, w.cells)
			if err := w.out[i].Write(w.cells); err != nil {
				return err
			}
		}
	}
	return nil
}

// Children is how many children's headers have been written.
func (w *Writer) Children() int { return w.children }

// Flush writes out what is buffered and reports the first error any table met.
func (w *Writer) Flush() error {
	var errs []error
	for _, cw := range w.out {
		cw.Flush()
		errs = append(errs, cw.Error())
	}
	return errors.Join(errs...)
}

// WriteDir writes the tables into dir under their usual file names. fill writes the rows; the files appear only
// once it and every write have succeeded, so a failed export leaves none half-written.
func WriteDir(dir string, fill func(*Writer) error) (err error) {
	tmps := make([]*os.File, 0, len(Tables))
	defer func() {
		for _, f := range tmps {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	outs := make([]io.Writer, 0, len(Tables))
	for _, t := range Tables {
		f, err := os.CreateTemp(dir, t.File+".*.tmp")
		if err != nil {
			return err
		}
		tmps = append(tmps, f)
		outs = append(outs, f)
	}
	w, err := NewWriter(outs)
	if err != nil {
		return err
	}
	if err := fill(w); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	for _, f := range tmps {
		if err := f.Close(); err != nil {
			return err
		}
	}
	for i, t := range Tables {
		if err := os.Rename(tmps[i].Name(), filepath.Join(dir, t.File)); err != nil {
			return err
		}
	}
	tmps = nil
	return nil
}

// Export writes the return for year y from the store into dir and returns how many children it holds. Every
// child who was ever looked after by the end of the year is read (care leavers' rows depend on care that ended
// years before); each child read is audited.
func Export(ctx context.Context, s *store.Store, actor store.Actor, y returns.Year, dir string) (int, error) {
	n := 0
	err := WriteDir(dir, func(w *Writer) error {
		err := eachChild(ctx, s, actor, "SSDA903 "+y.String(), y, func(_ *casework.File, r *Return) error { return w.Write(r) })
		n = w.Children()
		return err
	})
	return n, err
}

// eachChild calls fn with the file and rows of every child in the return for year y, as Export describes.
func eachChild(ctx context.Context, s *store.Store, actor store.Actor, what string, y returns.Year,
	fn func(*casework.File, *Return) error) error {
	registrations, err := s.Registrations(ctx)
	if err != nil {
		return err
	}
	// Children ever looked after, and care leavers whose care is not held here (migrated from a return).
	scopes := []store.Scope{{Kind: casework.KindLegalStatus, From: longAgo, To: y.End},
		{Kind: casework.KindCareLeaver, From: longAgo, To: y.End}}
	return s.EachChildIn(ctx, actor, what, store.ByLAChildID, scopes, Reads, func(f *casework.File) error {
		if r, ok := ChildOf(f, y, registrations); ok {
			return fn(f, &r)
		}
		return nil
	})
}

// longAgo is a day before anyone now a child or care leaver was looked after.
var longAgo = civil.Date{Year: 1900, Month: 1, Day: 1}

// Bundle packs the files of a return written to dir into one zip archive, in table order and with a fixed
// timestamp, so the same files always make the same bytes: the form a return is kept in.
func Bundle(dir string, out io.Writer) error {
	zw := zip.NewWriter(out)
	for _, t := range Tables {
		body, err := os.ReadFile(filepath.Join(dir, t.File))
		if err != nil {
			return err
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: t.File, Method: zip.Deflate, Modified: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		if _, err := fw.Write(body); err != nil {
			return err
		}
	}
	return zw.Close()
}
