package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/continuum-cs/continuum/internal/returns"
	"github.com/continuum-cs/continuum/internal/store"
	"github.com/continuum-cs/continuum/internal/web"
)

// boardpackCmd prints the improvement board's pack for a collection year to PDF with headless Chromium:
// continuum boardpack --period 2025-26 --out pack.pdf [--html pack.html].
func boardpackCmd(ctx context.Context, args []string, stdout, _ io.Writer, getenv env) error {
	var period, out, htmlOut string
	define := func(fs *flag.FlagSet) {
		fs.StringVar(&period, "period", "", "collection year, such as 2025-26 (required)")
		fs.StringVar(&out, "out", "", "where to write the PDF")
		fs.StringVar(&htmlOut, "html", "", "where to write the page the PDF is printed from, as well or instead")
	}
	return withStore(ctx, "boardpack", args, "sqlite:./continuum.db", getenv, define, func(_ Config, s *store.Store) error {
		y, err := returns.ParseYear(period)
		if err != nil {
			return usageError{"--period: " + err.Error()}
		}
		if out == "" && htmlOut == "" {
			return usageError{"--out: name where to write the PDF (or --html for the page)"}
		}
		page, err := web.BoardPack(ctx, s, store.System, y)
		if err != nil {
			return err
		}
		if htmlOut != "" {
			if err := os.WriteFile(htmlOut, page, 0o600); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "wrote %s\n", htmlOut)
		}
		if out == "" {
			return nil
		}
		browser, err := findChromium(getenv)
		if err != nil {
			return err
		}
		if err := printPDF(ctx, browser, page, out); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", out)
		return nil
	})
}

// findChromium is CONTINUUM_CHROMIUM, or the first Chromium or Chrome on the path.
func findChromium(getenv env) (string, error) {
	if p, ok := getenv("CONTINUUM_CHROMIUM"); ok && p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found to print the PDF: install it (on Debian, apt-get install chromium) or set CONTINUUM_CHROMIUM; --html writes the page without it")
}

// printPDF has headless Chromium print page, a document standing on its own, to out. Chromium reads the page
// from a private temporary folder and has no network to reach.
func printPDF(ctx context.Context, browser string, page []byte, out string) error {
	dir, err := os.MkdirTemp("", "continuum-boardpack-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "pack.html")
	if err := os.WriteFile(in, page, 0o600); err != nil {
		return err
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	args := []string{"--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--disable-extensions", "--user-data-dir=" + filepath.Join(dir, "profile"),
		"--no-pdf-header-footer", "--print-to-pdf=" + abs, "file://" + in}
	if os.Geteuid() == 0 {
		args = append([]string{"--no-sandbox"}, args...) // Chromium's sandbox refuses to run as root
	}
	cmd := exec.CommandContext(ctx, browser, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("printing the PDF with %s: %w: %s", browser, err, lastLine(stderr.String()))
	}
	head := make([]byte, 5)
	f, err := os.Open(abs)
	if err != nil {
		return fmt.Errorf("printing the PDF with %s: no PDF written: %w", browser, err)
	}
	defer f.Close()
	if _, err := io.ReadFull(f, head); err != nil || string(head) != "%PDF-" {
		return fmt.Errorf("printing the PDF with %s: %s is not a PDF", browser, out)
	}
	return nil
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	return s[strings.LastIndexByte(s, '\n')+1:]
}
