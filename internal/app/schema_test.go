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
)

// Every message the fixture crawl publishes on NEWS is valid under the
// JSON Schema of newsflow.article/v1 that subscribers in other languages
// read (schema/article-v1.schema.json).
func TestEveryMessageMatchesTheSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	doc, err := os.ReadFile("../../schema/article-v1.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := jsonschema.UnmarshalJSON(bytesReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("article-v1.schema.json", parsed); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("article-v1.schema.json")
	if err != nil {
		t.Fatal(err)
	}

	site := startSite(t)
	a := openApp(t, testConfig(t, site, t.TempDir()))
	sum := runOnce(t, a)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	seen := 0
	errEnough := errors.New("enough")
	err = a.Bus.Tail(ctx, "", time.Time{}, true, func(art *newsflow.Article) error {
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

	// A message that breaks the rules is caught: an empty field sent
	// instead of left out.
	bad, _ := jsonschema.UnmarshalJSON(bytesReader([]byte(`{"schema":"newsflow.article/v1","id":"00112233445566778899aabbccddeeff","url":"https://e.example/","text":"t","word_count":1,"content_hash":"00112233445566778899aabbccddeeff","authors":[]}`)))
	if sch.Validate(bad) == nil {
		t.Error("the schema accepts \"authors\": []")
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
