package extractor

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ldArticleTypes are the schema.org types whose node describes the article
// of the page, best first.
var ldArticleTypes = []string{
	"newsarticle", "reportagenewsarticle", "analysisnewsarticle",
	"opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle",
	"askpublicnewsarticle", "article", "blogposting", "liveblogposting",
	"socialmediaposting", "scholarlyarticle", "techarticle", "report",
	"posting", "review", "medicalwebpage",
}

// ldPageTypes describe a whole page; their node is used when the page has
// no article node.
var ldPageTypes = []string{"webpage", "itempage", "aboutpage", "qapage", "faqpage"}

// jsonLD is what the JSON-LD blocks of a page say.
type jsonLD struct {
	// article is the node that best describes the page's article, or nil.
	article map[string]any
	// nodes are all the typed nodes of every block.
	nodes []map[string]any
	// byID indexes nodes by their @id, to follow references.
	byID map[string]map[string]any
	// types are the lower-cased @type values of every node.
	types []string
}

// ldMarkers removes the HTML comment and CDATA markers around a block.
var ldMarkers = strings.NewReplacer("<![CDATA[", "", "]]>", "", "<!--", "", "-->", "")

// cleanJSONLD repairs what commonly breaks JSON-LD blocks: HTML comment and
// CDATA markers, JavaScript comments, single-quoted strings, unquoted keys,
// raw control characters in strings, trailing commas and missing values.
func cleanJSONLD(s string) string {
	s = fillGaps(repairJSON(ldMarkers.Replace(s)))
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ";"))
}

// repairJSON rewrites JavaScript-flavoured JSON into JSON, keeping track of
// strings so that their content is never taken for syntax.
func repairJSON(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var quote byte  // the quote of the string being read, or 0
	last := byte(0) // the last significant byte written outside strings
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			switch {
			case c == '\\' && i+1 < len(s):
				if s[i+1] == '\'' {
					b.WriteByte('\'')
				} else {
					b.WriteByte(c)
					b.WriteByte(s[i+1])
				}
				i++
			case c == quote:
				b.WriteByte('"')
				quote = 0
				last = '"'
			case c == '"':
				b.WriteString(`\"`)
			case c < 0x20:
				b.WriteByte(' ')
			default:
				b.WriteByte(c)
			}
			continue
		}
		switch {
		case c == '"' || c == '\'':
			quote = c
			b.WriteByte('"')
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				i = len(s)
			} else {
				i += end + 3
			}
		case (last == '{' || last == ',') && isIdentByte(c):
			j := i
			for j < len(s) && isIdentByte(s[j]) {
				j++
			}
			k := j
			for k < len(s) && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r') {
				k++
			}
			if k < len(s) && s[k] == ':' {
				b.WriteString(`"` + s[i:j] + `"`)
			} else {
				b.WriteString(s[i:j])
			}
			last = s[j-1]
			i = j - 1
		case c < 0x20:
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
			if c != ' ' {
				last = c
			}
		}
	}
	return b.String()
}

// fillGaps drops the commas before a closing bracket and gives a missing
// value null, outside strings, in JSON that repairJSON wrote (its strings
// are double-quoted).
func fillGaps(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	inString := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString:
			if c == '\\' && i+1 < len(s) {
				b.WriteByte(c)
				i++
				c = s[i]
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == ',' || c == ':':
			j := i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\f' || s[j] == '\r') {
				j++
			}
			if j < len(s) {
				next := s[j]
				if c == ',' && (next == ']' || next == '}') {
					continue
				}
				if c == ':' && (next == ',' || next == '}') {
					b.WriteString(":null")
					continue
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isIdentByte reports whether c may be part of an unquoted key.
func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c == '@' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// decodeJSONLD decodes one script block, which may hold several JSON values
// in a row.
func decodeJSONLD(text string) ([]any, error) {
	var out []any
	dec := json.NewDecoder(strings.NewReader(text))
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("decode json-ld: %w", err)
		}
		out = append(out, v)
	}
}

// readJSONLD reads every application/ld+json block of the page; a block
// that cannot be decoded even after repair is skipped. pageURLs (the
// fetched and canonical URLs) pick the article node among several.
func readJSONLD(ix *pageIndex, pageURLs ...string) *jsonLD {
	ld := &jsonLD{byID: map[string]map[string]any{}}
	for _, n := range ix.ldScripts {
		text := textOf(n)
		vals, err := decodeJSONLD(text)
		if err != nil || len(vals) == 0 {
			vals, err = decodeJSONLD(cleanJSONLD(text))
			if err != nil && len(vals) == 0 {
				continue
			}
		}
		for _, v := range vals {
			ld.collect(v, 0)
		}
	}
	ld.article = ld.pick(pageURLs...)
	return ld
}

// collect walks a decoded value and records its typed nodes.
func (ld *jsonLD) collect(v any, depth int) {
	if depth > 8 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			ld.collect(e, depth+1)
		}
	case map[string]any:
		if types := ldTypes(x); len(types) > 0 {
			ld.nodes = append(ld.nodes, x)
			if depth <= 2 {
				ld.types = append(ld.types, types...)
			}
		}
		if id, ok := x["@id"].(string); ok && id != "" && len(x) > 1 {
			if _, seen := ld.byID[id]; !seen {
				ld.byID[id] = x
			}
		}
		if g, ok := x["@graph"]; ok {
			ld.collect(g, depth+1)
		}
		if m, ok := x["mainEntity"]; ok {
			ld.collect(m, depth+1)
		}
	}
}

// ldTypes returns the lower-cased @type values of a node.
func ldTypes(n map[string]any) []string {
	var out []string
	switch t := n["@type"].(type) {
	case string:
		out = append(out, strings.ToLower(strings.TrimSpace(t)))
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, strings.ToLower(strings.TrimSpace(s)))
			}
		}
	}
	for i, s := range out {
		if j := strings.LastIndexAny(s, "/:"); j >= 0 {
			out[i] = s[j+1:]
		}
	}
	return out
}

// hasType reports whether node n has one of the given types.
func hasType(n map[string]any, types []string) bool {
	for _, t := range ldTypes(n) {
		for _, w := range types {
			if t == w {
				return true
			}
		}
	}
	return false
}

// pick chooses the node describing the article: the article node whose
// URL is the page's, else the first article node with a headline, else the
// first article node, else a page node.
func (ld *jsonLD) pick(pageURLs ...string) map[string]any {
	var first map[string]any
	for _, n := range ld.nodes {
		if hasType(n, ldArticleTypes) && ldString(n["headline"]) != "" && sameURL(ldNodeURL(n), pageURLs...) {
			return n
		}
	}
	for _, want := range ldArticleTypes {
		for _, n := range ld.nodes {
			if hasType(n, []string{want}) {
				if ldString(n["headline"]) != "" {
					return n
				}
				if first == nil {
					first = n
				}
			}
		}
	}
	if first != nil {
		return first
	}
	for _, n := range ld.nodes {
		if hasType(n, ldPageTypes) {
			return n
		}
	}
	return nil
}

// ldNodeURL returns the url or mainEntityOfPage of a node.
func ldNodeURL(n map[string]any) string {
	if u := ldString(n["url"]); u != "" {
		return u
	}
	switch m := n["mainEntityOfPage"].(type) {
	case string:
		return m
	case map[string]any:
		if u := ldString(m["@id"]); u != "" {
			return u
		}
		return ldString(m["url"])
	}
	return ""
}

// sameURL reports whether u is one of the page's URLs, ignoring the
// scheme, a trailing slash, the query and the fragment.
func sameURL(u string, pageURLs ...string) bool {
	norm := func(s string) string {
		if i := strings.IndexAny(s, "?#"); i >= 0 {
			s = s[:i]
		}
		if i := strings.Index(s, "://"); i >= 0 {
			s = s[i+3:]
		}
		return strings.TrimSuffix(strings.ToLower(s), "/")
	}
	if u == "" {
		return false
	}
	for _, p := range pageURLs {
		if p != "" && norm(p) == norm(u) {
			return true
		}
	}
	return false
}

// resolve follows an {"@id": ...} reference to the full node, if known.
func (ld *jsonLD) resolve(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	if id, ok := m["@id"].(string); ok && len(m) == 1 {
		if full, ok := ld.byID[id]; ok {
			return full
		}
	}
	return m
}

// ldString returns a string value, the first string of a list, or the
// @value of a value object.
func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strings.TrimSpace(fmt.Sprint(x))
	case []any:
		for _, e := range x {
			if s := ldString(e); s != "" {
				return s
			}
		}
	case map[string]any:
		if s, ok := x["@value"].(string); ok {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

// ldStrings returns every string of a value that may be a string, a list or
// a comma-separated string.
func ldStrings(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		for _, p := range strings.Split(x, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	case []any:
		for _, e := range x {
			out = append(out, ldStrings(e)...)
		}
	case map[string]any:
		if s := ldString(x["name"]); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// names returns the names of persons or organisations given as a string, an
// object, a reference or a list of them, and whether each is an
// organisation.
func (ld *jsonLD) names(v any) (names []string, orgs []bool) {
	v = ld.resolve(v)
	switch x := v.(type) {
	case string:
		if s := strings.TrimSpace(x); s != "" {
			return []string{s}, []bool{false}
		}
	case []any:
		for _, e := range x {
			n, o := ld.names(e)
			names = append(names, n...)
			orgs = append(orgs, o...)
		}
	case map[string]any:
		name := ldString(x["name"])
		if name == "" {
			given, family := ldString(x["givenName"]), ldString(x["familyName"])
			name = strings.TrimSpace(given + " " + family)
		}
		if name != "" {
			return []string{name}, []bool{hasType(x, []string{"organization", "newsmediaorganization", "corporation"})}
		}
	}
	return names, orgs
}

// imageURL returns the URL of an image given as a string, an ImageObject, a
// reference or a list of them.
func (ld *jsonLD) imageURL(v any) string {
	v = ld.resolve(v)
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case []any:
		for _, e := range x {
			if s := ld.imageURL(e); s != "" {
				return s
			}
		}
	case map[string]any:
		if s := ldString(x["url"]); s != "" {
			return s
		}
		return ldString(x["contentUrl"])
	}
	return ""
}

// siteName returns the publisher name of the article or the name of the
// WebSite node.
func (ld *jsonLD) siteName() string {
	if ld.article != nil {
		if n, _ := ld.names(ld.article["publisher"]); len(n) > 0 {
			return n[0]
		}
	}
	for _, n := range ld.nodes {
		if hasType(n, []string{"website"}) {
			if s := ldString(n["name"]); s != "" {
				return s
			}
		}
	}
	return ""
}

// paywalled reports whether a node of the page declares
// isAccessibleForFree false (given as a boolean or a string).
func (ld *jsonLD) paywalled() bool {
	for _, n := range ld.nodes {
		switch v := n["isAccessibleForFree"].(type) {
		case bool:
			if !v {
				return true
			}
		case string:
			if strings.EqualFold(strings.TrimSpace(v), "false") {
				return true
			}
		}
	}
	return false
}
