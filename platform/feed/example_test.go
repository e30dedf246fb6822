package feed_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/metaacademy/ota/platform/feed"
)

func Example() {
	f := &feed.Feed{Publisher: feed.Publisher{Name: "Statistics Canada"}}
	f.Entries = append(f.Entries,
		feed.Entry{ID: "https://example.org/sampling", Version: "2.0.0", Modified: "2025-03-01",
			Digest: "sha256:" + strings.Repeat("ab", 32), Page: "assets/sampling.html"},
		feed.Entry{ID: "https://example.org/old-course", Deleted: true, Modified: "2025-02-01T08:00:00Z"},
	)
	pages, err := f.Pages(500, func(n int) string { return fmt.Sprintf("feed-%d.json", n) })
	if err != nil {
		panic(err)
	}
	if err := pages[0].Encode(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// {
	//   "format": "1.0",
	//   "publisher": {
	//     "name": "Statistics Canada"
	//   },
	//   "updated": "2025-03-01T00:00:00Z",
	//   "digest": "sha256:6c272348875abc6b8d3a2abd9446083b7ab690ac05dbde887670e8e6343a49b5",
	//   "total": 2,
	//   "page": 1,
	//   "pages": 1,
	//   "entries": [
	//     {
	//       "id": "https://example.org/sampling",
	//       "version": "2.0.0",
	//       "modified": "2025-03-01",
	//       "digest": "sha256:abababababababababababababababababababababababababababababababab",
	//       "page": "assets/sampling.html"
	//     },
	//     {
	//       "id": "https://example.org/old-course",
	//       "modified": "2025-02-01T08:00:00Z",
	//       "deleted": true
	//     }
	//   ]
	// }
}
