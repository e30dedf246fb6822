// Package storetest is the conformance suite every platform/store.Store
// implementation runs: the same assertions against SQLite and PostgreSQL,
// so that a hub behaves the same on either.
package storetest

import (
	"time"

	"github.com/metaacademy/ota/asset"
	"github.com/metaacademy/ota/platform/store"
)

// Fixture IDs.
const (
	IDSeasonal   = "urn:uuid:0e6b1c1e-0000-4000-8000-000000000001" // ine-es, Spanish course, GSBPM 5.3/5.4
	IDSeasonalFR = "urn:uuid:0e6b1c1e-0000-4000-8000-000000000002" // insee-fr, French translation of it
	IDDigital    = "urn:uuid:0e6b1c1e-0000-4000-8000-000000000003" // ons-uk, English, DigComp 1.1
	IDSeasonalEN = "urn:uuid:0e6b1c1e-0000-4000-8000-000000000004" // ons-uk, English adaptation of the French
	IDModule     = "urn:uuid:0e6b1c1e-0000-4000-8000-000000000005" // part of IDSeasonal
)

// Assets returns the fixture trees by source: three offices, four trees,
// in three languages, with alignments and a lineage chain across offices
// (ons-uk adapts insee-fr's translation of ine-es's course).
func Assets() map[string][]*asset.Asset {
	pub := func(name string) []asset.Contributor {
		return []asset.Contributor{{Name: name, Type: asset.Organization, Roles: []asset.Role{asset.RolePublisher}}}
	}
	seasonal := &asset.Asset{
		ID: IDSeasonal, Version: "1.0.0", Kind: asset.KindCourse,
		Title:       asset.LangString{"es": "Ajuste estacional de series temporales"},
		Description: asset.LangString{"es": "Métodos de desestacionalización para estadística oficial."},
		Keywords:    asset.LangList{"es": {"desestacionalización", "series temporales"}},
		Languages:   []string{"es"}, License: "CC-BY-4.0", Level: asset.LevelIntermediate,
		Contributors: pub("INE"), Modified: "2025-03-01",
		Alignments: []asset.Alignment{{Framework: "gsbpm", Version: "5.1", Code: "5.3", Relation: asset.Teaches}},
		Parts: []asset.Asset{{
			ID: IDModule, Kind: asset.KindModule, Title: asset.LangString{"es": "Validación de resultados"},
			Duration:   mustDuration("PT2H"),
			Alignments: []asset.Alignment{{Framework: "gsbpm", Version: "5.1", Code: "6.2", Relation: asset.Teaches}},
		}, {
			ID: "urn:uuid:0e6b1c1e-0000-4000-8000-000000000006", Kind: asset.KindModule, Title: asset.LangString{"es": "Modelos ARIMA"},
			Duration: mustDuration("PT4H"),
		}},
	}
	french := &asset.Asset{
		ID: IDSeasonalFR, Version: "1.1.0", Kind: asset.KindCourse,
		Title:       asset.LangString{"fr": "Désaisonnalisation des séries temporelles", "en": "Seasonal adjustment of time series"},
		Description: asset.LangString{"fr": "Méthodes de correction des variations saisonnières."},
		Objectives:  []asset.Objective{{ID: "o1", Text: asset.LangString{"fr": "Appliquer X-13ARIMA-SEATS à une série mensuelle"}}},
		Languages:   []string{"fr"}, License: "etalab-2.0", Level: asset.LevelIntermediate,
		Contributors: pub("Insee"), Modified: "2025-06-10", Duration: mustDuration("PT6H"),
		Alignments: []asset.Alignment{{Framework: "gsbpm", Version: "5.1", Code: "5.3"}},
		Relations:  []asset.Relation{{Type: asset.IsTranslationOf, Target: IDSeasonal}},
	}
	digital := &asset.Asset{
		ID: IDDigital, Version: "2.0.0", Kind: asset.KindLesson,
		Title:       asset.LangString{"en": "Finding and evaluating open data"},
		Description: asset.LangString{"en": "Browsing, searching and filtering data, information and digital content."},
		Keywords:    asset.LangList{"en": {"open data", "search"}},
		Languages:   []string{"en"}, License: "OGL-UK-3.0", Level: asset.LevelBasic,
		Contributors: pub("Office for National Statistics"), Modified: "2024-11-20", Duration: mustDuration("PT45M"),
		Alignments: []asset.Alignment{{Framework: "digcomp", Version: "2.2", Code: "1.1", Relation: asset.Teaches}},
	}
	english := &asset.Asset{
		ID: IDSeasonalEN, Version: "1.0.0", Kind: asset.KindCourse,
		Title:       asset.LangString{"en": "Seasonal adjustment in practice"},
		Description: asset.LangString{"en": "Adjusting monthly series for seasonal effects with X-13ARIMA-SEATS."},
		Languages:   []string{"en"}, License: "CC-BY-4.0", Level: asset.LevelAdvanced,
		Contributors: pub("Office for National Statistics"), Modified: "2025-09-01", Duration: mustDuration("PT8H"),
		Alignments: []asset.Alignment{{Framework: "gsbpm", Version: "5.1", Code: "5.3"}, {Framework: "gsbpm", Version: "5.1", Code: "5.4", Relation: asset.Requires}},
		Relations:  []asset.Relation{{Type: asset.IsBasedOn, Target: IDSeasonalFR}},
	}
	return map[string][]*asset.Asset{
		"ine-es":   {seasonal},
		"insee-fr": {french},
		"ons-uk":   {digital, english},
	}
}

func mustDuration(s string) asset.Duration {
	d, err := asset.ParseDuration(s)
	if err != nil {
		panic(err)
	}
	return d
}

// RecordOf returns a store record of a, from source, fetched at t.
func RecordOf(source string, a *asset.Asset, t time.Time) store.Record {
	doc, err := asset.Marshal(asset.NewDocument(*a))
	if err != nil {
		panic(err)
	}
	return store.Record{
		Provenance: store.Provenance{Source: source, Publisher: source, Origin: "https://" + source + ".example/feed.json", Protocol: "feed", Fetched: t},
		ID:         a.ID, Version: a.Version, Doc: doc,
		Downloads: map[string]string{"ota": "https://" + source + ".example/" + a.ID + ".ota"},
	}
}
