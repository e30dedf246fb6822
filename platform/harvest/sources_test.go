package harvest

import (
	"encoding/base64"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/metaacademy/ota/packaging/bundle"
)

func mustAddr(t *testing.T, s string) netip.Addr {
	t.Helper()
	a, err := netip.ParseAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestReadSources(t *testing.T) {
	pub, _, _ := bundle.GenerateKey()
	raw := base64.StdEncoding.EncodeToString(pub)
	pem, _ := bundle.MarshalPublicKey(pub)
	good := `{"sources":[{"name":"ine-es","title":"INE","feed":"https://ine.example/feed.json","keys":[{"publicKey":"` + raw + `"}]},
		{"name":"ons-uk","oai":"https://ons.example/oai","keys":[{"id":"` + bundle.KeyID(pub) + `","publicKey":` + jsonString(string(pem)) + `}]}]}`
	s, err := ReadSources(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Sources) != 2 || s.Sources[0].Keys[0].ID != bundle.KeyID(pub) || !s.Sources[1].Keys[0].Key().Equal(pub) {
		t.Errorf("ReadSources = %+v", s)
	}
	bad := []struct{ name, json, want string }{
		{"not JSON", `{`, "unexpected EOF"},
		{"unknown member", `{"sources":[],"extra":1}`, "unknown field"},
		{"trailing data", `{"sources":[]} {}`, "after the JSON"},
		{"bad name", `{"sources":[{"name":"a b","feed":"https://x.example/f"}]}`, "sources[0].name"},
		{"duplicate", `{"sources":[{"name":"a","feed":"https://x.example/f"},{"name":"a","feed":"https://x.example/g"}]}`, "listed twice"},
		{"nothing to harvest", `{"sources":[{"name":"a"}]}`, "no feed"},
		{"file URL", `{"sources":[{"name":"a","feed":"file:///etc/passwd"}]}`, "only http"},
		{"relative URL", `{"sources":[{"name":"a","feed":"/feed.json"}]}`, "only http"},
		{"user info", `{"sources":[{"name":"a","feed":"https://u:p@x.example/f"}]}`, "user information"},
		{"short key", `{"sources":[{"name":"a","feed":"https://x.example/f","keys":[{"publicKey":"AAAA"}]}]}`, "3 bytes"},
		{"wrong id", `{"sources":[{"name":"a","feed":"https://x.example/f","keys":[{"id":"nope","publicKey":"` + raw + `"}]}]}`, "key's ID"},
		{"too large", `{"sources":[` + strings.Repeat(" ", MaxSourcesBytes) + `]}`, "larger than"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadSources(strings.NewReader(c.json))
			if !errors.Is(err, ErrSources) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("ReadSources: %v, want ErrSources with %q", err, c.want)
			}
		})
	}
}

func jsonString(s string) string {
	return `"` + strings.ReplaceAll(s, "\n", `\n`) + `"`
}

func FuzzReadSources(f *testing.F) {
	pub, _, _ := bundle.GenerateKey()
	f.Add(`{"sources":[{"name":"ine-es","feed":"https://ine.example/feed.json","keys":[{"publicKey":"` + base64.StdEncoding.EncodeToString(pub) + `"}]}]}`)
	f.Add(`{"sources":[{"name":"a","oai":"http://[::1]:80/oai","bundles":["https://x.example/a.ota"],"allowUnsigned":true}]}`)
	f.Add(`{"sources":null}`)
	f.Fuzz(func(t *testing.T, data string) {
		s, err := ReadSources(strings.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrSources) {
				t.Fatalf("error not of class ErrSources: %v", err)
			}
			return
		}
		for _, src := range s.Sources {
			for _, k := range src.Keys {
				if len(k.Key()) != 32 || k.ID != bundle.KeyID(k.Key()) {
					t.Fatalf("accepted a key without a valid public key: %+v", k)
				}
			}
			for _, u := range append([]string{src.Feed, src.OAI}, src.Bundles...) {
				if u != "" && checkURL(u) != nil {
					t.Fatalf("accepted URL %q", u)
				}
			}
		}
	})
}
