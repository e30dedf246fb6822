// Package curriculum orders training assets into pathways. A [Pathway]
// orders assets for a learner profile; [Pathway.Resolve] gives a [Plan]
// with the prerequisite graph (the assets' own prerequisites plus the
// pathway's), a stable topological order, cycles named in full, durations,
// the competencies and levels covered ([Plan.Covers], against
// Framework values) and the entry requirements.
package curriculum
