package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/continuum-cs/continuum/internal/civil"
	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/returns/annexa"
	"github.com/continuum-cs/continuum/internal/returns/cin"
	"github.com/continuum-cs/continuum/internal/returns/ssda903"
	"github.com/continuum-cs/continuum/internal/store"
)

// returnsCmd produces a statutory return: continuum returns cin --year 2025-26 --out FILE.xml,
// continuum returns ssda903 --year 2025-26 --out DIR, or continuum returns annexa --year 2025-26 [--as-at DATE]
// --out FILE.xlsx. Each return produced is kept as a submission.
func returnsCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	const usage = "returns: want cin --year 2025-26 --out FILE.xml, ssda903 --year 2025-26 --out DIR, " +
		"annexa --year 2025-26 [--as-at DATE] --out FILE.xlsx, list, or get ID --out FILE"
	if len(args) == 0 {
		return usageError{usage}
	}
	switch args[0] {
	case "list":
		return returnsList(ctx, args[1:], stdout, getenv)
	case "get":
		return returnsGet(ctx, args[1:], stdout, getenv)
	case "cin", "ssda903", "annexa":
	default:
		return usageError{usage}
	}
	which := args[0]
	var year, out, la, asAt string
	define := func(fs *flag.FlagSet) {
		fs.StringVar(&year, "year", "", "collection year, such as 2025-26 (required)")
		switch which {
		case "cin":
			fs.StringVar(&out, "out", "", "file to write (required)")
			fs.StringVar(&la, "la", "", "the council's three-digit DfE LA number (default: the council's setting)")
		case "ssda903":
			fs.StringVar(&out, "out", "", "directory to write the eleven CSV files into (required)")
		default:
			fs.StringVar(&out, "out", "", "workbook to write (required)")
			fs.StringVar(&asAt, "as-at", "", "the day the lists run to, YYYY-MM-DD, such as an inspection's notice day (default: the year's 31 March)")
		}
	}
	return withStore(ctx, "returns "+which, args[1:], "sqlite:./continuum.db", getenv, define, func(_ Config, s *store.Store) error {
		if which == "annexa" && asAt != "" && year == "" {
			day, err := civil.Parse(asAt)
			if err != nil {
				return usageError{"--as-at: " + err.Error()}
			}
			year = returns.YearOf(day).String()
		}
		y, err := returns.ParseYear(year)
		if err != nil {
			return usageError{"--year: " + err.Error()}
		}
		if out == "" {
			return usageError{"--out: name where to write the return"}
		}
		switch which {
		case "ssda903":
			return returnSSDA903(ctx, s, y, out, stdout)
		case "annexa":
			return returnAnnexA(ctx, s, y, asAt, out, stdout)
		}
		if la == "" {
			var ok bool
			if la, ok, err = s.Setting(ctx, returns.LANumberSetting); err != nil {
				return err
			} else if !ok {
				return usageError{"--la: give the council's DfE LA number; none is recorded for this council"}
			}
		}
		var n int
		sub, err := writeKept(ctx, s, "cin", y, out, func(w io.Writer) (err error) {
			n, err = cin.Export(ctx, s, store.System, y, cin.Source{LA: la, Software: "Continuum", Release: Version(),
				Produced: s.Now()}, w)
			return err
		})
		if err != nil {
			return fmt.Errorf("CIN census %s: %w", y, err)
		}
		fmt.Fprintf(stdout, "CIN census %s: %d children written to %s, kept as return %d (sha256 %s)\n", y, n, out,
			sub.ID, sub.SHA256)
		return nil
	})
}

// writeKept writes a return into the file out and keeps it as a submission of kind for year y. The file is
// written beside its target and renamed into place, so a failed export leaves no half-written file; what was
// written is kept as produced, for next year's checks and to hand over again.
func writeKept(ctx context.Context, s *store.Store, kind string, y returns.Year, out string,
	write func(io.Writer) error) (store.Submission, error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), filepath.Base(out)+".*.tmp")
	if err != nil {
		return store.Submission{}, err
	}
	defer os.Remove(tmp.Name())
	err = write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return store.Submission{}, err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return store.Submission{}, err
	}
	written, err := os.Open(out)
	if err != nil {
		return store.Submission{}, err
	}
	defer written.Close()
	return s.Submit(ctx, store.System, kind, y.String(), written)
}

// returnAnnexA writes Ofsted's Annex A lists to the day asAt (by default the year's end) and keeps the workbook.
func returnAnnexA(ctx context.Context, s *store.Store, y returns.Year, asAt, out string, stdout io.Writer) error {
	day := y.End
	if asAt != "" {
		var err error
		if day, err = civil.Parse(asAt); err != nil {
			return usageError{"--as-at: " + err.Error()}
		}
		if !y.Contains(day) {
			return usageError{fmt.Sprintf("--as-at: %s is not in the year %s", day, y)}
		}
	}
	var wb *annexa.Workbook
	sub, err := writeKept(ctx, s, "annexa", y, out, func(w io.Writer) (err error) {
		if wb, err = annexa.Build(ctx, s, store.System, annexa.WindowTo(day)); err != nil {
			return err
		}
		return wb.Write(w)
	})
	if err != nil {
		return fmt.Errorf("Annex A to %s: %w", day, err)
	}
	fmt.Fprintf(stdout, "Annex A to %s written to %s, kept as return %d (sha256 %s)\n", day, out, sub.ID, sub.SHA256)
	for i, n := range wb.Counts() {
		fmt.Fprintf(stdout, "  %s (%s): %d rows\n", annexa.Lists[i].Name, annexa.Lists[i].Sheet, n)
	}
	return nil
}

// returnSSDA903 writes the SSDA903 return's files into dir and keeps them, zipped, as a submission.
func returnSSDA903(ctx context.Context, s *store.Store, y returns.Year, dir string, stdout io.Writer) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	n, err := ssda903.Export(ctx, s, store.System, y, dir)
	if err != nil {
		return fmt.Errorf("SSDA903 %s: %w", y, err)
	}
	var bundle bytes.Buffer
	if err := ssda903.Bundle(dir, &bundle); err != nil {
		return err
	}
	sub, err := s.Submit(ctx, store.System, "ssda903", y.String(), &bundle)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "SSDA903 %s: %d children written to %s, kept as return %d, a zip of the %d files (sha256 %s)\n",
		y, n, dir, sub.ID, len(ssda903.Tables), sub.SHA256)
	return nil
}

// returnsList lists the returns kept.
func returnsList(ctx context.Context, args []string, stdout io.Writer, getenv env) error {
	return withStore(ctx, "returns list", args, "sqlite:./continuum.db", getenv, nil, func(_ Config, s *store.Store) error {
		subs, err := s.Submissions(ctx)
		if err != nil {
			return err
		}
		for _, sub := range subs {
			fmt.Fprintf(stdout, "%-5d %-4s %s  %s  %10d bytes  sha256 %s\n", sub.ID, sub.Return, sub.Year,
				sub.At.Format(time.RFC3339), sub.Size, sub.SHA256)
		}
		return nil
	})
}

// returnsGet writes a kept return out again, exactly as it was produced.
func returnsGet(ctx context.Context, args []string, stdout io.Writer, getenv env) error {
	if len(args) == 0 {
		return usageError{"returns get: name the return's ID (see returns list)"}
	}
	id, err := strconv.ParseInt(args[0], 10, 64)
	if err != nil {
		return usageError{fmt.Sprintf("returns get: %q is not a return's ID", args[0])}
	}
	var out string
	define := func(fs *flag.FlagSet) { fs.StringVar(&out, "out", "", "file to write (required)") }
	return withStore(ctx, "returns get", args[1:], "sqlite:./continuum.db", getenv, define, func(_ Config, s *store.Store) error {
		if out == "" {
			return usageError{"--out: name the file to write"}
		}
		var buf bytes.Buffer
		sub, err := s.SubmissionFile(ctx, store.System, id, &buf)
		if err != nil {
			return err
		}
		if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s return %s of %s written to %s (sha256 %s)\n", sub.Return, sub.Year,
			sub.At.Format(time.RFC3339), out, sub.SHA256)
		return nil
	})
}
