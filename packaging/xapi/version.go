package xapi

import (
	"fmt"

	"github.com/metaacademy/ota"
)

// Version is a version of the xAPI specification that statements are
// validated against. The zero value means [Version103].
type Version string

// The xAPI versions this package implements. See docs/xapi-versions.md
// for what differs between them.
const (
	// Version103 is xAPI 1.0.3 (ADL, 2016), the default.
	Version103 Version = "1.0.3"
	// Version200 is xAPI 2.0.0, published as IEEE 9274.1.1-2023.
	Version200 Version = "2.0.0"
)

// String returns the version number, "1.0.3" for the zero value.
func (v Version) String() string {
	if v == "" {
		return string(Version103)
	}
	return string(v)
}

// resolve returns v with the zero value replaced by the default.
func (v Version) resolve() Version {
	if v == "" {
		return Version103
	}
	return v
}

// Check returns an error unless v is the zero value, [Version103] or
// [Version200].
func (v Version) Check() error {
	switch v {
	case "", Version103, Version200:
		return nil
	}
	return fmt.Errorf("xapi: unsupported xAPI version %q; use %q or %q", string(v), Version103, Version200)
}

// ParseVersion reads a version as an X-Experience-API-Version header or a
// command-line flag gives it: "1.0.3" (also "1.0" and any "1.0.x") selects
// [Version103], "2.0.0" (also "2.0") selects [Version200].
func ParseVersion(s string) (Version, error) {
	major, minor, _, ok := splitVersion(s)
	switch {
	case ok && major == 1 && minor == 0:
		return Version103, nil
	case ok && major == 2 && minor == 0:
		return Version200, nil
	}
	return "", fmt.Errorf("xapi: unsupported xAPI version %q; use %q or %q", s, Version103, Version200)
}

// ValidateOptions configure validation. The zero value validates against
// xAPI 1.0.3 with the default severities.
type ValidateOptions struct {
	// Version is the xAPI version the statements must conform to; the zero
	// value means [Version103]. An unsupported value is reported as an
	// issue with code "xapi.options.version".
	Version Version
	// Policy changes the severity of issues by code (see [ota.Policy]); for
	// example {"xapi.uuid.not-rfc4122": ota.Error} makes UUIDs that are not
	// RFC 4122 variant-1 UUIDs an error, and {"xapi.interaction": ota.Ignore}
	// drops every remark about interaction definitions.
	Policy ota.Policy
}
