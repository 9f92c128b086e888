package ssda903

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// maxFile is the largest table file read: England's biggest (episodes) is a few tens of megabytes.
const maxFile = 512 << 20

// ReadError says which file, and where in it, could not be read as an SSDA903 table.
type ReadError struct {
	File string
	Line int
	Err  error
}

func (e *ReadError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s line %d: %v", e.File, e.Line, e.Err)
}

func (e *ReadError) Unwrap() error { return e.Err }

// Read reads a return from a directory of .csv files, or from a .zip of them such as a kept submission. Each
// file is recognised by its columns, as the DfE's validator does, whatever its name. A file that is no table, or
// a second file for the same table, is refused.
func Read(path string) (*Return, error) {
	if !strings.EqualFold(filepath.Ext(path), ".zip") {
		return readFS(os.DirFS(path), path)
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	return readFS(z, path)
}

// ReadZip reads a return from a .zip of its files held in memory, such as a kept submission.
func ReadZip(body []byte) (*Return, error) {
	z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, err
	}
	return readFS(z, "the zip")
}

func readFS(fsys fs.FS, where string) (*Return, error) {
	names, err := fs.Glob(fsys, "*.csv")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: no .csv files", where)
	}
	sort.Strings(names)
	r := &Return{}
	seen := map[*Table]string{}
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, err
		}
		t, err := ReadTable(name, f, r)
		f.Close()
		if err != nil {
			return nil, err
		}
		if first, dup := seen[t]; dup {
			return nil, &ReadError{File: name, Err: fmt.Errorf("a second %s table (the first is %s)", t.Name, first)}
		}
		seen[t] = name
	}
	return r, nil
}

// ReadTable reads one table's CSV from r into ret, and returns which table it was. Every row must have as many
// cells as the heading has columns. Cells are trimmed of surrounding spaces.
func ReadTable(name string, r io.Reader, ret *Return) (*Table, error) {
	fail := func(line int, err error) (*Table, error) { return nil, &ReadError{File: name, Line: line, Err: err} }
	br := bufio.NewReader(&limitCheck{r: r})
	// A byte-order mark, as spreadsheet programs write, is not part of the first heading.
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fail(0, errors.New("the file is empty; every table starts with its column headings"))
	}
	if err != nil {
		return fail(1, err)
	}
	t, pos, err := tableByColumns(head)
	if err != nil {
		return fail(1, err)
	}
	cells := make([]string, len(t.Columns))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return fail(pe.Line, pe.Err)
			}
			return fail(0, err)
		}
		line, _ := cr.FieldPos(0)
		for i, c := range rec {
			cells[pos[i]] = strings.TrimSpace(c)
		}
		t.add(ret, cells, line)
	}
}

// limitCheck fails a read once more than maxFile bytes have come through.
type limitCheck struct {
	r io.Reader
	n int64
}

func (l *limitCheck) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > maxFile {
		return n, fmt.Errorf("larger than %d MiB; no SSDA903 table is that big", maxFile>>20)
	}
	return n, err
}
