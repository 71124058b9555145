package extractor

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the zones of written times ("3:04 p.m. ET") resolve the same on every machine
	"unicode"
	"unicode/utf8"
)

// monthNames maps the lower-cased month names and abbreviations of the
// languages whose date lines are read to the month's number: English,
// German, French, Spanish, Italian, Portuguese, Dutch, Polish, Russian,
// Ukrainian, Turkish and Arabic (both the Egyptian and the Levantine
// names). Chinese, Japanese and Korean write months as numbers.
var monthNames = map[string]int{}

func init() {
	for m, names := range [12][]string{
		{"january", "jan", "januar", "jänner", "jän", "janvier", "janv", "enero", "ene", "gennaio", "gen", "janeiro", "januari", "stycznia", "styczeń", "styczen", "sty", "января", "январь", "янв", "січня", "січень", "ocak", "يناير", "كانون الثاني"},
		{"february", "feb", "februar", "feber", "février", "fevrier", "févr", "fevr", "fév", "febrero", "febbraio", "fevereiro", "fev", "februari", "lutego", "luty", "lut", "февраля", "февраль", "фев", "лютого", "лютий", "şubat", "subat", "فبراير", "شباط"},
		{"march", "mar", "märz", "maerz", "mär", "mrz", "mars", "marzo", "março", "marco", "maart", "mrt", "marca", "marzec", "мар", "марта", "март", "березня", "березень", "mart", "مارس", "آذار"},
		{"april", "apr", "avril", "avr", "abril", "abr", "aprile", "kwietnia", "kwiecień", "kwiecien", "kwi", "апреля", "апрель", "апр", "квітня", "квітень", "nisan", "أبريل", "ابريل", "إبريل", "نيسان"},
		{"may", "mai", "mayo", "maggio", "mag", "maio", "mei", "maja", "maj", "мая", "май", "травня", "травень", "mayıs", "mayis", "مايو", "أيار", "ايار"},
		{"june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho", "czerwca", "czerwiec", "cze", "июня", "июнь", "червня", "червень", "haziran", "يونيو", "يونيه", "حزيران"},
		{"july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "lipca", "lipiec", "lip", "июля", "июль", "липня", "липень", "temmuz", "يوليو", "يوليه", "تموز"},
		{"august", "aug", "août", "aout", "agosto", "ago", "augustus", "sierpnia", "sierpień", "sierpien", "sie", "августа", "август", "авг", "серпня", "серпень", "ağustos", "agustos", "أغسطس", "اغسطس", "آب"},
		{"september", "sep", "sept", "septembre", "septiembre", "setiembre", "set", "settembre", "setembro", "września", "wrzesień", "wrzesien", "wrz", "сентября", "сентябрь", "сен", "вересня", "вересень", "eylül", "eylul", "سبتمبر", "أيلول", "ايلول"},
		{"october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out", "października", "pazdziernika", "październik", "paź", "paz", "октября", "октябрь", "окт", "жовтня", "жовтень", "ekim", "أكتوبر", "اكتوبر", "تشرين الأول", "تشرين الاول"},
		{"november", "nov", "novembre", "noviembre", "novembro", "listopada", "listopad", "lis", "ноября", "ноябрь", "ноя", "листопада", "листопад", "kasım", "kasim", "نوفمبر", "تشرين الثاني"},
		{"december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic", "dicembre", "dezembro", "grudnia", "grudzień", "grudzien", "gru", "декабря", "декабрь", "дек", "грудня", "грудень", "aralık", "aralik", "ديسمبر", "كانون الأول", "كانون الاول"},
	} {
		for _, n := range names {
			monthNames[n] = m + 1
		}
	}
	// A month is any word (or two, for the Levantine names) looked up in
	// monthNames: one generic pattern is much faster than an alternation
	// of every name.
	month := `(\pL+(?:\s\pL+)?)`
	textDates = []textDatePattern{
		// 2024-03-24, 2024-03-24T10:31:00+01:00
		{re: regexp.MustCompile(`(?:^|[^\d])(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s?(Z|[+-]\d{2}:?\d{2})?)?(?:[^\d]|$)`), y: 1, m: 2, d: 3, iso: true, sep: "-", digitsBefore: 4},
		// 2024年3月24日, 2024년 3월 24일
		{re: regexp.MustCompile(`(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일号]?`), y: 1, m: 2, d: 3, sep: "年년"},
		// 24. März 2024, 24 de marzo de 2024, 24 марта 2024 г., 1er mars 2024
		{re: regexp.MustCompile(`(?:^|[^\d])(\d{1,2})(?:\.|º|er|st|nd|rd|th|-?го)?\s*(?:de\s+|del\s+|di\s+)?` + month + `\.?[,،]?\s*(?:de\s+|del\s+)?(\d{4})(?:[^\d]|$)`), y: 3, name: 2, d: 1},
		// March 24, 2024; Mar. 24th 2024
		{re: regexp.MustCompile(`(?:^|[^\pL])` + month + `\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:[^\d]|$)`), y: 3, name: 1, d: 2},
		// 24.03.2024, 24. 03. 2024
		{re: regexp.MustCompile(`(?:^|[^\d.])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:[^\d]|$)`), y: 3, m: 2, d: 1, sep: ".", digitsBefore: 1, spaceAfter: true},
		// 24.03.24
		{re: regexp.MustCompile(`(?:^|[^\d.])(\d{1,2})\.(\d{1,2})\.(\d{2})(?:[^\d.]|\.?$|\.\s)`), y: 3, m: 2, d: 1, shortYear: true, sep: ".", digitsBefore: 1},
		// 2024/03/24, 2024.03.24 (Chinese, Korean, Japanese)
		{re: regexp.MustCompile(`(?:^|[^\d])(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[^\d]|$)`), y: 1, m: 2, d: 3, sep: "/.", digitsBefore: 4},
		// 24/03/2024 or 03/24/2024 when the day tells which; 24-03-2024
		{re: regexp.MustCompile(`(?:^|[^\d/])(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:[^\d/]|$)`), y: 3, m: 2, d: 1, either: true, sep: "/-", digitsBefore: 1},
	}
}

// textDatePattern is one way of writing a date, with the submatches that
// hold its parts.
type textDatePattern struct {
	re *regexp.Regexp
	// y, m, d and name are submatch indexes: year, month number, day and
	// month name (0 when the pattern has none).
	y, m, d, name int
	// iso patterns carry their own time and zone.
	iso bool
	// either: day and month may come in either order.
	either bool
	// shortYear: the year has two digits.
	shortYear bool
	// sep holds the characters of which the pattern needs one ("" for
	// none).
	sep string
	// digitsBefore, when not 0, is how many digits the pattern needs
	// right before its separator, which a digit follows (after a white
	// space when spaceAfter).
	digitsBefore int
	spaceAfter   bool
}

var textDates []textDatePattern

// mayMatch is a cheap test that the pattern could match s (year: s holds
// a run of four digits), so that most texts are not run through every
// expression.
func (p textDatePattern) mayMatch(s string, year bool) bool {
	if !year && !p.shortYear {
		return false
	}
	if p.sep == "" {
		return true
	}
	if p.digitsBefore == 0 {
		return strings.ContainsAny(s, p.sep)
	}
	for i := p.digitsBefore; i < len(s); i++ {
		if strings.IndexByte(p.sep, s[i]) < 0 || !allDigits(s[i-p.digitsBefore:i]) {
			continue
		}
		j := i + 1
		if p.spaceAfter && j < len(s) && strings.IndexByte(" \t\n\f\r", s[j]) >= 0 {
			j++
		}
		if j < len(s) && '0' <= s[j] && s[j] <= '9' {
			return true
		}
	}
	return false
}

// allDigits reports whether s is ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// date reads the date of one match of the pattern in s, with the time
// that follows it, and where in s the date starts.
func (p textDatePattern) date(s string, loc []int, order dayOrder) (time.Time, int, bool) {
	sub := func(i int) string {
		if i == 0 || loc[2*i] < 0 {
			return ""
		}
		return s[loc[2*i]:loc[2*i+1]]
	}
	if p.iso {
		end := loc[3]
		for i := 4; i+1 < len(loc); i += 2 {
			end = max(end, loc[i+1])
		}
		t := parseDateIn(s[loc[2]:end])
		return t, loc[2], !t.IsZero()
	}
	start := loc[2]
	y, _ := strconv.Atoi(sub(p.y))
	if p.shortYear {
		y += 2000
		if y > time.Now().Year() {
			y -= 100
		}
	}
	d, _ := strconv.Atoi(sub(p.d))
	var mo int
	if p.name != 0 {
		var off int
		mo, off = monthNamed(sub(p.name))
		if p.name < p.d {
			start = loc[2*p.name] + off
		}
	} else {
		mo, _ = strconv.Atoi(sub(p.m))
	}
	if p.either && mo > 12 && d <= 12 {
		d, mo = mo, d
	} else if p.either && d <= 12 && mo <= 12 && d != mo {
		switch order {
		case monthFirst:
			d, mo = mo, d
		case dayFirst:
		default:
			return time.Time{}, 0, false // 03/04/2024: either order, not guessed
		}
	}
	day, valid := civilDay(y, mo, d)
	if !valid {
		return time.Time{}, 0, false
	}
	if at, ok := writtenTime(day, s[loc[1]-trailing(s, loc):]); ok {
		return at, start, true
	}
	return day, start, true
}

// monthNamed returns the month a word (or two) names, or 0, and where the
// month's word starts in w: "marzo de" is looked up whole, then by its
// last word ("Roe May" in "Jane Roe May 7, 2024"), then by its first.
func monthNamed(w string) (int, int) {
	lw := strings.ToLower(w)
	if m, ok := monthNames[lw]; ok {
		return m, 0
	}
	if i := strings.LastIndexFunc(lw, unicode.IsSpace); i > 0 {
		if m, ok := monthNames[lw[i+1:]]; ok && len(lw) == len(w) {
			return m, i + 1
		}
	}
	if i := strings.IndexFunc(lw, unicode.IsSpace); i > 0 {
		return monthNames[lw[:i]], 0
	}
	return 0, 0
}

// mayHoldDate is a cheap test that s could hold a date with a year: a
// run of four digits, or four digits with two dots or slashes between
// them (24.03.24).
func mayHoldDate(s string) bool {
	run, digits, seps := 0, 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if run++; run >= 4 {
				return true
			}
			digits++
		case c == '.' || c == '/':
			seps++
			run = 0
		default:
			run = 0
		}
	}
	return digits >= 4 && seps >= 2
}

// hasMonthWord reports whether a word of s names a month in monthNames
// (or opens a Levantine month's two words), without allocating for the
// words in ASCII: a cheap test before the expressions with month names.
func hasMonthWord(s string) bool {
	var buf [16]byte
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !unicode.IsLetter(r) {
				break
			}
			j += size
		}
		w := s[i:j]
		i = j
		if len(w) < 3 || len(w) > 24 {
			continue
		}
		if lw, ok := lowerASCII(buf[:], w); ok {
			if _, ok := monthNames[string(lw)]; ok {
				return true
			}
			continue
		}
		lw := strings.ToLower(w)
		if _, ok := monthNames[lw]; ok || monthFirstWords[lw] {
			return true
		}
	}
	return false
}

// lowerASCII writes w in lower case into buf, for a map lookup that does
// not allocate; false when w is not ASCII or does not fit.
func lowerASCII(buf []byte, w string) ([]byte, bool) {
	if len(w) > len(buf) {
		return nil, false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return nil, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf[:len(w)], true
}

// lowerASCIIByte returns c in lower case when it is an ASCII capital.
func lowerASCIIByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// monthFirstWords are the first words of the months named in two words.
var monthFirstWords = map[string]bool{"كانون": true, "تشرين": true}

// hasDigitRun reports whether s holds a run of four ASCII digits.
func hasDigitRun(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			if run++; run >= 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// textTime is a time of day written after a date, with an optional zone:
// ", 3:04 p.m. ET", " um 14:37 Uhr", " à 14h30", " - 13:30".
var textTime = regexp.MustCompile(`(?i)^\s*(?:,|\||-|–|—|/|·|um|at|à|a las|alle|às|om|в|o|saat|klo)?\s*(?:,|\||-)?\s*(\d{1,2})[:h.](\d{2})(?::(\d{2}))?\b\s*(a\.?m\.?|p\.?m\.?)?\s*(?:uhr|h)?\s*((?:utc|gmt)\s?[+-]\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|\(?(?:utc|gmt|z|cet|cest|mez|mesz|eet|eest|wet|west|bst|et|est|edt|ct|cst|cdt|mt|mdt|pt|pst|pdt|jst|kst|msk|aest|aedt)\b\)?)?`)

// writtenZones are the zones that a written time may name. Zones that
// change with daylight saving are named by place, so the offset is the
// one of the day.
var writtenZones = map[string]string{
	"utc": "UTC", "gmt": "UTC", "z": "UTC",
	"cet": "Europe/Berlin", "cest": "Europe/Berlin", "mez": "Europe/Berlin", "mesz": "Europe/Berlin",
	"eet": "Europe/Athens", "eest": "Europe/Athens", "wet": "Europe/Lisbon", "west": "Europe/Lisbon",
	"bst": "Europe/London", "msk": "Europe/Moscow", "jst": "Asia/Tokyo", "kst": "Asia/Seoul",
	"et": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
	"ct": "America/Chicago", "cst": "America/Chicago", "cdt": "America/Chicago",
	"mt": "America/Denver", "mdt": "America/Denver",
	"pt": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
	"aest": "Australia/Sydney", "aedt": "Australia/Sydney",
}

// zoneCache holds the locations of writtenZones, loaded once.
var zoneCache = func() map[string]*time.Location {
	m := map[string]*time.Location{}
	for k, name := range writtenZones {
		if loc, err := time.LoadLocation(name); err == nil {
			m[k] = loc
		}
	}
	return m
}()

// asciiDigits replaces Arabic-Indic, Persian and full-width digits with
// ASCII ones, and reports whether s has any digit at all.
func asciiDigits(s string) (string, bool) {
	has, other := false, false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			has = true
		case unicode.IsDigit(r):
			has, other = true, true
		}
	}
	if !other {
		return s, has
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + r - '٠'
		case r >= '۰' && r <= '۹':
			return '0' + r - '۰'
		case r >= '０' && r <= '９':
			return '0' + r - '０'
		}
		return r
	}, s), true
}

// writtenDate finds the first date written in s in any of the languages
// read, and returns it: at the instant it names when a time and a zone
// follow it, at that wall-clock time in UTC when a time follows without a
// zone (as for machine-readable values without one: the crawler's own
// zone is never assumed), else at midnight UTC of the day. ok is false
// when s holds no date, or an impossible one.
func writtenDate(s string) (t time.Time, ok bool) {
	t, _, ok = writtenDateAt(s)
	return t, ok
}

// dayOrder says how a page writes numeric dates that either order could
// read (03/04/2020): unknown (not read), day first or month first.
type dayOrder int

const (
	orderUnknown dayOrder = iota
	dayFirst
	monthFirst
)

// writtenDateAt is writtenDate that also returns the text before the
// date.
func writtenDateAt(s string) (t time.Time, before string, ok bool) {
	return writtenDateOrdered(s, orderUnknown)
}

// writtenDateOrdered is writtenDateAt on a page that writes numeric dates
// in the given order.
func writtenDateOrdered(s string, order dayOrder) (t time.Time, before string, ok bool) {
	s, digits := asciiDigits(s)
	if !digits || !mayHoldDate(s) {
		return time.Time{}, "", false
	}
	best, bestAt := time.Time{}, len(s)+1
	year := hasDigitRun(s)
	named := -1 // whether s holds a month's name: found out when needed
	for _, p := range textDates {
		if !p.mayMatch(s, year) {
			continue
		}
		if p.name != 0 {
			if named < 0 {
				named = 0
				if hasMonthWord(s) {
					named = 1
				}
			}
			if named == 0 {
				continue
			}
		}
		for _, loc := range p.re.FindAllStringSubmatchIndex(s, 4) {
			if loc[0] >= bestAt {
				break
			}
			if t, at, ok := p.date(s, loc, order); ok {
				best, bestAt = t, at
				break
			}
		}
	}
	if best.IsZero() {
		return best, "", false
	}
	return best, s[:bestAt], true
}

// trailing is how many bytes of the match past the date itself belong to
// what follows it (the pattern's closing guard).
func trailing(s string, loc []int) int {
	if loc[1] > loc[0] && loc[1] <= len(s) {
		r := s[loc[1]-1]
		if r < '0' || r > '9' {
			return 1
		}
	}
	return 0
}

// civilDay returns midnight UTC of a day, if it exists and lies in the
// years news pages can have.
func civilDay(y, mo, d int) (time.Time, bool) {
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || saneIn(t).IsZero() {
		return time.Time{}, false
	}
	return t, true
}

// writtenTime reads a time of day and zone at the start of rest and
// returns that instant on day (that wall-clock time in UTC when no zone is
// stated); ok is false when no time follows.
func writtenTime(day time.Time, rest string) (time.Time, bool) {
	m := textTime.FindStringSubmatch(rest)
	if m == nil {
		return time.Time{}, false
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	sec, _ := strconv.Atoi(m[3])
	switch ampm := strings.ToLower(strings.ReplaceAll(m[4], ".", "")); ampm {
	case "pm":
		if h < 12 {
			h += 12
		}
	case "am":
		if h == 12 {
			h = 0
		}
	}
	if h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	zone := strings.ToLower(strings.Trim(m[5], "() "))
	var loc *time.Location
	if zone == "" {
		loc = wallClock
	} else if l, ok := zoneCache[zone]; ok {
		loc = l
	} else {
		off := strings.TrimLeft(zone, "utcgmt ")
		sign := 1
		if strings.HasPrefix(off, "-") {
			sign = -1
		}
		off = strings.TrimLeft(off, "+-")
		oh, om := off, ""
		if i := strings.IndexByte(off, ':'); i >= 0 {
			oh, om = off[:i], off[i+1:]
		} else if len(off) > 2 {
			oh, om = off[:len(off)-2], off[len(off)-2:]
		}
		hh, err1 := strconv.Atoi(oh)
		mm, _ := strconv.Atoi(om)
		if err1 != nil || hh > 14 || mm > 59 {
			return time.Time{}, false
		}
		loc = time.FixedZone("", sign*(hh*3600+mm*60))
	}
	return time.Date(day.Year(), day.Month(), day.Day(), h, mi, sec, 0, loc), true
}
