package lrs

import (
	"net/http"
	"testing"
	"time"
)

func TestClientParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 31, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"  7 ", 7 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"1.5", 0, false},
		{"99999999999", 24 * time.Hour, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"Fri, 31 May 2024 12:00:30 GMT", 30 * time.Second, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := parseRetryAfter(tc.in, now)
			if got != tc.want || ok != tc.ok {
				t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestClientBackoff(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}.withDefaults()
	for n := 1; n <= 40; n++ {
		full := min(100*time.Millisecond<<min(n-1, 20), time.Second)
		for range 50 {
			d := p.backoff(n)
			if d < full/2 || d > full {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, full/2, full)
			}
		}
	}
	if got := (RetryPolicy{}).withDefaults(); got.MaxAttempts != 4 || got.BaseDelay != 250*time.Millisecond || got.MaxDelay != 30*time.Second {
		t.Errorf("defaults %+v", got)
	}
}

func TestClientRetryable(t *testing.T) {
	for _, tc := range []struct {
		status     int
		idempotent bool
		want       bool
	}{
		{429, false, true}, {429, true, true}, {503, false, false}, {503, true, true}, {500, true, true},
		{501, true, false}, {505, true, false}, {404, true, false}, {409, true, false}, {400, true, false},
	} {
		if got := retryable(tc.status, tc.idempotent); got != tc.want {
			t.Errorf("retryable(%d, %v) = %v", tc.status, tc.idempotent, got)
		}
	}
}

func TestClientReadMultipart(t *testing.T) {
	good := NewAttachmentPayload("text/plain", []byte("first\r\n"))
	second := NewAttachmentPayload("application/octet-stream", []byte{0, 1, 0xff})
	part := func(p AttachmentPayload, extra string) string {
		return "--b\r\nContent-Type: " + p.ContentType + "\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: " +
			p.SHA2 + "\r\n\r\n" + string(p.Data) + extra + "\r\n"
	}
	head := "--b\r\nContent-Type: application/json\r\n\r\n{\"id\":\"x\"}\r\n"
	cases := []struct {
		name, body string
		ok         bool
	}{
		{"as the spec says", head + part(good, "") + part(second, "") + "--b--", true},
		{"Learning Locker's extra CRLF", head + part(good, "\r\n") + part(second, "\r\n") + "--b--", true},
		{"altered content", head + part(AttachmentPayload{SHA2: good.SHA2, ContentType: "text/plain", Data: []byte("First\r\n")}, "") + "--b--", false},
		{"no hash", head + "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", false},
		{"empty", "--b--", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			first, parts, err := readMultipart([]byte(tc.body), "b")
			if (err == nil) != tc.ok {
				t.Fatalf("error %v", err)
			}
			if !tc.ok {
				return
			}
			if string(first) != `{"id":"x"}` || len(parts) != 2 || string(parts[0].Data) != "first\r\n" || string(parts[1].Data) != "\x00\x01\xff" {
				t.Errorf("got %q %+v", first, parts)
			}
		})
	}
}
