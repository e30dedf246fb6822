package publish

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/otadate"
	"github.com/metaacademy/ota/platform/feed"
)

// tree loads the published tree whose row matches where (a condition on
// the tree table t, "t.seq = ?" or "t.source = ?"), with its pages, or nil.
func (l *ledger) tree(where string, arg any) (*tree, error) {
	var t *tree
	err := l.query(func(scan func(...any) error) error {
		var p page
		var seq int64
		var source, slug string
		var title []byte
		if err := scan(&seq, &source, &slug, &p.pos, &p.id, &p.ptr, &p.loc, &p.publisher, &p.slug, &title); err != nil {
			return err
		}
		if t == nil {
			t = &tree{seq: seq, source: source, slug: slug, id: p.id, loc: p.loc}
			if err := json.Unmarshal(title, &t.title); err != nil {
				return err
			}
		}
		p.tree = t
		t.pages = append(t.pages, &p)
		return nil
	}, `SELECT t.seq, t.source, t.slug, e.pos, e.id, e.ptr, e.loc, e.publisher, e.slug, e.title
		FROM tree t JOIN entry e ON e.tree = t.seq WHERE `+where+` ORDER BY e.pos`, arg)
	return t, err
}

// markReread records that a tree's document was read again.
func (l *ledger) markReread(seq int64) error {
	return l.write(`UPDATE tree SET reread = 1 WHERE seq = ?`, seq)
}

// unread returns the locations of the trees whose documents were not read
// again, in catalogue order.
func (l *ledger) unread() ([]string, error) {
	var out []string
	err := l.query(func(scan func(...any) error) error {
		var loc string
		if err := scan(&loc); err != nil {
			return err
		}
		out = append(out, loc)
		return nil
	}, `SELECT e.loc FROM tree t JOIN entry e ON e.pos = t.pos WHERE t.reread = 0 ORDER BY t.seq`)
	return out, err
}

// downloadSize is the size of a download in the tree table's blob: its
// format, size and SHA-256.
const downloadSize = 1 + 8 + sha256.Size

func encodeDownloads(ds []download) []byte {
	out := make([]byte, 0, len(ds)*downloadSize)
	for _, d := range ds {
		out = append(out, byte(d.format))
		out = binary.BigEndian.AppendUint64(out, uint64(d.size))
		out = append(out, d.sum[:]...)
	}
	return out
}

func decodeDownloads(b []byte) []download {
	var out []download
	for ; len(b) >= downloadSize; b = b[downloadSize:] {
		d := download{format: int(b[0]), size: int64(binary.BigEndian.Uint64(b[1:9]))}
		copy(d.sum[:], b[9:downloadSize])
		out = append(out, d)
	}
	return out
}

// finishTree records what a tree's worker made: its downloads, the pages
// it wrote, and its feed entry when it has one.
func (l *ledger) finishTree(t *tree, entry *feed.Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.exec(true, `UPDATE tree SET downloads = ? WHERE seq = ?`, encodeDownloads(t.downloads), t.seq); err != nil {
		return err
	}
	for _, p := range t.pages {
		if p.written {
			if _, err := l.exec(true, `UPDATE entry SET written = 1 WHERE pos = ?`, p.pos); err != nil {
				return err
			}
		}
	}
	if entry != nil {
		if err := l.addFeedLocked(*entry); err != nil {
			return err
		}
	}
	return l.commitLocked()
}

// addPrevious records a page of the previous feed, whose entries follow
// the first after entries of it, in one transaction; of an ID listed
// twice the first entry is kept.
func (l *ledger) addPrevious(entries []feed.Entry, after int) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, e := range entries {
		if _, err := l.exec(true, `INSERT OR IGNORE INTO prev (id, ord, deleted, modified) VALUES (?, ?, ?, ?)`, e.ID, after+i+1, e.Deleted, e.Modified); err != nil {
			return err
		}
	}
	return l.commitLocked()
}

// addFeed records a feed entry with its place in feed order, in the
// current batch.
func (l *ledger) addFeed(e feed.Entry) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.addFeedLocked(e)
}

// addFeedLocked is addFeed with the lock held.
func (l *ledger) addFeedLocked(e feed.Entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("publish: feed entry %s: %w", e.ID, err)
	}
	var dated, secs, nanos int64
	if t, ok := otadate.Parse(e.Modified); ok {
		dated, secs, nanos = 1, t.Unix(), int64(t.Nanosecond())
	}
	_, err = l.exec(true, `INSERT INTO feed (id, dated, secs, nanos, entry) VALUES (?, ?, ?, ?, ?)`, e.ID, dated, secs, nanos, b)
	return err
}

// lineStep is one step of a lineage chain, as catalogue.LineageStep, with
// the entry it reaches as a ref.
type lineStep struct {
	depth    int
	from, to string
	typ      asset.RelationType
	entry    *ref
}

// lineage follows the lineage relations of id up to its origins, as
// catalogue.Catalogue.Lineage does.
func (l *ledger) lineage(id string) ([]lineStep, error) {
	return l.follow(id, false)
}

// derivatives follows them down, as catalogue.Catalogue.Derivatives does.
func (l *ledger) derivatives(id string) ([]lineStep, error) {
	return l.follow(id, true)
}

// follow walks lineage relations breadth first from id: up to the targets,
// or down to the assets that carry relations to it.
func (l *ledger) follow(id string, down bool) ([]lineStep, error) {
	q := `SELECT e.id, r.type, r.target FROM entry e JOIN rel r ON r.pos = e.pos WHERE e.id = ? ORDER BY e.pos, r.ord`
	if down {
		q = `SELECT e.id, r.type, r.target FROM rel r JOIN entry e ON e.pos = r.pos WHERE r.target = ? ORDER BY r.pos, r.ord`
	}
	var out []lineStep
	seen := map[string]bool{id: true}
	level := []string{id}
	for depth := 1; len(level) > 0; depth++ {
		var next []string
		for _, at := range level {
			var found []lineStep
			err := l.query(func(scan func(...any) error) error {
				var st lineStep
				var typ string
				if err := scan(&st.from, &typ, &st.to); err != nil {
					return err
				}
				st.typ, st.depth = asset.RelationType(typ), depth
				found = append(found, st)
				return nil
			}, q, at)
			if err != nil {
				return nil, err
			}
			for _, st := range found {
				reached := st.to
				if down {
					reached = st.from
				}
				if seen[reached] {
					continue
				}
				seen[reached] = true
				if st.entry, err = l.first(reached); err != nil {
					return nil, err
				}
				out = append(out, st)
				next = append(next, reached)
			}
		}
		level = next
	}
	return out, nil
}

// summaryOf is an asset with the ID and the title (JSON) a ledger row
// holds.
func summaryOf(id string, title []byte) (*asset.Asset, error) {
	a := &asset.Asset{ID: id}
	if err := json.Unmarshal(title, &a.Title); err != nil {
		return nil, fmt.Errorf("publish: ledger: %w", err)
	}
	return a, nil
}
