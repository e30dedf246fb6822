package oaipmh

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// maxTokenLen bounds the resumption tokens the handler accepts; the ones it
// issues are far shorter.
const maxTokenLen = 2048

// token is what a resumption token carries: the list's arguments, with the
// upper date bound fixed when the list started, and the position reached.
type token struct {
	V      int    `json:"v"`           // token format, 1
	Verb   string `json:"verb"`        // ListRecords or ListIdentifiers
	Prefix string `json:"p"`           // metadataPrefix
	Set    string `json:"s,omitempty"` // set spec
	From   int64  `json:"f,omitempty"` // Unix seconds; 0: open
	Until  int64  `json:"u"`           // Unix seconds, fixed at the start
	After  int64  `json:"ad"`          // the last record's datestamp
	AfterI string `json:"ai"`          // and identifier
	Sent   int    `json:"n"`           // records sent before this page
	Total  int    `json:"t,omitempty"` // completeListSize, 0 when unknown
	Exp    int64  `json:"e"`           // expiry, Unix seconds
}

// errToken is returned for any token that does not decode and verify.
var errToken = errors.New("oaipmh: bad resumption token")

// encodeToken serialises t and signs it with key: base64url(JSON) "."
// base64url(HMAC-SHA256).
func encodeToken(t token, key []byte) string {
	payload, _ := json.Marshal(t) // plain types: cannot fail
	p := base64.RawURLEncoding.EncodeToString(payload)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(p))
	return p + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// decodeToken verifies and decodes a token, and checks it has not expired
// at now. Every failure is errToken: a harvester learns only that the token
// is bad.
func decodeToken(s string, key []byte, now time.Time) (token, error) {
	var t token
	if len(s) > maxTokenLen {
		return t, errToken
	}
	p, sig, ok := strings.Cut(s, ".")
	if !ok {
		return t, errToken
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return t, errToken
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(p))
	if !hmac.Equal(got, mac.Sum(nil)) {
		return t, errToken
	}
	payload, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return t, errToken
	}
	if err := json.Unmarshal(payload, &t); err != nil || t.V != 1 {
		return t, errToken
	}
	if t.Verb != verbListRecords && t.Verb != verbListIdentifiers || t.Prefix == "" || t.Sent < 0 || t.Total < 0 {
		return t, errToken
	}
	if now.Unix() > t.Exp {
		return t, errToken
	}
	return t, nil
}
