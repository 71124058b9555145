package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/newsflow/newsflow"
	"github.com/newsflow/newsflow/bus"
)

// Every message the fixture crawl publishes on NEWS is valid under the
// JSON Schema of newsflow.article/v1 that subscribers in other languages
// read (schema/article-v1.schema.json), and so are the headers of its dead
// letters (schema/dead-letter-v1.schema.json).
func TestEveryMessageMatchesTheSchema(t *testing.T) {
	sch := compileSchema(t, "../../schema/article-v1.schema.json")

	site := startSite(t)
	a := openApp(t, testConfig(t, site, t.TempDir()))
	sum := runOnce(t, a)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	seen := 0
	errEnough := errors.New("enough")
	err := a.Bus.Tail(ctx, "", time.Time{}, true, func(art *newsflow.Article) error {
		raw, _ := json.Marshal(art)
		v, err := jsonschema.UnmarshalJSON(bytesReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%s: %v", art.URL, err)
		}
		if seen++; seen == sum.Published {
			return errEnough
		}
		return nil
	})
	if !errors.Is(err, errEnough) || seen == 0 {
		t.Fatalf("read %d of %d messages: %v", seen, sum.Published, err)
	}

	// The dead letters' headers (the fixture has a page that answers 500).
	dsch := compileSchema(t, "../../schema/dead-letter-v1.schema.json")
	dc, err := a.Bus.Consumer(ctx, bus.ConsumerConfig{Durable: "schema-check", Stream: a.Bus.Names().Dead, FilterSubject: a.Bus.Names().DeadSubject(">")})
	if err != nil {
		t.Fatal(err)
	}
	dead, err := dc.Fetch(ctx, sum.Dead, 5*time.Second)
	if err != nil || len(dead) != sum.Dead || sum.Dead == 0 {
		t.Fatalf("dead letters: %d of %d, %v", len(dead), sum.Dead, err)
	}
	for _, m := range dead {
		h := map[string]any{}
		for _, k := range []string{bus.HeaderReason, bus.HeaderStage, bus.HeaderSubject, bus.HeaderDeliveries, "Nats-Msg-Id"} {
			if v := m.Header(k); v != "" {
				h[k] = v
			}
		}
		if err := dsch.Validate(h); err != nil {
			t.Errorf("dead letter %v: %v", h, err)
		}
	}

	// A message that breaks the rules is caught: an empty field sent
	// instead of left out.
	bad, _ := jsonschema.UnmarshalJSON(bytesReader([]byte(`{"schema":"newsflow.article/v1","id":"00112233445566778899aabbccddeeff","url":"https://e.example/","text":"t","word_count":1,"content_hash":"00112233445566778899aabbccddeeff","authors":[]}`)))
	if sch.Validate(bad) == nil {
		t.Error("the schema accepts \"authors\": []")
	}
}

// compileSchema compiles a JSON Schema file of the repository.
func compileSchema(t *testing.T, path string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := jsonschema.UnmarshalJSON(bytesReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource(path, parsed); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
