package app

import (
	"context"
	"strings"
	"testing"

	"github.com/newsflow/newsflow"
)

// wireStory is an agency story as one outlet runs it.
var wireStory = []string{
	"The central bank raised its main interest rate by a quarter of a point on Thursday, the third rise this year, saying that prices were still climbing faster than it would like.",
	`"Inflation remains too high," the governor told reporters after the decision. "We will do what is needed to bring it back to target, and we are prepared to act again if the data call for it."`,
	"Economists had been divided ahead of the meeting, with some arguing that the bank should pause to see how earlier rises were feeding through to mortgages and business loans.",
	"The decision was welcomed by savers' groups but criticised by builders, who said higher borrowing costs were already cutting the number of new homes being started across the country.",
	"Markets had largely expected the move, and the currency was little changed in afternoon trading, while shares of the big lenders rose slightly.",
}

func sealed(source, url, text string) *newsflow.Article {
	a := &newsflow.Article{URL: url, Title: "Rates", Text: text}
	a.Seal(source, a.FetchedAt)
	return a
}

// TestNearDuplicateMarks fingerprints articles through the bus's bucket:
// a wire copy on another outlet is marked with the first article's id, a
// story of its own is not, and the index outlives the process.
func TestNearDuplicateMarks(t *testing.T) {
	ctx := context.Background()
	cfg := &newsflow.Config{DataDir: t.TempDir()}
	cfg.HTTP.Listen = "off"
	if err := cfg.Prepare(); err != nil {
		t.Fatal(err)
	}
	a := openApp(t, cfg)
	orig := sealed("wire", "https://wire.example/rates", strings.Join(wireStory, "\n\n"))
	if err := a.markNearDuplicate(ctx, orig); err != nil || orig.NearDuplicateOf != "" {
		t.Fatalf("first article: err %v, marked %q", err, orig.NearDuplicateOf)
	}
	edited := append([]string{"By Maria Keller, Valley Daily"}, wireStory[:4]...)
	edited = append(edited, "In Ashford, builders said two housing projects had already been put on hold this autumn because of the cost of credit.")
	cp := sealed("valley", "https://valley.example/business/rates-rise", strings.Join(edited, "\n\n"))
	if err := a.markNearDuplicate(ctx, cp); err != nil {
		t.Fatal(err)
	}
	if cp.NearDuplicateOf != orig.ID || cp.NearDuplicateSimilarity < 0.5 || cp.NearDuplicateSimilarity > 1 {
		t.Errorf("wire copy marked %q at %.3f, want %s", cp.NearDuplicateOf, cp.NearDuplicateSimilarity, orig.ID)
	}
	own := sealed("valley", "https://valley.example/local/bridge", strings.Repeat("The old bridge over the river will close for repairs next month, the county engineer said, and drivers should expect long detours through the town centre. ", 2)+
		`"We know this is hard for people," she said, adding that the work could not wait another winter. "The inflation in building costs has made every month of delay more expensive."`)
	if err := a.markNearDuplicate(ctx, own); err != nil || own.NearDuplicateOf != "" {
		t.Errorf("a story of its own: err %v, marked %q", err, own.NearDuplicateOf)
	}
	a.Close()

	// Another process (a restart here) sees what the first one recorded.
	a = openApp(t, cfg)
	cp2 := sealed("harbour", "https://harbour.example/rates", "WASHINGTON (AP) — "+strings.Join(wireStory[1:], "\n\n")+" "+wireStory[0])
	if err := a.markNearDuplicate(ctx, cp2); err != nil {
		t.Fatal(err)
	}
	if cp2.NearDuplicateOf != orig.ID {
		t.Errorf("after a restart: copy marked %q, want %s", cp2.NearDuplicateOf, orig.ID)
	}
}
