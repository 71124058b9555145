package extractor

import (
	"strings"
	"testing"
	"unicode"

	"github.com/abadojack/whatlanggo"
)

// TestNormalizeLanguage checks the tag normalisation.
func TestNormalizeLanguage(t *testing.T) {
	for in, want := range map[string]string{
		"en": "en", "EN-us": "en-US", "pt_BR": "pt-BR", "zh-hant-tw": "zh-Hant-TW",
		"": "", "und": "", "x-default": "", "en, fr": "en", "1234": "", "English": "en", "Deutsch": "de",
	} {
		if got := normalizeLanguage(in); got != want {
			t.Errorf("normalizeLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDetectLanguage checks that detection answers only when sure.
func TestDetectLanguage(t *testing.T) {
	en := strings.Repeat("The council voted on Tuesday to expand the city's bus network, adding three new routes that will connect the northern suburbs with the hospital and the university. ", 3)
	fr := strings.Repeat("Le conseil municipal a voté mardi l'extension du réseau de bus de la ville, avec trois nouvelles lignes qui relieront les quartiers du nord à l'hôpital et à l'université. ", 3)
	for _, tc := range []struct{ text, want string }{
		{en, "en"}, {fr, "fr"}, {"Short text.", ""}, {"", ""},
	} {
		if got := detectLanguage(tc.text); got != tc.want {
			t.Errorf("detectLanguage(%q...) = %q, want %q", clip(tc.text, 20), got, tc.want)
		}
	}
}

// TestLanguageResolve checks when detection overrides a declared language.
func TestLanguageResolve(t *testing.T) {
	en := strings.Repeat("The council voted on Tuesday to expand the city's bus network, adding three new routes that will connect the northern suburbs with the hospital and the university. ", 20)
	for _, tc := range []struct{ declared, text, want string }{
		{"de", en, "en"},             // a template's lang attribute, contradicted
		{"en-GB", en, "en-GB"},       // agreement keeps the declared tag
		{"", en, "en"},               // nothing declared
		{"fr", "Court texte.", "fr"}, // too little text to contradict
		{"", "Court texte.", ""},
	} {
		if got := resolveLanguage(tc.declared, tc.text); got != tc.want {
			t.Errorf("resolveLanguage(%q, %q...) = %q, want %q", tc.declared, clip(tc.text, 20), got, tc.want)
		}
	}
}

// TestFunctionWordLanguage checks the function-word test: a plain sample
// settles its language, a mixed or short one settles nothing.
func TestFunctionWordLanguage(t *testing.T) {
	if len(functionWordLangs) > maxFunctionWordLangs {
		t.Fatalf("functionWords has %d languages, more than maxFunctionWordLangs %d", len(functionWordLangs), maxFunctionWordLangs)
	}
	en := "The council voted on Tuesday to expand the bus network of the city, and it is said that the plan was agreed with the hospital and the university, which have asked for it for years."
	de := "Der Stadtrat hat am Dienstag beschlossen, das Busnetz der Stadt auszubauen, und die neuen Linien sollen das Krankenhaus mit der Universität verbinden, die das seit Jahren fordert. Das ist nicht neu, aber es wird auch von den Bürgern unterstützt."
	// "de", the commonest word of the Romance languages, is no vote for
	// Dutch alone.
	es := "El concejo de la ciudad votó el martes la ampliación de la red de autobuses, que según el plan unirá el hospital con la universidad, y los vecinos de los barrios del sur lo piden desde hace años para llegar al centro."
	pt := "Calendário da Stock Car de 2018: 1a etapa em 10 de março em Interlagos, 2a etapa em 8 de abril em Curitiba, 3a etapa em 22 de abril, 4a etapa em 6 de maio, 5a etapa em 20 de maio de 2018."
	for _, tc := range []struct{ sample, want string }{
		{en, "en"},
		{de, "de"},
		{es, "es"},
		{pt, "pt"},
		{en + " " + de, ""},
		{"The end.", ""},
		{"", ""},
	} {
		if got := functionWordLanguage(tc.sample); got != tc.want {
			t.Errorf("functionWordLanguage(%q...) = %q, want %q", clip(tc.sample, 20), got, tc.want)
		}
	}
}

// TestLatinLanguageMatchesWhatlanggo checks that latinLanguage, with its
// copy of whatlanggo's profiles, answers as whatlanggo does, on texts in
// several languages, cut at many lengths, and on mixed and odd ones;
// and that sampleScript finds the script whatlanggo does.
func TestLatinLanguageMatchesWhatlanggo(t *testing.T) {
	texts := []string{
		"The council voted on Tuesday to expand the city's bus network, adding three new routes that will connect the northern suburbs with the hospital and the university.",
		"Le conseil municipal a voté mardi l'extension du réseau de bus de la ville, avec trois nouvelles lignes qui relieront les quartiers du nord à l'hôpital et à l'université.",
		"Der Stadtrat hat am Dienstag beschlossen, das Busnetz der Stadt auszubauen, und die neuen Linien sollen das Krankenhaus mit der Universität verbinden.",
		"El concejo de la ciudad votó el martes la ampliación de la red de autobuses, que según el plan unirá el hospital con la universidad.",
		"Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.",
		"Rada miasta przegłosowała we wtorek rozbudowę sieci autobusowej: trzy nowe linie połączą północne dzielnice ze szpitalem i uniwersytetem.",
		"Hội đồng thành phố đã bỏ phiếu vào thứ Ba để mở rộng mạng lưới xe buýt, thêm ba tuyến mới nối các vùng ngoại ô phía bắc với bệnh viện.",
		"Stemma 2024: 12,5% — «ja», “nei”; ÅÄÖ åäö ÆØ æø ß ẞ İı Ǆǅǆ ﬁ 𝔄 x\uFFFD\xff y.",
		"Городской совет во вторник проголосовал за расширение автобусной сети города.",
		"市議会は火曜日、市のバス網を拡大することを決めた。 e\u0301\u0301 \x01\x7f~ 123 ...",
	}
	var samples []string
	for i, a := range texts {
		for _, b := range texts[i:] {
			s := strings.Repeat(a+" ", 3) + b
			for n := 1; n < len(s); n += 1 + n/3 {
				samples = append(samples, s[:n], s[len(s)-n:])
			}
		}
	}
	for _, s := range samples {
		if got, want := sampleScript(s), whatlanggo.DetectScript(s); got != want {
			t.Errorf("sampleScript(%q) = %v, whatlanggo says %v", s, got, want)
		}
		if whatlanggo.DetectScript(s) != unicode.Latin {
			continue
		}
		want := whatlanggo.Detect(s)
		lang, conf := latinLanguage(s)
		// With a tie for the best distance the confidence is 0 and
		// whatlanggo's language any of the tied.
		if conf != want.Confidence || conf != 0 && lang != want.Lang {
			t.Errorf("latinLanguage(%q) = %v %v, whatlanggo says %v %v", s, lang, conf, want.Lang, want.Confidence)
		}
	}
}
