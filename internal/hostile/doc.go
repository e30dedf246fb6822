// Package hostile holds the hostile-input suite of the ota command: its
// tests generate crafted inputs of every kind ota reads (zip and folder
// SCORM packages, cmi5 courses, OTA documents with their resources,
// bundles, lessons, CASE frameworks, xAPI statements), run the built ota
// binary on each under a deadline, and check that it refuses them cleanly:
// no panic, no hang, nothing written outside the output folder, no byte of
// a file outside the input in any output, peak memory bounded, exit code 1
// or 2 with a clear message. Its benchmarks report the peak memory of the
// command on large inputs. The package has no API; everything is in its
// tests.
package hostile
