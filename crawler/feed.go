package crawler

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
)

// Bounds of the feed parser: gofeed holds a whole document in memory at 30
// to 40 times its size, so a feed is cut into batches of feedBatch items,
// each parsed on its own, and reading stops after maxFeedItems items.
const (
	feedBatch    = 250
	maxFeedItems = 50000
	// wholeFeedLimit is the largest feed that, when it cannot be read as
	// a stream (broken XML that gofeed's lenient parser still reads), is
	// handed to gofeed whole.
	wholeFeedLimit = 1 << 20
)

// parseFeed reads an RSS (0.9x, 1.0, 2.0), Atom or JSON Feed document and
// returns a candidate per item link, resolved against the feed's URL and
// canonicalised. Items without a usable link are left out.
func parseFeed(body []byte, feedURL string) ([]Candidate, error) {
	var out []Candidate
	err := parseFeedStream(body, feedURL, func(batch []Candidate) error {
		out = append(out, batch...)
		return nil
	})
	return out, err
}

// parseFeedStream reads a feed like parseFeed, but in batches of at most
// feedBatch items, calling yield with the candidates of each, so that
// memory stays bounded whatever the feed's size and a caller that has
// enough can stop early: an error from yield ends the parse and is
// returned as it is. At most maxFeedItems items are read. A feed broken
// part way keeps the candidates read before the break.
func parseFeedStream(body []byte, feedURL string, yield func([]Candidate) error) error {
	base, err := url.Parse(feedURL)
	if err != nil {
		return fmt.Errorf("parse feed: %w", err)
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return parseJSONFeed(trimmed, base, yield)
	}
	s := feedSplitter{base: base, yield: yield}
	err = s.split(trimmed)
	if s.items == 0 && !errors.Is(err, errYield) && len(body) <= wholeFeedLimit {
		// Nothing read as a stream (broken XML, or items where the
		// splitter does not look for them): gofeed's lenient parser may
		// still make sense of a small feed.
		return parseWhole(body, base, yield)
	}
	if errors.Is(err, errYield) {
		return s.yieldErr
	}
	if err != nil && s.items > 0 {
		return nil // keep what a truncated feed did give
	}
	return err
}

// errYield marks an error returned by the caller's yield.
var errYield = errors.New("yield")

// xmlEncodingDecl finds the encoding of an XML declaration.
var xmlEncodingDecl = regexp.MustCompile(`^<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']`)

// feedSplitter cuts an XML feed into batches of whole items, each wrapped
// in a copy of the feed's root (and RSS channel) start tags, so that every
// namespace declared there still holds.
type feedSplitter struct {
	base     *url.URL
	yield    func([]Candidate) error
	yieldErr error

	head  []byte // the start tags that wrap a batch
	tail  string // the end tags that close it
	batch bytes.Buffer
	n     int // items in batch
	items int // items read in all
}

func (s *feedSplitter) split(body []byte) error {
	if bytes.HasPrefix(body, []byte("<?xml")) {
		if m := xmlEncodingDecl.FindSubmatch(body); m != nil {
			if enc := strings.ToLower(string(m[1])); enc != "utf-8" && enc != "utf8" {
				r, err := charset.NewReaderLabel(enc, bytes.NewReader(body))
				if err != nil {
					return fmt.Errorf("parse feed: %w", err)
				}
				if body, err = io.ReadAll(r); err != nil {
					return fmt.Errorf("parse feed: %w", err)
				}
			}
		}
		// The batches are UTF-8 and declare it in their head.
		if i := bytes.Index(body, []byte("?>")); i >= 0 {
			body = body[i+2:]
		}
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	var (
		depth    int
		rootKind string // "rss", "rdf" or "feed"
		inItem   bool
		itemAt   int64
		channel  bool
	)
	for {
		off := dec.InputOffset()
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			if s.items > 0 || s.n > 0 {
				if ferr := s.flush(); ferr != nil {
					return ferr
				}
			}
			return fmt.Errorf("parse feed: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			name := strings.ToLower(t.Name.Local)
			raw := body[off:dec.InputOffset()]
			switch {
			case inItem:
			case depth == 1:
				switch name {
				case "rss", "rdf", "feed":
					rootKind = name
				default:
					return fmt.Errorf("parse feed: root element <%s> is not rss, rdf:RDF or feed", t.Name.Local)
				}
				s.head = append([]byte(`<?xml version="1.0" encoding="utf-8"?>`), raw...)
				s.tail = "</" + qualified(t.Name) + ">"
			case depth == 2 && rootKind == "rss" && name == "channel" && !channel:
				channel = true
				s.head = append(s.head, raw...)
				s.tail = "</" + qualified(t.Name) + ">" + s.tail
			case (depth == 2 && ((rootKind == "rdf" && name == "item") || (rootKind == "feed" && name == "entry"))) ||
				(depth == 3 && channel && name == "item"):
				inItem, itemAt = true, off
			}
		case xml.EndElement:
			if inItem && (depth == 2 || (depth == 3 && channel)) {
				inItem = false
				s.batch.Write(body[itemAt:dec.InputOffset()])
				s.n++
				s.items++
				if s.n >= feedBatch || s.items >= maxFeedItems {
					if err := s.flush(); err != nil {
						return err
					}
				}
				if s.items >= maxFeedItems {
					return nil
				}
			}
			depth--
		}
	}
	if rootKind == "" {
		return errors.New("parse feed: no root element")
	}
	return s.flush()
}

// qualified is an element name as written, prefix included.
func qualified(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

// flush parses the batch held and hands its candidates on.
func (s *feedSplitter) flush() error {
	if s.n == 0 {
		return nil
	}
	doc := make([]byte, 0, len(s.head)+s.batch.Len()+len(s.tail))
	doc = append(append(append(doc, s.head...), s.batch.Bytes()...), s.tail...)
	s.batch.Reset()
	s.n = 0
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("parse feed: %w", err)
	}
	if err := s.yield(candidatesOf(feed.Items, s.base)); err != nil {
		s.yieldErr = err
		return errYield
	}
	return nil
}

// parseWhole parses a small feed with gofeed in one go.
func parseWhole(body []byte, base *url.URL, yield func([]Candidate) error) error {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("parse feed: %w", err)
	}
	items := feed.Items
	if len(items) > maxFeedItems {
		items = items[:maxFeedItems]
	}
	for len(items) > 0 {
		n := min(feedBatch, len(items))
		if err := yield(candidatesOf(items[:n], base)); err != nil {
			return err
		}
		items = items[n:]
	}
	return nil
}

// parseJSONFeed reads a JSON Feed as a stream: the members before "items"
// are kept, and the items are handed to gofeed feedBatch at a time.
func parseJSONFeed(body []byte, base *url.URL, yield func([]Candidate) error) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return errors.New("parse feed: JSON feed is not an object")
	}
	head := map[string]json.RawMessage{}
	read := 0
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fmt.Errorf("parse feed: %w", err)
		}
		key, _ := t.(string)
		if key != "items" {
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return fmt.Errorf("parse feed: %w", err)
			}
			if key == "version" || key == "title" {
				head[key] = v
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t != json.Delim('[') {
			return errors.New("parse feed: JSON feed items is not a list")
		}
		var batch []json.RawMessage
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			doc := map[string]any{"items": batch}
			for k, v := range head {
				doc[k] = v
			}
			if _, ok := doc["version"]; !ok {
				doc["version"] = "https://jsonfeed.org/version/1.1"
			}
			data, err := json.Marshal(doc)
			batch = batch[:0]
			if err != nil {
				return fmt.Errorf("parse feed: %w", err)
			}
			feed, err := gofeed.NewParser().Parse(bytes.NewReader(data))
			if err != nil {
				return fmt.Errorf("parse feed: %w", err)
			}
			return yield(candidatesOf(feed.Items, base))
		}
		for dec.More() && read < maxFeedItems {
			var it json.RawMessage
			if err := dec.Decode(&it); err != nil {
				if read > 0 {
					return flush()
				}
				return fmt.Errorf("parse feed: %w", err)
			}
			batch = append(batch, it)
			read++
			if len(batch) >= feedBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	}
	return nil
}

// candidatesOf turns feed items into candidates; items without a usable
// link are left out.
func candidatesOf(items []*gofeed.Item, base *url.URL) []Candidate {
	out := make([]Candidate, 0, len(items))
	for _, it := range items {
		if it == nil {
			continue
		}
		link := strings.TrimSpace(it.Link)
		if link == "" && len(it.Links) > 0 {
			link = strings.TrimSpace(it.Links[0])
		}
		if link == "" && (strings.HasPrefix(it.GUID, "http://") || strings.HasPrefix(it.GUID, "https://")) {
			link = strings.TrimSpace(it.GUID)
		}
		if link == "" {
			continue
		}
		ref, err := url.Parse(link)
		if err != nil {
			continue
		}
		canon, err := Canonicalize(base.ResolveReference(ref).String())
		if err != nil {
			continue
		}
		c := Candidate{URL: canon, Via: ViaFeed, Title: strings.TrimSpace(it.Title)}
		if it.PublishedParsed != nil {
			c.Published = it.PublishedParsed.UTC()
		}
		if it.UpdatedParsed != nil {
			c.Modified = it.UpdatedParsed.UTC()
		}
		out = append(out, c)
	}
	return out
}
