package hub

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/platform/store"
)

// funcs are the template helpers.
var funcs = template.FuncMap{
	"pct": func(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) },
	"dur": formatDuration,
	"join": func(s []string, sep string) string {
		return strings.Join(s, sep)
	},
	"add": func(a, b int) int { return a + b },
	"dict": func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	},
	"indent": func(depth int) string {
		return strings.Repeat("\u00a0\u00a0", depth)
	},
}

// formatDuration writes a duration as "45 min", "6 h", "2 h 30 min".
func formatDuration(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

// text is a string in a language, for a lang attribute.
type text struct {
	Text, Lang string
}

// pick returns the best text of a language map for an English-speaking
// page: English, else the first language in tag order.
func pick(s map[string]string) text {
	t, tag, ok := asset.LangString(s).Best("en")
	if !ok {
		return text{}
	}
	return text{Text: t, Lang: tag}
}

// shorten cuts s to about n runes at a word boundary.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// assetURL is the hub's page of a record (or of a part of it).
func assetURL(k store.Key, pointer string) string {
	v := url.Values{"source": {k.Source}, "id": {k.ID}}
	u := "/asset?" + v.Encode()
	if pointer != "" {
		u += "#" + partAnchor(pointer)
	}
	return u
}

// partAnchor is the fragment of a part's row on its tree's page.
func partAnchor(pointer string) string {
	return "part" + strings.ReplaceAll(pointer, "/", "-")
}

// titles caches record titles for one request.
type titles struct {
	h     *Handler
	ctx   context.Context
	trees map[store.Key]*asset.Asset
	pubs  map[store.Key]string
}

func (h *Handler) titles(ctx context.Context) *titles {
	return &titles{h: h, ctx: ctx, trees: map[store.Key]*asset.Asset{}, pubs: map[store.Key]string{}}
}

// side is one asset named on a page: its title, page and publisher.
type side struct {
	Title     text
	URL       string
	Publisher string
	Source    string
	Part      bool // a part of a larger tree
}

// of describes the asset at pointer in record k.
func (t *titles) of(k store.Key, pointer string) side {
	s := side{URL: assetURL(k, pointer), Source: k.Source, Publisher: k.Source, Part: pointer != ""}
	a, ok := t.trees[k]
	if !ok {
		rec, err := t.h.st.Get(t.ctx, k)
		if err == nil && !rec.Deleted {
			if doc, _, err := asset.Unmarshal(rec.Doc, asset.ReadOptions{MaxBytes: store.MaxDocBytes}); err == nil {
				a = &doc.Asset
			}
			t.pubs[k] = rec.PublisherName()
		}
		t.trees[k] = a
	}
	if p := t.pubs[k]; p != "" {
		s.Publisher = p
	}
	if a == nil {
		s.Title = text{Text: k.ID}
		return s
	}
	for ptr, x := range a.All() {
		if ptr == pointer {
			s.Title = pick(x.Title)
		}
	}
	if s.Title.Text == "" {
		s.Title = text{Text: k.ID}
	}
	return s
}
