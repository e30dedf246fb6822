// Package lesson reads lessons written in The Carpentries Workbench
// format, or plain folders of Markdown files, maps them onto OTA asset
// trees and renders their pages to standalone HTML.
//
// [OpenFS] reads a lesson from an fs.FS, [Open] from a zip in an
// io.ReaderAt and [OpenFile] from a folder or a zip at a path:
// config.yaml, the pages it lists
// (episodes, learners, instructors, profiles; a list left blank means
// every Markdown file of the folder, as in the Workbench), index.md,
// links.md (reference links shared by every page), AUTHORS and, for
// lineage only, README.md and CITATION. Without config.yaml or an
// episodes folder, every Markdown file of the root is an episode, in name
// order (README, LICENSE and the like excepted). Each page's YAML front
// matter gives its title and its teaching and exercise minutes; its body
// is CommonMark with tables, footnotes and definition lists, plus
// Pandoc's fenced divs ("::: challenge", "::: {.callout #id}", nested with
// any number of colons; a line of colons closes the innermost open div),
// read into [Block] values. Files are read with size caps ([Options]);
// symbolic links are refused where the fs.FS can tell them; a line
// nesting lists or block quotes more than 32 deep ends the page, since
// Markdown parsing slows with every open container.
//
// # Mapping
//
//   - The lesson is an asset of kind course; each episode, in order, a
//     part of kind lesson; each challenge of an episode a part of that
//     lesson of kind activity, titled with the challenge's heading.
//   - IDs: asset.DeriveID("lesson", key), ("lesson", key, episode file)
//     and ("lesson", key, episode file, "challenge-N"), key being
//     config.yaml's source, or the title when there is none.
//   - Title, description (the first paragraph of index.md), audience (the
//     learner profiles' text; the template's placeholders are skipped) and
//     objectives are language maps in the lesson's language: config.yaml's
//     lang, the Workbench default "en", or "und" for a plain folder.
//   - Licence: config.yaml's license as SPDX ("CC-BY 4.0" → "CC-BY-4.0"),
//     or a Creative Commons URL found in LICENSE.md.
//   - Keywords, created date (when it is an RFC 3339 date), AUTHORS as
//     contributors with the author role.
//   - Relations: "adapted from", "modified from", "based on", "derived
//     from" sentences give isBasedOn relations to the link they name, or
//     for an unlinked mention of Software, Data or Library Carpentry to
//     that project's site; on the course when found in index.md, README or
//     CITATION, on the episode when found in it. The source repository and
//     the published site are isFormatOf relations of the course.
//   - Each objectives item becomes an objective with ID obj-N; questions,
//     keypoints, teaching and exercise minutes are kept in the extension
//     [ExtensionIRI] (an [Ext]), together with config.yaml's carpentry,
//     life_cycle, branch, url, contact and licence text and the index
//     page's prerequisites. An episode's duration is teaching plus
//     exercises; the course's is their sum.
//   - Resources: an episode's rendered page (role launch), the shared
//     stylesheet (supporting), and the figures and files its links and
//     images reference (media for images, audio and video; data for the
//     rest), each with media type, size and SHA-256. A challenge's launch
//     page is its own page, "episodes/SLUG-challenge-N.html", holding only
//     that challenge. The course lists the stylesheet, index.html, the
//     learners' pages and the files they reference. Instructor pages are not
//     packaged (a loss); files no page references are not resources.
//
// Rendered pages keep the lesson's layout: "episodes/x.md" becomes
// "episodes/x.html", so the figures' relative paths stay valid, and links
// between pages are rewritten to the rendered pages. [Lesson.Content]
// serves the pages, the stylesheet and the referenced files at exactly
// the paths the resources name.
//
// # Rendering
//
// [Lesson.Render] writes one HTML page per episode: lang attribute and
// title, a small stylesheet of this package and no script, external style
// or font. Every fenced div becomes <section class="callout KIND">,
// labelled with its kind in the lesson's language (English, French,
// Spanish); solutions, hints, spoilers and instructor notes fold into a
// <details> element. Code blocks keep their language class. Raw HTML is
// never passed through: comments are left out, attribute-free inline
// tags such as <kbd> and <sub> are written anew, text that only looks
// like a tag ("<commit message here>") is shown as text, and the rest is
// dropped with a warning. Pandoc image attributes ("{alt='…' width=50%}")
// give alt text, width and height.
//
// # Issues
//
// The report of opening points at the page's path with its line where known.
// Codes: lesson.config.* (wrong value types, unknown licence or language,
// bad page lists), lesson.title.missing, lesson.episodes.none,
// lesson.pages.too-many, lesson.page.* (missing, too large, too deep,
// unreadable, symbolic link, not UTF-8, placeholder),
// lesson.frontmatter.* (invalid, unterminated, wrong types, no title),
// lesson.div.* (unknown class, unclosed, stray closing line, attributes
// that do not parse, nesting too deep), lesson.rmd.chunk and
// lesson.rmd.inline (R Markdown needing execution), lesson.html.dropped,
// lesson.link.* (broken, anchor, outside the lesson, site-absolute,
// undefined reference, page not packaged), lesson.image.missing and
// lesson.file.* (too large, symbolic link). [Lesson.Asset] adds
// lesson.challenge.untitled and reports losses: dropped raw HTML,
// unexecuted chunks, instructor pages.
package lesson
