//go:build !unix

package publish_test

// maxRSS is not measured on this system.
func maxRSS() (int64, bool) { return 0, false }
