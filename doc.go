// Package ota holds the small vocabulary that every OTA (Open Training Asset)
// package shares: an [Issue] found while reading, validating or converting
// something, its [Severity], a [Policy] that lets a caller change the severity
// of any issue code, a [Loss] recorded when a conversion cannot carry
// something over, and a [Report] that collects both.
//
// The model itself lives in package asset (training assets) and package
// framework (competency and capability frameworks); codecs for external
// formats live under packaging. Because they all speak in Issues and Losses,
// the ota command prints their findings the same way.
//
// This package has no dependencies beyond the standard library.
package ota
