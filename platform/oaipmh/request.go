package oaipmh

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// The verbs.
const (
	verbIdentify            = "Identify"
	verbListMetadataFormats = "ListMetadataFormats"
	verbListSets            = "ListSets"
	verbGetRecord           = "GetRecord"
	verbListIdentifiers     = "ListIdentifiers"
	verbListRecords         = "ListRecords"
)

// The error codes of OAI-PMH 2.0.
const (
	codeBadArgument             = "badArgument"
	codeBadResumptionToken      = "badResumptionToken"
	codeBadVerb                 = "badVerb"
	codeCannotDisseminateFormat = "cannotDisseminateFormat"
	codeIDDoesNotExist          = "idDoesNotExist"
	codeNoRecordsMatch          = "noRecordsMatch"
	codeNoMetadataFormats       = "noMetadataFormats"
	codeNoSetHierarchy          = "noSetHierarchy"
)

// oaiError is one error element of a response.
type oaiError struct {
	Code, Message string
}

func (e oaiError) Error() string { return e.Code + ": " + e.Message }

// argsOf lists, per verb, the arguments it takes and which are required.
var argsOf = map[string]map[string]bool{
	verbIdentify:            {},
	verbListMetadataFormats: {"identifier": false},
	verbListSets:            {"resumptionToken": false},
	verbGetRecord:           {"identifier": true, "metadataPrefix": true},
	verbListIdentifiers:     {"metadataPrefix": true, "from": false, "until": false, "set": false, "resumptionToken": false},
	verbListRecords:         {"metadataPrefix": true, "from": false, "until": false, "set": false, "resumptionToken": false},
}

// request is a parsed protocol request.
type request struct {
	Verb       string
	Identifier string
	Prefix     string
	Set        string
	Token      string
	// From and Until are the date bounds, zero when not given; Until is
	// the end of its day when given as a date.
	From, Until time.Time
	// args are the arguments as given, for the response's request element.
	args map[string]string
}

var (
	setSpecRE = regexp.MustCompile(`^[A-Za-z0-9\-_.!~*'()]+(?::[A-Za-z0-9\-_.!~*'()]+)*$`)
	prefixRE  = regexp.MustCompile(`^[A-Za-z0-9\-_.!~*'()]+$`)
	dayRE     = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	secondRE  = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$`)
)

// parseRequest reads the arguments of a request. On failure it returns the
// errors, all of them badVerb or all of them badArgument.
func parseRequest(v url.Values) (request, []oaiError) {
	var r request
	verbs := v["verb"]
	switch {
	case len(verbs) == 0:
		return r, []oaiError{{codeBadVerb, "the request has no verb argument; use one of Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers, ListRecords"}}
	case len(verbs) > 1:
		return r, []oaiError{{codeBadVerb, "the verb argument is repeated"}}
	}
	r.Verb = verbs[0]
	allowed, ok := argsOf[r.Verb]
	if !ok {
		return r, []oaiError{{codeBadVerb, fmt.Sprintf("%q is not an OAI-PMH verb", clip(r.Verb))}}
	}
	var errs []oaiError
	bad := func(format string, a ...any) {
		errs = append(errs, oaiError{codeBadArgument, fmt.Sprintf(format, a...)})
	}
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	sort.Strings(names)
	r.args = map[string]string{}
	for _, name := range names {
		if name == "verb" {
			continue
		}
		vals := v[name]
		if _, ok := allowed[name]; !ok {
			bad("%s does not take the argument %q", r.Verb, clip(name))
			continue
		}
		if len(vals) > 1 {
			bad("the argument %s is repeated", name)
			continue
		}
		if vals[0] == "" {
			bad("the argument %s is empty", name)
			continue
		}
		r.args[name] = vals[0]
	}
	if len(errs) > 0 {
		return r, errs
	}
	r.Token = r.args["resumptionToken"]
	if r.Token != "" {
		if len(r.args) > 1 {
			return r, []oaiError{{codeBadArgument, "resumptionToken is an exclusive argument: send it with the verb alone"}}
		}
		return r, nil
	}
	for name, required := range allowed {
		if _, ok := r.args[name]; required && !ok {
			bad("%s needs the argument %s", r.Verb, name)
		}
	}
	r.Identifier = r.args["identifier"]
	r.Prefix = r.args["metadataPrefix"]
	if r.Prefix != "" && !prefixRE.MatchString(r.Prefix) {
		bad("metadataPrefix %q has characters a prefix cannot have", clip(r.Prefix))
	}
	r.Set = r.args["set"]
	if r.Set != "" && !setSpecRE.MatchString(r.Set) {
		bad("set %q is not a setSpec (colon-separated tokens of letters, digits and - _ . ! ~ * ' ( ))", clip(r.Set))
	}
	fromDay, untilDay := false, false
	if s, ok := r.args["from"]; ok {
		t, day, err := parseDatestamp(s)
		if err != nil {
			bad("from %q: %v", clip(s), err)
		}
		r.From, fromDay = t, day
	}
	if s, ok := r.args["until"]; ok {
		t, day, err := parseDatestamp(s)
		if err != nil {
			bad("until %q: %v", clip(s), err)
		}
		r.Until, untilDay = t, day
		if day {
			r.Until = t.Add(24*time.Hour - time.Second)
		}
	}
	_, hasFrom := r.args["from"]
	_, hasUntil := r.args["until"]
	if len(errs) == 0 && hasFrom && hasUntil {
		if fromDay != untilDay {
			bad("from and until have different granularities; give both as dates or both as date-times")
		} else if r.From.After(r.Until) {
			bad("from is later than until")
		}
	}
	return r, errs
}

// parseDatestamp parses a date (YYYY-MM-DD) or a UTC date-time
// (YYYY-MM-DDThh:mm:ssZ), the two granularities OAI-PMH allows.
func parseDatestamp(s string) (time.Time, bool, error) {
	switch {
	case dayRE.MatchString(s):
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return t, true, fmt.Errorf("not a valid date")
		}
		return t, true, nil
	case secondRE.MatchString(s):
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return t, false, fmt.Errorf("not a valid date-time")
		}
		return t, false, nil
	}
	return time.Time{}, false, fmt.Errorf("not YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC)")
}

// clip shortens a harvester's value for an error message.
func clip(s string) string {
	const n = 80
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// inSet reports whether a record with the given set specs is in set: one of
// its specs is set or below it.
func inSet(specs []string, set string) bool {
	return slices.ContainsFunc(specs, func(s string) bool { return s == set || strings.HasPrefix(s, set+":") })
}
