package extractor

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/abadojack/whatlanggo"
)

// normalizeLanguage returns a language tag in BCP 47 case conventions:
// "en_us" and "EN-us" give "en-US", "zh-hant" gives "zh-Hant". The subtags
// are kept as the page gives them. Values that are not a language tag
// ("", "und", "x-default", "*") give "".
func normalizeLanguage(s string) string {
	s = strings.TrimSpace(s)
	if code, ok := languageNames[strings.ToLower(s)]; ok {
		return code
	}
	if i := strings.IndexAny(s, ",; "); i >= 0 {
		s = s[:i]
	}
	s = strings.ReplaceAll(s, "_", "-")
	parts := strings.Split(s, "-")
	primary := strings.ToLower(parts[0])
	if len(primary) < 2 || len(primary) > 3 || primary == "und" || !isLetters(primary) {
		return ""
	}
	out := []string{primary}
	for _, p := range parts[1:] {
		switch {
		case p == "" || !isAlnum(p):
			return strings.Join(out, "-")
		case len(p) == 2 && isLetters(p):
			out = append(out, strings.ToUpper(p))
		case len(p) == 4 && isLetters(p):
			out = append(out, strings.ToUpper(p[:1])+strings.ToLower(p[1:]))
		default:
			out = append(out, strings.ToLower(p))
		}
	}
	return strings.Join(out, "-")
}

// languageNames maps the language names that some pages write in their
// language meta tag instead of a code.
var languageNames = map[string]string{
	"english": "en", "french": "fr", "français": "fr", "francais": "fr", "german": "de",
	"deutsch": "de", "spanish": "es", "español": "es", "espanol": "es", "italian": "it",
	"italiano": "it", "portuguese": "pt", "português": "pt", "portugues": "pt", "dutch": "nl",
	"nederlands": "nl", "russian": "ru", "русский": "ru", "japanese": "ja", "日本語": "ja",
	"chinese": "zh", "中文": "zh", "arabic": "ar", "العربية": "ar", "polish": "pl", "polski": "pl",
	"swedish": "sv", "svenska": "sv", "norwegian": "no", "norsk": "no", "danish": "da",
	"dansk": "da", "finnish": "fi", "suomi": "fi", "turkish": "tr", "türkçe": "tr", "czech": "cs",
	"čeština": "cs", "greek": "el", "ελληνικά": "el", "hebrew": "he", "עברית": "he",
	"korean": "ko", "한국어": "ko", "hindi": "hi", "indonesian": "id", "bahasa indonesia": "id",
	"ukrainian": "uk", "українська": "uk", "romanian": "ro", "română": "ro", "hungarian": "hu",
	"magyar": "hu", "vietnamese": "vi", "tiếng việt": "vi", "thai": "th",
}

// isLetters reports whether s is made of ASCII letters only.
func isLetters(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// isAlnum reports whether s is made of ASCII letters and digits only.
func isAlnum(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return s != ""
}

// Detection needs enough text and a clear winner to be trusted. The
// detector ranks trigrams and its confidence breaks down on long inputs,
// so it is run on samples of a bounded size, which must agree.
const (
	detectMinLetters = 200
	detectSample     = 1200
	detectSamples    = 3
)

// languageKin are groups of languages close enough for the detector to
// mistake one for another; a declared language is never overridden by a
// kin.
var languageKin = [][]string{
	{"da", "no", "nb", "nn", "sv"}, {"ms", "id"}, {"es", "gl", "ca", "pt"},
	{"sr", "hr", "bs", "sl"}, {"ru", "uk", "be", "bg"}, {"cs", "sk"},
	{"hi", "mr", "ne"}, {"zh", "ja"}, {"af", "nl"}, {"fa", "ar", "ur"},
}

// resolveLanguage returns the language of an article: the declared one,
// unless the text is long enough for several samples that all detect,
// reliably, a language that is not the declared one's kin; templates
// that write lang="en" on every page are common. With nothing declared it
// is the detected language, or "".
func resolveLanguage(declared, text string) string {
	if declared == "" {
		return detectLanguage(text)
	}
	// Two samples are enough to tell whether the text is long enough to
	// check the declaration and, mostly, to confirm it.
	samples := cutSamples(text, 2)
	if len(samples) < 2 {
		return declared
	}
	primary := strings.ToLower(strings.SplitN(declared, "-", 2)[0])
	// The common case, a declaration the text agrees with, is settled by
	// one sample; only a disagreement is worth the full check.
	if functionWordLanguage(samples[0]) == primary {
		return declared
	}
	if first := sampleLanguage(head(samples[0], verifySample)); first == primary || kin(primary, first) {
		return declared
	}
	detected := detectInSamples(languageSamples(text))
	if detected == "" {
		return declared
	}
	if detected == primary || kin(primary, detected) {
		return declared
	}
	return detected
}

// kin reports whether two languages are in one languageKin group.
func kin(a, b string) bool {
	for _, g := range languageKin {
		ina, inb := false, false
		for _, l := range g {
			ina = ina || l == a
			inb = inb || l == b
		}
		if ina && inb {
			return true
		}
	}
	return false
}

// detectLanguage returns the ISO 639-1 code of the language of text, or ""
// when the text is too short or the detection is not reliable on every
// sample: an unknown language is left empty, never guessed.
func detectLanguage(text string) string {
	return detectInSamples(languageSamples(text))
}

// detectInSamples is detectLanguage on samples cut by languageSamples.
func detectInSamples(samples []string) string {
	if len(samples) == 0 {
		return ""
	}
	if lang := functionWordLanguage(samples[0]); lang != "" {
		return lang
	}
	lang := ""
	for _, s := range samples {
		code := sampleLanguage(s)
		if code == "" || lang != "" && code != lang {
			return ""
		}
		lang = code
	}
	return lang
}

// verifySample is the size of the sample that checks a declared language:
// enough to confirm it, which is all the common case needs.
const verifySample = 400

// functionWords are frequent short words of languages whose pages often
// carry a template's lang attribute; counting them confirms a declared
// language at a fraction of the cost of a trigram detection.
var functionWords = map[string][]string{
	"en": {"the", "and", "of", "to", "in", "is", "that", "for", "was", "with", "on", "it", "as", "he", "are", "by", "this", "have"},
	"de": {"der", "die", "und", "das", "den", "ist", "nicht", "mit", "sich", "auf", "ein", "eine", "dem", "des", "auch", "wird", "von"},
	"fr": {"de", "le", "la", "les", "et", "des", "est", "une", "du", "dans", "que", "qui", "pour", "pas", "sur", "au", "avec", "il"},
	"es": {"de", "el", "la", "los", "las", "y", "del", "que", "en", "una", "por", "con", "para", "es", "se", "su", "al", "lo"},
	"it": {"il", "di", "che", "la", "della", "per", "una", "sono", "del", "con", "non", "gli", "le", "nel", "alla", "anche"},
	"pt": {"de", "o", "os", "da", "do", "que", "em", "um", "uma", "para", "com", "não", "dos", "das", "se", "na", "no", "foi"},
	"nl": {"de", "het", "een", "en", "van", "dat", "is", "niet", "op", "te", "zijn", "voor", "met", "ook", "maar", "worden"},
}

// maxFunctionWordLangs bounds the languages in functionWords, so that
// counting needs no allocation; TestFunctionWordLanguage checks it.
const maxFunctionWordLangs = 16

// functionWordLangs lists the languages of functionWords in a fixed order,
// and functionWordIndex maps each word to the indexes of its languages.
var functionWordLangs, functionWordIndex = indexFunctionWords()

// longestFunctionWord is the length in bytes of the longest of
// functionWords: a longer word is not looked up.
var longestFunctionWord = func() (n int) {
	for w := range functionWordIndex {
		n = max(n, len(w))
	}
	return n
}()

func indexFunctionWords() ([]string, map[string][]int) {
	langs := make([]string, 0, len(functionWords))
	for l := range functionWords {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	index := map[string][]int{}
	for i, l := range langs {
		for _, w := range functionWords[l] {
			index[w] = append(index[w], i)
		}
	}
	return langs, index
}

// functionWordLanguage returns the language a sample is plainly in, or "":
// a sample in Latin script whose function words are frequent (one word in
// eight or more) and at least twice as frequent as those of any other
// listed language. At most one language can pass. An answer of "" means
// only "not settled this way".
func functionWordLanguage(sample string) string {
	var hits [maxFunctionWordLangs]int
	total, latin, other := 0, 0, 0
	// The words are the runs of letters of the sample in lower case; one
	// longer than word cannot be a function word and is only counted.
	var word [16]byte
	size, long, in := 0, false, false
	endWord := func() {
		if !in {
			return
		}
		total++
		if !long && size <= longestFunctionWord {
			for _, i := range functionWordIndex[string(word[:size])] {
				hits[i]++
			}
		}
		size, long, in = 0, false, false
	}
	for _, r := range sample {
		// ASCII, the common case, without the Unicode tables.
		switch {
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case r >= utf8.RuneSelf:
			r = unicode.ToLower(r)
		}
		if !('a' <= r && r <= 'z' || r >= utf8.RuneSelf && unicode.IsLetter(r)) {
			endWord()
			continue
		}
		in = true
		if r < utf8.RuneSelf || unicode.Is(unicode.Latin, r) {
			latin++
		} else {
			other++
		}
		if size+utf8.RuneLen(r) > len(word) {
			long = true
		} else {
			size += utf8.EncodeRune(word[size:], r)
		}
	}
	endWord()
	if other*10 > latin {
		return "" // the listed languages are written in Latin script
	}
	best := 0
	for i := range functionWordLangs {
		if hits[i] > hits[best] {
			best = i
		}
	}
	own := hits[best]
	if total == 0 || own < 8 || own*8 < total {
		return ""
	}
	for i := range functionWordLangs {
		if i != best && hits[i]*2 > own {
			return ""
		}
	}
	return functionWordLangs[best]
}

// head cuts s to about n bytes at a space.
func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if i := strings.LastIndexByte(s[:n], ' '); i > n/2 {
		return s[:i]
	}
	return s[:n]
}

// sampleLanguage is the ISO 639-1 code of one sample's language, or ""
// when the detection is not reliable. It is whatlanggo's answer; samples
// in Latin script, the common case, are ranked by latinLanguage, which
// gives the same answer at a fraction of the cost.
func sampleLanguage(s string) string {
	var info whatlanggo.Info
	switch script := sampleScript(s); script {
	case nil:
		return ""
	case unicode.Latin:
		info.Lang, info.Confidence = latinLanguage(s)
	default:
		info = whatlanggo.Detect(s)
	}
	if !info.IsReliable() || info.Confidence > 1 {
		return ""
	}
	return info.Lang.Iso6391()
}

// sampleScript is whatlanggo.DetectScript(s), answered without it when
// the script is plain: whatlanggo counts the runes of each script,
// skipping punctuation, symbols, digits and spaces, and returns the one
// with most, so a text whose other runes are all Latin is in Latin script
// if it has any. Runes of another script, or of none, leave it to
// whatlanggo.
func sampleScript(s string) *unicode.RangeTable {
	latin := false
	for _, r := range s {
		if r < utf8.RuneSelf {
			latin = latin || 'a' <= r|0x20 && r|0x20 <= 'z'
			continue
		}
		switch {
		case unicode.IsSymbol(r) || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsDigit(r):
		case unicode.Is(unicode.Latin, r):
			latin = true
		default:
			return whatlanggo.DetectScript(s)
		}
	}
	if latin {
		return unicode.Latin
	}
	return nil
}

// The distances of whatlanggo's trigram ranking: a profile trigram
// missing from the text counts maxTrigramDistance, one found counts the
// difference of its ranks, and maxTotalDistance is a whole profile missing.
const (
	maxTrigramDistance = 300
	maxTotalDistance   = 90000
)

// trigramPosting is one place of a trigram in latinProfiles: the
// language's index in latinLangs and the trigram's rank in its profile.
type trigramPosting struct{ lang, rank int32 }

// latinLangs lists the languages of latinProfiles, latinBase is the
// distance of each when none of its trigrams is in the text, and
// latinIndex maps each packed trigram to its places in the profiles.
var latinLangs, latinBase, latinIndex = indexLatinProfiles()

func indexLatinProfiles() ([]whatlanggo.Lang, []int, map[uint64][]trigramPosting) {
	langs := make([]whatlanggo.Lang, 0, len(latinProfiles))
	for l := range latinProfiles {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	base := make([]int, len(langs))
	index := map[uint64][]trigramPosting{}
	for i, l := range langs {
		base[i] = maxTrigramDistance * len(latinProfiles[l])
		for rank, tg := range latinProfiles[l] {
			r := []rune(tg)
			if len(r) != 3 {
				continue // never a text trigram: it always counts in full
			}
			k := packTrigram(r[0], r[1], r[2])
			index[k] = append(index[k], trigramPosting{int32(i), int32(rank)})
		}
	}
	return langs, base, index
}

// packTrigram packs three runes (21 bits each) into one key whose order
// is that of the trigrams' strings.
func packTrigram(a, b, c rune) uint64 {
	return uint64(a)<<42 | uint64(b)<<21 | uint64(c)
}

// trigramRune is the rune a text rune counts as in a trigram: lower case,
// with punctuation, symbols, digits and white space as a space.
func trigramRune(r rune) rune {
	if r < utf8.RuneSelf {
		return asciiTrigramRune[r]
	}
	if unicode.IsSymbol(r) || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsDigit(r) {
		return ' '
	}
	return unicode.ToLower(r)
}

var asciiTrigramRune = func() (t [utf8.RuneSelf]rune) {
	for r := range rune(utf8.RuneSelf) {
		if unicode.IsSymbol(r) || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsDigit(r) {
			t[r] = ' '
		} else {
			t[r] = unicode.ToLower(r)
		}
	}
	return t
}()

// latinLanguage is whatlanggo's detection of a text in Latin script: its
// language and confidence, computed as whatlanggo computes them but with
// the text's trigrams packed into integers and looked up in an index of
// the profiles, where whatlanggo looks every profile trigram up in a map
// of the text's. Where two languages tie for the best distance the
// confidence is 0, as whatlanggo's is, and the language is either.
func latinLanguage(text string) (whatlanggo.Lang, float64) {
	// The trigrams, as whatlanggo counts them: over the text's runes
	// with a space before and after, leaving out those whose middle is
	// a space beside another.
	keys := make([]uint64, 0, len(text)+1)
	r1, r2, first := ' ', ' ', true
	add := func(r3 rune) {
		if first {
			r2, first = r3, false
			return
		}
		if !(r2 == ' ' && (r1 == ' ' || r3 == ' ')) {
			keys = append(keys, packTrigram(r1, r2, r3))
		}
		r1, r2 = r2, r3
	}
	for _, r := range text {
		add(trigramRune(r))
	}
	add(' ')
	// Ranked by count, most frequent first, ties by string, greatest
	// first.
	slices.Sort(keys)
	type counted struct {
		key   uint64
		count int
	}
	var trigrams []counted
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		trigrams = append(trigrams, counted{keys[i], j - i})
		i = j
	}
	slices.SortFunc(trigrams, func(a, b counted) int {
		if a.count != b.count {
			return b.count - a.count
		}
		return cmp.Compare(b.key, a.key)
	})
	dist := slices.Clone(latinBase)
	for n, t := range trigrams {
		for _, p := range latinIndex[t.key] {
			d := n - int(p.rank)
			if d < 0 {
				d = -d
			}
			dist[p.lang] += d - maxTrigramDistance
		}
	}
	// The best two, and the confidence from their scores.
	best, second := -1, -1
	for i, d := range dist {
		switch {
		case best < 0 || d < dist[best]:
			best, second = i, best
		case second < 0 || d < dist[second]:
			second = i
		}
	}
	score1 := maxTotalDistance - dist[best]
	score2 := maxTotalDistance - dist[second]
	switch {
	case score1 == 0:
		return -1, 0
	case score2 == 0:
		return latinLangs[best], min(float64(score1/500), 1)
	}
	rate := float64(score1-score2) / float64(score2)
	confidentRate := 12.0/float64(len(trigrams)) + 0.05
	if rate > confidentRate {
		return latinLangs[best], 1
	}
	return latinLangs[best], rate / confidentRate
}

// languageSamples cuts up to detectSamples pieces of about detectSample
// bytes from the text, at paragraph or word boundaries; the last piece
// must hold detectMinLetters letters, else it is dropped.
func languageSamples(text string) []string {
	return cutSamples(text, detectSamples)
}

// cutSamples is languageSamples stopped at max samples (at most
// detectSamples): the first max samples languageSamples would cut.
func cutSamples(text string, max int) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if letters(b.String()) >= detectMinLetters {
			out = append(out, b.String())
		}
		b.Reset()
	}
	// The samples come from the start of the text: twice what they hold
	// is more than enough, and spares splitting a long article.
	for w := range strings.FieldsSeq(head(text, 2*detectSamples*detectSample)) {
		if len(out) == max {
			return out
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if b.Len() >= detectSample {
			flush()
		}
	}
	if len(out) < max && (len(out) == 0 || letters(b.String()) >= detectMinLetters) {
		flush()
	}
	return out
}

// letters counts the letters of s.
func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
