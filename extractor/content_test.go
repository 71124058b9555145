package extractor

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/newsflow/newsflow"
)

// bodyOf extracts the body text of an HTML snippet.
func bodyOf(t *testing.T, page string, rules newsflow.ExtractRules) string {
	t.Helper()
	doc, err := parse([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	applyRemoveRules(doc, rules)
	return extractContent(doc, &metadata{}, rules).Text
}

const prose = "The committee met on Tuesday, after weeks of delay, to discuss the budget, the schedule and the staffing plan for next year. "

// TestBoilerplatePage checks a news page with the usual furniture around
// the article: navigation, counters, author box, related and popular lists.
func TestBoilerplatePage(t *testing.T) {
	page, err := os.ReadFile("testdata/boilerplate-page.html")
	if err != nil {
		t.Fatal(err)
	}
	got := bodyOf(t, string(page), newsflow.ExtractRules{})
	want := []string{
		"IS unveils motives to attack Russia",
		"Aims a security vacuum caused by the invasion of Ukraine",
		"As the world reels from the aftermath of the Moscow theater terror attack",
		"Analyzing foreign media on the 24th",
		"It is pointed out that Russia’s support",
		"IS has a history of repeatedly carrying out terror attacks against Russia",
		"There are also analyses stating that the Ukraine war",
	}
	last := -1
	for _, w := range want {
		i := strings.Index(got, w)
		if i < 0 {
			t.Errorf("missing %q", w)
			continue
		}
		if i < last {
			t.Errorf("%q out of order", w)
		}
		last = i
	}
	for _, bad := range []string{
		"Quick access", "Direct access", "Comments", "300", "Latest Stories",
		"Weekly Best Articles", "You May Also Like", "Popular Now", "Must-Reads",
		"Sweden Opens", "Putin Sends 70+", "BUSINESS", "content@viewusglobal.com",
		"Yonhap News", "Copyright", "Islamic State Unhappy",
	} {
		if strings.Contains(got, bad) {
			t.Errorf("boilerplate %q kept", bad)
		}
	}
	if t.Failed() {
		t.Logf("extracted:\n%s", got)
	}
}

func TestParagraphBreaks(t *testing.T) {
	page := `<html><body><div class="nav"><a href="/">Home</a></div><article>
		<p>` + prose + `</p>
		<h2>A subhead</h2>
		<p>` + prose + `First   line<br>second line<br><br>New paragraph, ` + prose + `</p>
		<ul><li>First item, with words</li><li>Second item, with words</li></ul>
		<blockquote>A quoted sentence, spoken aloud, in full.</blockquote>
		<p>` + prose + `</p></article></body></html>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	paras := strings.Split(got, "\n\n")
	want := []string{"A subhead", "First item, with words", "Second item, with words", "A quoted sentence, spoken aloud, in full."}
	for _, w := range want {
		found := false
		for _, p := range paras {
			if p == w {
				found = true
			}
		}
		if !found {
			t.Errorf("%q is not a paragraph of its own in:\n%s", w, got)
		}
	}
	if !strings.Contains(got, "First line\nsecond line\n\nNew paragraph") {
		t.Errorf("line breaks lost:\n%s", got)
	}
	if strings.Contains(got, "Home") {
		t.Errorf("navigation kept:\n%s", got)
	}
}

// TestLinkedSubheadings checks that a subheading which is all link stays
// when it stands between paragraphs of the article (a reviewed product, a
// media block passed over), while a list of linked headlines at the end of
// the article, with teaser lines, goes.
func TestLinkedSubheadings(t *testing.T) {
	page := `<body><article>
		<p>` + prose + `</p>
		<h3><a href="https://example.com/rez">Rez Infinite ($30)</a></h3>
		<div><iframe src="https://video.example.com/1"></iframe></div>
		<p>` + prose + `</p>
		<h3><a href="https://example.com/thumper">Thumper ($20)</a></h3>
		<p>` + prose + `</p>
		<div class="teasers"><div><h3><a href="/a">Another story, elsewhere</a></h3><p>A teaser line.</p></div>
		<div><h3><a href="/b">A second story, elsewhere</a></h3><p>Another teaser line.</p></div></div>
		</article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"Rez Infinite ($30)", "Thumper ($20)"}, []string{"Another story", "A second story"})
}

// TestArticleHeader checks that the article's own <header> (headline,
// standfirst, byline) is not body text, unless it holds much of the prose.
func TestArticleHeader(t *testing.T) {
	page := `<body><article>
		<header><h1>Council approves the budget</h1>
		<p class="summary">A standfirst that sums up the story in one sentence, as desks write them.</p>
		<p class="credit">By Sam Rivera and Lee Park, City Hall reporters</p></header>
		<p>` + prose + `</p><p>` + prose + `</p><p>` + prose + `</p></article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	if strings.Contains(got, "standfirst") || strings.Count(got, "The committee met") != 3 {
		t.Errorf("body with the header's standfirst, or without its prose:\n%s", got)
	}
	page = `<body><article><header><h1>Council approves the budget</h1>
		<p>` + prose + `</p><p>` + prose + `</p></header><p>` + prose + `</p></article></body>`
	got = bodyOf(t, page, newsflow.ExtractRules{})
	if strings.Count(got, "The committee met") != 3 {
		t.Errorf("a header holding most of the prose was dropped:\n%s", got)
	}
}

// TestClosingFurniture checks that calls to subscribe or follow, and wire
// credit lines, which end the article go, while the same words inside the
// story, or not opening a sentence, stay.
func TestClosingFurniture(t *testing.T) {
	page := `<body><article><p>` + prose + `</p>
		<p>Subscribe to the council's minutes, the clerk said, and you will read how the budget was cut.</p>
		<p>` + prose + `</p>
		<p>You can also subscribe to this newsletter from the council's website.</p>
		<p>Mike Wall's book about the council is out now. Follow him on Twitter @mike.</p>
		<p>There's plenty more where that came from. Sign up for The Daily today to get the newsletter in your inbox.</p>
		</article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"Subscribe to the council's minutes", "You can also subscribe"}, []string{"Follow him", "Sign up for The Daily"})
	if isClosingFurniture("Sign up " + strings.Repeat("and read on ", 30)) {
		t.Error("a long paragraph taken for a call to action")
	}
	for _, line := range []string{
		"(Reporting by Will Dunham; Editing by Tom Brown)",
		"Reporting by Rodrigo Campos; additional reporting by Stephanie Kelly",
		"Associated Press writers Alan Fram and Zeke Miller contributed to this report.",
		"Follow @BGRDeals on Twitter to keep up with the latest deals.",
		"Like this story? Share it with a friend!",
		"Get the magazine delivered every month. 12 issues for £11.99. Click here for more information.",
		"Note: we are temporarily moderating all comments submitted to deal with a surge in spam.",
		"ATENÇÃO: Comentários com textos ininteligíveis não serão aprovados pelo moderador.",
		"For the latest stories and breaking news updates download our apps for iOS and Android.",
		"Die Sport-App: jetzt kostenlos im App Store und bei Google Play!",
	} {
		if !isClosingFurniture(line) {
			t.Errorf("%q not taken for closing furniture", line)
		}
	}
	for _, line := range []string{
		"Follow the money, the auditor said, and you will find the missing funds.",
		"Reporters by the dozen waited outside the court.",
		"The clerk said to click here and there on the form.",
		"Windows is the last system to support Flash: Android and macOS dropped it long ago, and iOS never had it.",
		"Scenarios for the app market differ: the radios of old gave way to Android phones.",
		"The moderate wing of the party said it would welcome comments on the bill, but the vote is set for Tuesday and the outcome is far from certain " + strings.Repeat("as the talks go on ", 10),
	} {
		if isClosingFurniture(line) {
			t.Errorf("%q taken for closing furniture", line)
		}
	}
}

// TestOpeningPitch checks that a newsletter pitch set above the story goes,
// while the same sentence deep in the story, and a story about signing up,
// stay.
func TestOpeningPitch(t *testing.T) {
	page := `<body><article>
		<p>Start your day with the Morning Note. Sign up for the free daily newsletter.</p>
		<p>` + prose + `</p>
		<p>Sign up deadlines for the health plans fall in December, the ministry said.</p>
		<p>` + prose + `</p>
		<p>` + prose + `</p>
		<p>Readers asked how to get the council's bulletin. Sign up for the newsletter at the town hall, the clerk said.</p>
		<p>` + prose + `</p>
		</article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	if strings.Contains(got, "Morning Note") {
		t.Errorf("opening newsletter pitch kept in:\n%s", got)
	}
	checkText(t, got, []string{"Sign up deadlines", "Sign up for the newsletter at the town hall"}, nil)
	for _, line := range []string{
		"Start your day with the Opening Bell. Sign up for the free daily newsletter.",
		"Subscribe to our newsletter for the week's best stories.",
	} {
		if !isNewsletterPitch(line) {
			t.Errorf("%q not taken for a newsletter pitch", line)
		}
	}
	for _, line := range []string{
		"Sign up deadlines for the health plans fall in December.",
		"The newsletter, which has 40,000 readers, said subscribers were leaving.",
	} {
		if isNewsletterPitch(line) {
			t.Errorf("%q taken for a newsletter pitch", line)
		}
	}
}

// TestEmbeddedPostKept checks that a tweet embedded in the story stays
// although its wrapper is named "social", while a share bar and a comment
// section that quotes a post still go.
func TestEmbeddedPostKept(t *testing.T) {
	page := `<body><article class="entry-content"><p>` + prose + `</p>
		<div class="social-media-embed"><blockquote class="twitter-tweet"><p>Yes this is real and yes the state spent half a million dollars on it</p>— A Reader (@reader) <a href="https://twitter.com/reader/status/1">November 18, 2019</a></blockquote></div>
		<p>` + prose + `</p>
		<div class="social-share"><a href="/fb">Facebook</a> <a href="/tw">Twitter</a></div>
		<div class="comments"><p>First reader comment, rather long and about the budget of the council.</p>
		<blockquote>Quoting the article back at it</blockquote>
		<p>Second reader comment, also long, disagreeing with the first one at length.</p></div>
		</article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	if !strings.Contains(got, "Yes this is real") {
		t.Errorf("embedded post lost:\n%s", got)
	}
	checkText(t, got, nil, []string{"Facebook", "reader comment", "Quoting the article"})
}

// TestTitleParagraph checks that a headline set in a plain paragraph
// before the article's text is left out like a headline in <h1>, while a
// later paragraph with the same words stays.
func TestTitleParagraph(t *testing.T) {
	page := `<html><head><title>Home care service reports break-in on vehicles</title></head><body><div class="col">
		<p class="titulo">Home care service reports break-in on vehicles</p>
		<p>` + prose + `</p><p>` + prose + `</p>
		<p>Home care service reports break-in on vehicles</p></div></body></html>`
	doc, err := parse([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	got := extractContent(doc, &metadata{Title: "Home care service reports break-in on vehicles"}, newsflow.ExtractRules{}).Text
	if strings.HasPrefix(got, "Home care") {
		t.Errorf("headline paragraph kept at the start:\n%s", got)
	}
	if strings.Count(got, "Home care service reports") != 1 {
		t.Errorf("the later paragraph with the headline's words was not kept once:\n%s", got)
	}
}

// TestLinkItemsInProseList checks that an item that is all link stays in a
// list of points that is mostly prose, while a list of links goes.
func TestLinkItemsInProseList(t *testing.T) {
	page := `<body><article><p>` + prose + `</p><ul>
		<li>The council approved the budget for the harbour after a long debate on Tuesday night.</li>
		<li><a href="/report">Here is the full report of the harbour works</a></li>
		<li>Crews will start repairing the quay in March, weather permitting, the port said.</li></ul>
		<p>` + prose + `</p><ul><li><a href="/a">Another story about the port</a></li><li><a href="/b">A story about the ferry timetable</a></li></ul>
		</article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	if !strings.Contains(got, "Here is the full report") {
		t.Errorf("linked point of a prose list lost:\n%s", got)
	}
	if strings.Contains(got, "Another story") || strings.Contains(got, "ferry timetable") {
		t.Errorf("list of links kept:\n%s", got)
	}
}

// TestBoxOfSite checks that a heading naming a box of the site's stories
// ("Popular on IndieWire") goes with its box, while a subheading of the
// same form over paragraphs of the article stays with them.
func TestBoxOfSite(t *testing.T) {
	page := `<body><article><p>` + prose + `</p>
		<h3>More on the vote</h3><p>` + prose + `</p><p>` + prose + `</p>
		<h3>Popular on IndieWire</h3><div class="player"><a href="/v/1">Watch: the trailer</a> <a href="/v/2">Watch: the premiere</a></div>
		</article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	if !strings.Contains(got, "More on the vote") || strings.Count(got, "The committee met") != 3 {
		t.Errorf("subheading or its paragraphs lost:\n%s", got)
	}
	checkText(t, got, nil, []string{"Popular on IndieWire", "Watch: the trailer"})
}

// TestTagsLabelTakesItsList checks that a "Tags" label on a line of its
// own goes with the list of tags under it, and that a sentence after a
// label-like word stays.
func TestTagsLabelTakesItsList(t *testing.T) {
	page := `<body><article><p>` + prose + `</p><p>` + prose + `</p>
		<div>Tags<br>harbour works 2018, quay repairs, port authority, ferry timetable</div>
		<p>Topics<br>The council will meet again next week.</p></article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	if strings.Contains(got, "Tags") || strings.Contains(got, "quay repairs") {
		t.Errorf("tags kept:\n%s", got)
	}
	if !strings.Contains(got, "The council will meet again next week.") {
		t.Errorf("sentence after a label word lost:\n%s", got)
	}
}

// TestShareButtonTrimmed checks that a pull quote in a "Click To Tweet"
// box keeps its quote and loses the button.
func TestShareButtonTrimmed(t *testing.T) {
	page := `<body><article><p>` + prose + `</p>
		<a href="https://twitter.com/intent/tweet?text=x"><span class="ctt"><span class="ctt-text">Every business lives in time and space.</span><span class="ctt-btn">Click To Tweet</span></span></a>
		<p>` + prose + `</p></article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	if !strings.Contains(got, "Every business lives in time and space.") {
		t.Errorf("pull quote lost:\n%s", got)
	}
	if strings.Contains(strings.ToLower(got), "click to tweet") {
		t.Errorf("share button kept:\n%s", got)
	}
}

// TestLinkHeavySentences checks that a paragraph with many of its words
// linked stays when the words outside the links make a sentence, that a
// "Read more" line goes, and that a hover card inside a sentence goes
// while the linked name that opens it stays.
func TestLinkHeavySentences(t *testing.T) {
	page := `<body><article><p>` + prose + `</p>
		<p>Monday's best deals include <a href="/a">various MacBook models from $700 at Amazon</a>. You'll also find <a href="/b">AirPods 2 with wireless charging case for $150</a> and <a href="/c">Black Friday pricing on the iPad Pro</a>, as well as the usual markdowns.</p>
		<p>Read more: <a href="/d">The council's budget fight, explained in full for readers new to it</a></p>
		<p>A man pleaded guilty to threatening Rep. <span class="people"><a href="/people/omar">Ilhan Omar</a><span class="card"><span><img src="/omar.jpg" alt=""><a href="/people/omar">Ilhan Omar</a><a href="/x">Hillicon Valley: progressives oppose the bill</a> <a href="/people/omar">MORE</a></span></span></span> (D-Minn.), the office announced Monday.</p>
		<p>` + prose + `</p></article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"Monday's best deals include various MacBook models", "threatening Rep. Ilhan Omar (D-Minn.)"}, []string{"Read more", "Hillicon Valley", "MORE"})
}

// TestLabelledList checks that a box heading set in a plain block ("More
// Great WIRED Stories" in a <div>) goes with the list of links it
// introduces, while a list of plain items after such a label stays.
func TestLabelledList(t *testing.T) {
	page := `<body><article><p>` + prose + `</p><p>` + prose + `</p>
		<div class="heading-h3">More Great WIRED Stories</div>
		<ul><li><a href="/a">Paid political ads are not the problem</a></li><li><a href="/b">The plan to boost drone batteries</a></li></ul>
		<div>Related</div>
		<ul><li>Two cups of flour, sifted</li><li>One teaspoon of salt</li></ul>
		</article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, nil, []string{"More Great WIRED Stories", "Paid political ads"})
	if !strings.Contains(got, "Two cups of flour") {
		t.Errorf("a list of plain items dropped:\n%s", got)
	}
}

func TestBodyRule(t *testing.T) {
	page := `<body><div class="story"><p>` + prose + prose + `</p></div><div id="x"><p>Only this, chosen by the rule.</p></div></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{Body: "#x"})
	if got != "Only this, chosen by the rule." {
		t.Errorf("rule body = %q", got)
	}
	// A rule matching nothing falls back to the generic method.
	got = bodyOf(t, page, newsflow.ExtractRules{Body: "#missing"})
	if !strings.Contains(got, "The committee met") {
		t.Errorf("fallback body = %q", got)
	}
}

// TestWeakNamesKeepProse checks that a block named "more" that holds the
// rest of the story, and an opinion article named "commentary", stay.
func TestWeakNamesKeepProse(t *testing.T) {
	page := `<body><article class="commentary"><p>` + prose + `</p><p>` + prose + `</p>
		<div class="more"><p>The rest of the story, after the fold, ` + prose + `</p><p>` + prose + `</p></div>
		<div class="more-links"><a href="/1">One</a> <a href="/2">Two</a></div></article>
		<aside><p>` + prose + `</p></aside></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	if !strings.Contains(got, "The rest of the story") || strings.Count(got, "The committee met") != 4 {
		t.Errorf("story text lost:\n%s", got)
	}
	if strings.Contains(got, "One") {
		t.Errorf("link block kept:\n%s", got)
	}
}

// TestNamedContainerKept checks that an article container whose class
// merely contains a furniture word is not thrown away.
func TestNamedContainerKept(t *testing.T) {
	page := `<body><div class="article-share-free"><p>` + prose + `</p><p>` + prose + `</p><p>` + prose + `</p></div>
		<div class="share-bar"><a href="/fb">Facebook</a> <a href="/tw">Twitter</a></div>
		<div class="related-articles"><h3>Related</h3><ul><li><a href="/a">Another story</a></li></ul></div></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	if strings.Count(got, "The committee met") != 3 {
		t.Errorf("article paragraphs lost:\n%s", got)
	}
	checkText(t, got, nil, []string{"Facebook", "Related", "Another story"})
}

// TestClassifyAttrs checks how class and id names are read, including
// modifiers that say what an element holds ("card-has-image") rather than
// what it is.
func TestClassifyAttrs(t *testing.T) {
	for _, c := range []struct {
		class string
		want  attrClass
	}{
		{"share-bar", attrNegative},
		{"relatedPosts", attrNegative},
		{"most-read", attrNegative},
		{"entry-content", attrPositive},
		{"post-comments", attrMixed},
		{"tags", attrWeak},
		{"recipe-card recipe-card-has-image", attrNeutral},
		{"teaser no-comments", attrNeutral},
		{"card with-sidebar", attrNeutral},
		{"has-image image-credit", attrNegative},
		{"c-commentlist", attrNegative},
		{"commentary-body", attrPositive},
		{"MostRead", attrNegative},
		{"visually-hidden", attrNegative},
		{"hidden-xs story", attrPositive},
		{"story hidden", attrMixed},
		{"outbrainWidget", attrNegative},
		{"print-button", attrWeak},
		{"kb-tip-print-step", attrWeak},
		{"related_post wp_rp", attrNegative},
		{"je-block related-content", attrNegative},
		{"post-related", attrMixed},
		{"ImageText_Container", attrMixed},
		{"postmetadata alt", attrNegative},
	} {
		n := &html.Node{Type: html.ElementNode, Data: "div", Attr: []html.Attribute{{Key: "class", Val: c.class}}}
		if got := classifyAttrs(n); got != c.want {
			t.Errorf("classifyAttrs(%q) = %v, want %v", c.class, got, c.want)
		}
	}
}

// TestClassWordSets checks what scanWords relies on: stems of six
// letters or more, and pairs of two words.
func TestClassWordSets(t *testing.T) {
	for _, s := range negativeStems {
		if len(s) < 6 {
			t.Errorf("negative stem %q is shorter than six letters", s)
		}
	}
	for p := range negativePairs {
		if strings.Count(p, "-") != 1 {
			t.Errorf("negative pair %q is not two words", p)
		}
	}
}

// TestCardWithImageKept checks that a recipe card inside the post, named
// for holding a picture, is kept with the article.
func TestCardWithImageKept(t *testing.T) {
	page := `<body><article><div class="entry-content"><p>` + prose + `</p><p>` + prose + `</p>
		<section class="recipe-card recipe-card-has-image"><h2>Pear jam</h2><h3>Ingredients</h3>
		<ul><li>8 ripe pears, cored and peeled</li><li>1 lemon</li><li>1 tsp cinnamon</li></ul>
		<h3>Instructions</h3><ol><li>Fill the canner with water and set it to simmer.</li>
		<li>Boil the pears with the lemon juice and spices for a minute.</li></ol></section></div></article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	for _, want := range []string{"8 ripe pears, cored and peeled", "Fill the canner with water"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lost:\n%s", want, got)
		}
	}
}

func TestFurnitureLine(t *testing.T) {
	for _, line := range []string{
		"Comments0 300 Comments0", "Advertisement", "Share Tweet Email", "12", "READ MORE",
		"Tags: politics, budget", "20 Nov, 2019 05:47", "November 20, 2019 - 11:28 AMT",
		"PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: 11:05, Tue, Nov 19, 2019", "By", "DON'T MISS", "Image 1 of 5", "You may also like...", "LEARN MORE",
		`[button link="https://example.com/submit/" type="big"] Send us YOUR review[/button]`,
		"Anzeige", "Iklan", "PUBLICITÉ", "Реклама", "広告",
		"05/10/2018 - Publicado por: Clarissa Borba - Categoria: Saúde - Tags: sad arrombamento veiculo",
		"Posted by: Jane Doe | Category: News | 2019-11-20 10:30",
		"3 Kommentare", "Kommentieren", "Kommentar verfassen Antwort abbrechen", "Leave a Reply Cancel reply",
		"Schon gelesen?", "Auch interessant:", "Zum Weiterlesen:", "Mehr Themen:", "Zobacz również",
		"Weitere Informationen:", "More information", "Kontakt:", "Contact us",
		"Like this:", "Like Loading...", "Teilen mit:", "Gefällt mir:", "Gefällt mir Wird geladen …",
		"Inhaltsverzeichnis", "Table of Contents", "Print Recipe", "zurück zur Listenansicht", "Back to overview",
		"Artikel teilen", "Teilen:", "Share this post",
		"You must be logged in to post a comment.", "Sie sind aktuell nicht eingeloggt.", "Externer Inhalt",
	} {
		if !isFurnitureLine(line) {
			t.Errorf("%q not recognised as furniture", line)
		}
	}
	for _, line := range []string{
		"Comments were made by the minister.", "2019 was a year of change", "Share prices fell.",
		"Tags are what the committee discussed at 10:30.", "By noon the talks had failed.",
		"Markets | 10:48, Tue, Nov 19, 2019", "Score: 3 - 1", "PARIS - The talks ended on Tuesday, officials said.",
		"By: the harbour master - who said the quay would open in May", "[Reuters] The talks ended [/late]", "[sic] as he said [/sic]", "The vote at 10:48 | The count in 2019 went on into the night, past midnight, to the end",
		"Kommentare schreiben die Leser selten.", "Auch interessant war die Reaktion der Fans.",
		"More information is expected on Friday.", "Contact with the rebels was lost at noon.",
		"Like this: the council wants a new bridge.", "Gefällt mir nicht, sagte der Bürgermeister.",
		"Zurück zur Übersicht ging es erst am Abend.", "Teilen wollte er das Geld nicht.",
		"You must be logged in to vote, the company said on Tuesday, and many of its users were not.",
	} {
		if isFurnitureLine(line) {
			t.Errorf("%q taken for furniture", line)
		}
	}
}

// TestBoilerPhrase checks the headings of related-content boxes.
func TestBoilerPhrase(t *testing.T) {
	for _, h := range []string{"Related stories", "More Great WIRED Stories", "More top news", "You may also like...",
		"Baca Juga", "Lees ook:", "関連記事", "Czytaj też"} {
		if !isBoilerPhrase(normPhrase(h)) {
			t.Errorf("%q not taken for a box heading", h)
		}
	}
	for _, h := range []string{"More than a game", "What the council decided", "More stories emerge of abuse in the care homes, and more"} {
		if isBoilerPhrase(normPhrase(h)) {
			t.Errorf("%q taken for a box heading", h)
		}
	}
}

// TestJSONLDBodyFallback checks when the JSON-LD articleBody stands in for
// the page's text: only when the markup shows almost none (a page that
// renders its text with scripts), never over text the page shows, and
// never on a paywalled page.
func TestJSONLDBodyFallback(t *testing.T) {
	declared := strings.Repeat(prose, 12) + "\n\n" + strings.Repeat("The mayor said the vote would come next month, once the figures are in. ", 6)
	page := func(shown, extra string) string {
		ld := map[string]any{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Budget talks resume",
			"articleBody": declared}
		if extra == "paywalled" {
			ld["isAccessibleForFree"] = false
		}
		b, err := json.Marshal(ld)
		if err != nil {
			t.Fatal(err)
		}
		return `<html><head><title>Budget talks resume</title><script type="application/ld+json">` + string(b) +
			`</script></head><body><h1>Budget talks resume</h1><div id="app">` + shown +
			`</div><script>window.render("#app")</script></body></html>`
	}
	shownText := "<p>" + strings.Repeat("Council members argued for hours over the plan before adjourning late. ", 25) + "</p>"
	for _, tc := range []struct {
		name, shown, extra string
		fromLD             bool
	}{
		{"script-rendered page", `<p>Loading…</p>`, "", true},
		{"page shows its text", shownText, "", false},
		{"paywalled teaser", `<p>Subscribe to read the whole story.</p>`, "paywalled", false},
	} {
		a, err := Extract([]byte(page(tc.shown, tc.extra)), "https://example.org/2024/05/budget-talks", Options{})
		if tc.extra == "paywalled" {
			// Too little visible text: the page is refused or stored as
			// the teaser it is, but never with the declared body.
			if err == nil && strings.Contains(a.Text, "committee met") {
				t.Errorf("%s: the declared body was used: %q", tc.name, clip(a.Text, 60))
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := strings.Contains(a.Text, "The committee met on Tuesday") && strings.Contains(a.Text, "The mayor said"); got != tc.fromLD {
			t.Errorf("%s: text from articleBody = %v, want %v; text %q", tc.name, got, tc.fromLD, clip(a.Text, 80))
		}
		if tc.fromLD && strings.Count(a.Text, "\n\n") != 1 {
			t.Errorf("%s: want the two declared paragraphs, got %q", tc.name, clip(a.Text, 80))
		}
	}
	// An articleBody written as markup is read as markup.
	c := declaredBody("<p>" + strings.Repeat(prose, 3) + "</p><p>Second <b>paragraph</b> here.</p>")
	if c.Paragraphs != 2 || strings.Contains(c.Text, "<") {
		t.Errorf("markup articleBody: %d paragraphs, text %q", c.Paragraphs, clip(c.Text, 80))
	}
}

// checkText fails t for each string of keep that got lacks and each string
// of drop that got holds.
func checkText(t *testing.T, got string, keep, drop []string) {
	t.Helper()
	for _, w := range keep {
		if !strings.Contains(got, w) {
			t.Errorf("%q dropped from:\n%s", w, got)
		}
	}
	for _, w := range drop {
		if strings.Contains(got, w) {
			t.Errorf("%q kept in:\n%s", w, got)
		}
	}
}

// Class names that say what an element holds, or where it is hidden, do
// not make it furniture; the ones that name furniture still do.
func TestClassNameQualifiers(t *testing.T) {
	for class, want := range map[string]bool{
		"hasHeaderImage":                   false,
		"card-has-image":                   false,
		"field-label-hidden":               false,
		"hidden-xs":                        false,
		"visible-md hidden-sm":             false,
		"hidden-mobile":                    false,
		"hidden":                           true,
		"is-hidden":                        true,
		"visually-hidden":                  true,
		"sidebar":                          true,
		"no-comments sidebar":              true,
		"hidden promo":                     true,
		"article-image-caption":            true,
		"player-with-placeholder__caption": true,
	} {
		if neg, _, _ := scanWords(class); neg != want {
			t.Errorf("scanWords(%q) negative = %v, want %v", class, neg, want)
		}
	}
}

// TestPrintOnlyAndPrintSteps checks that a class naming print removes a
// short print button but not the steps of a how-to set in blocks named
// for their print layout, and that a block Bootstrap shows in print only
// ("d-none d-print-block") stays out while one it shows from a screen
// size up ("d-none d-md-block") stays in.
func TestPrintOnlyAndPrintSteps(t *testing.T) {
	step := `<div class="kb-tip-print-step"><div class="kb-tip-steps">` + prose + `<br>` + prose + `<br><br></div></div>`
	got := bodyOf(t, `<body><div class="tip"><div class="print-button"><a href="/print">Drucken</a></div>`+strings.Repeat(step, 3)+
		`<div class="d-none d-print-block">Citation: retrieved 20 November 2019 from the site; this document is subject to copyright.</div>`+
		`<div class="d-none d-md-block"><p>The chair closed the meeting, and the council will vote on the plan in the spring, the clerk said.</p></div></div></body>`, newsflow.ExtractRules{})
	if strings.Count(got, "The committee met") != 6 {
		t.Errorf("the how-to's steps were not all kept:\n%s", got)
	}
	if strings.Contains(got, "Drucken") || strings.Contains(got, "Citation") {
		t.Errorf("the print button or the print-only block was kept:\n%s", got)
	}
	if !strings.Contains(got, "The chair closed the meeting") {
		t.Errorf("the block shown on larger screens was dropped:\n%s", got)
	}
}

// The one element a page marks itemprop="articleBody" is its text, even
// when a gallery of captions elsewhere holds more prose and the element's
// id names share buttons.
func TestMicrodataArticleBody(t *testing.T) {
	var gallery strings.Builder
	for i := range 30 {
		fmt.Fprintf(&gallery, `<h2>%d/30 Photo of the day</h2><p>A caption of a picture in the gallery, long enough to read like prose, with a comma, another, and more words about picture %d of the set.</p>`, i+1, i)
	}
	story := `<p>Most people go to hotels for the pleasure of sleeping in a giant bed with clean white sheets and waking up to fresh towels.</p>
<p>But those towels and sheets might not be as clean as they look, according to the hotel owners who answered questions online.</p>
<p>Both run hotel start-ups in the US, and both said that rooms are often cleaned less than guests think, even in luxury hotels.</p>
<p>Bedspreads, they said, are washed far less often than sheets, and the glasses in the bathroom are not always replaced.</p>`
	page := `<html><head><title>Seven secrets of hotel owners</title></head><body>
<div class="gallery">` + gallery.String() + `</div>
<article><h1>Seven secrets of hotel owners</h1><div class="text-wrapper" itemprop="articleBody" id="share-btns-2_containerParent">` + story + `</div></article></body></html>`
	a, err := Extract([]byte(page), "https://news.example/business/seven-secrets-of-hotel-owners-123456.html", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "Most people go to hotels") || strings.Contains(a.Text, "Photo of the day") {
		t.Errorf("text is not the marked body:\n%s", a.Text)
	}
}

// An element holding most of the page's prose is not furniture whatever
// its name says: a page wrapper named for the navigation beside it
// ("left-navigation_page-wrapper") keeps the story it wraps.
func TestProseOutweighsName(t *testing.T) {
	var nav strings.Builder
	for i := range 120 {
		fmt.Fprintf(&nav, `<li><a href="/section/%d">Section number %d of the site</a></li>`, i, i)
	}
	page := `<html><body><nav><ul>` + nav.String() + `</ul></nav>
		<div id="left-navigation_page-wrapper"><h1>The story</h1>
		<p>` + prose + `</p><p>` + prose + `</p><p>` + prose + `</p><p>` + prose + `</p></div>
		<div class="about"><p>Our newsroom has covered the city, its council and its schools since 1901, and it is owned by a foundation that keeps it independent.</p></div>
		<footer><p>About us. Contact. Imprint.</p></footer></body></html>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	if strings.Count(got, strings.TrimSpace(prose)) != 4 {
		t.Errorf("story in a wrapper named for the navigation lost:\n%s", got)
	}
}

// An <aside> holding most of the page's prose is the story, as some
// templates write it; an <aside> of links beside it is still furniture.
func TestStoryInAside(t *testing.T) {
	var related strings.Builder
	for i := range 8 {
		fmt.Fprintf(&related, `<li><a href="/related/%d">Related story number %d from the archive</a></li>`, i, i)
	}
	page := `<html><body><main><h1>The story</h1><aside class="direct-content"><p>` + prose + `</p><p>` + prose + `</p><p>` + prose + `</p><p>` + prose + `</p></aside>
		<aside class="more"><h3>More stories</h3><ul>` + related.String() + `</ul></aside></main>
		<div class="about"><p>Our newsroom has covered the city, its council and its schools since 1901, and it is owned by a foundation that keeps it independent.</p></div></body></html>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	if strings.Count(got, strings.TrimSpace(prose)) != 4 || strings.Contains(got, "Related story") {
		t.Errorf("story in an <aside> not found alone:\n%s", got)
	}
}

// A page that renders its story from a script template and writes it
// again in <noscript> (Blogger themes) gives the story; a <noscript>
// beside a story that the page shows is left alone.
func TestNoscriptStory(t *testing.T) {
	story := strings.Repeat("<p>"+prose+"</p>", 8)
	page := `<html><body><div class="nav"><a href="/">Home</a></div><div class="post"><h1>The story</h1>
		<div class="post-body"><script type="text/template">` + story + `</script><noscript>` + story + `</noscript></div></div></body></html>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	if strings.Count(got, strings.TrimSpace(prose)) != 8 {
		t.Errorf("story in <noscript> not found:\n%s", got)
	}
	shown := `<html><body><article><h1>The story</h1>` + story + `<noscript>` + strings.Repeat("<p>Please enable JavaScript to see the comments, the gallery and the rest of this page.</p>", 12) + `</noscript></article></body></html>`
	got = bodyOf(t, shown, newsflow.ExtractRules{})
	if strings.Count(got, strings.TrimSpace(prose)) != 8 || strings.Contains(got, "JavaScript") {
		t.Errorf("a <noscript> beside a shown story was read:\n%s", got)
	}
}

// TestRemeasure checks that the stats clean's removals leave, counted
// again only where something was removed, are those of a full measure,
// on a fifth of every corpus (what clean removes varies with the page).
func TestRemeasure(t *testing.T) {
	for _, name := range []string{scrapinghub, readability, trafilaturaEval} {
		pages := everyNth(readPages(t, name), 5)
		changed := 0
		for _, p := range pages {
			doc, err := parse(p.HTML, "")
			if err != nil {
				continue
			}
			body := findBody(doc)
			raw := measure(body, 0)
			parents := clean(body, raw, microdataBody(markedBodies(body), raw))
			got, want := remeasure(raw, body, parents), measure(body, 0)
			if len(parents) > 0 {
				changed++
			}
			walk(body, func(n *html.Node) bool {
				if want[n] == nil || got[n] == nil {
					if want[n] != got[n] {
						t.Fatalf("%s/%s: <%s> has stats in one table only", name, p.ID, n.Data)
					}
					return true
				}
				g, w := *got[n], *want[n]
				g.order, g.textAt, g.linkAt = 0, 0, 0
				w.order, w.textAt, w.linkAt = 0, 0, 0
				if g != w {
					t.Fatalf("%s/%s: <%s> remeasured %+v, measured %+v", name, p.ID, n.Data, g, w)
				}
				return true
			})
		}
		if changed < len(pages)/2 {
			t.Errorf("%s: clean removed something on %d of %d pages only", name, changed, len(pages))
		}
	}
}

// TestStandfirst checks the lead paragraph that templates set between
// the headline and the body (the TYPO3 news "teaser-text", a chapô): it
// opens the text. A dek inside the article's header stays out, like the
// headline, and the summary under another story's headline on a listing
// is not taken for a lead.
func TestStandfirst(t *testing.T) {
	const lead = "Tausende Fahrgäste passieren täglich den Bahnhof: zukünftig wird man bei der Einfahrt ein neues, auffälliges Bauwerk erspähen können."
	story := `<div class="news-text-wrap" itemprop="articleBody">` + strings.Repeat(`<p>`+prose+`</p>`, 4) + `</div>`
	extract := func(t *testing.T, page string) string {
		t.Helper()
		a, err := Extract([]byte(`<html><head><title>Ein neuer Turm am Bahnhof</title></head><body>`+page+`</body></html>`),
			"https://zoo.example/news/ein-neuer-turm-am-bahnhof", Options{})
		if err != nil {
			t.Fatal(err)
		}
		return a.Text
	}
	t.Run("lead beside the body", func(t *testing.T) {
		got := extract(t, `<div class="news news-single"><div class="article"><h1>Ein neuer Turm am Bahnhof</h1>
			<div class="col-md-8"><div class="teaser-text" itemprop="description"><p>`+lead+`</p></div></div>
			<figure><img src="a.jpg"><figcaption>Der Turm im Entwurf, gezeichnet vom Büro der Architekten aus der Stadt, im Sommer.</figcaption></figure>
			<div class="col-md-8">`+story+`</div></div></div>`)
		if !strings.HasPrefix(got, lead+"\n\n") || strings.Contains(got, "Entwurf") {
			t.Errorf("the lead does not open the text, or the caption came with it:\n%s", got)
		}
	})
	t.Run("dek in the header", func(t *testing.T) {
		got := extract(t, `<article><div class="article-heading"><h1>Ein neuer Turm am Bahnhof</h1><p class="dek">`+lead+`</p></div><div class="col-md-8">`+story+`</div></article>`)
		if strings.Contains(got, "Tausende") {
			t.Errorf("the header's dek was taken into the text:\n%s", got)
		}
	})
	t.Run("summary under another headline", func(t *testing.T) {
		got := extract(t, `<h1>Ein neuer Turm am Bahnhof</h1>
			<div class="col-md-8"><a href="/news/anderes">Der Zoo feiert den hundertsten Geburtstag seines Elefantenhauses</a>
			<p>`+lead+`</p></div>`+story)
		if strings.Contains(got, "Tausende") {
			t.Errorf("another story's summary was taken for the lead:\n%s", got)
		}
	})
	t.Run("under the story's h1, below the logo's", func(t *testing.T) {
		got := extract(t, `<div id="top"><h1><a href="/">Zoo Example</a></h1>`+strings.Repeat(`<div class="menu"><span>Tiere und Gehege im Park</span></div>`, 60)+`</div>
			<div class="news"><h1>Ein neuer Turm am Bahnhof</h1>
			<div class="col-md-8"><div class="teaser-text"><p>`+lead+`</p></div></div>
			<div class="col-md-8">`+story+`</div></div>`)
		if !strings.HasPrefix(got, lead+"\n\n") {
			t.Errorf("the lead under the story's own <h1> does not open the text:\n%s", got)
		}
	})
	t.Run("under a headline set in an <h3>", func(t *testing.T) {
		got := extract(t, `<div class="news news-single"><div class="article"><div class="header"><h3 itemprop="headline">Ein neuer Turm am Bahnhof</h3></div>
			<div class="footer"><p><time datetime="2020-01-27">27.01.2020</time></p></div>
			<div class="teaser-text" itemprop="description"><p>`+lead+`</p></div>
			<div class="col-sm-6">`+story+`</div></div></div>`)
		if !strings.HasPrefix(got, lead+"\n\n") {
			t.Errorf("the lead under the story's <h3> headline does not open the text:\n%s", got)
		}
	})
}

// TestRubyAnnotations checks that furigana (<rt>) and their fallback
// parentheses (<rp>) stay out of the text, which keeps the characters.
func TestRubyAnnotations(t *testing.T) {
	para := `<p><ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>どもへの<ruby>虐待<rt>ぎゃくたい</rt></ruby>をなくすための<ruby>法律<rt>ほうりつ</rt></ruby>ができて、親が子どもを教育するために、たたいたり蹴ったりする体罰を禁止することになりました。</p>`
	got := bodyOf(t, `<body><article>`+strings.Repeat(para, 4)+`</article></body>`, newsflow.ExtractRules{})
	if !strings.HasPrefix(got, "子どもへの虐待をなくすための法律ができて") {
		t.Errorf("ruby readings left in the text:\n%s", got)
	}
}

// TestTitledStory checks a page that loads the next stories below the
// first, each an <article> under its own <h1>: the text is the story
// whose headline is the page's title, even when a later one is longer. A
// second <h1> heading a box inside the story's own text does not move it.
func TestTitledStory(t *testing.T) {
	story := func(id, headline, para string, n int) string {
		return `<article id="` + id + `" class="entry-main-content"><header><h1>` + headline + `</h1></header><div class="entry-text">` +
			strings.Repeat(`<p>`+para+`</p>`, n) + `</div></article>`
	}
	const first = "Drivers are invited to the yearly blessing of vehicles that the friars hold tomorrow on the avenue, from six in the morning."
	page := `<html><head><title>Vehicles to be blessed this Saturday | Daily</title></head><body><main>` +
		story("article-0", "Vehicles to be blessed this Saturday", first, 3) +
		story("article-1", "Attorney general visits to agree on a common fight", prose, 8) +
		`</main></body></html>`
	a, err := Extract([]byte(page), "https://daily.example/national/vehicles-to-be-blessed-this-saturday", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "Drivers are invited") || strings.Contains(a.Text, "The committee met") {
		t.Errorf("text is not the titled story:\n%s", a.Text)
	}
	boxed := `<html><head><title>Vehicles to be blessed this Saturday | Daily</title></head><body><article>
		<header><h1>Vehicles to be blessed this Saturday</h1></header><div class="body">` + strings.Repeat(`<p>`+first+`</p>`, 3) +
		`<div class="box"><h1>The knot of the state of exception</h1>` + strings.Repeat(`<p>`+prose+`</p>`, 3) + `</div></div></article></body></html>`
	if a, err = Extract([]byte(boxed), "https://daily.example/national/vehicles-to-be-blessed-this-saturday", Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "Drivers are invited") || !strings.Contains(a.Text, "The committee met") {
		t.Errorf("a box under its own <h1> split the story:\n%s", a.Text)
	}
}

// joinedText renders the blocks that join gives for the element of id
// topID on page, measured as extractContent measures it.
func joinedText(t *testing.T, page, topID string, join func(top, body *html.Node, raw statsTable, headlines []int) []*html.Node) string {
	t.Helper()
	doc, err := parse([]byte(page), "")
	if err != nil {
		t.Fatal(err)
	}
	body := findBody(doc)
	raw := measure(body, 0)
	_, headlines := teaserCards(body, raw, nil)
	top := doc.Find("#" + topID).Get(0)
	r := renderer{stats: raw}
	for _, n := range join(top, body, raw, headlines) {
		r.render(n)
	}
	return r.result().Text
}

// TestSplitStory checks withTwins: a story that the template split into
// blocks of one kind ("story-text") set in separate sections, with an ad
// between, is joined in order; on a blog page that lists whole posts, each
// under its own headline link, the other posts' bodies are not joined.
// Blocks that only a grid's class names are joined within one frame.
func TestSplitStory(t *testing.T) {
	const opening = "Rep. Mark Meadows' retirement, revealed hours before the filing deadline, has roiled Republicans who suspect he chose his successor. "
	twins := func(t *testing.T, page, topID string) string {
		t.Helper()
		return joinedText(t, page, topID, func(top, body *html.Node, raw statsTable, headlines []int) []*html.Node {
			return withTwins([]*html.Node{top}, top, body, raw, raw, headlines)
		})
	}
	page := `<body><main>
		<section class="row"><h1>Retirement roils the state party</h1>
		<div class="story-text"><p>` + opening + opening + `</p><p>` + opening + opening + `</p></div></section>
		<section class="row"><div class="ad-slot">Advertisement</div></section>
		<section class="row"><div class="story-text" id="main-part">` + strings.Repeat(`<p>`+prose+`</p>`, 8) + `</div></section>
		</main></body>`
	if got := twins(t, page, "main-part"); !strings.HasPrefix(got, "Rep. Mark Meadows") || !strings.Contains(got, "The committee met") {
		t.Errorf("the story's blocks were not joined in order:\n%s", got)
	}
	// Blocks named only by the grid ("col-md-8") are the story's when
	// they stand in the same frame of the template, not in another.
	grid := `<body><main><h1>Retirement roils the state party</h1>
		<div class="topic"><div class="row"><div class="col-md-8" id="grid-part">` + strings.Repeat(`<p>`+prose+`</p>`, 6) + `</div></div></div>
		<div class="table-wrap"><table><tr><td>Votes</td><td>41</td></tr></table></div>
		<div class="topic"><div class="row"><div class="col-md-8"><p>` + opening + opening + `</p><p>` + opening + opening + `</p></div></div></div>
		<aside class="column"><div class="col-md-8"><p>` + strings.Repeat("The editors answer readers' letters every week in this column. ", 8) + `</p></div></aside>
		</main></body>`
	got := twins(t, grid, "grid-part")
	if !strings.HasPrefix(got, "The committee met") || !strings.Contains(got, "Rep. Mark Meadows") {
		t.Errorf("the story's grid blocks were not joined in order:\n%s", got)
	}
	if strings.Contains(got, "The editors answer") {
		t.Errorf("a grid block of another frame was joined:\n%s", got)
	}
	post := func(id, headline, para string) string {
		return `<div class="post" id="` + id + `"><h2><a href="/` + id + `">` + headline + `</a></h2><div class="entry-content" id="body-` + id + `">` +
			strings.Repeat(`<p>`+para+`</p>`, 5) + `</div></div>`
	}
	blog := `<body><div id="content">` + post("post-1", "Thoughts of an activist on the street", prose) +
		post("post-2", "Never again: a post about surveillance", opening) + `</div></body>`
	if got := twins(t, blog, "body-post-1"); strings.Contains(got, "Meadows") || !strings.Contains(got, "The committee met") {
		t.Errorf("another post's body was joined:\n%s", got)
	}
}

// TestDeclaredBodyKeepsNamedProse checks that paragraphs of prose inside
// the page's one itemprop=articleBody stay when their block's class names
// furniture (a BEM modifier saying the section may hold ads), while a
// share bar there still goes.
func TestDeclaredBodyKeepsNamedProse(t *testing.T) {
	section := func(id, para string) string {
		return `<section class="TestReport__Section TestReport__Section--Ads" id="` + id + `"><h2>` + id + `</h2>` +
			strings.Repeat(`<p class="TestReport__TextBlock">`+para+`</p>`, 3) + `</section>`
	}
	const verdict = "Starke Hitze nur in der Mitte, dafür ein Steak wie vom Profi: der Grill aus dem Discounter hat uns im Test überzeugt, auch beim Preis."
	page := `<html><head><title>Beef Maker im Test</title></head><body><main><h1>Beef Maker im Test</h1>
		<article class="TestReport" itemprop="articleBody"><section class="TestReport__Section"><p>` + prose + prose + `</p></section>` + section("Lieferumfang", prose) + section("Fazit", verdict) +
		`<div class="share-bar"><a href="/fb">Teilen</a> <a href="/tw">Twittern</a></div></article></main></body></html>`
	a, err := Extract([]byte(page), "https://tech.example/test/beef-maker-im-test_154632771.html", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "The committee met") || !strings.Contains(a.Text, "Starke Hitze") || strings.Contains(a.Text, "Twittern") {
		t.Errorf("the declared body lost its named sections, or kept its share bar:\n%s", a.Text)
	}
}

// TestOrphanHeading checks that a short heading ending a story, whose
// box of links went with the furniture, leaves the text, while a heading
// with its section's text under it, a long heading set as a pull quote,
// and the headings of a text too short to be a story stay.
func TestOrphanHeading(t *testing.T) {
	story := strings.Repeat(`<p>`+prose+`</p>`, 4)
	got := bodyOf(t, `<body><article>`+story+`<h3>Das könnte dich auch interessieren</h3><ul class="related"><li><a href="/a">Another story of the day</a></li></ul></article></body>`, newsflow.ExtractRules{})
	if strings.Contains(got, "interessieren") {
		t.Errorf("the orphan heading stayed:\n%s", got)
	}
	const quote = "It is a horrible story, one could say cynically that it is perfectly horrible"
	got = bodyOf(t, `<body><article>`+story+`<h2>What comes next</h2><p>`+prose+`</p><h3>`+quote+`</h3></article></body>`, newsflow.ExtractRules{})
	if !strings.Contains(got, "What comes next") || !strings.Contains(got, quote) {
		t.Errorf("a heading with its text, or a pull quote, was dropped:\n%s", got)
	}
	got = bodyOf(t, `<body><article><p>`+prose+prose+prose+prose+`</p><h2>Secondary header</h2></article></body>`, newsflow.ExtractRules{})
	if !strings.Contains(got, "Secondary header") {
		t.Errorf("the heading of a one-paragraph text was dropped:\n%s", got)
	}
}

// TestStandfirstWalkBounded checks that the search for a standfirst
// visits a bounded number of nodes: a lead past thousands of empty
// elements is not looked for, one past a few is found.
func TestStandfirstWalkBounded(t *testing.T) {
	const lead = "Tausende Fahrgäste passieren täglich den Bahnhof: zukünftig wird man bei der Einfahrt ein neues, auffälliges Bauwerk erspähen können."
	page := func(empty int) string {
		return `<html><head><title>Ein neuer Turm am Bahnhof</title></head><body><div class="article"><h1>Ein neuer Turm am Bahnhof</h1>` +
			strings.Repeat(`<span class="x"></span>`, empty) + `<div class="col"><div class="teaser-text"><p>` + lead + `</p></div></div>
			<div class="col"><div itemprop="articleBody">` + strings.Repeat(`<p>`+prose+`</p>`, 4) + `</div></div></div></body></html>`
	}
	for _, c := range []struct {
		empty int
		found bool
	}{{10, true}, {3 * maxLeadNodes, false}} {
		a, err := Extract([]byte(page(c.empty)), "https://zoo.example/news/ein-neuer-turm-am-bahnhof", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.HasPrefix(a.Text, lead); got != c.found {
			t.Errorf("%d empty elements before the lead: lead taken %v, want %v", c.empty, got, c.found)
		}
	}
}

// TestSectionH1s checks that <h1> elements heading the sections of an
// article (as some blogging platforms write them) are kept, while a lone
// <h1> inside the article, such as a donation box's, is still dropped.
func TestSectionH1s(t *testing.T) {
	page := func(body string) string {
		return `<html><head><title>Why monitoring matters</title></head><body><header><h1>Why monitoring matters</h1></header><article>` + body + `</article></body></html>`
	}
	para := `<p>` + prose + `</p>`
	a, err := Extract([]byte(page(`<h1>Resources</h1>`+para+para+`<h1>Basic monitoring</h1>`+para+para)), "https://blog.example/why-monitoring-matters", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "Resources\n\n") || !strings.Contains(a.Text, "Basic monitoring\n\n") {
		t.Errorf("the section headings were dropped:\n%s", a.Text)
	}
	a, err = Extract([]byte(page(para+para+para+`<h1>Support us with a donation!</h1><p>Choose your membership.</p>`)), "https://blog.example/why-monitoring-matters", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Text, "donation") {
		t.Errorf("a lone <h1> inside the article was kept:\n%s", a.Text)
	}
}

// TestClosingWidgetsDropped checks that the widgets set after a story,
// named by what they are (a star rating, a copyright note, a call to
// action), do not join its text.
func TestClosingWidgetsDropped(t *testing.T) {
	page := `<body><article><div class="entry-content"><p>` + prose + `</p><p>` + prose + `</p><p>` + prose + `</p>
		<span class="post-ratings">Was this article useful? (95 votes: 4.73 out of 5)</span>
		<section class="c-letters-cta"><p>We want to hear what you think about this article. Write to the editors.</p></section>
		<div class="copyright">© 2020 Example Media Inc. All Rights Reserved.</div>
		</div></article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"The committee met"}, []string{"95 votes", "We want to hear", "All Rights Reserved"})
}

// TestSignUpFormDropped checks that a newsletter form set inside the
// story, with a few paragraphs of its own pitch, does not join its text.
func TestSignUpFormDropped(t *testing.T) {
	page := `<body><article><div class="body"><p>` + prose + `</p><p>` + prose + `</p><p>` + prose + `</p><p>` + prose + `</p>
		<form action="/subscribe"><h3>Welcome to our daily briefing!</h3>
		<p>We send you the top stories of the day, every weekday morning, straight to your inbox.</p>
		<p>By signing up you accept our privacy policy. You can unsubscribe at any time.</p>
		<input type="email" name="email" placeholder="Your e-mail address"><button>Send</button></form>
		<p>` + prose + `</p></div></article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"The committee met"}, []string{"daily briefing", "every weekday morning", "privacy policy"})
}

// TestRelatedBoxWithExcerpts checks that a box of related posts, named
// so with a word saying what it lists ("related-content"), goes with the
// excerpts of its stories, which make it read like prose.
func TestRelatedBoxWithExcerpts(t *testing.T) {
	excerpt := "Another story from the archive, told at length in a teaser of its own so that the box reads like prose. "
	page := `<body><article><div class="entry"><p>` + prose + `</p><p>` + prose + `</p><p>` + prose + `</p><p>` + prose + `</p>
		<div class="related-content"><div><h4><a href="/a">Forester attacked on a forest road</a></h4><p>` + excerpt + `</p></div>
		<div><h4><a href="/b">Hunter rescues an injured tractor driver</a></h4><p>` + excerpt + `</p></div></div>
		</div></article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"The committee met"}, []string{"Forester attacked", "Another story from the archive"})
}

// TestPostMetadataDropped checks that the line of a classic blog theme's
// "postmetadata" block (when the post was written, where it was filed,
// the comments feed) does not join the post.
func TestPostMetadataDropped(t *testing.T) {
	page := `<body><div class="post"><div class="entry"><p>` + prose + `</p><p>` + prose + `</p><p>` + prose + `</p>
		<p class="postmetadata alt"><small>This entry was posted on Wednesday, November 27th, 2019 at 3:21 pm and is filed under
		<a href="/c/general">General</a>, <a href="/c/events">Events</a>. You can follow any responses to this entry through the
		<a href="/feed">RSS 2.0</a> feed. You can leave a response, or trackback from your own site.</small></p>
		</div></div></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"The committee met"}, []string{"This entry was posted", "follow any responses"})
}

// TestFurnitureIDDropped checks that a block whose id is a furniture word
// alone (id="sidebar") goes even when its widgets hold more prose than a
// short post beside it; a wrapper named only by its class for what it
// holds ("with-sidebar") keeps the post.
func TestFurnitureIDDropped(t *testing.T) {
	widget := "Links on this blog lead to other sites whose content I do not control and for which I take no responsibility whatsoever. "
	page := `<body><div id="wrapper" class="with-sidebar"><div id="content"><div class="post"><h2>A winter evening</h2>
		<p>` + prose + `</p><p>` + prose + `</p></div></div>
		<div id="sidebar"><div class="widget widget_text"><h3>Disclaimer for external links</h3><p>` + widget + widget + `</p><p>` + widget + `</p></div>
		<div class="widget widget_text"><h3>About this blog</h3><p>` + widget + `</p><p>` + widget + `</p></div></div></div></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"The committee met"}, []string{"Links on this blog", "Disclaimer for external links", "About this blog"})
}

// TestConsentNoticeDropped checks that a site's cookie notice goes however
// it is named, also where the story stands in a block named like a
// sidebar and the furniture comes back, while a story's own sentence on
// cookies stays.
func TestConsentNoticeDropped(t *testing.T) {
	notices := []string{
		"This website uses cookies to improve your experience. We'll assume you're ok with this, but you can opt-out if you wish.",
		"Diese Website verwendet Cookies. Wenn du die Website weiterhin nutzt, stimmst du der Verwendung von Cookies zu.",
		"En poursuivant votre navigation sur ce site, vous acceptez l’utilisation de cookies pour vous proposer des contenus adaptés.",
	}
	story := "The harbour board voted on Monday to close the old ferry pier for a year of repairs. " +
		"The new rules require every website to ask its readers before it sets cookies, the board's lawyer added. "
	widget := "The Harbour Times is written by volunteers, printed in town and delivered to every house on the island. "
	for _, notice := range notices {
		page := `<body><div class="penci_sidebar"><div class="entry"><h1>Pier to close</h1><p>` + story + `</p></div></div>
			<div class="penci_sidebar"><div class="widget"><h3>About us</h3><p>` + widget + `</p></div>
			<div class="widget"><h3>Our paper</h3><p>` + widget + `</p></div><div class="widget"><h3>Contact</h3><p>` + widget + `</p></div></div>
			<div class="penci-wrap-gprd-law"><p>` + notice + ` <a href="/privacy">Read more</a></p></div></body>`
		got := bodyOf(t, page, newsflow.ExtractRules{})
		checkText(t, got, []string{"The harbour board voted", "The new rules require every website"}, []string{notice[:30]})
	}
}

// TestDialogDroppedWhenFurnitureReturns checks that an element marked as a
// dialog (a newsletter or consent pop-up) stays out of the text even on a
// page where everything looks like furniture and the rest comes back.
func TestDialogDroppedWhenFurnitureReturns(t *testing.T) {
	popup := "Sign up for the morning briefing and get the day's best stories, our long reads and the weekend's puzzles delivered to your inbox, free of charge. "
	page := `<body><div class="widget-area sidebar"><p>` + prose + `</p></div>
		<div class="popup-wrap" role="dialog" aria-hidden="true"><h4>Stay informed</h4><p>` + popup + `</p><p>` + popup + `</p><p>` + popup + `</p></div></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"The committee met"}, []string{"morning briefing", "Stay informed"})
}

// TestCommentsStayOutWhenFurnitureReturns checks that the readers'
// comments stay out of the text on a page where everything looks like
// furniture and the rest comes back (the story in a block named like a
// sidebar), while an opinion piece named "commentary" is no comment.
func TestCommentsStayOutWhenFurnitureReturns(t *testing.T) {
	comment := "I have been saying this for years, and nobody on the council listens, which is why the buses are late, the roads are broken and the rates go up. "
	page := `<body><div class="widget-area sidebar"><p>` + prose + `</p></div>
		<div id="comments"><ol class="commentlist"><li id="comment-12"><p>` + comment + `</p></li><li id="comment-13"><p>` + comment + comment + `</p></li>
		<li id="comment-14"><p>` + comment + `</p></li></ol></div></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"The committee met"}, []string{"nobody on the council"})
	for _, class := range []string{"commentary", "commentary-body"} {
		if namedComments(&html.Node{Type: html.ElementNode, Data: "div", Attr: []html.Attribute{{Key: "class", Val: class}}}) {
			t.Errorf("class %q read as comments", class)
		}
	}
}

// TestCellParagraphEndsWithCell checks that a table cell in which a
// paragraph ended (a story's column of text and <br><br>) ends its last
// paragraph too, so that an ad's label in the cell beside it does not run
// into the story, while the cells of a data table's row stay one line.
func TestCellParagraphEndsWithCell(t *testing.T) {
	page := `<body><table><tr><td valign="top"><font size="2">` + prose + `<br><br>` + prose + `<br><br>The vote is set for Friday.</font></td>
		<td width="310"><font size="1">ADVERTISEMENT</font><br><a href="http://ads.example/click"><img src="/banner.gif"></a></td></tr>
		<tr><td colspan="2"><font size="2">` + prose + `<br><br>` + prose + `</font>
		<table><tr><td>Monday</td><td>Budget hearing</td></tr><tr><td>Friday</td><td>Vote</td></tr></table></td></tr></table></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"The vote is set for Friday.\n\n", "Monday Budget hearing\n\nFriday Vote"}, []string{"ADVERTISEMENT"})
}

// TestStaffCreditLeavesText checks that a byline crediting the newsroom
// or a wire, or a reporter by a staff role alone, leaves the start of the
// text, while a role of more words and sentences that open like one stay.
func TestStaffCreditLeavesText(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"By Staff Writer", true},
		{"By Staff Writer - Friday, September 17, 2010", true},
		{"By STAFF WRITER October 22, 2010", true},
		{"By The Associated Press", true},
		{"Jane Doe, Staff Writer", true},
		{"Regan, Staff Writer", true},
		{"Caroline Hawley, BBC diplomatic correspondent", false},
		{"By the river, the town has grown.", false},
		{"By Staff Writer and Council Member Jane Doe", false},
		{"Staff writers at the paper voted to strike.", false},
		{"jdadmin, Staff Writer", false},
	} {
		if got := isStaffCredit(tc.line); got != tc.want {
			t.Errorf("isStaffCredit(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
	page := `<body><div class="storytext">By Staff Writer - March 3, 2009<br><br>` + prose + `<br><br>` + prose + `</div></body>`
	checkText(t, bodyOf(t, page, newsflow.ExtractRules{}), []string{"The committee met"}, []string{"Staff Writer"})
}

// TestBigCommentsDropped checks that a block named as the readers'
// comments goes even where it holds most of the page's prose: it is no
// wrapper of a short story above it.
func TestBigCommentsDropped(t *testing.T) {
	comment := "I have been saying this for years, and nobody on the council listens, which is why the buses are late, the roads are broken and the rates go up. "
	var comments strings.Builder
	for i := range 8 {
		fmt.Fprintf(&comments, `<div id="comment-%d" class="epoch-comment-body"><p>%s%s</p></div>`, 100+i, comment, comment)
	}
	page := `<body><article><h1>Budget talks</h1><p>` + prose + `</p><p>` + prose + `</p></article>
		<div id="comment-list">` + comments.String() + `</div></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"The committee met"}, []string{"nobody on the council"})
}

// TestAuthorBoxDropped checks that a block marked with microdata as the
// article's author (a bio box under the post) is dropped, while a name
// marked so inside a sentence stays.
func TestAuthorBoxDropped(t *testing.T) {
	page := `<body><article><div class="entry"><p>` + prose + `</p><p>` + prose + `</p>
		<p>Edited by <span itemprop="author">Jane Roe</span> for the weekend edition.</p><p>` + prose + `</p>
		<div class="sabox-wrap" itemscope itemtype="http://schema.org/Person" itemprop="author">
		<div class="sabox-name">Pat Doe</div>
		<div class="sabox-desc"><p>Pat Doe, a photographer from Hamburg and founder of a small studio. I like every kind of photography,
		but there is nearly always a person in my pictures, out on the street or at home.</p></div></div>
		</div></article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"The committee met", "Edited by Jane Roe for the weekend edition."}, []string{"photographer from Hamburg", "Pat Doe"})
}

// TestGermanCommentsDropped checks that a block of reader comments named
// in German ("kommentare") goes like one named "comments".
func TestGermanCommentsDropped(t *testing.T) {
	page := `<body><article><div class="text">` + strings.Repeat("<p>"+prose+"</p>", 6) + `</div>
		<div class="kommentare"><h3>Kommentare</h3><div class="item"><p>Kritiker2010, 06.11.2023</p>
		<p>Ein kleiner Schritt, kein Quantensprung: die neuen Haltestellen behindern den Verkehr mehr, als sie ihm helfen, und das ganze Konzept wirkt durchdacht nur auf dem Papier.</p></div>
		<p>Es gibt kein Recht auf Veröffentlichung. Die Redaktion kann unpassende Beiträge entfernen.</p></div></article></body>`
	got := bodyOf(t, page, newsflow.ExtractRules{})
	checkText(t, got, []string{"The committee met"}, []string{"Quantensprung", "Kritiker2010", "Recht auf Veröffentlichung"})
}

// TestSplitStoryCells checks withSplitCells: a story that an old table
// template splits into rows, an ad's row between, is joined in order, its
// last paragraphs too, however short; a sidebar's cell beside a row of the
// story, and a cell in the chosen cell's own row, are not.
func TestSplitStoryCells(t *testing.T) {
	const last = "The council will vote on the plan next month, the mayor said."
	page := `<HTML><BODY><TABLE WIDTH="100%"><TR><TD WIDTH="150"><FONT SIZE="1">` + strings.Repeat("Letters to the editor are welcome on any subject of local interest. ", 3) + `</FONT></TD>` +
		`<TD ID="first"><FONT SIZE="2"><B>Council backs budget after long delay</B><BR><BR>` +
		strings.Repeat(prose, 3) + `<BR><BR>` + strings.Repeat(prose, 3) + `</FONT></TD></TR>` +
		`<TR><TD COLSPAN="2" ALIGN="center"><A HREF="http://ads.example/click"><IMG SRC="http://ads.example/b.gif"></A></TD></TR>` +
		`<TR><TD WIDTH="150"><FONT SIZE="1">Our newsroom is open to visitors on weekdays from nine to five.</FONT></TD>` +
		`<TD><FONT SIZE="2">Officials said the schedule would slip again if the staffing plan fails.<BR><BR>` + last + `</FONT></TD></TR></TABLE></BODY></HTML>`
	got := joinedText(t, page, "first", func(top, _ *html.Node, raw statsTable, headlines []int) []*html.Node {
		return withSplitCells([]*html.Node{top}, top, raw, raw, headlines)
	})
	if !strings.HasPrefix(got, "Council backs budget") || !strings.HasSuffix(got, last) {
		t.Errorf("the story's rows were not joined in order:\n%s", got)
	}
	if strings.Contains(got, "newsroom is open") || strings.Contains(got, "Letters to the editor") {
		t.Errorf("a sidebar's cell was joined:\n%s", got)
	}
}
