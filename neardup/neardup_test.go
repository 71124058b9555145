package neardup

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
)

const story = `The central bank raised its main interest rate by a quarter of a point on Thursday, the third rise this year, saying that prices were still climbing faster than it would like.

"Inflation remains too high," the governor told reporters after the decision. "We will do what is needed to bring it back to target, and we are prepared to act again if the data call for it."

Economists had been divided ahead of the meeting, with some arguing that the bank should pause to see how earlier rises were feeding through to mortgages and business loans.

The decision was welcomed by savers' groups but criticised by builders, who said higher borrowing costs were already cutting the number of new homes being started across the country.`

func TestSignIgnoresCaseSpacingAndPunctuation(t *testing.T) {
	a, err := Sign(story)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Sign(strings.ToUpper(strings.NewReplacer("\n\n", " ", ",", "", `"`, "'").Replace(story)))
	if err != nil {
		t.Fatal(err)
	}
	if s := a.Similarity(&b); s != 1 {
		t.Errorf("same words, other case and punctuation: similarity %.2f, want 1", s)
	}
	c, _ := Sign(story + "\n\nA spokesman for the finance ministry declined to comment on the rate decision when asked on Thursday evening.")
	if s := a.Similarity(&c); s < 0.6 || s == 1 {
		t.Errorf("one paragraph added: similarity %.2f, want between 0.6 and 1", s)
	}
}

func TestSignTooShort(t *testing.T) {
	if _, err := Sign("Rates rise again. The governor said inflation was too high."); err != ErrTooShort {
		t.Errorf("short text: err %v, want ErrTooShort", err)
	}
	if _, err := Sign(""); err != ErrTooShort {
		t.Errorf("empty text: err %v, want ErrTooShort", err)
	}
}

func TestSignatureBinaryRoundTrip(t *testing.T) {
	a, _ := Sign(story)
	data, _ := a.MarshalBinary()
	var b Signature
	if err := b.UnmarshalBinary(data); err != nil || b != a {
		t.Fatalf("round trip: err %v, equal %v", err, b == a)
	}
	if err := b.UnmarshalBinary(data[:10]); err == nil {
		t.Error("a truncated signature decoded without error")
	}
}

func TestIndexCheck(t *testing.T) {
	ctx := context.Background()
	x := &Index{Store: NewMemStore()}
	orig, _ := Sign(story)
	if _, ok, err := x.Check(ctx, "orig", &orig); ok || err != nil {
		t.Fatalf("first text: ok %v err %v, want no match", ok, err)
	}
	// Checked again under its own id (a recrawl), it is not its own copy.
	if m, ok, _ := x.Check(ctx, "orig", &orig); ok {
		t.Errorf("recrawl matched %+v", m)
	}
	copied, _ := Sign("By Maria Keller, Valley Daily\n\n" + strings.Replace(story, "said", "says", -1))
	m, ok, err := x.Check(ctx, "copy", &copied)
	if err != nil || !ok || m.ID != "orig" || m.Similarity < 0.6 {
		t.Errorf("copy: match %+v ok %v err %v, want orig", m, ok, err)
	}
	other, _ := Sign(`The city council approved a new cycle lane along the river on Tuesday after a long debate in which residents of the old town spoke for and against the plan.
Supporters said the lane would make the daily ride to school safer, while shop owners feared the loss of parking spaces in front of their businesses would keep customers away.
Work is due to start in the spring and should take about six months, the council said.`)
	if m, ok, _ := x.Check(ctx, "other", &other); ok {
		t.Errorf("unrelated story matched %+v", m)
	}
}

// TestIndexConcurrent checks many texts at once against one store, as
// crawler workers do; run with -race.
func TestIndexConcurrent(t *testing.T) {
	ctx := context.Background()
	x := &Index{Store: NewMemStore()}
	orig, _ := Sign(story)
	if _, _, err := x.Check(ctx, "orig", &orig); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sig, _ := Sign(fmt.Sprintf("By reporter %d\n\n%s", i, story))
			m, ok, err := x.Check(ctx, fmt.Sprint("copy", i), &sig)
			if err == nil && (!ok || m.ID != "orig") {
				err = fmt.Errorf("copy %d: match %+v ok %v, want orig", i, m, ok)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestIndexesShareAStore checks that an index sees what another one
// sharing its store added, before it started and while it runs, as crawler
// processes sharing a bucket do.
func TestIndexesShareAStore(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := NewMemStore()
	first := &Index{Store: store}
	if err := first.Follow(ctx); err != nil {
		t.Fatal(err)
	}
	orig, _ := Sign(story)
	if _, _, err := first.Check(ctx, "orig", &orig); err != nil {
		t.Fatal(err)
	}
	second := &Index{Store: store}
	if err := second.Follow(ctx); err != nil {
		t.Fatal(err)
	}
	cp, _ := Sign("By Tom Oduya\n\n" + story)
	if m, ok, err := second.Check(ctx, "copy", &cp); err != nil || !ok || m.ID != "orig" {
		t.Errorf("second process: match %+v ok %v err %v, want orig", m, ok, err)
	}
	// And the first sees what the second added after it started.
	if first.Len() != 2 {
		t.Errorf("first index holds %d texts, want 2", first.Len())
	}
}
