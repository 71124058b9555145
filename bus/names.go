package bus

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// DefaultNamespace is the namespace whose streams, buckets and subjects
// keep the names newsflow has always used: NEWS, FRONTIER, DEAD,
// newsflow_seen, newsflow_state and news.article.<source>.
const DefaultNamespace = "newsflow"

var namespacePattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// CheckNamespace reports whether ns can name a namespace: 1-32 lower-case
// letters, digits, '_' or '-', starting with a letter.
func CheckNamespace(ns string) error {
	if !namespacePattern.MatchString(ns) {
		return fmt.Errorf("%q must be 1-32 lower-case letters, digits, '_' or '-', starting with a letter", ns)
	}
	return nil
}

// Names are the names of everything newsflow makes on a NATS server for
// one namespace, so that two deployments (or tests) on one server never
// see each other's streams, consumers, buckets or subjects.
type Names struct {
	// Namespace is the namespace these names belong to.
	Namespace string
	// News, Frontier and Dead name the streams.
	News, Frontier, Dead string
	// Seen and State name the key-value bucket and the object store.
	Seen, State string

	articlePrefix, frontierPrefix, deadPrefix string
}

// NamesOf returns the names of namespace ns ("" is DefaultNamespace).
// Another namespace than the default prefixes the streams with NS_
// (upper case), the buckets with ns_ and the subjects with ns.
func NamesOf(ns string) Names {
	if ns == "" || ns == DefaultNamespace {
		return Names{
			Namespace: DefaultNamespace,
			News:      "NEWS", Frontier: "FRONTIER", Dead: "DEAD",
			Seen: "newsflow_seen", State: "newsflow_state",
			articlePrefix: "news.article.", frontierPrefix: "news.frontier.", deadPrefix: "news.dead.",
		}
	}
	up := strings.ToUpper(ns)
	return Names{
		Namespace: ns,
		News:      up + "_NEWS", Frontier: up + "_FRONTIER", Dead: up + "_DEAD",
		Seen: ns + "_seen", State: ns + "_state",
		articlePrefix: ns + ".article.", frontierPrefix: ns + ".frontier.", deadPrefix: ns + ".dead.",
	}
}

// ArticleSubject is the subject articles of a source are published on;
// ArticleSubject(">") matches every source.
func (n Names) ArticleSubject(source string) string { return n.articlePrefix + source }

// FrontierSubject is the subject fetch tasks of a source are queued on.
func (n Names) FrontierSubject(source string) string { return n.frontierPrefix + source }

// DeadSubject is the subject messages that failed at a stage end up on.
func (n Names) DeadSubject(stage string) string { return n.deadPrefix + stage }

// SeenStream is the stream behind the seen bucket.
func (n Names) SeenStream() string { return "KV_" + n.Seen }

// StateStream is the stream behind the state object store.
func (n Names) StateStream() string { return "OBJ_" + n.State }

// streams lists every stream of the namespace, buckets included.
func (n Names) streams() []string {
	return []string{n.News, n.Frontier, n.Dead, n.SeenStream(), n.StateStream(),
		"KV_" + n.fingerprints(), "OBJ_" + n.archive(), "KV_" + n.stats()}
}

// fingerprints names the bucket of text fingerprints (package neardup),
// beside the seen bucket: "newsflow_fingerprints" in the default
// namespace.
func (n Names) fingerprints() string { return strings.TrimSuffix(n.Seen, "_seen") + "_fingerprints" }

// archive names the object store of kept pages, beside the state:
// "newsflow_archive" in the default namespace.
func (n Names) archive() string { return strings.TrimSuffix(n.Seen, "_seen") + "_archive" }

// Names returns the names this bus uses.
func (b *Bus) Names() Names { return b.names }

// metaNamespace is the stream metadata key (NATS 2.10 and later) that
// marks a stream as made by newsflow for a namespace. On older servers,
// which drop metadata, newsflow recognises its streams by their
// description and subjects.
const metaNamespace = "newsflow_namespace"

// ours reports whether an existing stream was made by newsflow for this
// namespace.
func (b *Bus) ours(have jetstream.StreamConfig, want []string) bool {
	if have.Metadata[metaNamespace] != "" {
		return have.Metadata[metaNamespace] == b.names.Namespace
	}
	if !strings.HasPrefix(have.Description, "newsflow") {
		return false
	}
	if want == nil {
		return true
	}
	if len(have.Subjects) != len(want) {
		return false
	}
	for i := range want {
		if have.Subjects[i] != want[i] {
			return false
		}
	}
	return true
}

// notOurs is the error for a stream of the name newsflow would use that
// something else made.
func notOurs(name string, have jetstream.StreamConfig) error {
	return fmt.Errorf("stream %s exists on the server but newsflow did not make it (subjects %v, description %q); newsflow never changes a stream it did not make: set nats.namespace (or --namespace) to a namespace of your own",
		name, have.Subjects, have.Description)
}

// RemoveNamespace deletes the streams and buckets of namespace ns on the
// server at url, those newsflow made and no other: for tests, and for an
// operator who retires a deployment. Missing ones are skipped.
func RemoveNamespace(ctx context.Context, url, ns string) error {
	nc, err := nats.Connect(url, nats.Timeout(5*time.Second), nats.Name("newsflow-remove-namespace"))
	if err != nil {
		return fmt.Errorf("bus: remove namespace %s: %w", ns, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("bus: remove namespace %s: %w", ns, err)
	}
	b := &Bus{names: NamesOf(ns), js: js}
	var errs []error
	for _, name := range b.names.streams() {
		s, err := js.Stream(ctx, name)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("stream %s: %w", name, err))
			continue
		}
		if !b.ours(s.CachedInfo().Config, nil) {
			errs = append(errs, notOurs(name, s.CachedInfo().Config))
			continue
		}
		if err := js.DeleteStream(ctx, name); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			errs = append(errs, fmt.Errorf("delete stream %s: %w", name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("bus: remove namespace %s: %w", ns, err)
	}
	return nil
}
