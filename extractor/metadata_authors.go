package extractor

import (
	"html"
	"regexp"
	"strings"
	"unicode"
)

var (
	authorPrefix = regexp.MustCompile(`(?i)^\s*((written|posted|reported|words|story|text|photos?|edited|compiled|published|analysis|commentary|review|interview)\s+by|by|from|par|author|authors|autor|auteur|byline)\s*[:\-–—]?\s+`)
	// authorForeignBy are words for "by" that also begin names ("Von
	// Miller", "Di Maria"): removed only when a full name follows.
	authorForeignBy = regexp.MustCompile(`(?i)^\s*(von|por|di|door|av)\s+(\pL+\s+\pL+)`)
	authorLabel     = guarded(`^\s*\pL+\s*:\s+`, ":")
	authorEmail     = guarded(`\S+@\S+\.\S+`, "@")
	authorURL       = guarded(`(?i)\(?\b(https?://|www\.)\S+\)?`, "http", "www.")
	authorCut       = guarded(`(?i)\s*(\||\s[-–—]\s|\b(last\s+)?updated\b|\b(edited|illustrations?|illustrated|photos?|photographs?|graphics|translated|additional reporting)\s+by\b|\bpublished\b|\bposted\b|\blast modified\b|\bfollow\b|\bemail\b|\bcontact\b|\bon (twitter|x)\b|\bread more\b|\bmore from\b|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b).*$`,
		"|", "-", "–", "—", "updated", "by", "published", "posted", "modified", "follow", "email", "contact", "on twitter", "on x", "read more", "more from", "day")
	authorSplit = regexp.MustCompile(`\s*(?:,|;|\s/\s|\s&\s|\s(?:and|And|AND|und|et|y|e|with|avec|mit)\s)\s*`)
	authorMonth = guarded(`(?i)\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\b\.?\s*\d`,
		"0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
	authorWith   = guarded(`(?i)\s*\((with|avec|mit|con|com)\s+`, "(")
	authorStop   = guarded(`(\pL{3,})\.\s+(\p{Lu})`, ".")
	authorDomain = guarded(`(?i)^\S+\.(com|net|org|co|io|news|info|[a-z]{2})$`, ".")
)

// authorTitles are job titles and roles that follow or replace a name in
// bylines; a part made only of them is not a name.
var authorTitles = map[string]bool{
	"staff": true, "writer": true, "writers": true, "reporter": true, "reporters": true,
	"correspondent": true, "editor": true, "editors": true, "contributor": true,
	"contributors": true, "contributing": true, "columnist": true, "senior": true,
	"chief": true, "associate": true, "assistant": true, "deputy": true, "managing": true,
	"political": true, "national": true, "foreign": true, "business": true,
	"technology": true, "tech": true, "science": true, "sports": true, "news": true,
	"special": true, "freelance": true, "guest": true, "author": true, "photographer": true,
	"producer": true, "analyst": true, "the": true, "a": true, "an": true, "of": true,
	"in": true, "for": true, "at": true, "desk": true, "team": true, "bureau": true,
	"international": true, "investigative": true,
	"health": true, "opinion": true, "culture": true, "arts": true, "travel": true,
	"economics": true, "economy": true, "education": true, "affairs": true, "video": true,
	"journalist": true, "intern": true, "fellow": true, "digital": true, "global": true,
	"markets": true, "climate": true, "legal": true, "data": true, "enterprise": true,
	"features": true, "feature": true, "breaking": true, "local": true, "metro": true,
	"entertainment": true, "lifestyle": true, "food": true, "critic": true, "by": true,
	"and": true, "updated": true, "published": true, "posted": true,
}

// authorNotNames are byline parts that are placeholders, not names.
var authorNotNames = map[string]bool{
	"admin": true, "administrator": true, "staff": true, "editor": true, "editors": true,
	"guest": true, "anonymous": true, "unknown": true, "follow author": true,
	"follow": true, "share": true, "comments": true, "view all posts": true,
}

// cleanAuthors turns raw bylines into a list of person names: prefixes such
// as "By", e-mail addresses, URLs, dates and job titles are removed, lists
// such as "A, B and C" are split, and duplicates dropped.
func cleanAuthors(raw []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range raw {
		for _, name := range splitByline(r) {
			key := strings.ToLower(name)
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, name)
		}
	}
	return out
}

// splitByline cleans one raw byline into the names it holds.
func splitByline(s string) []string {
	s = html.UnescapeString(s)
	if i := strings.IndexAny(s, "\n\r"); i > 0 && len(strings.TrimSpace(s[:i])) > 3 {
		// Bylines that span lines carry dates or roles on the next lines;
		// a first line of "By" alone is joined with the next.
		if strings.TrimSpace(authorPrefix.ReplaceAllString(strings.TrimSpace(s[:i])+" ", "")) != "" {
			s = s[:i]
		}
	}
	s = normalizeSpace(s)
	s = authorEmail.ReplaceAllString(s, "")
	s = authorURL.ReplaceAllString(s, "")
	for i := 0; i < 2; i++ {
		s = strings.TrimSpace(authorPrefix.ReplaceAllString(s, ""))
		s = strings.TrimSpace(authorLabel.ReplaceAllString(s, ""))
		s = strings.TrimSpace(authorForeignBy.ReplaceAllString(s, "$2"))
	}
	s = authorCut.ReplaceAllString(s, "")
	if loc := authorWith.FindStringIndex(s); loc != nil {
		// "A (with B and C)" lists B and C as authors too.
		s = s[:loc[0]] + ", " + strings.Replace(s[loc[1]:], ")", "", 1)
	}
	if loc := authorMonth.FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	// "Jane Doe. Example Times" separates a name from its outlet.
	s = authorStop.ReplaceAllString(s, "$1, $2")
	var parts []string
	for i, part := range authorSplit.Split(s, -1) {
		part = strings.TrimSpace(authorPrefix.ReplaceAllString(part+" ", ""))
		part = strings.Trim(part, " .:-–—·•()[]\"'")
		if i := strings.IndexAny(part, "0123456789"); i >= 0 {
			if i > 0 && hasLetter(part[i-1:i]) {
				continue // a user name such as "jdoe42", not a person's name
			}
			part = strings.Trim(part[:i], " .:-–—·•([\"'")
		}
		part = cutCapsName(part)
		if i > 0 && len(parts) > 0 && isAffiliation(part) {
			continue // "Jane Doe, AP Sports Writer", "Jane Doe, PhD"
		}
		part = trimRole(part)
		if part == "" || len(part) > 60 || !hasLetter(part) || wordCount(part) > 6 {
			continue
		}
		if isAuthorTitle(part) || authorNotNames[strings.ToLower(part)] || isCollective(part) || authorDomain.MatchString(part) {
			continue
		}
		if len(parts) > 0 && isOrganisation(part) {
			continue // "Jane Doe, Example Press Agency"
		}
		parts = append(parts, part)
	}
	// A one-word part beside full names is an outlet or a credential.
	full := false
	for _, p := range parts {
		full = full || wordCount(p) > 1
	}
	var out []string
	for _, p := range parts {
		if full && wordCount(p) == 1 {
			continue
		}
		out = append(out, p)
	}
	return out
}

// cutCapsName keeps the upper-case name at the start of a part when
// title-case words follow it ("ERIC TUCKER Associated Press").
func cutCapsName(s string) string {
	words := strings.Fields(s)
	caps := 0
	for _, w := range words {
		if strings.ToUpper(w) != w || !hasLetter(w) {
			break
		}
		caps++
	}
	if caps >= 2 && caps < len(words) {
		return strings.Join(words[:caps], " ")
	}
	return s
}

// wireAgencies are news agencies credited next to a reporter's name.
var wireAgencies = map[string]bool{
	"associated press": true, "the associated press": true, "ap": true, "reuters": true,
	"afp": true, "agence france-presse": true, "upi": true, "pti": true, "ians": true,
	"dpa": true, "ansa": true, "efe": true, "bloomberg": true, "xinhua": true, "cnn": true,
	"bbc": true, "tass": true, "kyodo": true, "yonhap": true, "aap": true, "ani": true,
}

// credentials are degrees and titles written after a name.
var credentials = map[string]bool{
	"phd": true, "ph.d": true, "md": true, "ms": true, "msc": true, "rd": true, "rn": true,
	"mba": true, "ma": true, "ba": true, "bsc": true, "jd": true, "cpa": true, "mph": true,
	"dds": true, "do": true, "np": true, "pa": true, "lcsw": true, "cfp": true, "cfa": true,
	"jr": true, "sr": true, "ii": true, "iii": true, "esq": true,
}

// isAffiliation reports whether a part that follows a name is not another
// name but the writer's outlet, credential or job.
func isAffiliation(s string) bool {
	l := strings.ToLower(strings.Trim(s, " ."))
	if wireAgencies[l] || credentials[strings.ReplaceAll(l, ".", "")] {
		return true
	}
	words := strings.Fields(l)
	if len(words) == 0 {
		return false
	}
	if wireAgencies[words[0]] && len(words) <= 3 {
		return true // "AP Sports Writer", "CNN Business"
	}
	last := strings.Trim(words[len(words)-1], ".,")
	for role := range authorRoles {
		if strings.Contains(last, role) {
			return true // "Senior Writer", "Editor-at-large"
		}
	}
	return false
}

// isCollective reports a byline of a group rather than a person ("Staff
// Reports", "Metro Desk").
func isCollective(s string) bool {
	words := strings.Fields(strings.ToLower(s))
	if len(words) == 0 {
		return false
	}
	switch strings.Trim(words[len(words)-1], ".,") {
	case "staff", "reports", "report", "desk", "team", "bureau", "wire", "wires", "services",
		"newsroom", "editors", "redaktion", "rédaction", "redacción", "redação":
		return true
	}
	return false
}

// isOrganisation reports a name of an organisation ("The Associated
// Press", "European Space Agency"): dropped when it follows a person's
// name, kept when it is the only credit.
func isOrganisation(s string) bool {
	words := strings.Fields(strings.ToLower(s))
	if len(words) == 0 {
		return false
	}
	if words[0] == "the" {
		return true
	}
	switch strings.Trim(words[len(words)-1], ".,") {
	case "agency", "press", "news", "media", "association", "institute", "university",
		"ministry", "ministries", "inc", "ltd", "llc", "group", "foundation", "council", "board":
		return true
	}
	return false
}

// authorRoles are nouns that end a job title written after a name without
// a comma ("Jane Doe Games Editor").
var authorRoles = map[string]bool{
	"editor": true, "writer": true, "reporter": true, "correspondent": true,
	"columnist": true, "contributor": true, "producer": true, "critic": true,
	"analyst": true, "journalist": true, "photographer": true, "intern": true,
}

// trimRole removes a job title that follows a name without a comma: a
// trailing role noun, the title words before it, and when more than two
// words remain, the one word of the beat ("Games Editor").
func trimRole(s string) string {
	words := strings.Fields(s)
	if len(words) < 3 || !authorRoles[strings.ToLower(strings.Trim(words[len(words)-1], ".,"))] {
		return s
	}
	words = words[:len(words)-1]
	for len(words) > 2 && authorTitles[strings.ToLower(words[len(words)-1])] {
		words = words[:len(words)-1]
	}
	if len(words) > 2 && !authorTitles[strings.ToLower(words[len(words)-1])] {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}

// isAuthorTitle reports whether every word of s is a job-title word.
func isAuthorTitle(s string) bool {
	words := strings.Fields(strings.ToLower(s))
	if len(words) == 0 {
		return true
	}
	for _, w := range words {
		if !authorTitles[strings.Trim(w, ".,")] {
			return false
		}
	}
	return true
}

// hasLetter reports whether s holds at least one letter.
func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// normalizeSpace collapses runs of white space to one space and trims.
func normalizeSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// sortedNameKeys are the meta keys whose convention is one author per tag,
// written surname first ("Jong, Michiel de"): Dublin Core and the
// Highwire citation tags.
var sortedNameKeys = map[string]bool{
	"dc.creator": true, "dc:creator": true, "dcterm:creator": true, "dcterms.creator": true,
	"citation_author": true,
}

// sortedName matches "Surname, Given names": a surname of one capitalised
// word after optional lower-case particles ("van der Berg"), then up to
// four given names or initials.
var sortedName = regexp.MustCompile(`^((?:\p{Ll}+\s+){0,3}\p{Lu}[\pL'’-]+),\s*(\p{Lu}[\pL.'’-]*(?:\s+[\pL.'’-]+){0,3})$`)

// invertSortedNames turns a sort-form meta value into display names:
// "Jong, Michiel de" becomes "Michiel de Jong" and "Kooman, F." becomes
// "F. Kooman". A value that does not have that form, or whose second
// part is an affiliation or a title rather than given names ("Doe,
// Reuters"), is returned as it is, split at semicolons.
func invertSortedNames(v string) []string {
	var out []string
	for _, part := range strings.Split(v, ";") {
		part = normalizeSpace(part)
		m := sortedName.FindStringSubmatch(part)
		if m == nil || isAffiliation(m[2]) || isAuthorTitle(m[2]) || isOrganisation(m[2]) {
			out = append(out, part)
			continue
		}
		out = append(out, m[2]+" "+m[1])
	}
	return out
}
