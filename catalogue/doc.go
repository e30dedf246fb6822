// Package catalogue indexes the training assets of many publishers — national
// statistical offices and international organisations. A [Catalogue]
// ([LoadFS], [LoadDir], [Catalogue.Add], [Catalogue.Merge]) answers
// [Catalogue.Query], finds assets of different publishers that cover the same
// ground ([Catalogue.Overlaps], with the evidence for each score) and follows
// lineage ([Catalogue.Lineage], [Catalogue.Derivatives]).
package catalogue
