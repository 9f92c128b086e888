package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/continuum-cs/continuum/internal/casework"
	"github.com/continuum-cs/continuum/internal/store"
)

// The stylesheets: app.css is compiled from GOV.UK Frontend and MOJ Frontend by web/build.sh and is not committed;
// report.css is the board pack's print stylesheet.
//
//go:generate ../../web/build.sh
//go:embed assets/*.css
var assetFS embed.FS

// asset is one file served under /assets/, kept compressed as well as plain.
type asset struct {
	body, gzipped []byte
	version       string // the first 12 hex digits of its SHA-256: it names the content in URLs and ETags
	contentType   string
}

// assets are the embedded files by name.
type assets map[string]asset

func loadAssets() (assets, error) {
	out := assets{}
	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		if _, err := zw.Write(body); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ctype := "application/octet-stream"
		if path.Ext(p) == ".css" {
			ctype = "text/css; charset=utf-8"
		}
		out[path.Base(p)] = asset{body: body, gzipped: z.Bytes(), version: hex.EncodeToString(sum[:])[:12], contentType: ctype}
		return nil
	})
	return out, err
}

// url is the address a page links the asset by: its version in the query lets browsers keep it for a year, since
// a new build changes the address. It is "" for an asset the build did not make.
func (a assets) url(name string) string {
	f, ok := a[name]
	if !ok {
		return ""
	}
	return "/assets/" + name + "?v=" + f.version
}

// serveAsset answers /assets/{name}, compressed when the browser accepts it.
func (s *Server) serveAsset(w http.ResponseWriter, r *http.Request, _ *store.User) error {
	f, ok := s.assets[r.PathValue("name")]
	if !ok {
		return casework.ErrNotFound
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("ETag", `"`+f.version+`"`)
	h.Set("Vary", "Accept-Encoding")
	if r.URL.Query().Get("v") == f.version {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if r.Header.Get("If-None-Match") == `"`+f.version+`"` {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body := f.body
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = f.gzipped
	}
	_, err := w.Write(body)
	return err
}
