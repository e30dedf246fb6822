package lrmi

import (
	"regexp"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"
)

// ccID is an SPDX identifier of a Creative Commons licence: the elements,
// the version and an optional jurisdiction port ("CC-BY-SA-3.0-DE").
var ccID = regexp.MustCompile(`^CC-(BY(?:-NC)?(?:-SA|-ND)?)-([0-9]\.[0-9])(?:-([A-Z]{2,3}))?$`)

// LicenseURL returns the URL schema.org's license names for an SPDX licence
// identifier: the steward's canonical URL for the licences the AMB profile
// admits by URL (Creative Commons licences and CC0 at creativecommons.org,
// the GNU licences at gnu.org, Apache at apache.org, MIT and the BSD
// licences at opensource.org), and the licence's page on the SPDX list
// (https://spdx.org/licenses/ID.html) for every other licence. A trailing
// "+" ("or later") is dropped. The identifier is not checked against the
// SPDX list.
func LicenseURL(id string) string {
	id = strings.TrimSuffix(strings.TrimSpace(id), "+")
	if m := ccID.FindStringSubmatch(id); m != nil {
		u := "https://creativecommons.org/licenses/" + strings.ToLower(m[1]) + "/" + m[2] + "/"
		if m[3] != "" {
			u += strings.ToLower(m[3]) + "/"
		}
		return u
	}
	switch id {
	case "CC0-1.0":
		return "https://creativecommons.org/publicdomain/zero/1.0/"
	case "CC-PDDC":
		return "https://creativecommons.org/licenses/publicdomain/"
	case "MIT":
		return "https://opensource.org/licenses/MIT"
	case "Apache-2.0":
		return "https://www.apache.org/licenses/LICENSE-2.0"
	case "Apache-1.1":
		return "https://www.apache.org/licenses/LICENSE-1.1"
	case "BSD-2-Clause", "BSD-3-Clause":
		return "https://www.opensource.org/licenses/" + id
	}
	if u := gnuURL(id); u != "" {
		return u
	}
	return "https://spdx.org/licenses/" + id + ".html"
}

// gnuURL returns the gnu.org page of a GNU licence identifier, or "".
func gnuURL(id string) string {
	base := strings.TrimSuffix(strings.TrimSuffix(id, "-only"), "-or-later")
	names := map[string]string{
		"GPL-2.0": "old-licenses/gpl-2.0.html", "GPL-3.0": "gpl-3.0.html",
		"LGPL-2.1": "old-licenses/lgpl-2.1.html", "LGPL-3.0": "lgpl-3.0.html",
		"AGPL-3.0": "agpl-3.0.html", "GFDL-1.3": "fdl-1.3.html", "GFDL-1.2": "old-licenses/fdl-1.2.html",
	}
	if p, ok := names[base]; ok {
		return "https://www.gnu.org/licenses/" + p
	}
	return ""
}

// ambLicense is the union of the URL patterns the AMB profile's license
// schema admits.
var ambLicense = regexp.MustCompile(`^https?://(?:creativecommons\.org/(?:licenses|licences|publicdomain)/|www\.gnu\.org/licenses/|www\.apache\.org/licenses/|opensource\.org/licenses/MIT$|www\.opensource\.org/licenses/BSD)`)

// AMBLicense reports whether the AMB profile admits url as a license id:
// Creative Commons, GNU, Apache, MIT and BSD licences only.
func AMBLicense(url string) bool { return ambLicense.MatchString(url) }

// licenses splits an SPDX expression into its licence identifiers, and
// says whether they are alternatives (OR) rather than all applying (AND).
// An expression that cannot be parsed is taken as one identifier.
func licenses(expr string) (ids []string, alternatives bool) {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		return nil, false
	}
	ids, err := spdxexp.ExtractLicenses(expr)
	if err != nil || len(ids) == 0 {
		return []string{expr}, false
	}
	upper := " " + strings.ToUpper(expr) + " "
	return ids, !strings.Contains(upper, " AND ")
}
