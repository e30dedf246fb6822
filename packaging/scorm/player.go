package scorm

import _ "embed"

// The launch page that makes content a SCO; see player/ota-scorm.js for
// what it does.
var (
	//go:embed player/launch.html
	playerHTML []byte
	//go:embed player/ota-scorm.js
	playerJS []byte
	//go:embed player/adapter.html
	adapterHTML []byte
	//go:embed player/ota-adapter.js
	adapterJS []byte
)
