package crawler

import (
	"strings"
	"testing"
)

func TestCanonicalize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"http://Example.COM", "http://example.com/"},
		{"HTTPS://www.Example.com/Path", "https://www.example.com/Path"},
		{"http://example.com:80/a", "http://example.com/a"},
		{"https://example.com:443/a", "https://example.com/a"},
		{"http://example.com:8080/a", "http://example.com:8080/a"},
		{"https://example.com:80/a", "https://example.com:80/a"},
		{"http://example.com:0080/a", "http://example.com/a"},
		{"http://example.com./a", "http://example.com/a"},
		{"http://user:pass@example.com/a", "http://example.com/a"},
		{"http://example.com/a#frag", "http://example.com/a"},
		{"http://example.com/#!/x", "http://example.com/"},
		{"http://example.com/a/./b/../c", "http://example.com/a/c"},
		{"http://example.com/a/b/..", "http://example.com/a/"},
		{"http://example.com/../../a", "http://example.com/a"},
		{"http://example.com/a/.", "http://example.com/a/"},
		{"http://example.com/%7euser/%41b%2fc", "http://example.com/~user/Ab%2Fc"},
		{"http://example.com/a%2eb/%2E%2E/c", "http://example.com/c"},
		{"http://example.com/caf\u00e9", "http://example.com/caf%C3%A9"},
		{"http://example.com/a b", "http://example.com/a%20b"},
		{"http://example.com/a?b=2&a=1", "http://example.com/a?a=1&b=2"},
		{"http://example.com/a?z=1&a=2&a=1", "http://example.com/a?a=2&a=1&z=1"},
		{"http://example.com/a?utm_source=x&utm_Medium=y&id=5", "http://example.com/a?id=5"},
		{"http://example.com/a?fbclid=1&gclid=2&dclid=3&gbraid=4&wbraid=5&msclkid=6", "http://example.com/a"},
		{"http://example.com/a?mc_cid=1&mc_eid=2&yclid=3&igshid=4&_ga=5&_gl=6", "http://example.com/a"},
		{"http://example.com/a?ref_src=1&cmpid=2&ncid=3&ocid=4&sr_share=5&x=1", "http://example.com/a?x=1"},
		{"http://example.com/a?UTM_SOURCE=x", "http://example.com/a"},
		{"http://example.com/a?", "http://example.com/a"},
		{"http://example.com/a?&&b=1&", "http://example.com/a?b=1"},
		{"http://example.com/a?q=a+b&r=%7e%2f", "http://example.com/a?q=a+b&r=~%2F"},
		{"http://example.com/a?flag", "http://example.com/a?flag"},
		{"http://b\u00fccher.example/a", "http://xn--bcher-kva.example/a"},
		{"http://B\u00dcCHER.example/", "http://xn--bcher-kva.example/"},
		{"http://xn--bcher-kva.example/", "http://xn--bcher-kva.example/"},
		{"http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"},
		{"http://[2001:db8::1]:8080/", "http://[2001:db8::1]:8080/"},
		{"http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x"},
		{"  http://example.com/a  ", "http://example.com/a"},
	}
	for _, tt := range tests {
		got, err := Canonicalize(tt.in)
		if err != nil {
			t.Errorf("Canonicalize(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Canonicalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		again, err := Canonicalize(got)
		if err != nil || again != got {
			t.Errorf("Canonicalize(%q) is not stable: %q, %v", got, again, err)
		}
	}
}

func TestCanonicalizeErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"/relative/path",
		"example.com/a",
		"ftp://example.com/a",
		"mailto:someone@example.com",
		"javascript:alert(1)",
		"http:opaque",
		"http://",
		"http://exa mple.com/",
		"http://example.com:port/",
		"http://%zz/",
		"http://a..b/",
		"http://example.com/100%",
	} {
		if got, err := Canonicalize(in); err == nil {
			t.Errorf("Canonicalize(%q) = %q, want an error", in, got)
		}
	}
}

func FuzzCanonicalize(f *testing.F) {
	for _, s := range []string{
		"http://example.com/a?b=1&utm_source=x#f",
		"https://b\u00fccher.example:443/%7e/../a",
		"http://[::1]:80/",
		"http://example.com/a%2",
		"HTTP://EXAMPLE.COM/a/./b/../c?z=1&a=2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Canonicalize(s)
		if err != nil {
			return
		}
		if !strings.HasPrefix(got, "http://") && !strings.HasPrefix(got, "https://") {
			t.Fatalf("Canonicalize(%q) = %q: not http(s)", s, got)
		}
		again, err := Canonicalize(got)
		if err != nil {
			t.Fatalf("Canonicalize(%q) = %q, which does not canonicalize: %v", s, got, err)
		}
		if again != got {
			t.Fatalf("Canonicalize not idempotent: %q -> %q -> %q", s, got, again)
		}
	})
}
