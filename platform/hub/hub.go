// Package hub is the web face of an OTA hub: an embeddable http.Handler
// over a platform/store.Store that lets people find, compare and reuse the
// training the federation's publishers harvested into it — full-text
// search with filters (framework node, language, licence, level, duration,
// publisher), asset pages with their schema.org JSON-LD (packaging/lrmi),
// the gap view (framework nodes no publisher covers), the overlap view
// (assets of different publishers that cover the same ground, with the
// evidence), lineage across publishers, downloads, and the hub-wide OAI-PMH
// endpoint. `ota serve` runs it.
//
// The pages are server-rendered HTML (html/template, so everything a
// publisher wrote is escaped) with one small stylesheet and no script:
// they work without JavaScript and with a keyboard, with labelled forms,
// headings and landmarks. The public surface is read-only; the one admin
// action, harvesting now, is a POST to /admin/harvest with the bearer
// token Options.AdminToken, and is off when no token is set.
package hub

import (
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/metaacademy/ota/mapping"
	"github.com/metaacademy/ota/platform/oaipmh"
	"github.com/metaacademy/ota/platform/store"
)

//go:embed templates/*.html templates/style.css
var files embed.FS

// Options configure a [Handler].
type Options struct {
	// Title names the hub in every page; empty means "OTA hub".
	Title string
	// BaseURL is the hub's public address ("https://hub.example"), used in
	// the JSON-LD and the OAI-PMH responses; empty derives it from each
	// request.
	BaseURL string
	// AdminEmails are given in OAI-PMH Identify; empty means
	// "admin@invalid".
	AdminEmails []string
	// AdminToken enables POST /admin/harvest for requests carrying
	// "Authorization: Bearer TOKEN"; empty disables the endpoint.
	AdminToken string
	// Harvest runs when an authenticated POST /admin/harvest asks; it
	// writes its report to w.
	Harvest func(ctx context.Context, w io.Writer) error
	// Frameworks resolves alignments; nil means mapping.Default().
	Frameworks *mapping.Registry
	// OAI configures the OAI-PMH endpoint at /oai.
	OAI oaipmh.HandlerOptions
	// Log receives server errors; nil means the standard logger.
	Log *log.Logger
}

// Handler is the hub's http.Handler.
type Handler struct {
	st   store.Store
	opts Options
	reg  *mapping.Registry
	tmpl *template.Template
	mux  *http.ServeMux
	oai  *oaipmh.Handler
	// harvesting is held while an admin harvest runs: one at a time.
	harvesting sync.Mutex
}

// New returns the hub's handler over st.
func New(st store.Store, opts Options) (*Handler, error) {
	if opts.Title == "" {
		opts.Title = "OTA hub"
	}
	if len(opts.AdminEmails) == 0 {
		opts.AdminEmails = []string{"admin@invalid"}
	}
	if opts.Log == nil {
		opts.Log = log.Default()
	}
	h := &Handler{st: st, opts: opts, reg: opts.Frameworks}
	if h.reg == nil {
		h.reg = mapping.Default()
	}
	tmpl, err := template.New("").Funcs(funcs).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("hub: templates: %w", err)
	}
	h.tmpl = tmpl
	oaiOpts := opts.OAI
	if oaiOpts.BaseURL == "" && opts.BaseURL != "" {
		oaiOpts.BaseURL = strings.TrimSuffix(opts.BaseURL, "/") + "/oai"
	}
	if oaiOpts.Frameworks == nil {
		oaiOpts.Frameworks = h.reg
	}
	h.oai = oaipmh.NewHandler(NewRepository(st, opts.Title, opts.AdminEmails), oaiOpts)

	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", h.search)
	m.HandleFunc("GET /asset", h.asset)
	m.HandleFunc("GET /asset.json", h.assetJSON)
	m.HandleFunc("GET /asset.jsonld", h.assetJSONLD)
	m.HandleFunc("GET /gaps", h.gaps)
	m.HandleFunc("GET /overlaps", h.overlaps)
	m.HandleFunc("GET /lineage", h.lineagePage)
	m.HandleFunc("GET /publishers", h.publishers)
	m.HandleFunc("GET /style.css", h.style)
	m.Handle("/oai", h.oai)
	m.HandleFunc("POST /admin/harvest", h.adminHarvest)
	h.mux = m
	return h, nil
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	if len(r.URL.RawQuery) > 4096 {
		http.Error(w, "the query string is too long", http.StatusRequestURITooLong)
		return
	}
	h.mux.ServeHTTP(w, r)
}

// baseURL is the configured base URL or the request's own origin.
func (h *Handler) baseURL(r *http.Request) string {
	if h.opts.BaseURL != "" {
		return strings.TrimSuffix(h.opts.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// render writes a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var b strings.Builder
	page := &pageData{Title: h.opts.Title, Data: data, Path: r.URL.Path}
	if err := h.tmpl.ExecuteTemplate(&b, name, page); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, b.String()) //nolint:errcheck // the client went away
}

// pageData is what every template gets.
type pageData struct {
	Title string
	Path  string
	Data  any
}

// fail answers an internal error without details, and logs them.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	h.opts.Log.Printf("hub: %s %s: %v", r.Method, r.URL.Path, err)
	http.Error(w, "the hub failed to answer; try again later", http.StatusInternalServerError)
}

// notFound renders the not-found page.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, what string) {
	h.render(w, r, http.StatusNotFound, "notfound", what)
}

func (h *Handler) style(w http.ResponseWriter, r *http.Request) {
	data, _ := files.ReadFile("templates/style.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(data) //nolint:errcheck // the client went away
}

// adminHarvest runs a harvest for an authenticated operator.
func (h *Handler) adminHarvest(w http.ResponseWriter, r *http.Request) {
	if h.opts.AdminToken == "" || h.opts.Harvest == nil {
		http.NotFound(w, r)
		return
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(h.opts.AdminToken)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="ota-hub"`)
		http.Error(w, "an admin token is needed", http.StatusUnauthorized)
		return
	}
	if !h.harvesting.TryLock() {
		http.Error(w, "a harvest is already running", http.StatusConflict)
		return
	}
	defer h.harvesting.Unlock()
	ctx, cancel := context.WithTimeout(r.Context(), time.Hour)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	var b strings.Builder
	err := h.opts.Harvest(ctx, &b)
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(&b, "error: %v\n", err)
	}
	io.WriteString(w, b.String()) //nolint:errcheck // the client went away
}
