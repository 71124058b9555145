package crawler

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"

	"golang.org/x/net/idna"
)

// trackingParams are query parameters that identify a campaign, a click or a
// share rather than a document; Canonicalize drops them (names compared
// case-insensitively). Every parameter starting with "utm_" is dropped too.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "mc_cid": true, "mc_eid": true, "yclid": true, "igshid": true,
	"_ga": true, "_gl": true, "ref_src": true, "cmpid": true, "ncid": true,
	"ocid": true, "sr_share": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"_hsenc": true, "_hsmi": true, "mkt_tok": true, "oly_anon_id": true,
	"oly_enc_id": true, "rb_clickid": true, "s_cid": true, "vero_id": true,
	"vero_conv": true, "wt.mc_id": true, "at_medium": true, "at_campaign": true,
	"__twitter_impression": true, "_openstat": true, "spm": true, "ito": true,
}

// IsTrackingParam reports whether a query parameter name is one that
// Canonicalize drops: utm_* and the names in the documented list (fbclid,
// gclid, dclid, gbraid, wbraid, msclkid, mc_cid, mc_eid, yclid, igshid, _ga,
// _gl, ref_src, cmpid, ncid, ocid, sr_share, twclid, ttclid, li_fat_id, _hsenc,
// _hsmi, mkt_tok, oly_anon_id, oly_enc_id, rb_clickid, s_cid, vero_id,
// vero_conv, wt.mc_id, at_medium, at_campaign, __twitter_impression,
// _openstat, spm, ito).
func IsTrackingParam(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "utm_") || trackingParams[n]
}

// errNotHTTP is returned for URLs that are not absolute http(s) URLs.
var errNotHTTP = errors.New("not an absolute http(s) URL")

// Canonicalize returns the canonical form of an absolute http(s) URL, so that
// the many spellings of one article map to one key: scheme and host
// lowercased, a trailing dot on the host dropped, user info dropped, the
// default port dropped, an IDN host converted to punycode, percent-encoding
// normalised (unreserved characters decoded, other escapes in upper case,
// characters that need it encoded), dot segments resolved, an empty path
// made "/", the fragment dropped, tracking parameters dropped (see
// IsTrackingParam), and the remaining query parameters sorted by name (the
// order of repeated names is kept). It returns an error for URLs that do
// not parse or are not absolute http(s) URLs.
func Canonicalize(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("crawler: canonicalize %q: %w", raw, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if (scheme != "http" && scheme != "https") || u.Opaque != "" || u.Host == "" {
		return "", fmt.Errorf("crawler: canonicalize %q: %w", raw, errNotHTTP)
	}
	host, err := canonicalHost(u.Hostname())
	if err != nil {
		return "", fmt.Errorf("crawler: canonicalize %q: %w", raw, err)
	}
	port := u.Port()
	if p := strings.TrimLeft(port, "0"); p != port {
		if p == "" {
			p = "0"
		}
		port = p
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}

	path := removeDotSegments(normalizeEscapes(u.EscapedPath(), pathChar))
	if path == "" {
		path = "/"
	}

	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	b.WriteString(path)
	if q := canonicalQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String(), nil
}

// canonicalHost lowercases a host and converts an internationalised name
// to its ASCII (punycode) form.
func canonicalHost(h string) (string, error) {
	if h == "" {
		return "", errors.New("empty host")
	}
	if ip := net.ParseIP(h); ip != nil {
		if ip.To4() != nil {
			return ip.String(), nil
		}
		return strings.ToLower(ip.String()), nil
	}
	h = strings.TrimSuffix(h, ".")
	for i := 0; i < len(h); i++ {
		if h[i] >= 0x80 {
			a, err := idna.Lookup.ToASCII(h)
			if err != nil {
				return "", fmt.Errorf("invalid host %q: %w", h, err)
			}
			h = a
			break
		}
	}
	h = strings.ToLower(h)
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return "", fmt.Errorf("invalid host %q", h)
		}
	}
	if h == "" || strings.Contains(h, "..") || strings.HasPrefix(h, ".") || strings.HasSuffix(h, ".") {
		return "", fmt.Errorf("invalid host %q", h)
	}
	return h, nil
}

// canonicalQuery drops tracking parameters, normalises escapes and sorts
// the rest by name, stably.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type pair struct{ key, kv string }
	var pairs []pair
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		kv := normalizeEscapes(part, queryChar)
		key, _, _ := strings.Cut(kv, "=")
		name, err := url.QueryUnescape(key)
		if err != nil {
			name = key
		}
		if IsTrackingParam(name) {
			continue
		}
		pairs = append(pairs, pair{key, kv})
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].key < pairs[j].key })
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p.kv
	}
	return strings.Join(out, "&")
}

// unreserved reports RFC 3986 unreserved characters, which never need escaping.
func unreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// pathChar reports characters that may appear unescaped in a path.
func pathChar(c byte) bool {
	return unreserved(c) || strings.IndexByte("!$&'()*+,;=:@/", c) >= 0
}

// queryChar reports characters kept unescaped in a query pair; '&' never
// reaches it and '=' separates name from value.
func queryChar(c byte) bool {
	return unreserved(c) || strings.IndexByte("!$'()*+,;=:@/?", c) >= 0
}

const upperHex = "0123456789ABCDEF"

func fromHex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// normalizeEscapes decodes escaped unreserved characters, upper-cases the
// hex digits of other escapes, and escapes bytes that allowed rejects
// (including a '%' that does not start a valid escape).
func normalizeEscapes(s string, allowed func(byte) bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) {
			hi, ok1 := fromHex(s[i+1])
			lo, ok2 := fromHex(s[i+2])
			if ok1 && ok2 {
				d := hi<<4 | lo
				if unreserved(d) {
					b.WriteByte(d)
				} else {
					b.WriteByte('%')
					b.WriteByte(upperHex[hi])
					b.WriteByte(upperHex[lo])
				}
				i += 2
				continue
			}
		}
		if c != '%' && allowed(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	return b.String()
}

// removeDotSegments resolves "." and ".." segments as in RFC 3986 5.2.4.
func removeDotSegments(p string) string {
	if p == "" {
		return ""
	}
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	r := strings.Join(out, "/")
	if !strings.HasPrefix(r, "/") {
		r = "/" + r
	}
	return r
}

// parseURL is url.Parse with surrounding space trimmed.
func parseURL(s string) (*url.URL, error) { return url.Parse(strings.TrimSpace(s)) }
