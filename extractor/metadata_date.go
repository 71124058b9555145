package extractor

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// dateLayouts are the layouts parseDate tries, after the string has been
// cleaned. A layout without a zone gives a time in UTC.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05Z07",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04:05.999999999 -0700",
	"2006-01-02T15:04:05.999999999 Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07:00",
	"2006-01-02 15:04:05-07",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04 -0700",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"2006/01/02",
	"20060102T150405Z0700",
	"20060102",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006",
	time.RFC850,
	time.ANSIC,
	time.UnixDate,
	"Mon Jan 2 2006 15:04:05 GMT-0700",
	"January 2, 2006 3:04 PM MST",
	"January 2, 2006 3:04 PM",
	"January 2, 2006 3:04PM",
	"January 2, 2006 15:04",
	"January 2, 2006, 3:04 PM",
	"January 2, 2006, 15:04",
	"January 2, 2006",
	"January 2 2006",
	"Jan 2, 2006 3:04 PM MST",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006 15:04",
	"Jan 2, 2006",
	"Jan 2 2006",
	"Monday, January 2, 2006 3:04 PM",
	"Monday, January 2, 2006",
	"Mon, January 2, 2006",
	"Mon, Jan 2, 2006",
	"2 January 2006 15:04:05",
	"2 January 2006 15:04",
	"2 January 2006, 15:04",
	"2 January 2006",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"2 Jan 2006",
	"Monday 2 January 2006 15:04",
	"Monday 2 January 2006",
	"Monday, 2 January 2006",
	"02.01.2006 15:04:05",
	"02.01.2006 15:04",
	"02.01.2006",
	"2.1.2006 15:04",
	"2.1.2006",
}

var (
	dateOrdinal   = regexp.MustCompile(`(?i)\b(\d{1,2})(st|nd|rd|th)\b`)
	datePrefix    = regexp.MustCompile(`(?i)^(published|posted|updated|last updated|created|date|on)\s*(on|at)?\s*:?\s*`)
	dateAt        = regexp.MustCompile(`(?i)\s+at\s+`)
	dateDots      = regexp.MustCompile(`(?i)\b(a|p)\.m\.`)
	dateMonthDot  = regexp.MustCompile(`\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.`)
	dateAMPM      = regexp.MustCompile(`(?i)(\d)\s*(am|pm)\b`)
	dateDigits    = regexp.MustCompile(`^\d{9,13}$`)
	dateTrailingZ = regexp.MustCompile(`\s+(UTC|GMT|Z)$`)
	dateParen     = regexp.MustCompile(`\s*\([^)]*\)\s*$`)
	dateSlashed   = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$`)
)

// minYear and maxYearAhead bound the years parseDate accepts: a news page
// from before the web or far in the future is a parsing accident.
const (
	minYear      = 1990
	maxYearAhead = 2
)

// parseDate parses a date in one of many formats and returns it in UTC; a
// time with no zone is taken as UTC. It returns the zero time when the
// string is not a date or the year is absurd.
func parseDate(s string) time.Time {
	return parseDateIn(s).UTC()
}

// parseDateIn is parseDate keeping the zone the string states, so that the
// calendar day stays the one the page wrote.
func parseDateIn(s string) time.Time {
	if t, ok := isoDate(s); ok {
		return saneIn(t)
	}
	s = normalizeSpace(s)
	if s == "" || len(s) > 80 {
		return time.Time{}
	}
	if dateDigits.MatchString(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}
		}
		var t time.Time
		if len(s) >= 12 {
			t = time.UnixMilli(n).UTC()
		} else {
			t = time.Unix(n, 0).UTC()
		}
		return saneIn(t)
	}
	s = datePrefix.ReplaceAllString(s, "")
	s = dateParen.ReplaceAllString(s, "") // "GMT-0500 (Eastern Standard Time)"
	if m := dateSlashed.FindStringSubmatch(s); m != nil {
		return slashedDate(m)
	}
	s = dateOrdinal.ReplaceAllString(s, "$1")
	s = dateDots.ReplaceAllString(s, "${1}m")
	s = dateMonthDot.ReplaceAllString(s, "$1")
	s = strings.ReplaceAll(s, "Sept ", "Sep ")
	s = dateAt.ReplaceAllString(s, " ")
	s = dateAMPM.ReplaceAllStringFunc(s, func(m string) string {
		m = strings.ToUpper(strings.ReplaceAll(m, " ", ""))
		return m[:len(m)-2] + " " + m[len(m)-2:]
	})
	for _, cand := range []string{s, dateTrailingZ.ReplaceAllString(s, "")} {
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, cand); err == nil {
				return saneIn(t)
			}
		}
	}
	return time.Time{}
}

// isoLayouts are the layouts of the ISO 8601 values that most pages give
// machines, tried before anything else.
var isoLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999", "2006-01-02"}

// isoDate reads the common ISO 8601 forms of a date without cleaning the
// string first: the fast path of parseDateIn.
func isoDate(s string) (time.Time, bool) {
	if len(s) < 10 || len(s) > 40 || s[4] != '-' || s[7] != '-' || s[0] < '1' || s[0] > '2' {
		return time.Time{}, false
	}
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// slashedDate reads d/m/y or m/d/y, which only a day above 12 tells
// apart: an ambiguous date is not guessed.
func slashedDate(m []string) time.Time {
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	y, _ := strconv.Atoi(m[3])
	var day, month int
	switch {
	case a > 12 && b <= 12:
		day, month = a, b
	case b > 12 && a <= 12:
		day, month = b, a
	case a == b:
		day, month = a, b
	default:
		return time.Time{}
	}
	h, _ := strconv.Atoi(m[4])
	mi, _ := strconv.Atoi(m[5])
	sec, _ := strconv.Atoi(m[6])
	switch strings.ToUpper(m[7]) {
	case "PM":
		if h < 12 {
			h += 12
		}
	case "AM":
		if h == 12 {
			h = 0
		}
	}
	if month < 1 || day < 1 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}
	}
	t := time.Date(y, time.Month(month), day, h, mi, sec, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}
	}
	return saneDate(t)
}

// saneDate returns t in UTC, or the zero time when its year is absurd.
func saneDate(t time.Time) time.Time {
	return saneIn(t).UTC()
}

// saneIn returns t in its own zone, or the zero time when its year is
// absurd.
func saneIn(t time.Time) time.Time {
	if t.Year() < minYear || t.Year() > time.Now().Year()+maxYearAhead {
		return time.Time{}
	}
	return t
}

var (
	urlDateSlashed = regexp.MustCompile(`/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|[-_])`)
	urlDateCompact = regexp.MustCompile(`[/_-]((?:19|20)\d{2})(\d{2})(\d{2})(?:[/_.-]|$)`)
)

// dateFromURL returns the date a URL path carries (/2024/03/24/ or
// 20240324), at midnight UTC, or the zero time.
func dateFromURL(path string) time.Time {
	if !hasDigitRun(path) {
		return time.Time{} // every form holds a year
	}
	for _, re := range []*regexp.Regexp{urlDateSlashed, urlDateCompact} {
		m := re.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if mo < 1 || mo > 12 || d < 1 || d > 31 {
			continue
		}
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d {
			continue
		}
		if t = saneDate(t); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
