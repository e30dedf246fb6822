package scorm

import (
	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/internal/lom"
	"github.com/metaacademy/ota/packaging/xmlnode"
)

// manifestMetadata is the manifest's metadata: the source package's
// locations and LOM records when it was of the same family, else a LOM
// record made from the root asset.
func (b *builder) manifestMetadata(root *asset.Asset) *Metadata {
	if b.sameFamily() && b.src.Metadata != nil {
		return &Metadata{Locations: b.src.Metadata.Locations, Records: b.src.Metadata.Records}
	}
	if b.src != nil && b.src.Metadata != nil && (len(b.src.Metadata.Records) > 0 || len(b.src.Metadata.Locations) > 0) {
		b.loss("scorm.lost.lom-records", "/extensions", root.ID, "the source package's LOM records", "LOM is bound differently in SCORM 1.2 and 2004; a new record is made from the asset")
	}
	return b.assetMetadata(root, true)
}

// assetMetadata returns a metadata element with a LOM record describing x,
// or nil when x has nothing beyond a one-language title to say (unless
// always).
func (b *builder) assetMetadata(x *asset.Asset, always bool) *Metadata {
	rich := len(x.Title) > 1 || len(x.Description) > 0 || len(x.Keywords) > 0 || len(x.Languages) > 0 ||
		!x.Duration.IsZero() || x.License != "" || len(x.Contributors) > 0 || len(x.Alignments) > 0
	if !rich && !always {
		return nil
	}
	if b.v.Is2004() {
		return &Metadata{Records: []*xmlnode.Node{lom.IEEE.Record(x)}}
	}
	return &Metadata{Records: []*xmlnode.Node{lom.IMSMD.Record(x)}}
}
