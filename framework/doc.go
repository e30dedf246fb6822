// Package framework models competency and capability frameworks — the
// GSBPM, GAMSO, DigComp and the competency frameworks of national
// statistical offices — as plain Go values: a [Framework] is a tree of
// [Node] values (areas, competences, phases, sub-processes…), a set of
// proficiency [Scale] values and typed [Association] values between nodes,
// including SKOS-style matches used by crosswalks.
//
// Framework JSON is written with [Write] and read with [Read], which warns
// about members it does not know (with their JSON Pointer) and keeps them,
// so a read-write cycle loses nothing.
//
// Related packages: framework/casepkg reads and writes frameworks as 1EdTech
// CASE packages; curriculum orders assets into pathways; catalogue indexes
// the assets of many publishers.
package framework
